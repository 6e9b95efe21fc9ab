package dev.microforge.models.surrogate;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.microforge.datasets.Volume;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Minimum cuts known by construction, and against an independent Edmonds-Karp on the same block graph. */
@Timeout(value = 120, unit = TimeUnit.SECONDS) // a broken search can loop forever: fail instead of hanging
class MinimumCutTest {

    private static final boolean[] ONE = new boolean[256];

    static {
        ONE[1] = true;
    }

    private static long cut(Volume v, int axis, int block) {
        return MinimumCut.of(v.toArray(), v.nx(), ONE, axis, block);
    }

    /**
     * The block graph counted from bit rows has the capacities and faces of the one counted voxel by voxel, at even and
     * odd edges (a partial last block), sparse to dense, and so the same cuts.
     */
    @Test
    void theGraphFromBitRowsIsTheGraphFromLabels() {
        SplittableRandom r = new SplittableRandom(17);
        int compared = 0;
        for (int n : new int[] {3, 4, 5, 9, 16, 33, 63, 64}) {
            for (double solid : new double[] {0.1, 0.5, 0.8, 1.0}) {
                Volume v = Volume.generate(n, n, n, (x, y, z) -> r.nextDouble() < solid ? 1 + r.nextInt(2) : 0);
                byte[] labels = v.toArray();
                MinimumCut.Graph voxels = new MinimumCut.Graph(labels, n, GeodesicTortuosity.SOLID, 2);
                MinimumCut.Graph bits = new MinimumCut.Graph(BitRows.alongX(labels, n, GeodesicTortuosity.SOLID));
                String what = "edge " + n + ", solid " + solid;
                assertArrayEquals(voxels.capacity, bits.capacity, what + ": capacities");
                assertArrayEquals(voxels.faces, bits.faces, what + ": faces");
                compared++;
            }
        }
        assertEquals(32, compared);
        assertThrows(IllegalArgumentException.class, () -> new MinimumCut.Graph(BitRows.alongX(new byte[8], 2,
                GeodesicTortuosity.SOLID)));
        assertThrows(IllegalArgumentException.class,
                () -> new MinimumCut.Graph(BitRows.poreAndSolid(Volume.filled(4, 4, 4, 1))[3]));
    }

    /** A full cube is cut through a whole plane of n² faces, at any block size (7 leaves partial blocks). */
    @Test
    void aFullCubeIsCutThroughAPlane() {
        for (int n : new int[] {7, 8}) {
            Volume v = Volume.generate(n, n, n, (x, y, z) -> 1);
            for (int block = 1; block <= 3; block++) {
                for (int a = 0; a < 3; a++) {
                    assertEquals((long) n * n, cut(v, a, block), "n " + n + " block " + block + " axis " + a);
                }
            }
        }
    }

    /**
     * Two slabs across y joined by k single-voxel necks (at y = 3 and 4, across a block boundary) are cut through the
     * necks: k faces, at blocks of 1 and 2; a slab that reaches one face only is not cut at all.
     */
    @Test
    void necksBetweenTwoSlabsAreTheCut() {
        int n = 12;
        for (int k : new int[] {1, 4, 9}) {
            Volume v = Volume.generate(n, n, n, (x, y, z) -> y <= 2 || y >= 5 || neck(x, z, k) ? 1 : 0);
            assertEquals(k, cut(v, 1, 1), "voxel graph, k " + k);
            assertEquals(k, cut(v, 1, 2), "blocks of 2, k " + k);
            // along x the necks add nothing: the slabs' rows, straight and disjoint, fill a plane between the necks
            assertEquals(3L * n + (n - 5L) * n, cut(v, 0, 1));
            assertEquals(3L * n + (n - 5L) * n, cut(v, 0, 2));
            // the surrogate's descriptor: k faces of n², below the cap of n² / 8
            assertEquals(k / (double) (n * n), MinimumCut.solid(v)[1], 0);
        }
        Volume half = Volume.generate(n, n, n, (x, y, z) -> y <= 2 ? 1 : 0);
        assertEquals(0, cut(half, 1, 2));
        assertEquals(MinimumCut.UNCONNECTED / (n * n), MinimumCut.solid(half)[1], 0);
    }

    /** Neck k of a 3x3 grid of columns at x, z in {1, 5, 9}: the first k of them. */
    private static boolean neck(int x, int z, int k) {
        if (x % 4 != 1 || z % 4 != 1) {
            return false;
        }
        return (x / 4) + 3 * (z / 4) < k;
    }

