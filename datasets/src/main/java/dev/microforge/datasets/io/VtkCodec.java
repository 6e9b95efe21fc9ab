package dev.microforge.datasets.io;

import dev.microforge.datasets.Volume;
import dev.microforge.datasets.VoxelSize;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Locale;

/**
 * Legacy VTK "structured points" files (the {@code .vtk} format ParaView, VisIt and VTK read), binary flavour.
 *
 * <p>Writing produces, line by line (ASCII, {@code \n}):
 * <pre>
 * # vtk DataFile Version 3.0
 * Microforge labels 7 x 5 x 3, spacing in micrometres        (or "..., voxel size unknown (spacing 1)")
 * BINARY
 * DATASET STRUCTURED_POINTS
 * DIMENSIONS nx ny nz
 * ORIGIN 0 0 0
 * SPACING dx dy dz                                           (micrometres; 1 1 1 when unknown)
 * POINT_DATA nx*ny*nz
 * SCALARS labels unsigned_char 1
 * LOOKUP_TABLE default
 * </pre>
 * followed by one unsigned byte per voxel, x fastest ({@code x + nx * (y + ny * z)}, the {@link Volume} order) and a
 * final newline. Labels are stored as POINT_DATA, one value per grid point, as most tools write image data:
 * ParaView shows voxel {@code (x, y, z)} as the grid point at {@code (x dx, y dy, z dz)} and Threshold or Contour
 * work on the labels directly (CELL_DATA would need DIMENSIONS one larger than the voxel counts).
 *
 * <p>Reading accepts files of this shape: {@code BINARY}, {@code DATASET STRUCTURED_POINTS}, DIMENSIONS, optional
 * ORIGIN and SPACING (or ASPECT_RATIO), {@code POINT_DATA n} with {@code n = nx*ny*nz} (or {@code CELL_DATA n} over
 * the {@code (nx-1)(ny-1)(nz-1)} cells), and one {@code SCALARS name type 1} array of type {@code unsigned_char},
 * {@code char}, {@code unsigned_short}, {@code short}, {@code int} or {@code float}, big-endian as the VTK legacy
 * specification requires. ASCII files and other datasets are refused with a message saying how to re-save them. The
 * spacing is read as the voxel size in micrometres, except in files whose title says the voxel size is unknown.
 */
public final class VtkCodec {
    /** Title marker for a file whose voxel size is not known (its SPACING 1 1 1 is a placeholder). */
    static final String UNKNOWN_MARKER = "voxel size unknown";
    private static final int MAX_HEADER_BYTES = 1 << 16;

    private VtkCodec() {
    }

    /**
     * Writes {@code volume} as a binary legacy VTK structured-points file (see the class comment).
     */
    public static void write(Volume volume, OutputStream out, ProgressListener progress) throws IOException {
        ProgressListener p = progress == null ? ProgressListener.NONE : progress;
        VoxelSize v = volume.voxelSize();
        String title = String.format(Locale.ROOT, "Microforge labels %d x %d x %d, %s", volume.nx(), volume.ny(),
                volume.nz(), v.isKnown() ? "spacing in micrometres" : UNKNOWN_MARKER + " (spacing 1)");
        String spacing = v.isKnown() ? num(v.dx()) + " " + num(v.dy()) + " " + num(v.dz()) : "1 1 1";
        String header = "# vtk DataFile Version 3.0\n"
                + title + "\n"
                + "BINARY\n"
                + "DATASET STRUCTURED_POINTS\n"
                + "DIMENSIONS " + volume.nx() + " " + volume.ny() + " " + volume.nz() + "\n"
                + "ORIGIN 0 0 0\n"
                + "SPACING " + spacing + "\n"
                + "POINT_DATA " + volume.voxelCount() + "\n"
                + "SCALARS labels unsigned_char 1\n"
                + "LOOKUP_TABLE default\n";
        out.write(header.getBytes(StandardCharsets.US_ASCII));
        RawCodec.writeLabels(volume, out, p, "writing .vtk");
        out.write('\n');
    }

    private static String num(double d) {
        return d == Math.rint(d) && Math.abs(d) < 1e15 ? String.valueOf((long) d) : String.valueOf(d);
    }

