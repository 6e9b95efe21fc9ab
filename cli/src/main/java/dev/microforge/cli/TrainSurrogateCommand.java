package dev.microforge.cli;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import dev.microforge.evaluator.properties.ElectrodeProperties;
import dev.microforge.models.ModelDirectory;
import dev.microforge.models.surrogate.Nd4jRuntime;
import dev.microforge.models.surrogate.Surrogate;
import dev.microforge.models.surrogate.SurrogateArchitecture;
import dev.microforge.training.surrogate.DesignLabels;
import dev.microforge.training.surrogate.SurrogateTrainer;
import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/** {@code microforge train surrogate --designs DIR --out DIR}: the CNN property surrogate. */
@Command(name = "surrogate", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Train the CNN property surrogate (a DL4J ensemble) on a folder of designs: labels what is not "
                + "labelled yet (as 'dataset label'), holds out a share of the designs, trains the members and "
                + "prints the held-out R2 of every property. Writes the model directory (model.json, member-K.zip, "
                + "checkpoints/).",
                "--config JSON may set: members, epochs, batchSize, learningRate, finalLearningRateFraction, "
                        + "heldOutFraction, augment, baseline, patch, embedWidth, width, denseWidth, boundaries."})
final class TrainSurrogateCommand implements Callable<Integer> {
    private static final ObjectMapper CONFIG = new ObjectMapper()
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    @ParentCommand
    TrainCommand parent;

    @Option(names = {"--designs", "--data"}, paramLabel = "DIR", required = true,
            description = "Folder of designs (volume files, labels 0 pore, 1 active, 2 CBD), all cubes of one size.")
    Path designs;

    @Option(names = "--out", paramLabel = "DIR", required = true, description = "Model directory to write.")
    Path out;

    @Option(names = "--config", paramLabel = "JSON", description = "Training options: a JSON object, e.g. "
            + "'{\"members\": 3}', or a file holding one.")
    String config;

    @Option(names = "--minutes", paramLabel = "M", description = "Time budget of the training (default: none).")
    Double minutes;

    @Option(names = "--seed", paramLabel = "S", description = "Seed of split, initialisation and order (default 1).")
    long seed = 1;

    @Option(names = "--threads", paramLabel = "N",
            description = "Threads for labelling and for the network (default: all cores for labelling; 1 for the "
                    + "network, whose thread pools spin when the cores are shared).")
    Integer threads;

    @Option(names = "--resume", description = "Continue from the checkpoints in the model directory.")
    boolean resume;

    @Option(names = "--force", description = "Overwrite an existing model directory.")
    boolean force;

    @Option(names = "--json", description = "Print the result as JSON on stdout.")
    boolean json;

    /** The fields --config may set; absent ones keep their defaults. */
    record ConfigJson(Integer members, Integer epochs, Integer batchSize, Double learningRate,
            Double finalLearningRateFraction, Double heldOutFraction, Boolean augment, Boolean baseline,
            Integer patch, Integer embedWidth, Integer width, Integer denseWidth, Boolean boundaries) {
    }

    record ScoreJson(String name, int count, Double r2, Double rmse, Double meanSd, Double coverage95) {
    }

    record ResultJson(String model, String designs, int count, int trainDesigns, int heldOutDesigns, int members,
            int resumedMembers, int epochsRun, double seconds, boolean interrupted, String engine,
            List<ScoreJson> heldOut, DatasetLabelCommand.SummaryJson labels) {
    }

    @Override
    public Integer call() throws Exception {
        CliContext context = parent.parent.context();
        SurrogateTrainer.Options options = options();
        if (threads != null && threads < 1) {
            throw new IllegalArgumentException("--threads must be at least 1, got " + threads);
        }
        Path dir = OutputFolders.createIfParentExists(out);
        Path manifest = dir.resolve(ModelDirectory.MODEL_JSON);
        if (Files.exists(manifest) && !force && !resume) {
            throw new FileAlreadyExistsException(manifest.toString(), null,
                    "already exists; use --force to overwrite the model or --resume to continue its training");
        }
        if (!Files.isDirectory(designs)) {
            throw new NoSuchFileException(designs.toString(), null, "no such design folder");
        }
        try (CtrlC stop = new CtrlC()) {
            DatasetLabelCommand.SummaryJson labels = DatasetLabelCommand.labelFolder(designs, threads, false, context,
                    stop);
            if (labels.interrupted()) {
                context.out().println("interrupted while labelling: rerun to continue (labels written are kept)");
                context.out().flush();
                return Main.OK;
            }
            List<SurrogateTrainer.Example> examples = DesignLabels.examples(
                    DesignLabels.label(designs, DesignLabels.Options.defaults(), DesignLabels.Listener.NONE, null)
                            .designs());
            if (threads != null) {
                Nd4jRuntime.setThreads(threads);
            }
            SurrogateTrainer.Result r = SurrogateTrainer.train(examples, ElectrodeProperties.NAMES, options,
                    dir.resolve("checkpoints"), resume, e -> context.progress().progress(String.format(Locale.ROOT,
                            "training member %d/%d", e.member() + 1, e.members()), e.epoch(), e.epochs()), stop);
            context.closeProgress();
            if (r.surrogate() != null) {
                Map<String, Object> summary = new LinkedHashMap<>(r.surrogate().training());
                summary.put("designFolder", designs.toAbsolutePath().normalize().toString());
                summary.put("interrupted", r.interrupted());
                Surrogate model = r.surrogate().withTraining(summary);
                if (!r.interrupted()) {
                    model.save(dir);
                }
            }
            ResultJson result = result(dir, labels, r);
            if (json) {
                Json.print(context.out(), result);
            } else {
                print(context, result);
            }
        }
        return Main.OK;
    }

