package dev.microforge.generator.annealing;

import dev.microforge.datasets.Axis;
import dev.microforge.datasets.Volume;
import dev.microforge.datasets.VolumeBuilder;
import dev.microforge.evaluator.correlation.TwoPointCorrelation;
import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * Two-phase reconstruction by voxel swapping and simulated annealing (Yeong and Torquato, "Reconstructing random
 * media", Phys. Rev. E 57 (1998) 495): starting from a random volume at the exact target volume fraction, swap a
 * phase voxel with a matrix voxel and accept by the Metropolis rule {@code P = min(1, exp(-dE / T))} with the energy
 * <pre>  E = sum_{a in x,y,z} sum_{r=0..R} (S2_a(r) - S2*_a(r))^2  +  w sum_a sum_r (L_a(r) - L*_a(r))^2</pre>
 * where {@code S2_a} is the orthogonal-direction estimator along axis a with periodic lines and {@code L_a} the
 * optional lineal path (weight w). Both are updated incrementally per swap in {@code O(R)} per axis
 * ({@link LineCounts}), never recomputed. Swaps conserve the phase counts, so the volume fraction equals
 * {@code round(phi N) / N} exactly.
 *
 * <p>Schedule: initial temperature = {@code initialTemperatureScale} x the mean |dE| of 2000 random trial swaps;
 * geometric cooling {@code T <- coolingFactor T} after every {@code swapsPerTemperature} trials. Stops at the target
 * S2 RMSE, the time limit, the swap limit, after {@code stagnationTemperatures} temperatures without a 0.1 % gain
 * of the best energy, or on interruption. With {@code interfaceSwaps} both voxels of a swap are drawn among interface
 * voxels (a face neighbour of the other phase), the "different-phase neighbour" selection of Tang et al., Phys. Rev.
 * E 80 (2009) 046706, and Rozman and Utz, Phys. Rev. E 63 (2001) 066701: swaps of buried voxels are nearly always
 * rejected, so this converges faster at no cost in correctness of the counts.
 *
 * <p>The result holds the best state seen (checked at the end of every temperature). Reported RMSE is S2 only:
 * {@code sqrt(mean over axes and lags of (S2 - S2*)^2)}. Output labels: 1 for the phase, 0 for the rest. Units:
 * lags in voxels. Memory: 1 byte per voxel for the state, 8 bytes per voxel for the phase lists and 4 for the
 * positions in them, one byte per voxel for the best copy. Same seed, same options and a run that stops on the
 * target, the swap limit or stagnation (not on the clock) give the same bytes.
 */
public final class SimulatedAnnealing {
    private SimulatedAnnealing() {
    }

    /** Why a run stopped. */
    public enum Stop { TARGET_REACHED, TIME_LIMIT, SWAP_LIMIT, STAGNATION, INTERRUPTED }

    /** Progress notifications, one per temperature; called on the annealing thread. */
    @FunctionalInterface
    public interface Listener {
        /** No-op listener. */
        Listener NONE = (swaps, rmse, seconds) -> { };

        /**
         * @param swapsTried trial swaps so far (the iteration)
         * @param bestRmse best S2 RMSE so far
         * @param elapsedSeconds wall time since the start
         */
        void onProgress(long swapsTried, double bestRmse, double elapsedSeconds);
    }

    /**
     * Target statistics, along x, y, z for lags {@code r = 0..maxLag} voxels.
     *
     * @param maxLag R, voxels
     * @param volumeFraction phi of the phase
     * @param s2 {@code s2[axis][r]}, axis 0 = x, 1 = y, 2 = z
     * @param linealPath {@code linealPath[axis][r]} or null when not targeted
     */
    public record Target(int maxLag, double volumeFraction, double[][] s2, double[][] linealPath) {
        public Target {
            if (maxLag < 1) {
                throw new IllegalArgumentException("maxLag must be at least 1 voxel, got " + maxLag);
            }
            if (!(volumeFraction > 0 && volumeFraction < 1)) {
                throw new IllegalArgumentException("volumeFraction must lie in (0, 1), got " + volumeFraction
                        + "; a volume with one phase only needs no reconstruction");
            }
            checkCurves("s2", s2, maxLag);
            if (linealPath != null) {
                checkCurves("linealPath", linealPath, maxLag);
            }
        }

        private static void checkCurves(String name, double[][] c, int maxLag) {
            if (c == null || c.length != 3) {
                throw new IllegalArgumentException(name + " needs 3 curves (x, y, z), got "
                        + (c == null ? "null" : c.length));
            }
            for (double[] row : c) {
                if (row == null || row.length != maxLag + 1) {
                    throw new IllegalArgumentException(name + " curves need maxLag + 1 = " + (maxLag + 1)
                            + " values, got " + (row == null ? "null" : row.length));
                }
            }
        }

        /**
         * Periodic S2 (by FFT, {@link TwoPointCorrelation}) and, optionally, periodic lineal path of {@code phase} in a
         * 3D volume, along each axis.
         *
         * @param maxLag R in voxels, at most {@code (n - 1) / 2} for the smallest dimension
         */
        public static Target fromVolume(Volume volume, int phase, int maxLag, boolean withLinealPath) {
            if (volume == null) {
                throw new IllegalArgumentException("volume is required");
            }
            int smallest = Math.min(volume.nx(), Math.min(volume.ny(), volume.nz()));
            if (maxLag < 1 || maxLag > (smallest - 1) / 2) {
                throw new IllegalArgumentException("maxLag must lie in 1.." + (smallest - 1) / 2
                        + " (half the smallest dimension " + smallest + "), got " + maxLag);
            }
            TwoPointCorrelation.Result s = TwoPointCorrelation.compute(volume, phase,
                    new TwoPointCorrelation.Options(true, maxLag));
            double[][] s2 = new double[3][];
            for (Axis a : Axis.values()) {
                s2[a.ordinal()] = Arrays.copyOf(s.along(a).value(), maxLag + 1);
            }
            double[][] lp = withLinealPath ? linealPathOf(volume, phase, maxLag) : null;
            return new Target(maxLag, s.volumeFraction(), s2, lp);
        }

        /**
         * 2D-to-3D target from a 2D exemplar ({@code nz = 1}): S2 (and lineal path) along the exemplar's x and y,
         * periodic. With {@code isotropic} all three axes get the mean of the two; otherwise x and y keep their own
         * and z gets the mean (the exemplar is taken as a cut containing z's statistics on average).
         */
        public static Target fromExemplar(Volume exemplar, int phase, int maxLag, boolean isotropic,
                boolean withLinealPath) {
            if (exemplar == null || exemplar.nz() != 1) {
                throw new IllegalArgumentException("a 2D exemplar must have nz = 1, got "
                        + (exemplar == null ? "null" : exemplar.nz()) + "; take one with Volume.slice(Axis.Z, k)");
            }
            int smallest = Math.min(exemplar.nx(), exemplar.ny());
            if (maxLag < 1 || maxLag > (smallest - 1) / 2) {
                throw new IllegalArgumentException("maxLag must lie in 1.." + (smallest - 1) / 2
                        + " (half the smallest exemplar side " + smallest + "), got " + maxLag);
            }
            TwoPointCorrelation.Result s = TwoPointCorrelation.compute(exemplar, phase,
                    new TwoPointCorrelation.Options(true, maxLag));
            double[][] s2 = planeToSpace(Arrays.copyOf(s.x().value(), maxLag + 1),
                    Arrays.copyOf(s.y().value(), maxLag + 1), isotropic);
            double[][] lp = null;
            if (withLinealPath) {
                double[][] l = linealPathOf(exemplar, phase, maxLag);
                lp = planeToSpace(l[0], l[1], isotropic);
            }
            return new Target(maxLag, s.volumeFraction(), s2, lp);
        }

        private static double[][] planeToSpace(double[] x, double[] y, boolean isotropic) {
            double[] mean = new double[x.length];
            for (int r = 0; r < x.length; r++) {
                mean[r] = 0.5 * (x[r] + y[r]);
            }
            return isotropic ? new double[][] {mean, mean.clone(), mean.clone()} : new double[][] {x, y, mean};
        }

        /** Periodic S2 RMSE of {@code volume}'s {@code phase} against this target, along all three axes. */
        public double rmse(Volume volume, int phase) {
            TwoPointCorrelation.Result s = TwoPointCorrelation.compute(volume, phase,
                    new TwoPointCorrelation.Options(true, maxLag));
            double sum = 0;
            for (Axis a : Axis.values()) {
                double[] v = s.along(a).value();
                for (int r = 0; r <= maxLag; r++) {
                    double d = v[r] - s2[a.ordinal()][r];
                    sum += d * d;
                }
            }
            return Math.sqrt(sum / (3.0 * (maxLag + 1)));
        }
    }

    /** Periodic lineal path along x, y, z (axes of size 1 give zeros beyond r = 0), lags 0..maxLag. */
    static double[][] linealPathOf(Volume volume, int phase, int maxLag) {
        byte[] ind = indicator(volume, phase);
        if (volume.nz() == 1) {
            // the z "lines" of a 2D exemplar have one voxel and would wrap onto themselves: leave z empty
            LineCounts c = new LineCounts(volume.nx(), volume.ny(), 1, ind, maxLag, true);
            double[][] out = fractions(c.paths, maxLag, c.n);
            Arrays.fill(out[2], 0);
            return out;
        }
        LineCounts c = new LineCounts(volume.nx(), volume.ny(), volume.nz(), ind, maxLag, true);
        return fractions(c.paths, maxLag, c.n);
    }

    private static byte[] indicator(Volume v, int phase) {
        byte[] ind = new byte[(int) v.voxelCount()];
        for (int i = 0; i < ind.length; i++) {
            ind[i] = (byte) (v.get(i) == phase ? 1 : 0);
        }
        return ind;
    }

    private static double[][] fractions(long[] counts, int maxLag, int n) {
        double[][] out = new double[3][maxLag + 1];
        for (int a = 0; a < 3; a++) {
            for (int r = 0; r <= maxLag; r++) {
                out[a][r] = counts[a * (maxLag + 1) + r] / (double) n;
            }
        }
        return out;
    }

    /**
     * Options.
     *
     * @param nx output size along x, voxels (likewise ny, nz); each at least {@code 2 maxLag + 1}
     * @param targetRmse stop when the S2 RMSE falls to this, >= 0
     * @param timeLimitSeconds wall-clock limit, > 0
     * @param maxSwaps limit on trial swaps, > 0
     * @param initialTemperatureScale T0 / mean |dE| of random swaps, >= 0 (0: greedy, zero temperature)
     * @param coolingFactor geometric cooling factor in (0, 1]
     * @param swapsPerTemperature trial swaps per temperature, 0 for automatic (N / 8, at least 1000)
     * @param stagnationTemperatures stop after this many temperatures without a 0.1 % energy gain, >= 1
     * @param interfaceSwaps draw swap voxels among interface voxels (see class comment)
     * @param linealPathWeight weight w of the lineal-path term, >= 0; > 0 requires a target lineal path
     * @param seed random seed ({@link SplittableRandom})
     */
    public record Options(int nx, int ny, int nz, double targetRmse, double timeLimitSeconds, long maxSwaps,
            double initialTemperatureScale, double coolingFactor, long swapsPerTemperature, int stagnationTemperatures,
            boolean interfaceSwaps, double linealPathWeight, long seed) {
        public Options {
            if (nx < 3 || ny < 3 || nz < 3) {
                throw new IllegalArgumentException("output size must be at least 3 per axis, got " + nx + " x " + ny
                        + " x " + nz);
            }
            if ((long) nx * ny * nz > Integer.MAX_VALUE / 2) {
                throw new IllegalArgumentException("output " + nx + " x " + ny + " x " + nz
                        + " is too large for voxel annealing (at most 2^30 voxels); anneal a smaller cell");
            }
            if (!(targetRmse >= 0)) {
                throw new IllegalArgumentException("targetRmse must be >= 0, got " + targetRmse);
            }
            if (!(timeLimitSeconds > 0)) {
                throw new IllegalArgumentException("timeLimitSeconds must be > 0, got " + timeLimitSeconds);
            }
            if (maxSwaps < 1) {
                throw new IllegalArgumentException("maxSwaps must be >= 1, got " + maxSwaps
                        + "; use Long.MAX_VALUE for no limit");
            }
            if (!(initialTemperatureScale >= 0) || Double.isInfinite(initialTemperatureScale)) {
                throw new IllegalArgumentException("initialTemperatureScale must be finite and >= 0, got "
                        + initialTemperatureScale);
            }
            if (!(coolingFactor > 0 && coolingFactor <= 1)) {
                throw new IllegalArgumentException("coolingFactor must lie in (0, 1], got " + coolingFactor
                        + "; typical 0.9");
            }
            if (swapsPerTemperature < 0) {
                throw new IllegalArgumentException("swapsPerTemperature must be >= 0 (0 = automatic), got "
                        + swapsPerTemperature);
            }
            if (stagnationTemperatures < 1) {
                throw new IllegalArgumentException("stagnationTemperatures must be >= 1, got "
                        + stagnationTemperatures);
            }
            if (!(linealPathWeight >= 0) || Double.isInfinite(linealPathWeight)) {
                throw new IllegalArgumentException("linealPathWeight must be finite and >= 0, got "
                        + linealPathWeight);
            }
        }

        /** 64^3, target RMSE 0.002, 60 s, greedy-leaning schedule, interface swaps, no lineal path, seed 1. */
        public static Options defaults() {
            return new Options(64, 64, 64, 0.002, 60, Long.MAX_VALUE, 0.05, 0.9, 0, 20, true, 0, 1L);
        }

        /** A copy with another size. */
        public Options withSize(int x, int y, int z) {
            return new Options(x, y, z, targetRmse, timeLimitSeconds, maxSwaps, initialTemperatureScale,
                    coolingFactor, swapsPerTemperature, stagnationTemperatures, interfaceSwaps, linealPathWeight,
                    seed);
        }

        /** A copy with another seed. */
        public Options withSeed(long s) {
            return new Options(nx, ny, nz, targetRmse, timeLimitSeconds, maxSwaps, initialTemperatureScale,
                    coolingFactor, swapsPerTemperature, stagnationTemperatures, interfaceSwaps, linealPathWeight, s);
        }
    }

    /**
     * Result.
     *
     * @param volume the best volume, labels 1 (phase) and 0
     * @param errorCurveSeconds wall time of each point of the error curve, seconds
     * @param errorCurve best-so-far S2 RMSE at those times (non-increasing)
     * @param swapsTried trial swaps
     * @param swapsAccepted accepted swaps
     * @param seconds total wall time
     * @param finalRmse S2 RMSE of {@code volume}
     * @param stop why the run stopped
     */
    public record Result(Volume volume, double[] errorCurveSeconds, double[] errorCurve, long swapsTried,
            long swapsAccepted, double seconds, double finalRmse, Stop stop) {
    }

    /**
     * Anneals a volume of {@code options}' size to the target.
     *
     * @throws IllegalArgumentException for null arguments, a lag R too long for the output size, or a lineal-path
     *     weight without a target lineal path
     */
    public static Result reconstruct(Target target, Options options, Listener listener) {
        if (target == null || options == null) {
            throw new IllegalArgumentException("target and options are required; use Options.defaults()");
        }
        Listener out = listener == null ? Listener.NONE : listener;
        int big = target.maxLag();
        int smallest = Math.min(options.nx(), Math.min(options.ny(), options.nz()));
        if (2 * big + 1 > smallest) {
            throw new IllegalArgumentException("target maxLag " + big + " needs every output side >= " + (2 * big + 1)
                    + ", got " + smallest + "; enlarge the output or build the target with a smaller maxLag");
        }
        boolean lp = options.linealPathWeight() > 0;
        if (lp && target.linealPath() == null) {
            throw new IllegalArgumentException("linealPathWeight " + options.linealPathWeight()
                    + " needs a target with a lineal path; build it with withLinealPath = true or set the weight 0");
        }
        return new Run(target, options, out).anneal();
    }

    /** One annealing run: the mutable state and the loop. */
    private static final class Run {
        private final Target target;
        private final Options o;
        private final Listener listener;
        private final SplittableRandom random;
        private final LineCounts lc;
        private final int n;
        private final int terms;
        private final double[] t2;
        private final double[] tl;
        private final double w;
        private final int[] ones;
        private final int[] zeros;
        private final int[] position;
        private final long[] savedCounts;
        private final long[] savedPaths;

        Run(Target target, Options o, Listener listener) {
            this.target = target;
            this.o = o;
            this.listener = listener;
            this.random = new SplittableRandom(o.seed());
            this.n = o.nx() * o.ny() * o.nz();
            int big = target.maxLag();
            this.terms = 3 * (big + 1);
            this.t2 = flatten(target.s2(), big);
            this.w = o.linealPathWeight();
            this.tl = w > 0 ? flatten(target.linealPath(), big) : new double[0];
            // random initial field with exactly round(phi N) phase voxels (partial Fisher-Yates)
            int count = (int) Math.round(target.volumeFraction() * n);
            int[] order = new int[n];
            for (int i = 0; i < n; i++) {
                order[i] = i;
            }
            for (int i = 0; i < count; i++) {
                int j = i + random.nextInt(n - i);
                int t = order[i];
                order[i] = order[j];
                order[j] = t;
            }
            byte[] state = new byte[n];
            for (int i = 0; i < count; i++) {
                state[order[i]] = 1;
            }
            this.ones = new int[count];
            this.zeros = new int[n - count];
            this.position = new int[n];
            int k1 = 0;
            int k0 = 0;
            for (int p = 0; p < n; p++) {
                if (state[p] == 1) {
                    position[p] = k1;
                    ones[k1++] = p;
                } else {
                    position[p] = k0;
                    zeros[k0++] = p;
                }
            }
            this.lc = new LineCounts(o.nx(), o.ny(), o.nz(), state, big, w > 0);
            this.savedCounts = new long[lc.counts.length];
            this.savedPaths = new long[lc.paths.length];
        }

        private static double[] flatten(double[][] c, int big) {
            double[] f = new double[3 * (big + 1)];
            for (int a = 0; a < 3; a++) {
                System.arraycopy(c[a], 0, f, a * (big + 1), big + 1);
            }
            return f;
        }

        double s2Energy() {
            double e = 0;
            double inv = 1.0 / n;
            long[] c = lc.counts;
            for (int i = 0; i < terms; i++) {
                double d = c[i] * inv - t2[i];
                e += d * d;
            }
            return e;
        }

        double energy() {
            double e = s2Energy();
            if (w > 0) {
                double inv = 1.0 / n;
                long[] c = lc.paths;
                double l = 0;
                for (int i = 0; i < terms; i++) {
                    double d = c[i] * inv - tl[i];
                    l += d * d;
                }
                e += w * l;
            }
            return e;
        }

        double rmse() {
            return Math.sqrt(s2Energy() / terms);
        }

        private int pick(int[] list) {
            int p = list[random.nextInt(list.length)];
            if (o.interfaceSwaps()) {
                for (int t = 0; t < 16 && !lc.onInterface(p); t++) {
                    p = list[random.nextInt(list.length)];
                }
            }
            return p;
        }

        /** Applies a trial swap a (1 -> 0), b (0 -> 1); returns the new energy. */
        private double apply(int a, int b) {
            System.arraycopy(lc.counts, 0, savedCounts, 0, savedCounts.length);
            if (w > 0) {
                System.arraycopy(lc.paths, 0, savedPaths, 0, savedPaths.length);
            }
            lc.flip(a, 0);
            lc.flip(b, 1);
            return energy();
        }

        private void undo(int a, int b) {
            System.arraycopy(savedCounts, 0, lc.counts, 0, savedCounts.length);
            if (w > 0) {
                System.arraycopy(savedPaths, 0, lc.paths, 0, savedPaths.length);
            }
            lc.state[a] = 1;
            lc.state[b] = 0;
        }

        private void commit(int a, int b) {
            int ia = position[a];
            int ib = position[b];
            ones[ia] = b;
            position[b] = ia;
            zeros[ib] = a;
            position[a] = ib;
        }

        Result anneal() {
            long start = System.nanoTime();
            double e = energy();
            // initial temperature from the mean |dE| of random trial swaps (not kept)
            double sum = 0;
            int probes = 2000;
            for (int i = 0; i < probes; i++) {
                int a = pick(ones);
                int b = pick(zeros);
                sum += Math.abs(apply(a, b) - e);
                undo(a, b);
            }
            double temperature = o.initialTemperatureScale() * sum / probes;
            long perT = o.swapsPerTemperature() > 0 ? o.swapsPerTemperature() : Math.max(1000, n / 8);
            byte[] best = lc.state.clone();
            double bestE = e;
            double bestRmse = rmse();
            double[] times = new double[64];
            double[] curve = new double[64];
            int points = 0;
            times[points] = 0;
            curve[points++] = bestRmse;
            long tried = 0;
            long accepted = 0;
            int stale = 0;
            double staleRef = bestE;
            Stop stop = null;
            while (stop == null) {
                for (long k = 0; k < perT; k++) {
                    int a = pick(ones);
                    int b = pick(zeros);
                    double eNew = apply(a, b);
                    tried++;
                    double d = eNew - e;
                    if (d <= 0 || (temperature > 0 && random.nextDouble() < Math.exp(-d / temperature))) {
                        commit(a, b);
                        e = eNew;
                        accepted++;
                        if (e < bestE && rmse() <= o.targetRmse()) {
                            stop = Stop.TARGET_REACHED;
                            break;
                        }
                    } else {
                        undo(a, b);
                    }
                    if (tried >= o.maxSwaps()) {
                        stop = Stop.SWAP_LIMIT;
                        break;
                    }
                    if ((k & 4095) == 4095 && Thread.currentThread().isInterrupted()) {
                        stop = Stop.INTERRUPTED;
                        break;
                    }
                }
                if (e < bestE) {
                    bestE = e;
                    bestRmse = rmse();
                    System.arraycopy(lc.state, 0, best, 0, n);
                }
                double elapsed = (System.nanoTime() - start) * 1e-9;
                if (points == times.length) {
                    times = Arrays.copyOf(times, 2 * points);
                    curve = Arrays.copyOf(curve, 2 * points);
                }
                times[points] = elapsed;
                curve[points++] = bestRmse;
                listener.onProgress(tried, bestRmse, elapsed);
                if (bestE < staleRef * 0.999) {
                    staleRef = bestE;
                    stale = 0;
                } else if (++stale >= o.stagnationTemperatures() && stop == null) {
                    stop = Stop.STAGNATION;
                }
                if (stop == null && elapsed >= o.timeLimitSeconds()) {
                    stop = Stop.TIME_LIMIT;
                }
                if (stop == null && Thread.currentThread().isInterrupted()) {
                    stop = Stop.INTERRUPTED;
                }
                temperature *= o.coolingFactor();
            }
            double seconds = (System.nanoTime() - start) * 1e-9;
            Volume volume = VolumeBuilder.adopt(o.nx(), o.ny(), o.nz(), best).build();
            return new Result(volume, Arrays.copyOf(times, points), Arrays.copyOf(curve, points), tried, accepted,
                    seconds, bestRmse, stop);
        }
    }
}
