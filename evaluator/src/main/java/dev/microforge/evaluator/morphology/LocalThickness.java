package dev.microforge.evaluator.morphology;

import dev.microforge.datasets.MemoryBudget;
import dev.microforge.datasets.Volume;
import dev.microforge.datasets.VoxelSize;
import java.util.Arrays;
import java.util.Locale;
import java.util.stream.IntStream;

/**
 * Local thickness and the pore-size (phase-size) distribution it defines: every voxel of a phase gets the diameter
 * of the largest sphere that contains it and fits inside the phase (Hildebrand and Rüegsegger, "A new method for the
 * model-independent assessment of thickness in three-dimensional images", J. Microsc. 185 (1997) 67).
 *
 * <p>Definition used: with {@code r(c)} the Euclidean distance from phase voxel c to the nearest voxel outside the
 * phase ({@link DistanceTransform}), voxel x gets radius {@code R(x) = max { r(c) : |x - c| < r(c) }} and thickness
 * {@code 2 R(x)}. A discrete ball of radius R centred on a voxel gives 2R (to within 1/R); a slab of t voxels gives t
 * for even t and t + 1 for odd t (the ball centre sits on a voxel centre).
 *
 * <p>Algorithm (as PoreSpy's {@code local_thickness}, Gostick et al., J. Open Source Softw. 4 (2019) 1296): for
 * each radius level r, from the largest down, the seeds {@code r(c) >= r} are dilated by r with a second distance
 * transform ({@code EDT(not seeds) < r}) and voxels not yet assigned take r. With every distinct value of r(c) as a
 * level the result is exactly the definition above; with at most {@code maxLevels} levels (spread linearly in r and
 * snapped down onto values that occur) a voxel gets the largest level at or below its radius, a bounded
 * under-estimate. Cost: one distance transform per level; memory up to 18 bytes per voxel (mask, seeds, three floats, a sorted copy of the distances).
 *
 * <p>The size distribution is volume-weighted (each voxel counts once with its thickness): fraction of the phase
 * volume per diameter, the cumulative curve, the mean and the d10 / d50 / d90 (see {@link WeightedQuantiles}).
 * Diameters are in micrometres when the metric gives micrometres, else in voxel edges.
 */
public final class LocalThickness {
    private LocalThickness() {
    }

    /**
     * Options of a local-thickness run.
     *
     * @param maxLevels most radius levels (distance transforms); 0 means every distinct radius (exact, slower)
     * @param borderIsBackground whether the outside of the volume bounds the spheres (a pore cut by the border then
     *     looks smaller); default false, the PoreSpy default
     * @param metric unit of the diameters
     * @param keepMap whether to return the per-voxel thickness map (4 bytes per voxel)
     */
    public record Options(int maxLevels, boolean borderIsBackground, DistanceTransform.Metric metric,
            boolean keepMap) {
        public Options {
            if (maxLevels < 0 || maxLevels == 1) {
                throw new IllegalArgumentException("maxLevels must be 0 (every distinct radius) or at least 2, got "
                        + maxLevels);
            }
            if (metric == null) {
                throw new IllegalArgumentException("metric is required: VOXELS, MICROMETRES or AUTO");
            }
        }

        /** 25 levels (PoreSpy's default number of sizes), border not background, AUTO metric, no map. */
        public static Options defaults() {
            return new Options(25, false, DistanceTransform.Metric.AUTO, false);
        }
    }

    /**
     * Local thickness of a phase and its volume-weighted size distribution.
     *
     * @param phaseVoxels voxels in the phase
     * @param diameters the diameters that occur (one per level), ascending, in {@link #unit()}
     * @param volumeFractions fraction of the phase volume with each diameter (sums to 1)
     * @param cumulative fraction of the phase volume with thickness at most each diameter
     * @param mean volume-weighted mean diameter
     * @param d10 diameter below which 10 % of the phase volume lies (likewise d50, d90)
     * @param levels number of radius levels used (distance transforms run)
     * @param exact whether every distinct radius was a level
     * @param inMicrometres whether diameters are in micrometres (else voxel edges)
     * @param thickness per-voxel thickness, 0 outside the phase (x fastest), or null unless requested
     */
    public record Result(long phaseVoxels, double[] diameters, double[] volumeFractions, double[] cumulative,
            double mean, double d10, double d50, double d90, int levels, boolean exact, boolean inMicrometres,
            float[] thickness) {
        /** {@code "um"} or {@code "voxel"}. */
        public String unit() {
            return inMicrometres ? "um" : "voxel";
        }

        /**
         * The distribution re-binned onto {@code edges} (ascending): fraction of phase volume with diameter in
         * {@code [edges[k], edges[k + 1])}, the last bin closed.
         */
        public double[] histogram(double[] edges) {
            double[] h = new double[edges.length - 1];
            for (int i = 0; i < diameters.length; i++) {
                int k = Arrays.binarySearch(edges, diameters[i]);
                k = k >= 0 ? Math.min(k, h.length - 1) : -k - 2;
                if (k >= 0 && k < h.length) {
                    h[k] += volumeFractions[i];
                }
            }
            return h;
        }
    }

    /**
     * Local thickness of the voxels labelled {@code phase} (pore-size distribution when it is the pore label).
     *
     * @throws IllegalArgumentException for a label outside 0..255 or micrometres with an unknown voxel size
     */
    public static Result poreSizeDistribution(Volume volume, int phase, Options options) {
        return of(volume, new int[] {phase}, options);
    }

