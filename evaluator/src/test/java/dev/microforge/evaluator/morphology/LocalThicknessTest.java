package dev.microforge.evaluator.morphology;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.microforge.datasets.Volume;
import dev.microforge.datasets.VolumeBuilder;
import dev.microforge.datasets.VoxelSize;
import dev.microforge.evaluator.morphology.DistanceTransform.Metric;
import dev.microforge.evaluator.morphology.LocalThickness.Options;
import org.junit.jupiter.api.Test;

class LocalThicknessTest {

    private static Options exact() {
        return new Options(0, false, Metric.AUTO, true);
    }

    @Test
    void aBallOfRadiusRHasThickness2REverywhere() {
        VolumeBuilder b = VolumeBuilder.create(31, 31, 31);
        TestVolumes.paintBall(b, 15, 15, 15, 10, false);
        Volume v = b.build();
        for (Options o : new Options[] {exact(), new Options(8, false, Metric.AUTO, true)}) {
            LocalThickness.Result r = LocalThickness.poreSizeDistribution(v, 1, o);
            for (int i = 0; i < r.thickness().length; i++) {
                if (v.get(i) == 1) {
                    assertEquals(20, r.thickness()[i], 1.0, "voxel " + i + " levels " + r.levels());
                } else {
                    assertEquals(0, r.thickness()[i]);
                }
            }
            assertEquals(20, r.d10(), 1.0);
            assertEquals(20, r.d50(), 1.0);
            assertEquals(20, r.d90(), 1.0);
            assertEquals(20, r.mean(), 1.0);
        }
    }

    @Test
    void aSlabOfEvenThicknessTGivesT() {
        // a pore slab of 10 voxels across z, infinite in x and y (border not background)
        Volume v = Volume.generate(24, 20, 30, (x, y, z) -> z >= 8 && z < 18 ? 0 : 1)
                .withVoxelSize(VoxelSize.isotropic(0.5));
        LocalThickness.Result r = LocalThickness.poreSizeDistribution(v, 0, exact());
        assertEquals(1, r.diameters().length);
        assertEquals(5.0, r.diameters()[0], 1e-6); // 10 voxels of 0.5 um
        assertEquals("um", r.unit());
        assertEquals(1.0, r.cumulative()[0], 1e-12);
        // odd thickness: the ball centre sits on a voxel centre, so t + 1 (documented)
        Volume odd = Volume.generate(24, 20, 30, (x, y, z) -> z >= 8 && z < 19 ? 0 : 1);
        LocalThickness.Result ro = LocalThickness.poreSizeDistribution(odd, 0, exact());
        assertEquals(12.0, ro.mean(), 1e-6);
        assertEquals("voxel", ro.unit());
    }

    @Test
    void twoSizesOfBallsGiveTwoPeaks() {
        // Given 8 balls of radius 4 and 4 balls of radius 9, apart
        VolumeBuilder b = VolumeBuilder.create(80, 80, 40);
        for (int i = 0; i < 4; i++) {
            TestVolumes.paintBall(b, 10 + 20 * i, 10, 10, 4, false);
            TestVolumes.paintBall(b, 10 + 20 * i, 30, 10, 4, false);
            TestVolumes.paintBall(b, 10 + 20 * i, 60, 20, 9, false);
        }
        Volume v = b.build();
        LocalThickness.Result r = LocalThickness.poreSizeDistribution(v, 1, Options.defaults());
        double smallVolume = 8 * countBall(4);
        double bigVolume = 4 * countBall(9);
        double[] h = r.histogram(new double[] {0, 6, 10, 16, 20, 100});
        assertEquals(smallVolume / (smallVolume + bigVolume), h[1], 0.02, "peak at 8");
        assertEquals(bigVolume / (smallVolume + bigVolume), h[3], 0.02, "peak at 18");
        assertEquals(0, h[0] + h[2] + h[4], 0.02);
        assertNull(r.thickness());
        assertEquals(18, r.d90(), 1.0);
        assertTrue(r.d10() < 10, "d10 " + r.d10());
    }

    private static long countBall(double radius) {
        VolumeBuilder b = VolumeBuilder.create(25, 25, 25);
        TestVolumes.paintBall(b, 12, 12, 12, radius, false);
        return b.build().labelCounts()[1];
    }

    @Test
    void exactModeEqualsTheDefinitionByBruteForce() {
        // R(x) = max { r(c) : |x - c| < r(c) } over phase voxels c, r = distance to the nearest non-phase voxel
        Volume v = TestVolumes.random(14, 12, 10, 0.82, 11);
        for (boolean border : new boolean[] {false, true}) {
            float[] dt2 = DistanceTransform.squaredEuclidean(v, new int[] {1},
                    new DistanceTransform.Options(border, Metric.VOXELS));
            LocalThickness.Result r = LocalThickness.poreSizeDistribution(v, 1,
                    new Options(0, border, Metric.VOXELS, true));
            assertTrue(r.exact());
            for (int z = 0; z < v.nz(); z++) {
                for (int y = 0; y < v.ny(); y++) {
                    for (int x = 0; x < v.nx(); x++) {
                        int i = v.index(x, y, z);
                        if (v.get(i) != 1 || dt2[i] == Float.POSITIVE_INFINITY) {
                            continue;
                        }
                        double best = 0;
                        for (int c = 0; c < dt2.length; c++) {
                            int cx = c % v.nx();
                            int cy = (c / v.nx()) % v.ny();
                            int cz = c / (v.nx() * v.ny());
                            double d2 = (x - cx) * (x - cx) + (y - cy) * (y - cy) + (z - cz) * (z - cz);
                            if (v.get(c) == 1 && d2 < dt2[c]) {
                                best = Math.max(best, dt2[c]);
                            }
                        }
                        assertEquals((float) (2 * Math.sqrt(best)), r.thickness()[i], 1e-5,
                                "voxel (" + x + "," + y + "," + z + ") border " + border);
                    }
                }
            }
        }
    }

    @Test
    void badOptionsAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> new Options(1, false, Metric.AUTO, false));
        assertThrows(IllegalArgumentException.class, () -> new Options(-3, false, Metric.AUTO, false));
        assertThrows(IllegalArgumentException.class, () -> new Options(10, false, null, false));
        Volume v = Volume.filled(3, 3, 3, 0);
        LocalThickness.Result none = LocalThickness.poreSizeDistribution(v, 1, Options.defaults());
        assertEquals(0, none.phaseVoxels());
        assertTrue(Double.isNaN(none.d50()));
    }
}
