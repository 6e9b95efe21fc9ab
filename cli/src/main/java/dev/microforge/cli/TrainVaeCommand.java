package dev.microforge.cli;

import dev.microforge.datasets.PhaseMap;
import dev.microforge.datasets.Volume;
import dev.microforge.datasets.io.LabelConversion;
import dev.microforge.datasets.io.VolumeIO;
import dev.microforge.models.ModelDirectory;
import dev.microforge.models.vae.VaeModel;
import dev.microforge.training.IterationSeeds;
import dev.microforge.training.SampleEvaluation;
import dev.microforge.training.SessionState;
import dev.microforge.training.TrainingSession;
import dev.microforge.training.VaeTrainer;
import dev.microforge.training.VaeTrainingConfig;
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
 * {@code microforge train vae}: a 3D variational autoencoder (Kingma and Welling 2014, beta-weighted KL) on random
 * cubic patches of a labelled volume, through the training session (checkpoints, resume, evaluation, divergence).
 */
@Command(name = "vae", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Train a 3D VAE (Kingma and Welling 2014; beta-VAE, Higgins et al. 2017) on random cubic "
                + "patches of a labelled volume; its latent mean vectors serve as design variables.",
            "MODELDIR receives model.json + weights (always loadable), checkpoints/, metrics.jsonl, samples/ and "
                    + "the learning curves. Losses: loss and reconstruction in nats per voxel, kl in nats per "
                    + "sample; evaluation decodes a prior draw of inputSize^3."},
        footer = {"", "Config keys (JSON object, any subset): inputSize, latentDimension, encoderWidths, "
                + "decoderWidths, batchSize, klWeight, learningRate, beta1, beta2, iterations, checkpointEvery, "
                + "keepCheckpoints, evaluateEvery, evaluateTortuosity, seed."})
final class TrainVaeCommand implements Callable<Integer> {
    @ParentCommand
    TrainCommand parent;

    @Option(names = "--data", required = true, paramLabel = "VOLUME",
            description = "Training volume with labels 0..k-1 (any format 'info' reads).")
    Path data;

    @Mixin
    TrainOptions options;

    /** How this command reads its configuration. */
    static final TrainingRun.ConfigFormat<VaeTrainingConfig> FORMAT = new TrainingRun.ConfigFormat<>() {
        @Override
        public VaeTrainingConfig defaults() {
            return VaeTrainingConfig.defaults();
        }

        @Override
        public VaeTrainingConfig fromJson(String json, String source, VaeTrainingConfig base) {
            return VaeTrainingConfig.fromJson(json, source, base);
        }

        @Override
        public VaeTrainingConfig fromMap(Map<String, Object> map, String source) {
            return VaeTrainingConfig.fromMap(map, source);
        }
    };

    @Override
    public Integer call() throws Exception {
        CliContext context = parent.context();
        options.validate();
        if (!Files.isRegularFile(data) && !Files.isDirectory(data)) {
            throw new NoSuchFileException(data.toString(), null, "training volume not found");
        }
        TrainingRun.Settings<VaeTrainingConfig> settings = TrainingRun.settings(ModelDirectory.KIND_VAE, options,
                FORMAT);
        VaeTrainingConfig used = settings.config();
        Volume volume = VolumeIO.read(data, LabelConversion.direct(), context.progress());
        context.closeProgress();
        int phases = TrainingRun.phases(volume, data);
        if (settings.stored() != null && settings.stored().phases() != phases) {
            throw new IllegalArgumentException(data + " has " + phases + " phases but the model in " + options.out
                    + " has " + settings.stored().phases());
        }
        int minEdge = Math.min(volume.nx(), Math.min(volume.ny(), volume.nz()));
        if (minEdge < used.inputSize()) {
            throw new IllegalArgumentException(data + " (" + volume.nx() + "x" + volume.ny() + "x" + volume.nz()
                    + ") is smaller than the training patch " + used.inputSize() + "^3; lower inputSize in --config");
        }
        if (settings.checkpoint() == null) {
            TrainingRun.createModelFolder(options.out, options.force);
        }
        TrainingSession.Evaluation evaluation = null;
        if (used.evaluateEvery() > 0) {
            SampleEvaluation.Reference reference = SampleEvaluation.reference(
                    options.out.resolve(TrainingRun.REFERENCE_FILE), volume, phases, used.evaluationOptions(),
                    context.progress());
            context.closeProgress();
            evaluation = new TrainingSession.Evaluation(reference, used.evaluationOptions(),
                    new IterationSeeds(used.seed()).seed(0, 0));
        }
        VaeTrainer trainer;
        VaeModel created = null;
        SessionState state = settings.state();
        if (settings.checkpoint() != null) {
            trainer = VaeTrainer.restore(settings.checkpoint(), volume, used.trainerOptions());
        } else {
            List<String> names = new ArrayList<>(PhaseMap.electrode(volume.labelHistogram().keySet()).names().values());
            created = VaeModel.create(used.architecture(phases), names, used.seed());
            trainer = VaeTrainer.create(created, volume, used.trainerOptions(),
                    TrainingRun.dataSummary(data.toString(), volume, phases), used.toMap());
            state = SessionState.fresh(trainer.kind(), used.seed(), trainer.lossNames());
        }
        return TrainingRun.train(context, options, ModelDirectory.KIND_VAE, trainer, created, state, used, evaluation);
    }
}
