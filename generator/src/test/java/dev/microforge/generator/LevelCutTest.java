package dev.microforge.generator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.microforge.datasets.Volume;
import dev.microforge.datasets.VoxelSize;
import java.util.Random;
import org.junit.jupiter.api.Test;

class LevelCutTest {
    @Test
    void hitsFractionsToOneVoxelAndOrdersBandsByValue() {
        Random r = new Random(1);
        float[] f = new float[17 * 13 * 11];
        for (int i = 0; i < f.length; i++) {
            f[i] = (float) r.nextGaussian();
        }
        double[] target = {0.35, 0.5, 0.15};
        Volume v = LevelCut.toFractions(f, 17, 13, 11, target, VoxelSize.UNKNOWN);
        long[] counts = v.labelCounts();
        for (int k = 0; k < 3; k++) {
            assertEquals(target[k] * f.length, counts[k], 1.0);
        }
        // every voxel of label 0 is below every voxel of label 1, which are below label 2
        float max0 = Float.NEGATIVE_INFINITY;
        float min1 = Float.POSITIVE_INFINITY;
        for (int i = 0; i < f.length; i++) {
            if (v.get(i) == 0) {
                max0 = Math.max(max0, f[i]);
            } else if (v.get(i) == 1) {
                min1 = Math.min(min1, f[i]);
            }
        }
        assertTrue(max0 <= min1);
    }

    @Test
    void tiesAreBrokenDeterministicallyAndNegativeZeroIsZero() {
        float[] f = {1f, 1f, 1f, 1f, -0f, 0f};
        Volume v = LevelCut.toFractions(f, 6, 1, 1, new double[] {0.5, 0.5}, VoxelSize.UNKNOWN);
        assertEquals(3, v.labelCounts()[0]);
        assertEquals(0, v.get(4));
        assertEquals(0, v.get(5));
        assertEquals(0, v.get(0));
        assertEquals(1, v.get(3));
    }

    @Test
    void badFractionsAreRefused() {
        float[] f = new float[8];
        assertThrows(IllegalArgumentException.class, () -> LevelCut.toFractions(f, 2, 2, 2, new double[] {0.5, 0.6},
                null));
        assertThrows(IllegalArgumentException.class, () -> LevelCut.toFractions(f, 2, 2, 2, new double[] {1.0},
                null));
        assertThrows(IllegalArgumentException.class, () -> LevelCut.toFractions(f, 2, 2, 2,
                new double[] {-0.1, 1.1}, null));
        assertThrows(IllegalArgumentException.class, () -> LevelCut.toFractions(new float[7], 2, 2, 2,
                new double[] {0.5, 0.5}, null));
    }

    private static float[][] gaussianScores(int phases, int n, long seed) {
        Random r = new Random(seed);
        float[][] s = new float[phases][n];
        for (int k = 0; k < phases; k++) {
            for (int i = 0; i < n; i++) {
                s[k][i] = (float) r.nextGaussian();
            }
        }
        return s;
    }

    @Test
    void multiPhaseCutHitsEveryFractionToOneVoxel() {
        for (double[] target : new double[][] {{0.35, 0.5, 0.15}, {0.1, 0.2, 0.3, 0.4}, {0.0, 0.7, 0.3}}) {
            float[][] s = gaussianScores(target.length, 23 * 19 * 7, 2);
            Volume v = LevelCut.toFractions(s, 23, 19, 7, target, VoxelSize.UNKNOWN);
            long[] counts = v.labelCounts();
            for (int k = 0; k < target.length; k++) {
                assertEquals(target[k] * v.voxelCount(), counts[k], 1.0, "phase " + k + " of " + target.length);
            }
        }
    }

    @Test
    void multiPhaseCutAdmitsNoImprovingSwapOfTwoVoxels() {
        // Given random scores for 3 phases on 210 voxels
        float[][] s = gaussianScores(3, 210, 3);
        // When cut to fractions
        Volume v = LevelCut.toFractions(s, 7, 6, 5, new double[] {0.2, 0.5, 0.3}, VoxelSize.UNKNOWN);
        // Then exchanging the labels of any two voxels never raises the total score (pairwise optimality of a
        // maximum-score assignment with these counts)
        double worst = 0;
        for (int i = 0; i < 210; i++) {
            for (int j = 0; j < 210; j++) {
                int a = v.get(i);
                int b = v.get(j);
                if (a != b) {
                    worst = Math.max(worst, (s[b][i] + s[a][j]) - (s[a][i] + s[b][j]));
                }
            }
        }
        assertTrue(worst <= 1e-5, "a swap gains " + worst);
    }

