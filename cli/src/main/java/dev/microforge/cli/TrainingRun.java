package dev.microforge.cli;

import dev.microforge.datasets.Volume;
import dev.microforge.models.ModelDirectory;
import dev.microforge.training.Checkpoints;
import dev.microforge.training.SampleEvaluation;
import dev.microforge.training.SessionState;
import dev.microforge.training.Trainer;
import dev.microforge.training.TrainingConfig;
import dev.microforge.training.TrainingListener;
import dev.microforge.training.TrainingSession;
import dev.microforge.training.WganGpTrainer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SortedMap;
import java.util.stream.Stream;

/**
 * What every {@code train KIND} command shares: the model-folder rules (a fresh run needs a new or empty folder, or
 * {@code --force}; {@code --resume} needs a checkpoint), the label check of the training volume, Ctrl-C (a stop flag
 * and a shutdown hook that waits for the final checkpoint), the progress display and the learning-curve PNGs.
 */
final class TrainingRun {
    /** Learning-curve pictures written into the model directory. */
    static final String LOSS_PNG = "learning-curve.png";
    static final String METRICS_PNG = "learning-metrics.png";
    /** Cached statistics of the training volume (evaluation reference). */
    static final String REFERENCE_FILE = "reference-statistics.json";
    /** Entries of a model directory that {@code --force} removes (all written by training). */
    private static final List<String> MODEL_ENTRIES = List.of("model.json", "generator.params", "critic.params",
            Checkpoints.FOLDER, TrainingSession.SAMPLES_FOLDER, TrainingSession.METRICS_FILE, LOSS_PNG, METRICS_PNG,
            REFERENCE_FILE, "critic-x.params", "critic-y.params", "critic-z.params", "encoder.params", "decoder.params");
    /** The most a Ctrl-C waits for the final checkpoint before the JVM exits anyway. */
    private static final long SHUTDOWN_WAIT_SECONDS = 300;

    private TrainingRun() {
    }

    /**
     * Checks, without writing anything, that {@code out} can take a fresh run or holds one to resume.
     *
     * @return the latest checkpoint when resuming, else null
     */
    static Path checkModelFolder(Path out, boolean resume, boolean force) throws IOException {
        if (resume && force) {
            throw new IllegalArgumentException("--resume and --force exclude each other: --resume continues the "
                    + "training in MODELDIR, --force starts it over");
        }
        boolean exists = Files.isDirectory(out);
        if (Files.exists(out) && !exists) {
            throw new FileAlreadyExistsException(out.toString(), null, "is a file, not a model directory");
        }
        if (resume) {
            if (!exists) {
                throw new NoSuchFileException(out.toString(), null, "no model directory to resume; drop --resume to "
                        + "start a new training");
            }
            return Checkpoints.latest(out).orElseThrow(() -> new NoSuchFileException(out.resolve(Checkpoints.FOLDER)
                    .toString(), null, "no checkpoint to resume from; drop --resume and add --force to start over"));
        }
        if (exists && !isEmpty(out)) {
            if (!force) {
                throw new FileAlreadyExistsException(out.toString(), null, "already exists; use --resume to continue "
                        + "its training or --force to start over");
            }
            if (!Files.exists(out.resolve("model.json")) && !Files.isDirectory(out.resolve(Checkpoints.FOLDER))) {
                throw new FileAlreadyExistsException(out.toString(), null, "is not empty and not a model directory; "
                        + "choose a new --out");
            }
        } else if (!exists) {
            Path parent = out.toAbsolutePath().getParent();
            if (parent == null || !Files.isDirectory(parent)) {
                throw new NoSuchFileException(out.toString(), null, "neither the folder nor its parent exists");
            }
        }
        return null;
    }

    /** Creates a fresh run's model folder, first removing an earlier run's files when {@code force}. */
    static void createModelFolder(Path out, boolean force) throws IOException {
        if (force && Files.isDirectory(out)) {
            for (String name : MODEL_ENTRIES) {
                deleteTree(out.resolve(name));
            }
        }
        OutputFolders.createIfParentExists(out);
    }