    /**
     * Reads a binary legacy VTK structured-points file with one scalar array.
     *
     * @throws NoSuchFileException when the file does not exist
     * @throws VolumeFormatException (message starts with the file) for an ASCII file, another dataset type, a
     *     missing or inconsistent keyword, an unsupported scalar type, or data shorter than the header says
     */
    public static Samples read(Path file, ProgressListener progress) throws IOException {
        if (!Files.exists(file)) {
            throw new NoSuchFileException(file.toString(), null, "no such file");
        }
        long size = Files.size(file);
        HeaderReader r;
        try (InputStream in = Files.newInputStream(file)) {
            byte[] head = in.readNBytes(MAX_HEADER_BYTES);
            r = new HeaderReader(file, head);
        }
        String first = r.line("the '# vtk DataFile Version' line");
        if (!first.startsWith("# vtk DataFile Version")) {
            throw VolumeFormatException.of(file, "line 1 is '" + first + "', not '# vtk DataFile Version x.x'; not a "
                    + "legacy VTK file");
        }
        String title = r.line("the title line");
        String encoding = r.line("BINARY or ASCII").trim().toUpperCase(Locale.ROOT);
        if (encoding.equals("ASCII")) {
            throw VolumeFormatException.of(file, "ASCII VTK is not supported; save it as binary (ParaView: File > "
                    + "Save Data, 'Legacy VTK', File type Binary) or export a TIFF stack");
        }
        if (!encoding.equals("BINARY")) {
            throw VolumeFormatException.of(file, "line 3 must be BINARY or ASCII, got '" + encoding + "'");
        }
        String dataset = r.line("DATASET").trim();
        if (!dataset.toUpperCase(Locale.ROOT).equals("DATASET STRUCTURED_POINTS")) {
            throw VolumeFormatException.of(file, "'" + dataset + "' is not supported; only DATASET "
                    + "STRUCTURED_POINTS (a regular voxel grid) is read — resample to an image in ParaView first");
        }
        long[] dims = null;
        double[] spacing = null;
        long points = -1;
        boolean cells = false;
        String scalarType = null;
        while (true) {
            String line = r.line("SCALARS and LOOKUP_TABLE").trim();
            if (line.isEmpty()) {
                continue;
            }
            String[] t = line.split("\\s+");
            String key = t[0].toUpperCase(Locale.ROOT);
            switch (key) {
                case "DIMENSIONS":
                    dims = longs(file, line, t, 3);
                    break;
                case "SPACING":
                case "ASPECT_RATIO":
                    spacing = doubles(file, line, t);
                    break;
                case "ORIGIN":
                    doubles(file, line, t);
                    break;
                case "POINT_DATA":
                case "CELL_DATA":
                    points = longs(file, line, t, 1)[0];
                    cells = key.equals("CELL_DATA");
                    break;
                case "SCALARS":
                    if (t.length < 3) {
                        throw VolumeFormatException.of(file, "'" + line + "' needs SCALARS name type [components]");
                    }
                    scalarType = t[2].toLowerCase(Locale.ROOT);
                    if (t.length > 3 && !t[3].equals("1")) {
                        throw VolumeFormatException.of(file, "'" + line + "' has " + t[3] + " components per "
                                + "voxel; only 1 (a scalar label or grey value) is supported");
                    }
                    break;
                case "LOOKUP_TABLE":
                    break;
                case "FIELD":
                case "VECTORS":
                case "COLOR_SCALARS":
                case "NORMALS":
                case "TENSORS":
                case "TEXTURE_COORDINATES":
                    throw VolumeFormatException.of(file, "'" + line + "' before a SCALARS array is not supported; "
                            + "save a single scalar array (SCALARS name type 1) as structured points");
                default:
                    throw VolumeFormatException.of(file, "unknown keyword '" + t[0] + "' in the header line '"
                            + line + "'");
            }
            if (key.equals("LOOKUP_TABLE")) {
                if (scalarType == null) {
                    throw VolumeFormatException.of(file, "LOOKUP_TABLE before SCALARS; the header is malformed");
                }
                break;
            }
        }
        if (dims == null) {
            throw VolumeFormatException.of(file, "no DIMENSIONS line; structured points need 'DIMENSIONS nx ny nz'");
        }
        if (points < 0) {
            throw VolumeFormatException.of(file, "no POINT_DATA or CELL_DATA line before SCALARS");
        }
        long nx = cells ? Math.max(1, dims[0] - 1) : dims[0];
        long ny = cells ? Math.max(1, dims[1] - 1) : dims[1];
        long nz = cells ? Math.max(1, dims[2] - 1) : dims[2];
        if (nx < 1 || ny < 1 || nz < 1 || nx > Integer.MAX_VALUE || ny > Integer.MAX_VALUE || nz > Integer.MAX_VALUE) {
            throw VolumeFormatException.of(file, "DIMENSIONS " + dims[0] + " " + dims[1] + " " + dims[2]
                    + " are not positive sizes");
        }
        long count = nx * ny * nz;
        if (points != count) {
            throw VolumeFormatException.of(file, String.format(Locale.ROOT,
                    "%s %d does not match DIMENSIONS %d %d %d (%d %s); the header is inconsistent",
                    cells ? "CELL_DATA" : "POINT_DATA", points, dims[0], dims[1], dims[2], count,
                    cells ? "cells" : "points"));
        }
        SampleType type = scalarType(file, scalarType);
        long expected = count * type.bytes();
        long found = size - r.offset();
        if (found < expected) {
            throw VolumeFormatException.of(file, String.format(Locale.ROOT,
                    "truncated: expected %d data bytes (%d x %d x %d %s) after the header, found %d; the file was "
                            + "cut short", expected, nx, ny, nz, scalarType, found));
        }
        VoxelSize voxelSize = VoxelSize.UNKNOWN;
        if (spacing != null && !title.contains(UNKNOWN_MARKER)) {
            try {
                voxelSize = new VoxelSize(spacing[0], spacing[1], spacing[2]);
            } catch (IllegalArgumentException e) {
                throw VolumeFormatException.of(file, "SPACING " + spacing[0] + " " + spacing[1] + " " + spacing[2]
                        + " is not three positive lengths");
            }
        }
        return RawCodec.decode(file, new RawCodec.Layout((int) nx, (int) ny, (int) nz, type, ByteOrder.BIG_ENDIAN,
                false, r.offset()), voxelSize, progress);
    }

