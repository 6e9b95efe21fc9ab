package dev.microforge.cli;

import dev.microforge.datasets.Volume;
import dev.microforge.datasets.VoxelSize;
import dev.microforge.datasets.io.AtomicFile;
import dev.microforge.datasets.io.SliceImages;
import dev.microforge.datasets.io.VolumeFormat;
import dev.microforge.datasets.io.VolumeIO;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import picocli.CommandLine.Option;

/**
 * The options every generating command shares (DESIGN.md section 5: {@code --size}, {@code --voxel-size},
 * {@code --fractions}, {@code --seed}, {@code --out}, {@code --force}) plus {@code --plots} and {@code --json}, and
 * writing the result: the volume through a temporary file, and with {@code --plots} PNG slices.
 */
final class GeneratedOutput {
    @Option(names = "--size", paramLabel = "NX[,NY,NZ]", description = "Output size in voxels (default 64).")
    String size = "64";

    @Option(names = "--voxel-size", paramLabel = "UM", description = "Voxel edge in micrometres (default 1).")
    double voxelSizeUm = 1.0;

    @Option(names = "--fractions", paramLabel = "F0,F1[,F2]",
            description = "Target phase fractions in label order 0, 1, 2 (pore, active, CBD).")
    String fractions;

    @Option(names = "--seed", paramLabel = "S", description = "Random seed (default 1): same seed, same volume.")
    long seed = 1;

    @Option(names = "--out", paramLabel = "VOLUME", required = true,
            description = "Output volume: .tif (default format), .npy, .raw or .vtk.")
    Path out;

    @Option(names = "--force", description = "Overwrite an existing output.")
    boolean force;

    @Option(names = "--plots", paramLabel = "DIR", description = "Also write PNG slices (and curves) into DIR.")
    Path plots;

    @Option(names = "--json", description = "Print a summary as JSON on stdout.")
    boolean json;

    /** {@code NX} or {@code NX,NY,NZ}. */
    int[] dimensions() {
        return parseSize(size);
    }

    /**
     * Parses a {@code --size} value, {@code N} or {@code NX,NY,NZ} in voxels.
     *
     * @throws IllegalArgumentException for anything else or a size below 1
     */
    static int[] parseSize(String size) {
        String[] parts = size.split(",");
        try {
            if (parts.length == 1) {
                int n = Integer.parseInt(parts[0].trim());
                return check(new int[] {n, n, n}, size);
            }
            if (parts.length == 3) {
                return check(new int[] {Integer.parseInt(parts[0].trim()), Integer.parseInt(parts[1].trim()),
                    Integer.parseInt(parts[2].trim())}, size);
            }
        } catch (NumberFormatException e) {
            // message below
        }
        throw new IllegalArgumentException("--size must be N or NX,NY,NZ in voxels, got '" + size + "'");
    }

    private static int[] check(int[] d, String size) {
        for (int v : d) {
            if (v < 1) {
                throw new IllegalArgumentException("--size must be positive, got '" + size + "'");
            }
        }
        return d;
    }

    VoxelSize voxelSize() {
        return VoxelSize.isotropic(voxelSizeUm);
    }

    /** The fractions, or {@code fallback} when none were given. */
    double[] fractions(double[] fallback) {
        return fractions == null ? fallback : parseFractions(fractions);
    }

    /**
     * Parses a {@code --fractions} value, numbers separated by commas (their sum and range are checked where they
     * are used).
     *
     * @throws IllegalArgumentException for anything else
     */
    static double[] parseFractions(String fractions) {
        String[] parts = fractions.split(",");
        double[] f = new double[parts.length];
        try {
            for (int i = 0; i < parts.length; i++) {
                f[i] = Double.parseDouble(parts[i].trim());
            }
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--fractions must be numbers like 0.4,0.6 or 0.35,0.5,0.15, got '"
                    + fractions + "'");
        }
        return f;
    }

    /** Refuses, before any work, an output that could not be written. */
    void checkWritable() throws IOException {
        VolumeFormat.forOutput(out);
        AtomicFile.checkWritable(out, force);
        if (plots != null) {
            OutputFolders.requireExisting(plots, "plot folder");
        }
    }

    /** Writes the volume (and slice pictures); returns the files written. */
    List<String> write(Volume volume, CliContext context) throws IOException {
        VolumeIO.write(volume, out, VolumeIO.WriteOptions.defaults().withOverwrite(force)
                .withProgress(context.progress()));
        context.closeProgress();
        List<String> files = new ArrayList<>(List.of(out.toString()));
        if (plots != null) {
            String stem = out.getFileName().toString().replaceFirst("\\.[^.]+$", "");
            Path views = plots.resolve(stem + "-slices.png");
            SliceImages.writePng(SliceImages.renderOrthogonal(volume), views, force);
            files.add(views.toString());
        }
        return files;
    }

    /** Per-label fractions of {@code volume}, keyed by label value. */
    static Map<String, Double> fractionsOf(Volume volume) {
        Map<String, Double> m = new LinkedHashMap<>();
        volume.labelHistogram().forEach((k, v) -> m.put(String.valueOf(k), (double) v / volume.voxelCount()));
        return m;
    }

    /** One line per label: {@code label k: fraction}. */
    static String describe(Volume volume) {
        StringBuilder sb = new StringBuilder(String.format(Locale.ROOT, "%d x %d x %d voxels", volume.nx(),
                volume.ny(), volume.nz()));
        fractionsOf(volume).forEach((k, v) -> sb.append(String.format(Locale.ROOT, ", label %s: %.4f", k, v)));
        return sb.toString();
    }
}
