package dev.microforge.training;

import dev.microforge.models.slicegan.SliceGanArchitecture;
import java.util.List;
import java.util.Map;

/**
 * The configuration of {@code microforge train slicegan}: architecture, optimiser, batch and session
 * intervals, read from a JSON object whose keys are this record's components (any subset; missing
 * keys keep {@link #defaults()}; see {@link ConfigJson}). The number of critics is not a key: it
 * follows the data (one image: one shared critic; three images or a volume: one per axis).
 *
 * @param latentChannels channels of the spatial latent
 * @param generatorWidths output channels per generator level (each x2), multiples of 16
 * @param generatorLatentWidths output channels of the generator's 3x3x3 convolutions at the latent resolution, before
 *     the first level (none by default; {@link dev.microforge.models.gan.GanArchitecture#latentWidths()})
 * @param criticWidths output channels per 2D critic level (each /2), multiples of 16
 * @param batchSize generated volumes per iteration
 * @param sliceSize edge of the generated training volumes and of the real patches
 * @param slicesPerAxis planes per volume and axis each critic step sees (divides sliceSize)
 * @param criticSteps critic updates per generator update
 * @param gradientPenaltyWeight WGAN-GP lambda
 * @param generatorLearningRate Adam learning rate of the generator
 * @param criticLearningRate Adam learning rate of the critics
 * @param beta1 Adam beta1
 * @param beta2 Adam beta2
 * @param statisticsWeight weight of the two-point-correlation matching term in the generator's loss
 *     ({@link StatisticsMatching} against the training images' statistics; 0: SliceGAN's loss)
 * @param statisticsMaxLag largest lag of that term in voxels, smaller than sliceSize; 0 for half the slice
 * @param statisticsAverage decay of the running average of the generated statistics whose deviation from the
 *     data's drives the term's gradient ({@link StatisticsMatching#withAverage}; 0: each batch's own deviation;
 *     e.g. 0.9, an average over about 10 iterations)
 * @param iterations iteration target
 * @param checkpointEvery checkpoint interval in iterations
 * @param keepCheckpoints checkpoints kept
 * @param evaluateEvery evaluation interval in iterations (0: never)
 * @param evaluationSize edge of the evaluated sample in voxels
 * @param evaluateTortuosity whether evaluation solves the pore tortuosity (needs a 3D training volume)
 * @param seed random seed of initial weights and of every draw
 */
