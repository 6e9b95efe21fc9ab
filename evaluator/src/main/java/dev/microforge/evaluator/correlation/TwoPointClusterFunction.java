package dev.microforge.evaluator.correlation;

import dev.microforge.datasets.Axis;
import dev.microforge.datasets.Volume;
import dev.microforge.evaluator.geometry.Inputs;
import dev.microforge.evaluator.geometry.LengthUnit;
import dev.microforge.evaluator.morphology.ConnectedComponents;
import dev.microforge.evaluator.morphology.ConnectedComponents.Connectivity;

/**
 * Two-point cluster function {@code C2(r)}: the probability that two points a vector {@code r} apart lie in the
 * same cluster (connected component) of a phase (Torquato, Beasley and Chiew, J. Chem. Phys. 88 (1988) 6540;
 * Jiao, Stillinger and Torquato, PNAS 106 (2009) 17634). {@code C2 <= S2}, with equality for a phase that is one
 * cluster; {@code C2(0) = phi}.
 *
 * <p>Identity used: {@code C2(r) = sum_k <I_k(p) I_k(p + r)>} over the clusters {@code k} (an FFT of the
 * label-wise sum would add cross-cluster pairs and is not valid). Clusters come from {@link ConnectedComponents}.
 * Each cluster's autocorrelation is computed over its own bounding box only, by whichever is cheaper:
 * <ul>
 *   <li>direct pair counting, {@code size^2} operations, for small clusters (in practice all but a few);</li>
 *   <li>an FFT of the bounding box zero-padded by the lag limit ({@link Autocorrelation}), about
 *   {@code 10 M log2 M} for a padded box of {@code M} voxels, for large ones. Along a periodic axis where the box
 *   plus the lag limit exceeds the volume (the cluster wraps or nearly does) the box takes the whole axis and
 *   wraps.</li>
 * </ul>
 * The sums are then normalised exactly as S2 ({@link LagBox}): by {@code N} (periodic) or by the pair count of each
 * lag (non-periodic), and reported along x, y, z and radially. The axis curves are read from the same 3D lag sums
 * (no separate line scan), so axis and radial values are consistent.
 *
 * <p>Memory: the labels (4 bytes per voxel), a voxel list (4 bytes per voxel), the lag sums ({@code 8(2r+1)^3}
 * bytes) and one FFT buffer of 16 bytes per padded box voxel for the largest FFT cluster.
 */
public final class TwoPointClusterFunction {
    private TwoPointClusterFunction() {
    }

    /**
     * Options.
     *
     * @param periodic periodic volume: clusters join across faces and lags wrap
     * @param maxDistance largest lag in voxels, 0 for half the smallest dimension larger than 1
     * @param connectivity which neighbours join a cluster
     */
    public record Options(boolean periodic, int maxDistance, Connectivity connectivity) {
        public Options {
            if (maxDistance < 0) {
                throw new IllegalArgumentException(
                        "maxDistance must be 0 (automatic) or a positive number of voxels, got " + maxDistance);
            }
            if (connectivity == null) {
                throw new IllegalArgumentException("connectivity is required (FACES, EDGES or CORNERS)");
            }
        }

        /** Non-periodic, automatic distance, face (6-) connectivity. */
        public static Options defaults() {
            return new Options(false, 0, Connectivity.FACES);
        }
    }

    /**
     * C2 of one phase.
     *
     * @param phase the label value
     * @param volumeFraction {@code phi = C2(0)}
     * @param clusterCount number of clusters
     * @param clustersByFft how many of them were correlated by FFT (the rest by pair counting)
     * @param periodic whether the volume was periodic
     * @param maxLag lag limit per axis {x, y, z}, voxels
     * @param unit unit of the distances
     * @param x C2 along x (likewise y, z)
     * @param radial C2 averaged over lag vectors of the same length
     */
    public record Result(int phase, double volumeFraction, int clusterCount, int clustersByFft, boolean periodic,
            int[] maxLag, LengthUnit unit, Curve x, Curve y, Curve z, Curve radial) {
        /** The curve along {@code axis}. */
        public Curve along(Axis axis) {
            return axis == Axis.X ? x : axis == Axis.Y ? y : z;
        }
    }

