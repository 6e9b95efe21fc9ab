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
}