public record SliceGanTrainingConfig(
        int latentChannels,
        List<Integer> generatorWidths,
        List<Integer> generatorLatentWidths,
        List<Integer> criticWidths,
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
        long iterations,
        int checkpointEvery,
        int keepCheckpoints,
        int evaluateEvery,
        int evaluationSize,
        boolean evaluateTortuosity,
        long seed) implements TrainingConfig<SliceGanTrainingConfig> {

    /** Validates every value by building what it configures. */
    public SliceGanTrainingConfig {
        generatorWidths = List.copyOf(generatorWidths);
        generatorLatentWidths = generatorLatentWidths == null ? List.of() : List.copyOf(generatorLatentWidths);
        criticWidths = List.copyOf(criticWidths);
        new SliceGanArchitecture(latentChannels, generatorWidths, criticWidths, 2, 1, generatorLatentWidths)
                .latentSizeFor(sliceSize);
        trainerOptions(batchSize, sliceSize, slicesPerAxis, criticSteps, gradientPenaltyWeight, generatorLearningRate,
                criticLearningRate, beta1, beta2, statisticsWeight, statisticsMaxLag, statisticsAverage, seed);
        new TrainingSession.Options(iterations, 0, checkpointEvery, keepCheckpoints, evaluateEvery,
                DivergenceDetector.Options.defaults());
        new SampleEvaluation.Options(evaluationSize, 32, evaluateTortuosity, 0);
    }

    /**
     * Defaults sized for 2 CPU cores (see README, "SliceGAN and VAE"): the architecture of {@link
     * SliceGanArchitecture#defaults}, four 32³ volumes per iteration with 8 planes per axis per critic
     * step, 5 critic steps, lambda 10, Adam 1e-4 (0.9, 0.99), statistics matching with weight {@link
     * GanTrainingConfig#STATISTICS_WEIGHT} up to half the slice (16 voxels) without a running average, 2000
     * iterations, checkpoint every 50 (keep 3), evaluate a 64³ sample every 100 (with tortuosity when the data is a
     * volume), seed 1.
     *
     * @return the defaults
     */
    public static SliceGanTrainingConfig defaults() {
        SliceGanArchitecture a = SliceGanArchitecture.defaults(2, 1);
        return new SliceGanTrainingConfig(a.latentChannels(), a.generatorWidths(), a.latentWidths(), a.criticWidths(),
                4, 32, 8, 5,
                10.0, 1e-4, 1e-4, 0.9, 0.99, GanTrainingConfig.STATISTICS_WEIGHT, 0, 0, 2000, 50, 3, 100, 64,
                true, 1);
    }

    /**
     * Reads a configuration: {@code json}'s keys over {@code base}'s values.
     *
     * @param json a JSON object
     * @param source what to call it in messages
     * @param base the values of missing keys
     * @return the configuration
     */
    public static SliceGanTrainingConfig fromJson(String json, String source, SliceGanTrainingConfig base) {
        return ConfigJson.read(json, source, base, SliceGanTrainingConfig.class);
    }

    /**
     * Reads a configuration back from {@link #toMap()}'s form.
     *
     * @param map the stored map
     * @param source what to call it in messages
     * @return the configuration
     */
    public static SliceGanTrainingConfig fromMap(Map<String, Object> map, String source) {
        return ConfigJson.fromMap(map, source, defaults(), SliceGanTrainingConfig.class);
    }

    /**
     * Returns the configuration keys.
     *
     * @return the component names in order
     */
    public static List<String> keys() {
        return ConfigJson.keys(SliceGanTrainingConfig.class);
    }

    /**
     * Returns the network table.
     *
     * @param phases number of phases
     * @param critics 1 (isotropic data) or 3
     * @return the architecture
     */
    public SliceGanArchitecture architecture(int phases, int critics) {
        return new SliceGanArchitecture(latentChannels, generatorWidths, criticWidths, phases, critics,
                generatorLatentWidths);
    }

    /**
     * Returns the trainer's options.
     *
     * @return the SliceGAN options
     */
    public SliceGanTrainer.Options trainerOptions() {
        return trainerOptions(batchSize, sliceSize, slicesPerAxis, criticSteps, gradientPenaltyWeight,
                generatorLearningRate, criticLearningRate, beta1, beta2, statisticsWeight, statisticsMaxLag,
                statisticsAverage, seed);
    }

    private static SliceGanTrainer.Options trainerOptions(int batchSize, int sliceSize, int slicesPerAxis,
            int criticSteps, double gradientPenaltyWeight, double generatorLearningRate, double criticLearningRate,
            double beta1, double beta2, double statisticsWeight, int statisticsMaxLag, double statisticsAverage,
            long seed) {
        return new SliceGanTrainer.Options(batchSize, sliceSize, slicesPerAxis, criticSteps, gradientPenaltyWeight,
                generatorLearningRate, criticLearningRate, beta1, beta2, statisticsWeight,
                GanTrainingConfig.lag(statisticsMaxLag, sliceSize), statisticsAverage, seed);
    }

    @Override
    public Object networkSettings() {
        return architecture(2, 1);
    }

    @Override
    public TrainingSession.Options sessionOptions(double wallSeconds) {
        return new TrainingSession.Options(iterations, wallSeconds, checkpointEvery, keepCheckpoints, evaluateEvery,
                DivergenceDetector.Options.defaults());
    }

    @Override
    public SampleEvaluation.Options evaluationOptions() {
        return new SampleEvaluation.Options(evaluationSize, 32, evaluateTortuosity, 0);
    }

    @Override
    public SliceGanTrainingConfig withIterations(long value) {
        return new SliceGanTrainingConfig(latentChannels, generatorWidths, generatorLatentWidths, criticWidths,
                batchSize, sliceSize, slicesPerAxis, criticSteps, gradientPenaltyWeight, generatorLearningRate, criticLearningRate, beta1,
                beta2, statisticsWeight, statisticsMaxLag, statisticsAverage, value, checkpointEvery, keepCheckpoints,
                evaluateEvery, evaluationSize, evaluateTortuosity, seed);
    }

    @Override
    public SliceGanTrainingConfig withSeed(long value) {
        return new SliceGanTrainingConfig(latentChannels, generatorWidths, generatorLatentWidths, criticWidths,
                batchSize, sliceSize, slicesPerAxis, criticSteps, gradientPenaltyWeight, generatorLearningRate, criticLearningRate, beta1,
                beta2, statisticsWeight, statisticsMaxLag, statisticsAverage, iterations, checkpointEvery, keepCheckpoints,
                evaluateEvery, evaluationSize, evaluateTortuosity, value);
    }
}
