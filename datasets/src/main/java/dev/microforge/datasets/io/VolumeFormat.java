package dev.microforge.datasets.io;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * The file formats Microforge reads and writes, and their detection by content (magic bytes) rather than by
 * extension. Raw files have no magic number: a file is raw when a JSON sidecar lies beside it
 * ({@code name.json} or {@code name.raw.json}).
 */
public enum VolumeFormat {
    /** Multi-page TIFF or BigTIFF (read and write). */
    TIFF("tif"),
    /** NumPy {@code .npy} (read and write). */
    NPY("npy"),
    /** Headerless samples plus a JSON sidecar (read and write). */
    RAW("raw"),
    /** Legacy VTK structured points, binary (write for ParaView; read back our own files). */
    VTK("vtk"),
    /** A single 2D PNG image (read); PNG slices are written by {@link SliceImages}. */
    PNG("png"),
    /** A zip archive holding exactly one TIFF (read). */
    ZIP("zip"),
    /** A folder of 2D PNG or TIFF slices, one per z (read). */
    SLICE_FOLDER("");

    private final String extension;

    VolumeFormat(String extension) {
        this.extension = extension;
    }

    /** The usual file extension without the dot ({@code tif}, {@code npy}, ...). */
    public String extension() {
        return extension;
    }

    /**
     * Detects the format of {@code path} from its first bytes.
     *
     * @throws java.nio.file.NoSuchFileException when it does not exist
     * @throws VolumeFormatException when it is empty or of no known format (the message lists the formats)
     */
    public static VolumeFormat detect(Path path) throws IOException {
        if (!Files.exists(path)) {
            throw new java.nio.file.NoSuchFileException(path.toString(), null, "no such file or folder");
        }
        if (Files.isDirectory(path)) {
            return SLICE_FOLDER;
        }
        byte[] head = new byte[16];
        int n;
        try (InputStream in = Files.newInputStream(path)) {
            n = in.readNBytes(head, 0, head.length);
        }
        if (n == 0) {
            throw VolumeFormatException.of(path, "file is empty (0 bytes)");
        }
        if (n >= 4 && ((head[0] == 'I' && head[1] == 'I' && (head[2] == 42 || head[2] == 43) && head[3] == 0)
                || (head[0] == 'M' && head[1] == 'M' && head[2] == 0 && (head[3] == 42 || head[3] == 43)))) {
            return TIFF;
        }
        if (n >= 6 && (head[0] & 0xFF) == 0x93 && head[1] == 'N' && head[2] == 'U' && head[3] == 'M' && head[4] == 'P'
                && head[5] == 'Y') {
            return NPY;
        }
        if (n >= 4 && head[0] == 'P' && head[1] == 'K' && head[2] == 3 && head[3] == 4) {
            return ZIP;
        }
        if (n >= 8 && (head[0] & 0xFF) == 0x89 && head[1] == 'P' && head[2] == 'N' && head[3] == 'G') {
            return PNG;
        }
        if (n >= 14 && new String(head, 0, 14, java.nio.charset.StandardCharsets.US_ASCII).equals("# vtk DataFile")) {
            return VTK;
        }
        if (RawCodec.sidecarOf(path).isPresent()) {
            return RAW;
        }
        String name = path.getFileName().toString().toLowerCase(Locale.ROOT);
        if (name.endsWith(".raw") || name.endsWith(".bin") || name.endsWith(".dat")) {
            throw RawCodec.missingSidecar(path);
        }
        throw VolumeFormatException.of(path, "not a volume file this program reads (TIFF, .npy, raw + .json, VTK, "
                + "PNG, zip with one TIFF, or a folder of slices)");
    }

    /**
     * The output format named by {@code path}'s extension: {@code .tif/.tiff}, {@code .npy}, {@code .raw},
     * {@code .vtk}.
     *
     * @throws IllegalArgumentException naming the extension when it is none of those
     */
    public static VolumeFormat forOutput(Path path) {
        String name = path.getFileName().toString().toLowerCase(Locale.ROOT);
        if (name.endsWith(".tif") || name.endsWith(".tiff")) {
            return TIFF;
        } else if (name.endsWith(".npy")) {
            return NPY;
        } else if (name.endsWith(".raw")) {
            return RAW;
        } else if (name.endsWith(".vtk")) {
            return VTK;
        }
        throw new IllegalArgumentException("cannot tell the output format of '" + path.getFileName()
                + "': use the extension .tif, .npy, .raw (with a .json sidecar) or .vtk");
    }
}