    private static SampleType scalarType(Path file, String t) throws VolumeFormatException {
        switch (t) {
            case "unsigned_char":
                return SampleType.UINT8;
            case "char":
                return SampleType.INT8;
            case "unsigned_short":
                return SampleType.UINT16;
            case "short":
                return SampleType.INT16;
            case "int":
                return SampleType.INT32;
            case "float":
                return SampleType.FLOAT32;
            default:
                throw VolumeFormatException.of(file, "unsupported SCALARS type '" + t + "'; supported: "
                        + "unsigned_char, char, unsigned_short, short, int, float");
        }
    }

    private static long[] longs(Path file, String line, String[] t, int n) throws VolumeFormatException {
        if (t.length != n + 1) {
            throw VolumeFormatException.of(file, "'" + line + "' needs " + n + " integer(s)");
        }
        long[] out = new long[n];
        try {
            for (int k = 0; k < n; k++) {
                out[k] = Long.parseLong(t[k + 1]);
            }
        } catch (NumberFormatException e) {
            throw VolumeFormatException.of(file, "'" + line + "' needs " + n + " integer(s)");
        }
        return out;
    }

    private static double[] doubles(Path file, String line, String[] t) throws VolumeFormatException {
        if (t.length != 4) {
            throw VolumeFormatException.of(file, "'" + line + "' needs three numbers");
        }
        try {
            return new double[] {Double.parseDouble(t[1]), Double.parseDouble(t[2]), Double.parseDouble(t[3])};
        } catch (NumberFormatException e) {
            throw VolumeFormatException.of(file, "'" + line + "' needs three numbers");
        }
    }

    /** Splits the ASCII header into lines, tracking the byte offset just after each line's newline. */
    private static final class HeaderReader {
        private final Path file;
        private final byte[] head;
        private int pos;
        private int lineNo;

        HeaderReader(Path file, byte[] head) {
            this.file = file;
            this.head = head;
        }

        String line(String expecting) throws VolumeFormatException {
            int start = pos;
            while (pos < head.length && head[pos] != '\n') {
                pos++;
            }
            if (pos >= head.length) {
                throw VolumeFormatException.of(file, "truncated header: the file ends (or the header exceeds "
                        + MAX_HEADER_BYTES + " bytes) before " + expecting + " at line " + (lineNo + 1));
            }
            int end = pos > start && head[pos - 1] == '\r' ? pos - 1 : pos;
            pos++;
            lineNo++;
            return new String(head, start, end - start, StandardCharsets.ISO_8859_1);
        }

        long offset() {
            return pos;
        }
    }
}
