package dev.microforge.training.surrogate;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.microforge.datasets.Volume;
import dev.microforge.datasets.io.AtomicFile;
import dev.microforge.models.surrogate.Nd4jRuntime;
import dev.microforge.models.surrogate.Surrogate;
import dev.microforge.models.surrogate.SurrogateArchitecture;
import dev.microforge.models.surrogate.SurrogateInput;
import dev.microforge.models.surrogate.SurrogateNetwork;
import dev.microforge.models.surrogate.DescriptorBaseline;
import dev.microforge.models.surrogate.TargetScaler;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.BooleanSupplier;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.util.ModelSerializer;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Adam;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Trains the CNN property surrogate: a deep ensemble (Lakshminarayanan et al., NeurIPS 2017) of
 * {@link SurrogateNetwork} members regressing standardised properties from labelled volumes.
 *
 * <p>Data: examples (a volume and its property vector, NaN where undefined) are split once, by the seed, into
 * training and held-out designs. Targets are standardised with the training designs' means and standard deviations
 * ({@link TargetScaler}) after a {@link DescriptorBaseline} fitted on the training designs (a linear model on the
 * phase fractions, their logarithms and the directional boundary-face densities) is subtracted: the members learn
 * its residual and the surrogate predicts baseline plus members. The loss is the mean squared error over the defined targets (undefined ones are masked,
 * so a non-percolating phase teaches nothing about its tortuosity). Each member starts from its own seeded He
 * initialisation and sees the training designs in its own seeded order, each volume mirrored at random along x, y
 * and z ({@code augment}; every property is invariant under mirroring); Adam, with the learning rate following a
 * cosine from {@code learningRate} down to {@code finalLearningRateFraction} of it over the planned epochs
 * (Loshchilov and Hutter 2017).
 *
 * <p>Time: with a finite {@code maxSeconds} the budget is shared by the members still to train; after each epoch
 * a member's planned epochs shrink to what its share allows (so results then depend on speed; with no limit they
 * depend on the seed alone). Checkpoints: with a checkpoint folder every finished member is written there
 * ({@code member-K.zip} and {@code state.json}); a later run with {@code resume} and the same data and options
 * (compared by fingerprint) reuses them and trains only the rest. {@code stop} is polled after every batch; a
 * stopped run returns the finished members only.
 *
 * <p>Evaluation: the held-out designs are predicted by the ensemble mean; per property the coefficient of
 * determination {@code R² = 1 - sum (y - mean)^2 / sum (y - ybar)^2} over the defined values, the RMSE and the
 * mean ensemble standard deviation.
 */
public final class SurrogateTrainer {
    private static final Logger LOG = LoggerFactory.getLogger(SurrogateTrainer.class);
    private static final ObjectMapper JSON = new ObjectMapper()
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
    private static final String STATE = "state.json";
    private static final int EVAL_BATCH = 8;
    /**
     * Candidate ridges of the descriptor baseline (relative to the number of designs, on standardised descriptors),
     * chosen per property by {@value #BASELINE_FOLDS}-fold cross-validation on the training designs.
     */
    static final double[] BASELINE_RIDGES = {1e-4, 1e-3, 1e-2, 1e-1};
    static final int BASELINE_FOLDS = 5;

    private SurrogateTrainer() {
    }

    /**
     * One labelled design.
     *
     * @param id a name for reports (the design's file name)
     * @param volume the design, labels 0 pore, 1 active, 2 CBD
     * @param targets property values in the trainer's name order, NaN where undefined
     */
    public record Example(String id, Volume volume, double[] targets) {
        public Example {
            if (id == null || volume == null || targets == null) {
                throw new IllegalArgumentException("an example needs an id, a volume and targets");
            }
            targets = targets.clone();
        }

        @Override
        public double[] targets() {
            return targets.clone();
        }
    }

