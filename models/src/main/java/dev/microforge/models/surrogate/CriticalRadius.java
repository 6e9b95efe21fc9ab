package dev.microforge.models.surrogate;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Critical (bottleneck) radius of a phase set along an axis: the largest distance {@code d} to the set's boundary
 * such that the set's voxels at distance {@code d} or more still connect the inlet face ({@code c = 0}) to the outlet
 * face ({@code c = n - 1}). It is the radius of the widest sphere that can pass through the set from face to face:
 * the breakthrough radius of simulated mercury intrusion (Münch and Holzer, J. Am. Ceram. Soc. 91 (2008) 4059), the
 * critical length of percolation theory that sets a porous medium's conductivity and permeability (Katz and
 * Thompson, Phys. Rev. B 34 (1986) 8179), and the bottleneck size behind the constrictivity of Stenzel et al.,
 * AIChE J. 62 (2016) 1834. A phase that barely percolates passes through narrow necks and has a small one however
 * coarse its particles are, which its fraction, surface density and geodesic tortuosity do not see.
 *
 * <p>Distances are city-block (6-neighbour steps, {@link GeodesicTortuosity#spread}) from the nearest voxel of the
 * cube outside the set: a set voxel with such a 6-neighbour has distance 1. The cube's faces are not boundaries (the
 * set goes on beyond them). Then one sweep over the set's voxels at distance 2 or more, in decreasing distance, joins
 * them with a union-find (by size, path halving) whose roots record which of the six faces their cluster touches; the
 * distance at which a cluster first touches both faces of an axis is that axis's critical radius, for the three axes
 * in one sweep. An axis no cluster spans by then has radius 1 if the whole set joins its faces (what the geodesic
 * search found: {@link GeodesicTortuosity#UNCONNECTED} or not), else {@link #UNCONNECTED}; so the voxels at distance
 * 1, most of a thin or noisy phase, never enter the sweep. {@code O(n³ α)} time, three {@code int[(n+2)³]} buffers
 * besides the mask. Cubes of edge up to 64 take the same values from distance levels by bit-parallel erosion and
 * floods instead ({@link #poreAndSolid(BitRows[], double[])}): 2 ms instead of 13 for the pore and the solid of a 64³
 * design.
 */
final class CriticalRadius {

    /** The value given to an axis whose faces the set does not connect (below the least radius, 1). */
    static final double UNCONNECTED = 0.5;

    private CriticalRadius() {
    }

    /**
     * The critical radius of the voxels whose label is in {@code set}, along x, y and z.
     *
     * @param labels a cube of edge {@code n} (index {@code x + n (y + n z)}), labels read unsigned
     * @param n edge, at least 2
     * @param set {@code set[label]} is true for the labels of the phase set (length 256)
     * @return {@code [x, y, z]} radii in voxels (city-block distance levels, at least 1) or {@link #UNCONNECTED}
     */
    static double[] of(byte[] labels, int n, boolean[] set) {
        if (n < 2) {
            throw new IllegalArgumentException("critical radius needs an edge of at least 2 voxels, got " + n);
        }
        boolean[] joins = new boolean[3];
        for (int a = 0; a < 3; a++) {
            joins[a] = GeodesicTortuosity.of(labels, n, set, a) != GeodesicTortuosity.UNCONNECTED;
        }
        int[] mask = GeodesicTortuosity.mask(labels, n, set);
        int size = mask.length;
        return of(mask, n, joins, new int[size], new int[size], new int[size]);
    }

    /**
     * The six descriptors of the surrogate's baseline: pore (label 0) then solid (every other label), each along x, y
     * and z.
     *
     * @param masks {@link GeodesicTortuosity#poreAndSolidMasks} of a cube of edge {@code n}, overwritten
     * @param n the edge
     * @param geodesic the volume's {@link GeodesicTortuosity#poreAndSolid} (which of the sets join which faces)
     * @return {@code [pore x, pore y, pore z, solid x, solid y, solid z]}
     */
    static double[] poreAndSolid(int[][] masks, int n, double[] geodesic) {
        int[] queue = new int[masks[0].length];
        int[] parent = new int[queue.length];
        int[] faces = new int[queue.length];
        boolean[] joins = new boolean[6];
        for (int i = 0; i < 6; i++) {
            joins[i] = geodesic[i] != GeodesicTortuosity.UNCONNECTED;
        }
        double[] p = of(masks[0], n, Arrays.copyOfRange(joins, 0, 3), queue, parent, faces);
        double[] s = of(masks[1], n, Arrays.copyOfRange(joins, 3, 6), queue, parent, faces);
        return new double[] {p[0], p[1], p[2], s[0], s[1], s[2]};
    }

    /**
     * The six descriptors of {@link #poreAndSolid(int[][], int, double[])} on {@link BitRows} (edges up to 64), the
     * same values: the distance levels by erosion (the voxels at distance {@code k + 1} or more are those at {@code k}
     * or more whose six neighbours are too, a voxel beyond the cube counting as one of the set), 64 voxels per
     * operation; then for each axis, from the highest level down, a flood from the inlet face through the level's
     * voxels, kept from one level to the next (a voxel reached at a level is reached at every lower one), until it
     * touches the outlet face: the radius is that level. A flood fills a row's run of voxels at once and passes it
     * to the four rows beside.
     *
     * @param sets {@link BitRows#poreAndSolid} of a cube
     * @param geodesic the cube's {@link GeodesicTortuosity#poreAndSolid} (which of the sets join which faces)
     * @return {@code [pore x, pore y, pore z, solid x, solid y, solid z]}
     */
    static double[] poreAndSolid(BitRows[] sets, double[] geodesic) {
        double[] out = new double[6];
        for (int s = 0; s < 2; s++) {
            long[][] levels = levels(sets[2 * s]);
            for (int a = 0; a < 3; a++) {
                boolean joins = geodesic[3 * s + a] != GeodesicTortuosity.UNCONNECTED;
                out[3 * s + a] = levels == null ? full(sets[0].n(), joins) : radius(sets[2 * s], levels, a, joins);
            }
        }
        return out;
    }

    /** The radius of a set that fills the cube (no distance from a voxel outside it): the centre of the cube. */
    private static double full(int n, boolean joins) {
        int far = (n + 1) / 2;
        return far >= 2 ? far : joins ? 1 : UNCONNECTED;
    }

    /**
     * The distance levels of a set along x: {@code levels[k - 1]} holds the voxels at distance {@code k} or more, up
     * to the largest distance; null when the set fills the cube.
     */
    private static long[][] levels(BitRows set) {
        int n = set.n();
        int m = set.m();
        long full = set.full();
        long last = 1L << (n - 1);
        long[] level = set.rows();
        boolean filled = true;
        for (int v = 0; v < n && filled; v++) {
            for (int u = 0; u < n; u++) {
                filled &= level[set.row(u, v)] == full;
            }
        }
        if (filled) {
            return null;
        }
        List<long[]> levels = new ArrayList<>();
        levels.add(level);
        // the level with full border rows: beyond the cube is never outside the set
        long[] padded = new long[level.length];
        Arrays.fill(padded, full);
        while (true) {
            for (int v = 0; v < n; v++) {
                int r = set.row(0, v);
                System.arraycopy(level, r, padded, r, n);
            }
            long[] next = new long[level.length];
            boolean any = false;
            for (int v = 0; v < n; v++) {
                int r = set.row(0, v);
                for (int u = 0; u < n; u++, r++) {
                    long x = padded[r];
                    if (x != 0) {
                        long e = x & (x << 1 | 1) & (x >>> 1 | last) & padded[r - 1] & padded[r + 1]
                                & padded[r - m] & padded[r + m];
                        next[r] = e;
                        any |= e != 0;
                    }
                }
            }
            if (!any) {
                return levels.toArray(long[][]::new);
            }
            levels.add(next);
            level = next;
        }
    }

    /** The critical radius along axis {@code a} from the levels of a set along x. */
    private static double radius(BitRows set, long[][] levels, int a, boolean joins) {
        int n = set.n();
        int m = set.m();
        long full = set.full();
        long last = 1L << (n - 1);
        long[] reach = new long[levels[0].length];
        long[] pending = new long[reach.length];
        int[] stack = new int[reach.length];
        for (int k = levels.length; k >= 2; k--) {
            long[] level = levels[k - 1];
            int top = 0;
            // seeds: the level's voxels not reached yet on the inlet face or beside a reached voxel
            for (int v = 0; v < n; v++) {
                int r = set.row(0, v);
                for (int u = 0; u < n; u++, r++) {
                    long open = level[r] & ~reach[r];
                    if (open == 0) {
                        continue;
                    }
                    long inlet = a == 0 ? 1 : (a == 1 ? u : v) == 0 ? full : 0;
                    long beside = reach[r] << 1 | reach[r] >>> 1 | reach[r - 1] | reach[r + 1] | reach[r - m]
                            | reach[r + m];
                    long seeds = open & (inlet | beside);
                    if (seeds != 0) {
                        pending[r] = seeds;
                        stack[top++] = r;
                    }
                }
            }
            while (top > 0) {
                int r = stack[--top];
                long open = level[r] & ~reach[r];
                long f = pending[r] & open;
                pending[r] = 0;
                if (f == 0) {
                    continue;
                }
                // the runs of the row's open voxels that hold a seed
                for (long g = f | (f << 1 | f >>> 1) & open; g != f; g = f | (f << 1 | f >>> 1) & open) {
                    f = g;
                }
                reach[r] |= f;
                boolean outlet = a == 0 ? (f & last) != 0 : (a == 1 ? r % m : r / m) == n;
                if (outlet) {
                    return k;
                }
                top = pass(f, r - 1, level, reach, pending, stack, top);
                top = pass(f, r + 1, level, reach, pending, stack, top);
                top = pass(f, r - m, level, reach, pending, stack, top);
                top = pass(f, r + m, level, reach, pending, stack, top);
            }
        }
        return joins ? 1 : UNCONNECTED;
    }

    /** Passes the voxels {@code f} of a row to row {@code q} beside it, stacking {@code q} when it gains some. */
    private static int pass(long f, int q, long[] level, long[] reach, long[] pending, int[] stack, int top) {
        long t = f & level[q] & ~reach[q];
        if (t != 0) {
            if (pending[q] == 0) {
                stack[top++] = q;
            }
            pending[q] |= t;
        }
        return top;
    }

    /** Search state of the bordered mask's outer shell: neither in the set nor a wall (the set goes on beyond it). */
    private static final int BEYOND = -3;

    /**
     * The distances (into {@code state}, a bordered mask of {@link GeodesicTortuosity#mask}, which is overwritten),
     * then the sweep; {@code joins[a]}: whether the whole set joins the faces of axis a.
     */
    private static double[] of(int[] state, int n, boolean[] joins, int[] queue, int[] parent, int[] faces) {
        int m = n + 2;
        int plane = m * m;
        int[] step = {1, -1, m, -m, plane, -plane};
        shell(state, m, BEYOND);
        int tail = 0;
        for (int i = plane + m + 1; i < state.length - plane - m - 1; i++) {
            if (state[i] == GeodesicTortuosity.OPEN && (state[i + 1] == GeodesicTortuosity.BLOCKED
                    || state[i - 1] == GeodesicTortuosity.BLOCKED || state[i + m] == GeodesicTortuosity.BLOCKED
                    || state[i - m] == GeodesicTortuosity.BLOCKED || state[i + plane] == GeodesicTortuosity.BLOCKED
                    || state[i - plane] == GeodesicTortuosity.BLOCKED)) {
                state[i] = 1;
                queue[tail++] = i;
            }
        }
        tail = GeodesicTortuosity.spread(state, queue, 0, tail, m);
        // voxels no search reached: only when the set fills the cube (a cluster with no outside neighbour is the whole
        // cube); it gets the centre distance of a channel as wide as the cube
        int far = (n + 1) / 2;
        for (int i = 0; i < state.length; i++) {
            if (state[i] == GeodesicTortuosity.OPEN) {
                state[i] = far;
                queue[tail++] = i;
            }
        }
        // sweep in decreasing distance (the queue holds increasing distance, the unreached voxels last)
        Arrays.fill(parent, INACTIVE);
        faceBits(faces, m, n);
        double[] radius = {UNCONNECTED, UNCONNECTED, UNCONNECTED};
        int found = 0;
        for (int t = tail - 1; t >= 0 && found < 3 && state[queue[t]] >= 2; t--) {
            int i = queue[t];
            parent[i] = -1; // a root of size 1
            int root = i;
            for (int s : step) {
                int j = i + s;
                if (parent[j] != INACTIVE) {
                    root = union(parent, faces, root, find(parent, j));
                }
            }
            for (int a = 0; a < 3; a++) {
                int both = 3 << (2 * a);
                if (radius[a] == UNCONNECTED && (faces[root] & both) == both) {
                    radius[a] = state[i];
                    found++;
                }
            }
        }
        for (int a = 0; a < 3; a++) {
            if (radius[a] == UNCONNECTED && joins[a]) {
                radius[a] = 1;
            }
        }
        return radius;
    }

    /** Sets every voxel of the outermost layer of a bordered cube of edge {@code m} to {@code value}. */
    private static void shell(int[] state, int m, int value) {
        int plane = m * m;
        for (int a = 0; a < m; a++) {
            for (int b = 0; b < m; b++) {
                state[a * m + b] = value; // z = 0
                state[(m - 1) * plane + a * m + b] = value; // z = m - 1
                state[a * plane + b] = value; // y = 0
                state[a * plane + (m - 1) * m + b] = value; // y = m - 1
                state[a * plane + b * m] = value; // x = 0
                state[a * plane + b * m + m - 1] = value; // x = m - 1
            }
        }
    }

    /** Bits 2a and 2a+1 of each voxel: it lies on the inlet, the outlet face of axis a (0 inside the cube). */
    private static void faceBits(int[] faces, int m, int n) {
        Arrays.fill(faces, 0);
        int[] stride = {1, m, m * m};
        for (int a = 0; a < 3; a++) {
            int u = stride[(a + 1) % 3];
            int v = stride[(a + 2) % 3];
            int inlet = stride[0] + stride[1] + stride[2]; // voxel (1, 1, 1)
            int outlet = inlet + (n - 1) * stride[a];
            for (int p = 0; p < n; p++) {
                for (int q = 0; q < n; q++) {
                    faces[inlet + p * u + q * v] |= 1 << (2 * a);
                    faces[outlet + p * u + q * v] |= 2 << (2 * a);
                }
            }
        }
    }

    /**
     * Union-find: {@code parent[i]} is {@link #INACTIVE} before voxel {@code i} joins, minus its cluster's size at a
     * root, its parent's index otherwise (indices of the bordered array are never 0 inside the cube).
     */
    private static final int INACTIVE = 0;

    /** Joins two clusters by their roots, the smaller under the larger; returns the joint root, holding both faces. */
    private static int union(int[] parent, int[] faces, int a, int b) {
        if (a == b) {
            return a;
        }
        if (parent[a] > parent[b]) { // a is smaller (sizes are stored negative)
            int t = a;
            a = b;
            b = t;
        }
        parent[a] += parent[b];
        parent[b] = a;
        faces[a] |= faces[b];
        return a;
    }

    /** The root of {@code i}'s cluster, halving the path on the way. */
    private static int find(int[] parent, int i) {
        while (parent[i] > 0) {
            int p = parent[i];
            int grand = parent[p];
            if (grand < 0) {
                return p;
            }
            parent[i] = grand;
            i = grand;
        }
        return i;
    }
}
