package dev.microforge.training;

import dev.microforge.models.gan.GanArchitecture;
import java.util.List;
import java.util.Map;

/**
 * The configuration of {@code microforge train gan}: architecture, optimiser, batch and session
 * intervals, read from a JSON object whose keys are this record's components (any subset; missing
 * keys keep {@link #defaults()}). An unknown key, a wrong type or a bad value is an {@link
 * IllegalArgumentException} naming the key. The configuration used is stored in {@code model.json}.
 *
 * @param latentChannels channels of the spatial latent
 * @param generatorWidths output channels per generator level (each x2), multiples of 16
 * @param generatorLatentWidths output channels of the generator's 3x3x3 convolutions at the latent resolution, before
 *     the first level (none by default; {@link GanArchitecture#latentWidths()}), multiples of 16
 * @param criticWidths output channels per critic level (each /2), multiples of 16
 * @param batchSize patches per step
 * @param patchSize training patch edge in voxels, a multiple of 2^levels of both networks
 * @param criticSteps critic updates per generator update
 * @param gradientPenaltyWeight WGAN-GP lambda
 * @param generatorLearningRate Adam learning rate of the generator
 * @param criticLearningRate Adam learning rate of the critic
 * @param beta1 Adam beta1
 * @param beta2 Adam beta2
 * @param statisticsWeight weight of the two-point-correlation matching term in the generator's loss
 *     ({@link StatisticsMatching}; 0: plain WGAN-GP)
 * @param statisticsMaxLag largest lag of that term in voxels, smaller than its volume's edge; 0 for half that edge
 * @param statisticsPatchSize edge of the generated volume the statistics term is measured on (one per iteration,
 *     decoded beside the critic's batch, so that the term can reach lags beyond the critic's patch); 0: the
 *     critic's batch itself
 * @param generatorAverage decay of the exponential moving average of the generator's weights that samples and
 *     the written model use (0: none; e.g. 0.99, an average over about 100 iterations)
 * @param linealPathWeight weight of a lineal-path matching term in the generator's loss ({@link
 *     StatisticsMatching#linealPathOf}, on the same volume as the two-point term; 0: none)
 * @param linealPathMaxLag largest lag of that term in voxels, at most the statistics lag; 0 for {@link
 *     WganGpTrainer.Options#LINEAL_PATH_LAG} or the statistics lag if smaller (the term's cost grows with its lag:
 *     one product of the whole volume per lag and axis)
 * @param statisticsAverage decay of the running average of the generated statistics whose deviation from the
 *     data's drives the statistics terms' gradients ({@link StatisticsMatching#withAverage}; 0: each volume's own
 *     deviation; e.g. 0.9, an average over about 10 iterations)
 * @param iterations iteration target
 * @param checkpointEvery checkpoint interval in iterations
 * @param keepCheckpoints checkpoints kept
 * @param evaluateEvery evaluation interval in iterations (0: never)
 * @param evaluationSize edge of the evaluated sample in voxels
 * @param evaluateTortuosity whether evaluation solves the pore tortuosity
 * @param seed random seed of initial weights, patches, latents and interpolation
 */
