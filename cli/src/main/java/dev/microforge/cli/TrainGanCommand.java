package dev.microforge.cli;

import dev.microforge.datasets.PhaseMap;
import dev.microforge.datasets.Volume;
import dev.microforge.datasets.io.VolumeIO;
import dev.microforge.models.ModelDirectory;
import dev.microforge.models.gan.GanArchitecture;
import dev.microforge.models.gan.GanModel;
import dev.microforge.training.GanTrainingConfig;
import dev.microforge.training.IterationSeeds;
import dev.microforge.training.SampleEvaluation;
import dev.microforge.training.SessionState;
import dev.microforge.training.TrainingSession;
import dev.microforge.training.WganGpTrainer;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/**
 * {@code microforge train gan}: WGAN-GP training of the 3D GAN (spatial latent generator, 3D critic) on random
 * patches of a labelled volume, through the training session (checkpoints, resume, evaluation, divergence).
 */
@Command(name = "gan", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Train a 3D GAN (WGAN-GP, Gulrajani et al. 2017; spatial latent, Gayon-Lombardo et al. 2020) "
                + "on random patches of a labelled volume.",
            "MODELDIR receives model.json + weights (always loadable), checkpoints/, metrics.jsonl, samples/ and "
                    + "the learning curves learning-curve.png and learning-metrics.png."},
        footer = {"", "Config keys (JSON object, any subset): " + "latentChannels, generatorWidths, criticWidths, "
                + "batchSize, patchSize, criticSteps, gradientPenaltyWeight, generatorLearningRate, criticLearningRate, "
                + "beta1, beta2, iterations, checkpointEvery, keepCheckpoints, evaluateEvery, evaluationSize, "
                + "evaluateTortuosity, seed."})
final class TrainGanCommand implements Callable<Integer> {
    @ParentCommand
    TrainCommand parent;

    @Option(names = "--data", required = true, paramLabel = "VOLUME",
            description = "Training volume with labels 0..k-1 (any format 'info' reads).")
    Path data;

    @Option(names = "--out", required = true, paramLabel = "MODELDIR", description = "Model directory.")
    Path out;

    @Option(names = "--config", paramLabel = "JSON", description = "Training settings file (keys below); "
            + "missing keys keep their defaults.")
    Path config;

    @Option(names = "--minutes", paramLabel = "M", description = "Wall-time budget of this run in minutes; stops "
            + "with a checkpoint before exceeding it.")
    Double minutes;

    @Option(names = "--iterations", paramLabel = "N", description = "Iteration target (overrides the config's).")
    Long iterations;

    @Option(names = "--seed", paramLabel = "S", description = "Random seed (overrides the config's; default 1).")
    Long seed;

    @Option(names = "--resume", description = "Continue the training in MODELDIR from its newest checkpoint.")
    boolean resume;

    @Option(names = "--force", description = "Start over in an existing model directory (removes its model "
            + "files, checkpoints, samples and metrics).")
    boolean force;

    @Option(names = "--json", description = "Print a summary as JSON on stdout.")
    boolean json;

    record Summary(String modelDir, String kind, String stop, String message, long iteration, long targetIterations,
            long sessionIterations, double seconds, double secondsPerIteration, Map<String, Double> losses,
            String checkpoint, SampleEvaluation.Metrics metrics) {
    }

