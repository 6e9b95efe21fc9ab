package dev.microforge.cli;

import dev.microforge.datasets.Axis;
import dev.microforge.datasets.Volume;
import dev.microforge.datasets.io.AtomicFile;
import dev.microforge.datasets.io.LabelConversion;
import dev.microforge.datasets.io.SliceImages;
import dev.microforge.datasets.io.VolumeFormat;
import dev.microforge.datasets.io.VolumeIO;
import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/**
 * {@code microforge slice VOLUME --out PNG}: a picture of one slice, or of the three central orthogonal slices side
 * by side, in the fixed phase palette.
 */
@Command(name = "slice", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Write a PNG of one slice (--axis x|y|z, --index K) or of the three central orthogonal slices "
                + "side by side (--axis all, the default).")
final class SliceCommand implements Callable<Integer> {
    @ParentCommand
    MicroforgeCommand parent;

    @Parameters(index = "0", paramLabel = "VOLUME", description = "Volume to look at (any supported format).")
    Path volume;

    @Option(names = "--out", required = true, paramLabel = "PNG", description = "Picture to write (.png).")
    Path out;

    @Option(names = "--axis", paramLabel = "x|y|z|all", defaultValue = "all",
            description = "Slice normal to this axis, or all three central slices (default: ${DEFAULT-VALUE}).")
    String axis;

    @Option(names = "--index", paramLabel = "K",
            description = "Position of the slice along --axis (default: the middle).")
    Integer index;

    @Option(names = "--force", description = "Overwrite the PNG if it exists.")
    boolean force;

    @Mixin
    LabelOptions labels;

    @Option(names = "--json", description = "Print a summary of what was written as JSON on stdout.")
    boolean json;

    /**
     * The JSON of {@code slice --json}.
     *
     * @param axis {@code x}, {@code y}, {@code z} or {@code all}
     * @param index slice position, or null for {@code all} (central slices)
     */
    record SliceJson(String input, String output, String axis, Integer index, int width, int height) {
    }

    /** {@code x}, {@code y}, {@code z}, or null for {@code all}. */
    private static Axis parseAxis(String text) {
        if ("all".equalsIgnoreCase(text.trim())) {
            return null;
        }
        try {
            return Axis.parse(text);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("--axis must be x, y, z or all, got '" + text + "'", e);
        }
    }

    @Override
    public Integer call() throws Exception {
        CliContext context = parent.context();
        LabelConversion conversion = labels.conversion();
        Axis normal = parseAxis(axis);
        if (normal == null && index != null) {
            throw new IllegalArgumentException("--index " + index + " needs one axis: add --axis x, y or z");
        }
        VolumeFormat.detect(volume);
        if (!out.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".png")) {
            throw new IllegalArgumentException(out + ": slice writes PNG pictures; name the output .png");
        }
        AtomicFile.checkWritable(out, force);

        Volume v = VolumeIO.read(volume, conversion, context.progress());
        context.closeProgress();
        BufferedImage image;
        Integer k = null;
        if (normal == null) {
            image = SliceImages.renderOrthogonal(v);
        } else {
            int n = v.size(normal);
            k = index != null ? index : n / 2;
            if (k < 0 || k >= n) {
                throw new IllegalArgumentException(String.format(Locale.ROOT,
                        "%s: --index %d is outside 0..%d along %s (the volume is %d x %d x %d)", volume, k, n - 1,
                        normal.label(), v.nx(), v.ny(), v.nz()));
            }
            image = SliceImages.render(v, normal, k);
        }
        SliceImages.writePng(image, out, force);

        SliceJson result = new SliceJson(volume.toString(), out.toString(), normal == null ? "all" : normal.label(),
                k, image.getWidth(), image.getHeight());
        if (json) {
            Json.print(context.out(), result);
        } else {
            context.out().printf(Locale.ROOT, "wrote %s (%d x %d pixels, %s)%n", out, image.getWidth(),
                    image.getHeight(), normal == null ? "central x, y and z slices"
                            : "slice " + k + " normal to " + normal.label());
            context.out().flush();
        }
        return Main.OK;
    }
}