    @Test
    void multiPhaseCutIsTheArgmaxWhenThatAlreadyHasTheFractions() {
        // Given scores whose argmax gives phase i % 4 (counts 1/4 each)
        int n = 4 * 50;
        float[][] s = gaussianScores(4, n, 4);
        for (int i = 0; i < n; i++) {
            s[i % 4][i] += 10;
        }
        Volume v = LevelCut.toFractions(s, 10, 20, 1, new double[] {0.25, 0.25, 0.25, 0.25}, VoxelSize.UNKNOWN);
        for (int i = 0; i < n; i++) {
            assertEquals(i % 4, v.get(i), "voxel " + i);
        }
    }

    @Test
    void twoPhaseScoresCutLikeTheirDifference() {
        float[][] s = gaussianScores(2, 9 * 8 * 7, 5);
        float[] d = new float[s[0].length];
        for (int i = 0; i < d.length; i++) {
            d[i] = s[1][i] - s[0][i];
        }
        double[] target = {0.4, 0.6};
        assertEquals(LevelCut.toFractions(d, 9, 8, 7, target, VoxelSize.UNKNOWN),
                LevelCut.toFractions(s, 9, 8, 7, target, VoxelSize.UNKNOWN));
    }

    @Test
    void kthSmallestIsTheSortedValueAtThatRank() {
        Random r = new Random(3);
        float[][] cases = new float[4][];
        cases[0] = new float[2000];
        for (int i = 0; i < cases[0].length; i++) {
            cases[0][i] = (float) (r.nextGaussian() * Math.pow(10, r.nextInt(12) - 6)); // signs and magnitudes
        }
        cases[1] = new float[500];
        for (int i = 0; i < cases[1].length; i++) {
            cases[1][i] = r.nextInt(5) - 2; // many ties
        }
        cases[2] = new float[] {0f, -0f, -1e-30f, 1e-30f, Float.MAX_VALUE, -Float.MAX_VALUE, Float.NEGATIVE_INFINITY,
            Float.POSITIVE_INFINITY, Float.MIN_VALUE, -Float.MIN_VALUE};
        cases[3] = new float[70000]; // 1000 neighbouring floats: one bin of the first pass, told apart by the second
        for (int i = 0; i < cases[3].length; i++) {
            cases[3][i] = 1f + r.nextInt(1000) * Math.ulp(1f);
        }
        for (float[] values : cases) {
            float[] sorted = values.clone();
            java.util.Arrays.sort(sorted);
            for (int k = 0; k < values.length; k += Math.max(1, values.length / 97)) {
                assertEquals(sorted[k] == 0f ? 0f : sorted[k], LevelCut.kthSmallest(values, values.length, k), 0f,
                        "rank " + k + " of " + values.length);
            }
            for (int k = 0; k + 1 < values.length; k += Math.max(1, values.length / 89)) {
                float[] pair = LevelCut.kthAndNextSmallest(values, values.length, k);
                assertEquals(sorted[k] == 0f ? 0f : sorted[k], pair[0], 0f, "rank " + k + " of " + values.length);
                assertEquals(sorted[k + 1] == 0f ? 0f : sorted[k + 1], pair[1], 0f,
                        "rank " + (k + 1) + " of " + values.length);
            }
            assertEquals(sorted[values.length - 1], LevelCut.kthSmallest(values, values.length, values.length - 1));
        }
        // only the first n values count
        assertEquals(-1f, LevelCut.kthSmallest(new float[] {3f, -1f, -5f}, 2, 0));
        assertThrows(IllegalArgumentException.class, () -> LevelCut.kthSmallest(new float[] {1f}, 1, 1));
        assertThrows(IllegalArgumentException.class, () -> LevelCut.kthAndNextSmallest(new float[] {1f, 2f}, 2, 1));
        assertEquals(3f, LevelCut.kthAndNextSmallest(new float[] {3f, -1f, 0f}, 2, 0)[1]); // the first n only
    }

    @Test
    void multiPhaseBadInputIsRefusedWithWhatWasWrong() {
        float[][] s = gaussianScores(3, 8, 6);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> LevelCut.toFractions(s, 2, 2, 2, new double[] {0.5, 0.5}, null));
        assertTrue(e.getMessage().contains("3 score arrays"), e.getMessage());
        s[1][3] = Float.NaN;
        e = assertThrows(IllegalArgumentException.class,
                () -> LevelCut.toFractions(s, 2, 2, 2, new double[] {0.3, 0.3, 0.4}, null));
        assertTrue(e.getMessage().contains("finite"), e.getMessage());
        assertThrows(IllegalArgumentException.class,
                () -> LevelCut.toFractions(gaussianScores(3, 7, 1), 2, 2, 2, new double[] {0.3, 0.3, 0.4}, null));
    }
}
