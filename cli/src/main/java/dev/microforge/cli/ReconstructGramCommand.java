package dev.microforge.cli;

import dev.microforge.datasets.Volume;
import dev.microforge.datasets.io.VolumeIO;
import dev.microforge.models.Engines;
import dev.microforge.training.gram.GramReconstruction;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/**
 * {@code microforge reconstruct gram}: a volume (or image) whose slices along x, y and z have the texture of one or
 * three 2D micrographs, by matching Gram matrices of CNN features (Li et al. 2018), offline: a random multi-scale
 * network, the critic of one of our models, or a TorchScript model the user exports.
 */
@Command(name = "gram", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Gram-matrix reconstruction (Li et al. 2018; Bostanabad 2020): optimise per-voxel phase "
                + "probabilities so that the Gram matrices of CNN features of the slices along x, y and z match "
                + "those of the exemplar(s), coarse to fine, then cut to the target fractions.",
            "One --exemplar image: isotropic. With --exemplar-y and --exemplar-z: the three images are the slices "
                + "normal to x, y and z. A 3D --exemplar volume gives each axis its own slices. --size NX,NY,1 "
                + "makes a 2D image."})
final class ReconstructGramCommand implements Callable<Integer> {
    private static final GramReconstruction.Options DEFAULTS = GramReconstruction.Options.defaults();

    @ParentCommand
    ReconstructCommand parent;

    @Mixin
    GeneratedOutput output;

    @Option(names = "--exemplar", paramLabel = "IMAGE", required = true,
            description = "Labelled 2D image (PNG, TIFF, ...): the slices normal to x (and to every axis when it is "
                    + "the only one); or a 3D volume.")
    Path exemplar;

    @Option(names = "--exemplar-y", paramLabel = "IMAGE", description = "Image of the slices normal to y (columns x,"
            + " rows z).")
    Path exemplarY;

    @Option(names = "--exemplar-z", paramLabel = "IMAGE", description = "Image of the slices normal to z (columns x,"
            + " rows y).")
    Path exemplarZ;

    @Option(names = "--extractor", paramLabel = "random|MODELDIR|MODEL.pt",
            description = "Feature network: random (multi-scale random filters, default), a slicegan model directory "
                    + "(its critics), a gan3d model directory (its critic; needs a 3D exemplar) or a TorchScript file "
                    + "(with --layers).")
    String extractor = "random";

    @Option(names = "--layers", paramLabel = "NAME,...", split = ",",
            description = "Layers of a TorchScript model to match: keys of the dict its forward returns (or 0,1,...).")
    List<String> layers = new ArrayList<>();

    @Option(names = "--minutes", paramLabel = "M", description = "Time limit in minutes (default 10).")
    double minutes = 10;

    @Option(names = "--levels", paramLabel = "L", description = "Resolution levels, coarse to fine, each doubling "
            + "the size (default 3).")
    int levels = DEFAULTS.levels();

    @Option(names = "--iterations", paramLabel = "N",
            description = "Adam steps per level (default: as many as the time allows, at most 100000).")
    int iterations = DEFAULTS.iterations();

    @Option(names = "--slices", paramLabel = "K", description = "Slices per axis per step (default 8).")
    int slices = DEFAULTS.slicesPerAxis();

    @Option(names = "--learning-rate", paramLabel = "R", description = "Adam step on the logits (default 0.1).")
    double learningRate = DEFAULTS.learningRate();

    @Option(names = "--correlation-weight", paramLabel = "W",
            description = "Weight of the two-point correlation term added to the Gram loss (0 for "
                    + "Gram matrices only).", showDefaultValue = CommandLine.Help.Visibility.ALWAYS)
    double correlationWeight = DEFAULTS.correlationWeight();

    @Option(names = "--max-lag", paramLabel = "R", description = "Largest lag of that term, voxels (default 24).")
    int maxLag = DEFAULTS.maxLag();

    @Option(names = "--threads", paramLabel = "N",
            description = "Threads per tensor operation (default 1: on a machine shared with other jobs one thread is "
                    + "much faster than two; give 2 on an idle 2-core machine).")
    int threads = 1;


    record LossPoint(double seconds, int level, double loss) {
    }

    record SummaryJson(String method, List<String> files, int nx, int ny, int nz, String extractor,
            Map<String, Double> fractions, Map<String, Double> targetFractions, Map<String, Double> softFractions,
            int steps, String stop, int gradientRetries, double seconds, List<LossPoint> lossCurve) {
    }

