package dev.microforge.training;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import dev.microforge.datasets.Volume;
import dev.microforge.models.Engines;
import dev.microforge.models.ModelDirectory;
import dev.microforge.models.Scalars;
import dev.microforge.models.gan.Critic3d;
import dev.microforge.models.gan.GanModel;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * WGAN-GP training of a {@link GanModel} (Gulrajani et al., "Improved Training of Wasserstein
 * GANs", 2017) on random one-hot patches of a labelled volume; a {@link Trainer} for {@link
 * TrainingSession}.
 *
 * <p>Per iteration: {@code criticSteps} critic updates minimising {@code E[C(fake)] - E[C(real)] +
 * lambda * E[(||grad_x C(x^)||_2 - 1)^2]} with {@code x^ = e * real + (1 - e) * fake}, {@code e ~
 * U(0,1)} per sample, then one generator update minimising {@code -E[C(G(z))] + mu * M(G(z))}, {@code M}
 * the {@link StatisticsMatching} term (two-point correlation and phase fractions against the training
 * volume's, {@code mu = statisticsWeight}, 0 for the plain WGAN-GP); {@link Adam} for both networks,
 * with their own learning rates. The reported "generator" loss is the adversarial part, "statistics"
 * the unweighted {@code M} (measured, not trained on, when the weight is 0). With {@code linealPathWeight > 0} a
 * second such term on the lineal-path function ({@link StatisticsMatching#linealPathOf}) is added and reported as
 * "linealPath".
 *
 * <p>Interior patches: the generator runs on a latent one voxel larger on every side than the patch needs and
 * the {@code 2^levels} output voxels its zero padding reaches are cut off, so the critic and the statistics
 * judge what the generator makes inside a large volume. Without the cut, 82 % of a 32³ patch lay within the
 * 7 voxels of a three-level generator's padding, the generator learned the boundary's behaviour, and larger
 * volumes came out different (on the NMC cathode: CBD fraction 0.10 in training patches, 0.006 in a 64³ sample).
 * {@link GanModel#generate} and {@code microforge generate} pad the latent and cut the same margin.
 *
 * <p>The penalty's input gradient comes from {@link Critic3d#inputGradient}, written out with ordinary
 * operations, so one first-order backward pass differentiates the whole critic loss: no
 * create-graph backward, whose parameter/gradient reference cycles leaked the activations of every
 * critic step (about 1.5 MB per iteration at 16³, batch 2, with DJL 0.36; see that method).
 * {@code GradientPenaltyCheckTest} checks d GP / d theta against finite differences and against
 * libtorch's create-graph backward.
 *
 * <p>Randomness: iteration {@code i}'s patches, latents and interpolation weights come from {@link
 * IterationSeeds}{@code (seed).random(i, k)} (stream {@code k} for critic step {@code k}, stream
 * {@code criticSteps} for the generator step), never from the engine's global generator, so a run
 * restored from a checkpoint continues exactly.
 */
public final class WganGpTrainer implements Trainer {

    /** Loss names reported per iteration. */
    public static final List<String> LOSSES =
            List.of("critic", "generator", "gradientPenalty", "wasserstein", "statistics");
    /** Loss names reported per iteration with a lineal-path term: {@link #LOSSES} and its unweighted value. */
    public static final List<String> LOSSES_WITH_LINEAL_PATH =
            Stream.concat(LOSSES.stream(), Stream.of("linealPath")).toList();

    static final String GENERATOR_ADAM = "generator-adam.bin";
    static final String CRITIC_ADAM = "critic-adam.bin";

    /**
     * Training options.
     *
     * @param batchSize patches per step, at least 1
     * @param patchSize patch edge (a multiple of 2^generator levels and 2^critic levels)
     * @param criticSteps critic updates per generator update, at least 1
     * @param gradientPenaltyWeight lambda, at least 0 (default 10)
     * @param generatorLearningRate Adam learning rate of the generator (default 1e-4)
     * @param criticLearningRate Adam learning rate of the critic (default 1e-4)
     * @param beta1 Adam beta1 (default 0.5)
     * @param beta2 Adam beta2 (default 0.9)
     * @param statisticsWeight weight of the {@link StatisticsMatching} term in the generator's loss, at least
     *     0 (0: plain WGAN-GP)
     * @param statisticsMaxLag largest lag of that term in voxels, at least 1 and smaller than the edge of the volume
     *     it is measured on
     * @param statisticsPatchSize 0: the term is measured on the generator's batch the critic judges; otherwise the
     *     edge of one more generated volume per iteration the term is measured on instead (a multiple of
     *     {@code 2^levels}, so that the term reaches lags beyond the critic's patch)
     * @param generatorAverage decay {@code d} in [0, 1) of the exponential moving average of the generator's
     *     weights ({@link Adam#swapAverage}; Yazıcı et al., ICLR 2019) that samples and the written model use; 0:
     *     the trained weights themselves
     * @param linealPathWeight weight of the lineal-path term ({@link StatisticsMatching#linealPathOf}) in the
     *     generator's loss, measured on the same volume as the two-point term, at least 0 (0: none)
     * @param linealPathMaxLag largest lag of that term in voxels, from 1 to {@code statisticsMaxLag}
     * @param statisticsAverage decay in [0, 1) of the running average of the generated statistics whose
     *     deviation from the target drives both terms' gradients ({@link StatisticsMatching#withAverage}); 0: each
     *     batch's own deviation
     * @param seed random seed for patches, latents and interpolation
     */
    public record Options(
            int batchSize,
            int patchSize,
            int criticSteps,
            double gradientPenaltyWeight,
            double generatorLearningRate,
            double criticLearningRate,
            double beta1,
            double beta2,
            double statisticsWeight,
            int statisticsMaxLag,
            int statisticsPatchSize,
            double generatorAverage,
            double linealPathWeight,
            int linealPathMaxLag,
            double statisticsAverage,
            long seed) {

        /** Default largest lag of the lineal-path term, voxels (its cost grows with the lag). */
        public static final int LINEAL_PATH_LAG = 16;

        /** Validates the options. */
        public Options {
            require(statisticsWeight >= 0 && Double.isFinite(statisticsWeight),
                    "statisticsWeight must be finite and >= 0, got " + statisticsWeight);
            require(statisticsPatchSize >= 0, "statisticsPatchSize must be 0 (the critic's patches) or an edge in "
                    + "voxels, got " + statisticsPatchSize);
            int edge = statisticsPatchSize == 0 ? patchSize : statisticsPatchSize;
            require(statisticsMaxLag >= 1 && statisticsMaxLag < edge,
                    "statisticsMaxLag must be at least 1 and smaller than " + (statisticsPatchSize == 0 ? "patchSize "
                            : "statisticsPatchSize ") + edge + ", got " + statisticsMaxLag);
            require(linealPathWeight >= 0 && Double.isFinite(linealPathWeight),
                    "linealPathWeight must be finite and >= 0, got " + linealPathWeight);
            require(linealPathMaxLag >= 1 && linealPathMaxLag <= statisticsMaxLag, "linealPathMaxLag must be at least "
                    + "1 and at most the statistics lag " + statisticsMaxLag + ", got " + linealPathMaxLag);
            require(batchSize >= 1, "batchSize must be at least 1, got " + batchSize);
            require(patchSize >= 2, "patchSize must be at least 2, got " + patchSize);
            require(criticSteps >= 1, "criticSteps must be at least 1, got " + criticSteps);
            require(gradientPenaltyWeight >= 0 && Double.isFinite(gradientPenaltyWeight),
                    "gradientPenaltyWeight must be finite and >= 0, got " + gradientPenaltyWeight);
            require(generatorAverage >= 0 && generatorAverage < 1, "generatorAverage must be in [0, 1), got "
                    + generatorAverage);
            require(statisticsAverage >= 0 && statisticsAverage < 1, "statisticsAverage must be in [0, 1), got "
                    + statisticsAverage);
            new Adam.Options(generatorLearningRate, beta1, beta2, 1e-8);
            new Adam.Options(criticLearningRate, beta1, beta2, 1e-8);
        }

        /**
         * Defaults: batch 8, 64³ patches, 5 critic steps, lambda 10, Adam 1e-4 (0.5, 0.9), no statistics
         * term (lag 16), seed 0.
         *
         * @return the defaults
         */
        public static Options defaults() {
            return new Options(8, 64, 5, 10.0, 1e-4, 1e-4, 0.5, 0.9, 0.0, 16, 0L);
        }

        /** Options without a running average of the statistics ({@code statisticsAverage} 0). */
        public Options(int batchSize, int patchSize, int criticSteps, double gradientPenaltyWeight,
                double generatorLearningRate, double criticLearningRate, double beta1, double beta2,
                double statisticsWeight, int statisticsMaxLag, int statisticsPatchSize, double generatorAverage,
                double linealPathWeight, int linealPathMaxLag, long seed) {
            this(batchSize, patchSize, criticSteps, gradientPenaltyWeight, generatorLearningRate, criticLearningRate,
                    beta1, beta2, statisticsWeight, statisticsMaxLag, statisticsPatchSize, generatorAverage,
                    linealPathWeight, linealPathMaxLag, 0, seed);
        }

        /** Options without a lineal-path term ({@code linealPathWeight} 0). */
        public Options(int batchSize, int patchSize, int criticSteps, double gradientPenaltyWeight,
                double generatorLearningRate, double criticLearningRate, double beta1, double beta2,
                double statisticsWeight, int statisticsMaxLag, int statisticsPatchSize, double generatorAverage,
                long seed) {
            this(batchSize, patchSize, criticSteps, gradientPenaltyWeight, generatorLearningRate, criticLearningRate,
                    beta1, beta2, statisticsWeight, statisticsMaxLag, statisticsPatchSize, generatorAverage, 0,
                    Math.min(LINEAL_PATH_LAG, statisticsMaxLag), 0, seed);
        }

        /** Options without a weight average ({@code generatorAverage} 0). */
        public Options(int batchSize, int patchSize, int criticSteps, double gradientPenaltyWeight,
                double generatorLearningRate, double criticLearningRate, double beta1, double beta2,
                double statisticsWeight, int statisticsMaxLag, int statisticsPatchSize, long seed) {
            this(batchSize, patchSize, criticSteps, gradientPenaltyWeight, generatorLearningRate, criticLearningRate,
                    beta1, beta2, statisticsWeight, statisticsMaxLag, statisticsPatchSize, 0, seed);
        }

        /** Options whose statistics term is measured on the critic's batch ({@code statisticsPatchSize} 0). */
        public Options(int batchSize, int patchSize, int criticSteps, double gradientPenaltyWeight,
                double generatorLearningRate, double criticLearningRate, double beta1, double beta2,
                double statisticsWeight, int statisticsMaxLag, long seed) {
            this(batchSize, patchSize, criticSteps, gradientPenaltyWeight, generatorLearningRate, criticLearningRate,
                    beta1, beta2, statisticsWeight, statisticsMaxLag, 0, seed);
        }

        private static void require(boolean ok, String message) {
            if (!ok) {
                throw new IllegalArgumentException(message);
            }
        }
    }

    /**
     * Losses of the last iteration of {@link #train}.
     *
     * @param iterations generator iterations run
     * @param criticLoss last critic loss
     * @param generatorLoss last generator loss
     * @param gradientPenalty last (unweighted) gradient penalty
     */
    public record Result(int iterations, double criticLoss, double generatorLoss, double gradientPenalty) {}

    private final GanModel model;
    private final boolean ownsModel;
    private final Options options;
    private final OneHotPatchSampler sampler;
    private final StatisticsMatching statistics;
    /** The lineal-path term, null without one. */
    private final StatisticsMatching linealPath;
    private static final Logger LOG = LoggerFactory.getLogger(WganGpTrainer.class);
    private final IterationSeeds seeds;
    private long recomputedSteps;
    private final GradientGuard criticGuard = new GradientGuard();
    private final GradientGuard generatorGuard = new GradientGuard();
    private final Adam generatorAdam;
    private final Adam criticAdam;
    private final int latentSize;
    /** Latent voxels padded on each side of a latent: the generator's reach ({@code latentMargin()}). */
    private final int margin;
    /** Latent edge of the statistics term's own volume, 0 when the term uses the critic's batch. */
    private final int statisticsLatentSize;
    private final Engine engine;
    private final ModelDirectory.DataSummary data;
    private final Map<String, Object> config;
    private long lastIteration;

    private WganGpTrainer(GanModel model, boolean ownsModel, Volume data, Options options,
            ModelDirectory.DataSummary dataSummary, Map<String, Object> config) {
        this.latentSize = model.architecture().latentSizeFor(options.patchSize());
        this.margin = model.generator().latentMargin();
        this.statisticsLatentSize = options.statisticsPatchSize() == 0 ? 0
                : model.architecture().latentSizeFor(options.statisticsPatchSize());
        int criticStep = 1 << model.architecture().criticWidths().size();
        if (options.patchSize() % criticStep != 0) {
            throw new IllegalArgumentException(
                    "patch size " + options.patchSize() + " is not a multiple of 2^critic levels = " + criticStep);
        }
        this.engine = Engines.pytorch();
        this.model = model;
        this.ownsModel = ownsModel;
        this.options = options;
        this.sampler = new OneHotPatchSampler(data, options.patchSize(), model.architecture().phases(), options.seed());
        this.seeds = new IterationSeeds(options.seed());
        this.statistics = StatisticsMatching.of(data, model.architecture().phases(), options.statisticsMaxLag())
                .withAverage(options.statisticsAverage());
        this.linealPath = options.linealPathWeight() > 0
                ? StatisticsMatching.linealPathOf(data, model.architecture().phases(), options.linealPathMaxLag())
                        .withAverage(options.statisticsAverage())
                : null;
        this.generatorAdam = new Adam(model.generator(), model.manager(),
                new Adam.Options(options.generatorLearningRate(), options.beta1(), options.beta2(), 1e-8),
                options.generatorAverage());
        this.criticAdam = new Adam(model.critic(), model.manager(),
                new Adam.Options(options.criticLearningRate(), options.beta1(), options.beta2(), 1e-8));
        this.data = dataSummary;
        this.config = config == null ? null : new LinkedHashMap<>(config);
    }

    /**
     * A trainer for a freshly created model; the caller keeps ownership of {@code model}.
     *
     * @param model the model (initialised parameters)
     * @param data labelled volume with labels {@code 0..phases-1}
     * @param options training options
     * @param dataSummary the training data recorded in {@code model.json}, or null
     * @param config the configuration recorded in {@code model.json}, or null
     * @return the trainer at iteration 0
     */
    public static WganGpTrainer create(GanModel model, Volume data, Options options,
            ModelDirectory.DataSummary dataSummary, Map<String, Object> config) {
        return new WganGpTrainer(model, false, data, options, dataSummary, config);
    }

    /**
     * A trainer restored from a checkpoint folder: the model loaded from its files (owned and closed
     * by the trainer) and both optimisers' moments and step counts.
     *
     * @param checkpoint a checkpoint folder written by {@link #writeCheckpoint}
     * @param data the training volume
     * @param options training options (those of the checkpointed run, for an exact continuation)
     * @return the trainer
     * @throws IOException if a file is missing or does not fit the model
     */
    public static WganGpTrainer restore(Path checkpoint, Volume data, Options options) throws IOException {
        ModelDirectory.Manifest manifest = ModelDirectory.readManifest(checkpoint);
        GanModel model = ModelDirectory.loadGan(checkpoint);
        WganGpTrainer trainer;
        try {
            ModelDirectory.TrainingSummary t = manifest.training();
            trainer = new WganGpTrainer(model, true, data, options, t == null ? null : t.data(),
                    t == null ? null : t.config());
        } catch (RuntimeException e) {
            model.close();
            throw e;
        }
        try {
            trainer.generatorAdam.load(checkpoint.resolve(GENERATOR_ADAM));
            trainer.criticAdam.load(checkpoint.resolve(CRITIC_ADAM));
            if (options.statisticsAverage() > 0) {
                StatisticsMatching.readAverages(checkpoint.resolve(StatisticsMatching.AVERAGES_FILE),
                        trainer.statistics, trainer.linealPath);
            }
            trainer.lastIteration = trainer.generatorAdam.steps(); // one generator step per iteration
        } catch (IOException | RuntimeException e) {
            trainer.close();
            throw e;
        }
        return trainer;
    }

    /**
     * Trains {@code model} in place for {@code iterations} iterations, without checkpoints (tests
     * and experiments; the CLI uses {@link TrainingSession}).
     *
     * @param model the model (initialised parameters)
     * @param data labelled volume with labels {@code 0..phases-1}
     * @param options training options
     * @param iterations generator iterations, at least 1
     * @return the last losses
     */
    public static Result train(GanModel model, Volume data, Options options, int iterations) {
        if (iterations < 1) {
            throw new IllegalArgumentException("iterations must be at least 1, got " + iterations);
        }
        try (WganGpTrainer trainer = create(model, data, options, null, null)) {
            IterationResult last = null;
            for (int it = 1; it <= iterations; it++) {
                last = trainer.iterate(it);
            }
            Map<String, Double> l = last.losses();
            return new Result(iterations, l.get("critic"), l.get("generator"), l.get("gradientPenalty"));
        }
    }

    /**
     * Returns how many steps of this session were computed again because their gradient came back corrupted
     * ({@link GradientGuard}; a critic step is redone with the penalty in float64, see {@link
     * Critic3d#inputGradient(ParameterStore, NDArray, DataType)}).
     *
     * @return the count, usually 0
     */
    public long recomputedSteps() {
        return recomputedSteps;
    }

    /**
     * Returns the model being trained.
     *
     * @return the model
     */
    public GanModel model() {
        return model;
    }

    @Override
    public String kind() {
        return ModelDirectory.KIND_GAN3D;
    }

    @Override
    public List<String> lossNames() {
        return linealPath == null ? LOSSES : LOSSES_WITH_LINEAL_PATH;
    }

    @Override
    public IterationResult iterate(long iteration) {
        int n = options.batchSize();
        Critic3d c = model.critic();
        double criticLoss = Double.NaN;
        double penalty = Double.NaN;
        double distance = Double.NaN;
        double criticNorm = Double.NaN;
        for (int k = 0; k < options.criticSteps(); k++) {
            SplittableRandom random = seeds.random(iteration, k);
            try (NDManager step = model.manager().newSubManager()) {
                ParameterStore store = new ParameterStore(step, false);
                NDArray real = sampler.sample(step, n, random);
                NDArray z = model.latent(step, n, latentSize + 2 * margin, random.nextLong());
                NDArray fake = model.generator().interior(
                        model.generator().forward(store, new NDList(z), false).singletonOrThrow()).stopGradient();
                float[] weights = new float[n];
                for (int i = 0; i < n; i++) {
                    weights[i] = (float) random.nextDouble();
                }
                NDArray e = step.create(weights, new Shape(n, 1, 1, 1, 1));
                NDArray interpolates = real.mul(e).add(fake.mul(e.neg().add(1f)));
                boolean accepted = false;
                double gradientNorm = Double.NaN;
                for (int attempt = 1; attempt <= GradientGuard.ATTEMPTS && !accepted; attempt++) {
                    // a repeat runs the penalty in float64, which never showed the fault (Critic3d.inputGradient)
                    DataType precision = attempt == 1 ? DataType.FLOAT32 : DataType.FLOAT64;
                    PtAutograd.zeroGradients(c);
                    try (GradientCollector collector = engine.newGradientCollector()) {
                        NDArray gp = penalty(c.inputGradient(store, interpolates, precision));
                        NDArray realScore = c.forward(store, new NDList(real), true).singletonOrThrow().mean();
                        NDArray fakeScore = c.forward(store, new NDList(fake), true).singletonOrThrow().mean();
                        NDArray loss = fakeScore.sub(realScore)
                                .add(Scalars.times(gp, options.gradientPenaltyWeight()));
                        collector.backward(loss);
                        criticLoss = loss.toType(DataType.FLOAT64, false).getDouble();
                        penalty = gp.toType(DataType.FLOAT64, false).getDouble();
                        distance = realScore.getFloat() - fakeScore.getFloat();
                    }
                    gradientNorm = criticAdam.gradientNorm();
                    accepted = !Double.isFinite(criticLoss) || criticGuard.accept(gradientNorm);
                    if (!accepted) {
                        recomputedSteps++;
                        LOG.warn("critic: rejected a corrupted gradient (norm {}), attempt {} of {}", gradientNorm,
                                attempt, GradientGuard.ATTEMPTS);
                    }
                }
                if (!accepted) {
                    criticGuard.adopt(gradientNorm); // the same every time: a real change of scale, not a glitch
                }
                criticNorm = criticAdam.step();
            }
        }
        double generatorLoss;
        double statisticsLoss;
        double linealPathLoss = Double.NaN;
        double generatorNorm;
        SplittableRandom random = seeds.random(iteration, options.criticSteps());
        try (NDManager step = model.manager().newSubManager()) {
            ParameterStore store = new ParameterStore(step, false);
            NDArray z = model.latent(step, n, latentSize + 2 * margin, random.nextLong());
            NDArray zs = statisticsLatentSize == 0 ? null
                    : model.latent(step, 1, statisticsLatentSize + 2 * margin, random.nextLong());
            boolean accepted = false;
            generatorLoss = Double.NaN;
            statisticsLoss = Double.NaN;
            double gradientNorm = Double.NaN;
            for (int attempt = 1; attempt <= GradientGuard.ATTEMPTS && !accepted; attempt++) {
                PtAutograd.zeroGradients(model.generator());
                try (GradientCollector collector = engine.newGradientCollector()) {
                    NDArray fake = model.generator().interior(
                            model.generator().forward(store, new NDList(z), true).singletonOrThrow());
                    NDArray loss = c.forward(store, new NDList(fake), true).singletonOrThrow().mean().neg();
                    generatorLoss = loss.getFloat();
                    NDArray measured = zs == null ? fake : model.generator().interior(
                            model.generator().forward(store, new NDList(zs), true).singletonOrThrow());
                    StatisticsMatching.GeneratorLoss withTerm = statistics.addTo(loss, measured,
                            options.statisticsWeight());
                    statisticsLoss = withTerm.unweighted();
                    if (linealPath != null) {
                        withTerm = linealPath.addTo(withTerm.loss(), measured, options.linealPathWeight());
                        linealPathLoss = withTerm.unweighted();
                    }
                    collector.backward(withTerm.loss());
                }
                gradientNorm = generatorAdam.gradientNorm();
                accepted = !Double.isFinite(generatorLoss) || generatorGuard.accept(gradientNorm);
                if (!accepted) {
                    recomputedSteps++;
                    LOG.warn("generator: rejected a corrupted gradient (norm {}), attempt {} of {}", gradientNorm,
                            attempt, GradientGuard.ATTEMPTS);
                }
            }
            if (!accepted) {
                generatorGuard.adopt(gradientNorm);
            }
            generatorNorm = generatorAdam.step();
            statistics.commit();
            if (linealPath != null) {
                linealPath.commit();
            }
        }
        lastIteration = iteration;
        Map<String, Double> losses = new LinkedHashMap<>();
        losses.put("critic", criticLoss);
        losses.put("generator", generatorLoss);
        losses.put("gradientPenalty", penalty);
        losses.put("wasserstein", distance);
        losses.put("statistics", statisticsLoss);
        if (linealPath != null) {
            losses.put("linealPath", linealPathLoss);
        }
        Map<String, Double> norms = new LinkedHashMap<>();
        norms.put("critic", criticNorm);
        norms.put("generator", generatorNorm);
        return new IterationResult(iteration, losses, norms);
    }

    /**
     * The gradient penalty {@code E[(||grad_x C(x)||_2 - 1)^2]} over the batch, differentiable with
     * respect to the critic's weights by a plain backward pass (see {@link Critic3d#inputGradient}).
     *
     * @param critic the critic
     * @param store the parameter store
     * @param interpolates the points {@code (N, phases, D, H, W)}
     * @return a scalar array
     */
    static NDArray gradientPenalty(Critic3d critic, ParameterStore store, NDArray interpolates) {
        return penalty(critic.inputGradient(store, interpolates));
    }

    /**
     * The penalty of a batch of critic input gradients, {@code mean over n of (||g_n||_2 - 1)^2}.
     *
     * @param inputGradient {@code (N, ...)}
     * @return a scalar array
     */
    static NDArray penalty(NDArray inputGradient) {
        long n = inputGradient.getShape().get(0);
        NDArray norm = inputGradient.reshape(n, -1).square().sum(new int[] {1}).add(1e-12f).sqrt();
        return norm.sub(1f).square().mean();
    }

    /** A checkpoint holds the trained weights (the average, if any, is in the generator's optimiser state). */
    @Override
    public void writeCheckpoint(Path dir) throws IOException {
        save(dir);
        generatorAdam.save(dir.resolve(GENERATOR_ADAM));
        criticAdam.save(dir.resolve(CRITIC_ADAM));
        if (options.statisticsAverage() > 0) {
            StatisticsMatching.writeAverages(dir.resolve(StatisticsMatching.AVERAGES_FILE), statistics, linealPath);
        }
    }

    /** The model a user generates from: with {@code generatorAverage}, the averaged generator. */
    @Override
    public void writeModel(Path dir) throws IOException {
        generatorAdam.swapAverage();
        try {
            save(dir);
        } finally {
            generatorAdam.swapAverage();
        }
    }

    private void save(Path dir) throws IOException {
        ModelDirectory.TrainingSummary summary = data == null && config == null ? null
                : new ModelDirectory.TrainingSummary(data, lastIteration, config);
        ModelDirectory.save(dir, model, summary);
    }

    /** A sample of the model {@link #writeModel} writes. */
    @Override
    public Volume sample(int size, long seed) {
        int step = 1 << model.architecture().levels();
        generatorAdam.swapAverage();
        try {
            return model.generate(Math.max(1, (size + step - 1) / step), seed);
        } finally {
            generatorAdam.swapAverage();
        }
    }

    @Override
    public String divergenceHint() {
        return "lower the learning rates (generatorLearningRate, criticLearningRate: halve them) or raise"
                + " gradientPenaltyWeight in --config";
    }

    @Override
    public void close() {
        generatorAdam.close();
        criticAdam.close();
        if (ownsModel) {
            model.close();
        }
    }

}
