package dev.microforge.cli;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.microforge.datasets.Volume;
import dev.microforge.datasets.VoxelSize;
import dev.microforge.datasets.io.AtomicFile;
import dev.microforge.datasets.io.VolumeIO;
import dev.microforge.generator.LevelCut;
import dev.microforge.generator.sampling.Latent;
import dev.microforge.generator.sampling.LatentInterpolation;
import dev.microforge.generator.sampling.ModelKinds;
import dev.microforge.generator.sampling.ModelSampling;
import dev.microforge.models.LatentDecoder;
import dev.microforge.models.ModelDirectory;
import java.io.IOException;
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
 * {@code microforge generate --model MODELDIR --out DIR}: volumes sampled from a trained model, each with the latent it
 * came from, or the volumes along a path between two saved latents.
 */
@Command(name = "generate", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Sample labelled volumes of any size from a trained model (model.json + parameters, as "
                + "'microforge train' writes them). Volume i uses seed SEED + i; its latent is saved beside it as "
                + "NAME-latent.npy and can be given back with --latent to make the same volume again (at another "
                + "size too). --interpolate walks from one saved latent to another.",
            "Writes DIR/sample-000.tif ... (or interp-000.tif ...), the latents, and DIR/generate.json."})
final class GenerateCommand implements Callable<Integer> {
    @ParentCommand
    MicroforgeCommand parent;

    @Option(names = "--model", paramLabel = "MODELDIR", required = true, description = "Trained model directory.")
    Path model;

    @Option(names = "--out", paramLabel = "DIR", required = true,
            description = "Folder to write into (created when its parent exists).")
    Path out;

    @Option(names = "--count", paramLabel = "N", description = "Number of volumes from random latents (default 1).")
    int count = 1;

    @Option(names = "--size", paramLabel = "NX[,NY,NZ]",
            description = "Output size in voxels (default 64, or the size a --latent or --interpolate latent gives). "
                    + "Any size; the generator's natural sizes (multiples of its size step) are cut to it.")
    String size;

    @Option(names = "--seed", paramLabel = "S", description = "Seed of the first volume's latent (default 1).")
    long seed = 1;

    @Option(names = "--periodic",
            description = "Make volumes that tile space (opposite faces continue each other); the size must then be "
                    + "a multiple of the generator's size step.")
    boolean periodic;

    @Option(names = "--fractions", paramLabel = "data|F0,F1[,F2]",
            description = "Cut every volume to these phase fractions (label order; 'data': those of the model's "
                    + "training data): the most probable phases after per-phase offsets of the generator's logits, "
                    + "chosen per volume. Default: the most probable phase of every voxel (fractions vary from "
                    + "volume to volume).")
    String fractions;

    @Option(names = "--latent", paramLabel = "FILE.npy", description = "Generate from this saved latent.")
    Path latent;

    @Option(names = "--interpolate", paramLabel = "LATENT.npy", arity = "2",
            description = "Two latents A B: generate the volumes along the path from A to B (both ends included).")
    List<Path> interpolate;

    @Option(names = "--steps", paramLabel = "N", description = "Volumes along an --interpolate path (default 8).")
    int steps = 8;

    @Option(names = "--method", paramLabel = "spherical|linear",
            description = "Interpolation between latents (default spherical, which keeps Gaussian latents' norm).")
    String method = "spherical";

    @Option(names = "--format", paramLabel = "tif|npy", description = "Volume file format (default tif).")
    String format = "tif";

    @Option(names = "--voxel-size", paramLabel = "UM|DX,DY,DZ", converter = VoxelSizeConverter.class,
            description = "Voxel size in micrometres to record in the volumes (default: unknown).")
    VoxelSize voxelSize;

    @Option(names = "--working-memory", paramLabel = "MIB",
            description = "Native memory one forward pass may use (default 1024); larger volumes are made in slabs.")
    long workingMiB = ModelSampling.Options.DEFAULT_WORKING_BYTES >> 20;

    @Option(names = "--force", description = "Overwrite existing volumes, latents and generate.json.")
    boolean force;

