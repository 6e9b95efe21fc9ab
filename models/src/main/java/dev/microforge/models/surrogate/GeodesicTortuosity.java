package dev.microforge.models.surrogate;

import dev.microforge.datasets.Volume;

/**
 * Geodesic tortuosity of a phase set along an axis, on the 6-connected voxel graph: the mean, over the set's voxels on
 * the outlet face ({@code c = n - 1}) that a path through the set reaches from the inlet face ({@code c = 0}), of the
 * shortest such path's number of voxel steps, divided by the straight distance {@code n - 1}.
 *
 * <p>The geometric descriptor of Stenzel et al., "Predicting effective conductivities based on geometric
 * microstructure characteristics", AIChE Journal 62 (2016) 1834 (there on the continuous or 26-connected space;
 * with 6-neighbour steps a straight diagonal path counts its Manhattan length, so values here run higher, and are
 * used as a regression descriptor, not as the physical tortuosity factor). Together with the volume fraction it
 * explains most of the effective transport of a random microstructure, which the phase fractions and surface
 * densities alone do not (README, "Property surrogate").
 *
 * <p>One breadth-first search from every set voxel of the inlet face, on a copy of the set with a one-voxel border
 * outside it (so that no step tests a coordinate), distances held in the same array as the set: {@code O(n³)} time,
 * two {@code int[(n+2)³]} buffers. A set that does not connect the two faces gets {@link #UNCONNECTED}. Cubes of edge
 * up to 64 are searched a row of 64 voxels at a time instead ({@link #poreAndSolid(BitRows[])}), with the same values.
 */
final class GeodesicTortuosity {

    /** The value given when no outlet voxel is reached (above what any connected 64³ design gave, 2.4). */
    static final double UNCONNECTED = 4;

    private GeodesicTortuosity() {
    }

    /** The pore's labels as a set ({@code set[label]}): label 0. Never written. */
    static final boolean[] PORE = new boolean[256];
    /** The solid's labels as a set: every label but 0. Never written. */
    static final boolean[] SOLID = new boolean[256];

    static {
        PORE[0] = true;
        java.util.Arrays.fill(SOLID, 1, 256, true);
    }

    /** Search state of a voxel outside the set. */
    static final int BLOCKED = -2;
    /** Search state of a voxel of the set not reached yet. */
    static final int OPEN = -1;

    /**
     * The geodesic tortuosity of the voxels whose label is in {@code set}.
     *
     * @param labels a cube of edge {@code n} (index {@code x + n (y + n z)}), labels read unsigned
     * @param n edge, at least 2
     * @param set {@code set[label]} is true for the labels of the phase set (length 256)
     * @param axis 0 (x), 1 (y) or 2 (z)
     * @return the tortuosity, at least 1, or {@link #UNCONNECTED}
     */
    static double of(byte[] labels, int n, boolean[] set, int axis) {
        if (n < 2) {
            throw new IllegalArgumentException("geodesic tortuosity needs an edge of at least 2 voxels, got " + n);
        }
        int[] mask = mask(labels, n, set);
        return of(mask, n, axis, new int[mask.length], new int[mask.length]);
    }

    /**
     * The set as search states with a border of one blocked voxel on every side (edge {@code n + 2}), so that a
     * search never tests a coordinate: {@link #OPEN} inside the set, {@link #BLOCKED} outside.
     */
    static int[] mask(byte[] labels, int n, boolean[] set) {
        int m = n + 2;
        int[] mask = new int[m * m * m];
        java.util.Arrays.fill(mask, BLOCKED);
        for (int z = 0; z < n; z++) {
            for (int y = 0; y < n; y++) {
                int src = (z * n + y) * n;
                int dst = ((z + 1) * m + y + 1) * m + 1;
                for (int x = 0; x < n; x++) {
                    mask[dst + x] = set[labels[src + x] & 0xFF] ? OPEN : BLOCKED;
                }
            }
        }
        return mask;
    }

