package dev.microforge.datasets.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.microforge.datasets.Volume;
import dev.microforge.datasets.VoxelSize;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Legacy VTK structured points: exact header, round trips, big-endian scalar types, refusals. */
class VtkCodecTest {
    @TempDir
    Path tmp;

    @Test
    void writesTheExactHeaderThenTheLabelsXFastest() throws IOException {
        // Given a 7 x 5 x 3 volume with a known voxel size
        Volume v = NpyCodecTest.randomVolume(7, 5, 3, 3, 9).withVoxelSize(new VoxelSize(0.4, 0.4, 0.5));

        // When written
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        VtkCodec.write(v, out, ProgressListener.NONE);
        byte[] b = out.toByteArray();

        // Then the header is the legacy structured-points header and the data is the 105 labels plus a newline
        String expected = "# vtk DataFile Version 3.0\n"
                + "Microforge labels 7 x 5 x 3, spacing in micrometres\n"
                + "BINARY\n"
                + "DATASET STRUCTURED_POINTS\n"
                + "DIMENSIONS 7 5 3\n"
                + "ORIGIN 0 0 0\n"
                + "SPACING 0.4 0.4 0.5\n"
                + "POINT_DATA 105\n"
                + "SCALARS labels unsigned_char 1\n"
                + "LOOKUP_TABLE default\n";
        assertEquals(expected, new String(b, 0, expected.length(), StandardCharsets.US_ASCII));
        assertEquals(expected.length() + 105 + 1, b.length);
        assertArrayEquals(v.toArray(), Arrays.copyOfRange(b, expected.length(), expected.length() + 105));
    }

    @Test
    void unknownVoxelSizeWritesSpacingOneAndReadsBackUnknown() throws IOException {
        // Given a volume of unknown voxel size
        Volume v = NpyCodecTest.randomVolume(3, 2, 5, 2, 1);
        Path file = tmp.resolve("u.vtk");

        // When written and read
        VolumeIO.write(v, file, VolumeIO.WriteOptions.defaults());
        String text = new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1);
        Samples s = VtkCodec.read(file, null);

