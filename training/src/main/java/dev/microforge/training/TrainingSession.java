package dev.microforge.training;

import dev.microforge.datasets.Volume;
import dev.microforge.datasets.io.VolumeIO;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Drives any {@link Trainer} through its iterations: stop conditions (iteration target, wall-time
 * budget, a stop flag such as Ctrl-C), divergence detection, atomic checkpoints every {@code
 * checkpointEvery} iterations (the newest {@code keepCheckpoints} kept), periodic evaluation of a
 * sample against the training volume, and listeners for progress display.
 *
 * <p>Model directory layout it writes: {@code model.json} and weights (the trainer's, refreshed at
 * every checkpoint, so the directory always holds a loadable model), {@code checkpoints/iteration-N/}
 * (model files, optimiser state, {@code session.json}), {@code metrics.jsonl} (one JSON object per
 * evaluation, appended and flushed to disk) and {@code samples/iteration-N.tif} (the evaluated
 * sample).
 *
 * <p>Resume: start from {@link SessionState#read} of the newest checkpoint with a trainer restored from
 * the same checkpoint; iteration {@code N + 1} then runs with the same randomness (see {@link
 * IterationSeeds}) and the same parameters and optimiser moments as in an uninterrupted run, and
 * {@code metrics.jsonl} loses the lines of iterations after {@code N}. A run that diverges writes no
 * checkpoint (its parameters are not finite); the last good checkpoint stays for {@code --resume}.
 */
public final class TrainingSession {

    private static final Logger LOG = LoggerFactory.getLogger(TrainingSession.class);

    /** File of the evaluation metrics, one JSON object per line. */
    public static final String METRICS_FILE = "metrics.jsonl";
    /** Folder of the evaluated samples. */
    public static final String SAMPLES_FOLDER = "samples";

    /**
     * Session options.
     *
     * @param iterations the iteration to stop at (total, counting earlier sessions), at least 1
     * @param wallSeconds stop before this much training time of this session has passed (at the mean pace so
     *     far; the first iteration always runs); 0 for no budget
     * @param checkpointEvery checkpoint interval in iterations, at least 1
     * @param keepCheckpoints checkpoints kept, at least 1
     * @param evaluateEvery evaluation interval in iterations, 0 for none
     * @param divergence divergence thresholds
     */
    public record Options(long iterations, double wallSeconds, int checkpointEvery, int keepCheckpoints,
            int evaluateEvery, DivergenceDetector.Options divergence) {

        /** Validates the options. */
        public Options {
            if (iterations < 1) {
                throw new IllegalArgumentException("iterations must be at least 1, got " + iterations);
            }
            if (!(wallSeconds >= 0) || Double.isInfinite(wallSeconds)) {
                throw new IllegalArgumentException("wall-time budget must be >= 0 seconds (0: none), got " + wallSeconds);
            }
            if (checkpointEvery < 1) {
                throw new IllegalArgumentException("checkpointEvery must be at least 1, got " + checkpointEvery);
            }
            if (keepCheckpoints < 1) {
                throw new IllegalArgumentException("keepCheckpoints must be at least 1, got " + keepCheckpoints);
            }
            if (evaluateEvery < 0) {
                throw new IllegalArgumentException("evaluateEvery must be >= 0 (0: never), got " + evaluateEvery);
            }
            if (divergence == null) {
                throw new IllegalArgumentException("divergence options are required");
            }
        }
    }

    /** Why a session ended. */
    public enum Stop {
        /** The iteration target was reached. */
        COMPLETED,
        /** The wall-time budget would have been exceeded by another iteration. */
        TIME_BUDGET,
        /** The stop flag was raised (Ctrl-C). */
        INTERRUPTED,
        /** Losses or gradients diverged; no checkpoint was written for the diverged iteration. */
        DIVERGED
    }

    /**
     * What a session starts from.
     *
     * @param iteration iterations already done (0 for a fresh run)
     * @param targetIterations the iteration target
     * @param lossNames loss names
     * @param history earlier loss rows {@code [iteration, loss...]}
     * @param evaluations earlier evaluations (from {@code metrics.jsonl})
     */
    public record Start(long iteration, long targetIterations, List<String> lossNames, List<double[]> history,
            List<SampleEvaluation.Metrics> evaluations) {}

    /**
     * One iteration's report with timing.
     *
     * @param result the trainer's losses and norms
     * @param targetIterations the iteration target
     * @param sessionIterations iterations run in this session
     * @param sessionSeconds seconds since this session's first iteration
     * @param wallSeconds the session's budget (0: none)
     */
    public record Progress(IterationResult result, long targetIterations, long sessionIterations, double sessionSeconds,
            double wallSeconds) {

        /**
         * Returns the iteration.
         *
         * @return 1-based iteration
         */
        public long iteration() {
            return result.iteration();
        }

        /**
         * Returns the mean seconds per iteration in this session.
         *
         * @return seconds per iteration
         */
        public double secondsPerIteration() {
            return sessionSeconds / Math.max(1, sessionIterations);
        }

        /**
         * Estimates the seconds left: the remaining iterations at this session's pace, capped by the budget.
         *
         * @return seconds left
         */
        public double etaSeconds() {
            double eta = secondsPerIteration() * (targetIterations - iteration());
            return wallSeconds > 0 ? Math.min(eta, Math.max(0, wallSeconds - sessionSeconds)) : eta;
        }
    }

    /**
     * How a session ended.
     *
     * @param stop the reason
     * @param iteration the last completed (non-diverged) iteration
     * @param targetIterations the iteration target
     * @param message one line for the user (with the hint when diverged)
     * @param lastCheckpoint the newest checkpoint folder, or null if none was ever written
     * @param sessionIterations iterations run in this session
     * @param seconds this session's training time
     * @param lastLosses the losses of the last iteration (empty if none ran)
     * @param lastMetrics the last evaluation, or null
     */
    public record Result(Stop stop, long iteration, long targetIterations, String message, Path lastCheckpoint,
            long sessionIterations, double seconds, Map<String, Double> lastLosses,
            SampleEvaluation.Metrics lastMetrics) {

        /**
         * Returns the mean seconds per iteration of this session (NaN if none ran).
         *
         * @return seconds per iteration
         */
        public double secondsPerIteration() {
            return sessionIterations == 0 ? Double.NaN : seconds / sessionIterations;
        }
    }

    /**
     * Periodic evaluation settings.
     *
     * @param reference statistics of the training volume
     * @param options sample size, S2 range, tortuosity
     * @param sampleSeed the latent seed of the sample (fixed, so the curve follows one latent)
     */
    public record Evaluation(SampleEvaluation.Reference reference, SampleEvaluation.Options options, long sampleSeed) {}

    private TrainingSession() {}

    /**
     * Runs a session.
     *
     * @param trainer the trainer (fresh, or restored from the checkpoint {@code start} was read from)
     * @param modelDir the model directory (created if missing)
     * @param start {@link SessionState#fresh} or the state of the checkpoint to resume
     * @param options stop conditions and intervals
     * @param evaluation periodic evaluation, or null for none
     * @param stopRequested polled before each iteration; true stops the session with a checkpoint
     * @param listeners progress receivers
     * @return how the session ended
     * @throws IOException if a checkpoint, the model, a sample or the metrics cannot be written
     */
    public static Result run(Trainer trainer, Path modelDir, SessionState start, Options options, Evaluation evaluation,
            BooleanSupplier stopRequested, List<TrainingListener> listeners) throws IOException {
        if (!start.kind().equals(trainer.kind())) {
            throw new IllegalArgumentException("checkpoint is of a " + start.kind() + " model, the trainer trains "
                    + trainer.kind());
        }
        if (!start.lossNames().equals(trainer.lossNames())) {
            List<String> dropped = new ArrayList<>(start.lossNames());
            dropped.removeAll(trainer.lossNames());
            List<String> added = new ArrayList<>(trainer.lossNames());
            added.removeAll(start.lossNames());
            throw new IllegalArgumentException("the checkpoint logs the losses " + start.lossNames()
                    + ", these settings " + trainer.lossNames() + (dropped.isEmpty() ? "" : " (without " + String.join(", ", dropped) + ")")
                    + (added.isEmpty() ? "" : " (with " + String.join(", ", added) + ")") + ": a loss term (e.g. "
                    + "linealPathWeight 0 or not) cannot be switched on or off when resuming; keep the setting or "
                    + "train into a new model directory");
        }
        Files.createDirectories(modelDir);
        Checkpoints.removePartial(modelDir);
        List<double[]> history = new ArrayList<>(start.history());
        List<SampleEvaluation.Metrics> evaluations = truncateMetrics(modelDir, start.iteration());
        long iteration = start.iteration();
        Start begin = new Start(iteration, options.iterations(), trainer.lossNames(), List.copyOf(history),
                List.copyOf(evaluations));
        listeners.forEach(l -> l.onStart(begin));
        DivergenceDetector detector = new DivergenceDetector(options.divergence());
        Path lastCheckpoint = Checkpoints.latest(modelDir).orElse(null);
        long checkpointed = lastCheckpoint == null ? -1 : Checkpoints.iterationOf(lastCheckpoint);
        long startNanos = System.nanoTime();
        long sessionIterations = 0;
        double priorSeconds = start.seconds();
        Map<String, Double> lastLosses = Map.of();
        SampleEvaluation.Metrics lastMetrics = evaluations.isEmpty() ? null : evaluations.get(evaluations.size() - 1);
        Stop stop = Stop.COMPLETED;
        String message = null;
        while (iteration < options.iterations()) {
            double elapsed = (System.nanoTime() - startNanos) / 1e9;
            if (stopRequested.getAsBoolean()) {
                stop = Stop.INTERRUPTED;
                break;
            }
            double pace = sessionIterations == 0 ? 0 : elapsed / sessionIterations;
            if (options.wallSeconds() > 0 && sessionIterations > 0 && elapsed + pace > options.wallSeconds()) {
                stop = Stop.TIME_BUDGET;
                break;
            }
            IterationResult result = trainer.iterate(iteration + 1);
            Optional<String> diverged = detector.check(result);
            if (diverged.isPresent()) {
                stop = Stop.DIVERGED;
                message = "training diverged at iteration " + (iteration + 1) + ": " + diverged.get() + "; "
                        + trainer.divergenceHint()
                        + (lastCheckpoint == null ? "" : "; the last good checkpoint is at iteration " + checkpointed);
                lastLosses = result.losses();
                break;
            }
            iteration++;
            sessionIterations++;
            lastLosses = result.losses();
            double[] row = new double[1 + result.losses().size()];
            row[0] = iteration;
            System.arraycopy(result.lossValues(), 0, row, 1, row.length - 1);
            history.add(row);
            Progress progress = new Progress(result, options.iterations(), sessionIterations,
                    (System.nanoTime() - startNanos) / 1e9, options.wallSeconds());
            listeners.forEach(l -> l.onIteration(progress));
            if (evaluation != null && options.evaluateEvery() > 0 && iteration % options.evaluateEvery() == 0) {
                lastMetrics = evaluate(trainer, modelDir, evaluation, iteration);
                SampleEvaluation.Metrics m = lastMetrics;
                listeners.forEach(l -> l.onEvaluation(m));
            }
            if (iteration % options.checkpointEvery() == 0) {
                lastCheckpoint = checkpoint(trainer, modelDir, iteration, start, history,
                        priorSeconds + (System.nanoTime() - startNanos) / 1e9, options.keepCheckpoints());
                checkpointed = iteration;
                Path dir = lastCheckpoint;
                long at = iteration;
                listeners.forEach(l -> l.onCheckpoint(at, dir));
            }
        }
        double seconds = (System.nanoTime() - startNanos) / 1e9;
        if (stop != Stop.DIVERGED && checkpointed != iteration) {
            lastCheckpoint = checkpoint(trainer, modelDir, iteration, start, history, priorSeconds + seconds,
                    options.keepCheckpoints());
            checkpointed = iteration;
            Path dir = lastCheckpoint;
            long at = iteration;
            listeners.forEach(l -> l.onCheckpoint(at, dir));
        }
        if (message == null) {
            message = switch (stop) {
                case COMPLETED -> "trained to iteration " + iteration;
                case TIME_BUDGET -> "stopped at iteration " + iteration + " of " + options.iterations()
                        + " (wall-time budget); continue with --resume";
                case INTERRUPTED -> "stopped at iteration " + iteration + " of " + options.iterations()
                        + "; checkpoint written, continue with --resume";
                case DIVERGED -> throw new IllegalStateException();
            };
        }
        LOG.info("training session ended: {}", message);
        Result r = new Result(stop, iteration, options.iterations(), message, lastCheckpoint, sessionIterations, seconds,
                lastLosses, lastMetrics);
        listeners.forEach(l -> l.onEnd(r));
        return r;
    }

    private static Path checkpoint(Trainer trainer, Path modelDir, long iteration, SessionState start,
            List<double[]> history, double seconds, int keep) throws IOException {
        SessionState state = new SessionState(SessionState.VERSION, trainer.kind(), iteration, start.seed(), seconds,
                trainer.lossNames(), history);
        Path dir = Checkpoints.write(modelDir, iteration, d -> {
            trainer.writeCheckpoint(d);
            state.write(d);
        }, keep);
        trainer.writeModel(modelDir);
        return dir;
    }

    private static SampleEvaluation.Metrics evaluate(Trainer trainer, Path modelDir, Evaluation evaluation,
            long iteration) throws IOException {
        long t0 = System.nanoTime();
        Volume sample = trainer.sample(evaluation.options().sampleSize(), evaluation.sampleSeed());
        SampleEvaluation.Metrics m = SampleEvaluation.evaluate(sample, evaluation.reference(), evaluation.options(),
                iteration, t0);
        Path samples = Files.createDirectories(modelDir.resolve(SAMPLES_FOLDER));
        VolumeIO.write(sample, samples.resolve(Checkpoints.name(iteration) + ".tif"),
                VolumeIO.WriteOptions.defaults().withOverwrite(true));
        byte[] line = (SessionState.JSON.writeValueAsString(m) + "\n").getBytes(StandardCharsets.UTF_8);
        try (var ch = java.nio.channels.FileChannel.open(modelDir.resolve(METRICS_FILE), StandardOpenOption.CREATE,
                StandardOpenOption.WRITE, StandardOpenOption.APPEND)) {
            ch.write(java.nio.ByteBuffer.wrap(line));
            ch.force(true);
        }
        return m;
    }

    /**
     * Reads {@code metrics.jsonl}, dropping (and rewriting without) the lines of iterations after
     * {@code iteration}: a resumed run re-evaluates them.
     */
    static List<SampleEvaluation.Metrics> truncateMetrics(Path modelDir, long iteration) throws IOException {
        Path file = modelDir.resolve(METRICS_FILE);
        if (!Files.exists(file)) {
            return new ArrayList<>();
        }
        List<SampleEvaluation.Metrics> kept = new ArrayList<>();
        List<String> keptLines = new ArrayList<>();
        boolean dropped = false;
        for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
            if (line.isBlank()) {
                continue;
            }
            SampleEvaluation.Metrics m;
            try {
                m = SessionState.JSON.readValue(line, SampleEvaluation.Metrics.class);
            } catch (IOException e) {
                dropped = true; // a line cut short by a crash
                continue;
            }
            if (m.iteration() <= iteration) {
                kept.add(m);
                keptLines.add(line);
            } else {
                dropped = true;
            }
        }
        if (dropped) {
            dev.microforge.datasets.io.AtomicFile.write(file, true,
                    out -> out.write((String.join("\n", keptLines) + (keptLines.isEmpty() ? "" : "\n"))
                            .getBytes(StandardCharsets.UTF_8)));
        }
        return kept;
    }

    /**
     * Reads the evaluations recorded in a model directory.
     *
     * @param modelDir the model directory
     * @return the metrics, oldest first (empty if none)
     */
    public static List<SampleEvaluation.Metrics> readMetrics(Path modelDir) {
        try {
            return truncateMetrics(modelDir, Long.MAX_VALUE);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
