package dev.microforge.evaluator.morphology;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.microforge.datasets.Volume;
import dev.microforge.datasets.VoxelSize;
import dev.microforge.evaluator.morphology.DistanceTransform.Metric;
import dev.microforge.evaluator.morphology.DistanceTransform.Options;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class DistanceTransformTest {

    /** Brute force: minimum over all background voxels (and the padding layer when the border is background). */
    static double[] bruteForce(Volume v, int phase, double sx, double sy, double sz, boolean border) {
        int nx = v.nx();
        int ny = v.ny();
        int nz = v.nz();
        double[] d = new double[nx * ny * nz];
        for (int z = 0; z < nz; z++) {
            for (int y = 0; y < ny; y++) {
                for (int x = 0; x < nx; x++) {
                    int i = v.index(x, y, z);
                    if (v.get(i) != phase) {
                        continue;
                    }
                    double best = Double.POSITIVE_INFINITY;
                    if (border) {
                        best = Math.min(best, sq(sx * (x + 1)));
                        best = Math.min(best, sq(sx * (nx - x)));
                        best = Math.min(best, sq(sy * (y + 1)));
                        best = Math.min(best, sq(sy * (ny - y)));
                        best = Math.min(best, sq(sz * (z + 1)));
                        best = Math.min(best, sq(sz * (nz - z)));
                    }
                    for (int zz = 0; zz < nz; zz++) {
                        for (int yy = 0; yy < ny; yy++) {
                            for (int xx = 0; xx < nx; xx++) {
                                if (v.get(xx, yy, zz) != phase) {
                                    best = Math.min(best, sq(sx * (x - xx)) + sq(sy * (y - yy)) + sq(sz * (z - zz)));
                                }
                            }
                        }
                    }
                    d[i] = best;
                }
            }
        }
        return d;
    }

    private static double sq(double a) {
        return a * a;
    }

    @ParameterizedTest(name = "{0}x{1}x{2} p={3} border={4}")
    @CsvSource({"13,11,7,0.7,false", "13,11,7,0.7,true", "17,5,9,0.9,false", "17,5,9,0.95,true",
            "1,1,1,1.0,true", "23,1,1,0.8,false", "7,19,1,0.8,true", "5,5,29,0.85,false", "8,8,8,0.3,true"})
    void squaredDistancesEqualBruteForceExactly(int nx, int ny, int nz, double p, boolean border) {
        // Given a seeded random volume (prime and degenerate sizes included)
        Volume v = TestVolumes.random(nx, ny, nz, p, 31L * nx + ny + nz);
        // When
        float[] d2 = DistanceTransform.squaredEuclidean(v, new int[] {1}, new Options(border, Metric.VOXELS));
        // Then: bit-exact squared distances
        double[] expected = bruteForce(v, 1, 1, 1, 1, border);
        for (int i = 0; i < expected.length; i++) {
            if ((float) expected[i] != d2[i]) {
                fail(String.format("voxel %d (%d,%d,%d): expected %s but was %s", i, i % nx, (i / nx) % ny,
                        i / (nx * ny), expected[i], d2[i]));
            }
        }
    }

    @Test
    void anisotropicSpacingAgreesWithBruteForce() {
        Volume v = TestVolumes.random(12, 10, 9, 0.85, 5).withVoxelSize(new VoxelSize(0.5, 0.7, 1.3));
        for (boolean border : new boolean[] {false, true}) {
            DistanceTransform.Result r = DistanceTransform.euclidean(v, 1, new Options(border, Metric.AUTO));
            assertTrue(r.inMicrometres());
            assertEquals("um", r.unit());
            double[] expected = bruteForce(v, 1, 0.5, 0.7, 1.3, border);
            for (int i = 0; i < expected.length; i++) {
                assertEquals(Math.sqrt(expected[i]), r.distances()[i], 1e-5 * (1 + Math.sqrt(expected[i])),
                        "voxel " + i);
            }
        }
    }

    @Test
    void noBackgroundGivesInfinityUnlessTheBorderIsBackground() {
        Volume v = Volume.filled(4, 5, 6, 1);
        float[] open = DistanceTransform.squaredEuclidean(v, new int[] {1}, new Options(false, Metric.VOXELS));
        assertEquals(Float.POSITIVE_INFINITY, open[0]);
        DistanceTransform.Result closed = DistanceTransform.euclidean(v, 1, new Options(true, Metric.VOXELS));
        assertEquals(1f, closed.at(0, 0, 0));
        assertEquals(2f, closed.at(1, 2, 2)); // x = 1 is 2 from the outside layer at x = -1
        assertEquals(2f, closed.max()); // nx = 4 limits it
    }

    @Test
    void distancesOfACentredBallPeakAtItsRadius() {
        // a ball of radius 10: the centre is about 10 from the first outside voxel
        dev.microforge.datasets.VolumeBuilder b = dev.microforge.datasets.VolumeBuilder.create(31, 31, 31);
        TestVolumes.paintBall(b, 15, 15, 15, 10, false);
        DistanceTransform.Result r = DistanceTransform.euclidean(b.build(), 1, Options.defaults());
        assertEquals(Math.sqrt(101), r.at(15, 15, 15), 1e-6);
        assertEquals("voxel", r.unit());
    }

    @Test
    void badInputIsRefusedWithAFix() {
        Volume v = Volume.filled(2, 2, 2, 1);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> DistanceTransform.euclidean(v, 1, new Options(false, Metric.MICROMETRES)));
        assertTrue(e.getMessage().contains("Metric.VOXELS"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new Options(false, null));
        assertThrows(IllegalArgumentException.class, () -> DistanceTransform.euclidean(v, 300, Options.defaults()));
        assertThrows(IllegalArgumentException.class, () -> DistanceTransform.squaredInto(new boolean[3], 2, 2, 2, 1,
                1, 1, false, new float[8]));
        assertThrows(IllegalArgumentException.class, () -> DistanceTransform.squaredInto(new boolean[8], 2, 2, 2, 0,
                1, 1, false, new float[8]));
    }
}
