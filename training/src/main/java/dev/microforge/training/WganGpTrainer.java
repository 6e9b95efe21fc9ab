package dev.microforge.training;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.Tracker;
import ai.djl.util.Pair;
import dev.microforge.datasets.Volume;
import dev.microforge.models.Engines;
import dev.microforge.models.gan.GanModel;

/**
 * WGAN-GP training of a {@link GanModel} (Gulrajani et al., "Improved Training of Wasserstein
 * GANs", 2017) on random one-hot patches of a labelled volume.
 *
 * <p>Per iteration: {@code criticSteps} critic updates minimising {@code E[C(fake)] - E[C(real)] +
 * lambda * E[(||grad_x C(x^)||_2 - 1)^2]} with {@code x^ = e * real + (1 - e) * fake}, {@code e ~
 * U(0,1)} per sample, then one generator update minimising {@code -E[C(G(z))]}; Adam for both.
 *
 * <p>The penalty needs a true second-order gradient (the gradient of an input-gradient norm with
 * respect to the critic's weights). DJL 0.36's public {@code GradientCollector.backward} never builds
 * a graph of the gradient; {@link PtAutograd} reaches libtorch's {@code backward(create_graph=true)}
 * through the PyTorch engine, so it works with that engine only (it fails with a clear message
 * otherwise). {@code GradientPenaltyCheckTest} verifies d GP / d theta against finite differences in
 * float64 for every critic layer. The create-graph backward also accumulates {@code d sum C(x^) / d
 * theta} into the critic's weights; {@link #gradientPenalty} clears it (detaching the gradients,
 * which also breaks the parameter/gradient reference cycle libtorch warns about) before the loss
 * backward.
 *
 * <p>Seeds: the model's initial weights come from {@link GanModel#create}; here the engine seed is
 * set to {@code options.seed()} (interpolation weights), and latents and patches come from Java
 * random streams derived from the same seed.
 */
public final class WganGpTrainer {

