package dev.microforge.datasets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class CoreTypesTest {
    @Test
    void axisParsesAnyCaseAndRefusesOthers() {
        assertEquals(Axis.X, Axis.parse("x"));
        assertEquals(Axis.Z, Axis.parse(" Z "));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Axis.parse("w"));
        assertTrue(e.getMessage().contains("'w'"));
        assertThrows(IllegalArgumentException.class, () -> Axis.parse(null));
        assertEquals("y", Axis.Y.label());
    }

    @Test
    void voxelSizeParsesOneOrThreeLengths() {
        assertEquals(VoxelSize.isotropic(0.398), VoxelSize.parse("0.398"));
        assertEquals(new VoxelSize(0.4, 0.4, 0.5), VoxelSize.parse("0.4, 0.4,0.5"));
        assertFalse(VoxelSize.UNKNOWN.isKnown());
        assertTrue(VoxelSize.isotropic(1).isKnown());
        assertEquals(0.5, new VoxelSize(0.4, 0.4, 0.5).along(Axis.Z));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "0", "-1", "abc", "1,2", "1,2,3,4", "NaN", "Infinity"})
    void badVoxelSizesAreRefused(String text) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> VoxelSize.parse(text));
        assertTrue(e.getMessage().contains("micrometres"), e.getMessage());
    }

    @Test
    void phaseMapResolvesByValueOrName() {
        PhaseMap map = PhaseMap.parse("0:pore,85:active,170:CBD");
        assertEquals(85, map.resolve("active"));
        assertEquals(170, map.resolve("cbd"));
        assertEquals(170, map.resolve("170"));
        assertEquals("pore", map.nameOf(0));
        assertEquals("phase7", map.nameOf(7));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> map.resolve("binder"));
        assertTrue(e.getMessage().contains("binder") && e.getMessage().contains("active"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> map.resolve("300"));
    }

    @Test
    void electrodeConventionNamesTwoOrThreeLabelsInOrder() {
        assertEquals(Map.of(0, "pore", 85, "active", 170, "cbd"), PhaseMap.electrode(List.of(0, 85, 170)).names());
        assertEquals(Map.of(0, "pore", 255, "active"), PhaseMap.electrode(List.of(0, 255)).names());
        assertEquals("phase3", PhaseMap.electrode(List.of(0, 1, 2, 3)).nameOf(3));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "0", "0:pore,1:pore", "x:pore", "0:", "0:12", "256:pore"})
    void badPhaseMapsAreRefused(String text) {
        assertThrows(IllegalArgumentException.class, () -> PhaseMap.parse(text));
    }

    @Test
    void floatVolumeKeepsLayoutAndRange() {
        float[] values = {0f, 1f, 2f, 3f, 4f, 5f, Float.NaN, -1f};
        FloatVolume f = FloatVolume.of(2, 2, 2, values, VoxelSize.UNKNOWN);
        assertEquals(5f, f.get(1, 0, 1));
        assertEquals(-1f, f.range()[0]);
        assertEquals(5f, f.range()[1]);
        FloatVolume c = f.crop(1, 0, 0, 1, 2, 2);
        assertEquals(3f, c.get(0, 1, 0));
        assertEquals(-1f, c.get(0, 1, 1));
        assertThrows(IllegalArgumentException.class, () -> FloatVolume.of(2, 2, 2, new float[3], null));
    }
}
