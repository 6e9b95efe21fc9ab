package dev.microforge.training;

import java.nio.file.Path;

/**
 * Receives what a {@link TrainingSession} does; never prints (DESIGN §1: loops report through
 * listeners, only the CLI shows them). Every method has an empty default.
 */
public interface TrainingListener {

    /** A listener that ignores everything. */
    TrainingListener NONE = new TrainingListener() {};

    /**
     * Called once before the first iteration of this session.
     *
     * @param start the iteration reached so far (0 for a fresh run), the target and the history so far
     */
    default void onStart(TrainingSession.Start start) {}

    /**
     * Called after each iteration.
     *
     * @param progress the iteration's losses with timing
     */
    default void onIteration(TrainingSession.Progress progress) {}

    /**
     * Called after a checkpoint has been written (and renamed into place).
     *
     * @param iteration the iteration it holds
     * @param dir its folder
     */
    default void onCheckpoint(long iteration, Path dir) {}

    /**
     * Called after a periodic evaluation.
     *
     * @param metrics the sample's quality metrics
     */
    default void onEvaluation(SampleEvaluation.Metrics metrics) {}

    /**
     * Called once at the end, whatever the reason.
     *
     * @param result how the session ended
     */
    default void onEnd(TrainingSession.Result result) {}
}
