package dev.microforge.generator.binder;

import dev.microforge.datasets.Volume;
import dev.microforge.datasets.VolumeBuilder;
import dev.microforge.evaluator.morphology.DistanceTransform;
import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * Places carbon-binder domain (CBD) as "bridges" at particle contacts: the pore voxels most enclosed by active
 * material (necks between touching or nearly touching particles, then concave corners, then the film next to the
 * surface) become CBD first, until the CBD holds exactly {@code round(targetFraction * nx * ny * nz)} voxels.
 *
 * <p>Idea: binder carried by the solvent collects by capillarity where particles meet, forming bridges at the necks;
 * the distance/neighbourhood-based "bridge" CBD of MATBOX (NREL Microstructure Analysis Toolbox; Usseglio-Viretta et
 * al., "Resolving the discrepancy in tortuosity factor estimation for Li-ion battery electrodes through micro-macro
 * modeling and experiment", J. Electrochem. Soc. 165 (2018) A3403) places binder where the pore is close to several
 * particles. This class is a deterministic, documented variant of that idea, not a port of MATBOX's code.
 *
 * <p>Criterion implemented: for each pore voxel {@code v}, the enclosure {@code s(v)} = share of active voxels in the
 * cube of half-width {@code windowRadius} centred on v (voxels outside the volume are left out of both counts), and
 * {@code d(v)} = exact Euclidean distance to the nearest active voxel ({@link DistanceTransform}, voxel units). Pore
 * voxels are ranked by {@code s} descending (quantised to 1/65535), then {@code d} ascending, and the first ones
 * become CBD. A neck voxel sees solid on two sides, so more active voxels in its window than a voxel beside the free
 * (convex) surface of the same particles, and a voxel next to a flat surface sees about {@code r/(2r+1)} of its window
 * solid; so binder fills necks first and spreads as the pore gets filled, like a morphological closing of the solid.
 * On digitised spheres the staircase notches of the surface also score high when the window is small (hence the
 * default radius 4). Voxels tied with the last selected rank are
 * chosen uniformly at random with {@code seed} (the only randomness). Existing CBD voxels stay and count in the target;
 * labels other than pore, active and CBD are neither solid nor convertible.
 *
 * <p>Cost: a separable running box sum (3 passes, O(n) whatever the radius), one EDT, and a sort of the pore voxels'
 * 64-bit rank keys (n log n). Memory: about 22 bytes per voxel. Layout: index {@code x + nx * (y + ny * z)}; the
 * output keeps the input's voxel size.
 */
public final class CarbonBinderBridge {
    private CarbonBinderBridge() {
    }

    /**
     * Options of the bridge placement.
     *
     * @param targetFraction CBD volume fraction of the whole volume to reach, in [0, 1] (existing CBD counts)
     * @param poreLabel label of the pore, the only voxels that may become CBD
     * @param activeLabels label(s) of the active material (at least one)
     * @param cbdLabel label written for CBD
     * @param windowRadius half-width in voxels of the enclosure cube (1..16); about the neck size to detect
     * @param seed random seed for the tie-break at the cut-off rank
     */
    public record Options(double targetFraction, int poreLabel, int[] activeLabels, int cbdLabel, int windowRadius,
            long seed) {
        public Options {
            BinderLabels.checkFraction(targetFraction);
            activeLabels = BinderLabels.check(poreLabel, activeLabels, cbdLabel);
            if (windowRadius < 1 || windowRadius > 16) {
                throw new IllegalArgumentException("windowRadius must be 1..16 voxels (about the neck size), got "
                        + windowRadius);
            }
        }

        /**
         * Target 0.1, pore 0, active {1}, CBD 2, window radius 4, seed 0. Radius 4 rather than 2: smaller windows
         * also rank the staircase notches of digitised spheres (radius ~8 voxels) as concave.
         */
        public static Options defaults() {
            return new Options(0.1, 0, new int[] {1}, 2, 4, 0L);
        }

        @Override
        public int[] activeLabels() {
            return activeLabels.clone();
        }

        public Options withTargetFraction(double f) {
            return new Options(f, poreLabel, activeLabels, cbdLabel, windowRadius, seed);
        }

        public Options withWindowRadius(int r) {
            return new Options(targetFraction, poreLabel, activeLabels, cbdLabel, r, seed);
        }

        public Options withSeed(long s) {
            return new Options(targetFraction, poreLabel, activeLabels, cbdLabel, windowRadius, s);
        }
    }

    /**
     * Outcome of a placement.
     *
     * @param volume the input with {@code added} pore voxels turned into the CBD label
     * @param cbdFraction CBD voxels / all voxels
     * @param activeSurfaceCoverage share of active faces touching CBD among those touching pore or CBD
     * @param added voxels converted
     * @param cbdVoxels CBD voxels in the result
     * @param cutoffEnclosure the enclosure share {@code s} of the last voxel converted (NaN when none was)
     */
    public record Result(Volume volume, double cbdFraction, double activeSurfaceCoverage, long added, long cbdVoxels,
            double cutoffEnclosure) {
    }

    private static final int SHARE_LEVELS = 65535;

    /**
     * Places CBD bridges in the pore of {@code volume}; see the class comment for the criterion.
     *
     * @throws IllegalArgumentException when the pore or active labels are absent, or the target is below the existing
     *     CBD or above what the pore can hold
     */
    public static Result place(Volume volume, Options options) {
        int[] activeLabels = options.activeLabels();
        int pore = options.poreLabel();
        int cbd = options.cbdLabel();
        BinderLabels.Start start = BinderLabels.begin(volume, options.targetFraction(), pore, activeLabels, cbd,
                22, "CBD bridges");
        long toAdd = start.toAdd();
        byte[] labels = start.labels();
        boolean[] active = start.active();
        int nx = volume.nx();
        int ny = volume.ny();
        int nz = volume.nz();
        int n = (int) volume.voxelCount();
        int r = options.windowRadius();

        int[] box = new int[n];
        for (int i = 0; i < n; i++) {
            box[i] = active[labels[i] & 0xFF] ? 1 : 0;
        }
        int[] line = new int[Math.max(nx, Math.max(ny, nz))];
        boxSum(box, line, nx, ny * nz, 1, nx, ny, r, 0);
        boxSum(box, line, ny, nx * nz, nx, nx, ny, r, 1);
        boxSum(box, line, nz, nx * ny, nx * ny, nx, ny, r, 2);

        // distance of every non-active voxel to the nearest active voxel: EDT of the non-active set
        int[] nonActive = new int[256 - activeLabels.length];
        for (int v = 0, k = 0; v < 256; v++) {
            if (!active[v]) {
                nonActive[k++] = v;
            }
        }
        float[] d2 = DistanceTransform.squaredEuclidean(volume, nonActive,
                new DistanceTransform.Options(false, DistanceTransform.Metric.VOXELS));

        long poreCount = volume.labelCounts()[pore];
        long[] keys = new long[(int) poreCount];
        int m = 0;
        for (int z = 0; z < nz; z++) {
            int cz = windowCount(z, nz, r);
            for (int y = 0; y < ny; y++) {
                int cyz = cz * windowCount(y, ny, r);
                for (int x = 0; x < nx; x++) {
                    int i = x + nx * (y + ny * z);
                    if ((labels[i] & 0xFF) != pore) {
                        continue;
                    }
                    long share = (long) box[i] * SHARE_LEVELS / ((long) cyz * windowCount(x, nx, r));
                    long dist = (long) Math.min(d2[i], 65535f);
                    keys[m++] = ((SHARE_LEVELS - share) << 47) | (dist << 31) | i;
                }
            }
        }
        Arrays.sort(keys);
        double cutoff = Double.NaN;
        if (toAdd > 0) {
            long cutRank = keys[(int) toAdd - 1] >>> 31;
            int first = (int) toAdd - 1;
            while (first > 0 && keys[first - 1] >>> 31 == cutRank) {
                first--;
            }
            int last = (int) toAdd - 1;
            while (last + 1 < keys.length && keys[last + 1] >>> 31 == cutRank) {
                last++;
            }
            for (int j = 0; j < first; j++) {
                labels[(int) (keys[j] & 0x7FFFFFFFL)] = (byte) cbd;
            }
            // tied group [first, last]: a seeded partial Fisher-Yates picks toAdd - first of them
            SplittableRandom random = new SplittableRandom(options.seed());
            int need = (int) toAdd - first;
            for (int j = 0; j < need; j++) {
                int pick = first + j + random.nextInt(last - first - j + 1);
                long t = keys[first + j];
                keys[first + j] = keys[pick];
                keys[pick] = t;
                labels[(int) (keys[first + j] & 0x7FFFFFFFL)] = (byte) cbd;
            }
            cutoff = (SHARE_LEVELS - (cutRank >>> 16)) / (double) SHARE_LEVELS;
        }
        Volume out = VolumeBuilder.adopt(nx, ny, nz, labels).build(volume.voxelSize());
        long cbdVoxels = out.labelCounts()[cbd];
        double coverage = BinderCoverage.faces(out, pore, activeLabels, cbd).coverage();
        return new Result(out, cbdVoxels / (double) n, coverage, toAdd, cbdVoxels, cutoff);
    }

    /** Number of window positions inside {@code [0, size)} for a window of half-width r centred at c. */
    private static int windowCount(int c, int size, int r) {
        return Math.min(c + r, size - 1) - Math.max(c - r, 0) + 1;
    }

    /**
     * In-place running sum over a window of half-width r along one axis: {@code lines} lines of {@code len} values
     * with element stride {@code stride}; line {@code j} starts at an offset that depends on {@code axis} (0 = x,
     * 1 = y, 2 = z). Cost: 1 copy, 2 reads and 1 write per voxel.
     */
    private static void boxSum(int[] a, int[] line, int len, int lines, int stride, int nx, int ny, int r, int axis) {
        for (int j = 0; j < lines; j++) {
            int start;
            if (axis == 0) {
                start = j * nx;
            } else if (axis == 1) {
                int x = j % nx;
                int z = j / nx;
                start = x + nx * ny * z;
            } else {
                start = j;
            }
            for (int k = 0; k < len; k++) {
                line[k] = a[start + k * stride];
            }
            int sum = 0;
            for (int k = 0; k < Math.min(r, len); k++) {
                sum += line[k];
            }
            for (int k = 0; k < len; k++) {
                if (k + r < len) {
                    sum += line[k + r];
                }
                if (k - r - 1 >= 0) {
                    sum -= line[k - r - 1];
                }
                a[start + k * stride] = sum;
            }
        }
    }
}