    @Override
    public Integer call() throws Exception {
        CliContext context = parent.context();
        if (minutes != null && !(minutes > 0 && Double.isFinite(minutes))) {
            throw new IllegalArgumentException("--minutes must be a positive number, got " + minutes);
        }
        if (iterations != null && iterations < 1) {
            throw new IllegalArgumentException("--iterations must be at least 1, got " + iterations);
        }
        if (!Files.isRegularFile(data) && !Files.isDirectory(data)) {
            throw new NoSuchFileException(data.toString(), null, "training volume not found");
        }
        GanTrainingConfig fromFile = null;
        if (config != null) {
            if (!Files.isRegularFile(config)) {
                throw new NoSuchFileException(config.toString(), null, "config file not found");
            }
        }
        Path checkpoint = TrainingRun.checkModelFolder(out, resume, force);
        GanTrainingConfig base = GanTrainingConfig.defaults();
        ModelDirectory.Manifest stored = null;
        SessionState state = null;
        if (checkpoint != null) {
            stored = ModelDirectory.readManifest(checkpoint);
            state = SessionState.read(checkpoint);
            if (stored.training() == null || stored.training().config() == null) {
                throw new IllegalArgumentException(checkpoint + ": model.json records no training configuration; "
                        + "it cannot be resumed");
            }
            base = GanTrainingConfig.fromMap(stored.training().config(), checkpoint.resolve("model.json").toString());
        }
        GanTrainingConfig cfg = base;
        if (config != null) {
            cfg = GanTrainingConfig.fromJson(Files.readString(config), config.toString(), base);
            fromFile = cfg;
        }
        if (seed != null) {
            if (stored != null && seed != stored.seed()) {
                throw new IllegalArgumentException("--seed " + seed + " differs from the seed " + stored.seed()
                        + " the model in " + out + " was trained with; a resumed run keeps its seed");
            }
            cfg = cfg.withSeed(seed);
        }
        if (iterations != null) {
            cfg = cfg.withIterations(iterations);
        }
        if (stored != null) {
            if (fromFile != null && !cfg.architecture(2).equals(base.architecture(2))) {
                throw new IllegalArgumentException(config + ": changes the architecture (latentChannels, "
                        + "generatorWidths, criticWidths) of the model being resumed; start a new --out instead");
            }
            if (cfg.seed() != stored.seed()) {
                throw new IllegalArgumentException(config + ": changes the seed of the model being resumed ("
                        + stored.seed() + "); a resumed run keeps its seed");
            }
            if (cfg.iterations() <= state.iteration()) {
                throw new IllegalArgumentException("the model in " + out + " has already trained " + state.iteration()
                        + " iterations (target " + cfg.iterations() + "); give a larger --iterations to continue");
            }
        }
        Volume volume = VolumeIO.read(data, dev.microforge.datasets.io.LabelConversion.direct(),
                context.progress());
        context.closeProgress();
        int phases = TrainingRun.phases(volume, data);
        if (stored != null && stored.architecture().phases() != phases) {
            throw new IllegalArgumentException(data + " has " + phases + " phases but the model in " + out + " has "
                    + stored.architecture().phases());
        }
        int minEdge = Math.min(volume.nx(), Math.min(volume.ny(), volume.nz()));
        if (minEdge < cfg.patchSize()) {
            throw new IllegalArgumentException(data + " (" + volume.nx() + "x" + volume.ny() + "x" + volume.nz()
                    + ") is smaller than the training patch " + cfg.patchSize() + "^3; lower patchSize in --config");
        }
        GanTrainingConfig used = cfg;
        List<Double> fractions = new ArrayList<>();
        long[] counts = volume.labelCounts();
        for (int label = 0; label < phases; label++) {
            fractions.add((double) counts[label] / volume.voxelCount());
        }
        ModelDirectory.DataSummary summary = new ModelDirectory.DataSummary(data.toString(), volume.nx(), volume.ny(),
                volume.nz(), fractions);
        if (checkpoint == null) {
            TrainingRun.createModelFolder(out, force);
        }
        TrainingSession.Evaluation evaluation = null;
        if (used.evaluateEvery() > 0) {
            SampleEvaluation.Reference reference = SampleEvaluation.reference(out.resolve(TrainingRun.REFERENCE_FILE),
                    volume, phases, used.evaluationOptions(), context.progress());
            context.closeProgress();
            evaluation = new TrainingSession.Evaluation(reference, used.evaluationOptions(),
                    new IterationSeeds(used.seed()).seed(0, 0));
        }
        WganGpTrainer trainer;
        GanModel created = null;
        if (checkpoint != null) {
            trainer = WganGpTrainer.restore(checkpoint, volume, used.trainerOptions());
        } else {
            GanArchitecture architecture = used.architecture(phases);
            List<String> names = new ArrayList<>(PhaseMap.electrode(volume.labelHistogram().keySet()).names().values());
            created = GanModel.create(architecture, names, used.seed());
            trainer = WganGpTrainer.create(created, volume, used.trainerOptions(), summary, used.toMap());
            state = SessionState.fresh(trainer.kind(), used.seed(), trainer.lossNames());
        }
        SessionState start = state;
        TrainingSession.Evaluation eval = evaluation;
        TrainingSession.Result result;
        try {
            TrainingRun.Display display = new TrainingRun.Display(context, out, "training gan");
            result = TrainingRun.withStopFlag(stop -> {
                TrainingSession.Result r = TrainingSession.run(trainer, out, start,
                        used.sessionOptions(minutes == null ? 0 : minutes * 60), eval, stop::get, List.of(display));
                report(context, r);
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

    private void report(CliContext context, TrainingSession.Result r) {
        context.closeProgress();
        if (r.stop() == TrainingSession.Stop.DIVERGED) {
            context.err().println("microforge: " + ErrorMessages.oneLine(r.message()));
            context.err().flush();
        }
        if (json) {
            Json.print(context.out(), new Summary(out.toString(), "gan3d", r.stop().name().toLowerCase(Locale.ROOT),
                    r.message(), r.iteration(), r.targetIterations(), r.sessionIterations(), r.seconds(),
                    r.secondsPerIteration(), r.lastLosses(), r.lastCheckpoint() == null ? null
                    : r.lastCheckpoint().toString(), r.lastMetrics()));
            return;
        }
        context.out().printf(Locale.ROOT, "%s (%d iterations in %.1f s, %.3f s/iteration)%n", r.message(),
                r.sessionIterations(), r.seconds(), r.secondsPerIteration());
        if (r.lastMetrics() != null) {
            SampleEvaluation.Metrics m = r.lastMetrics();
            context.out().printf(Locale.ROOT, "sample at iteration %d:%s%n", m.iteration(),
                    TrainingRun.Display.describe(m).replaceFirst("^ \\| @\\d+", ""));
        }
        context.out().println("model: " + out + (r.lastCheckpoint() == null ? "" : " (checkpoint "
                + r.lastCheckpoint().getFileName() + ")"));
        context.out().flush();
    }
}
