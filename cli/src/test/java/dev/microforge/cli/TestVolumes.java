package dev.microforge.cli;

import dev.microforge.datasets.Volume;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;

/**
 * Small volumes built in the test, and NumPy {@code .npy} files written byte by byte (format 1.0: magic, header
 * dict padded to 64 bytes, C-order data), independently of the codec under test.
 */
final class TestVolumes {
    private TestVolumes() {
    }

    /** A non-cubic three-phase volume, labels 0/1/2, with prime sizes 7 x 5 x 3. */
    static Volume threePhase() {
        return Volume.generate(7, 5, 3, (x, y, z) -> (x + 2 * y + 3 * z) % 3);
    }

    /** Writes an 8-bit C-order {@code .npy} of shape {@code (nz, ny, nx)} holding {@code volume}'s labels. */
    static Path npyU8(Path file, Volume volume) throws IOException {
        return npy(file, "|u1", volume.nz(), volume.ny(), volume.nx(), volume.toArray());
    }

    /** Writes a little-endian uint16 C-order {@code .npy} of shape {@code (nz, ny, nx)}. */
    static Path npyU16(Path file, int nx, int ny, int nz, int[] values) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(values.length * 2).order(ByteOrder.LITTLE_ENDIAN);
        for (int v : values) {
            b.putShort((short) v);
        }
        return npy(file, "<u2", nz, ny, nx, b.array());
    }

    /** Writes a little-endian float32 C-order {@code .npy} of shape {@code (nz, ny, nx)}. */
    static Path npyF32(Path file, int nx, int ny, int nz, float[] values) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(values.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        for (float v : values) {
            b.putFloat(v);
        }
        return npy(file, "<f4", nz, ny, nx, b.array());
    }

    private static Path npy(Path file, String descr, int nz, int ny, int nx, byte[] data) throws IOException {
        StringBuilder header = new StringBuilder(String.format(Locale.ROOT,
                "{'descr': '%s', 'fortran_order': False, 'shape': (%d, %d, %d), }", descr, nz, ny, nx));
        while ((10 + header.length() + 1) % 64 != 0) {
            header.append(' ');
        }
        header.append('\n');
        byte[] h = header.toString().getBytes(StandardCharsets.US_ASCII);
        ByteBuffer out = ByteBuffer.allocate(10 + h.length + data.length).order(ByteOrder.LITTLE_ENDIAN);
        out.put((byte) 0x93).put("NUMPY".getBytes(StandardCharsets.US_ASCII)).put((byte) 1).put((byte) 0);
        out.putShort((short) h.length).put(h).put(data);
        Files.write(file, out.array());
        return file;
    }

    /** Names of everything in {@code dir}, hidden files included, recursively (relative paths). */
    static Set<String> listing(Path dir) throws IOException {
        try (Stream<Path> s = Files.walk(dir)) {
            Set<String> names = new TreeSet<>();
            s.filter(p -> !p.equals(dir)).forEach(p -> names.add(dir.relativize(p).toString()));
            return names;
        }
    }
}