    /** A capped flow stops at the cap or later, and below the cap it is the full cut; the descriptor is capped. */
    @Test
    void aCapStopsTheFlowAndTheDescriptorSaturates() {
        int n = 16;
        Volume v = Volume.generate(n, n, n, (x, y, z) -> 1);
        MinimumCut.Graph g = new MinimumCut.Graph(v.toArray(), n, ONE, 2);
        long cap = 40;
        long capped = g.maxFlow(0, cap);
        assertTrue(capped >= cap && capped < cap + 4, "capped flow " + capped);
        assertEquals(256, g.maxFlow(0), "the graph is left as it was");
        assertEquals(256, g.maxFlow(0, 1000));
        assertArrayEquals(new double[] {MinimumCut.CAP, MinimumCut.CAP, MinimumCut.CAP}, MinimumCut.solid(v), 0);
    }

    /**
     * On random volumes, Boykov-Kolmogorov equals Edmonds-Karp on the block graph built independently (a map of
     * block pairs), for blocks of 1, 2 and 3 and edges that the blocks divide or not; and contracting blocks never
     * lowers the cut (blocks of 2 contain blocks of 1).
     */
    @Test
    void agreesWithEdmondsKarpAndContractionNeverLowersTheCut() {
        for (int seed = 0; seed < 9; seed++) {
            SplittableRandom r = new SplittableRandom(seed);
            int n = 9 + seed % 3;
            double p = 0.35 + 0.05 * seed;
            Volume v = Volume.generate(n, n, n, (x, y, z) -> r.nextDouble() < p ? 1 : 0);
            for (int a = 0; a < 3; a++) {
                long[] byBlock = new long[4];
                for (int block = 1; block <= 3; block++) {
                    byBlock[block] = cut(v, a, block);
                    assertEquals(edmondsKarp(v, a, block), byBlock[block],
                            "seed " + seed + " axis " + a + " block " + block);
                }
                assertTrue(byBlock[1] <= byBlock[2], "seed " + seed + " axis " + a);
            }
        }
    }

    /**
     * The tree search alone (no greedy passes, which find the whole flow on the small volumes above) equals
     * Edmonds-Karp on volumes of edge 14-20 around the percolation threshold, where its orphans and adoptions do the
     * work; capped, it stops at or above the cap and never above the maximum.
     */
    @Test
    void theTreeSearchAloneAgreesWithEdmondsKarp() {
        for (int seed = 0; seed < 12; seed++) {
            SplittableRandom r = new SplittableRandom(100 + seed);
            int n = 14 + seed % 7;
            double p = 0.30 + 0.03 * seed;
            Volume v = Volume.generate(n, n, n, (x, y, z) -> r.nextDouble() < p ? 1 : 0);
            int block = 1 + seed % 2;
            MinimumCut.Graph g = new MinimumCut.Graph(v.toArray(), n, ONE, block);
            for (int a = 0; a < 3; a++) {
                long expected = edmondsKarp(v, a, block);
                String where = "seed " + seed + " axis " + a;
                assertEquals(expected, g.maxFlow(a, Long.MAX_VALUE, false), where);
                assertEquals(expected, g.maxFlow(a), where);
                long cap = Math.max(1, expected / 2);
                long capped = g.maxFlow(a, cap, false);
                assertTrue(capped >= Math.min(cap, expected) && capped <= expected, where + ": capped " + capped);
            }
        }
    }

    /** Swapping x and z of the volume swaps the cuts along x and z. */
    @Test
    void swappingAxesSwapsTheCuts() {
        SplittableRandom r = new SplittableRandom(5);
        int n = 14;
        byte[] labels = new byte[n * n * n];
        for (int i = 0; i < labels.length; i++) {
            labels[i] = (byte) (r.nextDouble() < 0.62 ? 1 + r.nextInt(2) : 0);
        }
        Volume v = Volume.of(n, n, n, labels);
        Volume t = Volume.generate(n, n, n, (x, y, z) -> labels[z + n * (y + n * x)]);
        double[] a = MinimumCut.solid(v);
        double[] b = MinimumCut.solid(t);
        assertArrayEquals(new double[] {a[2], a[1], a[0]}, b, 0);
    }