    /**
     * Options.
     *
     * @param architecture member architecture; its {@code inputSize} is replaced by the examples' edge
     * @param members ensemble size, at least 1
     * @param epochs planned passes over the training designs per member, at least 1
     * @param batchSize designs per step, at least 1
     * @param learningRate Adam's initial learning rate
     * @param finalLearningRateFraction learning rate at the last epoch over the initial one, in (0, 1]
     * @param heldOutFraction share of the designs held out for evaluation, in [0, 0.9]
     * @param augment mirror the training volumes at random
     * @param baseline fit a {@link DescriptorBaseline} and train the members on its residual (false: the members
     *     predict the properties alone)
     * @param maxSeconds time budget of the training (not the evaluation); {@code Infinity} for none
     * @param seed seed of the split, the initialisation, the order and the mirrors
     */
    public record Options(SurrogateArchitecture architecture, int members, int epochs, int batchSize,
            double learningRate, double finalLearningRateFraction, double heldOutFraction, boolean augment,
            boolean baseline, double maxSeconds, long seed) {
        public Options {
            if (architecture == null) {
                throw new IllegalArgumentException("architecture is required; use SurrogateArchitecture.defaults()");
            }
            require(members >= 1 && members <= 32, "members must be 1..32, got " + members);
            require(epochs >= 1, "epochs must be at least 1, got " + epochs);
            require(batchSize >= 1, "batchSize must be at least 1, got " + batchSize);
            require(learningRate > 0 && Double.isFinite(learningRate), "learningRate must be > 0, got "
                    + learningRate);
            require(finalLearningRateFraction > 0 && finalLearningRateFraction <= 1,
                    "finalLearningRateFraction must be in (0, 1], got " + finalLearningRateFraction);
            require(heldOutFraction >= 0 && heldOutFraction <= 0.9, "heldOutFraction must be in [0, 0.9], got "
                    + heldOutFraction);
            require(maxSeconds > 0, "maxSeconds must be positive (Infinity for no limit), got " + maxSeconds);
        }

        /**
         * Default architecture, 4 members, 60 epochs, batch 8, Adam 2e-3 decaying to 5e-5, 20 % held out,
         * mirroring on, descriptor baseline on, no time limit, seed 1.
         */
        public static Options defaults() {
            return new Options(SurrogateArchitecture.defaults(), 4, 60, 8, 2e-3, 0.025, 0.2, true, true,
                    Double.POSITIVE_INFINITY, 1L);
        }

        public Options withArchitecture(SurrogateArchitecture value) {
            return new Options(value, members, epochs, batchSize, learningRate, finalLearningRateFraction,
                    heldOutFraction, augment, baseline, maxSeconds, seed);
        }

        public Options withBaseline(boolean value) {
            return new Options(architecture, members, epochs, batchSize, learningRate, finalLearningRateFraction,
                    heldOutFraction, augment, value, maxSeconds, seed);
        }

        public Options withMembers(int value) {
            return new Options(architecture, value, epochs, batchSize, learningRate, finalLearningRateFraction,
                    heldOutFraction, augment, baseline, maxSeconds, seed);
        }

        public Options withEpochs(int value) {
            return new Options(architecture, members, value, batchSize, learningRate, finalLearningRateFraction,
                    heldOutFraction, augment, baseline, maxSeconds, seed);
        }

        public Options withBatchSize(int value) {
            return new Options(architecture, members, epochs, value, learningRate, finalLearningRateFraction,
                    heldOutFraction, augment, baseline, maxSeconds, seed);
        }

        public Options withLearningRate(double value) {
            return new Options(architecture, members, epochs, batchSize, value, finalLearningRateFraction,
                    heldOutFraction, augment, baseline, maxSeconds, seed);
        }

        public Options withHeldOutFraction(double value) {
            return new Options(architecture, members, epochs, batchSize, learningRate, finalLearningRateFraction,
                    value, augment, baseline, maxSeconds, seed);
        }

        public Options withAugment(boolean value) {
            return new Options(architecture, members, epochs, batchSize, learningRate, finalLearningRateFraction,
                    heldOutFraction, value, baseline, maxSeconds, seed);
        }

        public Options withMaxSeconds(double value) {
            return new Options(architecture, members, epochs, batchSize, learningRate, finalLearningRateFraction,
                    heldOutFraction, augment, baseline, value, seed);
        }

        public Options withSeed(long value) {
            return new Options(architecture, members, epochs, batchSize, learningRate, finalLearningRateFraction,
                    heldOutFraction, augment, baseline, maxSeconds, value);
        }

        private static void require(boolean ok, String message) {
            if (!ok) {
                throw new IllegalArgumentException(message);
            }
        }
    }

