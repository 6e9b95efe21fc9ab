package dev.microforge.cli;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.microforge.datasets.io.Samples;
import dev.microforge.datasets.io.VolumeFormat;
import dev.microforge.datasets.io.VolumeIO;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** {@code microforge info VOLUME}: dimensions, sample type, labels and their voxel counts, voxel size. */
@Command(name = "info", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Show a volume's dimensions, sample type, format, label values with voxel counts and voxel "
                + "size. Greyscale or float files show their distinct values (up to 256) or their range.")
final class InfoCommand implements Callable<Integer> {
    @ParentCommand
    MicroforgeCommand parent;

    @Parameters(index = "0", paramLabel = "VOLUME",
            description = "TIFF stack, .npy, raw (+ .json sidecar), VTK, PNG, zip with one TIFF, or folder of slices.")
    Path volume;

    @Option(names = "--json", description = "Print the result as JSON on stdout.")
    boolean json;

    /**
     * The JSON of {@code info --json}; {@code path, nx, ny, nz, labels, voxelSize} are the stable contract.
     *
     * @param labels value to voxel count; null when there are more than 256 distinct values
     * @param voxelSize in micrometres, or null when the file does not say
     * @param labelled whether the values are labels 0..255 as they stand
     * @param valueRange [min, max] of the values, only when they are not labels
     * @param hint what to do with values that are not labels
     */
    record InfoJson(String path, int nx, int ny, int nz, Map<String, Long> labels, Json.VoxelSizeJson voxelSize,
            String dtype, String format, long voxels, boolean labelled,
            @JsonInclude(JsonInclude.Include.NON_NULL) List<Number> valueRange,
            @JsonInclude(JsonInclude.Include.NON_NULL) String hint) {
    }

    @Override
    public Integer call() throws Exception {
        CliContext context = parent.context();
        VolumeFormat format = VolumeFormat.detect(volume);
        Samples samples = VolumeIO.readSamples(volume, context.progress());
        context.closeProgress();
        String dtype = samples.type().numpyName();
        SampleHistogram histogram = SampleHistogram.of(samples, volume.toString());
        InfoJson info = new InfoJson(volume.toString(), samples.nx(), samples.ny(), samples.nz(), histogram.counts(),
                Json.VoxelSizeJson.of(samples.voxelSize()), dtype, formatName(format), samples.count(),
                histogram.labelled(), histogram.labelled() ? null : range(histogram, samples),
                histogram.hint(dtype));
        if (json) {
            Json.print(context.out(), info);
        } else {
            printText(context.out(), info, samples);
        }
        return Main.OK;
    }

    /** {@code tiff}, {@code npy}, ..., {@code slice-folder}. */
    static String formatName(VolumeFormat format) {
        return format.name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    private static List<Number> range(SampleHistogram h, Samples samples) {
        if (samples.type().integral()) {
            return List.of((long) h.min(), (long) h.max());
        }
        return List.of(h.min(), h.max());
    }

    private static void printText(PrintStream out, InfoJson info, Samples samples) {
        out.printf(Locale.ROOT, "file         %s%n", info.path());
        out.printf(Locale.ROOT, "format       %s%n", info.format());
        out.printf(Locale.ROOT, "dimensions   %d x %d x %d (nx x ny x nz, %,d voxels)%n", info.nx(), info.ny(),
                info.nz(), info.voxels());
        out.printf(Locale.ROOT, "sample type  %s%n", info.dtype());
        out.printf(Locale.ROOT, "voxel size   %s%n", HumanText.voxelSize(samples.voxelSize()));
        Map<String, Long> counts = info.labels();
        if (info.labelled()) {
            out.printf(Locale.ROOT, "labels       %d%n", counts.size());
        } else if (counts != null) {
            out.printf(Locale.ROOT, "values       %d distinct, %s..%s (not labels 0..255)%n", counts.size(),
                    info.valueRange().get(0), info.valueRange().get(1));
        } else {
            out.printf(Locale.ROOT, "values       %s..%s, more than %d distinct (not labels 0..255)%n",
                    info.valueRange().get(0), info.valueRange().get(1), SampleHistogram.MAX_DISTINCT);
        }
        if (counts != null) {
            int width = Math.max(5, counts.keySet().stream().mapToInt(String::length).max().orElse(5));
            out.printf(Locale.ROOT, "  %" + width + "s  %15s  %8s%n", info.labelled() ? "label" : "value",
                    "voxels", "fraction");
            for (Map.Entry<String, Long> e : counts.entrySet()) {
                out.printf(Locale.ROOT, "  %" + width + "s  %,15d  %7.3f%%%n", e.getKey(), e.getValue(),
                        100.0 * e.getValue() / info.voxels());
            }
        }
        if (info.hint() != null) {
            out.println("hint: " + info.hint());
        }
        out.flush();
    }
}