    /**
     * The search on a copy of the states ({@link #mask}) of edge {@code n + 2}: the inlet is the layer at coordinate
     * 1 along the axis, the outlet the layer at {@code n}. Distances are kept in the copy (one array read per
     * neighbour).
     */
    private static double of(int[] mask, int n, int axis, int[] state, int[] queue) {
        int m = n + 2;
        int plane = m * m;
        int[] stride = {1, m, plane};
        int along = stride[axis];
        int u = stride[(axis + 1) % 3];
        int v = stride[(axis + 2) % 3];
        System.arraycopy(mask, 0, state, 0, mask.length);
        int tail = 0;
        int inlet = plane + m + 1; // voxel (1, 1, 1)
        for (int a = 0; a < n; a++) {
            for (int b = 0; b < n; b++) {
                int i = inlet + a * u + b * v;
                if (state[i] == OPEN) {
                    state[i] = 0;
                    queue[tail++] = i;
                }
            }
        }
        spread(state, queue, 0, tail, m);
        long sum = 0;
        int reached = 0;
        int outlet = inlet + (n - 1) * along;
        for (int a = 0; a < n; a++) {
            for (int b = 0; b < n; b++) {
                int d = state[outlet + a * u + b * v];
                if (d >= 0) {
                    sum += d;
                    reached++;
                }
            }
        }
        return reached == 0 ? UNCONNECTED : (double) sum / reached / (n - 1);
    }

    /**
     * Breadth-first search on the 6-connected graph of a bordered state array (edge {@code m}): every voxel in {@code
     * queue[head..tail)} holds its distance in {@code state}; each {@link #OPEN} neighbour of a dequeued voxel gets that
     * distance + 1 and is enqueued. On return {@code queue[0..tail)} lists the reached voxels in order of distance.
     *
     * @return the new tail
     */
    static int spread(int[] state, int[] queue, int head, int tail, int m) {
        int plane = m * m;
        while (head < tail) {
            int i = queue[head++];
            int next = state[i] + 1;
            if (state[i + 1] == OPEN) {
                state[i + 1] = next;
                queue[tail++] = i + 1;
            }
            if (state[i - 1] == OPEN) {
                state[i - 1] = next;
                queue[tail++] = i - 1;
            }
            if (state[i + m] == OPEN) {
                state[i + m] = next;
                queue[tail++] = i + m;
            }
            if (state[i - m] == OPEN) {
                state[i - m] = next;
                queue[tail++] = i - m;
            }
            if (state[i + plane] == OPEN) {
                state[i + plane] = next;
                queue[tail++] = i + plane;
            }
            if (state[i - plane] == OPEN) {
                state[i - plane] = next;
                queue[tail++] = i - plane;
            }
        }
        return tail;
    }

    /**
     * The six descriptors of {@link #poreAndSolid(int[][], int)} by bit-parallel breadth-first searches on {@link
     * BitRows} (edges up to 64), the same values: each step of a search takes the whole frontier a row of voxels at a
     * time, the rows laid across the search's axis (bits along y for the search along x, along x for y and z), so
     * that a step moves along the row by two shifts and across it by the four rows beside it; a step visits only the
     * rows its frontier touches. On the 600 labelled 64³ designs the six searches take 6 ms instead of 12-13 (2-core
     * Xeon; README, "Property surrogate").
     *
     * @param sets {@link BitRows#poreAndSolid} of a cube
     * @return {@code [pore x, pore y, pore z, solid x, solid y, solid z]}
     */
    static double[] poreAndSolid(BitRows[] sets) {
        int m = sets[0].m();
        BitSearch search = new BitSearch(m * m);
        double[] out = new double[6];
        for (int s = 0; s < 2; s++) {
            BitRows alongX = sets[2 * s];
            BitRows alongY = sets[2 * s + 1];
            out[3 * s] = search.tortuosity(alongY, false);
            out[3 * s + 1] = search.tortuosity(alongX, false);
            out[3 * s + 2] = search.tortuosity(alongX, true);
        }
        return out;
    }