    /**
     * Progress of one epoch.
     *
     * @param member 0-based member index
     * @param members ensemble size
     * @param epoch 1-based epoch of this member
     * @param epochs epochs planned for this member now (may shrink under a time budget)
     * @param trainLoss mean standardised training loss of the epoch (masked MSE)
     * @param heldOutLoss this member's standardised MSE on the held-out designs (NaN when none)
     * @param learningRate learning rate used in the epoch
     * @param seconds time since the training started
     */
    public record Epoch(int member, int members, int epoch, int epochs, double trainLoss, double heldOutLoss,
            double learningRate, double seconds) {
    }

    /** Receives progress after every epoch; never prints. */
    @FunctionalInterface
    public interface Listener {
        Listener NONE = e -> { };

        void onEpoch(Epoch epoch);
    }

    /**
     * Held-out quality of one property.
     *
     * @param name property name
     * @param count held-out designs where it is defined
     * @param r2 coefficient of determination of the ensemble mean (NaN when fewer than 2 values or no spread)
     * @param rmse root mean squared error, in property units
     * @param meanSd mean predicted standard deviation over those designs ({@link Surrogate.Estimate#sd})
     * @param coverage95 share of those designs whose error is within 1.96 predicted standard deviations (0.95 for a
     *     calibrated normal predictive distribution; NaN when none)
     */
    public record TargetScore(String name, int count, double r2, double rmse, double meanSd, double coverage95) {
    }

    /**
     * Outcome.
     *
     * @param surrogate the trained ensemble (finished members only), null when no member finished
     * @param trainIds ids of the training designs
     * @param heldOutIds ids of the held-out designs
     * @param heldOut held-out score per property (empty when nothing was held out or no member finished)
     * @param history every epoch of the members trained in this run
     * @param resumedMembers members taken from checkpoints
     * @param seconds wall time, evaluation included
     * @param interrupted whether {@code stop} ended the run
     */
    public record Result(Surrogate surrogate, List<String> trainIds, List<String> heldOutIds,
            List<TargetScore> heldOut, List<Epoch> history, int resumedMembers, double seconds,
            boolean interrupted) {
    }

    /** Checkpoint state: the fingerprint of data and options, and the finished members' files. */
    record State(String fingerprint, List<String> members) {
    }

