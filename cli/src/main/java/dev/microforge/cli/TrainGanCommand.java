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
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
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
        footer = {"", "Config keys (JSON object, any subset): latentChannels, generatorWidths, generatorLatentWidths, "
                + "criticWidths, batchSize, patchSize, criticSteps, gradientPenaltyWeight, generatorLearningRate, "
                + "criticLearningRate, beta1, beta2, statisticsWeight, statisticsMaxLag, statisticsPatchSize, "
                + "generatorAverage, linealPathWeight, linealPathMaxLag, statisticsAverage, iterations, "
                + "checkpointEvery, keepCheckpoints, evaluateEvery, evaluationSize, evaluateTortuosity, seed."})
final class TrainGanCommand implements Callable<Integer> {
    @ParentCommand
    TrainCommand parent;

    @Option(names = "--data", required = true, paramLabel = "VOLUME",
            description = "Training volume with labels 0..k-1 (any format 'info' reads).")
    Path data;

    @Mixin
    TrainOptions options;

    /** How this command reads its configuration. */
    static final TrainingRun.ConfigFormat<GanTrainingConfig> FORMAT = new TrainingRun.ConfigFormat<>() {
        @Override
        public GanTrainingConfig defaults() {
            return GanTrainingConfig.defaults();
        }

        @Override
        public GanTrainingConfig fromJson(String json, String source, GanTrainingConfig base) {
            return GanTrainingConfig.fromJson(json, source, base);
        }

        @Override
        public GanTrainingConfig fromMap(Map<String, Object> map, String source) {
            return GanTrainingConfig.fromMap(map, source);
        }
    };

    @Override
    public Integer call() throws Exception {
        CliContext context = parent.context();
        options.validate();
        if (!Files.isRegularFile(data) && !Files.isDirectory(data)) {
            throw new NoSuchFileException(data.toString(), null, "training volume not found");
        }
        TrainingRun.Settings<GanTrainingConfig> settings = TrainingRun.settings(ModelDirectory.KIND_GAN3D, options,
                FORMAT);
        GanTrainingConfig used = settings.config();
        Volume volume = VolumeIO.read(data, dev.microforge.datasets.io.LabelConversion.direct(),
                context.progress());
        context.closeProgress();
        int phases = TrainingRun.phases(volume, data);
        if (settings.stored() != null && settings.stored().phases() != phases) {
            throw new IllegalArgumentException(data + " has " + phases + " phases but the model in " + options.out
                    + " has " + settings.stored().phases());
        }
        int minEdge = Math.min(volume.nx(), Math.min(volume.ny(), volume.nz()));
        if (minEdge < used.patchSize()) {
            throw new IllegalArgumentException(data + " (" + volume.nx() + "x" + volume.ny() + "x" + volume.nz()
                    + ") is smaller than the training patch " + used.patchSize() + "^3; lower patchSize in --config");
        }
        ModelDirectory.DataSummary summary = TrainingRun.dataSummary(data.toString(), volume, phases);
        if (settings.checkpoint() == null) {
            TrainingRun.createModelFolder(options.out, options.force);
        }
        TrainingSession.Evaluation evaluation = null;
        if (used.evaluateEvery() > 0) {
            SampleEvaluation.Reference reference = SampleEvaluation.reference(options.out.resolve(TrainingRun.REFERENCE_FILE),
                    volume, phases, used.evaluationOptions(), context.progress());
            context.closeProgress();
            evaluation = new TrainingSession.Evaluation(reference, used.evaluationOptions(),
                    new IterationSeeds(used.seed()).seed(0, 0));
        }
        WganGpTrainer trainer;
        GanModel created = null;
        SessionState state = settings.state();
        if (settings.checkpoint() != null) {
            trainer = WganGpTrainer.restore(settings.checkpoint(), volume, used.trainerOptions());
        } else {
            GanArchitecture architecture = used.architecture(phases);
            List<String> names = new ArrayList<>(PhaseMap.electrode(volume.labelHistogram().keySet()).names().values());
            created = GanModel.create(architecture, names, used.seed());
            trainer = WganGpTrainer.create(created, volume, used.trainerOptions(), summary, used.toMap());
            state = SessionState.fresh(trainer.kind(), used.seed(), trainer.lossNames());
        }
        return TrainingRun.train(context, options, ModelDirectory.KIND_GAN3D, trainer, created, state, used, evaluation);
    }
}