    @Override
    public Integer call() throws Exception {
        CliContext context = parent.context();
        if ((exemplarY == null) != (exemplarZ == null)) {
            throw new IllegalArgumentException("give both --exemplar-y and --exemplar-z (three orthogonal images), or"
                    + " neither (one isotropic image)");
        }
        if (!(minutes > 0)) {
            throw new IllegalArgumentException("--minutes must be > 0, got " + minutes);
        }
        output.checkWritable();
        Path lossPng = lossPlotPath();
        if (lossPng != null) {
            dev.microforge.datasets.io.AtomicFile.checkWritable(lossPng, output.force);
        }
        int[] d = output.dimensions();
        List<Volume> images = new ArrayList<>();
        images.add(read(exemplar, "--exemplar"));
        if (exemplarY != null) {
            images.add(read(exemplarY, "--exemplar-y"));
            images.add(read(exemplarZ, "--exemplar-z"));
            for (Volume v : images) {
                if (v.nz() != 1) {
                    throw new IllegalArgumentException("three orthogonal exemplars must be 2D images, one has "
                            + v.nz() + " slices");
                }
            }
        }
        if (threads < 1) {
            throw new IllegalArgumentException("--threads must be at least 1, got " + threads);
        }
        Engines.setThreads(threads);
        int[] labels = GramPipeline.phaseLabels(images);
        double[] fractions = output.fractions(null);
        if (fractions != null && fractions.length != labels.length) {
            throw new IllegalArgumentException("--fractions has " + fractions.length + " values but the exemplar has "
                    + labels.length + " phases (labels " + Arrays.toString(labels) + ")");
        }
        GramReconstruction.Options options = new GramReconstruction.Options(d[0], d[1], d[2], fractions, levels,
                iterations, minutes * 60, slices, learningRate, GramReconstruction.Options.defaults().fractionWeight(),
                correlationWeight, maxLag, output.seed);
        double limit = minutes * 60;
        Thread worker = Thread.currentThread();
        CountDownLatch written = new CountDownLatch(1);
        Thread hook = new Thread(() -> {
            // Ctrl-C: stop the optimisation, let the command write what it has, then let the JVM exit
            worker.interrupt();
            try {
                written.await(60, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "gram-interrupt");
        Runtime.getRuntime().addShutdownHook(hook);
        List<String> files;
        GramPipeline.Outcome outcome;
        try {
            outcome = GramPipeline.run(images, extractor, layers, options, output.voxelSize(),
                    (level, levelCount, it, its, loss, seconds) -> context.progress().progress(
                            String.format(Locale.ROOT, "gram level %d/%d (loss %.4f)", level, levelCount, loss),
                            Math.round(Math.min(seconds, limit) * 10), Math.round(limit * 10)));
            context.closeProgress();
            Thread.interrupted(); // a Ctrl-C during the run has been honoured; write the result
            files = output.write(outcome.volume(), context);
            if (lossPng != null) {
                GramReconstruction.Result r = outcome.result();
                Plots.Series series = new Plots.Series();
                int levelCount = r.lossLevel().length == 0 ? 0 : r.lossLevel()[r.lossLevel().length - 1];
                for (int l = 1; l <= levelCount; l++) {
                    List<double[]> points = new ArrayList<>();
                    for (int i = 0; i < r.loss().length; i++) {
                        if (r.lossLevel()[i] == l) {
                            points.add(new double[] {r.lossSeconds()[i], r.loss()[i]});
                        }
                    }
                    series.add("level " + l, points.stream().mapToDouble(p -> p[0]).toArray(),
                            points.stream().mapToDouble(p -> p[1]).toArray());
                }
                Plots.lines(lossPng, "Gram reconstruction: loss against time", "seconds", "loss", series, true,
                        output.force);
                files.add(lossPng.toString());
            }
        } finally {
            written.countDown();
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException shuttingDown) {
                // the hook is running: nothing to remove
            }
        }
        print(context, summary(outcome, files, d));
        return Main.OK;
    }

    /** {@code <stem>-loss.png} in the plot folder, or beside the output volume. */
    private Path lossPlotPath() {
        String stem = output.out.getFileName().toString().replaceFirst("\\.[^.]+$", "");
        Path folder = output.plots != null ? output.plots : output.out.toAbsolutePath().getParent();
        return folder == null ? null : folder.resolve(stem + "-loss.png");
    }

    private static Volume read(Path file, String option) throws IOException {
        if (file == null) {
            throw new IllegalArgumentException(option + " is required");
        }
        return VolumeIO.read(file);
    }

    private SummaryJson summary(GramPipeline.Outcome o, List<String> files, int[] d) {
        GramReconstruction.Result r = o.result();
        Map<String, Double> target = new LinkedHashMap<>();
        Map<String, Double> soft = new LinkedHashMap<>();
        for (int k = 0; k < o.labels().length; k++) {
            target.put(String.valueOf(o.labels()[k]), r.fractions()[k]);
            soft.put(String.valueOf(o.labels()[k]), r.softFractions()[k]);
        }
        List<LossPoint> curve = new ArrayList<>();
        int stride = Math.max(1, r.loss().length / 200);
        for (int i = 0; i < r.loss().length; i += stride) {
            curve.add(new LossPoint(r.lossSeconds()[i], r.lossLevel()[i], r.loss()[i]));
        }
        return new SummaryJson("gram", files, d[0], d[1], d[2], o.extractor(), GeneratedOutput.fractionsOf(o.volume()),
                target, soft, r.steps(), r.stop().name().toLowerCase(Locale.ROOT), r.gradientRetries(), r.seconds(),
                curve);
    }

    private void print(CliContext context, SummaryJson s) {
        if (output.json) {
            Json.print(context.out(), s);
            return;
        }
        context.out().printf(Locale.ROOT, "reconstructed %d x %d x %d voxels in %.1f s, %d steps (%s) with %s%n",
                s.nx(), s.ny(), s.nz(), s.seconds(), s.steps(), s.stop(), s.extractor());
        s.fractions().forEach((k, v) -> context.out().printf(Locale.ROOT, "  label %s: fraction %.4f (target %.4f)%n",
                k, v, s.targetFractions().getOrDefault(k, Double.NaN)));
        s.files().forEach(f -> context.out().println("wrote " + f));
        context.out().flush();
    }
}
