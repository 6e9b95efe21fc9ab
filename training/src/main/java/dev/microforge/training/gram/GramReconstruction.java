package dev.microforge.training.gram;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.pooling.Pool;
import ai.djl.training.GradientCollector;
import dev.microforge.datasets.Axis;
import dev.microforge.models.Engines;
import dev.microforge.models.gram.FeatureExtractor;
import dev.microforge.training.GradientGuard;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reconstructs a volume (or a 2D image) whose slices have the texture of an exemplar, by optimising a field of
 * per-voxel phase logits against the {@link GramLoss} (Li et al., "A transfer learning approach for microstructure
 * reconstruction and structure-property predictions", Sci. Rep. 8 (2018) 13461; Bostanabad, Comput.-Aided Des. 128
 * (2020) 102906), with any {@link FeatureExtractor} in place of their pretrained VGG-19.
 *
 * <p>Optimiser: Adam (Kingma and Ba 2015) on the logits {@code theta (1, phases, D, H, W)}, {@code p =
 * softmax(theta)}. Each step takes, along every matched axis, about {@link Options#slicesPerAxis()} evenly spaced
 * slices from a random offset (a stochastic but unbiased estimate of the sum over all slices). Coarse to fine
 * ({@link Options#levels()} levels, each doubling the size): level {@code l} of {@code L} optimises a volume
 * {@code 2^(L-1-l)} times smaller against the exemplar averaged over blocks of that size, and its logits, repeated
 * x2 along every axis, start the next level. The time limit is shared equally between the levels: the large-scale
 * arrangement forms at the coarse levels, where steps are cheap, and the finest level sharpens it.
 *
 * <p>Output: per-voxel phase probabilities, x fastest ({@code x + nx (y + ny z)}); turning them into labels at the
 * target fractions is the caller's (a level cut). Memory: about 4 arrays of {@code 4 phases} bytes per voxel plus
 * the feature maps of the slices of one step.
 *
 * <p>Reproducibility: the initial logits and the slice offsets come from a Java random stream seeded with {@link
 * Options#seed()}; a run stopped by its iteration counts (not by the clock) gives the same probabilities for the same
 * seed on the same machine and thread count.
 */
public final class GramReconstruction {

    private static final Logger LOG = LoggerFactory.getLogger(GramReconstruction.class);

    private static final double BETA1 = 0.9;
    private static final double BETA2 = 0.999;
    private static final double ADAM_EPSILON = 1e-8;
    /** A gradient larger than this times the typical one is taken as corrupted. */
    static final double GUARD_FACTOR = 1e3;
    static final int GUARD_ATTEMPTS = 4;

    private GramReconstruction() {}

    /** Why a run stopped. */
    public enum Stop { COMPLETED, TIME_LIMIT, INTERRUPTED }

    /** Progress, once per optimisation step; called on the reconstructing thread. */
    @FunctionalInterface
    public interface Listener {
        /** Ignores everything. */
        Listener NONE = (level, levels, iteration, iterations, loss, seconds) -> {};

        /**
         * @param level 1-based level (1 = coarsest)
         * @param levels number of levels
         * @param iteration 1-based step within the level
         * @param iterations steps planned for the level
         * @param loss the loss of this step (on the slices it took)
         * @param seconds wall time since the start
         */
        void onIteration(int level, int levels, int iteration, int iterations, double loss, double seconds);
    }

    /**
     * Options.
     *
     * @param nx output size along x, voxels (likewise ny, nz; {@code nz = 1} for a 2D output)
     * @param ny output size along y
     * @param nz output size along z
     * @param fractions target phase fractions, or null for the exemplar's
     * @param levels resolution levels, 1..4 (each halves the size of the one above)
     * @param iterations Adam steps per level, at least 1
     * @param timeLimitSeconds wall-clock limit for the whole run, > 0
     * @param slicesPerAxis slices per axis per step, at least 1 (all slices when larger than the size)
     * @param learningRate Adam step size on the logits, > 0
     * @param fractionWeight weight lambda of the volume-fraction penalty, >= 0
     * @param correlationWeight weight mu of the two-point correlation term of {@link GramLoss}, >= 0 (0: Gram
     *     matrices only)
     * @param maxLag largest lag of that term, voxels at full resolution, >= 1
     * @param seed random seed
     */
    public record Options(int nx, int ny, int nz, double[] fractions, int levels, int iterations,
            double timeLimitSeconds, int slicesPerAxis, double learningRate, double fractionWeight,
            double correlationWeight, int maxLag, long seed) {

        /** Validates the options. */
        public Options {
            if (nx < 1 || ny < 1 || nz < 1 || (long) nx * ny * nz > 512L * 512 * 512) {
                throw new IllegalArgumentException("output size must be 1..512^3 voxels, got " + nx + " x " + ny
                        + " x " + nz);
            }
            if (fractions != null) {
                fractions = fractions.clone();
                double sum = 0;
                for (double f : fractions) {
                    if (!(f >= 0 && f <= 1)) {
                        throw new IllegalArgumentException("fractions must lie in [0, 1], got "
                                + Arrays.toString(fractions));
                    }
                    sum += f;
                }
                if (Math.abs(sum - 1) > 1e-6) {
                    throw new IllegalArgumentException("fractions must sum to 1, got " + Arrays.toString(fractions));
                }
            }
            if (levels < 1 || levels > 4) {
                throw new IllegalArgumentException("levels must be 1..4, got " + levels);
            }
            if (iterations < 1) {
                throw new IllegalArgumentException("iterations must be at least 1, got " + iterations);
            }
            if (!(timeLimitSeconds > 0)) {
                throw new IllegalArgumentException("timeLimitSeconds must be > 0, got " + timeLimitSeconds);
            }
            if (slicesPerAxis < 1) {
                throw new IllegalArgumentException("slicesPerAxis must be at least 1, got " + slicesPerAxis);
            }
            if (!(learningRate > 0) || Double.isInfinite(learningRate)) {
                throw new IllegalArgumentException("learningRate must be finite and > 0, got " + learningRate);
            }
            if (!(fractionWeight >= 0) || Double.isInfinite(fractionWeight)) {
                throw new IllegalArgumentException("fractionWeight must be finite and >= 0, got " + fractionWeight);
            }
            if (!(correlationWeight >= 0) || Double.isInfinite(correlationWeight)) {
                throw new IllegalArgumentException("correlationWeight must be finite and >= 0, got "
                        + correlationWeight);
            }
            if (maxLag < 1) {
                throw new IllegalArgumentException("maxLag must be at least 1 voxel, got " + maxLag);
            }
        }

        /**
         * Defaults: 64³, the exemplar's fractions, 3 levels (stopped by the clock: at most 100000 steps each), 600 s,
         * 8 slices per axis per step, learning rate 0.1, fraction weight 100, two-point weight 300 with lags to 24
         * voxels, seed 1. With these, a 96³ NMC volume from one 2D slice reached S2 RMSE 0.005 (every phase and axis)
         * in 600 s on 2 shared cores ({@code microforge bench gram}).
         *
         * @return the defaults
         */
        public static Options defaults() {
            return new Options(64, 64, 64, null, 3, 100_000, 600, 8, 0.1, 100, 300, 24, 1L);
        }

        /**
         * A copy with another size.
         *
         * @param x voxels along x
         * @param y along y
         * @param z along z (1 for a 2D output)
         * @return the copy
         */
        public Options withSize(int x, int y, int z) {
            return new Options(x, y, z, fractions, levels, iterations, timeLimitSeconds, slicesPerAxis, learningRate,
                    fractionWeight, correlationWeight, maxLag, seed);
        }

        /**
         * A copy with other step counts.
         *
         * @param l levels
         * @param perLevel steps per level
         * @return the copy
         */
        public Options withIterations(int l, int perLevel) {
            return new Options(nx, ny, nz, fractions, l, perLevel, timeLimitSeconds, slicesPerAxis, learningRate,
                    fractionWeight, correlationWeight, maxLag, seed);
        }

        /**
         * A copy with another time limit.
         *
         * @param seconds the limit
         * @return the copy
         */
        public Options withTimeLimit(double seconds) {
            return new Options(nx, ny, nz, fractions, levels, iterations, seconds, slicesPerAxis, learningRate,
                    fractionWeight, correlationWeight, maxLag, seed);
        }

        /**
         * A copy with another seed.
         *
         * @param s the seed
         * @return the copy
         */
        public Options withSeed(long s) {
            return new Options(nx, ny, nz, fractions, levels, iterations, timeLimitSeconds, slicesPerAxis,
                    learningRate, fractionWeight, correlationWeight, maxLag, s);
        }

        /**
         * A copy with another two-point correlation term.
         *
         * @param weight mu, 0 for none
         * @param lag largest lag, voxels at full resolution
         * @return the copy
         */
        public Options withCorrelation(double weight, int lag) {
            return new Options(nx, ny, nz, fractions, levels, iterations, timeLimitSeconds, slicesPerAxis,
                    learningRate, fractionWeight, weight, lag, seed);
        }

        /**
         * A copy with target fractions.
         *
         * @param f fractions, or null for the exemplar's
         * @return the copy
         */
        public Options withFractions(double[] f) {
            return new Options(nx, ny, nz, f, levels, iterations, timeLimitSeconds, slicesPerAxis, learningRate,
                    fractionWeight, correlationWeight, maxLag, seed);
        }

        /**
         * A copy with other optimiser settings.
         *
         * @param slices slices per axis per step
         * @param rate learning rate
         * @param weight fraction weight
         * @return the copy
         */
        public Options withOptimiser(int slices, double rate, double weight) {
            return new Options(nx, ny, nz, fractions, levels, iterations, timeLimitSeconds, slices, rate, weight,
                    correlationWeight, maxLag, seed);
        }
    }

    /**
     * The result.
     *
     * @param nx size along x
     * @param ny size along y
     * @param nz size along z
     * @param probabilities {@code probabilities[k][x + nx (y + ny z)]}: probability of phase k
     * @param fractions the target fractions used
     * @param softFractions mean probability of each phase
     * @param lossSeconds wall time of each step, seconds since the start
     * @param loss loss of each step
     * @param lossLevel level (1-based) of each step
     * @param seconds total wall time
     * @param stop why it stopped
     * @param gradientRetries gradients recomputed because they came back corrupted (see {@link GradientGuard})
     * @param skippedSteps steps skipped because every attempt came back corrupted
     */
    public record Result(int nx, int ny, int nz, float[][] probabilities, double[] fractions, double[] softFractions,
            double[] lossSeconds, double[] loss, int[] lossLevel, double seconds, Stop stop, int gradientRetries,
            int skippedSteps) {

        /**
         * Returns the number of optimisation steps taken, over all levels.
         *
         * @return steps
         */
        public int steps() {
            return loss.length;
        }
    }

    /**
     * Runs the reconstruction.
     *
     * @param exemplar what to imitate
     * @param extractor the feature network (not closed here)
     * @param options options
     * @param listener progress, or null
     * @return the probabilities and the loss history
     */
    public static Result reconstruct(Exemplar exemplar, FeatureExtractor extractor, Options options,
            Listener listener) {
        if (exemplar == null || extractor == null || options == null) {
            throw new IllegalArgumentException("exemplar, extractor and options are required");
        }
        double[] fractions = options.fractions() != null ? options.fractions() : exemplar.fractions();
        if (fractions.length != exemplar.phases()) {
            throw new IllegalArgumentException(fractions.length + " target fractions for an exemplar of "
                    + exemplar.phases() + " phases");
        }
        Listener out = listener == null ? Listener.NONE : listener;
        int[][] sizes = levelSizes(options);
        int levels = sizes.length;
        boolean threeD = options.nz() > 1 && options.ny() > 1 && options.nx() > 1;
        long start = System.nanoTime();
        SplittableRandom random = new SplittableRandom(options.seed());
        Engine engine = Engines.pytorch();
        List<Double> times = new ArrayList<>();
        List<Double> losses = new ArrayList<>();
        List<Integer> lossLevels = new ArrayList<>();
        Stop stop = Stop.COMPLETED;
        double budgetUsed = 0;
        int retries = 0;
        int rejected = 0;
        try (NDManager run = engine.newBaseManager(Engines.device())) {
            NDArray theta = initialLogits(run, exemplar.phases(), sizes[0], random);
            for (int level = 0; level < levels && stop == Stop.COMPLETED; level++) {
                int[] size = sizes[level];
                int factor = 1 << (levels - 1 - level);
                budgetUsed += 1.0 / levels;
                double deadline = options.timeLimitSeconds() * budgetUsed;
                int lag = Math.max(1, (int) Math.round((double) options.maxLag() / factor));
                try (GramLoss loss = GramLoss.create(extractor, exemplar, factor, size, threeD, fractions,
                        options.fractionWeight(), options.correlationWeight(), lag)) {
                    List<Axis> axes = loss.axes(size[0], size[1], size[2]);
                    if (axes.isEmpty()) {
                        throw new IllegalArgumentException("output " + size[0] + " x " + size[1] + " x " + size[2]
                                + " at level " + (level + 1) + " is smaller than the feature extractor's minimum "
                                + extractor.minimumSize() + "; use fewer levels or a larger output");
                    }
                    LOG.debug("level {} of {}: {} x {} x {}, exemplar pooled x{}, axes {}", level + 1, levels,
                            size[0], size[1], size[2], factor, axes);
                    GradientGuard guard = new GradientGuard(GUARD_FACTOR);
                    NDArray m = theta.zerosLike();
                    NDArray v = theta.zerosLike();
                    for (int it = 1; it <= options.iterations(); it++) {
                        if (Thread.currentThread().isInterrupted()) {
                            stop = Stop.INTERRUPTED;
                            break;
                        }
                        if (seconds(start) > deadline) {
                            if (level == levels - 1) {
                                stop = Stop.TIME_LIMIT;
                            }
                            break;
                        }
                        Map<Axis, GramLoss.Slices> picks = new EnumMap<>(Axis.class);
                        for (Axis a : axes) {
                            int n = size[a.ordinal()];
                            long step = Math.max(1, n / options.slicesPerAxis());
                            int[] shift = loss.shiftRange(a, size);
                            picks.put(a, new GramLoss.Slices(random.nextLong(step), step, random.nextInt(shift[0] + 1),
                                    random.nextInt(shift[1] + 1)));
                        }
                        double value;
                        NDArray[] previous = {theta, m, v};
                        try (NDManager stepManager = run.newSubManager()) {
                            theta.tempAttach(stepManager);
                            m.tempAttach(stepManager);
                            v.tempAttach(stepManager);
                            NDArray[] lossAndGradient = guardedGradient(engine, loss, theta, picks, guard);
                            if (lossAndGradient == null) {
                                rejected++;
                                continue;
                            }
                            value = lossAndGradient[0].getFloat();
                            NDArray gradient = lossAndGradient[1];
                            NDArray m1 = m.mul((float) BETA1).add(gradient.mul((float) (1 - BETA1)));
                            NDArray v1 = v.mul((float) BETA2).add(gradient.square().mul((float) (1 - BETA2)));
                            double c1 = 1 - Math.pow(BETA1, it);
                            double c2 = 1 - Math.pow(BETA2, it);
                            NDArray stepSize = m1.div((float) c1)
                                    .div(v1.div((float) c2).sqrt().add((float) ADAM_EPSILON))
                                    .mul((float) options.learningRate());
                            NDArray next = theta.stopGradient().sub(stepSize);
                            next.attach(run);
                            m1.attach(run);
                            v1.attach(run);
                            theta = next;
                            m = m1;
                            v = v1;
                        }
                        // tempAttach hands the replaced arrays back to the run's manager: free them now, or every
                        // step keeps three volume-sized arrays (24 GB after 9 minutes at 96³)
                        for (NDArray old : previous) {
                            old.close();
                        }
                        double t = seconds(start);
                        times.add(t);
                        losses.add(value);
                        lossLevels.add(level + 1);
                        out.onIteration(level + 1, levels, it, options.iterations(), value, t);
                    }
                    retries += guard.retries();
                    m.close();
                    v.close();
                }
                if (level < levels - 1) {
                    NDArray coarse = theta;
                    theta = upsample(run, theta, sizes[level + 1]);
                    if (theta != coarse) {
                        coarse.close();
                    }
                }
            }
            float[][] probabilities = split(theta.softmax(1).toType(DataType.FLOAT32, false).toFloatArray(),
                    exemplar.phases());
            double[] soft = new double[exemplar.phases()];
            for (int k = 0; k < soft.length; k++) {
                double s = 0;
                for (float p : probabilities[k]) {
                    s += p;
                }
                soft[k] = s / probabilities[k].length;
            }
            return new Result(options.nx(), options.ny(), options.nz(), probabilities, fractions.clone(), soft,
                    toDoubles(times), toDoubles(losses), lossLevels.stream().mapToInt(Integer::intValue).toArray(),
                    seconds(start), stop, retries, rejected);
        }
    }

    /**
     * Loss and gradient with respect to {@code theta}, recomputed when the guard rejects the gradient (at most
     * {@value #GUARD_ATTEMPTS} attempts); null when every attempt was rejected.
     */
    private static NDArray[] guardedGradient(Engine engine, GramLoss loss, NDArray theta,
            Map<Axis, GramLoss.Slices> picks, GradientGuard guard) {
        for (int attempt = 1; attempt <= GUARD_ATTEMPTS; attempt++) {
            NDArray input = theta.stopGradient();
            input.setRequiresGradient(true);
            NDArray value;
            try (GradientCollector collector = engine.newGradientCollector()) {
                value = loss.evaluate(input, picks);
                collector.backward(value);
            }
            NDArray gradient = input.getGradient();
            double largest = gradient.abs().max().getFloat();
            if (guard.accept(largest) && Float.isFinite(value.getFloat())) {
                return new NDArray[] {value, gradient};
            }
            LOG.debug("rejected a corrupted gradient (largest entry {}), attempt {} of {}", largest, attempt,
                    GUARD_ATTEMPTS);
        }
        return null;
    }

    /** Sizes {x, y, z} of each level, coarsest first: ceil(n / 2^(L-1-l)) along axes longer than 1. */
    static int[][] levelSizes(Options o) {
        int[] full = {o.nx(), o.ny(), o.nz()};
        int[][] sizes = new int[o.levels()][3];
        for (int l = 0; l < o.levels(); l++) {
            int f = 1 << (o.levels() - 1 - l);
            for (int a = 0; a < 3; a++) {
                sizes[l][a] = full[a] == 1 ? 1 : (full[a] + f - 1) / f;
            }
        }
        return sizes;
    }

    private static NDArray initialLogits(NDManager manager, int phases, int[] size, SplittableRandom random) {
        int n = phases * size[0] * size[1] * size[2];
        float[] values = new float[n];
        for (int i = 0; i < n; i++) {
            double u1 = random.nextDouble();
            double u2 = random.nextDouble();
            values[i] = (float) (Math.sqrt(-2 * Math.log(1 - u1)) * Math.cos(2 * Math.PI * u2));
        }
        return manager.create(values, new Shape(1, phases, size[2], size[1], size[0]));
    }

    /**
     * Repeats x2 along every axis longer than 1, crops to {@code size}, then smooths with a 3-voxel box (per axis
     * longer than 1, stride 1, the border averaged over the voxels inside): the coarse logits start the next level
     * without the staircase that plain repetition would leave at every coarse voxel boundary.
     */
    private static NDArray upsample(NDManager manager, NDArray theta, int[] size) {
        NDArray t = theta;
        for (int a = 0; a < 3; a++) {
            int dim = 4 - a;
            if (t.getShape().get(dim) < size[a]) {
                t = t.repeat(dim, 2);
            }
        }
        t = t.get(":, :, :" + size[2] + ", :" + size[1] + ", :" + size[0]);
        Shape kernel = new Shape(size[2] > 1 ? 3 : 1, size[1] > 1 ? 3 : 1, size[0] > 1 ? 3 : 1);
        Shape pad = new Shape(kernel.get(0) / 2, kernel.get(1) / 2, kernel.get(2) / 2);
        NDArray smooth = Pool.avgPool3d(t, kernel, new Shape(1, 1, 1), pad, false, false);
        smooth.attach(manager);
        return smooth;
    }

    private static float[][] split(float[] values, int phases) {
        int n = values.length / phases;
        float[][] out = new float[phases][];
        for (int k = 0; k < phases; k++) {
            out[k] = Arrays.copyOfRange(values, k * n, (k + 1) * n);
        }
        return out;
    }

    private static double[] toDoubles(List<Double> list) {
        return list.stream().mapToDouble(Double::doubleValue).toArray();
    }

    private static double seconds(long start) {
        return (System.nanoTime() - start) / 1e9;
    }
}
