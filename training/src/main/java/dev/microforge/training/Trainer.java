package dev.microforge.training;

import dev.microforge.datasets.Volume;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * One model's training algorithm as {@link TrainingSession} drives it: one call per iteration,
 * checkpoints, and a sample for evaluation. Implementations: {@link WganGpTrainer} (3D GAN); SliceGAN
 * and VAE trainers plug in the same way.
 *
 * <p>Contract for exact resume: {@link #iterate} must draw all of its randomness from {@link
 * IterationSeeds} for that iteration (never from a stream that earlier iterations advanced, nor from
 * the engine's global generator), and {@link #writeCheckpoint} must save everything else that the
 * next iteration reads (parameters, optimiser moments and step counts). A trainer restored from a
 * checkpoint written after iteration {@code N} and asked for iteration {@code N + 1} must then do
 * exactly what the uninterrupted trainer does.
 */
public interface Trainer extends AutoCloseable {

    /**
     * Returns the model kind written to {@code model.json} (e.g. {@code gan3d}).
     *
     * @return the kind
     */
    String kind();

    /**
     * Returns the names of the losses {@link #iterate} reports, in order.
     *
     * @return loss names, e.g. {@code critic, generator, gradientPenalty}
     */
    List<String> lossNames();

    /**
     * Runs one iteration.
     *
     * @param iteration the 1-based iteration number (the seed of its randomness)
     * @return its losses and gradient norms
     */
    IterationResult iterate(long iteration);

    /**
     * Writes a resumable checkpoint into an existing, empty folder: a loadable model directory plus
     * the optimiser state.
     *
     * @param dir the folder
     * @throws IOException if writing fails
     */
    void writeCheckpoint(Path dir) throws IOException;

    /**
     * Writes the model alone (what {@code generate} reads) into {@code dir}, replacing its model
     * files.
     *
     * @param dir the model directory
     * @throws IOException if writing fails
     */
    void writeModel(Path dir) throws IOException;

    /**
     * Generates one labelled volume of edge at least {@code size} for evaluation.
     *
     * @param size requested edge in voxels
     * @param seed sample seed
     * @return a volume with labels {@code 0..phases-1}
     */
    Volume sample(int size, long seed);

    /**
     * Returns what to try when training diverges, as one clause for an error message.
     *
     * @return e.g. "lower the learning rates or raise gradientPenaltyWeight"
     */
    String divergenceHint();

    /** Releases the model and optimiser state. */
    @Override
    void close();
}
