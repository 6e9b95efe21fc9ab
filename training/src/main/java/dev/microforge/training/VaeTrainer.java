package dev.microforge.training;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import dev.microforge.datasets.Volume;
import dev.microforge.models.Engines;
import dev.microforge.models.GaussianNoise;
import dev.microforge.models.ModelDirectory;
import dev.microforge.models.Scalars;
import dev.microforge.models.vae.VaeModel;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Trains a {@link VaeModel} on random one-hot cubic patches of a labelled volume by minimising the
 * beta-weighted negative ELBO ({@link ElboLoss}) with {@link Adam}; a {@link Trainer} for {@link
 * TrainingSession}. Per iteration: {@code batchSize} patches of edge {@code inputSize}, the encoder's
 * mean and log-variance, a reparameterised latent {@code z = mu + exp(s / 2) * eps} (Kingma and
 * Welling 2014), the decoder's logits, one Adam step of encoder and decoder.
 *
 * <p>Reported losses are per voxel (the loss and its reconstruction part, nats) and per sample (the
 * KL divergence, nats), so they stay readable and below the divergence limit at any patch size.
 *
 * <p>A gradient whose norm is non-finite or a thousand times the typical one is computed again
 * ({@link GradientGuard}, a safety net; see {@link dev.microforge.models.Scalars} for the bug it used to catch).
 *
 * <p>Randomness: initial weights come from {@link VaeModel#create}; the patches and {@code eps} of
 * iteration {@code i} come from {@link IterationSeeds}{@code (seed).random(i, 0)}, so runs are
 * reproducible and a run restored from a checkpoint continues exactly.
 */
public final class VaeTrainer implements Trainer {

    private static final Logger LOG = LoggerFactory.getLogger(VaeTrainer.class);

    /** Loss names reported per iteration. */
    public static final List<String> LOSSES = List.of("loss", "reconstruction", "kl");

    static final String ENCODER_ADAM = "encoder-adam.bin";
    static final String DECODER_ADAM = "decoder-adam.bin";

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
            new Adam.Options(learningRate, beta1, beta2, 1e-8);
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

    /**
     * Batch-mean losses of one iteration.
     *
     * @param total {@code reconstruction + beta * kl} per sample, nats
     * @param reconstruction cross-entropy summed over the voxels of a sample, nats
     * @param kl KL divergence of the posterior from the prior per sample, nats
     * @param reconstructionPerVoxel {@code reconstruction / inputSize³}
     */
    public record Losses(double total, double reconstruction, double kl, double reconstructionPerVoxel) {}

    /**
     * Result of {@link #train}.
     *
     * @param iterations iterations run
     * @param last the losses of the last one
     */
    public record Result(int iterations, Losses last) {}

    private final VaeModel model;
    private final boolean ownsModel;
    private final Options options;
    private final OneHotPatchSampler sampler;
    private final IterationSeeds seeds;
    private final Adam encoderAdam;
    private final Adam decoderAdam;
    private final ModelDirectory.DataSummary data;
    private final Map<String, Object> config;
    private final GradientGuard guard = new GradientGuard();
    private Losses last;
    private long lastIteration;

    private VaeTrainer(VaeModel model, boolean ownsModel, Volume data, Options options,
            ModelDirectory.DataSummary dataSummary, Map<String, Object> config) {
        this.sampler = new OneHotPatchSampler(data, model.inputSize(), model.architecture().phases(), options.seed());
        this.model = model;
        this.ownsModel = ownsModel;
        this.options = options;
        this.seeds = new IterationSeeds(options.seed());
        Adam.Options adam = new Adam.Options(options.learningRate(), options.beta1(), options.beta2(), 1e-8);
        this.encoderAdam = new Adam(model.encoder(), model.manager(), adam);
        this.decoderAdam = new Adam(model.decoder(), model.manager(), adam);
        this.data = dataSummary;
        this.config = config == null ? null : new LinkedHashMap<>(config);
    }

    /**
     * A trainer for a freshly created model; the caller keeps ownership of {@code model}.
     *
     * @param model the model (initialised parameters)
     * @param data labelled volume with labels {@code 0..phases-1}, at least {@code inputSize} per axis
     * @param options training options
     * @param dataSummary the training data recorded in {@code model.json}, or null
     * @param config the configuration recorded in {@code model.json}, or null
     * @return the trainer at iteration 0
     */
    public static VaeTrainer create(VaeModel model, Volume data, Options options,
            ModelDirectory.DataSummary dataSummary, Map<String, Object> config) {
        return new VaeTrainer(model, false, data, options, dataSummary, config);
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
    public static VaeTrainer restore(Path checkpoint, Volume data, Options options) throws IOException {
        ModelDirectory.VaeManifest manifest = ModelDirectory.readVaeManifest(checkpoint);
        VaeModel model = ModelDirectory.loadVae(checkpoint);
        VaeTrainer trainer;
        try {
            ModelDirectory.TrainingSummary t = manifest.training();
            trainer = new VaeTrainer(model, true, data, options, t == null ? null : t.data(),
                    t == null ? null : t.config());
        } catch (RuntimeException e) {
            model.close();
            throw e;
        }
        try {
            trainer.encoderAdam.load(checkpoint.resolve(ENCODER_ADAM));
            trainer.decoderAdam.load(checkpoint.resolve(DECODER_ADAM));
            trainer.lastIteration = trainer.decoderAdam.steps(); // one step per iteration
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
     * @param data labelled volume
     * @param options training options
     * @param iterations at least 1
     * @return the last losses
     */
    public static Result train(VaeModel model, Volume data, Options options, int iterations) {
        if (iterations < 1) {
            throw new IllegalArgumentException("iterations must be at least 1, got " + iterations);
        }
        try (VaeTrainer trainer = create(model, data, options, null, null)) {
            for (int it = 1; it <= iterations; it++) {
                trainer.iterate(it);
            }
            return new Result(iterations, trainer.last);
        }
    }

    /**
     * Returns the model being trained.
     *
     * @return the model
     */
    public VaeModel model() {
        return model;
    }

    /**
     * Returns the losses of the last iteration, in nats per sample.
     *
     * @return the losses, or null before the first iteration
     */
    public Losses lastLosses() {
        return last;
    }

    @Override
    public String kind() {
        return ModelDirectory.KIND_VAE;
    }

    @Override
    public List<String> lossNames() {
        return LOSSES;
    }

    @Override
    public IterationResult iterate(long iteration) {
        int n = options.batchSize();
        int latent = model.latentDimension();
        double voxels = Math.pow(model.inputSize(), 3);
        SplittableRandom random = seeds.random(iteration, 0);
        double encoderNorm;
        double decoderNorm;
        try (NDManager step = model.manager().newSubManager()) {
            ParameterStore store = new ParameterStore(step, false);
            NDArray x = sampler.sample(step, n, random);
            float[] noise = new float[n * latent];
            for (int i = 0; i < noise.length; i++) {
                noise[i] = (float) GaussianNoise.next(random);
            }
            NDArray eps = step.create(noise, new Shape(n, latent));
            boolean accepted = false;
            double gradientNorm = Double.NaN;
            for (int attempt = 1; attempt <= GradientGuard.ATTEMPTS && !accepted; attempt++) {
                PtAutograd.zeroGradients(model.encoder());
                PtAutograd.zeroGradients(model.decoder());
                try (GradientCollector collector = Engines.pytorch().newGradientCollector()) {
                    NDList q = model.encoder().forward(store, new NDList(x), true);
                    NDArray mean = q.get(0);
                    NDArray logVariance = q.get(1);
                    NDArray z = mean.add(Scalars.times(logVariance, 0.5).exp().mul(eps));
                    NDArray logits = model.decoder().forward(store, new NDList(z), true).singletonOrThrow();
                    NDArray rec = ElboLoss.reconstruction(logits, x);
                    NDArray kl = ElboLoss.kl(mean, logVariance);
                    NDArray loss = ElboLoss.total(rec, kl, options.klWeight());
                    collector.backward(loss);
                    double r = rec.mean().getFloat();
                    last = new Losses(loss.getFloat(), r, kl.mean().getFloat(), r / voxels);
                }
                gradientNorm = Math.hypot(encoderAdam.gradientNorm(), decoderAdam.gradientNorm());
                accepted = guard.accept(gradientNorm);
                if (!accepted) {
                    LOG.warn("rejected a corrupted gradient (norm {}), attempt {} of {}", gradientNorm, attempt,
                            GradientGuard.ATTEMPTS);
                }
            }
            if (!accepted) {
                guard.adopt(gradientNorm); // the same every time: a real change of scale, not a glitch
            }
            encoderNorm = encoderAdam.step();
            decoderNorm = decoderAdam.step();
        }
        lastIteration = iteration;
        Map<String, Double> losses = new LinkedHashMap<>();
        losses.put("loss", last.total() / voxels);
        losses.put("reconstruction", last.reconstructionPerVoxel());
        losses.put("kl", last.kl());
        Map<String, Double> norms = new LinkedHashMap<>();
        norms.put("encoder", encoderNorm);
        norms.put("decoder", decoderNorm);
        return new IterationResult(iteration, losses, norms);
    }

    @Override
    public void writeCheckpoint(Path dir) throws IOException {
        writeModel(dir);
        encoderAdam.save(dir.resolve(ENCODER_ADAM));
        decoderAdam.save(dir.resolve(DECODER_ADAM));
    }

    @Override
    public void writeModel(Path dir) throws IOException {
        ModelDirectory.TrainingSummary summary = data == null && config == null ? null
                : new ModelDirectory.TrainingSummary(data, lastIteration, config);
        ModelDirectory.save(dir, model, summary);
    }

    /**
     * Decodes a latent drawn from the prior: a VAE makes {@code inputSize³} volumes whatever {@code
     * size} asks for.
     */
    @Override
    public Volume sample(int size, long seed) {
        return model.sample(seed);
    }

    @Override
    public String divergenceHint() {
        return "lower learningRate (halve it) in --config";
    }

    @Override
    public void close() {
        encoderAdam.close();
        decoderAdam.close();
        if (ownsModel) {
            model.close();
        }
    }
}
