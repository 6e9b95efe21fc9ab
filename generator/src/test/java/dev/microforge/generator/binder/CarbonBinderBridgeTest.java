package dev.microforge.generator.binder;

import static dev.microforge.datasets.VolumeAssert.assertVolumeEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.microforge.datasets.Volume;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestReporter;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class CarbonBinderBridgeTest {
    private static final Volume PACKING = Packings.spheres(48, 5.0, 0.45, 7L);

    @ParameterizedTest
    @ValueSource(doubles = {0.05, 0.1, 0.2})
    void hitsTargetVoxelCountAndOnlyConvertsPore(double target) {
        CarbonBinderBridge.Result r = CarbonBinderBridge.place(PACKING,
                CarbonBinderBridge.Options.defaults().withTargetFraction(target));
        long n = PACKING.voxelCount();
        assertEquals(Math.round(target * n), r.cbdVoxels());
        assertEquals(target, r.cbdFraction(), 0.01);
        for (int i = 0; i < n; i++) {
            if (PACKING.get(i) != r.volume().get(i)) {
                assertEquals(0, PACKING.get(i), "voxel " + i + " was not pore");
                assertEquals(2, r.volume().get(i));
            }
        }
    }

    @Test
    void placesBinderAtTheNeckOfTwoTouchingSpheresNotAtTheirFreeSurface() {
        // Given two spheres of radius 8 touching at x = 20 in a 40 x 24 x 24 box
        Volume v = Packings.twoTouchingSpheres(40, 24, 8.0);
        // When 1 % of the volume becomes binder
        CarbonBinderBridge.Result r = CarbonBinderBridge.place(v,
                CarbonBinderBridge.Options.defaults().withTargetFraction(0.01));
        // Then over 80 % of the binder sits in the neck (|x - 20| <= 4, within 7 voxels of the axis), more than ten
        // times as much as in the equal region at the outer pole; the rest fills staircase notches of the digital spheres
        int neck = 0;
        int pole = 0;
        for (int z = 0; z < 24; z++) {
            for (int y = 0; y < 24; y++) {
                for (int x = 0; x < 40; x++) {
                    if (r.volume().get(x, y, z) != 2) {
                        continue;
                    }
                    double rr = Math.hypot(y + 0.5 - 12, z + 0.5 - 12);
                    if (Math.abs(x + 0.5 - 20) <= 4 && rr <= 7) {
                        neck++;
                    } else if (Math.abs(x + 0.5 - 4) <= 4 && rr <= 7) {
                        pole++;
                    }
                }
            }
        }
        assertTrue(neck > 0.8 * r.cbdVoxels(), "neck " + neck + " of " + r.cbdVoxels());
        assertTrue(neck > 10 * pole, "neck " + neck + " vs pole " + pole + " in equal regions");
        assertTrue(r.cutoffEnclosure() > 0 && r.cutoffEnclosure() < 1, "cut-off enclosure " + r.cutoffEnclosure());
    }

    @Test
    void sameSeedSameBytesAndTiesAreBrokenBySeed() {
        // a flat active slab: every pore voxel in the first layer ties, so the seed decides which ones get binder
        Volume slab = Volume.generate(16, 16, 8, (x, y, z) -> z < 2 ? 1 : 0);
        CarbonBinderBridge.Options o = CarbonBinderBridge.Options.defaults().withTargetFraction(0.05).withSeed(4);
        Volume a = CarbonBinderBridge.place(slab, o).volume();
        assertVolumeEquals(a, CarbonBinderBridge.place(slab, o).volume());
        assertFalse(a.equals(CarbonBinderBridge.place(slab, o.withSeed(5)).volume()));
        // all binder lies in the layer z = 2 touching the slab (102 of its 256 voxels)
        for (int i = 0; i < a.voxelCount(); i++) {
            if (a.get(i) == 2) {
                assertEquals(2, i / 256);
            }
        }
    }

    @Test
    void rejectsBadInput() {
        int[] one = {1};
        assertThrows(IllegalArgumentException.class, () -> new CarbonBinderBridge.Options(0.1, 0, one, 2, 0, 0));
        assertThrows(IllegalArgumentException.class, () -> new CarbonBinderBridge.Options(0.1, 0, one, 2, 17, 0));
        assertThrows(IllegalArgumentException.class, () -> new CarbonBinderBridge.Options(1.5, 0, one, 2, 2, 0));
        assertThrows(IllegalArgumentException.class, () -> new CarbonBinderBridge.Options(0.1, 0, one, 1, 2, 0));
        assertThrows(IllegalArgumentException.class, () -> new CarbonBinderBridge.Options(0.1, 0, null, 2, 2, 0));
        assertThrows(IllegalArgumentException.class, () -> CarbonBinderBridge.place(PACKING,
                CarbonBinderBridge.Options.defaults().withTargetFraction(0.6)));
        assertThrows(IllegalArgumentException.class, () -> CarbonBinderBridge.place(Volume.filled(4, 4, 4, 0),
                CarbonBinderBridge.Options.defaults()));
    }

    @Test
    @Tag("benchmark")
    void bridges128CubedAndComparesCoverageWithGrowth(TestReporter reporter) {
        Volume v = Packings.spheres(128, 8.0, 0.5, 1L);
        long t0 = System.nanoTime();
        CarbonBinderBridge.Result b = CarbonBinderBridge.place(v, CarbonBinderBridge.Options.defaults());
        double bridgeSeconds = (System.nanoTime() - t0) / 1e9;
        reporter.publishEntry("bridge128", String.format("%.3f s coverage %.4f", bridgeSeconds,
                b.activeSurfaceCoverage()));
        for (double omega : new double[] {0, 0.5, 1}) {
            long t1 = System.nanoTime();
            CarbonBinderGrowth.Result g = CarbonBinderGrowth.grow(v,
                    CarbonBinderGrowth.Options.defaults().withOmega(omega).withSeed(1));
            double s = (System.nanoTime() - t1) / 1e9;
            reporter.publishEntry("growth128 omega " + omega, String.format("%.3f s coverage %.4f fraction %.6f", s,
                    g.activeSurfaceCoverage(), g.cbdFraction()));
            assertTrue(s < 5, "growth took " + s + " s");
        }
        assertTrue(bridgeSeconds < 5, "bridge took " + bridgeSeconds + " s");
    }
}
