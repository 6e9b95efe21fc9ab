package dev.microforge.models.surrogate;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.microforge.datasets.Volume;
import dev.microforge.datasets.io.AtomicFile;
import dev.microforge.models.ModelDirectory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.FutureTask;
import org.deeplearning4j.nn.conf.WorkspaceMode;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.util.ModelSerializer;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The CNN property surrogate: an ensemble of {@link SurrogateNetwork} members that maps a labelled electrode volume
 * to its property vector, each property with a mean and a standard deviation. The members correct a {@link
 * DescriptorBaseline}; the standard deviation combines the members' disagreement (a deep ensemble, Lakshminarayanan
 * et al., NeurIPS 2017: members differ by their initial weights and the order they saw the data) with the baseline's
 * predictive variance (residual scatter of the training designs and the uncertainty of its coefficients at this
 * design): the members alone agreed to 0.0002-0.001 where the held-out error was 0.07-0.18 (README, "Property
 * surrogate"). Verified designs refit the baseline during a campaign ({@link #observe}).
 *
 * <p>Public use needs no deep-learning type: {@link #load(Path)}, then {@link #predict(Volume)} returns a
 * {@link Prediction}, a map from property name to {@link Estimate} ({@code mean}, {@code sd}) in the units of the
 * property (see {@code dev.microforge.evaluator.properties.ElectrodeProperties}: fractions, surface areas in
 * 1/voxel, natural logs of tortuosity and conductivity). The input must be a cube of the edge the model was trained
 * on ({@link #inputSize()}) with labels 0 pore, 1 active, 2 CBD.
 *
 * <p>Model directory ({@code DESIGN.md} §4): {@code model.json} (schema version, kind {@code surrogate},
 * architecture, property names with the standardisation of each, member files, seed, training summary) and one
 * DL4J model file per member ({@code member-0.zip}, ...; {@code ModelSerializer}, weights without updater state).
 * Every file is written through a temporary file and renamed.
 *
 * <p>Inference is serialised (one prediction at a time per model); the thread count of the arithmetic is ND4J's
 * ({@link Nd4jRuntime#setThreads}). The connectivity descriptors of the baseline ({@link
 * DescriptorBaseline#connectivityTasks}: geodesic tortuosities, critical radii and renormalised conductivities as
 * one task, the solid's minimum cut along each axis as one more each) run on two daemon threads of their own while
 * the members run (their first layers straight from the labels, {@link FirstLayer}, the rest in DL4J); the calling
 * thread then takes the tasks neither has started, so that no one task's length sets the time on two cores.
 */
public final class Surrogate {
    /** The {@code kind} of a surrogate model directory. */
    public static final String KIND = "surrogate";
    /** Volumes encoded and run through a member at once. */
    private static final int BATCH = 4;

    private static final ObjectMapper JSON = new ObjectMapper()
            .enable(SerializationFeature.INDENT_OUTPUT)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    /**
     * A predicted property.
     *
     * @param mean mean of the members' predictions
     * @param sd {@code sqrt(s_m^2 + v_b)}: {@code s_m} the sample standard deviation of the members' predictions (0
     *     with a single member), {@code v_b} the descriptor baseline's predictive variance ({@link
     *     DescriptorBaseline#variance}; 0 without a baseline or in one stored before it)
     */
    public record Estimate(double mean, double sd) {
    }

    /**
     * The prediction for one volume.
     *
     * @param properties property name to estimate, in the model's property order
     */
    public record Prediction(Map<String, Estimate> properties) {
        public Prediction {
            properties = Collections.unmodifiableMap(new LinkedHashMap<>(properties));
        }

        /**
         * The estimate of {@code name}.
         *
         * @throws IllegalArgumentException for a property the model does not predict
         */
        public Estimate get(String name) {
            Estimate e = properties.get(name);
            if (e == null) {
                throw new IllegalArgumentException("the surrogate does not predict '" + name + "'; it predicts "
                        + properties.keySet());
            }
            return e;
        }
    }

    /**
     * One property of {@code model.json}: its name and standardisation.
     *
     * @param name property name
     * @param mean training mean
     * @param sd training standard deviation
     */
    public record Target(String name, double mean, double sd) {
    }

    /**
     * The content of {@code model.json}.
     *
     * @param schemaVersion {@link ModelDirectory#SCHEMA_VERSION}
     * @param kind {@link #KIND}
     * @param architecture member architecture
     * @param phaseLabels phase names by label value
     * @param targets properties in output order
     * @param members member file names, relative to the directory
     * @param seed training seed
     * @param training what the trainer reports (data, split, held-out scores, time); free-form
     * @param baseline the descriptor baseline the members correct ({@link DescriptorBaseline}); absent (null) in
     *     surrogates trained without one, which predict the members' output alone
     */
    public record Manifest(int schemaVersion, String kind, SurrogateArchitecture architecture,
            List<String> phaseLabels, List<Target> targets, List<String> members, long seed,
            Map<String, Object> training, DescriptorBaseline baseline) {
    }

    private final SurrogateArchitecture architecture;
    private final TargetScaler scaler;
    /** Replaced by {@link #observe} (guarded by this object's lock, as every use). */
    private DescriptorBaseline baseline;
    private int observed;
    private final List<MultiLayerNetwork> members;
    /** The members' first layers for prediction, made on the first prediction (see {@link FirstLayer}). */
    private FirstLayer firstLayer;
    private final List<String> phaseLabels;
    private final long seed;
    private final Map<String, Object> training;

    private Surrogate(SurrogateArchitecture architecture, TargetScaler scaler, DescriptorBaseline baseline,
            List<MultiLayerNetwork> members, List<String> phaseLabels, long seed, Map<String, Object> training) {
        if (members.isEmpty()) {
            throw new IllegalArgumentException("a surrogate needs at least one member network");
        }
        if (phaseLabels.size() != architecture.phases()) {
            throw new IllegalArgumentException(architecture.phases() + " phases but labels " + phaseLabels);
        }
        for (MultiLayerNetwork m : members) {
            long outputs = m.layerSize(m.getnLayers() - 1);
            if (outputs != scaler.names().size()) {
                throw new IllegalArgumentException("member has " + outputs + " outputs but there are "
                        + scaler.names().size() + " properties");
            }
        }
        if (baseline != null && (baseline.phases() != architecture.phases()
                || baseline.coefficients().length != scaler.names().size())) {
            throw new IllegalArgumentException("the descriptor baseline does not fit " + architecture.phases()
                    + " phases and " + scaler.names().size() + " properties");
        }
        this.architecture = architecture;
        this.scaler = scaler;
        this.baseline = baseline;
        for (MultiLayerNetwork m : members) {
            // the members' forward passes allocate plainly: with DL4J's inference workspace a 64³ prediction took
            // 17-36 ms for the 4 members from one batch of 20 to the next, 19-24 ms without (README)
            m.getLayerWiseConfigurations().setInferenceWorkspaceMode(WorkspaceMode.NONE);
        }
        this.members = List.copyOf(members);
        this.phaseLabels = List.copyOf(phaseLabels);
        this.seed = seed;
        this.training = training == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(training));
    }

    /**
     * Assembles a surrogate from trained members (for the trainer).
     *
     * @param members networks built by {@link SurrogateNetwork}, one output per property of {@code scaler}
     * @param phaseLabels phase names by label value, e.g. {@code [pore, active, cbd]}
     * @param training summary stored in {@code model.json}
     */
    public static Surrogate of(SurrogateArchitecture architecture, TargetScaler scaler, List<MultiLayerNetwork> members,
            List<String> phaseLabels, long seed, Map<String, Object> training) {
        return new Surrogate(architecture, scaler, null, members, phaseLabels, seed, training);
    }

    /**
     * Assembles a surrogate whose members predict the residual of a descriptor baseline (for the trainer).
     *
     * @param baseline fitted on the training designs; the members' restored output is added to it
     */
    public static Surrogate of(SurrogateArchitecture architecture, TargetScaler scaler, DescriptorBaseline baseline,
            List<MultiLayerNetwork> members, List<String> phaseLabels, long seed, Map<String, Object> training) {
        return new Surrogate(architecture, scaler, baseline, members, phaseLabels, seed, training);
    }

    /** The same members with another training summary. */
    public synchronized Surrogate withTraining(Map<String, Object> summary) {
        return new Surrogate(architecture, scaler, baseline, members, phaseLabels, seed, summary);
    }

    /** The descriptor baseline the members correct, or null when the members predict the properties alone. */
    public synchronized DescriptorBaseline baseline() {
        return baseline;
    }

    public SurrogateArchitecture architecture() {
        return architecture;
    }

    public TargetScaler scaler() {
        return scaler;
    }

    /** Property names in output order. */
    public List<String> propertyNames() {
        return scaler.names();
    }

    /** Edge of the cubic volumes the model takes. */
    public int inputSize() {
        return architecture.inputSize();
    }

    public int memberCount() {
        return members.size();
    }

    public List<String> phaseLabels() {
        return phaseLabels;
    }

    public long seed() {
        return seed;
    }

    /** The training summary of {@code model.json}. */
    public Map<String, Object> training() {
        return training;
    }

    /** The member networks (for training and tests; share, do not modify: predictions read their first layers once). */
    public List<MultiLayerNetwork> networks() {
        return members;
    }

    /**
     * Predicts the properties of one volume.
     *
     * @throws IllegalArgumentException when the volume is not a cube of {@link #inputSize()} or has a label the model
     *     does not know
     */
    public Prediction predict(Volume volume) {
        return predict(List.of(volume)).get(0);
    }

    /**
     * Predicts the properties of several volumes (all checked before any work).
     *
     * @throws IllegalArgumentException as {@link #predict(Volume)}, naming the volume's position
     */
    public synchronized List<Prediction> predict(List<Volume> volumes) {
        for (int i = 0; i < volumes.size(); i++) {
            try {
                SurrogateInput.check(volumes.get(i), architecture);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(volumes.size() == 1 ? e.getMessage()
                        : "volume " + (i + 1) + " of " + volumes.size() + ": " + e.getMessage(), e);
            }
        }
        Passes passes = run(volumes);
        double[][][] each = passes.members();
        List<Prediction> out = new ArrayList<>(volumes.size());
        int m = members.size();
        for (int v = 0; v < volumes.size(); v++) {
            double[] baselineVariance = baseline == null ? new double[scaler.names().size()]
                    : baseline.variance(passes.descriptors()[v]);
            Map<String, Estimate> map = new LinkedHashMap<>();
            for (int j = 0; j < scaler.names().size(); j++) {
                double sum = 0;
                for (int k = 0; k < m; k++) {
                    sum += each[k][v][j];
                }
                double mean = sum / m;
                double ss = 0;
                for (int k = 0; k < m; k++) {
                    ss += (each[k][v][j] - mean) * (each[k][v][j] - mean);
                }
                map.put(scaler.names().get(j), new Estimate(mean,
                        Math.sqrt((m > 1 ? ss / (m - 1) : 0) + baselineVariance[j])));
            }
            out.add(new Prediction(map));
        }
        return out;
    }

    /**
     * Refits the surrogate with a verified design (the evaluation ladder: physics results handed back during a
     * campaign): the descriptor baseline takes the design by its exact rank-one update ({@link
     * DescriptorBaseline#updated}) with, as target, each measured property less the members' mean correction on this
     * volume, so that afterwards baseline plus members predict near the measured value here and at similar designs,
     * with a smaller predictive variance there. The members are not retrained. Held in memory: {@link #save} writes
     * the updated baseline.
     *
     * @param volume the verified design, a cube of {@link #inputSize()}
     * @param measured property name to measured value (in the property's units: {@code ln tau} for {@code
     *     logTortuosity.*}); non-finite values are skipped
     * @return whether the surrogate changed (false without a baseline, for one stored before uncertainty was kept, or
     *     when nothing finite was measured)
     * @throws IllegalArgumentException for a property the model does not predict or a volume it does not take
     */
    public synchronized boolean observe(Volume volume, Map<String, Double> measured) {
        SurrogateInput.check(volume, architecture);
        double[] targets = new double[scaler.names().size()];
        Arrays.fill(targets, Double.NaN);
        boolean any = false;
        for (Map.Entry<String, Double> e : measured.entrySet()) {
            int j = scaler.names().indexOf(e.getKey());
            if (j < 0) {
                throw new IllegalArgumentException("the surrogate does not predict '" + e.getKey() + "'; it predicts "
                        + scaler.names());
            }
            if (e.getValue() != null && Double.isFinite(e.getValue())) {
                targets[j] = e.getValue();
                any = true;
            }
        }
        if (baseline == null || baseline.covariance() == null || !any) {
            return false;
        }
        Passes passes = run(List.of(volume));
        double[] descriptors = passes.descriptors()[0];
        double[] base = baseline.predict(descriptors);
        int m = members.size();
        for (int j = 0; j < targets.length; j++) {
            double correction = 0;
            for (int k = 0; k < m; k++) {
                correction += passes.members()[k][0][j] - base[j];
            }
            targets[j] -= correction / m;
        }
        baseline = baseline.updated(descriptors, targets);
        observed++;
        return true;
    }

    /** Verified designs taken by {@link #observe} since this surrogate was loaded or assembled. */
    public synchronized int observedDesigns() {
        return observed;
    }

    /** Threads of the descriptors computed beside the members' passes (up to four tasks per volume; daemons). */
    private static final ExecutorService DESCRIPTORS = Executors.newFixedThreadPool(2, r -> {
        Thread t = new Thread(r, "surrogate-descriptors");
        t.setDaemon(true);
        return t;
    });

    private static double[] join(Future<double[]> f) {
        try {
            return f.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while computing the surrogate's descriptors", e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            throw new IllegalStateException(e.getCause());
        }
    }

    /**
     * Each member's prediction in property units, the descriptor baseline's value plus the member's restored
     * residual: {@code [member][volume][property]}.
     */
    public synchronized double[][][] memberPredictions(List<Volume> volumes) {
        return run(volumes).members();
    }

    /**
     * What one pass over some volumes gives.
     *
     * @param members {@code [member][volume][property]}, as {@link #memberPredictions}
     * @param descriptors {@code [volume]} the baseline's descriptors, null entries without a baseline
     */
    private record Passes(double[][][] members, double[][] descriptors) {
    }

    private Passes run(List<Volume> volumes) {
        int k = scaler.names().size();
        double[][][] out = new double[members.size()][volumes.size()][k];
        double[][] descriptors = new double[volumes.size()][];
        for (int start = 0; start < volumes.size(); start += BATCH) {
            List<Volume> batch = volumes.subList(start, Math.min(volumes.size(), start + BATCH));
            // the connectivity descriptors (the dearest) run beside the members' passes: the searches and the cut of
            // each axis as tasks of the two descriptor threads, which this thread helps with once the members are done
            List<List<FutureTask<double[]>>> connectivity = new ArrayList<>();
            if (baseline != null) {
                for (Volume v : batch) {
                    List<FutureTask<double[]>> tasks = new ArrayList<>();
                    for (Callable<double[]> c : baseline.connectivityTasks(v)) {
                        FutureTask<double[]> task = new FutureTask<>(c);
                        DESCRIPTORS.execute(task);
                        tasks.add(task);
                    }
                    connectivity.add(tasks);
                }
            }
            double[][] faces = new double[batch.size()][];
            double[][][] z = new double[members.size()][][];
            try {
                // the members' first layers from the labels (FirstLayer), the rest of each member in DL4J
                if (firstLayer == null) {
                    firstLayer = new FirstLayer(members, architecture);
                }
                INDArray[] first = firstLayer.apply(batch, baseline == null ? null : faces);
                for (int m = 0; m < members.size(); m++) {
                    MultiLayerNetwork net = members.get(m);
                    z[m] = net.activateSelectedLayers(1, net.getnLayers() - 1, first[m]).toDoubleMatrix();
                }
            } catch (RuntimeException | Error e) {
                // the prediction fails: the descriptor tasks not started yet need not run
                connectivity.forEach(tasks -> tasks.forEach(task -> task.cancel(false)));
                throw e;
            }
            // the tasks no descriptor thread has started, last first (a task started elsewhere returns at once)
            for (int v = connectivity.size() - 1; v >= 0; v--) {
                List<FutureTask<double[]>> tasks = connectivity.get(v);
                for (int t = tasks.size() - 1; t >= 0; t--) {
                    tasks.get(t).run();
                }
            }
            for (int v = 0; v < batch.size(); v++) {
                if (baseline != null) {
                    List<double[]> parts = new ArrayList<>();
                    for (FutureTask<double[]> task : connectivity.get(v)) {
                        parts.add(join(task));
                    }
                    descriptors[start + v] = baseline.descriptors(batch.get(v), faces[v],
                            DescriptorBaseline.joined(parts));
                }
                double[] base = baseline == null ? new double[k] : baseline.predict(descriptors[start + v]);
                for (int m = 0; m < members.size(); m++) {
                    for (int j = 0; j < k; j++) {
                        out[m][start + v][j] = base[j] + scaler.restore(j, z[m][v][j]);
                    }
                }
            }
        }
        return new Passes(out, descriptors);
    }

    /**
     * Writes the model directory {@code dir} (created when missing; files of the same names are replaced).
     *
     * @throws IOException when a file cannot be written
     */
    public synchronized void save(Path dir) throws IOException {
        Files.createDirectories(dir);
        List<String> files = new ArrayList<>();
        for (int i = 0; i < members.size(); i++) {
            String name = String.format(Locale.ROOT, "member-%d.zip", i);
            MultiLayerNetwork net = members.get(i);
            AtomicFile.writeVia(dir.resolve(name), true, tmp -> ModelSerializer.writeModel(net, tmp.toFile(), false));
            files.add(name);
        }
        List<Target> targets = new ArrayList<>();
        double[] mean = scaler.mean();
        double[] sd = scaler.sd();
        for (int j = 0; j < mean.length; j++) {
            targets.add(new Target(scaler.names().get(j), mean[j], sd[j]));
        }
        Manifest manifest = new Manifest(ModelDirectory.SCHEMA_VERSION, KIND, architecture, phaseLabels, targets,
                files, seed, training, baseline);
        AtomicFile.write(dir.resolve(ModelDirectory.MODEL_JSON), true, out -> out.write(JSON.writeValueAsBytes(manifest)));
    }

    /**
     * Reads {@code model.json} of a surrogate model directory.
     *
     * @throws NoSuchFileException when the directory or its {@code model.json} is missing
     * @throws IllegalArgumentException when it is not a surrogate of a supported schema version
     */
    public static Manifest readManifest(Path dir) throws IOException {
        Path file = dir.resolve(ModelDirectory.MODEL_JSON);
        if (!Files.isRegularFile(file)) {
            throw new NoSuchFileException(file.toString(), null, Files.isDirectory(dir)
                    ? "no model.json: not a model directory" : "no such model directory");
        }
        Manifest m;
        try {
            m = JSON.readValue(file.toFile(), Manifest.class);
        } catch (com.fasterxml.jackson.core.JacksonException e) {
            throw new IllegalArgumentException(file + ": not a valid model.json (" + e.getOriginalMessage() + ")", e);
        }
        if (m.schemaVersion() != ModelDirectory.SCHEMA_VERSION) {
            throw new IllegalArgumentException(file + ": schemaVersion " + m.schemaVersion() + " is not supported "
                    + "(expected " + ModelDirectory.SCHEMA_VERSION + ")");
        }
        if (!KIND.equals(m.kind())) {
            throw new IllegalArgumentException(dir + ": a '" + m.kind() + "' model, not a surrogate (kind '" + KIND
                    + "'); train one with 'microforge train surrogate'");
        }
        if (m.architecture() == null || m.targets() == null || m.targets().isEmpty() || m.members() == null
                || m.members().isEmpty() || m.phaseLabels() == null) {
            throw new IllegalArgumentException(file + ": incomplete surrogate model.json (architecture, phaseLabels, "
                    + "targets and members are required)");
        }
        return m;
    }

    /**
     * Loads a surrogate model directory.
     *
     * @throws NoSuchFileException when the directory, its {@code model.json} or a member file is missing
     * @throws IllegalArgumentException when it is not a readable surrogate
     */
    public static Surrogate load(Path dir) throws IOException {
        Manifest m = readManifest(dir);
        Nd4jRuntime.start();
        List<String> names = new ArrayList<>();
        double[] mean = new double[m.targets().size()];
        double[] sd = new double[m.targets().size()];
        for (int j = 0; j < mean.length; j++) {
            Target t = m.targets().get(j);
            names.add(t.name());
            mean[j] = t.mean();
            sd[j] = t.sd();
        }
        List<MultiLayerNetwork> nets = new ArrayList<>();
        for (String file : m.members()) {
            Path p = dir.resolve(file);
            if (!Files.isRegularFile(p)) {
                throw new NoSuchFileException(p.toString(), null, "member network listed in model.json is missing");
            }
            try {
                nets.add(ModelSerializer.restoreMultiLayerNetwork(p.toFile(), false));
            } catch (IOException | RuntimeException e) {
                throw new IllegalArgumentException(p + ": not a readable DL4J network (" + e.getMessage() + ")", e);
            }
        }
        return new Surrogate(m.architecture(), new TargetScaler(names, mean, sd), m.baseline(), nets, m.phaseLabels(),
                m.seed(), m.training());
    }
}
