package dev.microforge.training;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.Tracker;
import ai.djl.util.Pair;
import dev.microforge.datasets.Axis;
import dev.microforge.models.Engines;
import dev.microforge.models.slicegan.Critic2d;
import dev.microforge.models.slicegan.SliceGanModel;
import dev.microforge.models.slicegan.VolumeSlicer;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * SliceGAN training (Kench and Cooper, Nature Machine Intelligence 3, 299, 2021): a 3D generator
 * trained so that its slices along x, y and z are indistinguishable, to 2D WGAN-GP critics
 * (Gulrajani et al. 2017), from patches of 2D training images.
 *
 * <p>Per iteration: generate {@code batchSize} volumes of edge {@code s = sliceSize} (no gradient);
 * then {@code criticSteps} times, for each axis, cut {@code slicesPerAxis} planes per volume normal to
 * it (every {@code s / slicesPerAxis}-th plane from a random offset, {@link VolumeSlicer}), draw as
 * many real patches ({@link OneHotSliceSampler}) and take one Adam step of that axis's critic on
 * {@code E[C(fake)] - E[C(real)] + lambda * E[(||grad C(x^)||_2 - 1)^2]}, {@code x^} a per-slice
 * random mix of real and fake slices. An isotropic model's single critic takes all three steps, as in
 * SliceGAN. Then one generator step, on fresh latents, minimising {@code -sum over axes of
 * E[C_axis(every plane of G(z) normal to the axis)]}.
 *
 * <p>Where this departs from SliceGAN, and why (cost on 2 CPU cores): the generator's forward pass
 * dominates, so one batch of fakes serves all critic steps of an iteration (each step sees other
 * planes of it) instead of a new batch per step; the gradient penalty's double backward dominates a
 * critic step, so critics see {@code slicesPerAxis} planes per volume instead of all {@code s}
 * (SliceGAN's choice); the generator step, where the critics' cost is small next to the generator's
 * backward pass, uses every plane. The gradient penalty is the WGAN-GP trainer's (true second-order
 * gradient, {@link WganGpTrainer#gradientPenalty}).
 *
 * <p>Randomness: initial weights come from {@link SliceGanModel#create}; every draw of an iteration
 * (latents, plane offsets, real patches, interpolation weights) comes from a Java stream derived from
 * {@code (options.seed(), iteration)}, so runs are reproducible and a resumed run draws what an
 * uninterrupted one would.
 */
public final class SliceGanTrainer {

    private static final int CRITIC_PURPOSE = 1;
    private static final int GENERATOR_PURPOSE = 2;

    /**
     * Training options.
     *
     * @param batchSize generated volumes per step, at least 1
     * @param sliceSize edge of the generated volumes and of the real patches (a multiple of 2^levels
     *     of the generator and the critics)
     * @param slicesPerAxis planes cut per volume and axis, dividing {@code sliceSize}; real patches
     *     per critic step and axis are {@code batchSize * slicesPerAxis}
     * @param criticSteps critic updates (per axis) per generator update, at least 1
     * @param gradientPenaltyWeight lambda, at least 0 (default 10)
     * @param learningRate Adam learning rate of all networks (default 1e-4)
     * @param beta1 Adam beta1 (default 0.9, SliceGAN's)
     * @param beta2 Adam beta2 (default 0.99, SliceGAN's)
     * @param seed random seed of every draw
     */
    public record Options(
            int batchSize,
            int sliceSize,
            int slicesPerAxis,
            int criticSteps,
            double gradientPenaltyWeight,
            double learningRate,
            double beta1,
            double beta2,
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
            require(learningRate > 0 && Double.isFinite(learningRate), "learningRate must be > 0, got " + learningRate);
            require(beta1 >= 0 && beta1 < 1, "beta1 must be in [0, 1), got " + beta1);
            require(beta2 >= 0 && beta2 < 1, "beta2 must be in [0, 1), got " + beta2);
        }

        /**
         * CPU defaults: 1 volume of 64³ per iteration, 16 planes per axis for each critic step, 5
         * critic steps, lambda 10, Adam 1e-4 (0.9, 0.99), seed 0. See the README for the measured
         * cost.
         *
         * @return the defaults
         */
        public static Options defaults() {
            return new Options(1, 64, 16, 5, 10.0, 1e-4, 0.9, 0.99, 0L);
        }

        private static void require(boolean ok, String message) {
            if (!ok) {
                throw new IllegalArgumentException(message);
            }
        }
    }

    /**
     * Losses of the last iteration.
     *
     * @param iterations generator iterations run
     * @param criticLoss last critic loss, averaged over the axes
     * @param generatorLoss last generator loss, summed over the axes
     * @param gradientPenalty last unweighted gradient penalty, averaged over the axes
     */
    public record Result(int iterations, double criticLoss, double generatorLoss, double gradientPenalty) {}

    private SliceGanTrainer() {}

    /**
     * Trains {@code model} in place for {@code iterations} generator iterations, numbered 1..n.
     *
     * @param model the model (initialised parameters)
     * @param data real slices; one source (isotropic) for a one-critic model, one per axis for three
     * @param options training options
     * @param iterations generator iterations, at least 1
     * @param listener receives the losses after each iteration
     * @return the last losses
     */
    public static Result train(
            SliceGanModel model, OneHotSliceSampler data, Options options, int iterations, TrainingListener listener) {
        return train(model, data, options, 1, iterations, listener);
    }

    /**
     * Trains {@code model} in place for iterations {@code first .. first + iterations - 1}; the draws
     * of each depend only on the seed and its number.
     *
     * @param model the model
     * @param data real slices
     * @param options training options
     * @param first number of the first iteration, at least 1
     * @param iterations how many, at least 1
     * @param listener receives the losses after each iteration
     * @return the last losses
     */
    public static Result train(SliceGanModel model, OneHotSliceSampler data, Options options, long first,
            int iterations, TrainingListener listener) {
        if (iterations < 1 || first < 1) {
            throw new IllegalArgumentException(
                    "need first >= 1 and iterations >= 1, got first " + first + ", iterations " + iterations);
        }
        int latentSize = model.architecture().latentSizeFor(options.sliceSize());
        if (data.sliceSize() != options.sliceSize() || data.phases() != model.architecture().phases()) {
            throw new IllegalArgumentException(
                    "sampler gives " + data.sliceSize() + "^2 slices of " + data.phases() + " phases, training needs "
                            + options.sliceSize() + "^2 of " + model.architecture().phases());
        }
        if (data.isotropic() != (model.architecture().critics() == 1)) {
            throw new IllegalArgumentException(data.isotropic()
                    ? "one training image (isotropic) needs a model with 1 critic, this one has 3"
                    : "three training images or a volume need a model with 3 critics (one per axis), this one has 1");
        }
        Optimizer generatorAdam = adam(options);
        List<Optimizer> criticAdams = new ArrayList<>();
        for (int i = 0; i < model.architecture().critics(); i++) {
            criticAdams.add(adam(options));
        }
        double[] critic = {Double.NaN, Double.NaN};
        double generatorLoss = Double.NaN;
        for (long it = first; it < first + iterations; it++) {
            try (NDManager iteration = model.manager().newSubManager()) {
                // one batch of fakes per iteration; each critic step sees other planes of it
                SplittableRandom random = StepRandom.of(options.seed(), it, CRITIC_PURPOSE);
                NDArray z = model.latent(iteration, options.batchSize(), latentSize, random.nextLong());
                NDArray fake = model.generator().forward(new ParameterStore(iteration, false), new NDList(z), false)
                        .singletonOrThrow().stopGradient();
                for (int k = 0; k < options.criticSteps(); k++) {
                    critic = criticStep(model, data, options, fake, criticAdams, random);
                }
            }
            generatorLoss = generatorStep(model, options, latentSize, generatorAdam,
                    StepRandom.of(options.seed(), it, GENERATOR_PURPOSE));
            listener.onIteration((int) it, critic[0], generatorLoss, critic[1]);
        }
        return new Result(iterations, critic[0], generatorLoss, critic[1]);
    }

    /** One Adam step of each axis's critic; returns {loss, penalty} averaged over the axes. */
    private static double[] criticStep(SliceGanModel model, OneHotSliceSampler data, Options options, NDArray fake,
            List<Optimizer> criticAdams, SplittableRandom random) {
        Engine engine = Engines.pytorch();
        int stride = options.sliceSize() / options.slicesPerAxis();
        int real = options.batchSize() * options.slicesPerAxis();
        double lossSum = 0;
        double gpSum = 0;
        try (NDManager step = fake.getManager().newSubManager()) {
            ParameterStore store = new ParameterStore(step, false);
            for (Axis axis : Axis.values()) {
                Critic2d c = model.critic(axis);
                NDArray fakeSlices = VolumeSlicer.slices(fake, axis, random.nextInt(stride), stride);
                NDArray realSlices = data.sample(step, axis, real, random);
                NDArray e = step.create(uniform(random, real), new Shape(real, 1, 1, 1));
                PtAutograd.zeroGradients(c);
                try (GradientCollector collector = engine.newGradientCollector()) {
                    NDArray mix = realSlices.mul(e).add(fakeSlices.mul(e.neg().add(1f))).stopGradient();
                    NDArray gp = WganGpTrainer.gradientPenalty(c, store, mix, collector);
                    NDArray realScore = c.forward(store, new NDList(realSlices), true).singletonOrThrow().mean();
                    NDArray fakeScore = c.forward(store, new NDList(fakeSlices), true).singletonOrThrow().mean();
                    NDArray loss = fakeScore.sub(realScore).add(gp.mul((float) options.gradientPenaltyWeight()));
                    collector.backward(loss);
                    lossSum += loss.getFloat();
                    gpSum += gp.getFloat();
                }
                update(criticAdams.get(model.architecture().critics() == 1 ? 0 : axis.ordinal()), c);
            }
        }
        return new double[] {lossSum / 3, gpSum / 3};
    }

    /**
     * One Adam step of the generator on fresh latents, judged on every plane along each axis (the
     * critics' forward and backward passes are cheap next to the generator's); returns its loss.
     */
    private static double generatorStep(SliceGanModel model, Options options, int latentSize, Optimizer adam,
            SplittableRandom random) {
        double value;
        try (NDManager step = model.manager().newSubManager()) {
            ParameterStore store = new ParameterStore(step, false);
            NDArray z = model.latent(step, options.batchSize(), latentSize, random.nextLong());
            PtAutograd.zeroGradients(model.generator());
            try (GradientCollector collector = Engines.pytorch().newGradientCollector()) {
                NDArray fake = model.generator().forward(store, new NDList(z), true).singletonOrThrow();
                NDArray loss = null;
                for (Axis axis : Axis.values()) {
                    NDArray slices = VolumeSlicer.slices(fake, axis, 0, 1);
                    NDArray score = model.critic(axis).forward(store, new NDList(slices), true)
                            .singletonOrThrow().mean().neg();
                    loss = loss == null ? score : loss.add(score);
                }
                collector.backward(loss);
                value = loss.getFloat();
            }
            update(adam, model.generator());
            for (Critic2d c : model.critics()) {
                PtAutograd.zeroGradients(c);
            }
        }
        return value;
    }

    private static float[] uniform(SplittableRandom random, int count) {
        float[] values = new float[count];
        for (int i = 0; i < count; i++) {
            values[i] = (float) random.nextDouble();
        }
        return values;
    }

    private static Optimizer adam(Options options) {
        return Optimizer.adam()
                .optLearningRateTracker(Tracker.fixed((float) options.learningRate()))
                .optBeta1((float) options.beta1())
                .optBeta2((float) options.beta2())
                .build();
    }

    private static void update(Optimizer optimizer, Block block) {
        for (Pair<String, Parameter> p : block.getParameters()) {
            NDArray weight = p.getValue().getArray();
            try (NDArray grad = weight.getGradient()) {
                optimizer.update(p.getValue().getId(), weight, grad);
            }
        }
    }
}
