package dev.microforge.optimizer.campaign;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.microforge.datasets.PhaseMap;
import dev.microforge.datasets.Volume;
import dev.microforge.datasets.io.AtomicFile;
import dev.microforge.datasets.io.VolumeIO;
import dev.microforge.evaluator.transport.EffectiveConductivity;
import dev.microforge.optimizer.acquisition.Acquisition;
import dev.microforge.optimizer.acquisition.StandardNormal;
import dev.microforge.optimizer.bo.BayesianOptimization;
import dev.microforge.optimizer.bo.MultiObjective;
import dev.microforge.optimizer.gp.MaternArdKernel;
import dev.microforge.optimizer.ladder.BruggemanSurrogate;
import dev.microforge.optimizer.ladder.CnnSurrogate;
import dev.microforge.optimizer.ladder.Surrogate;
import dev.microforge.optimizer.objective.PropertyEvaluator;
import dev.microforge.optimizer.objective.PropertySpec;
import dev.microforge.optimizer.space.DesignSpace;
import dev.microforge.optimizer.space.DecoderLatentModel;
import dev.microforge.optimizer.space.LatentSpace;
import dev.microforge.optimizer.space.PackingSpace;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A Bayesian-optimisation campaign on disk: propose designs ({@link BayesianOptimization}), build them
 * ({@link DesignSpace}), optionally screen candidates with a {@link Surrogate}, verify with the physics
 * ({@link PropertyEvaluator}), and journal every finished evaluation so that the campaign survives being killed.
 *
 * <p><b>Folder</b> (DESIGN.md section 4): {@code campaign.json} (the configuration, written once), {@code journal.jsonl}
 * (one fsync'd line per finished evaluation, append-only; {@link Journal}), {@code designs/eval-NNNN.tif} (each
 * evaluated volume, written atomically before its journal line), {@code pending.json} (the batch being evaluated,
 * written atomically before its first evaluation; removed when the campaign completes).
 *
 * <p><b>Resume.</b> With {@link Options#resume()}, the journal is read (a torn last line from a kill is cut off), and
 * the campaign continues with the first evaluation the journal lacks: inside the initial design (a pure function of
 * the seed), inside the pending batch (its points are read back, not proposed again), or with a new proposal made
 * from the journal alone. So no finished evaluation is lost or repeated, whenever the process was killed.
 *
 * <p><b>One step.</b> Objectives are turned into one value to maximise (negated when minimised; several objectives
 * scalarised by ParEGO with weights drawn per batch, {@link MultiObjective}); every constraint bound becomes an output
 * {@code value - min >= 0} or {@code max - value >= 0}; failed evaluations and non-finite values are imputed as the
 * worst seen. The first {@link CampaignConfig#initialDesignFor} evaluations follow a Latin hypercube; then each
 * batch is proposed by the GP. With screening, {@code candidates x batch} points are proposed (Kriging believer),
 * built, and scored by the surrogate's prediction (log expected improvement over the best feasible value plus the
 * log probability of meeting each constraint); the best {@code batch} of them go to the physics. Every physics
 * result is handed to the surrogate ({@link Surrogate#update}) so it is refitted as verified data accumulate, and
 * the surrogate's prediction is journaled beside the physics value (surrogate-versus-physics agreement).
 */
public final class Campaign {
    /** Configuration file in the campaign folder. */
    public static final String CONFIG_FILE = "campaign.json";
    /** The batch being evaluated. */
    public static final String PENDING_FILE = "pending.json";
    /** Folder of the evaluated volumes. */
    public static final String DESIGNS = "designs";
    private static final Logger LOG = LoggerFactory.getLogger(Campaign.class);

    private Campaign() {
    }

    /**
     * Run settings (not part of the campaign file).
     *
     * @param resume continue the campaign in the folder instead of starting one
     * @param stopAfter stop after this many evaluations in this run (0: run to the budget); a later resume goes on
     * @param surrogate the screening surrogate to use instead of the one the file names (e.g. a CNN), or null
     * @param designSpace a design space to use instead of the one the file describes (tests, embedding), or null
     * @param threads threads of the transport solves
     */
    public record Options(boolean resume, int stopAfter, Surrogate surrogate, DesignSpace designSpace, int threads) {
        public Options {
            if (stopAfter < 0) {
                throw new IllegalArgumentException("stopAfter must be >= 0 (0: no limit), got " + stopAfter);
            }
            if (threads < 1) {
                throw new IllegalArgumentException("threads must be >= 1, got " + threads);
            }
        }

        /** A fresh campaign run to its budget, all cores. */
        public static Options defaults() {
            return new Options(false, 0, null, null, Runtime.getRuntime().availableProcessors());
        }

        public Options withResume(boolean value) {
            return new Options(value, stopAfter, surrogate, designSpace, threads);
        }

        public Options withStopAfter(int value) {
            return new Options(resume, value, surrogate, designSpace, threads);
        }

        public Options withSurrogate(Surrogate value) {
            return new Options(resume, stopAfter, value, designSpace, threads);
        }

        public Options withDesignSpace(DesignSpace value) {
            return new Options(resume, stopAfter, surrogate, value, threads);
        }

        public Options withThreads(int value) {
            return new Options(resume, stopAfter, surrogate, designSpace, value);
        }
    }

    /**
     * Where a campaign stands.
     *
     * @param done finished evaluations
     * @param budget evaluations in all
     * @param feasible feasible evaluations so far
     * @param best the best feasible evaluation (single objective), or null
     */
    public record Progress(int done, int budget, int feasible, JournalEntry best) {
    }

    /** Told what the campaign does; called on the campaign's thread. */
    public interface Listener {
        /** The campaign starts (or resumes with {@code done} evaluations already journaled). */
        default void started(CampaignConfig config, String designSpace, int done) {
        }

        /** A batch of {@code size} evaluations starts at {@code firstEvaluation} ({@code screened} candidates). */
        default void batch(int batch, int firstEvaluation, int size, int screened) {
        }

        /** One evaluation is journaled. */
        default void evaluated(JournalEntry entry, Progress progress) {
        }
    }

    /**
     * A campaign's state.
     *
     * @param directory the campaign folder
     * @param config its configuration
     * @param entries journaled evaluations
     * @param complete whether the budget is spent
     */
    public record State(Path directory, CampaignConfig config, List<JournalEntry> entries, boolean complete) {
        /** The best feasible evaluation of the first objective (for one objective: the optimum found), or null. */
        public JournalEntry best() {
            return Campaign.best(config, entries);
        }

        /** The Pareto-optimal feasible evaluations (all objectives), in journal order. */
        public List<JournalEntry> paretoFront() {
            return Campaign.paretoFront(config, entries);
        }
    }

    /** Runs a fresh campaign to its budget. */
    public static State run(CampaignConfig config, Path dir, Listener listener) throws IOException {
        return run(config, dir, Options.defaults(), listener);
    }

    /**
     * Runs or resumes a campaign.
     *
     * @param config the campaign; with {@code resume} it may be null (the folder's own is used) and must otherwise
     *     equal it
     * @param dir the campaign folder: created (with its parents) for a fresh campaign, which refuses a folder that
     *     is not empty
     * @throws FileAlreadyExistsException for a fresh campaign in a non-empty folder
     * @throws NoSuchFileException when resuming a folder without {@code campaign.json}
     * @throws IllegalArgumentException for a bad configuration or one that differs from the folder's
     */
    public static State run(CampaignConfig config, Path dir, Options options, Listener listener)
            throws IOException {
        Listener l = listener == null ? new Listener() { } : listener;
        Path configFile = dir.resolve(CONFIG_FILE);
        if (options.resume()) {
            if (!Files.isRegularFile(configFile)) {
                throw new NoSuchFileException(configFile.toString(), null,
                        "not a campaign folder (no " + CONFIG_FILE + "); start one without --resume");
            }
            CampaignConfig stored = CampaignConfig.read(configFile);
            if (config != null && !config.sameAs(stored)) {
                throw new IllegalArgumentException("the configuration differs from " + configFile
                        + "; resume with the same file, or without --config");
            }
            config = stored;
        } else {
            if (config == null) {
                throw new IllegalArgumentException("a campaign configuration is required");
            }
            if (Files.isDirectory(dir)) {
                try (Stream<Path> s = Files.list(dir)) {
                    if (s.findAny().isPresent()) {
                        throw new FileAlreadyExistsException(dir.toString(), null, "is not empty; use --resume to "
                                + "continue the campaign there, or another --out");
                    }
                }
            } else if (Files.exists(dir)) {
                throw new FileAlreadyExistsException(dir.toString(), null, "is a file, not a folder");
            }
        }
        try (Run run = new Run(config, dir, options, l)) {
            if (!options.resume()) {
                Files.createDirectories(dir.resolve(DESIGNS));
                byte[] json = config.toJson().getBytes(StandardCharsets.UTF_8);
                AtomicFile.write(configFile, false, out -> out.write(json));
            }
            return run.go();
        }
    }

    /**
     * Reads a campaign folder.
     *
     * @throws NoSuchFileException when {@code campaign.json} is missing
     */
    public static State load(Path dir) throws IOException {
        Path configFile = dir.resolve(CONFIG_FILE);
        if (!Files.isRegularFile(configFile)) {
            throw new NoSuchFileException(configFile.toString(), null, "not a campaign folder (no " + CONFIG_FILE
                    + ")");
        }
        CampaignConfig config = CampaignConfig.read(configFile);
        List<JournalEntry> entries = Journal.read(dir.resolve(Journal.FILE)).entries();
        return new State(dir, config, entries, entries.size() >= config.budget());
    }

    /** The best feasible evaluation of the first objective, or null. */
    public static JournalEntry best(CampaignConfig config, List<JournalEntry> entries) {
        boolean minimize = config.objectives().get(0).minimize();
        return entries.stream().filter(JournalEntry::feasible)
                .min(Comparator.comparingDouble(e -> minimize ? e.values()[0] : -e.values()[0])).orElse(null);
    }

    /** The Pareto-optimal feasible evaluations over all objectives, in journal order. */
    public static List<JournalEntry> paretoFront(CampaignConfig config, List<JournalEntry> entries) {
        double[][] y = new double[entries.size()][];
        boolean[] eligible = new boolean[entries.size()];
        for (int i = 0; i < y.length; i++) {
            y[i] = maximised(config, entries.get(i));
            eligible[i] = entries.get(i).feasible();
        }
        boolean[] front = MultiObjective.paretoFront(y, eligible);
        List<JournalEntry> out = new ArrayList<>();
        for (int i = 0; i < front.length; i++) {
            if (front[i]) {
                out.add(entries.get(i));
            }
        }
        return out;
    }

    /** The objective values of an entry in maximisation form (NaN when failed or non-finite). */
    static double[] maximised(CampaignConfig config, JournalEntry e) {
        int k = config.objectives().size();
        double[] y = new double[k];
        for (int i = 0; i < k; i++) {
            double v = e.ok() ? e.values()[i] : Double.NaN;
            y[i] = !Double.isFinite(v) ? Double.NaN : config.objectives().get(i).minimize() ? -v : v;
        }
        return y;
    }

    /** The constraint outputs of an entry ({@code >= 0} feasible; NaN when failed): one per bound. */
    static double[] constraintOutputs(CampaignConfig config, double[] values, boolean ok) {
        int k = config.objectives().size();
        List<Double> out = new ArrayList<>();
        for (int j = 0; j < config.constraints().size(); j++) {
            CampaignConfig.Constraint c = config.constraints().get(j);
            double v = ok ? values[k + j] : Double.NaN;
            if (!Double.isNaN(c.min())) {
                out.add(Double.isFinite(v) ? v - c.min() : v == Double.POSITIVE_INFINITY ? 1e300 : Double.NaN);
            }
            if (!Double.isNaN(c.max())) {
                out.add(Double.isFinite(v) ? c.max() - v : v == Double.NEGATIVE_INFINITY ? 1e300 : Double.NaN);
            }
        }
        double[] a = new double[out.size()];
        for (int i = 0; i < a.length; i++) {
            a[i] = out.get(i);
        }
        return a;
    }

    /** Whether values meet every objective (finite) and constraint. */
    static boolean feasible(CampaignConfig config, double[] values, boolean ok) {
        if (!ok) {
            return false;
        }
        int k = config.objectives().size();
        for (int i = 0; i < k; i++) {
            if (!Double.isFinite(values[i])) {
                return false;
            }
        }
        for (int j = 0; j < config.constraints().size(); j++) {
            if (!config.constraints().get(j).holds(values[k + j])) {
                return false;
            }
        }
        return true;
    }

    /** The batch being evaluated, as written to {@code pending.json}. */
    record Pending(int batch, int firstEvaluation, List<double[]> points, double[] predictedMean,
                   double[] predictedSd, double[] acquisition, int screened, List<double[]> surrogateMean,
                   List<double[]> surrogateSd, double[] warmObjective, List<double[]> warmConstraints) {
        int size() {
            return points.size();
        }
    }

    /** Builds the design space a configuration describes. */
    public static DesignSpace designSpace(CampaignConfig config) {
        CampaignConfig.DesignSpaceConfig d = config.designSpace();
        if (d.type().equals("latent")) {
            Path model = Path.of(d.model());
            if (!Files.isDirectory(model)) {
                throw new IllegalArgumentException("designSpace.model: " + model + " is not a model directory");
            }
            DecoderLatentModel decoder;
            try {
                decoder = DecoderLatentModel.load(model, d.size());
            } catch (IOException e) {
                throw new IllegalArgumentException("designSpace.model: " + e.getMessage(), e);
            }
            try {
                return new LatentSpace(decoder,
                        new LatentSpace.Options(d.dimensions(), d.bound(), d.typicality(), d.seed()));
            } catch (RuntimeException e) {
                decoder.close();
                throw e;
            }
        }
        return new PackingSpace(d.generator(), d.parameters(), d.fixed());
    }

    /**
     * The surrogate a screening configuration names: {@code bruggeman}, or the directory of a trained CNN surrogate
     * ({@code microforge train surrogate}).
     *
     * @throws IllegalArgumentException when it is neither
     * @throws java.io.UncheckedIOException when the model directory cannot be read
     */
    static Surrogate surrogate(CampaignConfig.Screening screening) {
        String name = screening.surrogate().trim();
        if (name.equalsIgnoreCase("bruggeman")) {
            return new BruggemanSurrogate();
        }
        Path dir = Path.of(name);
        if (!Files.isDirectory(dir)) {
            throw new IllegalArgumentException("screening.surrogate '" + name + "' is neither \"bruggeman\" nor a "
                    + "surrogate model directory (microforge train surrogate --out DIR)");
        }
        try {
            return CnnSurrogate.load(dir);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** One run over a campaign folder. */
    private static final class Run implements AutoCloseable {
        private final CampaignConfig config;
        private final Path dir;
        private final Options options;
        private final Listener listener;
        private final DesignSpace space;
        private final boolean ownsSpace;
        private final PhaseMap phases;
        private final List<PropertySpec> specs;
        private final Surrogate surrogate;
        private final PropertyEvaluator.Options physics;
        private final List<JournalEntry> entries = new ArrayList<>();
        private final Map<Integer, Volume> built = new HashMap<>();
        private BayesianOptimization.Warm warm;

        Run(CampaignConfig config, Path dir, Options options, Listener listener) {
            this.config = config;
            this.dir = dir;
            this.options = options;
            this.listener = listener;
            this.ownsSpace = options.designSpace() == null;
            this.space = ownsSpace ? designSpace(config) : options.designSpace();
            try {
                this.phases = space.phases();
                this.specs = config.specs();
                for (PropertySpec s : specs) {
                    if (s.phase() != null) {
                        PropertyEvaluator.labels(s.phase(), phases);
                    }
                    for (String p : s.conductivity().keySet()) {
                        PropertyEvaluator.labels(p, phases);
                    }
                }
                this.surrogate = config.screening() == null ? null
                        : options.surrogate() != null ? options.surrogate() : surrogate(config.screening());
                this.physics = new PropertyEvaluator.Options(EffectiveConductivity.Options.defaults()
                        .withTolerance(config.transportTolerance()).withThreads(options.threads()));
            } catch (RuntimeException e) {
                close();
                throw e;
            }
        }

        @Override
        public void close() {
            if (ownsSpace && space != null) {
                space.close();
            }
        }

        State go() throws IOException {
            Path journalFile = dir.resolve(Journal.FILE);
            Journal.Contents contents = Journal.read(journalFile);
            if (contents.tornTail()) {
                LOG.info("{}: dropping an incomplete last line (the previous run was killed while writing it)",
                        journalFile);
            }
            entries.addAll(contents.entries());
            if (entries.size() > config.budget()) {
                throw new IOException(journalFile + " holds " + entries.size() + " evaluations, more than the "
                        + "budget of " + config.budget());
            }
            removeStaleParts(dir);
            removeStaleParts(dir.resolve(DESIGNS));
            if (surrogate != null) {
                replaySurrogate();
            }
            listener.started(config, space.describe(), entries.size());
            int d = space.dimensions();
            int initial = Math.min(config.initialDesignFor(d), config.budget());
            double[][] design = BayesianOptimization.latinHypercube(initial, d, config.seed());
            int thisRun = 0;
            try (Journal journal = Journal.openForAppend(journalFile, contents.validBytes())) {
                while (entries.size() < config.budget()
                        && (options.stopAfter() == 0 || thisRun < options.stopAfter())) {
                    int n = entries.size();
                    Pending batch;
                    if (n < initial) {
                        List<double[]> points = new ArrayList<>();
                        for (int i = n; i < initial; i++) {
                            points.add(design[i]);
                        }
                        double[] nan = new double[points.size()];
                        Arrays.fill(nan, Double.NaN);
                        batch = new Pending(0, n, points, nan, nan, nan, 0, null, null, null, null);
                    } else {
                        batch = readPending();
                        restoreWarm(batch);
                        if (batch == null || batch.firstEvaluation() > n
                                || n >= batch.firstEvaluation() + batch.size()) {
                            batch = propose(n);
                            writePending(batch);
                        }
                    }
                    listener.batch(batch.batch(), n, batch.firstEvaluation() + batch.size() - n, batch.screened());
                    for (int i = n - batch.firstEvaluation(); i < batch.size() && entries.size() < config.budget()
                            && (options.stopAfter() == 0 || thisRun < options.stopAfter()); i++) {
                        JournalEntry e = evaluate(batch, i);
                        journal.append(e);
                        entries.add(e);
                        thisRun++;
                        listener.evaluated(e, progress());
                    }
                    built.clear();
                }
            }
            boolean complete = entries.size() >= config.budget();
            if (complete) {
                Files.deleteIfExists(dir.resolve(PENDING_FILE));
            }
            return new State(dir, config, List.copyOf(entries), complete);
        }

        private Progress progress() {
            int feasible = (int) entries.stream().filter(JournalEntry::feasible).count();
            return new Progress(entries.size(), config.budget(), feasible, best(config, entries));
        }

        /** Deletes the hidden temporary files ({@code .NAME.*.part}) of writes a killed run left unfinished. */
        private static void removeStaleParts(Path folder) throws IOException {
            if (!Files.isDirectory(folder)) {
                return;
            }
            try (Stream<Path> files = Files.list(folder)) {
                for (Path f : (Iterable<Path>) files::iterator) {
                    String name = f.getFileName().toString();
                    if (name.startsWith(".") && name.endsWith(".part") && Files.isRegularFile(f)) {
                        Files.deleteIfExists(f);
                    }
                }
            }
        }

        /** Hands the journaled physics results back to a fresh surrogate (reads each design volume). */
        private void replaySurrogate() throws IOException {
            for (JournalEntry e : entries) {
                if (e.ok() && e.design() != null) {
                    Path file = dir.resolve(e.design());
                    if (Files.isRegularFile(file)) {
                        surrogate.update(VolumeIO.read(file), phases, specs, e.values());
                    }
                }
            }
        }

        private Pending readPending() throws IOException {
            Path file = dir.resolve(PENDING_FILE);
            if (!Files.isRegularFile(file)) {
                return null;
            }
            try {
                return Journal.JSON.readValue(file.toFile(), Pending.class);
            } catch (JsonProcessingException e) {
                LOG.warn("{} is unreadable ({}); proposing the batch again", file, e.getOriginalMessage());
                return null;
            }
        }

        private void writePending(Pending p) throws IOException {
            byte[] json = Journal.JSON.writeValueAsBytes(p);
            AtomicFile.write(dir.resolve(PENDING_FILE), true, out -> out.write(json));
        }

        /** The scalar objective (maximised) of every entry for the batch's ParEGO weights. */
        private double[] scalarObjective(int batch) {
            int k = config.objectives().size();
            double[][] y = new double[entries.size()][];
            for (int i = 0; i < y.length; i++) {
                y[i] = maximised(config, entries.get(i));
            }
            if (k == 1) {
                double[] s = new double[y.length];
                for (int i = 0; i < s.length; i++) {
                    s[i] = y[i][0];
                }
                return s;
            }
            return MultiObjective.parEgo(y, weights(batch));
        }

        private double[] weights(int batch) {
            return MultiObjective.randomWeights(config.objectives().size(), config.seed() * 31 + batch);
        }

        private Pending propose(int n) {
            int batch = entries.isEmpty() ? 1 : entries.get(entries.size() - 1).batch() + 1;
            int q = Math.min(config.batchSize(), config.budget() - n);
            int candidates = surrogate == null ? q : q * config.screening().candidates();
            double[][] x = new double[n][];
            double[][] c = new double[n][];
            for (int i = 0; i < n; i++) {
                JournalEntry e = entries.get(i);
                x[i] = e.unit();
                c[i] = constraintOutputs(config, e.values(), e.ok());
            }
            double[] y = scalarObjective(batch);
            long seed = config.seed() * 1_000_003L + n;
            BayesianOptimization.Options bo = BayesianOptimization.Options.defaults()
                    .withAcquisition(Acquisition.named(config.acquisition(), config.ucbBeta()))
                    .withBatchSize(candidates);
            BayesianOptimization.Proposal p = BayesianOptimization.propose(new BayesianOptimization.Data(x, y, c),
                    bo, warm, seed);
            warm = p.warm();
            List<double[]> points = new ArrayList<>();
            for (double[] u : p.points()) {
                points.add(space.toUnit(space.admissible(space.fromUnit(u))));
            }
            Pending all = new Pending(batch, n, points, p.predictedMean(), p.predictedSd(), p.acquisitionValues(), 0,
                    null, null, warm == null ? null : warm.objective().hyperparameters(),
                    warm == null ? List.of() : warm.constraints().stream().map(MaternArdKernel::hyperparameters)
                            .toList());
            return surrogate == null ? all : screen(all, q, p);
        }

        /** Warm-starts the next GP fits from the hyperparameters saved with the last batch (as the killed run had). */
        private void restoreWarm(Pending p) {
            if (warm != null || p == null || p.warmObjective() == null) {
                return;
            }
            int d = space.dimensions();
            if (p.warmObjective().length != d + 1) {
                return;
            }
            List<MaternArdKernel> constraints = new ArrayList<>();
            for (double[] t : p.warmConstraints()) {
                constraints.add(MaternArdKernel.unit(d).of(t));
            }
            warm = new BayesianOptimization.Warm(MaternArdKernel.unit(d).of(p.warmObjective()), constraints);
        }

        /** Scores the candidates with the surrogate and keeps the best {@code q}. */
        private Pending screen(Pending all, int q, BayesianOptimization.Proposal p) {
            int batch = all.batch();
            int n = all.firstEvaluation();
            List<double[]> points = all.points();
            double[] y = scalarObjective(batch);
            double incumbent = Double.NEGATIVE_INFINITY;
            for (int i = 0; i < entries.size(); i++) {
                if (entries.get(i).feasible() && Double.isFinite(y[i])) {
                    incumbent = Math.max(incumbent, y[i]);
                }
            }
            int k = config.objectives().size();
            int m = points.size();
            double[] score = new double[m];
            Volume[] volumes = new Volume[m];
            double[][] means = new double[m][];
            double[][] sds = new double[m][];
            for (int i = 0; i < m; i++) {
                try {
                    volumes[i] = space.build(space.fromUnit(points.get(i)));
                } catch (IllegalArgumentException | IllegalStateException | ArithmeticException e) {
                    score[i] = Double.NEGATIVE_INFINITY;
                    means[i] = nanArray(specs.size());
                    sds[i] = nanArray(specs.size());
                    continue;
                }
                Surrogate.Prediction pr = surrogate.predict(volumes[i], phases, specs);
                means[i] = pr.mean();
                sds[i] = pr.sd();
                score[i] = screeningScore(pr, p.predictedMean()[i], p.predictedSd()[i], incumbent, k, batch);
            }
            Integer[] order = new Integer[m];
            for (int i = 0; i < m; i++) {
                order[i] = i;
            }
            Arrays.sort(order, Comparator.comparingDouble(i -> -score[i]));
            List<double[]> chosen = new ArrayList<>();
            double[] mean = new double[q];
            double[] sd = new double[q];
            double[] acq = new double[q];
            List<double[]> sm = new ArrayList<>();
            List<double[]> ss = new ArrayList<>();
            for (int j = 0; j < q; j++) {
                int i = order[j];
                chosen.add(points.get(i));
                mean[j] = p.predictedMean()[i];
                sd[j] = p.predictedSd()[i];
                acq[j] = p.acquisitionValues()[i];
                sm.add(means[i]);
                ss.add(sds[i]);
                if (volumes[i] != null) {
                    built.put(n + j, volumes[i]);
                }
            }
            return new Pending(batch, n, chosen, mean, sd, acq, m, sm, ss, all.warmObjective(), all.warmConstraints());
        }

        /**
         * Surrogate-based score of a candidate: log EI of the (scalarised) objective over the incumbent, plus the
         * log probability of each predicted constraint. Where the surrogate does not predict the objective, the
         * GP's prediction stands in.
         */
        private double screeningScore(Surrogate.Prediction pr, double gpMean, double gpSd, double incumbent, int k,
                int batch) {
            double score = 0;
            if (incumbent > Double.NEGATIVE_INFINITY) {
                double mean = gpMean;
                double sd = gpSd;
                if (k == 1 && Double.isFinite(pr.mean()[0])) {
                    mean = config.objectives().get(0).minimize() ? -pr.mean()[0] : pr.mean()[0];
                    sd = pr.sd()[0];
                } else if (k > 1) {
                    double[] row = new double[k];
                    boolean all = true;
                    for (int i = 0; i < k; i++) {
                        double v = pr.mean()[i];
                        all &= Double.isFinite(v);
                        row[i] = config.objectives().get(i).minimize() ? -v : v;
                    }
                    if (all) {
                        double[][] rows = new double[entries.size() + 1][];
                        for (int i = 0; i < entries.size(); i++) {
                            rows[i] = maximised(config, entries.get(i));
                        }
                        rows[entries.size()] = row;
                        double[] s = MultiObjective.parEgo(rows, weights(batch));
                        mean = s[entries.size()];
                        sd = 0;
                    }
                }
                double floor = 1e-9 * Math.max(1, Math.abs(mean));
                score += Acquisition.logExpectedImprovement(mean, Math.max(sd, floor), incumbent);
            }
            for (int j = 0; j < config.constraints().size(); j++) {
                CampaignConfig.Constraint c = config.constraints().get(j);
                double v = pr.mean()[k + j];
                if (!Double.isFinite(v)) {
                    continue;
                }
                double sd = Math.max(pr.sd()[k + j], 1e-9 * Math.max(1, Math.abs(v)));
                if (!Double.isNaN(c.min())) {
                    score += StandardNormal.logCdf((v - c.min()) / sd);
                }
                if (!Double.isNaN(c.max())) {
                    score += StandardNormal.logCdf((c.max() - v) / sd);
                }
            }
            return score;
        }

        private JournalEntry evaluate(Pending batch, int i) throws IOException {
            int index = batch.firstEvaluation() + i;
            double[] unit = batch.points().get(i);
            double[] x = space.admissible(space.fromUnit(unit));
            unit = space.toUnit(x);
            Map<String, Double> parameters = new LinkedHashMap<>();
            for (int j = 0; j < x.length; j++) {
                parameters.put(space.parameters().get(j).name(), x[j]);
            }
            double[] values = nanArray(specs.size());
            double[] sm = batch.surrogateMean() == null ? null : batch.surrogateMean().get(i);
            double[] ss = batch.surrogateSd() == null ? null : batch.surrogateSd().get(i);
            String status = "ok";
            String message = null;
            String design = null;
            long t0 = System.nanoTime();
            double generate = 0;
            double physicsSeconds = 0;
            Volume volume = built.remove(index);
            try {
                if (volume == null) {
                    volume = space.build(x);
                }
                generate = (System.nanoTime() - t0) / 1e9;
                design = DESIGNS + "/" + String.format(Locale.ROOT, "eval-%04d.tif", index);
                Files.createDirectories(dir.resolve(DESIGNS));
                VolumeIO.write(volume, dir.resolve(design), VolumeIO.WriteOptions.defaults().withOverwrite(true));
                if (surrogate != null && sm == null) {
                    Surrogate.Prediction pr = surrogate.predict(volume, phases, specs);
                    sm = pr.mean();
                    ss = pr.sd();
                }
                long t1 = System.nanoTime();
                values = PropertyEvaluator.evaluate(volume, phases, specs, physics).values();
                physicsSeconds = (System.nanoTime() - t1) / 1e9;
            } catch (IllegalArgumentException | IllegalStateException | ArithmeticException e) {
                status = "failed";
                message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage().lines()
                        .findFirst().orElse("");
                values = nanArray(specs.size());
                LOG.debug("evaluation {} failed: {}", index, message);
            }
            boolean ok = status.equals("ok");
            JournalEntry entry = new JournalEntry(index, batch.batch(), batch.batch() == 0 ? "initial" : "bo",
                    parameters, unit, design, status, message, values, sm, ss, feasible(config, values, ok),
                    batch.predictedMean()[i], batch.predictedSd()[i], batch.acquisition()[i], batch.screened(),
                    generate, physicsSeconds, Instant.now().toString());
            if (ok && surrogate != null) {
                surrogate.update(volume, phases, specs, values);
            }
            return entry;
        }

        private static double[] nanArray(int n) {
            double[] a = new double[n];
            Arrays.fill(a, Double.NaN);
            return a;
        }
    }
}