    /**
     * Trains the ensemble.
     *
     * @param examples labelled designs, all cubes of one edge (a multiple of {@code 2 * patch})
     * @param names property names, one per target value
     * @param checkpoints folder for member checkpoints, or null for none
     * @param resume reuse matching checkpoints
     * @param stop polled after every batch; null for never
     * @throws IllegalArgumentException for inconsistent examples (sizes, target counts, labels) or too few of them
     * @throws IOException when a checkpoint cannot be written or read
     */
    public static Result train(List<Example> examples, List<String> names, Options options, Path checkpoints,
            boolean resume, Listener listener, BooleanSupplier stop) throws IOException {
        long start = System.nanoTime();
        SurrogateArchitecture architecture = checkExamples(examples, names, options);
        Nd4jRuntime.start();
        List<Integer> order = shuffled(examples.size(), new SplittableRandom(options.seed()));
        int heldOutCount = options.heldOutFraction() == 0 ? 0
                : Math.max(1, (int) Math.round(options.heldOutFraction() * examples.size()));
        if (examples.size() - heldOutCount < 1) {
            throw new IllegalArgumentException("need at least one training design besides the " + heldOutCount
                    + " held out; got " + examples.size() + " designs");
        }
        List<Example> heldOut = new ArrayList<>();
        List<Example> train = new ArrayList<>();
        for (int i = 0; i < order.size(); i++) {
            (i < heldOutCount ? heldOut : train).add(examples.get(order.get(i)));
        }
        // the members learn what the descriptor baseline (fitted on the training designs only) leaves over
        // (each design's descriptors computed once: the geodesic searches are the dear part)
        DescriptorBaseline baseline;
        List<double[]> trainDescriptors = null;
        if (options.baseline()) {
            trainDescriptors = train.stream().map(e -> DescriptorBaseline.features(e.volume(), architecture.phases()))
                    .toList();
            baseline = DescriptorBaseline.fit(architecture.phases(), trainDescriptors,
                    train.stream().map(Example::targets).toList(), BASELINE_RIDGES, BASELINE_FOLDS);
        } else {
            baseline = DescriptorBaseline.zero(architecture.phases(), names.size());
        }
        List<Example> trainResiduals = residuals(train, baseline, trainDescriptors);
        List<Example> heldOutResiduals = residuals(heldOut, baseline, null);
        TargetScaler scaler = TargetScaler.fit(names, trainResiduals.stream().map(Example::targets).toList());
        String fingerprint = fingerprint(examples, names, options, order, architecture.phases());

        List<MultiLayerNetwork> members = new ArrayList<>();
        if (checkpoints != null && resume) {
            members.addAll(restore(checkpoints, fingerprint));
            LOG.info("resuming with {} finished member(s) from {}", members.size(), checkpoints);
        }
        int resumed = members.size();
        List<Epoch> history = new ArrayList<>();
        boolean interrupted = false;
        for (int m = members.size(); m < options.members(); m++) {
            double elapsed = (System.nanoTime() - start) / 1e9;
            double share = (options.maxSeconds() - elapsed) / (options.members() - m);
            MultiLayerNetwork net = trainMember(m, architecture, scaler, trainResiduals, heldOutResiduals, options,
                    share, start, listener, history, stop);
            if (net == null) {
                interrupted = true;
                break;
            }
            members.add(net);
            if (checkpoints != null) {
                checkpoint(checkpoints, fingerprint, members);
            }
        }
        if (members.isEmpty()) {
            return new Result(null, ids(train), ids(heldOut), List.of(), history, resumed,
                    (System.nanoTime() - start) / 1e9, interrupted);
        }
        Surrogate surrogate = Surrogate.of(architecture, scaler, baseline, members, List.of("pore", "active", "cbd")
                .subList(0, architecture.phases()), options.seed(), Map.of());
        List<TargetScore> scores = heldOut.isEmpty() ? List.of() : evaluate(surrogate, heldOut, names);
        double seconds = (System.nanoTime() - start) / 1e9;
        surrogate = surrogate.withTraining(summary(examples.size(), train, heldOut, scores, options, members.size(),
                seconds));
        return new Result(surrogate, ids(train), ids(heldOut), scores, history, resumed, seconds, interrupted);
    }

    /**
     * The examples with their targets minus the baseline's values (NaN stays NaN), from their descriptors when
     * given (in the same order), else computed.
     */
    private static List<Example> residuals(List<Example> examples, DescriptorBaseline baseline,
            List<double[]> descriptors) {
        List<Example> out = new ArrayList<>(examples.size());
        for (int i = 0; i < examples.size(); i++) {
            Example e = examples.get(i);
            double[] t = e.targets();
            double[] b = baseline.predict(descriptors != null ? descriptors.get(i) : baseline.descriptors(e.volume()));
            for (int j = 0; j < t.length; j++) {
                t[j] -= b[j];
            }
            out.add(new Example(e.id(), e.volume(), t));
        }
        return out;
    }

