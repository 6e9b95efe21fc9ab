package dev.microforge.training;

import dev.microforge.models.vae.VaeArchitecture;
import java.util.List;
import java.util.Map;

/**
 * The configuration of {@code microforge train vae}, read from a JSON object whose keys are this
 * record's components (any subset; missing keys keep {@link #defaults()}; see {@link ConfigJson}).
 *
 * @param inputSize edge of the cubic patches the VAE encodes and decodes
 * @param latentDimension entries of the latent vector
 * @param encoderWidths output channels per encoder level (each /2), multiples of 16
 * @param decoderWidths output channels per decoder level (each x2), multiples of 16
 * @param batchSize patches per step
 * @param klWeight beta, the KL term's weight (1: the true ELBO)
 * @param learningRate Adam learning rate
 * @param beta1 Adam beta1
 * @param beta2 Adam beta2
 * @param iterations iteration target
 * @param checkpointEvery checkpoint interval in iterations
 * @param keepCheckpoints checkpoints kept
 * @param evaluateEvery evaluation interval in iterations (0: never); the sample is a decoded prior
 *     draw of {@code inputSize³}
 * @param evaluateTortuosity whether evaluation solves the pore tortuosity
 * @param seed random seed of initial weights, patches and noise
 */
public record VaeTrainingConfig(
        int inputSize,
        int latentDimension,
        List<Integer> encoderWidths,
        List<Integer> decoderWidths,
        int batchSize,
        double klWeight,
        double learningRate,
        double beta1,
        double beta2,
        long iterations,
        int checkpointEvery,
        int keepCheckpoints,
        int evaluateEvery,
        boolean evaluateTortuosity,
        long seed) implements TrainingConfig<VaeTrainingConfig> {

    /** Validates every value by building what it configures. */
    public VaeTrainingConfig {
        encoderWidths = List.copyOf(encoderWidths);
        decoderWidths = List.copyOf(decoderWidths);
        new VaeArchitecture(2, inputSize, latentDimension, encoderWidths, decoderWidths);
        new VaeTrainer.Options(batchSize, klWeight, learningRate, beta1, beta2, seed);
        new TrainingSession.Options(iterations, 0, checkpointEvery, keepCheckpoints, evaluateEvery,
                DivergenceDetector.Options.defaults());
        new SampleEvaluation.Options(inputSize, 32, evaluateTortuosity, 0);
    }

    /**
     * Defaults sized for 2 CPU cores (see README, "SliceGAN and VAE"): the architecture of {@link
     * VaeArchitecture#defaults} for 64³ patches (latent 16), batch 4, beta 1, Adam 1e-3 (0.9, 0.999),
     * 2000 iterations, checkpoint every 50 (keep 3), evaluate every 100 with tortuosity, seed 1.
     *
     * @return the defaults
     */
    public static VaeTrainingConfig defaults() {
        VaeArchitecture a = VaeArchitecture.defaults(2, 64);
        return new VaeTrainingConfig(a.inputSize(), a.latentDimension(), a.encoderWidths(), a.decoderWidths(), 4, 1.0,
                1e-3, 0.9, 0.999, 2000, 50, 3, 100, true, 1);
    }

    /**
     * Reads a configuration: {@code json}'s keys over {@code base}'s values.
     *
     * @param json a JSON object
     * @param source what to call it in messages
     * @param base the values of missing keys
     * @return the configuration
     */
    public static VaeTrainingConfig fromJson(String json, String source, VaeTrainingConfig base) {
        return ConfigJson.read(json, source, base, VaeTrainingConfig.class);
    }

    /**
     * Reads a configuration back from {@link #toMap()}'s form.
     *
     * @param map the stored map
     * @param source what to call it in messages
     * @return the configuration
     */
    public static VaeTrainingConfig fromMap(Map<String, Object> map, String source) {
        return ConfigJson.fromMap(map, source, defaults(), VaeTrainingConfig.class);
    }

    /**
     * Returns the configuration keys.
     *
     * @return the component names in order
     */
    public static List<String> keys() {
        return ConfigJson.keys(VaeTrainingConfig.class);
    }

    /**
     * Returns the network table for {@code phases} phases.
     *
     * @param phases number of phases
     * @return the architecture
     */
    public VaeArchitecture architecture(int phases) {
        return new VaeArchitecture(phases, inputSize, latentDimension, encoderWidths, decoderWidths);
    }

    /**
     * Returns the trainer's options.
     *
     * @return the VAE options
     */
    public VaeTrainer.Options trainerOptions() {
        return new VaeTrainer.Options(batchSize, klWeight, learningRate, beta1, beta2, seed);
    }

    @Override
    public Object networkSettings() {
        return architecture(2);
    }

    @Override
    public TrainingSession.Options sessionOptions(double wallSeconds) {
        return new TrainingSession.Options(iterations, wallSeconds, checkpointEvery, keepCheckpoints, evaluateEvery,
                DivergenceDetector.Options.defaults());
    }

    @Override
    public SampleEvaluation.Options evaluationOptions() {
        return new SampleEvaluation.Options(inputSize, 32, evaluateTortuosity, 0);
    }

    @Override
    public VaeTrainingConfig withIterations(long value) {
        return new VaeTrainingConfig(inputSize, latentDimension, encoderWidths, decoderWidths, batchSize, klWeight,
                learningRate, beta1, beta2, value, checkpointEvery, keepCheckpoints, evaluateEvery, evaluateTortuosity,
                seed);
    }

    @Override
    public VaeTrainingConfig withSeed(long value) {
        return new VaeTrainingConfig(inputSize, latentDimension, encoderWidths, decoderWidths, batchSize, klWeight,
                learningRate, beta1, beta2, iterations, checkpointEvery, keepCheckpoints, evaluateEvery,
                evaluateTortuosity, value);
    }
}
