package dev.microforge.models.surrogate;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.microforge.datasets.Volume;
import java.util.ArrayDeque;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** Critical radii of channels whose widths are known, and against a brute-force threshold-and-flood. */
class CriticalRadiusTest {

    private static double[] radii(Volume v, int label) {
        boolean[] set = new boolean[256];
        set[label] = true;
        return CriticalRadius.of(v.toArray(), v.nx(), set);
    }

    /** A 5x5 channel along z has city-block distances 1, 2, 3 from its wall to its axis; it spans z only. */
    @Test
    void aStraightChannelHasItsHalfWidth() {
        Volume v = Volume.generate(12, 12, 12, (x, y, z) -> x >= 3 && x < 8 && y >= 4 && y < 9 ? 1 : 0);
        assertArrayEquals(new double[] {CriticalRadius.UNCONNECTED, CriticalRadius.UNCONNECTED, 3}, radii(v, 1), 0);
        // the pore around it: along x the row y = 0 lies 4 from the channel (the cube's faces are not walls), along
        // y the column x = 11, and along z the edge (11, 0) lies 4 + 4 from the channel's corner (7, 4)
        assertArrayEquals(new double[] {4, 4, 8}, radii(v, 0), 0);
    }

    /** The same channel narrowed to a 3x3 neck, then to a single voxel, at one layer: the neck sets the radius. */
    @Test
    void aNeckSetsTheRadius() {
        Volume neck3 = Volume.generate(12, 12, 12, (x, y, z) -> (z == 6 ? x >= 4 && x < 7 && y >= 5 && y < 8
                : x >= 3 && x < 8 && y >= 4 && y < 9) ? 1 : 0);
        assertEquals(2, radii(neck3, 1)[2], 0);
        Volume neck1 = Volume.generate(12, 12, 12, (x, y, z) -> (z == 6 ? x == 5 && y == 6
                : x >= 3 && x < 8 && y >= 4 && y < 9) ? 1 : 0);
        assertEquals(1, radii(neck1, 1)[2], 0);
        Volume cut = Volume.generate(12, 12, 12, (x, y, z) -> z != 6 && x >= 3 && x < 8 && y >= 4 && y < 9 ? 1 : 0);
        assertEquals(CriticalRadius.UNCONNECTED, radii(cut, 1)[2], 0);
    }

    /** A set that fills the cube has no wall: it gets the centre distance of a channel as wide as the cube. */
    @Test
    void aFullCubeGetsHalfItsEdge() {
        Volume v = Volume.generate(7, 7, 7, (x, y, z) -> 1);
        assertArrayEquals(new double[] {4, 4, 4}, radii(v, 1), 0);
        assertArrayEquals(new double[] {CriticalRadius.UNCONNECTED, CriticalRadius.UNCONNECTED,
            CriticalRadius.UNCONNECTED}, radii(v, 0), 0);
        assertThrows(IllegalArgumentException.class, () -> CriticalRadius.of(new byte[1], 1, new boolean[256]));
    }

    /**
     * On random sets, the sweep equals the definition computed the slow way: each voxel's distance as the least
     * city-block distance to any voxel outside the set, then for each level from the largest down a flood fill of the
     * voxels at that level or more from the inlet face, until it reaches the outlet face.
     */
    @Test
    void theSweepEqualsThresholdAndFlood() {
        for (int seed = 0; seed < 6; seed++) {
            SplittableRandom r = new SplittableRandom(seed);
            int n = 9;
            double p = 0.35 + 0.08 * seed;
            // blobs: a random set smoothed by a majority vote, so that distances above 1 occur
            boolean[] raw = new boolean[n * n * n];
            for (int i = 0; i < raw.length; i++) {
                raw[i] = r.nextDouble() < p;
            }
            Volume v = Volume.generate(n, n, n, (x, y, z) -> {
                int count = 0;
                int total = 0;
                for (int dz = -1; dz <= 1; dz++) {
                    for (int dy = -1; dy <= 1; dy++) {
                        for (int dx = -1; dx <= 1; dx++) {
                            int a = x + dx;
                            int b = y + dy;
                            int c = z + dz;
                            if (a >= 0 && a < n && b >= 0 && b < n && c >= 0 && c < n) {
                                total++;
                                count += raw[a + n * (b + n * c)] ? 1 : 0;
                            }
                        }
                    }
                }
                return 2 * count > total ? 1 : 0;
            });
            for (int label = 0; label < 2; label++) {
                assertArrayEquals(slow(v, label), radii(v, label), 0, "seed " + seed + " label " + label);
            }
        }
    }

    private static double[] slow(Volume v, int label) {
        int n = v.nx();
        int[] d = new int[n * n * n];
        boolean anyOutside = false;
        for (int i = 0; i < d.length; i++) {
            anyOutside |= v.get(i % n, (i / n) % n, i / (n * n)) != label;
        }
        for (int i = 0; i < d.length; i++) {
            int x = i % n;
            int y = (i / n) % n;
            int z = i / (n * n);
            if (v.get(x, y, z) != label) {
                d[i] = 0;
                continue;
            }
            int best = anyOutside ? Integer.MAX_VALUE : (n + 1) / 2;
            for (int j = 0; j < d.length; j++) {
                int a = j % n;
                int b = (j / n) % n;
                int c = j / (n * n);
                if (v.get(a, b, c) != label) {
                    best = Math.min(best, Math.abs(a - x) + Math.abs(b - y) + Math.abs(c - z));
                }
            }
            d[i] = best;
        }
        int top = 0;
        for (int x : d) {
            top = Math.max(top, x);
        }
        double[] out = {CriticalRadius.UNCONNECTED, CriticalRadius.UNCONNECTED, CriticalRadius.UNCONNECTED};
        for (int axis = 0; axis < 3; axis++) {
            for (int level = top; level >= 1; level--) {
                if (spans(d, n, level, axis)) {
                    out[axis] = level;
                    break;
                }
            }
        }
        return out;
    }

    private static boolean spans(int[] d, int n, int level, int axis) {
        boolean[] seen = new boolean[d.length];
        ArrayDeque<int[]> queue = new ArrayDeque<>();
        for (int i = 0; i < d.length; i++) {
            int[] c = {i % n, (i / n) % n, i / (n * n)};
            if (c[axis] == 0 && d[i] >= level) {
                seen[i] = true;
                queue.add(c);
            }
        }
        int[][] steps = {{1, 0, 0}, {-1, 0, 0}, {0, 1, 0}, {0, -1, 0}, {0, 0, 1}, {0, 0, -1}};
        while (!queue.isEmpty()) {
            int[] c = queue.poll();
            if (c[axis] == n - 1) {
                return true;
            }
            for (int[] s : steps) {
                int a = c[0] + s[0];
                int b = c[1] + s[1];
                int e = c[2] + s[2];
                if (a >= 0 && a < n && b >= 0 && b < n && e >= 0 && e < n) {
                    int j = a + n * (b + n * e);
                    if (!seen[j] && d[j] >= level) {
                        seen[j] = true;
                        queue.add(new int[] {a, b, e});
                    }
                }
            }
        }
        return false;
    }
}