    /** Trains member {@code m}; null when stopped. */
    private static MultiLayerNetwork trainMember(int m, SurrogateArchitecture architecture, TargetScaler scaler,
            List<Example> train, List<Example> heldOut, Options options, double budgetSeconds, long runStart,
            Listener listener, List<Epoch> history, BooleanSupplier stop) {
        long memberSeed = options.seed() * 1_000_003L + m;
        MultiLayerNetwork net = SurrogateNetwork.create(architecture, scaler.names().size(), memberSeed,
                new Adam(options.learningRate()), DataType.FLOAT);
        SplittableRandom random = new SplittableRandom(memberSeed ^ 0x9E3779B97F4A7C15L);
        long memberStart = System.nanoTime();
        int planned = options.epochs();
        for (int epoch = 1; epoch <= planned; epoch++) {
            double progress = planned == 1 ? 0 : (epoch - 1) / (double) (planned - 1);
            double f = options.finalLearningRateFraction();
            double lr = options.learningRate() * (f + (1 - f) * 0.5 * (1 + Math.cos(Math.PI * progress)));
            net.setLearningRate(lr);
            List<Integer> order = shuffled(train.size(), random);
            double lossSum = 0;
            int seen = 0;
            for (int b = 0; b < order.size(); b += options.batchSize()) {
                List<Integer> batch = order.subList(b, Math.min(order.size(), b + options.batchSize()));
                List<Volume> volumes = new ArrayList<>(batch.size());
                int[] flips = new int[batch.size()];
                for (int i = 0; i < batch.size(); i++) {
                    volumes.add(train.get(batch.get(i)).volume());
                    flips[i] = options.augment() ? random.nextInt(8) : 0;
                }
                INDArray x = SurrogateInput.encode(volumes, architecture, flips);
                INDArray[] labels = labels(batch.stream().map(i -> train.get(i)).toList(), scaler);
                net.fit(new DataSet(x, labels[0], null, labels[1]));
                lossSum += net.score() * batch.size();
                seen += batch.size();
                if (stop != null && stop.getAsBoolean()) {
                    return null;
                }
            }
            net.incrementEpochCount();
            double heldOutLoss = heldOut.isEmpty() ? Double.NaN : loss(net, architecture, heldOut, scaler);
            double memberSeconds = (System.nanoTime() - memberStart) / 1e9;
            if (Double.isFinite(budgetSeconds)) {
                int affordable = (int) Math.floor(budgetSeconds / (memberSeconds / epoch));
                planned = Math.max(epoch, Math.min(planned, affordable));
            }
            Epoch e = new Epoch(m, options.members(), epoch, planned, lossSum / seen, heldOutLoss, lr,
                    (System.nanoTime() - runStart) / 1e9);
            history.add(e);
            listener.onEpoch(e);
            LOG.debug("member {} epoch {}/{}: train {} held-out {}", m, epoch, planned, e.trainLoss(),
                    heldOutLoss);
        }
        return net;
    }

    /** Standardised labels and their mask (0 where undefined) for a batch. */
    private static INDArray[] labels(List<Example> batch, TargetScaler scaler) {
        int k = scaler.names().size();
        float[][] y = new float[batch.size()][k];
        float[][] mask = new float[batch.size()][k];
        for (int i = 0; i < batch.size(); i++) {
            double[] t = batch.get(i).targets();
            for (int j = 0; j < k; j++) {
                if (!Double.isNaN(t[j])) {
                    y[i][j] = (float) scaler.standardise(j, t[j]);
                    mask[i][j] = 1f;
                }
            }
        }
        return new INDArray[] {Nd4j.createFromArray(y), Nd4j.createFromArray(mask)};
    }

    /** A member's standardised mean squared error over the defined targets of {@code data}. */
    private static double loss(MultiLayerNetwork net, SurrogateArchitecture architecture, List<Example> data,
            TargetScaler scaler) {
        double sum = 0;
        long count = 0;
        for (int b = 0; b < data.size(); b += EVAL_BATCH) {
            List<Example> batch = data.subList(b, Math.min(data.size(), b + EVAL_BATCH));
            INDArray out = net.output(SurrogateInput.encode(batch.stream().map(Example::volume).toList(),
                    architecture, null), false);
            for (int i = 0; i < batch.size(); i++) {
                double[] t = batch.get(i).targets();
                for (int j = 0; j < t.length; j++) {
                    if (!Double.isNaN(t[j])) {
                        double d = out.getDouble(i, j) - scaler.standardise(j, t[j]);
                        sum += d * d;
                        count++;
                    }
                }
            }
        }
        return count == 0 ? Double.NaN : sum / count;
    }