public record GanTrainingConfig(
        int latentChannels,
        List<Integer> generatorWidths,
        List<Integer> generatorLatentWidths,
        List<Integer> criticWidths,
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
        long iterations,
        int checkpointEvery,
        int keepCheckpoints,
        int evaluateEvery,
        int evaluationSize,
        boolean evaluateTortuosity,
        long seed) implements TrainingConfig<GanTrainingConfig> {

    /** The edge of the volume the statistics term is measured on. */
    static int statisticsEdge(int statisticsPatchSize, int patchSize) {
        return statisticsPatchSize == 0 ? patchSize : statisticsPatchSize;
    }

    static int lag(int statisticsMaxLag, int patchSize) {
        if (statisticsMaxLag < 0) {
            throw new IllegalArgumentException("statisticsMaxLag must be 0 (half the patch) or a number of voxels, got "
                    + statisticsMaxLag);
        }
        return statisticsMaxLag == 0 ? Math.max(1, patchSize / 2) : statisticsMaxLag;
    }

    /** The lag of the lineal-path term: {@code linealPathMaxLag}, or for 0 the default capped at the statistics lag. */
    static int linealPathLag(int linealPathMaxLag, int statisticsLag) {
        if (linealPathMaxLag < 0) {
            throw new IllegalArgumentException("linealPathMaxLag must be 0 (the default) or a number of voxels, got "
                    + linealPathMaxLag);
        }
        return linealPathMaxLag == 0 ? Math.min(WganGpTrainer.Options.LINEAL_PATH_LAG, statisticsLag)
                : linealPathMaxLag;
    }

    /** Default weight of the statistics-matching term (README, "Training a generator"). */
    public static final double STATISTICS_WEIGHT = 1000;

    /** Validates every value by building what it configures. */
    public GanTrainingConfig {
        generatorWidths = List.copyOf(generatorWidths);
        generatorLatentWidths = generatorLatentWidths == null ? List.of() : List.copyOf(generatorLatentWidths);
        criticWidths = List.copyOf(criticWidths);
        GanArchitecture a = new GanArchitecture(latentChannels, generatorWidths, criticWidths, 2,
                generatorLatentWidths);
        int lag = lag(statisticsMaxLag, statisticsEdge(statisticsPatchSize, patchSize));
        new WganGpTrainer.Options(batchSize, patchSize, criticSteps, gradientPenaltyWeight, generatorLearningRate,
                criticLearningRate, beta1, beta2, statisticsWeight, lag, statisticsPatchSize, generatorAverage,
                linealPathWeight, linealPathLag(linealPathMaxLag, lag), statisticsAverage, seed);
        if (statisticsPatchSize % (1 << a.levels()) != 0) {
            throw new IllegalArgumentException("statisticsPatchSize " + statisticsPatchSize + " must be 0 or a multiple of "
                    + (1 << a.levels()) + " (2^levels of the generator)");
        }
        int step = Math.max(1 << a.levels(), 1 << criticWidths.size());
        if (patchSize % step != 0) {
            throw new IllegalArgumentException("patchSize " + patchSize + " must be a multiple of " + step
                    + " (2^levels of the generator and of the critic)");
        }
        new TrainingSession.Options(iterations, 0, checkpointEvery, keepCheckpoints, evaluateEvery,
                DivergenceDetector.Options.defaults());
        new SampleEvaluation.Options(evaluationSize, 32, evaluateTortuosity, 0);
    }

    /**
     * Defaults sized for 2 CPU cores (see README, "Training a generator"): latent 16 channels,
     * generator 16,16,16 (three x2 levels: a 4³ latent per 32³ patch), critic 16,16,32 (three levels,
     * receptive field about 20 voxels, the scale of the NMC particles at 0.4 µm), all of them
     * gradient-checked layer configurations; batch 4 patches of 32³ (decoded from a 6³ latent, the margin
     * cut), 5 critic steps, lambda 10, Adam 1e-4 (0.5, 0.9), statistics matching with weight {@link
     * #STATISTICS_WEIGHT} up to half the patch (16 voxels), 2000 iterations, checkpoint every 50 (keep 3), evaluate a 64³ sample every 100
     * with tortuosity, seed 1.
     *
     * @return the defaults
     */
    public static GanTrainingConfig defaults() {
        return new GanTrainingConfig(16, List.of(16, 16, 16), List.of(), List.of(16, 16, 32), 4, 32, 5, 10.0, 1e-4,
                1e-4, 0.5, 0.9,
                STATISTICS_WEIGHT, 0, 0, 0, 0, 0, 0, 2000, 50, 3, 100, 64, true, 1);
    }

    /**
     * Reads a configuration: {@code json}'s keys over {@code base}'s values.
     *
     * @param json a JSON object
     * @param source what to call it in messages (the file name)
     * @param base the values of missing keys
     * @return the configuration
     * @throws IllegalArgumentException naming the source and the key for any fault
     */
    public static GanTrainingConfig fromJson(String json, String source, GanTrainingConfig base) {
        return ConfigJson.read(json, source, base, GanTrainingConfig.class);
    }

    /**
     * Reads a configuration back from {@link #toMap()}'s form.
     *
     * @param map the stored map
     * @param source what to call it in messages
     * @return the configuration
     */
    public static GanTrainingConfig fromMap(Map<String, Object> map, String source) {
        return ConfigJson.fromMap(map, source, defaults(), GanTrainingConfig.class);
    }

    /**
     * Returns the configuration keys.
     *
     * @return the component names in order
     */
    public static List<String> keys() {
        return ConfigJson.keys(GanTrainingConfig.class);
    }

    @Override
    public Object networkSettings() {
        return architecture(2);
    }

    /**
     * Returns the network table for {@code phases} phases.
     *
     * @param phases number of phases
     * @return the architecture
     */
    public GanArchitecture architecture(int phases) {
        return new GanArchitecture(latentChannels, generatorWidths, criticWidths, phases, generatorLatentWidths);
    }

    /**
     * Returns the trainer's options.
     *
     * @return the WGAN-GP options
     */
    public WganGpTrainer.Options trainerOptions() {
        int lag = lag(statisticsMaxLag, statisticsEdge(statisticsPatchSize, patchSize));
        return new WganGpTrainer.Options(batchSize, patchSize, criticSteps, gradientPenaltyWeight,
                generatorLearningRate, criticLearningRate, beta1, beta2, statisticsWeight, lag, statisticsPatchSize,
                generatorAverage, linealPathWeight, linealPathLag(linealPathMaxLag, lag), statisticsAverage, seed);
    }

    /**
     * Returns the session's options.
     *
     * @param wallSeconds wall-time budget of the session (0: none)
     * @return the session options
     */
    @Override
    public TrainingSession.Options sessionOptions(double wallSeconds) {
        return new TrainingSession.Options(iterations, wallSeconds, checkpointEvery, keepCheckpoints, evaluateEvery,
                DivergenceDetector.Options.defaults());
    }

    /**
     * Returns the evaluation options.
     *
     * @return sample size, S2 lags up to 32, pore tortuosity if enabled
     */
    @Override
    public SampleEvaluation.Options evaluationOptions() {
        return new SampleEvaluation.Options(evaluationSize, 32, evaluateTortuosity, 0);
    }

    /**
     * Returns a copy with another iteration target.
     *
     * @param value iterations
     * @return the copy
     */
    @Override
    public GanTrainingConfig withIterations(long value) {
        return new GanTrainingConfig(latentChannels, generatorWidths, generatorLatentWidths, criticWidths, batchSize,
                patchSize, criticSteps, gradientPenaltyWeight, generatorLearningRate, criticLearningRate, beta1, beta2,
                statisticsWeight,
                statisticsMaxLag, statisticsPatchSize, generatorAverage, linealPathWeight, linealPathMaxLag,
                statisticsAverage, value, checkpointEvery, keepCheckpoints, evaluateEvery, evaluationSize,
                evaluateTortuosity, seed);
    }

    /**
     * Returns a copy with another seed.
     *
     * @param value seed
     * @return the copy
     */
    @Override
    public GanTrainingConfig withSeed(long value) {
        return new GanTrainingConfig(latentChannels, generatorWidths, generatorLatentWidths, criticWidths, batchSize,
                patchSize, criticSteps, gradientPenaltyWeight, generatorLearningRate, criticLearningRate, beta1, beta2,
                statisticsWeight,
                statisticsMaxLag, statisticsPatchSize, generatorAverage, linealPathWeight, linealPathMaxLag,
                statisticsAverage, iterations, checkpointEvery, keepCheckpoints, evaluateEvery, evaluationSize,
                evaluateTortuosity, value);
    }
}