    @Option(names = "--json", description = "Print generate.json on stdout as well.")
    boolean json;

    @JsonInclude(JsonInclude.Include.NON_NULL)
    record VolumeJson(String file, String latent, Long seed, Double t, Map<String, Double> fractions) {
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    record GenerateJson(String model, String kind, List<String> phases, int[] size, boolean periodic,
            double[] targetFractions, String interpolation, int[] latentShape, List<VolumeJson> volumes,
            double seconds, double secondsPerVolume) {
    }

    @Override
    public Integer call() throws Exception {
        CliContext context = parent.context();
        String extension = checkOptions();
        Path dir = OutputFolders.createIfParentExists(out);
        String stem = interpolate != null ? "interp" : "sample";
        int n = interpolate != null ? steps : latent != null ? 1 : count;
        List<Path> volumeFiles = new ArrayList<>();
        List<Path> latentFiles = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            String name = String.format(Locale.ROOT, "%s-%03d", stem, i);
            volumeFiles.add(dir.resolve(name + "." + extension));
            latentFiles.add(dir.resolve(name + "-latent.npy"));
            AtomicFile.checkWritable(volumeFiles.get(i), force);
            AtomicFile.checkWritable(latentFiles.get(i), force);
        }
        Path manifest = dir.resolve("generate.json");
        AtomicFile.checkWritable(manifest, force);
        List<Latent> given = new ArrayList<>();
        if (latent != null) {
            given.add(Latent.read(latent));
        } else if (interpolate != null) {
            given.add(Latent.read(interpolate.get(0)));
            given.add(Latent.read(interpolate.get(1)));
        }
        try (LatentDecoder decoder = ModelKinds.open(model)) {
            ModelSampling.Options options = samplingOptions(decoder, given);
            List<Latent> latents = new ArrayList<>();
            double[] t = null;
            if (interpolate != null) {
                LatentInterpolation.Result path = LatentInterpolation.path(given.get(0), given.get(1),
                        new LatentInterpolation.Options(steps, LatentInterpolation.Method.parse(method)));
                latents.addAll(path.latents());
                t = path.t();
            } else if (latent != null) {
                latents.add(given.get(0));
            }
            List<VolumeJson> written = new ArrayList<>();
            double seconds = 0;
            String task = String.format(Locale.ROOT, "generating %d volume(s) of %d x %d x %d", n, options.nx(),
                    options.ny(), options.nz());
            int chunk = options.maxBatch();
            for (int start = 0; start < n; start += chunk) {
                int end = Math.min(n, start + chunk);
                List<Latent> group = new ArrayList<>();
                for (int i = start; i < end; i++) {
                    group.add(latents.isEmpty() ? ModelSampling.latent(decoder, options, seed + i) : latents.get(i));
                }
                int before = start;
                int size = end - start;
                ModelSampling.Result r = ModelSampling.generate(decoder, group, options, (done, total) ->
                        context.progress().progress(task, 1000L * before + 1000L * size * done / Math.max(1, total),
                                1000L * n));
                seconds += r.seconds();
                for (int i = start; i < end; i++) {
                    Volume v = r.volumes().get(i - start);
                    Volume out = voxelSize == null ? v : v.withVoxelSize(voxelSize);
                    VolumeIO.write(out, volumeFiles.get(i), VolumeIO.WriteOptions.defaults().withOverwrite(force));
                    group.get(i - start).write(latentFiles.get(i), force);
                    written.add(new VolumeJson(volumeFiles.get(i).toString(), latentFiles.get(i).toString(),
                            given.isEmpty() ? seed + i : null, t == null ? null : t[i],
                            GeneratedOutput.fractionsOf(v)));
                }
            }
            context.progress().progress(task, 1000L * n, 1000L * n);
            context.closeProgress();
            int[] latentShape = given.isEmpty() ? ModelSampling.latentSize(decoder, options)
                    : new int[] {given.get(0).nx(), given.get(0).ny(), given.get(0).nz()};
            GenerateJson summary = new GenerateJson(model.toString(), decoder.kind(), decoder.phaseLabels(),
                    new int[] {options.nx(), options.ny(), options.nz()}, periodic, options.fractions(),
                    interpolate == null ? null : LatentInterpolation.Method.parse(method).name().toLowerCase(
                            Locale.ROOT), latentShape, written, seconds, seconds / n);
            AtomicFile.write(manifest, force, o -> o.write(Json.toBytes(summary)));
            if (json) {
                Json.print(context.out(), summary);
            } else {
                for (VolumeJson v : written) {
                    StringBuilder f = new StringBuilder();
                    v.fractions().forEach((k, x) -> f.append(String.format(Locale.ROOT, " %s:%.3f", k, x)));
                    context.out().printf(Locale.ROOT, "wrote %s (labels%s) and %s%n", v.file(), f,
                            Path.of(v.latent()).getFileName());
                }
                context.out().printf(Locale.ROOT, "%d volume(s) of %d x %d x %d%s from the %s model in %.2f s "
                        + "(%.2f s each); wrote %s%n", n, options.nx(), options.ny(), options.nz(),
                        periodic ? " (periodic)" : "", decoder.kind(), seconds, seconds / n, manifest);
                context.out().flush();
            }
        }
        return Main.OK;
    }

