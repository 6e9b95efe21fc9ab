package dev.microforge.training;

import java.util.Map;

/**
 * What every {@code microforge train KIND} configuration offers the command that runs it: the
 * session's settings, the seed and iteration target (which the command line may override), the
 * stored form for {@code model.json}, and the part that fixes the networks (which a resumed run must
 * not change). Implementations are records read by {@link ConfigJson}: {@link GanTrainingConfig},
 * {@link SliceGanTrainingConfig}, {@link VaeTrainingConfig}.
 *
 * @param <C> the implementing record
 */
public interface TrainingConfig<C extends TrainingConfig<C>> {

    /**
     * Returns the random seed.
     *
     * @return the seed
     */
    long seed();

    /**
     * Returns the iteration target.
     *
     * @return iterations
     */
    long iterations();

    /**
     * Returns the evaluation interval (0: never).
     *
     * @return iterations between evaluations
     */
    int evaluateEvery();

    /**
     * Returns a copy with another seed.
     *
     * @param value the seed
     * @return the copy
     */
    C withSeed(long value);

    /**
     * Returns a copy with another iteration target.
     *
     * @param value iterations
     * @return the copy
     */
    C withIterations(long value);

    /**
     * Returns the settings that fix the networks' shapes; a resumed run must keep them.
     *
     * @return a value comparable with {@code equals}
     */
    Object networkSettings();

    /**
     * Returns the session options.
     *
     * @param wallSeconds wall-time budget of the session (0: none)
     * @return the options
     */
    TrainingSession.Options sessionOptions(double wallSeconds);

    /**
     * Returns the evaluation options.
     *
     * @return the options
     */
    SampleEvaluation.Options evaluationOptions();

    /**
     * Returns the configuration as a JSON-ready map (for {@code model.json}).
     *
     * @return key to value, in component order
     */
    default Map<String, Object> toMap() {
        return ConfigJson.toMap((Record) this);
    }
}
