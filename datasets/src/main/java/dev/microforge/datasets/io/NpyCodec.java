package dev.microforge.datasets.io;

import dev.microforge.datasets.MemoryBudget;
import dev.microforge.datasets.FloatVolume;
import dev.microforge.datasets.Volume;
import dev.microforge.datasets.VoxelSize;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.NoSuchFileException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Reads and writes NumPy {@code .npy} files (format versions 1.0, 2.0 and 3.0, as specified in
 * {@code numpy.lib.format}).
 *
 * <p>Reading accepts the dtypes bool ({@code |b1}), uint8 ({@code |u1}), int8 ({@code |i1}), uint16, int16, int32
 * and float32 in either byte order ({@code <u2 >u2 <i2 >i2 <i4 >i4 <f4 >f4}), C or Fortran order, and shapes
 * {@code (ny, nx)} (a volume with {@code nz = 1}) or {@code (nz, ny, nx)}. A C-order array of shape
 * {@code (nz, ny, nx)} has exactly the {@link Volume} layout (index {@code x + nx * (y + ny * z)}); a Fortran-order
 * array holds the same logical array with the first axis fastest (z fastest, x slowest on disk) and is reordered
 * while reading. The header is checked strictly (magic, version, dict syntax, dtype, rank, positive dimensions) and
 * the data size must equal {@code prod(shape) * itemsize} exactly; every check happens before any sample array is
 * allocated, and the allocation itself is checked against the heap ({@link MemoryBudget}). Data is streamed in 4 MiB
 * chunks through a {@link FileChannel}.
 *
 * <p>Writing produces version 1.0, dtype {@code |u1}, C order, always the 3D shape {@code (nz, ny, nx)} (also when
 * {@code nz == 1}, so a round trip keeps the shape), with the header padded by spaces and a newline so that the data
 * starts at a multiple of 64 bytes.
 *
 * <p>Why not {@code org.jetbrains.bio:npy} 0.3.5: it refuses Fortran-order arrays and version 3.0 headers, returns
 * {@code u2} as signed shorts without telling the caller it was unsigned, silently zero-fills a truncated file, and
 * reads the whole file with no memory check before allocating, so this class parses the format itself.
 */
public final class NpyCodec {
    private static final byte[] MAGIC = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y'};
    private static final String SUPPORTED = "bool (|b1), uint8 (|u1), int8 (|i1), uint16 (<u2, >u2), "
            + "int16 (<i2, >i2), int32 (<i4, >i4), float32 (<f4, >f4)";
    private static final int MAX_HEADER_BYTES = 1 << 24;

    private NpyCodec() {
    }

    /**
     * The parsed header of a {@code .npy} file.
     *
     * @param major format major version (1, 2 or 3)
     * @param descr the dtype string, e.g. {@code <u2}
     * @param fortranOrder whether the data is in Fortran (first axis fastest) order
     * @param shape the array shape as written (2 or 3 positive entries once validated)
     * @param dataOffset byte offset of the first sample
     */
    public record Header(int major, String descr, boolean fortranOrder, long[] shape, long dataOffset) {
    }

    /**
     * Reads a {@code .npy} file into samples.
     *
     * @throws NoSuchFileException when the file does not exist
     * @throws VolumeFormatException (message starts with the file) for anything the format or this reader does not
     *     accept, saying what is wrong and how to fix it
     * @throws dev.microforge.datasets.VolumeTooLargeException when the array would not fit the heap
     */
    public static Samples read(Path file, ProgressListener progress) throws IOException {
        if (!Files.exists(file)) {
            throw new NoSuchFileException(file.toString(), null, "no such file");
        }
        Header h = readHeader(file);
        SampleType type = sampleType(file, h.descr());
        ByteOrder order = h.descr().charAt(0) == '>' ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN;
        long[] shape = h.shape();
        if (shape.length < 2 || shape.length > 3) {
            throw VolumeFormatException.of(file, "shape " + shapeText(shape) + " has " + shape.length
                    + " dimension(s); expected (ny, nx) for an image or (nz, ny, nx) for a volume — reshape before "
                    + "saving, e.g. np.save(path, arr.reshape(nz, ny, nx))");
        }
        long count = 1;
        for (long d : shape) {
            if (d < 1) {
                throw VolumeFormatException.of(file, "shape " + shapeText(shape) + " has a dimension < 1; a volume "
                        + "needs at least one voxel along each axis");
            }
            count = count > Long.MAX_VALUE / d ? Long.MAX_VALUE : count * d;
        }
        long expected = count > Long.MAX_VALUE / type.bytes() ? Long.MAX_VALUE : count * type.bytes();
        long found = Files.size(file) - h.dataOffset();
        if (found < expected) {
            throw VolumeFormatException.of(file, String.format(Locale.ROOT,
                    "truncated: expected %d data bytes, found %d (shape %s, dtype %s); the file was cut short — "
                            + "copy or save it again", expected, found, shapeText(shape), h.descr()));
        }
        if (found > expected) {
            throw VolumeFormatException.of(file, String.format(Locale.ROOT,
                    "header does not match the data: shape %s and dtype %s need %d data bytes but the file holds "
                            + "%d; save the array again with numpy.save", shapeText(shape), h.descr(), expected,
                    found));
        }
        MemoryBudget.require(count, type.bytes(), "the " + shapeText(shape) + " " + type.numpyName() + " array in "
                + file.getFileName());
        int nz = shape.length == 3 ? (int) shape[0] : 1;
        int ny = (int) shape[shape.length - 2];
        int nx = (int) shape[shape.length - 1];
        return RawCodec.decode(file, new RawCodec.Layout(nx, ny, nz, type, order, h.fortranOrder(), h.dataOffset()),
                VoxelSize.UNKNOWN, progress);
    }