    private static boolean isEmpty(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.findAny().isEmpty();
        }
    }

    private static void deleteTree(Path p) throws IOException {
        if (!Files.exists(p)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(p)) {
            for (Path q : (Iterable<Path>) walk.sorted(java.util.Comparator.reverseOrder())::iterator) {
                Files.delete(q);
            }
        }
    }

    /**
     * The number of phases of a training volume whose labels must be {@code 0..k-1}, {@code k >= 2}.
     *
     * @throws IllegalArgumentException naming the labels found and how to remap them
     */
    static int phases(Volume data, Path file) {
        return phases(data.labelHistogram(), file.toString());
    }

    /**
     * The number of phases of training images or volumes taken together (labels {@code 0..k-1} over all of them).
     *
     * @throws IllegalArgumentException naming the labels found and how to remap them
     */
    static int phases(List<Volume> data, String files) {
        SortedMap<Integer, Long> labels = new java.util.TreeMap<>();
        for (Volume v : data) {
            v.labelHistogram().forEach((label, count) -> labels.merge(label, count, Long::sum));
        }
        return phases(labels, files);
    }

    private static int phases(SortedMap<Integer, Long> labels, String file) {
        int k = labels.lastKey() + 1;
        if (labels.size() < 2 || labels.firstKey() != 0 || labels.size() != k) {
            StringBuilder map = new StringBuilder();
            int i = 0;
            for (Integer v : labels.keySet()) {
                map.append(i == 0 ? "" : ",").append(v).append(':').append(i++);
            }
            throw new IllegalArgumentException(file + ": training needs labels 0..k-1 (k >= 2 phases), found "
                    + labels.keySet() + (labels.size() >= 2 ? "; remap with 'microforge convert " + file
                    + " remapped.tif --map " + map + "'" : ""));
        }
        return k;
    }

    /** How a command reads its configuration record. */
    interface ConfigFormat<C extends TrainingConfig<C>> {
        /** The built-in defaults. */
        C defaults();

        /** {@code json}'s keys over {@code base}. */
        C fromJson(String json, String source, C base);

        /** The form stored in {@code model.json}. */
        C fromMap(Map<String, Object> map, String source);
    }

    /**
     * A run's settings.
     *
     * @param config the configuration to train with
     * @param checkpoint the checkpoint to resume from, or null for a fresh run
     * @param state the session state of that checkpoint, or null for a fresh run
     * @param stored what the resumed model's {@code model.json} says, or null for a fresh run
     */
    record Settings<C extends TrainingConfig<C>>(C config, Path checkpoint, SessionState state,
            ModelDirectory.Summary stored) {
    }

    /**
     * Works out a run's configuration from the defaults, the resumed model's stored configuration, the --config
     * object or file and the --seed / --iterations overrides, refusing what a resumed run may not change
     * (architecture, seed) or an iteration target it has already reached. Writes nothing.
     */
    static <C extends TrainingConfig<C>> Settings<C> settings(String kind, TrainOptions o, ConfigFormat<C> format)
            throws IOException {
        Path checkpoint = checkModelFolder(o.out, o.resume, o.force);
        C base = format.defaults();
        ModelDirectory.Summary stored = null;
        SessionState state = null;
        if (checkpoint != null) {
            stored = ModelDirectory.readSummary(checkpoint);
            if (!stored.kind().equals(kind)) {
                throw new IllegalArgumentException(o.out + " holds a " + stored.kind() + " model, not " + kind
                        + "; resume it with 'microforge train " + commandOf(stored.kind()) + "'");
            }
            state = SessionState.read(checkpoint);
            if (stored.training() == null || stored.training().config() == null) {
                throw new IllegalArgumentException(checkpoint + ": model.json records no training configuration; "
                        + "it cannot be resumed");
            }
            base = format.fromMap(stored.training().config(), checkpoint.resolve("model.json").toString());
        }
        C cfg = base;
        ConfigArgument given = o.configArgument();
        if (given != null) {
            cfg = format.fromJson(given.text(), given.source(), base);
        }
        if (o.seed != null) {
            if (stored != null && o.seed != stored.seed()) {
                throw new IllegalArgumentException("--seed " + o.seed + " differs from the seed " + stored.seed()
                        + " the model in " + o.out + " was trained with; a resumed run keeps its seed");
            }
            cfg = cfg.withSeed(o.seed);
        }
        if (o.iterations != null) {
            cfg = cfg.withIterations(o.iterations);
        }
        if (stored != null) {
            if (given != null && !cfg.networkSettings().equals(base.networkSettings())) {
                throw new IllegalArgumentException(given.source() + ": changes the architecture (the network widths "
                        + "and sizes) of the model being resumed; start a new --out instead");
            }
            if (cfg.seed() != stored.seed()) {
                throw new IllegalArgumentException(given.source() + ": changes the seed of the model being resumed ("
                        + stored.seed() + "); a resumed run keeps its seed");
            }
            if (cfg.iterations() <= state.iteration()) {
                throw new IllegalArgumentException("the model in " + o.out + " has already trained " + state.iteration()
                        + " iterations (target " + cfg.iterations() + "); give a larger --iterations to continue");
            }
        }
        return new Settings<>(cfg, checkpoint, state, stored);
    }

    private static String commandOf(String kind) {
        return ModelDirectory.KIND_GAN3D.equals(kind) ? "gan" : kind;
    }

    /** The phase fractions and size of a training volume, as recorded in {@code model.json}. */
    static ModelDirectory.DataSummary dataSummary(String path, Volume volume, int phases) {
        List<Double> fractions = new ArrayList<>();
        long[] counts = volume.labelCounts();
        for (int label = 0; label < phases; label++) {
            fractions.add((double) counts[label] / volume.voxelCount());
        }
        return new ModelDirectory.DataSummary(path, volume.nx(), volume.ny(), volume.nz(), fractions);
    }

    /** The summary {@code --json} prints. */
    record Summary(String modelDir, String kind, String stop, String message, long iteration, long targetIterations,
            long sessionIterations, double seconds, double secondsPerIteration, Map<String, Double> losses,
            String checkpoint, SampleEvaluation.Metrics metrics) {
    }

    /**
     * Runs the session for a created or restored trainer (Ctrl-C stops it with a checkpoint), reports the result and
     * returns the exit code (2 when training diverged). Closes the trainer and {@code created}.
     */
    static int train(CliContext context, TrainOptions o, String kind, Trainer trainer, AutoCloseable created,
            SessionState state, TrainingConfig<?> cfg, TrainingSession.Evaluation evaluation) throws Exception {
        TrainingSession.Result result;
        try {
            Display display = new Display(context, o.out, "training " + commandOf(kind));
            result = withStopFlag(stop -> {
                TrainingSession.Result r = TrainingSession.run(trainer, o.out, state,
                        cfg.sessionOptions(o.wallSeconds()), evaluation, stop, List.of(display));
                report(context, o, kind, r);
                if (trainer instanceof WganGpTrainer gan && gan.recomputedSteps() > 0) {
                    context.err().println("microforge: note: " + gan.recomputedSteps() + " step(s) gave a corrupted "
                            + "gradient (a libtorch CPU fault) and were computed again");
                }
                return r;
            });
        } finally {
            trainer.close();
            if (created != null) {
                created.close();
            }
        }
        return result.stop() == TrainingSession.Stop.DIVERGED ? Main.BAD_INPUT : Main.OK;
    }

    private static void report(CliContext context, TrainOptions o, String kind, TrainingSession.Result r) {
        context.closeProgress();
        if (r.stop() == TrainingSession.Stop.DIVERGED) {
            context.err().println("microforge: " + ErrorMessages.oneLine(r.message()));
            context.err().flush();
        }
        if (o.json) {
            Json.print(context.out(), new Summary(o.out.toString(), kind, r.stop().name().toLowerCase(Locale.ROOT),
                    r.message(), r.iteration(), r.targetIterations(), r.sessionIterations(), r.seconds(),
                    r.secondsPerIteration(), r.lastLosses(), r.lastCheckpoint() == null ? null
                    : r.lastCheckpoint().toString(), r.lastMetrics()));
            return;
        }
        context.out().printf(Locale.ROOT, "%s (%d iterations in %.1f s, %.3f s/iteration)%n", r.message(),
                r.sessionIterations(), r.seconds(), r.secondsPerIteration());
        if (r.lastMetrics() != null) {
            SampleEvaluation.Metrics m = r.lastMetrics();
            context.out().printf(Locale.ROOT, "sample at iteration %d: max |vf error| %.4f, max S2 RMSE %.4f%s%n",
                    m.iteration(), m.maxFractionError(), m.maxS2Rmse(), m.tortuosityRatio() == null ? ""
                    : String.format(Locale.ROOT, ", tortuosity ratio x %s y %s z %s", m.tortuosityRatio().x(),
                    m.tortuosityRatio().y(), m.tortuosityRatio().z()));
        }
        context.out().println("model: " + o.out + (r.lastCheckpoint() == null ? "" : " (checkpoint "
                + r.lastCheckpoint().getFileName() + ")"));
        context.out().flush();
    }

    /** Runs {@code body} with Ctrl-C turned into the stop flag it receives; waits for it on shutdown. */
    static <T> T withStopFlag(StopBody<T> body) throws Exception {
        try (CtrlC ctrlC = new CtrlC(SHUTDOWN_WAIT_SECONDS)) {
            return body.run(ctrlC);
        }
    }

    @FunctionalInterface
    interface StopBody<T> {
        T run(java.util.function.BooleanSupplier stop) throws Exception;
    }

    /**
     * Shows progress (iteration, losses, ETA, latest metrics) through {@link ConsoleProgress} and redraws the
     * learning curves in the model directory after each evaluation and at the end.
     */
    static final class Display implements TrainingListener {
        private final CliContext context;
        private final Path modelDir;
        private final String task;
        private final List<double[]> history = new ArrayList<>();
        private final List<SampleEvaluation.Metrics> evaluations = new ArrayList<>();
        private List<String> lossNames = List.of();
        private long startIteration;
        private String metricsText = "";

        Display(CliContext context, Path modelDir, String task) {
            this.context = context;
            this.modelDir = modelDir;
            this.task = task;
        }

        @Override
        public void onStart(TrainingSession.Start start) {
            lossNames = start.lossNames();
            history.addAll(start.history());
            evaluations.addAll(start.evaluations());
            startIteration = start.iteration();
            if (!evaluations.isEmpty()) {
                metricsText = describe(evaluations.get(evaluations.size() - 1));
            }
        }

        @Override
        public void onIteration(TrainingSession.Progress p) {
            double[] row = new double[1 + lossNames.size()];
            row[0] = p.iteration();
            double[] values = p.result().lossValues();
            System.arraycopy(values, 0, row, 1, values.length);
            history.add(row);
            StringBuilder detail = new StringBuilder(String.format(Locale.ROOT, "iteration %d/%d", p.iteration(),
                    p.targetIterations()));
            for (Map.Entry<String, Double> e : p.result().losses().entrySet()) {
                detail.append(String.format(Locale.ROOT, " %s %.4g", e.getKey(), e.getValue()));
            }
            detail.append(String.format(Locale.ROOT, ", %.2f s/it", p.secondsPerIteration()));
            if (p.wallSeconds() > 0) {
                detail.append(String.format(Locale.ROOT, ", budget %.0f s left", Math.max(0, p.wallSeconds()
                        - p.sessionSeconds())));
            }
            detail.append(metricsText);
            long done = p.iteration() - startIteration;
            long remaining = p.targetIterations() - startIteration;
            if (p.wallSeconds() > 0 && p.secondsPerIteration() > 0) {
                // a wall-time budget ends the run first: count the iterations it leaves room for (bar and ETA)
                double left = Math.max(0, p.wallSeconds() - p.sessionSeconds());
                long byBudget = done + (long) Math.ceil(left / p.secondsPerIteration());
                remaining = Math.min(remaining, Math.max(byBudget, done + 1));
            }
            context.progress().progress(task, done, remaining, detail.toString());
        }

        @Override
        public void onEvaluation(SampleEvaluation.Metrics m) {
            evaluations.add(m);
            metricsText = describe(m);
            drawCurves();
        }

        @Override
        public void onEnd(TrainingSession.Result result) {
            context.closeProgress();
            drawCurves();
        }

        static String describe(SampleEvaluation.Metrics m) {
            String tau = m.tortuosityRatio() == null ? "" : String.format(Locale.ROOT, " tau ratio %s/%s/%s",
                    ratio(m.tortuosityRatio().x()), ratio(m.tortuosityRatio().y()), ratio(m.tortuosityRatio().z()));
            return String.format(Locale.ROOT, " | @%d vf err %.4f S2 RMSE %.4f%s", m.iteration(), m.maxFractionError(),
                    m.maxS2Rmse(), tau);
        }

        private static String ratio(Double r) {
            return r == null ? "inf (no percolation)" : String.format(Locale.ROOT, "%.3f", r);
        }

        void drawCurves() {
            try {
                if (!history.isEmpty()) {
                    Plots.Series losses = new Plots.Series();
                    double[] x = history.stream().mapToDouble(r -> r[0]).toArray();
                    for (int i = 0; i < lossNames.size(); i++) {
                        int col = i + 1;
                        losses.add(lossNames.get(i), x, history.stream().mapToDouble(r -> r[col]).toArray());
                    }
                    Plots.lines(modelDir.resolve(LOSS_PNG), "Training losses", "iteration", "loss", losses, false,
                            true);
                }
                if (!evaluations.isEmpty()) {
                    double[] x = evaluations.stream().mapToDouble(SampleEvaluation.Metrics::iteration).toArray();
                    Plots.Series metrics = new Plots.Series()
                            .add("max |volume fraction error|", x, evaluations.stream()
                                    .mapToDouble(SampleEvaluation.Metrics::maxFractionError).toArray())
                            .add("max S2 RMSE", x, evaluations.stream()
                                    .mapToDouble(SampleEvaluation.Metrics::maxS2Rmse).toArray())
                            .add("max |tortuosity ratio - 1|", x, evaluations.stream()
                                    .mapToDouble(SampleEvaluation.Metrics::maxTortuosityDeviation).toArray());
                    Plots.lines(modelDir.resolve(METRICS_PNG), "Sample quality against the training volume",
                            "iteration", "error (log)", metrics, true, true);
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }
}