    /**
     * C2 of {@code phase}.
     *
     * @throws IllegalArgumentException for a null volume or options or a label outside 0..255
     */
    public static Result compute(Volume volume, int phase, Options options) {
        Inputs.volume(volume);
        Inputs.phase(phase);
        if (options == null) {
            throw new IllegalArgumentException("options are required; use TwoPointClusterFunction.Options.defaults()");
        }
        boolean p = options.periodic();
        int nx = volume.nx();
        int ny = volume.ny();
        int nz = volume.nz();
        int[] n = {nx, ny, nz};
        LagBox box = new LagBox(nx, ny, nz, LagBox.radii(volume, options.maxDistance(), p), p);
        int[] r = box.radii();
        ConnectedComponents.Result cc = ConnectedComponents.label(volume, phase,
                new ConnectedComponents.Options(options.connectivity(), p, p, p));
        int count = cc.count();
        int[] labels = cc.labels();
        // voxel lists per cluster (counting sort by label) and bounding boxes
        int[] start = new int[count + 2];
        for (int k = 1; k <= count; k++) {
            start[k + 1] = start[k] + (int) cc.sizes()[k];
        }
        int[] members = new int[start[count + 1]];
        int[] fill = start.clone();
        int[][] lo = new int[3][count + 1];
        int[][] hi = new int[3][count + 1];
        for (int a = 0; a < 3; a++) {
            java.util.Arrays.fill(lo[a], Integer.MAX_VALUE);
            java.util.Arrays.fill(hi[a], -1);
        }
        for (int i = 0; i < labels.length; i++) {
            int k = labels[i];
            if (k == 0) {
                continue;
            }
            members[fill[k]++] = i;
            int[] c = {i % nx, (i / nx) % ny, i / (nx * ny)};
            for (int a = 0; a < 3; a++) {
                lo[a][k] = Math.min(lo[a][k], c[a]);
                hi[a][k] = Math.max(hi[a][k], c[a]);
            }
        }
        int byFft = 0;
        for (int k = 1; k <= count; k++) {
            int[] origin = new int[3];
            int[] m = new int[3];
            boolean[] circular = new boolean[3];
            long padded = 1;
            for (int a = 0; a < 3; a++) {
                int extent = hi[a][k] - lo[a][k] + 1;
                if (p && extent + r[a] > n[a]) {
                    circular[a] = true;
                    m[a] = n[a];
                    padded *= n[a];
                } else {
                    origin[a] = lo[a][k];
                    m[a] = extent;
                    padded *= Autocorrelation.smoothSize(extent + r[a]);
                }
            }
            long size = start[k + 1] - start[k];
            double fftCost = 10.0 * padded * (Math.log(padded + 1) / Math.log(2));
            if ((double) size * size <= fftCost) {
                addPairs(box, n, members, start[k], start[k + 1]);
            } else {
                byFft++;
                int from = start[k];
                int to = start[k + 1];
                Autocorrelation.addFft(box, m[0], m[1], m[2], circular, (buf, lx, ly) -> {
                    for (int j = from; j < to; j++) {
                        int i = members[j];
                        int x = i % nx - origin[0];
                        int y = (i / nx) % ny - origin[1];
                        int z = i / (nx * ny) - origin[2];
                        buf[x + lx * (y + ly * z)] = 1;
                    }
                }, "C2 of a cluster of phase " + phase);
            }
        }
        double[] e = LengthUnit.edges(volume);
        double phi = volume.labelCounts()[phase] / (double) volume.voxelCount();
        return new Result(phase, phi, count, byFft, p, r, LengthUnit.of(volume), box.axis(Axis.X, e),
                box.axis(Axis.Y, e), box.axis(Axis.Z, e), box.radial(e));
    }

    /** Counts ordered voxel pairs of one cluster per lag inside the box: size^2 steps. */
    private static void addPairs(LagBox box, int[] n, int[] members, int from, int to) {
        int nx = n[0];
        int ny = n[1];
        for (int a = from; a < to; a++) {
            int i = members[a];
            int xi = i % nx;
            int yi = (i / nx) % ny;
            int zi = i / (nx * ny);
            for (int b = from; b < to; b++) {
                int j = members[b];
                int dx = lag(j % nx - xi, n[0], box.periodic);
                int dy = lag((j / nx) % ny - yi, n[1], box.periodic);
                int dz = lag(j / (nx * ny) - zi, n[2], box.periodic);
                if (Math.abs(dx) <= box.rx && Math.abs(dy) <= box.ry && Math.abs(dz) <= box.rz) {
                    box.sum[box.index(dx, dy, dz)] += 1;
                }
            }
        }
    }

    /** A periodic coordinate difference as the representative in {@code (-n/2, n/2]}; unchanged otherwise. */
    private static int lag(int d, int n, boolean periodic) {
        if (!periodic) {
            return d;
        }
        int m = Math.floorMod(d, n);
        return m > n / 2 ? m - n : m;
    }
}