    /** Checks the options that need no file; returns the volume file extension. */
    private String checkOptions() {
        if (latent != null && interpolate != null) {
            throw new IllegalArgumentException("--latent and --interpolate cannot be used together: --latent makes "
                    + "one volume from one latent, --interpolate a series between two");
        }
        if ((latent != null || interpolate != null) && count != 1) {
            throw new IllegalArgumentException("--count applies to random latents only; with --latent one volume is "
                    + "made, with --interpolate --steps volumes");
        }
        if (count < 1 || count > 100000) {
            throw new IllegalArgumentException("--count must be 1..100000, got " + count);
        }
        new LatentInterpolation.Options(steps, LatentInterpolation.Method.parse(method));
        if (workingMiB < 1) {
            throw new IllegalArgumentException("--working-memory must be at least 1 MiB, got " + workingMiB);
        }
        String f = format.toLowerCase(Locale.ROOT);
        if (!f.equals("tif") && !f.equals("npy")) {
            throw new IllegalArgumentException("--format must be tif or npy, got '" + format + "'");
        }
        if (size != null) {
            GeneratedOutput.parseSize(size);
        }
        if (fractions != null && !fractions.strip().equals("data")) {
            LevelCut.checkFractions(GeneratedOutput.parseFractions(fractions));
        }
        return f;
    }

    /** The size asked for, or the size of the given latent, or 64; the fractions asked for. */
    private ModelSampling.Options samplingOptions(LatentDecoder decoder, List<Latent> given) throws IOException {
        int[] d;
        if (size != null) {
            d = GeneratedOutput.parseSize(size);
        } else if (!given.isEmpty()) {
            int s = decoder.sizeStep();
            d = new int[] {given.get(0).nx() * s, given.get(0).ny() * s, given.get(0).nz() * s};
        } else {
            d = new int[] {64, 64, 64};
        }
        return ModelSampling.Options.defaults(d[0], d[1], d[2]).withPeriodic(periodic)
                .withWorkingBytes(workingMiB << 20).withFractions(targetFractions());
    }

    /** The --fractions values, those of the model's training data for 'data', or null. */
    private double[] targetFractions() throws IOException {
        if (fractions == null) {
            return null;
        }
        if (!fractions.strip().equals("data")) {
            return GeneratedOutput.parseFractions(fractions);
        }
        ModelDirectory.Summary summary = ModelDirectory.readSummary(model);
        if (summary.training() == null || summary.training().data() == null
                || summary.training().data().phaseFractions() == null
                || summary.training().data().phaseFractions().isEmpty()) {
            throw new IllegalArgumentException(model + "/model.json records no training-data fractions; give "
                    + "--fractions as numbers, e.g. 0.4,0.5,0.1");
        }
        return summary.training().data().phaseFractions().stream().mapToDouble(Double::doubleValue).toArray();
    }
}
