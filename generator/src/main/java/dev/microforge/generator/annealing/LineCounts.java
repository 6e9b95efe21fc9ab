package dev.microforge.generator.annealing;

/**
 * The state of a two-phase voxel annealing run: the indicator {@code I} (one byte per voxel, 1 in the phase,
 * layout {@code x + nx*(y + ny*z)}) and, per axis and lag {@code r = 0..R}, the integer pair counts of the
 * orthogonal-direction S2 estimator with periodic lines (Yeong and Torquato, Phys. Rev. E 57 (1998) 495):
 * <pre>  C_a(r) = sum over all voxels p of I(p) I(p + r e_a),   S2_a(r) = C_a(r) / N</pre>
 * and, when enabled, the lineal-path placement counts {@code P_a(r)} = number of voxels p with
 * {@code I(p) = I(p + e_a) = ... = I(p + r e_a) = 1}, {@code L_a(r) = P_a(r) / N} (Lu and Torquato, Phys. Rev. A 45
 * (1992) 922).
 *
 * <p>Incremental update (the point of the class): flipping voxel p to value v changes only pairs on the three lines
 * through p, so {@code dC_a(0) = s} and {@code dC_a(r) = s (I(p + r e_a) + I(p - r e_a))} with {@code s = +1} for
 * 0 -> 1, -1 for 1 -> 0: cost {@code O(R)} per axis. For the lineal path, p joins (or splits) the run of a ones to
 * its left and b ones to its right; with {@code f(l, r) = max(0, l - r)},
 * {@code dP_a(r) = s (f(a + b + 1, r) - f(a, r) - f(b, r))}, where a and b need only be scanned up to R + 1 voxels
 * (a longer run changes the bracket by the same amount). A swap is two flips applied one after the other, so two
 * voxels on the same line are handled exactly. Counts are {@code long}: the incremental values equal a full recount
 * exactly (tested).
 *
 * <p>Memory: the indicator (one byte per voxel, shared with the caller) and {@code 2 x 3 (R + 1)} longs.
 */
final class LineCounts {
    final int nx;
    final int ny;
    final int nz;
    final int n;
    final int maxLag;
    final boolean linealPath;
    final byte[] state;
    /** Pair counts, axis-major: {@code counts[a * (R + 1) + r]}. */
    final long[] counts;
    /** Lineal-path placement counts, same layout; empty when disabled. */
    final long[] paths;
    private final int[] size;
    private final int[] stride;

    LineCounts(int nx, int ny, int nz, byte[] indicator, int maxLag, boolean linealPath) {
        this.nx = nx;
        this.ny = ny;
        this.nz = nz;
        this.n = nx * ny * nz;
        this.maxLag = maxLag;
        this.linealPath = linealPath;
        this.state = indicator;
        this.size = new int[] {nx, ny, nz};
        this.stride = new int[] {1, nx, nx * ny};
        this.counts = new long[3 * (maxLag + 1)];
        this.paths = new long[linealPath ? 3 * (maxLag + 1) : 0];
        recount(counts, paths);
    }

    /** Full recomputation of both count arrays from the indicator, {@code O(N R)}; for set-up and tests. */
    void recount(long[] pairs, long[] runs) {
        java.util.Arrays.fill(pairs, 0);
        java.util.Arrays.fill(runs, 0);
        for (int p = 0; p < n; p++) {
            if (state[p] == 0) {
                continue;
            }
            for (int a = 0; a < 3; a++) {
                int c = coordinate(p, a);
                int base = p - c * stride[a];
                int off = a * (maxLag + 1);
                int run = 0;
                boolean inRun = true;
                for (int r = 0; r <= maxLag; r++) {
                    int q = base + wrap(c + r, size[a]) * stride[a];
                    if (state[q] != 0) {
                        pairs[off + r]++;
                    } else {
                        inRun = false;
                    }
                    if (inRun) {
                        run++;
                    }
                }
                if (linealPath) {
                    for (int r = 0; r < run; r++) {
                        runs[off + r]++;
                    }
                }
            }
        }
    }

    /** Sets voxel p to {@code value} (which must differ from its current value), updating the counts. */
    void flip(int p, int value) {
        int s = value == 1 ? 1 : -1;
        // cost per axis: 2R byte reads for the pairs, at most 2(R + 1) for the lineal-path runs
        for (int a = 0; a < 3; a++) {
            int len = size[a];
            int st = stride[a];
            int c = coordinate(p, a);
            int base = p - c * st;
            int off = a * (maxLag + 1);
            counts[off] += s;
            for (int r = 1; r <= maxLag; r++) {
                int cp = c + r;
                if (cp >= len) {
                    cp -= len;
                }
                int cm = c - r;
                if (cm < 0) {
                    cm += len;
                }
                counts[off + r] += s * (state[base + cp * st] + state[base + cm * st]);
            }
            if (linealPath) {
                int cap = maxLag + 1;
                int left = 0;
                for (int cc = c - 1; left < cap; cc--, left++) {
                    if (cc < 0) {
                        cc += len;
                    }
                    if (state[base + cc * st] == 0) {
                        break;
                    }
                }
                int right = 0;
                for (int cc = c + 1; right < cap; cc++, right++) {
                    if (cc >= len) {
                        cc -= len;
                    }
                    if (state[base + cc * st] == 0) {
                        break;
                    }
                }
                int joined = left + right + 1;
                for (int r = 0; r <= maxLag; r++) {
                    int d = Math.max(0, joined - r) - Math.max(0, left - r) - Math.max(0, right - r);
                    paths[off + r] += s * d;
                }
            }
        }
        state[p] = (byte) value;
    }

    /** Whether voxel p has a face neighbour (periodic) of the other phase: an interface voxel. */
    boolean onInterface(int p) {
        byte v = state[p];
        for (int a = 0; a < 3; a++) {
            int c = coordinate(p, a);
            int base = p - c * stride[a];
            if (state[base + wrap(c + 1, size[a]) * stride[a]] != v
                    || state[base + wrap(c - 1, size[a]) * stride[a]] != v) {
                return true;
            }
        }
        return false;
    }

    private int coordinate(int p, int axis) {
        return switch (axis) {
            case 0 -> p % nx;
            case 1 -> (p / nx) % ny;
            default -> p / (nx * ny);
        };
    }

    private static int wrap(int c, int len) {
        int m = c % len;
        return m < 0 ? m + len : m;
    }
}