    /** A 2³ cube (an input size the architecture allows) is cut on the voxel graph, having no two blocks of 2. */
    @Test
    void aTwoVoxelCubeIsCutOnVoxels() {
        Volume v = Volume.generate(2, 2, 2, (x, y, z) -> x == 0 && y == 0 ? 1 : 0);
        // the column x = y = 0 along z: one face; along x and y the solid does not join the faces
        double none = MinimumCut.UNCONNECTED / 4;
        // (the cap, an eighth of 4 faces, rounds to 1 face)
        assertArrayEquals(new double[] {none, none, 1.0 / 4}, MinimumCut.solid(v), 0);
    }

    @Test
    void badShapesAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> MinimumCut.of(new byte[8], 2, ONE, 0, 2));
        assertThrows(IllegalArgumentException.class, () -> MinimumCut.of(new byte[27], 3, ONE, 3, 1));
        assertThrows(IllegalArgumentException.class, () -> MinimumCut.of(new byte[26], 3, ONE, 0, 1));
        assertThrows(IllegalArgumentException.class, () -> MinimumCut.of(new byte[27], 3, ONE, 0, 0));
    }

    /**
     * The reference: block nodes {@code bx + m (by + m bz)}, capacities summed per unordered block pair in a map, a
     * super source and sink joined (unbounded) to the blocks with set voxels on the inlet and outlet faces, and
     * shortest augmenting paths (Edmonds and Karp, J. ACM 19 (1972) 248).
     */
    private static long edmondsKarp(Volume v, int axis, int block) {
        int n = v.nx();
        int m = (n + block - 1) / block;
        int blocks = m * m * m;
        int source = blocks;
        int sink = blocks + 1;
        long unbounded = Long.MAX_VALUE / 4;
        Map<Long, Long> capacity = new HashMap<>();
        List<List<Integer>> next = new ArrayList<>();
        for (int i = 0; i < blocks + 2; i++) {
            next.add(new ArrayList<>());
        }
        int[][] unit = {{1, 0, 0}, {0, 1, 0}, {0, 0, 1}};
        for (int z = 0; z < n; z++) {
            for (int y = 0; y < n; y++) {
                for (int x = 0; x < n; x++) {
                    if (v.get(x, y, z) != 1) {
                        continue;
                    }
                    int[] c = {x, y, z};
                    int b = x / block + m * (y / block + m * (z / block));
                    if (c[axis] == 0) {
                        add(capacity, next, source, b, unbounded);
                    }
                    if (c[axis] == n - 1) {
                        add(capacity, next, b, sink, unbounded);
                    }
                    for (int[] u : unit) {
                        int x2 = x + u[0];
                        int y2 = y + u[1];
                        int z2 = z + u[2];
                        if (x2 < n && y2 < n && z2 < n && v.get(x2, y2, z2) == 1) {
                            int b2 = x2 / block + m * (y2 / block + m * (z2 / block));
                            if (b2 != b) {
                                add(capacity, next, b, b2, 1);
                                add(capacity, next, b2, b, 1);
                            }
                        }
                    }
                }
            }
        }
        long flow = 0;
        while (true) {
            int[] from = new int[blocks + 2];
            java.util.Arrays.fill(from, -1);
            from[source] = source;
            ArrayDeque<Integer> queue = new ArrayDeque<>(List.of(source));
            while (!queue.isEmpty() && from[sink] < 0) {
                int u = queue.poll();
                for (int w : next.get(u)) {
                    if (from[w] < 0 && capacity.getOrDefault(key(u, w), 0L) > 0) {
                        from[w] = u;
                        queue.add(w);
                    }
                }
            }
            if (from[sink] < 0) {
                return flow;
            }
            long least = unbounded;
            for (int w = sink; w != source; w = from[w]) {
                least = Math.min(least, capacity.get(key(from[w], w)));
            }
            for (int w = sink; w != source; w = from[w]) {
                capacity.merge(key(from[w], w), -least, Long::sum);
                capacity.merge(key(w, from[w]), least, Long::sum);
            }
            flow += least;
        }
    }

    private static void add(Map<Long, Long> capacity, List<List<Integer>> next, int u, int w, long c) {
        if (!capacity.containsKey(key(u, w))) {
            next.get(u).add(w);
            next.get(w).add(u);
            capacity.putIfAbsent(key(w, u), 0L);
            capacity.put(key(u, w), 0L);
        }
        capacity.merge(key(u, w), c, (a, b) -> Math.min(Long.MAX_VALUE / 4, a + b));
    }

    private static long key(int u, int w) {
        return (long) u << 32 | w;
    }
}