    /**
     * Training options.
     *
     * @param batchSize patches per step, at least 1
     * @param patchSize patch edge (a multiple of 2^generator levels and 2^critic levels)
     * @param criticSteps critic updates per generator update, at least 1
     * @param gradientPenaltyWeight lambda, at least 0 (default 10)
     * @param learningRate Adam learning rate (default 1e-4)
     * @param beta1 Adam beta1 (default 0.5)
     * @param beta2 Adam beta2 (default 0.9)
     * @param seed random seed for patches, latents and interpolation
     */
    public record Options(
            int batchSize,
            int patchSize,
            int criticSteps,
            double gradientPenaltyWeight,
            double learningRate,
            double beta1,
            double beta2,
            long seed) {

        /** Validates the options. */
        public Options {
            require(batchSize >= 1, "batchSize must be at least 1, got " + batchSize);
            require(patchSize >= 2, "patchSize must be at least 2, got " + patchSize);
            require(criticSteps >= 1, "criticSteps must be at least 1, got " + criticSteps);
            require(gradientPenaltyWeight >= 0 && Double.isFinite(gradientPenaltyWeight),
                    "gradientPenaltyWeight must be finite and >= 0, got " + gradientPenaltyWeight);
            require(learningRate > 0 && Double.isFinite(learningRate), "learningRate must be > 0, got " + learningRate);
            require(beta1 >= 0 && beta1 < 1, "beta1 must be in [0, 1), got " + beta1);
            require(beta2 >= 0 && beta2 < 1, "beta2 must be in [0, 1), got " + beta2);
        }

        /**
         * Defaults: batch 8, 64³ patches, 5 critic steps, lambda 10, Adam 1e-4 (0.5, 0.9), seed 0.
         *
         * @return the defaults
         */
        public static Options defaults() {
            return new Options(8, 64, 5, 10.0, 1e-4, 0.5, 0.9, 0L);
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
     * @param criticLoss last critic loss
     * @param generatorLoss last generator loss
     * @param gradientPenalty last (unweighted) gradient penalty
     */
    public record Result(int iterations, double criticLoss, double generatorLoss, double gradientPenalty) {}

    private WganGpTrainer() {}

    /**
     * Trains {@code model} in place for {@code iterations} generator iterations.
     *
     * @param model the model (initialised parameters)
     * @param data labelled volume with labels {@code 0..phases-1}
     * @param options training options
     * @param iterations generator iterations, at least 1
     * @param listener receives the losses after each iteration
     * @return the last losses
     */
    public static Result train(GanModel model, Volume data, Options options, int iterations, TrainingListener listener) {
        if (iterations < 1) {
            throw new IllegalArgumentException("iterations must be at least 1, got " + iterations);
        }
        int latentSize = model.architecture().latentSizeFor(options.patchSize());
        int criticStep = 1 << model.architecture().criticWidths().size();
        if (options.patchSize() % criticStep != 0) {
            throw new IllegalArgumentException(
                    "patch size " + options.patchSize() + " is not a multiple of 2^critic levels = " + criticStep);
        }
        Engine engine = Engines.pytorch();
        engine.setRandomSeed((int) options.seed());
        OneHotPatchSampler sampler =
                new OneHotPatchSampler(data, options.patchSize(), model.architecture().phases(), options.seed());
        java.util.SplittableRandom latentSeeds = new java.util.SplittableRandom(options.seed() ^ 0x5DEECE66DL);
        Optimizer criticAdam = adam(options);
        Optimizer generatorAdam = adam(options);
        Block g = model.generator();
        Block c = model.critic();
        double criticLoss = Double.NaN;
        double generatorLoss = Double.NaN;
        double penalty = Double.NaN;
        int n = options.batchSize();
        for (int it = 1; it <= iterations; it++) {
            for (int k = 0; k < options.criticSteps(); k++) {
                try (NDManager step = model.manager().newSubManager()) {
                    ParameterStore store = new ParameterStore(step, false);
                    NDArray real = sampler.sample(step, n);
                    NDArray z = model.latent(step, n, latentSize, latentSeeds.nextLong());
                    NDArray fake = g.forward(store, new NDList(z), false).singletonOrThrow().stopGradient();
                    PtAutograd.zeroGradients(c);
                    try (GradientCollector collector = engine.newGradientCollector()) {
                        NDArray e = step.randomUniform(0f, 1f, new ai.djl.ndarray.types.Shape(n, 1, 1, 1, 1));
                        NDArray interpolates = real.mul(e).add(fake.mul(e.neg().add(1f))).stopGradient();
                        NDArray gp = gradientPenalty(c, store, interpolates, collector);
                        NDArray realScore = c.forward(store, new NDList(real), true).singletonOrThrow().mean();
                        NDArray fakeScore = c.forward(store, new NDList(fake), true).singletonOrThrow().mean();
                        NDArray loss = fakeScore.sub(realScore).add(gp.mul((float) options.gradientPenaltyWeight()));
                        collector.backward(loss);
                        criticLoss = loss.getFloat();
                        penalty = gp.getFloat();
                    }
                    update(criticAdam, c);
                }
            }
            try (NDManager step = model.manager().newSubManager()) {
                ParameterStore store = new ParameterStore(step, false);
                NDArray z = model.latent(step, n, latentSize, latentSeeds.nextLong());
                PtAutograd.zeroGradients(g);
                try (GradientCollector collector = engine.newGradientCollector()) {
                    NDArray fake = g.forward(store, new NDList(z), true).singletonOrThrow();
                    NDArray loss = c.forward(store, new NDList(fake), true).singletonOrThrow().mean().neg();
                    collector.backward(loss);
                    generatorLoss = loss.getFloat();
                }
                update(generatorAdam, g);
                PtAutograd.zeroGradients(c);
            }
            listener.onIteration(it, criticLoss, generatorLoss, penalty);
        }
        return new Result(iterations, criticLoss, generatorLoss, penalty);
    }

    /**
     * The gradient penalty {@code E[(||grad_x C(x)||_2 - 1)^2]} over the batch, differentiable with
     * respect to the critic's weights. Must run inside {@code collector}; leaves the critic's
     * parameter gradients zeroed.
     */
    static NDArray gradientPenalty(Block critic, ParameterStore store, NDArray interpolates, GradientCollector collector) {
        interpolates.setRequiresGradient(true);
        NDArray scores = critic.forward(store, new NDList(interpolates), true).singletonOrThrow();
        PtAutograd.backwardCreateGraph(collector, scores.sum());
        NDArray grad = interpolates.getGradient();
        long n = interpolates.getShape().get(0);
        NDArray norm = grad.reshape(n, -1).square().sum(new int[] {1}).add(1e-12f).sqrt();
        NDArray gp = norm.sub(1f).square().mean();
        PtAutograd.zeroGradients(critic); // drop d sum C(x) / d theta left by the create-graph backward
        return gp;
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
