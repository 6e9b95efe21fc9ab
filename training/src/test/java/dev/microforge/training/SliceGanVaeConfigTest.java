package dev.microforge.training;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.microforge.datasets.Axis;
import dev.microforge.datasets.Volume;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SliceGanVaeConfigTest {

    @Test
    void configsRoundTripThroughTheirStoredFormAndRefuseBadKeys() {
        SliceGanTrainingConfig s = SliceGanTrainingConfig.fromJson("{\"sliceSize\": 32, \"slicesPerAxis\": 8}", "s.json",
                SliceGanTrainingConfig.defaults());
        assertEquals(32, s.sliceSize());
        assertEquals(s, SliceGanTrainingConfig.fromMap(s.toMap(), "model.json"));
        assertEquals(s.withSeed(9).withIterations(7), SliceGanTrainingConfig.fromMap(
                s.withSeed(9).withIterations(7).toMap(), "model.json"));
        VaeTrainingConfig v = VaeTrainingConfig.fromJson("{\"latentDimension\": 8}", "v.json", VaeTrainingConfig.defaults());
        assertEquals(8, v.architecture(3).latentDimension());
        assertEquals(v, VaeTrainingConfig.fromMap(v.toMap(), "model.json"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> VaeTrainingConfig.fromJson("{\"beta\": 2}", "v.json", VaeTrainingConfig.defaults()));
        assertTrue(e.getMessage().contains("unknown key 'beta'") && e.getMessage().contains("klWeight"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> SliceGanTrainingConfig.fromJson(
                "{\"sliceSize\": 36}", "s.json", SliceGanTrainingConfig.defaults()));
        assertTrue(e.getMessage().startsWith("s.json: "), e.getMessage());
        // the architecture a resumed run must keep
        assertEquals(s.networkSettings(), s.withIterations(5).networkSettings());
        assertTrue(!s.networkSettings().equals(SliceGanTrainingConfig.fromJson("{\"criticWidths\": [16, 16, 32, 32]}",
                "s.json", s).networkSettings()));
    }

    @Test
    void sliceGansStatisticsAverageIsOffByDefaultReadFromJsonAndRefusedOutsideItsRange() {
        assertEquals(0, SliceGanTrainingConfig.defaults().trainerOptions().statisticsAverage());
        SliceGanTrainingConfig s = SliceGanTrainingConfig.fromJson("{\"statisticsAverage\": 0.9}", "s.json",
                SliceGanTrainingConfig.defaults());
        assertEquals(0.9, s.trainerOptions().statisticsAverage());
        assertEquals(s, SliceGanTrainingConfig.fromMap(s.toMap(), "model.json"));
        // a model.json written before the key existed reads as off
        Map<String, Object> old = new LinkedHashMap<>(s.toMap());
        old.remove("statisticsAverage");
        assertEquals(0, SliceGanTrainingConfig.fromMap(old, "model.json").statisticsAverage());
        for (String bad : List.of("1", "-0.1", "1.5")) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> SliceGanTrainingConfig
                    .fromJson("{\"statisticsAverage\": " + bad + "}", "s.json", SliceGanTrainingConfig.defaults()));
            assertTrue(e.getMessage().contains("statisticsAverage"), e.getMessage());
        }
    }

    /**
     * A 3D checkerboard with half-periods 2, 3 and 4 along x, y and z: every row along an axis, in the volume
     * and in any axis-aligned section, is the same square wave or its inverse, half and half (the sizes are
     * multiples of both periods), so S2 along each axis from the three sections equals the volume's own, and
     * the three axes differ (which catches a section laid along the wrong axis).
     */
    @Test
    void sectionReferenceOfACheckerboardEqualsTheVolumeReference() {
        Volume v = Volume.generate(24, 24, 24, (x, y, z) -> ((x / 2) + (y / 3) + (z / 4)) % 2);
        SampleEvaluation.Options o = new SampleEvaluation.Options(16, 10, false, 0);
        SampleEvaluation.Reference volume = SampleEvaluation.reference(v, 2, o);
        SampleEvaluation.Reference sections = SampleEvaluation.referenceFromSections(
                List.of(v.slice(Axis.X, 5), v.slice(Axis.Y, 7), v.slice(Axis.Z, 9)), 2, o);
        assertNull(sections.tortuosity());
        assertArrayEquals(volume.fractions(), sections.fractions(), 1e-12);
        for (int label = 0; label < 2; label++) {
            for (int a = 0; a < 3; a++) {
                assertArrayEquals(volume.s2()[label][a], sections.s2()[label][a], 1e-9, "label " + label + " axis " + a);
            }
        }
        // the axes differ: the square wave of half-period 2 along x is 0 at lag 2, that of half-period 4 along z is not
        assertEquals(0.0, volume.s2()[1][0][2], 1e-12);
        assertTrue(volume.s2()[1][2][2] > 0.2);
        // one isotropic image: every axis gets the mean of its row and column curves
        SampleEvaluation.Reference one = SampleEvaluation.referenceFromSections(List.of(v.slice(Axis.Z, 0)), 2, o);
        for (int r = 0; r <= 10; r++) {
            double mean = (volume.s2()[1][0][r] + volume.s2()[1][1][r]) / 2;
            assertEquals(mean, one.s2()[1][2][r], 1e-9);
        }
    }
}