    /**
     * Reads and validates the header (magic, version, dict) without checking dtype, shape or size.
     *
     * @throws VolumeFormatException for a bad magic, unsupported version, truncated or unparsable header
     */
    public static Header readHeader(Path file) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            long size = ch.size();
            ByteBuffer pre = ByteBuffer.allocate(12).order(ByteOrder.LITTLE_ENDIAN);
            while (pre.hasRemaining() && ch.read(pre) >= 0) {
                // fill up to 12 bytes or end of file
            }
            int n = pre.position();
            pre.flip();
            for (int i = 0; i < MAGIC.length; i++) {
                if (i >= n || pre.get(i) != MAGIC[i]) {
                    throw VolumeFormatException.of(file, "bad magic: a .npy file starts with \\x93NUMPY, this one "
                            + "starts with " + printable(pre, n) + "; it is not a NumPy .npy file (save with "
                            + "numpy.save)");
                }
            }
            if (n < 10) {
                throw VolumeFormatException.of(file, "truncated header: the file has only " + size
                        + " bytes, fewer than the 10-byte .npy preamble");
            }
            int major = pre.get(6) & 0xFF;
            int minor = pre.get(7) & 0xFF;
            long headerLen;
            long start;
            if (major == 1) {
                headerLen = pre.getShort(8) & 0xFFFF;
                start = 10;
            } else if (major == 2 || major == 3) {
                if (n < 12) {
                    throw VolumeFormatException.of(file, "truncated header: the file has only " + size
                            + " bytes, fewer than the 12-byte .npy " + major + ".0 preamble");
                }
                headerLen = pre.getInt(8) & 0xFFFFFFFFL;
                start = 12;
            } else {
                throw VolumeFormatException.of(file, "unsupported .npy format version " + major + "." + minor
                        + "; versions 1.0, 2.0 and 3.0 are read — save again with numpy.save");
            }
            if (start + headerLen > size) {
                throw VolumeFormatException.of(file, "truncated header: it claims " + headerLen + " bytes but the "
                        + "file ends after " + (size - start) + "; the file was cut short — copy or save it again");
            }
            if (headerLen > MAX_HEADER_BYTES) {
                throw VolumeFormatException.of(file, "header length " + headerLen + " bytes is implausible (> "
                        + MAX_HEADER_BYTES + "); the file is corrupt");
            }
            ByteBuffer hb = ByteBuffer.allocate((int) headerLen);
            ch.position(start);
            while (hb.hasRemaining() && ch.read(hb) >= 0) {
                // header is small: read it whole
            }
            String text = new String(hb.array(), major == 3 ? StandardCharsets.UTF_8 : StandardCharsets.ISO_8859_1);
            Map<String, Object> dict;
            try {
                dict = new DictParser(text).parse();
            } catch (IllegalArgumentException e) {
                throw VolumeFormatException.of(file, "header dict unparsable: " + e.getMessage() + " in "
                        + abbreviate(text.trim()) + "; save the array again with numpy.save");
            }
            Object descr = dict.get("descr");
            Object fortran = dict.get("fortran_order");
            Object shape = dict.get("shape");
            if (descr == null || fortran == null || shape == null) {
                throw VolumeFormatException.of(file, "header dict unparsable: it needs the keys 'descr', "
                        + "'fortran_order' and 'shape', found " + dict.keySet() + "; save the array again with "
                        + "numpy.save");
            }
            if (descr instanceof List) {
                throw VolumeFormatException.of(file, "unsupported dtype: structured (record) arrays " + abbreviate(
                        String.valueOf(descr)) + " are not volumes; supported: " + SUPPORTED);
            }
            if (!(descr instanceof String) || !(fortran instanceof Boolean) || !(shape instanceof long[])) {
                throw VolumeFormatException.of(file, "header dict unparsable: 'descr' must be a string, "
                        + "'fortran_order' True or False and 'shape' a tuple of integers, got " + abbreviate(
                                text.trim()));
            }
            return new Header(major, (String) descr, (Boolean) fortran, (long[]) shape, start + headerLen);
        }
    }

    private static SampleType sampleType(Path file, String descr) throws VolumeFormatException {
        String d = descr.trim();
        if (d.startsWith("|O") || d.startsWith("<O") || d.startsWith(">O") || d.equals("O")) {
            throw VolumeFormatException.of(file, "object arrays (dtype '" + descr + "') hold Python objects, not "
                    + "numbers, and cannot be read; save a numeric array, e.g. np.save(path, arr.astype(np.uint8))");
        }
        switch (d) {
            case "|b1": case "b1": case "?": case "|?":
                return SampleType.BOOL;
            case "|u1": case "u1": case "<u1": case ">u1":
                return SampleType.UINT8;
            case "|i1": case "i1": case "<i1": case ">i1":
                return SampleType.INT8;
            case "<u2": case ">u2":
                return SampleType.UINT16;
            case "<i2": case ">i2":
                return SampleType.INT16;
            case "<i4": case ">i4":
                return SampleType.INT32;
            case "<f4": case ">f4":
                return SampleType.FLOAT32;
            default:
                String hint = d.length() > 1 && d.charAt(d.length() - 1) == '8' && (d.contains("f")
                        || d.contains("i") || d.contains("u"))
                        ? " (convert 8-byte data with arr.astype(np.float32) or arr.astype(np.int32))"
                        : " (convert with arr.astype(np.uint8) or another supported type)";
                throw VolumeFormatException.of(file, "unsupported dtype '" + descr + "'; supported: " + SUPPORTED
                        + hint);
        }
    }

    /**
     * Writes {@code volume} as a version 1.0 {@code .npy}: dtype {@code |u1}, C order, shape {@code (nz, ny, nx)}.
     * One progress call per group of z-slabs.
     */
    public static void write(Volume volume, OutputStream out, ProgressListener progress) throws IOException {
        ProgressListener p = progress == null ? ProgressListener.NONE : progress;
        out.write(header(volume.nx(), volume.ny(), volume.nz()));
        RawCodec.writeLabels(volume, out, p, "writing .npy");
    }

    /**
     * Writes a float field as a version 1.0 {@code .npy}: dtype {@code <f4}, C order, shape {@code (nz, ny, nx)}.
     */
    public static void writeFloat(FloatVolume field, OutputStream out) throws IOException {
        out.write(header("<f4", field.nx(), field.ny(), field.nz()));
        byte[] buffer = new byte[4 * 65536];
        java.nio.ByteBuffer bb = java.nio.ByteBuffer.wrap(buffer).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        long n = field.voxelCount();
        for (long start = 0; start < n; start += 65536) {
            int count = (int) Math.min(65536, n - start);
            bb.clear();
            for (int k = 0; k < count; k++) {
                bb.putFloat(field.get((int) (start + k)));
            }
            out.write(buffer, 0, 4 * count);
        }
    }

    /**
     * A float32 array of any rank, as NumPy holds it: the shape and the values in C order (last axis fastest). Used
     * for arrays that are not volumes, e.g. a generative model's latent {@code (channels, nz, ny, nx)}.
     *
     * @param shape the dimensions, each at least 1
     * @param values {@code prod(shape)} values, C order
     */
    public record FloatArray(long[] shape, float[] values) {
        public FloatArray {
            long n = 1;
            for (long d : shape) {
                if (d < 1) {
                    throw new IllegalArgumentException("array dimensions must be at least 1, got "
                            + shapeText(shape));
                }
                n *= d;
            }
            if (n != values.length) {
                throw new IllegalArgumentException("shape " + shapeText(shape) + " needs " + n + " values, got "
                        + values.length);
            }
        }
    }

    /**
     * Reads a float array of any rank: dtype float32 ({@code <f4}, {@code >f4}) or float64 ({@code <f8},
     * {@code >f8}, rounded to float32), C order.
     *
     * @throws NoSuchFileException when the file does not exist
     * @throws VolumeFormatException for another dtype, Fortran order, a size that does not match the header
     */
    public static FloatArray readFloatArray(Path file) throws IOException {
        if (!Files.exists(file)) {
            throw new NoSuchFileException(file.toString(), null, "no such file");
        }
        Header h = readHeader(file);
        String d = h.descr().trim();
        int item;
        if (d.equals("<f4") || d.equals(">f4")) {
            item = 4;
        } else if (d.equals("<f8") || d.equals(">f8")) {
            item = 8;
        } else {
            throw VolumeFormatException.of(file, "dtype '" + h.descr() + "' is not a float array; expected float32 "
                    + "(<f4) or float64 (<f8), e.g. np.save(path, z.astype(np.float32))");
        }
        if (h.fortranOrder()) {
            throw VolumeFormatException.of(file, "Fortran-order arrays are not read here; save a C-order copy with "
                    + "np.save(path, np.ascontiguousarray(z))");
        }
        long count = 1;
        for (long dim : h.shape()) {
            if (dim < 1) {
                throw VolumeFormatException.of(file, "shape " + shapeText(h.shape()) + " has a dimension < 1");
            }
            count = count > MemoryBudget.MAX_ARRAY_LENGTH ? count : count * dim;
        }
        long found = Files.size(file) - h.dataOffset();
        if (count > MemoryBudget.MAX_ARRAY_LENGTH || found != count * item) {
            throw VolumeFormatException.of(file, String.format(Locale.ROOT, "shape %s and dtype %s need %d data "
                    + "bytes but the file holds %d; save the array again with numpy.save", shapeText(h.shape()),
                    h.descr(), count * item, found));
        }
        MemoryBudget.require(count, 4, "the " + shapeText(h.shape()) + " float array in " + file.getFileName());
        ByteBuffer data = ByteBuffer.allocate((int) (count * item));
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            ch.position(h.dataOffset());
            while (data.hasRemaining() && ch.read(data) >= 0) {
                // small arrays: read whole
            }
        }
        data.flip().order(d.charAt(0) == '>' ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN);
        float[] values = new float[(int) count];
        for (int i = 0; i < values.length; i++) {
            values[i] = item == 4 ? data.getFloat() : (float) data.getDouble();
        }
        return new FloatArray(h.shape().clone(), values);
    }

    /** Writes a float array of any rank as a version 1.0 {@code .npy}: dtype {@code <f4}, C order. */
    public static void writeFloatArray(FloatArray array, OutputStream out) throws IOException {
        out.write(header("<f4", array.shape()));
        float[] v = array.values();
        byte[] buffer = new byte[4 * 65536];
        ByteBuffer bb = ByteBuffer.wrap(buffer).order(ByteOrder.LITTLE_ENDIAN);
        for (int start = 0; start < v.length; start += 65536) {
            int count = Math.min(65536, v.length - start);
            bb.clear();
            for (int k = 0; k < count; k++) {
                bb.putFloat(v[start + k]);
            }
            out.write(buffer, 0, 4 * count);
        }
    }

    /** The complete version 1.0 preamble and header for a {@code |u1} C-order {@code (nz, ny, nx)} array. */
    static byte[] header(int nx, int ny, int nz) {
        return header("|u1", nx, ny, nz);
    }

    /** The complete version 1.0 preamble and header for a C-order {@code (nz, ny, nx)} array of {@code descr}. */
    static byte[] header(String descr, int nx, int ny, int nz) {
        return header(descr, new long[] {nz, ny, nx});
    }

    /** The complete version 1.0 preamble and header for a C-order array of {@code descr} and {@code shape}. */
    static byte[] header(String descr, long[] shape) {
        String dict = "{'descr': '" + descr + "', 'fortran_order': False, 'shape': " + shapeText(shape) + ", }";
        int unpadded = 10 + dict.length() + 1; // preamble + dict + '\n'
        int total = (unpadded + 63) / 64 * 64;
        StringBuilder h = new StringBuilder(dict);
        while (10 + h.length() + 1 < total) {
            h.append(' ');
        }
        h.append('\n');
        byte[] text = h.toString().getBytes(StandardCharsets.ISO_8859_1);
        byte[] out = new byte[10 + text.length];
        System.arraycopy(MAGIC, 0, out, 0, MAGIC.length);
        out[6] = 1;
        out[7] = 0;
        out[8] = (byte) (text.length & 0xFF);
        out[9] = (byte) (text.length >>> 8);
        System.arraycopy(text, 0, out, 10, text.length);
        return out;
    }

    private static String shapeText(long[] shape) {
        StringBuilder b = new StringBuilder("(");
        for (int i = 0; i < shape.length; i++) {
            b.append(i == 0 ? "" : ", ").append(shape[i]);
        }
        return b.append(shape.length == 1 ? ",)" : ")").toString();
    }

    private static String printable(ByteBuffer b, int n) {
        StringBuilder s = new StringBuilder();
        for (int i = 0; i < Math.min(n, 6); i++) {
            int c = b.get(i) & 0xFF;
            s.append(c >= 32 && c < 127 ? String.valueOf((char) c) : String.format("\\x%02x", c));
        }
        return n == 0 ? "nothing (empty file)" : "'" + s + "'";
    }

    private static String abbreviate(String s) {
        return s.length() > 120 ? s.substring(0, 117) + "..." : s;
    }

    /**
     * Parses the Python literal dict of a {@code .npy} header: string keys; values that are strings, True/False,
     * integers, tuples of integers ({@code long[]}) or lists (structured dtypes, returned as {@code List}).
     */
    private static final class DictParser {
        private final String s;
        private int i;

        DictParser(String s) {
            this.s = s;
        }

        Map<String, Object> parse() {
            Map<String, Object> out = new LinkedHashMap<>();
            skip();
            expect('{');
            skip();
            while (peek() != '}') {
                Object key = value();
                if (!(key instanceof String)) {
                    throw error("dict key must be a string");
                }
                skip();
                expect(':');
                out.put((String) key, value());
                skip();
                if (peek() == ',') {
                    i++;
                    skip();
                } else if (peek() != '}') {
                    throw error("expected ',' or '}'");
                }
            }
            i++;
            skip();
            if (i < s.length()) {
                throw error("text after the closing '}'");
            }
            return out;
        }

        private Object value() {
            skip();
            char c = peek();
            if (c == '\'' || c == '"') {
                int end = s.indexOf(c, i + 1);
                if (end < 0) {
                    throw error("unterminated string");
                }
                String v = s.substring(i + 1, end);
                i = end + 1;
                return v;
            }
            if (c == '(') {
                i++;
                List<Long> items = new ArrayList<>();
                skip();
                while (peek() != ')') {
                    Object v = value();
                    if (!(v instanceof Long)) {
                        throw error("shape entries must be integers");
                    }
                    items.add((Long) v);
                    skip();
                    if (peek() == ',') {
                        i++;
                        skip();
                    } else if (peek() != ')') {
                        throw error("expected ',' or ')'");
                    }
                }
                i++;
                long[] arr = new long[items.size()];
                for (int k = 0; k < arr.length; k++) {
                    arr[k] = items.get(k);
                }
                return arr;
            }
            if (c == '[') {
                i++;
                List<Object> items = new ArrayList<>();
                skip();
                while (peek() != ']') {
                    items.add(value());
                    skip();
                    if (peek() == ',') {
                        i++;
                        skip();
                    } else if (peek() != ']') {
                        throw error("expected ',' or ']'");
                    }
                }
                i++;
                return items;
            }
            if (s.startsWith("True", i)) {
                i += 4;
                return Boolean.TRUE;
            }
            if (s.startsWith("False", i)) {
                i += 5;
                return Boolean.FALSE;
            }
            int start = i;
            if (c == '-' || c == '+') {
                i++;
            }
            while (i < s.length() && Character.isDigit(s.charAt(i))) {
                i++;
            }
            if (i < s.length() && (s.charAt(i) == 'L')) {
                i++; // Python 2 long suffix
            }
            String num = s.substring(start, i).replace("L", "");
            if (num.isEmpty() || num.equals("-") || num.equals("+")) {
                throw error("unexpected character '" + c + "'");
            }
            try {
                return Long.parseLong(num);
            } catch (NumberFormatException e) {
                throw error("integer " + num + " out of range");
            }
        }

        private void skip() {
            while (i < s.length() && Character.isWhitespace(s.charAt(i))) {
                i++;
            }
        }

        private char peek() {
            if (i >= s.length()) {
                throw error("unexpected end of header");
            }
            return s.charAt(i);
        }

        private void expect(char c) {
            if (peek() != c) {
                throw error("expected '" + c + "'");
            }
            i++;
        }

        private IllegalArgumentException error(String what) {
            return new IllegalArgumentException(what + " at character " + i);
        }
    }
}