    /**
     * Held-out scores of an ensemble.
     *
     * @param data held-out examples
     * @param names property names of the examples' targets (must be the surrogate's)
     */
    public static List<TargetScore> evaluate(Surrogate surrogate, List<Example> data, List<String> names) {
        List<Surrogate.Prediction> predictions = new ArrayList<>();
        for (int b = 0; b < data.size(); b += EVAL_BATCH) {
            predictions.addAll(surrogate.predict(data.subList(b, Math.min(data.size(), b + EVAL_BATCH)).stream()
                    .map(Example::volume).toList()));
        }
        List<TargetScore> scores = new ArrayList<>();
        for (int j = 0; j < names.size(); j++) {
            String name = names.get(j);
            double sum = 0;
            int n = 0;
            for (Example e : data) {
                if (!Double.isNaN(e.targets()[j])) {
                    sum += e.targets()[j];
                    n++;
                }
            }
            double mean = n > 0 ? sum / n : Double.NaN;
            double ssRes = 0;
            double ssTot = 0;
            double sdSum = 0;
            int within = 0;
            for (int i = 0; i < data.size(); i++) {
                double y = data.get(i).targets()[j];
                if (Double.isNaN(y)) {
                    continue;
                }
                Surrogate.Estimate p = predictions.get(i).get(name);
                ssRes += (y - p.mean()) * (y - p.mean());
                ssTot += (y - mean) * (y - mean);
                sdSum += p.sd();
                within += Math.abs(y - p.mean()) <= 1.96 * p.sd() ? 1 : 0;
            }
            double r2 = n >= 2 && ssTot > 0 ? 1 - ssRes / ssTot : Double.NaN;
            scores.add(new TargetScore(name, n, r2, n > 0 ? Math.sqrt(ssRes / n) : Double.NaN,
                    n > 0 ? sdSum / n : Double.NaN, n > 0 ? within / (double) n : Double.NaN));
        }
        return scores;
    }

    private static SurrogateArchitecture checkExamples(List<Example> examples, List<String> names, Options options) {
        if (examples == null || examples.size() < 2) {
            throw new IllegalArgumentException("need at least 2 labelled designs to train a surrogate, got "
                    + (examples == null ? 0 : examples.size()));
        }
        if (names == null || names.isEmpty()) {
            throw new IllegalArgumentException("no property names given");
        }
        int n = examples.get(0).volume().nx();
        SurrogateArchitecture architecture = options.architecture().withInputSize(n);
        for (Example e : examples) {
            Volume v = e.volume();
            if (v.nx() != n || v.ny() != n || v.nz() != n) {
                throw new IllegalArgumentException(String.format(Locale.ROOT,
                        "every design must be a cube of one size; %s is %d x %d x %d, the first is %d^3", e.id(),
                        v.nx(), v.ny(), v.nz(), n));
            }
            if (e.targets().length != names.size()) {
                throw new IllegalArgumentException(e.id() + ": " + e.targets().length + " target values for "
                        + names.size() + " properties");
            }
            try {
                SurrogateInput.check(v, architecture);
            } catch (IllegalArgumentException ex) {
                throw new IllegalArgumentException(e.id() + ": " + ex.getMessage(), ex);
            }
        }
        return architecture;
    }