        // Then the file says SPACING 1 1 1, and the reader does not take it as 1 um
        assertTrue(text.contains("\nSPACING 1 1 1\n"), text);
        assertTrue(text.contains("voxel size unknown"), text);
        assertFalse(s.voxelSize().isKnown());
    }

    @Test
    void roundTripsWithPrimeSizesThroughVolumeIo() throws IOException {
        // Given a 7 x 5 x 3 volume of random labels 0..255
        Volume v = NpyCodecTest.randomVolume(7, 5, 3, 256, 77).withVoxelSize(new VoxelSize(0.25, 0.5, 1.75));
        Path file = tmp.resolve("v.vtk");

        // When written and read back through the facade (detected by content)
        VolumeIO.write(v, file, VolumeIO.WriteOptions.defaults());
        assertEquals(VolumeFormat.VTK, VolumeFormat.detect(file));
        Volume back = VolumeIO.read(file);

        // Then labels and voxel size are identical
        assertEquals(Optional.empty(), v.firstDifference(back));
        assertEquals(new VoxelSize(0.25, 0.5, 1.75), back.voxelSize());
    }

    @Test
    void readsBigEndianShortFloatAndIntScalarsAndCellData() throws IOException {
        // Given 3 x 2 x 2 files of big-endian short, float and int holding x + 10y + 100z + offset
        for (String type : new String[] {"short", "unsigned_short", "int", "float"}) {
            ByteBuffer data = ByteBuffer.allocate(12 * 4).order(ByteOrder.BIG_ENDIAN);
            for (int i = 0; i < 12; i++) {
                int value = pattern(i) - (type.equals("short") ? 200 : 0) + (type.equals("unsigned_short") ? 40000 : 0);
                switch (type) {
                    case "float": data.putFloat(value + 0.5f); break;
                    case "int": data.putInt(value); break;
                    default: data.putShort((short) value); break;
                }
            }
            int item = type.equals("float") || type.equals("int") ? 4 : 2;
            Path file = tmp.resolve(type + ".vtk");
            Files.write(file, NpyCodecTest.concat(("# vtk DataFile Version 2.0\r\nfrom elsewhere\r\nBINARY\r\n"
                    + "DATASET STRUCTURED_POINTS\r\nDIMENSIONS 3 2 2\r\nSPACING 2 2 2\r\nORIGIN 1 1 1\r\n"
                    + "POINT_DATA 12\r\nSCALARS grey " + type + "\r\nLOOKUP_TABLE default\r\n")
                    .getBytes(StandardCharsets.US_ASCII), Arrays.copyOf(data.array(), 12 * item)));

            // When read
            Samples s = VtkCodec.read(file, ProgressListener.NONE);

            // Then the values are decoded big-endian in x-fastest order, spacing read as micrometres
            assertEquals(3, s.nx(), type);
            assertEquals(2, s.ny(), type);
            assertEquals(2, s.nz(), type);
            assertEquals(VoxelSize.isotropic(2), s.voxelSize());
            for (int i = 0; i < 12; i++) {
                double expected = pattern(i) - (type.equals("short") ? 200 : 0)
                        + (type.equals("unsigned_short") ? 40000 : 0) + (type.equals("float") ? 0.5 : 0);
                assertEquals(expected, s.value(i), type + " sample " + i);
            }
        }
        // And CELL_DATA over DIMENSIONS 4 3 3 is a 3 x 2 x 2 volume
        Path cells = tmp.resolve("cells.vtk");
        byte[] labels = new byte[12];
        for (int i = 0; i < 12; i++) {
            labels[i] = (byte) pattern(i);
        }
        Files.write(cells, NpyCodecTest.concat(("# vtk DataFile Version 3.0\nc\nBINARY\nDATASET STRUCTURED_POINTS\n"
                + "DIMENSIONS 4 3 3\nCELL_DATA 12\nSCALARS l unsigned_char 1\nLOOKUP_TABLE default\n")
                .getBytes(StandardCharsets.US_ASCII), labels));
        Volume v = VolumeIO.read(cells);
        assertEquals(3, v.nx());
        assertEquals(112, v.get(2, 1, 1));
        assertFalse(v.voxelSize().isKnown());
    }

    /** x + 10y + 100z at index i of a 3 x 2 x 2 volume. */
    private static int pattern(int i) {
        return i % 3 + 10 * ((i / 3) % 2) + 100 * (i / 6);
    }

    @Test
    void writeRefusesAnExistingFile() throws IOException {
        Path file = tmp.resolve("x.vtk");
        Files.writeString(file, "old");
        assertThrows(FileAlreadyExistsException.class,
                () -> VolumeIO.write(Volume.filled(1, 1, 1, 0), file, VolumeIO.WriteOptions.defaults()));
        assertEquals("old", Files.readString(file));
    }

    /** File text (header + data) and the fact its error must state. */
    record BadVtk(String name, byte[] content, String fact) {
        @Override
        public String toString() {
            return name;
        }
    }

    private static byte[] vtk(String headerAfterDataset, int dataBytes) {
        return NpyCodecTest.concat(("# vtk DataFile Version 3.0\nt\nBINARY\nDATASET STRUCTURED_POINTS\n"
                + headerAfterDataset).getBytes(StandardCharsets.US_ASCII), new byte[dataBytes]);
    }

    static Stream<BadVtk> badFiles() {
        String ok = "DIMENSIONS 2 2 2\nSPACING 1 1 1\nPOINT_DATA 8\nSCALARS s unsigned_char 1\nLOOKUP_TABLE default\n";
        return Stream.of(
                new BadVtk("ascii.vtk", ("# vtk DataFile Version 3.0\nt\nASCII\nDATASET STRUCTURED_POINTS\n" + ok
                        + "0 0 0 0 0 0 0 0\n").getBytes(StandardCharsets.US_ASCII), "ASCII VTK is not supported"),
                new BadVtk("grid.vtk", ("# vtk DataFile Version 3.0\nt\nBINARY\nDATASET UNSTRUCTURED_GRID\n")
                        .getBytes(StandardCharsets.US_ASCII), "only DATASET STRUCTURED_POINTS"),
                new BadVtk("truncated.vtk", vtk(ok, 5), "truncated: expected 8 data bytes"),
                new BadVtk("cut_header.vtk", vtk("DIMENSIONS 2 2 2\nPOINT_DA", 0), "truncated header"),
                new BadVtk("mismatch.vtk", vtk(ok.replace("POINT_DATA 8", "POINT_DATA 9"), 9),
                        "POINT_DATA 9 does not match DIMENSIONS 2 2 2"),
                new BadVtk("double.vtk", vtk(ok.replace("unsigned_char", "double"), 64),
                        "unsupported SCALARS type 'double'"),
                new BadVtk("vector.vtk", vtk(ok.replace("unsigned_char 1", "unsigned_char 3"), 24), "3 components"),
                new BadVtk("no_dims.vtk", vtk("POINT_DATA 8\nSCALARS s unsigned_char 1\nLOOKUP_TABLE default\n", 8),
                        "no DIMENSIONS"),
                new BadVtk("bad_dims.vtk", vtk(ok.replace("DIMENSIONS 2 2 2", "DIMENSIONS 2 two 2"), 8),
                        "'DIMENSIONS 2 two 2' needs 3 integer(s)"),
                new BadVtk("zero_spacing.vtk", vtk(ok.replace("SPACING 1 1 1", "SPACING 0 1 1"), 8),
                        "SPACING 0.0 1.0 1.0 is not three positive lengths"),
                new BadVtk("unknown.vtk", vtk("DIMENSIONS 2 2 2\nWHATEVER 3\n", 8), "unknown keyword 'WHATEVER'"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badFiles")
    void refusesBadFilesNamingTheFileAndTheProblem(BadVtk c) throws IOException {
        // Given a malformed VTK file
        Path file = tmp.resolve(c.name());
        Files.write(file, c.content());

        // When read through the facade
        VolumeFormatException e = assertThrows(VolumeFormatException.class, () -> VolumeIO.read(file));

        // Then the message starts with the file and states the problem
        assertTrue(e.getMessage().startsWith(file.toString()), e.getMessage());
        assertTrue(e.getMessage().contains(c.fact()), e.getMessage());
    }
}
