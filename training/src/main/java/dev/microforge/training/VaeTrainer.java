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
import dev.microforge.datasets.Volume;
import dev.microforge.models.Engines;
import dev.microforge.models.GaussianNoise;
import dev.microforge.models.vae.VaeModel;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Trains a {@link VaeModel} on random one-hot cubic patches of a labelled volume by minimising the
 * beta-weighted negative ELBO ({@link ElboLoss}) with Adam: per iteration, {@code batchSize} patches
 * of edge {@code inputSize}, the encoder's mean and log-variance, a reparameterised latent {@code z =
 * mu + exp(s / 2) * eps} (Kingma and Welling 2014), the decoder's logits, one gradient step of encoder
 * and decoder together.
 *
 * <p>Randomness: initial weights come from {@link VaeModel#create}; the patches and {@code eps} of an
 * iteration come from a Java stream derived from {@code (options.seed(), iteration)}, so runs are
 * reproducible and a resumed run draws what an uninterrupted one would.
 */
public final class VaeTrainer {

    /**
     * Training options.
     *
     * @param batchSize patches per step, at least 1
     * @param klWeight beta, the weight of the KL term, at least 0 (1 = the true ELBO)
     * @param learningRate Adam learning rate (default 1e-3)
     * @param beta1 Adam beta1 (default 0.9)
     * @param beta2 Adam beta2 (default 0.999)
     * @param seed random seed of patches and reparameterisation noise
     */
    public record Options(int batchSize, double klWeight, double learningRate, double beta1, double beta2, long seed) {

        /** Validates the options. */
        public Options {
            if (batchSize < 1) {
                throw new IllegalArgumentException("batchSize must be at least 1, got " + batchSize);
            }
            if (!(klWeight >= 0) || !Double.isFinite(klWeight)) {
                throw new IllegalArgumentException("klWeight (beta) must be finite and >= 0, got " + klWeight);
            }
            if (!(learningRate > 0) || !Double.isFinite(learningRate)) {
                throw new IllegalArgumentException("learningRate must be > 0, got " + learningRate);
            }
            if (!(beta1 >= 0 && beta1 < 1) || !(beta2 >= 0 && beta2 < 1)) {
                throw new IllegalArgumentException("Adam betas must be in [0, 1), got " + beta1 + ", " + beta2);
            }
        }

        /**
         * Defaults: batch 4, beta 1, Adam 1e-3 (0.9, 0.999), seed 0.
         *
         * @return the defaults
         */
        public static Options defaults() {
            return new Options(4, 1.0, 1e-3, 0.9, 0.999, 0L);
        }
    }

    /** Receives the losses of each iteration; never prints. */
    @FunctionalInterface
    public interface Listener {

        /** A listener that ignores everything. */
        Listener NONE = (iteration, loss) -> {};

        /**
         * Called after each iteration.
         *
         * @param iteration the iteration number
         * @param loss its losses
         */
        void onIteration(long iteration, Losses loss);
    }

    /**
     * Batch-mean losses of one iteration, in nats per sample.
     *
     * @param total {@code reconstruction + beta * kl}
     * @param reconstruction cross-entropy summed over the voxels of a sample
     * @param kl KL divergence of the posterior from the prior
     * @param reconstructionPerVoxel {@code reconstruction / inputSize³}
     */
    public record Losses(double total, double reconstruction, double kl, double reconstructionPerVoxel) {}

    /**
     * Result of a run.
     *
     * @param iterations iterations run
     * @param last the losses of the last one
     */
    public record Result(int iterations, Losses last) {}

    private VaeTrainer() {}

    /**
     * Trains {@code model} in place for iterations 1..{@code iterations}.
     *
     * @param model the model (initialised parameters)
     * @param data labelled volume with labels {@code 0..phases-1}, at least {@code inputSize} per axis
     * @param options training options
     * @param iterations at least 1
     * @param listener receives the losses after each iteration
     * @return the last losses
     */
    public static Result train(VaeModel model, Volume data, Options options, int iterations, Listener listener) {
        return train(model, data, options, 1, iterations, listener);
    }

    /**
     * Trains {@code model} in place for iterations {@code first .. first + iterations - 1}.
     *
     * @param model the model
     * @param data labelled volume
     * @param options training options
     * @param first number of the first iteration, at least 1
     * @param iterations how many, at least 1
     * @param listener receives the losses after each iteration
     * @return the last losses
     */
    public static Result train(
            VaeModel model, Volume data, Options options, long first, int iterations, Listener listener) {
        if (iterations < 1 || first < 1) {
            throw new IllegalArgumentException(
                    "need first >= 1 and iterations >= 1, got first " + first + ", iterations " + iterations);
        }
        int size = model.inputSize();
        int phases = model.architecture().phases();
        OneHotPatchSampler sampler = new OneHotPatchSampler(data, size, phases, options.seed());
        Engine engine = Engines.pytorch();
        Optimizer adam = Optimizer.adam()
                .optLearningRateTracker(Tracker.fixed((float) options.learningRate()))
                .optBeta1((float) options.beta1())
                .optBeta2((float) options.beta2())
                .build();
        List<Block> blocks = List.of(model.encoder(), model.decoder());
        double voxels = (double) size * size * size;
        int n = options.batchSize();
        int latent = model.latentDimension();
        Losses losses = null;
        for (long it = first; it < first + iterations; it++) {
            SplittableRandom random = StepRandom.of(options.seed(), it, 0);
            try (NDManager step = model.manager().newSubManager()) {
                ParameterStore store = new ParameterStore(step, false);
                NDArray x = sampler.sample(step, n, random);
                float[] noise = new float[n * latent];
                for (int i = 0; i < noise.length; i++) {
                    noise[i] = (float) GaussianNoise.next(random);
                }
                NDArray eps = step.create(noise, new Shape(n, latent));
                for (Block b : blocks) {
                    PtAutograd.zeroGradients(b);
                }
                try (GradientCollector collector = engine.newGradientCollector()) {
                    NDList q = model.encoder().forward(store, new NDList(x), true);
                    NDArray mean = q.get(0);
                    NDArray logVariance = q.get(1);
                    NDArray z = mean.add(logVariance.mul(0.5f).exp().mul(eps));
                    NDArray logits = model.decoder().forward(store, new NDList(z), true).singletonOrThrow();
                    NDArray rec = ElboLoss.reconstruction(logits, x);
                    NDArray kl = ElboLoss.kl(mean, logVariance);
                    NDArray loss = ElboLoss.total(rec, kl, options.klWeight());
                    collector.backward(loss);
                    double r = rec.mean().getFloat();
                    losses = new Losses(loss.getFloat(), r, kl.mean().getFloat(), r / voxels);
                }
                for (Block b : blocks) {
                    for (Pair<String, Parameter> p : b.getParameters()) {
                        NDArray weight = p.getValue().getArray();
                        try (NDArray grad = weight.getGradient()) {
                            adam.update(p.getValue().getId(), weight, grad);
                        }
                    }
                }
            }
            listener.onIteration(it, losses);
        }
        return new Result(iterations, losses);
    }
}
