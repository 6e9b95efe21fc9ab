package dev.microforge.cli;

import dev.microforge.datasets.PhaseMap;
import dev.microforge.datasets.Volume;
import dev.microforge.datasets.io.LabelConversion;
import dev.microforge.datasets.io.VolumeIO;
import dev.microforge.models.ModelDirectory;
import dev.microforge.models.slicegan.SliceGanModel;
import dev.microforge.training.IterationSeeds;
import dev.microforge.training.OneHotSliceSampler;
import dev.microforge.training.SampleEvaluation;
import dev.microforge.training.SessionState;
import dev.microforge.training.SliceGanTrainer;
import dev.microforge.training.SliceGanTrainingConfig;
import dev.microforge.training.TrainingSession;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/**
 * {@code microforge train slicegan}: SliceGAN (Kench and Cooper 2021), a 3D generator trained with 2D critics on
 * slices, from one 2D image (isotropic), three orthogonal 2D images, or the slices of a 3D volume, through the
 * training session (checkpoints, resume, evaluation, divergence).
 */
@Command(name = "slicegan", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Train a SliceGAN (Kench and Cooper 2021): a 3D generator whose slices along x, y and z 2D "
                + "WGAN-GP critics judge against patches of 2D training images.",
            "--data takes one 2D image (an isotropic material: one critic for all axes), three 2D images "
                    + "IMG_X,IMG_Y,IMG_Z of the planes normal to x, y and z (anisotropic: one critic per axis), or "
                    + "a 3D volume (its planes normal to each axis). Orientation as 'microforge slice --axis A' "
                    + "writes them: x normal (columns y, rows z), y normal (columns x, rows z), z normal (columns x, "
                    + "rows y).",
            "MODELDIR receives model.json + weights (always loadable), checkpoints/, metrics.jsonl, samples/ and "
                    + "the learning curves learning-curve.png and learning-metrics.png. Evaluation against images "
                    + "compares fractions and S2 only (tortuosity needs a volume)."},
        footer = {"", "Config keys (JSON object, any subset): latentChannels, generatorWidths, generatorLatentWidths, "
                + "criticWidths, "
                + "batchSize, sliceSize, slicesPerAxis, criticSteps, gradientPenaltyWeight, generatorLearningRate, "
                + "criticLearningRate, beta1, beta2, statisticsWeight, statisticsMaxLag, statisticsAverage, "
                + "iterations, checkpointEvery, keepCheckpoints, evaluateEvery, evaluationSize, evaluateTortuosity, "
                + "seed."})
final class TrainSliceGanCommand implements Callable<Integer> {
    @ParentCommand
    TrainCommand parent;

    @Option(names = "--data", required = true, paramLabel = "IMG[,IMG_Y,IMG_Z]|VOLUME",
            description = "One 2D image, three 2D images (normal to x, y, z) or one 3D volume, labels 0..k-1 (any "
                    + "format 'info' reads).")
    String data;

    @Mixin
    TrainOptions options;

    /** How this command reads its configuration. */
    static final TrainingRun.ConfigFormat<SliceGanTrainingConfig> FORMAT = new TrainingRun.ConfigFormat<>() {
        @Override
        public SliceGanTrainingConfig defaults() {
            return SliceGanTrainingConfig.defaults();
        }

        @Override
        public SliceGanTrainingConfig fromJson(String json, String source, SliceGanTrainingConfig base) {
            return SliceGanTrainingConfig.fromJson(json, source, base);
        }

        @Override
        public SliceGanTrainingConfig fromMap(Map<String, Object> map, String source) {
            return SliceGanTrainingConfig.fromMap(map, source);
        }
    };

