package dev.microforge.models;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

/** Both paddings against values written out by hand, including a latent thinner than the margin. */
class LatentPaddingTest {

    @Test
    void mirrorRepeatsTheEdgeAndReflects() {
        // one channel, nx = 3, ny = nz = 1: x values 1, 2, 3; margin 2 -> 2 1 | 1 2 3 | 3 2
        float[] v = {1, 2, 3};
        float[] row = LatentPadding.mirror(v, 1, 3, 1, 1, 2);
        // (nz + 4) * (ny + 4) rows of 7, each row a mirror copy of the only row
        float[] expectedRow = {2, 1, 1, 2, 3, 3, 2};
        for (int r = 0; r < 25; r++) {
            float[] got = new float[7];
            System.arraycopy(row, r * 7, got, 0, 7);
            assertArrayEquals(expectedRow, got);
        }
        // a single voxel repeats itself; margin 3 on a 2-voxel axis folds back and forth: b b a | a b | b a a
        float[] sevens = new float[27];
        java.util.Arrays.fill(sevens, 7f);
        assertArrayEquals(sevens, LatentPadding.mirror(new float[] {7}, 1, 1, 1, 1, 1));
        float[] two = LatentPadding.mirror(new float[] {4, 5}, 1, 2, 1, 1, 3);
        float[] middle = new float[8];
        System.arraycopy(two, (3 * 7 + 3) * 8, middle, 0, 8);
        assertArrayEquals(new float[] {5, 5, 4, 4, 5, 5, 4, 4}, middle);
    }

    @Test
    void circularTakesTheOppositeSideAndChannelsStaySeparate() {
        // two channels, nx = 3: channel 0 = 1 2 3, channel 1 = 10 20 30; margin 1 -> 3 1 2 3 1
        float[] v = {1, 2, 3, 10, 20, 30};
        float[] p = LatentPadding.circular(v, 2, 3, 1, 1, 1);
        int perChannel = 3 * 3 * 5;
        float[] c0 = new float[5];
        float[] c1 = new float[5];
        System.arraycopy(p, (1 * 3 + 1) * 5, c0, 0, 5);
        System.arraycopy(p, perChannel + (1 * 3 + 1) * 5, c1, 0, 5);
        assertArrayEquals(new float[] {3, 1, 2, 3, 1}, c0);
        assertArrayEquals(new float[] {30, 10, 20, 30, 10}, c1);
    }

    @Test
    void badArgumentsAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> LatentPadding.mirror(new float[] {1, 2}, 1, 3, 1, 1, 1));
        assertThrows(IllegalArgumentException.class, () -> LatentPadding.circular(new float[] {1}, 1, 1, 1, 1, -1));
    }
}
