package dev.microforge.evaluator.morphology;

import dev.microforge.datasets.Axis;
import java.util.stream.IntStream;

/**
 * Histograms of the runs (maximal sequences of consecutive phase voxels) along the lines of one axis, shared by
 * {@link LinealPath} and {@link ChordLength}. One pass reads each mask byte once (O(N)); lines along y and z are
 * scanned a row of x at a time with per-x run state, so memory is read contiguously. Tasks are z-slices (axes x,
 * y) or y-rows (axis z); their integer histograms are summed, so results do not depend on the thread count.
 */
final class RunLengths {
    private RunLengths() {
    }

    /**
     * Run histograms, indexed by run length in voxels (0..n).
     *
     * @param n line length (size along the axis)
     * @param lines number of lines
     * @param open every run as seen without wrap-around (a fully-filled line is one run of length n)
     * @param interior runs touching neither end of their line
     * @param periodic runs with the two end runs of a line merged across the periodic boundary (full lines excluded)
     * @param fullLines lines entirely in the phase
     */
    record Histograms(int n, long lines, long[] open, long[] interior, long[] periodic, long fullLines) {
    }

    private static final class Acc {
        final long[] open;
        final long[] interior;
        final long[] periodic;
        long full;

        Acc(int n) {
            open = new long[n + 1];
            interior = new long[n + 1];
            periodic = new long[n + 1];
        }

        /** A run closed by a non-phase voxel at position k (so it ends at k - 1 < n - 1). */
        void closeInside(int start, int len) {
            open[len]++;
            if (start != 0) {
                interior[len]++;
                periodic[len]++;
            }
        }

        /** End of a line: head is the run that started at 0 (0 if none), tail the run reaching the end. */
        void endLine(int n, int head, int tail) {
            if (tail == n) {
                open[n]++;
                full++;
                return;
            }
            if (tail > 0) {
                open[tail]++;
            }
            if (head + tail > 0) {
                periodic[head + tail]++;
            }
        }

        Acc add(Acc o) {
            for (int i = 0; i < open.length; i++) {
                open[i] += o.open[i];
                interior[i] += o.interior[i];
                periodic[i] += o.periodic[i];
            }
            full += o.full;
            return this;
        }
    }

    static Histograms along(boolean[] mask, int nx, int ny, int nz, Axis axis) {
        int plane = nx * ny;
        int n = axis == Axis.X ? nx : axis == Axis.Y ? ny : nz;
        long lines = (long) nx * ny * nz / n;
        Acc acc;
        if (axis == Axis.X) {
            acc = IntStream.range(0, nz).parallel().mapToObj(z -> {
                Acc a = new Acc(n);
                for (int y = 0; y < ny; y++) {
                    int base = z * plane + y * nx;
                    int cur = 0;
                    int head = 0;
                    for (int k = 0; k < nx; k++) {
                        if (mask[base + k]) {
                            cur++;
                        } else if (cur > 0) {
                            int start = k - cur;
                            if (start == 0) {
                                head = cur;
                            }
                            a.closeInside(start, cur);
                            cur = 0;
                        }
                    }
                    a.endLine(n, head, cur);
                }
                return a;
            }).reduce(Acc::add).orElseThrow();
        } else {
            int tasks = axis == Axis.Y ? nz : ny;
            acc = IntStream.range(0, tasks).parallel().mapToObj(t -> {
                Acc a = new Acc(n);
                int[] cur = new int[nx];
                int[] head = new int[nx];
                for (int k = 0; k < n; k++) {
                    // row of x at step k: (y = k, z = t) along y, (y = t, z = k) along z
                    int base = axis == Axis.Y ? t * plane + k * nx : k * plane + t * nx;
                    for (int x = 0; x < nx; x++) {
                        if (mask[base + x]) {
                            cur[x]++;
                        } else if (cur[x] > 0) {
                            int start = k - cur[x];
                            if (start == 0) {
                                head[x] = cur[x];
                            }
                            a.closeInside(start, cur[x]);
                            cur[x] = 0;
                        }
                    }
                }
                for (int x = 0; x < nx; x++) {
                    a.endLine(n, head[x], cur[x]);
                }
                return a;
            }).reduce(Acc::add).orElseThrow();
        }
        return new Histograms(n, lines, acc.open, acc.interior, acc.periodic, acc.full);
    }
}
