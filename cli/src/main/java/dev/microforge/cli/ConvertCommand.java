package dev.microforge.cli;

import dev.microforge.datasets.Volume;
import dev.microforge.datasets.VoxelSize;
import dev.microforge.datasets.io.AtomicFile;
import dev.microforge.datasets.io.LabelConversion;
import dev.microforge.datasets.io.RawCodec;
import dev.microforge.datasets.io.TiffCodec;
import dev.microforge.datasets.io.VolumeFormat;
import dev.microforge.datasets.io.VolumeIO;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/**
 * {@code microforge convert IN OUT}: reads any supported volume, optionally relabels, crops and sets the voxel size,
 * and writes it in the format OUT's extension names. A refused output (missing folder, existing file without
 * {@code --force}, unknown extension) is found before IN is read, and a failed write leaves nothing behind.
 */
@Command(name = "convert", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Convert a volume to another format (.tif, .npy, .raw + .json, .vtk), optionally relabelling "
                + "(--map, --otsu), cropping and setting the voxel size.")
final class ConvertCommand implements Callable<Integer> {
    @ParentCommand
    MicroforgeCommand parent;

    @Parameters(index = "0", paramLabel = "IN", description = "Volume to read (any supported format).")
    Path in;

    @Parameters(index = "1", paramLabel = "OUT", description = "Volume to write: .tif/.tiff, .npy, .raw or .vtk.")
    Path out;

    @Mixin
    LabelOptions labels;

    @Option(names = "--crop", paramLabel = "x0,y0,z0,sx,sy,sz", converter = CropBox.Converter.class,
            description = "Keep only the box with this origin and size (voxels).")
    CropBox crop;

    @Option(names = "--voxel-size", paramLabel = "UM|DX,DY,DZ", converter = VoxelSizeConverter.class,
            description = "Set the voxel size in micrometres: one edge (cubic) or dx,dy,dz.")
    VoxelSize voxelSize;

    @Option(names = "--force", description = "Overwrite OUT if it exists.")
    boolean force;

    @Option(names = "--compression", paramLabel = "deflate|none|packbits|lzw",
            description = "TIFF compression (default deflate).")
    TiffCodec.Compression compression;

    @Option(names = "--json", description = "Print a summary of what was written as JSON on stdout.")
    boolean json;

    /**
     * The JSON of {@code convert --json}.
     *
     * @param labels label value to voxel count of the written volume
     */
    record ConvertJson(String input, String output, String format, int nx, int ny, int nz, Map<String, Long> labels,
            Json.VoxelSizeJson voxelSize) {
    }

    @Override
    public Integer call() throws Exception {
        CliContext context = parent.context();
        LabelConversion conversion = labels.conversion();
        // Everything that can refuse the job is checked before the (possibly long) read.
        VolumeFormat.detect(in);
        VolumeFormat format = VolumeFormat.forOutput(out);
        if (compression != null && format != VolumeFormat.TIFF) {
            throw new IllegalArgumentException(out + ": --compression applies to TIFF output only, not ."
                    + format.extension() + "; drop it or name the output .tif");
        }
        AtomicFile.checkWritable(out, force);
        if (format == VolumeFormat.RAW) {
            AtomicFile.checkWritable(RawCodec.defaultSidecar(out), force);
        }

        ConsoleProgress progress = context.progress();
        Volume volume = VolumeIO.read(in, conversion, progress);
        if (crop != null) {
            volume = crop.apply(volume, in.toString());
        }
        if (voxelSize != null) {
            volume = volume.withVoxelSize(voxelSize);
        }
        VolumeIO.write(volume, out, new VolumeIO.WriteOptions(format, force, compression, progress));
        context.closeProgress();

        Map<String, Long> counts = new LinkedHashMap<>();
        volume.labelHistogram().forEach((label, count) -> counts.put(String.valueOf(label), count));
        ConvertJson result = new ConvertJson(in.toString(), out.toString(), InfoCommand.formatName(format),
                volume.nx(), volume.ny(), volume.nz(), counts, Json.VoxelSizeJson.of(volume.voxelSize()));
        if (json) {
            Json.print(context.out(), result);
        } else {
            context.out().printf(Locale.ROOT, "wrote %s (%s, %d x %d x %d, labels %s, voxel size %s)%n", out,
                    result.format(), volume.nx(), volume.ny(), volume.nz(), counts.keySet(),
                    HumanText.voxelSize(volume.voxelSize()));
            context.out().flush();
        }
        return Main.OK;
    }
}