    private SurrogateTrainer.Options options() throws IOException {
        SurrogateTrainer.Options o = SurrogateTrainer.Options.defaults().withSeed(seed);
        if (minutes != null) {
            if (!(minutes > 0)) {
                throw new IllegalArgumentException("--minutes must be positive, got " + minutes);
            }
            o = o.withMaxSeconds(minutes * 60);
        }
        ConfigArgument given = ConfigArgument.read(config);
        if (given == null) {
            return o;
        }
        ConfigJson c;
        try {
            c = CONFIG.readValue(given.text(), ConfigJson.class);
        } catch (UnrecognizedPropertyException e) {
            throw new IllegalArgumentException(given.source() + ": unknown option '" + e.getPropertyName()
                    + "'; known: "
                    + "members, epochs, batchSize, learningRate, finalLearningRateFraction, heldOutFraction, augment, "
                    + "baseline, patch, embedWidth, width, denseWidth, boundaries", e);
        } catch (com.fasterxml.jackson.core.JacksonException e) {
            throw new IllegalArgumentException(given.source() + ": not valid JSON (" + e.getOriginalMessage() + ")", e);
        }
        SurrogateArchitecture a = o.architecture();
        a = new SurrogateArchitecture(a.phases(), a.inputSize(), c.patch() != null ? c.patch() : a.patch(),
                c.embedWidth() != null ? c.embedWidth() : a.embedWidth(), c.width() != null ? c.width() : a.width(),
                c.denseWidth() != null ? c.denseWidth() : a.denseWidth(),
                c.boundaries() != null ? c.boundaries() : a.boundaries());
        return new SurrogateTrainer.Options(a, c.members() != null ? c.members() : o.members(),
                c.epochs() != null ? c.epochs() : o.epochs(), c.batchSize() != null ? c.batchSize() : o.batchSize(),
                c.learningRate() != null ? c.learningRate() : o.learningRate(),
                c.finalLearningRateFraction() != null ? c.finalLearningRateFraction() : o.finalLearningRateFraction(),
                c.heldOutFraction() != null ? c.heldOutFraction() : o.heldOutFraction(),
                c.augment() != null ? c.augment() : o.augment(), c.baseline() != null ? c.baseline() : o.baseline(),
                o.maxSeconds(), o.seed());
    }

    private ResultJson result(Path dir, DatasetLabelCommand.SummaryJson labels, SurrogateTrainer.Result r) {
        List<ScoreJson> scores = new ArrayList<>();
        for (SurrogateTrainer.TargetScore s : r.heldOut()) {
            scores.add(new ScoreJson(s.name(), s.count(), finite(s.r2()), finite(s.rmse()), finite(s.meanSd()),
                    finite(s.coverage95())));
        }
        int members = r.surrogate() == null ? 0 : r.surrogate().memberCount();
        return new ResultJson(r.interrupted() ? null : dir.toString(), designs.toString(), labels.count(),
                r.trainIds().size(), r.heldOutIds().size(), members, r.resumedMembers(), r.history().size(),
                r.seconds(), r.interrupted(), Nd4jRuntime.describe(), scores, labels);
    }

    private static Double finite(double v) {
        return Double.isFinite(v) ? v : null;
    }

    private static void print(CliContext context, ResultJson r) {
        if (r.interrupted()) {
            context.out().printf(Locale.ROOT, "interrupted after %.0f s: %d member(s) finished and checkpointed; rerun "
                    + "with --resume to continue%n", r.seconds(), r.members());
            context.out().flush();
            return;
        }
        context.out().printf(Locale.ROOT, "trained %d member(s) on %d designs (%d held out) in %.0f s (%s) -> %s%n",
                r.members(), r.trainDesigns(), r.heldOutDesigns(), r.seconds(), r.engine(), r.model());
        if (!r.heldOut().isEmpty()) {
            context.out().printf(Locale.ROOT, "held-out designs:%n  %-24s %5s %8s %10s %10s %12s%n", "property", "n",
                    "R2", "RMSE", "mean sd", "in 1.96 sd");
            for (ScoreJson s : r.heldOut()) {
                context.out().printf(Locale.ROOT, "  %-24s %5d %8s %10s %10s %12s%n", s.name(), s.count(),
                        format(s.r2()), format(s.rmse()), format(s.meanSd()), format(s.coverage95()));
            }
        }
        context.out().flush();
    }

    private static String format(Double v) {
        return v == null ? "-" : String.format(Locale.ROOT, "%.4g", v);
    }
}
