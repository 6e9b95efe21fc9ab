package dev.microforge.generator.binder;

import static dev.microforge.datasets.VolumeAssert.assertVolumeEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.microforge.datasets.Volume;
import java.util.stream.Stream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class CarbonBinderGrowthTest {
    private static final Volume PACKING = Packings.spheres(48, 5.0, 0.45, 7L);

    @ParameterizedTest
    @ValueSource(doubles = {0.05, 0.1, 0.15, 0.2})
    void hitsTargetVoxelCountAndOnlyConvertsPore(double target) {
        // Given a sphere packing; When CBD grows to the target
        CarbonBinderGrowth.Result r = CarbonBinderGrowth.grow(PACKING,
                CarbonBinderGrowth.Options.defaults().withTargetFraction(target).withSeed(3));
        // Then the CBD count is round(target * n) and only pore voxels changed, to label 2
        long n = PACKING.voxelCount();
        assertEquals(Math.round(target * n), r.cbdVoxels());
        assertEquals(target, r.cbdFraction(), 0.01);
        assertEquals(r.cbdVoxels(), r.iterations());
        for (int i = 0; i < n; i++) {
            int before = PACKING.get(i);
            int after = r.volume().get(i);
            if (before != after) {
                assertEquals(0, before, "voxel " + i + " was not pore");
                assertEquals(2, after);
            }
        }
    }

    @Test
    void sameSeedSameBytesOtherSeedDiffers() {
        CarbonBinderGrowth.Options o = CarbonBinderGrowth.Options.defaults().withSeed(11);
        Volume a = CarbonBinderGrowth.grow(PACKING, o).volume();
        Volume b = CarbonBinderGrowth.grow(PACKING, o).volume();
        assertVolumeEquals(a, b);
        assertFalse(a.equals(CarbonBinderGrowth.grow(PACKING, o.withSeed(12)).volume()));
    }

    @Test
    void filmLikeCoversMoreActiveSurfaceThanFingerLike() {
        // Given equal CBD fraction 0.1; When omega = 0 (film) and omega = 1 (finger)
        CarbonBinderGrowth.Options o = CarbonBinderGrowth.Options.defaults().withTargetFraction(0.1).withSeed(5);
        double film = CarbonBinderGrowth.grow(PACKING, o.withOmega(0)).activeSurfaceCoverage();
        double mid = CarbonBinderGrowth.grow(PACKING, o.withOmega(0.5)).activeSurfaceCoverage();
        double finger = CarbonBinderGrowth.grow(PACKING, o.withOmega(1)).activeSurfaceCoverage();
        // Then the film covers more of the active surface, and omega = 0.5 lies between
        assertTrue(film > finger, "film " + film + " vs finger " + finger);
        assertTrue(film >= mid && mid >= finger, film + " >= " + mid + " >= " + finger);
    }

    @Test
    void fingerGrowthAttachesToExistingCbdAndNucleiStartOnActiveSurface() {
        // Given one active voxel in a line of pore; CBD must start next to it and grow as a contiguous chain
        Volume line = Volume.generate(9, 1, 1, (x, y, z) -> x == 0 ? 1 : 0);
        CarbonBinderGrowth.Result r = CarbonBinderGrowth.grow(line, CarbonBinderGrowth.Options.defaults()
                .withTargetFraction(4 / 9.0).withOmega(1).withNuclei(1));
        for (int x = 1; x <= 4; x++) {
            assertEquals(2, r.volume().get(x, 0, 0));
        }
        assertEquals(1.0, r.activeSurfaceCoverage(), 0.0);
    }

    @Test
    void zeroTargetLeavesTheVolumeUnchanged() {
        CarbonBinderGrowth.Result r = CarbonBinderGrowth.grow(PACKING,
                CarbonBinderGrowth.Options.defaults().withTargetFraction(0));
        assertVolumeEquals(PACKING, r.volume());
        assertEquals(0, r.iterations());
    }

    static Stream<Arguments> badOptions() {
        int[] one = {1};
        return Stream.of(
                Arguments.of("omega below 0", (Runnable) () -> new CarbonBinderGrowth.Options(0.1, -0.1, 0, one, 2, 0,
                        1e-3, 0)),
                Arguments.of("omega above 1", (Runnable) () -> new CarbonBinderGrowth.Options(0.1, 1.5, 0, one, 2, 0,
                        1e-3, 0)),
                Arguments.of("omega NaN", (Runnable) () -> new CarbonBinderGrowth.Options(0.1, Double.NaN, 0, one, 2,
                        0, 1e-3, 0)),
                Arguments.of("fraction above 1", (Runnable) () -> new CarbonBinderGrowth.Options(1.2, 0.5, 0, one, 2,
                        0, 1e-3, 0)),
                Arguments.of("fraction negative", (Runnable) () -> new CarbonBinderGrowth.Options(-0.1, 0.5, 0, one,
                        2, 0, 1e-3, 0)),
                Arguments.of("no active labels", (Runnable) () -> new CarbonBinderGrowth.Options(0.1, 0.5, 0,
                        new int[0], 2, 0, 1e-3, 0)),
                Arguments.of("null active labels", (Runnable) () -> new CarbonBinderGrowth.Options(0.1, 0.5, 0, null,
                        2, 0, 1e-3, 0)),
                Arguments.of("pore = cbd", (Runnable) () -> new CarbonBinderGrowth.Options(0.1, 0.5, 0, one, 0, 0,
                        1e-3, 0)),
                Arguments.of("active = pore", (Runnable) () -> new CarbonBinderGrowth.Options(0.1, 0.5, 0,
                        new int[] {0}, 2, 0, 1e-3, 0)),
                Arguments.of("label > 255", (Runnable) () -> new CarbonBinderGrowth.Options(0.1, 0.5, 0, one, 256, 0,
                        1e-3, 0)),
                Arguments.of("negative nuclei", (Runnable) () -> new CarbonBinderGrowth.Options(0.1, 0.5, 0, one, 2,
                        -1, 1e-3, 0)),
                Arguments.of("epsilon 0", (Runnable) () -> new CarbonBinderGrowth.Options(0.1, 0.5, 0, one, 2, 0, 0,
                        0)),
                Arguments.of("fraction above pore fraction", (Runnable) () -> CarbonBinderGrowth.grow(PACKING,
                        CarbonBinderGrowth.Options.defaults().withTargetFraction(0.6))),
                Arguments.of("missing active label", (Runnable) () -> CarbonBinderGrowth.grow(
                        Volume.filled(4, 4, 4, 0), CarbonBinderGrowth.Options.defaults())),
                Arguments.of("missing pore label", (Runnable) () -> CarbonBinderGrowth.grow(
                        Volume.filled(4, 4, 4, 1), CarbonBinderGrowth.Options.defaults())),
                Arguments.of("existing CBD above target", (Runnable) () -> CarbonBinderGrowth.grow(
                        Volume.generate(4, 4, 4, (x, y, z) -> z < 2 ? 2 : x == 0 ? 1 : 0),
                        CarbonBinderGrowth.Options.defaults().withTargetFraction(0.1))));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badOptions")
    void rejectsBadInput(String name, Runnable call) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, call::run);
        assertFalse(e.getMessage().isBlank());
    }

    @Test
    @Tag("benchmark")
    void grows128CubedAtTenPercentInAFewSeconds() {
        Volume v = Packings.spheres(128, 8.0, 0.5, 1L);
        long t0 = System.nanoTime();
        CarbonBinderGrowth.Result r = CarbonBinderGrowth.grow(v, CarbonBinderGrowth.Options.defaults());
        double seconds = (System.nanoTime() - t0) / 1e9;
        assertEquals(0.1, r.cbdFraction(), 1e-6);
        assertTrue(seconds < 5, "took " + seconds + " s");
    }
}