    private static List<Integer> shuffled(int n, SplittableRandom random) {
        List<Integer> order = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            order.add(i);
        }
        for (int i = n - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            Integer t = order.get(i);
            order.set(i, order.get(j));
            order.set(j, t);
        }
        return order;
    }

    private static List<String> ids(List<Example> examples) {
        return examples.stream().map(Example::id).toList();
    }

    private static Map<String, Object> summary(int designs, List<Example> train, List<Example> heldOut,
            List<TargetScore> scores, Options options, int members, double seconds) {
        Map<String, Object> s = new LinkedHashMap<>();
        s.put("designs", designs);
        s.put("trainDesigns", train.size());
        s.put("heldOutDesigns", ids(heldOut));
        s.put("members", members);
        s.put("epochs", options.epochs());
        s.put("batchSize", options.batchSize());
        s.put("learningRate", options.learningRate());
        s.put("finalLearningRateFraction", options.finalLearningRateFraction());
        s.put("heldOutFraction", options.heldOutFraction());
        s.put("augment", options.augment());
        s.put("baseline", options.baseline());
        s.put("seconds", seconds);
        s.put("engine", Nd4jRuntime.describe());
        Map<String, Object> r2 = new LinkedHashMap<>();
        for (TargetScore t : scores) {
            r2.put(t.name(), Double.isNaN(t.r2()) ? null : t.r2());
        }
        s.put("heldOutR2", r2);
        return s;
    }

    /** Data and options that decide the members (the time budget does not take part). */
    private static String fingerprint(List<Example> examples, List<String> names, Options options,
            List<Integer> order, int phases) {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            // members learn the residual of the baseline: members of a baseline with other descriptors (or none)
            // learned other targets, never resume those
            digest.update(("residual-of-baseline-" + DescriptorBaseline.featureNames(phases) + "-"
                    + java.util.Arrays.toString(BASELINE_RIDGES) + "-" + BASELINE_FOLDS)
                    .getBytes(StandardCharsets.UTF_8));
            digest.update(options.withMaxSeconds(1).toString().getBytes(StandardCharsets.UTF_8));
            digest.update(names.toString().getBytes(StandardCharsets.UTF_8));
            digest.update(order.toString().getBytes(StandardCharsets.UTF_8));
            for (Example e : examples) {
                digest.update(e.id().getBytes(StandardCharsets.UTF_8));
                digest.update(java.util.Arrays.toString(e.targets()).getBytes(StandardCharsets.UTF_8));
                digest.update(Integer.toHexString(e.volume().hashCode()).getBytes(StandardCharsets.UTF_8));
            }
            return HexFormat.of().formatHex(digest.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this Java runtime", e);
        }
    }

    private static void checkpoint(Path dir, String fingerprint, List<MultiLayerNetwork> members)
            throws IOException {
        Files.createDirectories(dir);
        List<String> files = new ArrayList<>();
        for (int i = 0; i < members.size(); i++) {
            String name = String.format(Locale.ROOT, "member-%d.zip", i);
            Path file = dir.resolve(name);
            if (i == members.size() - 1 || !Files.isRegularFile(file)) {
                MultiLayerNetwork net = members.get(i);
                AtomicFile.writeVia(file, true, tmp -> ModelSerializer.writeModel(net, tmp.toFile(), false));
            }
            files.add(name);
        }
        State state = new State(fingerprint, files);
        AtomicFile.write(dir.resolve(STATE), true, o -> o.write(JSON.writeValueAsBytes(state)));
    }

    private static List<MultiLayerNetwork> restore(Path dir, String fingerprint) throws IOException {
        Path file = dir.resolve(STATE);
        if (!Files.isRegularFile(file)) {
            return List.of();
        }
        State state;
        try {
            state = JSON.readValue(file.toFile(), State.class);
        } catch (com.fasterxml.jackson.core.JacksonException e) {
            LOG.warn("ignoring unreadable checkpoint state {}: {}", file, e.getOriginalMessage());
            return List.of();
        }
        if (!fingerprint.equals(state.fingerprint()) || state.members() == null) {
            LOG.info("checkpoints in {} are for other data or options; starting afresh", dir);
            return List.of();
        }
        List<MultiLayerNetwork> nets = new ArrayList<>();
        for (String name : state.members()) {
            nets.add(ModelSerializer.restoreMultiLayerNetwork(dir.resolve(name).toFile(), false));
        }
        return nets;
    }
}
