package dev.microforge.models.surrogate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.microforge.datasets.Volume;
import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** Geodesic tortuosity on paths whose length is known, and against an independent relaxation of the distances. */
class GeodesicTortuosityTest {

    private static double tau(Volume v, int label, int axis) {
        boolean[] set = new boolean[256];
        set[label] = true;
        int n = v.nx();
        return GeodesicTortuosity.of(v.toArray(), n, set, axis);
    }

    @Test
    void aFullPhaseRunsStraight() {
        Volume v = Volume.generate(6, 6, 6, (x, y, z) -> 1);
        for (int a = 0; a < 3; a++) {
            assertEquals(1.0, tau(v, 1, a), 0);
        }
        assertEquals(GeodesicTortuosity.UNCONNECTED, tau(v, 0, 2), 0);
    }

    /** Up 2 voxels in z, across 4 in x, up 2 more: 8 steps over a straight distance of 4. */
    @Test
    void aDetourHasItsLength() {
        Volume v = Volume.generate(5, 5, 5, (x, y, z) -> y == 0 && ((x == 0 && z <= 2) || (z == 2)
                || (x == 4 && z >= 2)) ? 1 : 0);
        assertEquals(2.0, tau(v, 1, 2), 0);
        // along x: from the inlet voxels (0, 0, z <= 2), the outlet voxels (4, 0, 2), (4, 0, 3), (4, 0, 4) are 4, 5
        // and 6 steps away
        assertEquals((4 + 5 + 6) / 3.0 / 4, tau(v, 1, 0), 1e-12);
        assertEquals(GeodesicTortuosity.UNCONNECTED, tau(v, 1, 1), 0);
    }

    /**
     * One path through the whole cube: in every even z layer a serpentine over the rows y = 0, 2, ..., 62 (joined at
     * alternate ends), consecutive serpentines joined through one voxel of the odd layer between them. The outlet
     * voxel (0, 0, 63) is 64,481 steps from the inlet layer.
     */
    @Test
    void aSerpentineThroughTheWholeCubeHasItsLength() {
        int n = 64;
        Volume v = serpentine(n);
        // in a layer: 32 rows of 63 steps and 31 joints of 2 steps; between serpentines 2 steps
        int layer = 32 * 63 + 31 * 2;
        double steps = 2 + 30 * (layer + 2) + layer + 1;
        assertEquals(64481, steps, 0);
        assertEquals(steps / (n - 1), tau(v, 1, 2), 1e-12);
    }

    /** The serpentine of {@link #aSerpentineThroughTheWholeCubeHasItsLength} (label 1) in a cube of edge n. */
    static Volume serpentine(int n) {
        return Volume.generate(n, n, n, (x, y, z) -> {
            if (z % 2 == 0) {
                boolean row = y % 2 == 0;
                boolean joint = y % 2 == 1 && (y % 4 == 1 ? x == n - 1 : x == 0);
                return row || joint ? 1 : 0;
            }
            return x == 0 && y == (z % 4 == 1 ? n - 2 : 0) ? 1 : 0;
        });
    }

    @Test
    void breadthFirstDistancesEqualARelaxationOfTheGraph() {
        SplittableRandom r = new SplittableRandom(5);
        int n = 11;
        Volume v = Volume.generate(n, n, n, (x, y, z) -> r.nextDouble() < 0.62 ? 1 : 0);
        for (int a = 0; a < 3; a++) {
            double expected = relaxed(v, 1, a);
            assertEquals(expected, tau(v, 1, a), 1e-12);
            assertTrue(expected > 1.05, "a random phase is not straight: " + expected);
        }
        assertThrows(IllegalArgumentException.class, () -> GeodesicTortuosity.of(new byte[1], 1, new boolean[256], 0));
    }

    /** Distances by sweeping d(j) = min(d(j), d(i) + 1) over every edge until nothing changes (Bellman-Ford). */
    private static double relaxed(Volume v, int label, int axis) {
        int n = v.nx();
        int[] d = new int[n * n * n];
        Arrays.fill(d, Integer.MAX_VALUE);
        int[] c = new int[3];
        for (int z = 0; z < n; z++) {
            for (int y = 0; y < n; y++) {
                for (int x = 0; x < n; x++) {
                    c[0] = x;
                    c[1] = y;
                    c[2] = z;
                    if (c[axis] == 0 && v.get(x, y, z) == label) {
                        d[x + n * (y + n * z)] = 0;
                    }
                }
            }
        }
        boolean changed = true;
        int[][] steps = {{1, 0, 0}, {-1, 0, 0}, {0, 1, 0}, {0, -1, 0}, {0, 0, 1}, {0, 0, -1}};
        while (changed) {
            changed = false;
            for (int z = 0; z < n; z++) {
                for (int y = 0; y < n; y++) {
                    for (int x = 0; x < n; x++) {
                        int i = x + n * (y + n * z);
                        if (v.get(x, y, z) != label || d[i] == Integer.MAX_VALUE) {
                            continue;
                        }
                        for (int[] s : steps) {
                            int xx = x + s[0];
                            int yy = y + s[1];
                            int zz = z + s[2];
                            if (xx < 0 || yy < 0 || zz < 0 || xx >= n || yy >= n || zz >= n
                                    || v.get(xx, yy, zz) != label) {
                                continue;
                            }
                            int j = xx + n * (yy + n * zz);
                            if (d[i] + 1 < d[j]) {
                                d[j] = d[i] + 1;
                                changed = true;
                            }
                        }
                    }
                }
            }
        }
        double sum = 0;
        int count = 0;
        for (int z = 0; z < n; z++) {
            for (int y = 0; y < n; y++) {
                for (int x = 0; x < n; x++) {
                    c[0] = x;
                    c[1] = y;
                    c[2] = z;
                    int i = x + n * (y + n * z);
                    if (c[axis] == n - 1 && d[i] != Integer.MAX_VALUE) {
                        sum += d[i];
                        count++;
                    }
                }
            }
        }
        return count == 0 ? GeodesicTortuosity.UNCONNECTED : sum / count / (n - 1);
    }
}