    /** Local thickness of the voxels whose label is any of {@code phases}. */
    public static Result of(Volume volume, int[] phases, Options options) {
        int nx = volume.nx();
        int ny = volume.ny();
        int nz = volume.nz();
        VoxelSize vs = volume.voxelSize();
        double[] s = DistanceTransform.spacing(vs, options.metric());
        boolean[] mask = PhaseMask.of(volume, phases);
        int n = mask.length;
        MemoryBudget.require(n, 17, String.format(Locale.ROOT, "local thickness of a %dx%dx%d volume", nx, ny, nz));
        float[] dt2 = new float[n];
        DistanceTransform.squaredInto(mask, nx, ny, nz, s[0], s[1], s[2], options.borderIsBackground(), dt2);
        float[] all = distinctLevels(mask, dt2);
        boolean exact = options.maxLevels() == 0 || all.length <= options.maxLevels();
        float[] levels = exact ? all : subset(all, options.maxLevels());
        float[] radius2 = new float[n];
        boolean[] notSeed = new boolean[n];
        float[] toSeed = new float[n];
        int plane = nx * ny;
        long phaseVoxels = 0;
        for (boolean b : mask) {
            phaseVoxels += b ? 1 : 0;
        }
        long assigned = 0;
        for (int k = levels.length - 1; k >= 0 && assigned < phaseVoxels; k--) {
            float level = levels[k];
            IntStream.range(0, nz).parallel().forEach(z -> {
                for (int i = z * plane, end = i + plane; i < end; i++) {
                    notSeed[i] = !(mask[i] && dt2[i] >= level);
                }
            });
            // dilation of the seeds by r = sqrt(level): squared distance to the nearest seed below level
            DistanceTransform.squaredInto(notSeed, nx, ny, nz, s[0], s[1], s[2], false, toSeed);
            assigned += IntStream.range(0, nz).parallel().mapToLong(z -> {
                long c = 0;
                for (int i = z * plane, end = i + plane; i < end; i++) {
                    if (mask[i] && radius2[i] == 0 && toSeed[i] < level) {
                        radius2[i] = level;
                        c++;
                    }
                }
                return c;
            }).sum();
        }
        return summarise(mask, radius2, levels, phaseVoxels, options, exact, s[3] == 1);
    }

    /** Every distinct finite squared distance of the phase, ascending. */
    private static float[] distinctLevels(boolean[] mask, float[] dt2) {
        int count = 0;
        for (int i = 0; i < mask.length; i++) {
            if (mask[i] && dt2[i] != Float.POSITIVE_INFINITY) {
                count++;
            }
        }
        float[] sorted = new float[count];
        for (int i = 0, j = 0; i < mask.length; i++) {
            if (mask[i] && dt2[i] != Float.POSITIVE_INFINITY) {
                sorted[j++] = dt2[i];
            }
        }
        Arrays.parallelSort(sorted);
        int distinct = 0;
        for (int i = 0; i < count; i++) {
            if (i == 0 || sorted[i] != sorted[distinct - 1]) {
                sorted[distinct++] = sorted[i];
            }
        }
        return Arrays.copyOf(sorted, distinct);
    }

    /** At most maxLevels of the levels, spread linearly in radius and snapped down onto occurring values. */
    private static float[] subset(float[] all, int maxLevels) {
        int distinct = all.length;
        double rmin = Math.sqrt(all[0]);
        double rmax = Math.sqrt(all[distinct - 1]);
        float[] chosen = new float[maxLevels];
        int m = 0;
        for (int j = 0; j < maxLevels; j++) {
            double r = rmin + (rmax - rmin) * j / (maxLevels - 1);
            // largest occurring value at or below r^2 (all[0] is the smallest, so the search never fails)
            int idx = Arrays.binarySearch(all, (float) (r * r));
            idx = idx >= 0 ? idx : Math.max(0, -idx - 2);
            float v = j == maxLevels - 1 ? all[distinct - 1] : all[idx];
            if (m == 0 || v > chosen[m - 1]) {
                chosen[m++] = v;
            }
        }
        return Arrays.copyOf(chosen, m);
    }

    private static Result summarise(boolean[] mask, float[] radius2, float[] levels, long phaseVoxels,
            Options options, boolean exact, boolean um) {
        long[] counts = new long[levels.length];
        for (int i = 0; i < mask.length; i++) {
            if (mask[i] && radius2[i] > 0) {
                counts[Arrays.binarySearch(levels, radius2[i])]++;
            }
        }
        int used = 0;
        for (long c : counts) {
            used += c > 0 ? 1 : 0;
        }
        double[] diameters = new double[used];
        double[] fractions = new double[used];
        double[] cumulative = new double[used];
        double mean = 0;
        double cum = 0;
        for (int k = 0, j = 0; k < levels.length; k++) {
            if (counts[k] == 0) {
                continue;
            }
            diameters[j] = 2 * Math.sqrt(levels[k]);
            fractions[j] = (double) counts[k] / phaseVoxels;
            cum += fractions[j];
            cumulative[j] = Math.min(1, cum);
            mean += diameters[j] * fractions[j];
            j++;
        }
        float[] map = null;
        if (options.keepMap()) {
            map = radius2;
            for (int i = 0; i < map.length; i++) {
                map[i] = (float) (2 * Math.sqrt(map[i]));
            }
        }
        return new Result(phaseVoxels, diameters, fractions, cumulative, used == 0 ? Double.NaN : mean,
                WeightedQuantiles.quantile(diameters, fractions, 0.1),
                WeightedQuantiles.quantile(diameters, fractions, 0.5),
                WeightedQuantiles.quantile(diameters, fractions, 0.9), levels.length, exact, um, map);
    }
}
