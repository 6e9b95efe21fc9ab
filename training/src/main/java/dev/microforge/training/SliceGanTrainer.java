package dev.microforge.training;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import dev.microforge.datasets.Axis;
import dev.microforge.datasets.Volume;
import dev.microforge.models.Engines;
import dev.microforge.models.ModelDirectory;
import dev.microforge.models.Scalars;
import dev.microforge.models.slicegan.Critic2d;
import dev.microforge.models.slicegan.SliceGanModel;
import dev.microforge.models.slicegan.VolumeSlicer;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * SliceGAN training (Kench and Cooper, "Generating three-dimensional structures from a
 * two-dimensional slice with generative adversarial network-based dimensionality expansion", Nature
 * Machine Intelligence 3, 299, 2021): a 3D generator trained so that its slices along x, y and z are
 * indistinguishable, to 2D WGAN-GP critics (Gulrajani et al. 2017), from patches of 2D training
 * images; a {@link Trainer} for {@link TrainingSession}.
 *
 * <p>Per iteration: generate {@code batchSize} volumes of edge {@code s = sliceSize} (no gradient);
 * then {@code criticSteps} times, for each axis, cut {@code slicesPerAxis} planes per volume normal to
 * it (every {@code s / slicesPerAxis}-th plane from a random offset, {@link VolumeSlicer}), draw as
 * many real patches ({@link OneHotSliceSampler}) and take one Adam step of that axis's critic on
 * {@code E[C(fake)] - E[C(real)] + lambda * E[(||grad C(x^)||_2 - 1)^2]}, {@code x^} a per-slice
 * random mix of real and fake slices. An isotropic model's single critic takes all three steps, as in
 * SliceGAN. Then one generator step, on fresh latents, minimising {@code -sum over axes of
 * E[C_axis(every plane of G(z) normal to the axis)]} plus {@code mu} times the {@link StatisticsMatching}
 * term (phase fractions and two-point correlation along x, y and z against the training data's: from one
 * image, every axis gets the mean of its row and column curves; from three images, each axis the mean of
 * the two images that contain it, {@link SampleEvaluation#referenceFromSections}; from a volume, its own
 * curves), {@code mu = statisticsWeight}, 0 for SliceGAN's loss. The term is what {@link WganGpTrainer} adds
 * for the 3D GAN, and for the same reason (README, "Training a generator"); with {@code statisticsAverage} its
 * gradient follows a running average of the generated statistics instead of each batch's own ({@link
 * StatisticsMatching#withAverage}), checkpointed beside the optimisers.
 *
 * <p>Where this departs from SliceGAN, and why (cost on 2 CPU cores): the generator's forward pass
 * dominates, so one batch of fakes serves all critic steps of an iteration (each step sees other
 * planes of it) instead of a new batch per step; the gradient penalty dominates a critic step, so
 * critics see {@code slicesPerAxis} planes per volume instead of all {@code s} (SliceGAN's choice);
 * the generator step, where the critics' cost is small next to the generator's backward pass, uses
 * every plane. The penalty's input gradient is {@link Critic2d#inputGradient}, written out with
 * ordinary operations, so a plain first-order backward pass differentiates the critic loss.
 *
 * <p>Each network's step is computed again when its gradient norm is non-finite or a thousand times
 * the typical one ({@link GradientGuard}, a safety net: before {@link dev.microforge.models.Scalars} a
 * critic gradient norm of 1.1e17 stopped a run as diverged; replaying that iteration from the
 * checkpoint gave 33).
 *
 * <p>Randomness: initial weights come from {@link SliceGanModel#create}; iteration {@code i}'s draws
 * come from {@link IterationSeeds}{@code (seed).random(i, stream)} (stream 0: the fake batch; {@code
 * 1 + k}: critic step {@code k}; {@code 1 + criticSteps}: the generator step), so runs are
 * reproducible and a run restored from a checkpoint continues exactly.
 */
public final class SliceGanTrainer implements Trainer {

    private static final Logger LOG = LoggerFactory.getLogger(SliceGanTrainer.class);

    /** Loss names reported per iteration (critic values are the means over the three axes). */
    public static final List<String> LOSSES =
            List.of("critic", "generator", "gradientPenalty", "wasserstein", "statistics");

    static final String GENERATOR_ADAM = "generator-adam.bin";

    /**
     * Training options.
     *
     * @param batchSize generated volumes per iteration, at least 1
     * @param sliceSize edge of the generated volumes and of the real patches (a multiple of 2^levels
     *     of the generator and of the critics)
     * @param slicesPerAxis planes cut per volume and axis for a critic step, dividing {@code
     *     sliceSize}; real patches per critic step and axis are {@code batchSize * slicesPerAxis}
     * @param criticSteps critic updates (per axis) per generator update, at least 1
     * @param gradientPenaltyWeight lambda, at least 0 (default 10)
     * @param generatorLearningRate Adam learning rate of the generator (default 1e-4, SliceGAN's)
     * @param criticLearningRate Adam learning rate of the critics (default 1e-4)
     * @param beta1 Adam beta1 (default 0.9, SliceGAN's)
     * @param beta2 Adam beta2 (default 0.99, SliceGAN's)
     * @param statisticsWeight weight of the {@link StatisticsMatching} term in the generator's loss, against
     *     the training images' two-point correlation along each axis, at least 0 (0: SliceGAN's loss)
     * @param statisticsMaxLag largest lag of that term in voxels, at least 1 and smaller than {@code sliceSize}
     * @param statisticsAverage decay in [0, 1) of the running average of the generated statistics whose deviation
     *     from the target drives the term's gradient ({@link StatisticsMatching#withAverage}); 0: each batch's own
     *     deviation
     * @param seed random seed of every draw
     */
    public record Options(
            int batchSize,
            int sliceSize,
            int slicesPerAxis,
            int criticSteps,
            double gradientPenaltyWeight,
            double generatorLearningRate,
            double criticLearningRate,
            double beta1,
            double beta2,
            double statisticsWeight,
            int statisticsMaxLag,
            double statisticsAverage,
            long seed) {

        /** Validates the options. */
        public Options {
            require(batchSize >= 1, "batchSize must be at least 1, got " + batchSize);
            require(sliceSize >= 2, "sliceSize must be at least 2, got " + sliceSize);
            require(slicesPerAxis >= 1 && slicesPerAxis <= sliceSize && sliceSize % slicesPerAxis == 0,
                    "slicesPerAxis must divide sliceSize " + sliceSize + ", got " + slicesPerAxis);
            require(criticSteps >= 1, "criticSteps must be at least 1, got " + criticSteps);
            require(gradientPenaltyWeight >= 0 && Double.isFinite(gradientPenaltyWeight),
                    "gradientPenaltyWeight must be finite and >= 0, got " + gradientPenaltyWeight);
            require(statisticsWeight >= 0 && Double.isFinite(statisticsWeight),
                    "statisticsWeight must be finite and >= 0, got " + statisticsWeight);
            require(statisticsMaxLag >= 1 && statisticsMaxLag < sliceSize,
                    "statisticsMaxLag must be at least 1 and smaller than sliceSize " + sliceSize + ", got "
                            + statisticsMaxLag);
            require(statisticsAverage >= 0 && statisticsAverage < 1, "statisticsAverage must be in [0, 1), got "
                    + statisticsAverage);
            new Adam.Options(generatorLearningRate, beta1, beta2, 1e-8);
            new Adam.Options(criticLearningRate, beta1, beta2, 1e-8);
        }

        /**
         * CPU defaults: 4 volumes of 32³ per iteration, 8 planes per axis and volume for each critic step,
         * 5 critic steps, lambda 10, Adam 1e-4 (0.9, 0.99) for all networks, statistics matching with
         * weight {@link GanTrainingConfig#STATISTICS_WEIGHT} up to half the volume (16 voxels), seed 0 (see
         * the README, "SliceGAN and VAE", for the measured cost).
         *
         * @return the defaults
         */
        public static Options defaults() {
            return new Options(4, 32, 8, 5, 10.0, 1e-4, 1e-4, 0.9, 0.99, GanTrainingConfig.STATISTICS_WEIGHT, 16, 0L);
        }

        /** Options without a running average of the statistics ({@code statisticsAverage} 0). */
        public Options(int batchSize, int sliceSize, int slicesPerAxis, int criticSteps, double gradientPenaltyWeight,
                double generatorLearningRate, double criticLearningRate, double beta1, double beta2,
                double statisticsWeight, int statisticsMaxLag, long seed) {
            this(batchSize, sliceSize, slicesPerAxis, criticSteps, gradientPenaltyWeight, generatorLearningRate,
                    criticLearningRate, beta1, beta2, statisticsWeight, statisticsMaxLag, 0, seed);
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
     * @param iterations iterations run
     * @param criticLoss last critic loss, mean over the axes
     * @param generatorLoss last generator loss, summed over the axes
     * @param gradientPenalty last unweighted gradient penalty, mean over the axes
     */
    public record Result(int iterations, double criticLoss, double generatorLoss, double gradientPenalty) {}

    private final SliceGanModel model;
    private final boolean ownsModel;
    private final Options options;
    private final OneHotSliceSampler sampler;
    private final IterationSeeds seeds;
    private final Adam generatorAdam;
    private final List<Adam> criticAdams = new ArrayList<>();
    private final List<GradientGuard> criticGuards = new ArrayList<>();
    private final GradientGuard generatorGuard = new GradientGuard();
    private final StatisticsMatching statistics;
    private final int latentSize;
    /** Latent voxels padded on each side of a latent: the generator's reach ({@code latentMargin()}). */
    private final int margin;
    private final ModelDirectory.DataSummary data;
    private final Map<String, Object> config;
    private long lastIteration;

    private SliceGanTrainer(SliceGanModel model, boolean ownsModel, OneHotSliceSampler sampler, Options options,
            ModelDirectory.DataSummary dataSummary, Map<String, Object> config) {
        this.latentSize = model.architecture().latentSizeFor(options.sliceSize());
        this.margin = model.generator().latentMargin();
        if (sampler.sliceSize() != options.sliceSize() || sampler.phases() != model.architecture().phases()) {
            throw new IllegalArgumentException(
                    "the sampler gives " + sampler.sliceSize() + "^2 slices of " + sampler.phases()
                            + " phases, training needs " + options.sliceSize() + "^2 of " + model.architecture().phases());
        }
        if (sampler.isotropic() != (model.architecture().critics() == 1)) {
            throw new IllegalArgumentException(sampler.isotropic()
                    ? "one training image (isotropic) needs a model with 1 critic, this one has 3"
                    : "three training images or a volume need a model with 3 critics (one per axis), this one has 1");
        }
        this.statistics = StatisticsMatching.of(sampler.reference(options.statisticsMaxLag()),
                options.statisticsMaxLag()).withAverage(options.statisticsAverage());
        this.model = model;
        this.ownsModel = ownsModel;
        this.options = options;
        this.sampler = sampler;
        this.seeds = new IterationSeeds(options.seed());
        this.generatorAdam = new Adam(model.generator(), model.manager(),
                new Adam.Options(options.generatorLearningRate(), options.beta1(), options.beta2(), 1e-8));
        for (Critic2d critic : model.critics()) {
            criticGuards.add(new GradientGuard());
            criticAdams.add(new Adam(critic, model.manager(),
                    new Adam.Options(options.criticLearningRate(), options.beta1(), options.beta2(), 1e-8)));
        }
        this.data = dataSummary;
        this.config = config == null ? null : new LinkedHashMap<>(config);
    }

    /**
     * A trainer for a freshly created model; the caller keeps ownership of {@code model}.
     *
     * @param model the model (initialised parameters)
     * @param sampler real slices: one source (isotropic) for a one-critic model, one per axis for three
     * @param options training options
     * @param dataSummary the training data recorded in {@code model.json}, or null
     * @param config the configuration recorded in {@code model.json}, or null
     * @return the trainer at iteration 0
     */
    public static SliceGanTrainer create(SliceGanModel model, OneHotSliceSampler sampler, Options options,
            ModelDirectory.DataSummary dataSummary, Map<String, Object> config) {
        return new SliceGanTrainer(model, false, sampler, options, dataSummary, config);
    }

    /**
     * A trainer restored from a checkpoint folder: the model loaded from its files (owned and closed
     * by the trainer) and every optimiser's moments and step counts.
     *
     * @param checkpoint a checkpoint folder written by {@link #writeCheckpoint}
     * @param sampler the training slices
     * @param options training options (those of the checkpointed run, for an exact continuation)
     * @return the trainer
     * @throws IOException if a file is missing or does not fit the model
     */
    public static SliceGanTrainer restore(Path checkpoint, OneHotSliceSampler sampler, Options options)
            throws IOException {
        ModelDirectory.SliceGanManifest manifest = ModelDirectory.readSliceGanManifest(checkpoint);
        SliceGanModel model = ModelDirectory.loadSliceGan(checkpoint);
        SliceGanTrainer trainer;
        try {
            ModelDirectory.TrainingSummary t = manifest.training();
            trainer = new SliceGanTrainer(model, true, sampler, options, t == null ? null : t.data(),
                    t == null ? null : t.config());
        } catch (RuntimeException e) {
            model.close();
            throw e;
        }
        try {
            trainer.generatorAdam.load(checkpoint.resolve(GENERATOR_ADAM));
            for (int i = 0; i < trainer.criticAdams.size(); i++) {
                trainer.criticAdams.get(i).load(checkpoint.resolve(criticAdamFile(trainer.criticAdams.size(), i)));
            }
            if (options.statisticsAverage() > 0) {
                StatisticsMatching.readAverages(checkpoint.resolve(StatisticsMatching.AVERAGES_FILE),
                        trainer.statistics);
            }
            trainer.lastIteration = trainer.generatorAdam.steps(); // one generator step per iteration
        } catch (IOException | RuntimeException e) {
            trainer.close();
            throw e;
        }
        return trainer;
    }

    /**
     * Trains {@code model} in place for iterations 1..{@code iterations}, without checkpoints (tests
     * and experiments; the CLI uses {@link TrainingSession}).
     *
     * @param model the model (initialised parameters)
     * @param sampler real slices
     * @param options training options
     * @param iterations at least 1
     * @return the last losses
     */
    public static Result train(SliceGanModel model, OneHotSliceSampler sampler, Options options, int iterations) {
        if (iterations < 1) {
            throw new IllegalArgumentException("iterations must be at least 1, got " + iterations);
        }
        try (SliceGanTrainer trainer = create(model, sampler, options, null, null)) {
            IterationResult last = null;
            for (int it = 1; it <= iterations; it++) {
                last = trainer.iterate(it);
            }
            Map<String, Double> l = last.losses();
            return new Result(iterations, l.get("critic"), l.get("generator"), l.get("gradientPenalty"));
        }
    }

    /**
     * Returns the model being trained.
     *
     * @return the model
     */
    public SliceGanModel model() {
        return model;
    }

    @Override
    public String kind() {
        return ModelDirectory.KIND_SLICEGAN;
    }

    @Override
    public List<String> lossNames() {
        return LOSSES;
    }

    @Override
    public IterationResult iterate(long iteration) {
        double[] critic = null;
        try (NDManager batch = model.manager().newSubManager()) {
            // one batch of fakes per iteration; each critic step sees other planes of it
            NDArray z = model.latent(batch, options.batchSize(), latentSize + 2 * margin,
                    seeds.random(iteration, 0).nextLong());
            NDArray fake = model.generator().interior(model.generator().forward(new ParameterStore(batch, false),
                    new NDList(z), false).singletonOrThrow()).stopGradient();
            for (int k = 0; k < options.criticSteps(); k++) {
                critic = criticStep(fake, seeds.random(iteration, 1 + k));
            }
        }
        double[] generator = generatorStep(seeds.random(iteration, 1 + options.criticSteps()));
        lastIteration = iteration;
        Map<String, Double> losses = new LinkedHashMap<>();
        losses.put("critic", critic[0]);
        losses.put("generator", generator[0]);
        losses.put("gradientPenalty", critic[1]);
        losses.put("wasserstein", critic[2]);
        losses.put("statistics", generator[2]);
        Map<String, Double> norms = new LinkedHashMap<>();
        norms.put("critic", critic[3]);
        norms.put("generator", generator[1]);
        return new IterationResult(iteration, losses, norms);
    }

    /**
     * One Adam step of each axis's critic; returns the loss, penalty and Wasserstein estimate, each
     * averaged over the axes, and the largest critic gradient norm.
     */
    private double[] criticStep(NDArray fake, SplittableRandom random) {
        Engine engine = Engines.pytorch();
        int stride = options.sliceSize() / options.slicesPerAxis();
        int real = options.batchSize() * options.slicesPerAxis();
        double[] sums = new double[3];
        double norm = 0;
        try (NDManager step = fake.getManager().newSubManager()) {
            ParameterStore store = new ParameterStore(step, false);
            for (Axis axis : Axis.values()) {
                Critic2d c = model.critic(axis);
                NDArray fakeSlices = VolumeSlicer.slices(fake, axis, random.nextInt(stride), stride);
                NDArray realSlices = sampler.sample(step, axis, real, random);
                float[] weights = new float[real];
                for (int i = 0; i < real; i++) {
                    weights[i] = (float) random.nextDouble();
                }
                NDArray e = step.create(weights, new Shape(real, 1, 1, 1));
                NDArray mix = realSlices.mul(e).add(fakeSlices.mul(e.neg().add(1f)));
                Adam adam = criticAdams.get(criticIndex(axis));
                double[] values = new double[3];
                double gradientNorm = Double.NaN;
                GradientGuard guard = criticGuards.get(criticIndex(axis));
                boolean accepted = false;
                for (int attempt = 1; attempt <= GradientGuard.ATTEMPTS && !accepted; attempt++) {
                    PtAutograd.zeroGradients(c);
                    try (GradientCollector collector = engine.newGradientCollector()) {
                        NDArray gp = WganGpTrainer.penalty(c.inputGradient(store, mix));
                        NDArray realScore = c.forward(store, new NDList(realSlices), true).singletonOrThrow().mean();
                        NDArray fakeScore = c.forward(store, new NDList(fakeSlices), true).singletonOrThrow().mean();
                        NDArray loss = fakeScore.sub(realScore)
                                .add(Scalars.times(gp, options.gradientPenaltyWeight()));
                        collector.backward(loss);
                        values = new double[] {loss.getFloat(), gp.getFloat(),
                            realScore.getFloat() - fakeScore.getFloat()};
                    }
                    gradientNorm = adam.gradientNorm();
                    accepted = guard.accept(gradientNorm);
                    if (!accepted) {
                        LOG.warn("{} critic: rejected a corrupted gradient (norm {}), attempt {} of {}",
                                axis.label(), gradientNorm, attempt, GradientGuard.ATTEMPTS);
                    }
                }
                if (!accepted) {
                    guard.adopt(gradientNorm); // the same every time: a real change of scale, not a glitch
                }
                for (int i = 0; i < 3; i++) {
                    sums[i] += values[i];
                }
                norm = Math.max(norm, adam.step()); // a non-finite norm still reaches the divergence detector
            }
        }
        return new double[] {sums[0] / 3, sums[1] / 3, sums[2] / 3, norm};
    }

    /**
     * One Adam step of the generator on fresh latents, judged on every plane along each axis (the
     * critics' passes are cheap next to the generator's backward pass) plus the weighted statistics
     * term; returns its adversarial loss, gradient norm and the statistics term (unweighted).
     */
    private double[] generatorStep(SplittableRandom random) {
        double value;
        double norm;
        double statisticsLoss = Double.NaN;
        try (NDManager step = model.manager().newSubManager()) {
            ParameterStore store = new ParameterStore(step, false);
            NDArray z = model.latent(step, options.batchSize(), latentSize + 2 * margin, random.nextLong());
            boolean accepted = false;
            value = Double.NaN;
            double gradientNorm = Double.NaN;
            for (int attempt = 1; attempt <= GradientGuard.ATTEMPTS && !accepted; attempt++) {
                PtAutograd.zeroGradients(model.generator());
                try (GradientCollector collector = Engines.pytorch().newGradientCollector()) {
                    NDArray fake = model.generator().interior(
                            model.generator().forward(store, new NDList(z), true).singletonOrThrow());
                    NDArray loss = null;
                    for (Axis axis : Axis.values()) {
                        NDArray slices = VolumeSlicer.slices(fake, axis, 0, 1);
                        NDArray score = model.critic(axis).forward(store, new NDList(slices), true)
                                .singletonOrThrow().mean().neg();
                        loss = loss == null ? score : loss.add(score);
                    }
                    value = loss.getFloat();
                    StatisticsMatching.GeneratorLoss withTerm = statistics.addTo(loss, fake, options.statisticsWeight());
                    statisticsLoss = withTerm.unweighted();
                    collector.backward(withTerm.loss());
                }
                gradientNorm = generatorAdam.gradientNorm();
                accepted = generatorGuard.accept(gradientNorm);
                if (!accepted) {
                    LOG.warn("generator: rejected a corrupted gradient (norm {}), attempt {} of {}", gradientNorm,
                            attempt, GradientGuard.ATTEMPTS);
                }
            }
            if (!accepted) {
                generatorGuard.adopt(gradientNorm);
            }
            norm = generatorAdam.step();
            statistics.commit();
            for (Critic2d c : model.critics()) {
                PtAutograd.zeroGradients(c);
            }
        }
        return new double[] {value, norm, statisticsLoss};
    }

    private int criticIndex(Axis axis) {
        return criticAdams.size() == 1 ? 0 : axis.ordinal();
    }

    private static String criticAdamFile(int critics, int index) {
        return critics == 1 ? "critic-adam.bin" : "critic-" + Axis.values()[index].label() + "-adam.bin";
    }

    @Override
    public void writeCheckpoint(Path dir) throws IOException {
        writeModel(dir);
        generatorAdam.save(dir.resolve(GENERATOR_ADAM));
        for (int i = 0; i < criticAdams.size(); i++) {
            criticAdams.get(i).save(dir.resolve(criticAdamFile(criticAdams.size(), i)));
        }
        if (options.statisticsAverage() > 0) {
            StatisticsMatching.writeAverages(dir.resolve(StatisticsMatching.AVERAGES_FILE), statistics);
        }
    }

    @Override
    public void writeModel(Path dir) throws IOException {
        ModelDirectory.TrainingSummary summary = data == null && config == null ? null
                : new ModelDirectory.TrainingSummary(data, lastIteration, config);
        ModelDirectory.save(dir, model, summary);
    }

    @Override
    public Volume sample(int size, long seed) {
        int step = 1 << model.architecture().generatorWidths().size();
        return model.generate(Math.max(1, (size + step - 1) / step), seed);
    }

    @Override
    public String divergenceHint() {
        return "lower the learning rates (generatorLearningRate, criticLearningRate: halve them) or raise"
                + " gradientPenaltyWeight in --config";
    }

    @Override
    public void close() {
        generatorAdam.close();
        criticAdams.forEach(Adam::close);
        if (ownsModel) {
            model.close();
        }
    }
}
