package dev.microforge.datasets.io;

import dev.microforge.datasets.FloatVolume;
import dev.microforge.datasets.Volume;
import dev.microforge.datasets.VolumeTooLargeException;
import java.io.IOException;
import java.nio.file.Path;

/**
 * Reads and writes volumes in every supported format; the one entry point the rest of the program uses.
 *
 * <p>Reading detects the format by content ({@link VolumeFormat#detect}), decodes {@link Samples} and turns them
 * into labels with a {@link LabelConversion}. Writing picks the format from the extension (or
 * {@link WriteOptions#format}) and always goes through a temporary file renamed at the end ({@link AtomicFile}), so
 * a failure leaves no partial output.
 *
 * <p>Failures: {@link java.nio.file.NoSuchFileException} for a missing input or output folder,
 * {@link java.nio.file.FileAlreadyExistsException} for an existing output without overwrite,
 * {@link VolumeFormatException} for content that cannot be read, and
 * {@link dev.microforge.datasets.VolumeTooLargeException} (an {@link IllegalArgumentException}) for a volume that
 * does not fit the heap, raised before allocating.
 */
public final class VolumeIO {
    private VolumeIO() {
    }

    /**
     * Options of a write.
     *
     * @param format output format, or null to take it from the file extension
     * @param overwrite replace an existing file (the CLI's {@code --force})
     * @param compression TIFF compression (ignored by other formats)
     * @param progress receives one call per page or chunk
     */
    public record WriteOptions(VolumeFormat format, boolean overwrite, TiffCodec.Compression compression,
            ProgressListener progress) {
        public WriteOptions {
            if (format == VolumeFormat.PNG || format == VolumeFormat.ZIP || format == VolumeFormat.SLICE_FOLDER) {
                throw new IllegalArgumentException("cannot write volumes as " + format
                        + "; write .tif, .npy, .raw or .vtk (PNG slices: microforge slice)");
            }
            compression = compression == null ? TiffCodec.Compression.DEFLATE : compression;
            progress = progress == null ? ProgressListener.NONE : progress;
        }

        /** Format from the extension, no overwrite, Deflate TIFF, no progress. */
        public static WriteOptions defaults() {
            return new WriteOptions(null, false, TiffCodec.Compression.DEFLATE, ProgressListener.NONE);
        }

        public WriteOptions withOverwrite(boolean value) {
            return new WriteOptions(format, value, compression, progress);
        }

        public WriteOptions withProgress(ProgressListener value) {
            return new WriteOptions(format, overwrite, compression, value);
        }

        public WriteOptions withFormat(VolumeFormat value) {
            return new WriteOptions(value, overwrite, compression, progress);
        }

        public WriteOptions withCompression(TiffCodec.Compression value) {
            return new WriteOptions(format, overwrite, value, progress);
        }
    }

    /** Reads a labelled volume whose sample values are the labels. */
    public static Volume read(Path path) throws IOException {
        return read(path, LabelConversion.direct(), ProgressListener.NONE);
    }

    /** Reads a volume and converts its samples to labels with {@code conversion}. */
    public static Volume read(Path path, LabelConversion conversion, ProgressListener progress) throws IOException {
        Samples samples = readSamples(path, progress);
        return conversion.apply(samples, path.toString());
    }

    /**
     * Decodes the samples of any supported file without converting them to labels (for {@code info} and for
     * greyscale data).
     */
    public static Samples readSamples(Path path, ProgressListener progress) throws IOException {
        ProgressListener p = progress == null ? ProgressListener.NONE : progress;
        VolumeFormat format = VolumeFormat.detect(path);
        try {
            return decode(path, format, p);
        } catch (VolumeTooLargeException e) {
            // A size declared by a file is a property of the file: report it as an unreadable file, same exit code.
            throw new VolumeFormatException(path + ": " + e.getMessage(), e);
        }
    }

    private static Samples decode(Path path, VolumeFormat format, ProgressListener p) throws IOException {
        switch (format) {
            case TIFF:
                return TiffCodec.read(path, p);
            case NPY:
                return NpyCodec.read(path, p);
            case RAW:
                return RawCodec.read(path, p);
            case VTK:
                return VtkCodec.read(path, p);
            case ZIP:
                return ZippedTiff.read(path, p);
            case PNG:
                return ImageSlices.readImage(path);
            default:
                return ImageSlices.readFolder(path, p);
        }
    }

    /**
     * Writes a float field (potentials, fluxes, probabilities) as {@code .npy} ({@code <f4}, shape
     * {@code (nz, ny, nx)}), through a temporary file.
     *
     * @throws IllegalArgumentException when the extension is not {@code .npy}
     */
    public static void writeFloat(FloatVolume field, Path path, boolean overwrite) throws IOException {
        if (!path.getFileName().toString().toLowerCase(java.util.Locale.ROOT).endsWith(".npy")) {
            throw new IllegalArgumentException("float fields are written as .npy (float32); got '"
                    + path.getFileName() + "'");
        }
        AtomicFile.write(path, overwrite, out -> NpyCodec.writeFloat(field, out));
    }

    /** Writes {@code volume} to {@code path} in the format its extension names. */
    public static void write(Volume volume, Path path, WriteOptions options) throws IOException {
        WriteOptions o = options == null ? WriteOptions.defaults() : options;
        VolumeFormat format = o.format() != null ? o.format() : VolumeFormat.forOutput(path);
        switch (format) {
            case TIFF:
                AtomicFile.writeVia(path, o.overwrite(), tmp -> TiffCodec.write(volume, tmp, o.compression(),
                        "writing " + path.getFileName(), o.progress()));
                break;
            case NPY:
                AtomicFile.write(path, o.overwrite(), out -> NpyCodec.write(volume, out, o.progress()));
                break;
            case RAW:
                RawCodec.write(volume, path, o.overwrite(), o.progress());
                break;
            case VTK:
                AtomicFile.write(path, o.overwrite(), out -> VtkCodec.write(volume, out, o.progress()));
                break;
            default:
                throw new IllegalArgumentException("cannot write volumes as " + format);
        }
    }
}