    @Override
    public Integer call() throws Exception {
        CliContext context = parent.context();
        options.validate();
        List<Path> files = new ArrayList<>();
        for (String part : data.split(",", -1)) {
            files.add(Path.of(part.trim()));
        }
        if (files.size() != 1 && files.size() != 3) {
            throw new IllegalArgumentException("--data takes one image or volume, or three images IMG_X,IMG_Y,IMG_Z; "
                    + "got " + files.size() + " paths in '" + data + "'");
        }
        for (Path f : files) {
            if (!Files.isRegularFile(f) && !Files.isDirectory(f)) {
                throw new NoSuchFileException(f.toString(), null, "training data not found");
            }
        }
        TrainingRun.Settings<SliceGanTrainingConfig> settings = TrainingRun.settings(ModelDirectory.KIND_SLICEGAN,
                options, FORMAT);
        SliceGanTrainingConfig used = settings.config();
        List<Volume> volumes = new ArrayList<>();
        for (Path f : files) {
            volumes.add(VolumeIO.read(f, LabelConversion.direct(), context.progress()));
            context.closeProgress();
        }
        boolean volumeData = files.size() == 1 && volumes.get(0).nz() > 1;
        if (files.size() == 3) {
            for (int i = 0; i < 3; i++) {
                Volume v = volumes.get(i);
                if (v.nz() != 1) {
                    throw new IllegalArgumentException(files.get(i) + " is " + v.nx() + "x" + v.ny() + "x" + v.nz()
                            + " voxels; three --data entries must be 2D images (give a 3D volume on its own)");
                }
            }
        }
        int phases = TrainingRun.phases(volumes, data);
        if (settings.stored() != null && settings.stored().phases() != phases) {
            throw new IllegalArgumentException(data + " has " + phases + " phases but the model in " + options.out
                    + " has " + settings.stored().phases());
        }
        for (int i = 0; i < volumes.size(); i++) {
            Volume v = volumes.get(i);
            int edge = volumeData ? Math.min(v.nx(), Math.min(v.ny(), v.nz())) : Math.min(v.nx(), v.ny());
            if (edge < used.sliceSize()) {
                throw new IllegalArgumentException(files.get(i) + " (" + v.nx() + "x" + v.ny() + "x" + v.nz()
                        + ") is smaller than the training slices " + used.sliceSize() + "^2; lower sliceSize in "
                        + "--config");
            }
        }
        OneHotSliceSampler sampler = volumeData
                ? OneHotSliceSampler.ofVolume(volumes.get(0), used.sliceSize(), phases)
                : files.size() == 1 ? OneHotSliceSampler.ofImage(volumes.get(0), used.sliceSize(), phases)
                : OneHotSliceSampler.ofImages(volumes.get(0), volumes.get(1), volumes.get(2), used.sliceSize(), phases);
        TrainingSession.Evaluation evaluation = null;
        if (used.evaluateEvery() > 0) {
            context.progress().progress("measuring the training data (S2" + (volumeData ? ", tortuosity" : "") + ")",
                    0, 1);
            SampleEvaluation.Reference reference = volumeData
                    ? SampleEvaluation.reference(volumes.get(0), phases, used.evaluationOptions())
                    : SampleEvaluation.referenceFromSections(volumes, phases, used.evaluationOptions());
            context.closeProgress();
            evaluation = new TrainingSession.Evaluation(reference, used.evaluationOptions(),
                    new IterationSeeds(used.seed()).seed(0, 0));
        }
        SliceGanTrainer trainer;
        SliceGanModel created = null;
        SessionState state = settings.state();
        if (settings.checkpoint() != null) {
            trainer = SliceGanTrainer.restore(settings.checkpoint(), sampler, used.trainerOptions());
        } else {
            TrainingRun.createModelFolder(options.out, options.force);
            TreeSet<Integer> labels = new TreeSet<>();
            volumes.forEach(v -> labels.addAll(v.labelHistogram().keySet()));
            List<String> names = new ArrayList<>(PhaseMap.electrode(labels).names().values());
            created = SliceGanModel.create(used.architecture(phases, sampler.isotropic() ? 1 : 3), names, used.seed());
            trainer = SliceGanTrainer.create(created, sampler, used.trainerOptions(), summary(files, volumes, phases),
                    used.toMap());
            state = SessionState.fresh(trainer.kind(), used.seed(), trainer.lossNames());
        }
        return TrainingRun.train(context, options, ModelDirectory.KIND_SLICEGAN, trainer, created, state, used,
                evaluation);
    }

    /**
     * The training data for {@code model.json}: a volume as it is; images with their paths joined by commas, the
     * extents they cover (x, y from the z-normal image and z from the x-normal one; a single image gives nz = 1)
     * and the mean of their phase fractions.
     */
    private ModelDirectory.DataSummary summary(List<Path> files, List<Volume> volumes, int phases) {
        if (volumes.size() == 1) {
            return TrainingRun.dataSummary(files.get(0).toString(), volumes.get(0), phases);
        }
        List<Double> fractions = new ArrayList<>();
        for (int label = 0; label < phases; label++) {
            double sum = 0;
            for (Volume v : volumes) {
                sum += (double) v.labelCounts()[label] / v.voxelCount();
            }
            fractions.add(sum / volumes.size());
        }
        return new ModelDirectory.DataSummary(data, volumes.get(2).nx(), volumes.get(2).ny(), volumes.get(0).ny(),
                fractions);
    }
}
