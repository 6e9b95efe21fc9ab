package dev.microforge.models.surrogate;

import dev.microforge.datasets.Volume;

/**
 * A phase set of a cube of edge {@code n <= 64} as rows of 64 bits, for the bit-parallel searches of {@link
 * GeodesicTortuosity#poreAndSolid(BitRows[])} and {@link CriticalRadius#poreAndSolid(BitRows[], double[])}:
 * one {@code long} holds a whole line of voxels along one axis, so that a step of a search moves 64 voxels at once
 * (word-level parallelism, as in the bit-parallel breadth-first search of Beamer et al., SC 2012, and the bit-plane
 * morphology of image processing).
 *
 * <p>Layout: bit {@code b} of {@code rows[(u + 1) + (n + 2)(v + 1)]} is the voxel with coordinate {@code b} along the
 * bit axis and {@code u}, {@code v} along the other two axes in increasing order ({@link #ALONG_X}: bits x, u = y,
 * v = z; {@link #ALONG_Y}: bits y, u = x, v = z). A border of empty rows ({@code u} or {@code v} of -1 or {@code n})
 * lets a step read the rows beside any inner row without a test; bits {@code n..63} are 0.
 *
 * @param n edge of the cube in voxels, 2 to 64
 * @param along {@link #ALONG_X} or {@link #ALONG_Y}
 * @param rows {@code (n + 2)²} rows as above
 */
record BitRows(int n, int along, long[] rows) {

    /** The largest edge a row holds. */
    static final int MAX_EDGE = 64;
    /** Bits along x, rows over (y, z). */
    static final int ALONG_X = 0;
    /** Bits along y, rows over (x, z). */
    static final int ALONG_Y = 1;

    BitRows {
        if (n < 2 || n > MAX_EDGE) {
            throw new IllegalArgumentException("bit rows hold edges of 2 to " + MAX_EDGE + " voxels, got " + n);
        }
        if (along != ALONG_X && along != ALONG_Y) {
            throw new IllegalArgumentException("bit rows run along x (0) or y (1), got " + along);
        }
        if (rows.length != (n + 2) * (n + 2)) {
            throw new IllegalArgumentException("expected " + (n + 2) * (n + 2) + " rows, got " + rows.length);
        }
    }

    /** Whether a cube of edge {@code n} fits in bit rows. */
    static boolean fits(int n) {
        return n >= 2 && n <= MAX_EDGE;
    }

    /** Edge of the bordered row grid, {@code n + 2}: the row step along {@code v}. */
    int m() {
        return n + 2;
    }

    /** The low {@code n} bits: a full row. */
    long full() {
        return n == 64 ? -1L : (1L << n) - 1;
    }

    /** Index of the row at {@code (u, v)}, each in {@code -1..n}. */
    int row(int u, int v) {
        return (u + 1) + (n + 2) * (v + 1);
    }

    /**
     * The pore (label 0) and the solid (every other label) of a cube, each in both layouts.
     *
     * @param volume a cube of edge 2 to 64
     * @return {@code [pore along x, pore along y, solid along x, solid along y]}
     */
    static BitRows[] poreAndSolid(Volume volume) {
        int n = SurrogateInput.cubeEdge(volume);
        BitRows px = alongX(volume.toArray(), n, GeodesicTortuosity.PORE); // (refuses an edge beyond 64)
        // the same voxels with bits along y: each set bit x of row (y, z) is bit y of row (x, z)
        int m = n + 2;
        long[] poreY = new long[m * m];
        for (int z = 0; z < n; z++) {
            for (int y = 0; y < n; y++) {
                for (long t = px.rows[px.row(y, z)]; t != 0; t &= t - 1) {
                    poreY[px.row(Long.numberOfTrailingZeros(t), z)] |= 1L << y;
                }
            }
        }
        BitRows py = new BitRows(n, ALONG_Y, poreY);
        return new BitRows[] {px, py, px.complement(), py.complement()};
    }

    /**
     * A set along x.
     *
     * @param labels a cube of edge {@code n} (index {@code x + n (y + n z)}), labels read unsigned
     * @param n edge, 2 to 64
     * @param set {@code set[label]} is true for the labels of the set (length 256)
     * @return the set's rows
     */
    static BitRows alongX(byte[] labels, int n, boolean[] set) {
        if (!fits(n)) {
            throw new IllegalArgumentException("bit rows hold edges of 2 to " + MAX_EDGE + " voxels, got " + n);
        }
        int m = n + 2;
        long[] rows = new long[m * m];
        for (int z = 0; z < n; z++) {
            for (int y = 0; y < n; y++) {
                int src = n * (y + n * z);
                long bits = 0;
                for (int x = 0; x < n; x++) {
                    if (set[labels[src + x] & 0xFF]) {
                        bits |= 1L << x;
                    }
                }
                rows[(y + 1) + m * (z + 1)] = bits;
            }
        }
        return new BitRows(n, ALONG_X, rows);
    }

    /** The other voxels of the cube, in the same layout (the border stays empty). */
    BitRows complement() {
        long[] out = new long[rows.length];
        long full = full();
        int m = m();
        for (int v = 0; v < n; v++) {
            int r = (v + 1) * m + 1;
            for (int u = 0; u < n; u++, r++) {
                out[r] = ~rows[r] & full;
            }
        }
        return new BitRows(n, along, out);
    }

    /** The set's voxel at coordinates {@code (x, y, z)} of the cube (for tests). */
    boolean get(int x, int y, int z) {
        return along == ALONG_X ? (rows[row(y, z)] >>> x & 1) != 0 : (rows[row(x, z)] >>> y & 1) != 0;
    }
}