    /** Buffers of the bit-parallel searches, left cleared between searches. */
    private static final class BitSearch {
        private final long[] remaining;
        private final long[] frontier;
        private final long[] reached;
        private final int[] current;
        private final int[] touched;

        BitSearch(int rows) {
            remaining = new long[rows];
            frontier = new long[rows];
            reached = new long[rows];
            current = new int[rows];
            touched = new int[rows];
        }

        /**
         * The geodesic tortuosity of a set along the axis of the rows' {@code u} ({@code acrossV} false) or {@code v}
         * coordinate: inlet rows at coordinate 0, outlet rows at {@code n - 1}.
         */
        double tortuosity(BitRows set, boolean acrossV) {
            int n = set.n();
            int m = set.m();
            int side = acrossV ? 1 : m;
            long[] open = set.rows();
            System.arraycopy(open, 0, remaining, 0, open.length);
            int count = 0;
            int inlet = set.row(0, 0);
            for (int i = 0; i < n; i++) {
                int r = inlet + i * side;
                if (remaining[r] != 0) {
                    frontier[r] = remaining[r];
                    remaining[r] = 0;
                    current[count++] = r;
                }
            }
            long sum = 0;
            long outlet = 0;
            for (int d = 1; count > 0; d++) {
                // every frontier row passes its voxels to itself (one step along the row) and the four rows beside
                int length = 0;
                for (int i = 0; i < count; i++) {
                    int r = current[i];
                    long f = frontier[r];
                    frontier[r] = 0;
                    length = reach(r, (f << 1) | (f >>> 1), length);
                    length = reach(r - 1, f, length);
                    length = reach(r + 1, f, length);
                    length = reach(r - m, f, length);
                    length = reach(r + m, f, length);
                }
                count = 0;
                for (int i = 0; i < length; i++) {
                    int c = touched[i];
                    long fresh = reached[c] & remaining[c];
                    reached[c] = 0;
                    if (fresh != 0) {
                        remaining[c] &= ~fresh;
                        frontier[c] = fresh;
                        current[count++] = c;
                        if ((acrossV ? c / m : c % m) == n) { // the outlet row (coordinate n - 1, row n)
                            int k = Long.bitCount(fresh);
                            sum += (long) d * k;
                            outlet += k;
                        }
                    }
                }
            }
            return outlet == 0 ? UNCONNECTED : (double) sum / outlet / (n - 1);
        }

        /** Adds {@code bits} (never 0) to what row {@code r} is reached by in this step, listing it once. */
        private int reach(int r, long bits, int length) {
            if (reached[r] == 0) {
                touched[length++] = r;
            }
            reached[r] |= bits;
            return length;
        }
    }

    /**
     * The bordered masks ({@link #mask}) of the pore (label 0) and of the solid (every other label): what {@link
     * #poreAndSolid} reads and {@link CriticalRadius#poreAndSolid} then overwrites.
     *
     * @param volume a cube
     * @return {@code [pore, solid]}, each of edge {@code n + 2}
     */
    static int[][] poreAndSolidMasks(Volume volume) {
        int n = SurrogateInput.cubeEdge(volume);
        byte[] labels = volume.toArray();
        return new int[][] {mask(labels, n, PORE), mask(labels, n, SOLID)};
    }

    /**
     * The six descriptors of the surrogate's baseline: pore (label 0) then solid (every other label), each along x, y
     * and z.
     *
     * @param masks {@link #poreAndSolidMasks} of a cube of edge {@code n} (left unchanged)
     * @param n the edge
     * @return {@code [pore x, pore y, pore z, solid x, solid y, solid z]}
     */
    static double[] poreAndSolid(int[][] masks, int n) {
        int[] state = new int[masks[0].length];
        int[] queue = new int[masks[0].length];
        double[] out = new double[6];
        for (int a = 0; a < 3; a++) {
            out[a] = of(masks[0], n, a, state, queue);
            out[3 + a] = of(masks[1], n, a, state, queue);
        }
        return out;
    }
}
