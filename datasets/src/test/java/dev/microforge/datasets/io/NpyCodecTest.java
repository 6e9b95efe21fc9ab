package dev.microforge.datasets.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.microforge.datasets.Volume;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Optional;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/** NumPy .npy reading (every dtype, C and F order, versions 1-3), writing, round trips and refusals. */
class NpyCodecTest {
    private static final int NX = 4;
    private static final int NY = 3;
    private static final int NZ = 2;

    @TempDir
    Path tmp;

    static Path resource(String name) {
        try {
            return Path.of(NpyCodecTest.class.getResource("/npy/" + name).toURI());
        } catch (URISyntaxException | NullPointerException e) {
            throw new IllegalStateException("missing test resource npy/" + name, e);
        }
    }

    static Volume randomVolume(int nx, int ny, int nz, int labels, long seed) {
        Random r = new Random(seed);
        return Volume.generate(nx, ny, nz, (x, y, z) -> r.nextInt(labels));
    }

    static Stream<Arguments> dtypes() {
        return Stream.of(
                Arguments.of("u1", SampleType.UINT8), Arguments.of("i1", SampleType.INT8),
                Arguments.of("lu2", SampleType.UINT16), Arguments.of("bu2", SampleType.UINT16),
                Arguments.of("li2", SampleType.INT16), Arguments.of("bi2", SampleType.INT16),
                Arguments.of("li4", SampleType.INT32), Arguments.of("bi4", SampleType.INT32),
                Arguments.of("lf4", SampleType.FLOAT32), Arguments.of("bf4", SampleType.FLOAT32));
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("dtypes")
    void readsEveryDtypeInCOrderWithTheVoxelPattern(String key, SampleType type) throws IOException {
        // Given a numpy file whose value at (x, y, z) is x + 10y + 100z
        Path file = resource("pattern_" + key + "_C.npy");

        // When it is read
        Samples s = NpyCodec.read(file, ProgressListener.NONE);

        // Then the shape (nz, ny, nx) = (2, 3, 4) maps to nx=4, ny=3, nz=2 and every voxel holds the pattern
        assertEquals(type, s.type());
        assertEquals(NX, s.nx());
        assertEquals(NY, s.ny());
        assertEquals(NZ, s.nz());
        assertFalse(s.voxelSize().isKnown());
        assertPattern(s);
        assertEquals(123.0, s.value(3 + NX * (2 + NY * 1)), "voxel (3, 2, 1)");
        assertEquals(21.0, s.value(1 + NX * 2), "voxel (1, 2, 0)");
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("dtypes")
    void readsEveryDtypeInFortranOrderAsTheSameVolume(String key, SampleType type) throws IOException {
        // Given the same logical arrays saved with fortran_order True (z fastest, x slowest on disk)
        Path file = resource("pattern_" + key + "_F.npy");
        assertTrue(NpyCodec.readHeader(file).fortranOrder());

        // When read
        Samples s = NpyCodec.read(file, ProgressListener.NONE);

        // Then they are reordered to x fastest: identical to the C-order file
        assertEquals(type, s.type());
        assertEquals(NX, s.nx());
        assertEquals(NY, s.ny());
        assertEquals(NZ, s.nz());
        assertPattern(s);
        assertEquals(102.0, s.value(2 + NX * (0 + NY * 1)), "voxel (2, 0, 1)");
    }

    @Test
    void keepsUnsignedSixteenBitValuesAboveThirtyTwoThousand() throws IOException {
        // Given a little-endian uint16 file holding 65535 (written here, bytes known)
        Path file = tmp.resolve("u2max.npy");
        byte[] header = headerBytes("{'descr': '<u2', 'fortran_order': False, 'shape': (1, 2), }");
        Files.write(file, concat(header, new byte[] {(byte) 0xFF, (byte) 0xFF, 0x34, 0x12}));

        // When read
        Samples s = NpyCodec.read(file, ProgressListener.NONE);

        // Then the values are unsigned: 65535 and 0x1234 = 4660
        assertEquals(SampleType.UINT16, s.type());
        assertEquals(65535.0, s.value(0));
        assertEquals(4660.0, s.value(1));
    }

    @ParameterizedTest
    @ValueSource(strings = {"C", "F"})
    void readsBoolAsZeroOneBytes(String order) throws IOException {
        // Given bool files holding (x + y + z) % 2
        Samples s = NpyCodec.read(resource("pattern_b1_" + order + ".npy"), ProgressListener.NONE);

        // Then the samples are 0/1 bytes in the x-fastest layout
        assertEquals(SampleType.BOOL, s.type());
        for (int z = 0; z < NZ; z++) {
            for (int y = 0; y < NY; y++) {
                for (int x = 0; x < NX; x++) {
                    assertEquals((x + y + z) % 2, s.bytes()[x + NX * (y + NY * z)], "voxel " + x + "," + y + "," + z);
                }
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"C", "F"})
    void readsTwoDimensionalArraysAsOneSlice(String order) throws IOException {
        // Given a (ny, nx) = (3, 4) image with value x + 10y
        Samples s = NpyCodec.read(resource("pattern2d_u1_" + order + ".npy"), ProgressListener.NONE);

        // Then it is a 4 x 3 x 1 volume
        assertEquals(4, s.nx());
        assertEquals(3, s.ny());
        assertEquals(1, s.nz());
        for (int y = 0; y < 3; y++) {
            for (int x = 0; x < 4; x++) {
                assertEquals(x + 10 * y, s.value(x + 4 * y));
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"pattern_u1_v2.npy", "pattern_u1_v3.npy"})
    void readsFormatVersionsTwoAndThree(String name) throws IOException {
        // Given version 2.0 and 3.0 files (4-byte header length)
        Path file = resource(name);

        // When read
        Samples s = NpyCodec.read(file, ProgressListener.NONE);

        // Then the version is recognised and the pattern is intact
        assertEquals(name.contains("v2") ? 2 : 3, NpyCodec.readHeader(file).major());
        assertPattern(s);
    }

    @Test
    void readsThroughVolumeIoAsLabels() throws IOException {
        // Given the uint8 pattern file, read through the facade
        Volume v = VolumeIO.read(resource("pattern_u1_F.npy"));

        // Then the labels are the pattern
        assertEquals(123, v.get(3, 2, 1));
        assertEquals(10, v.get(0, 1, 0));
        assertEquals(101, v.get(1, 0, 1));
    }

    @Test
    void writesAVersionOneHeaderPaddedToSixtyFourBytes() throws IOException {
        // Given a 7 x 5 x 3 volume
        Volume v = randomVolume(7, 5, 3, 3, 11);

        // When written to a stream
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        NpyCodec.write(v, out, ProgressListener.NONE);
        byte[] b = out.toByteArray();

        // Then the header is v1.0, u1, C order, shape (nz, ny, nx), data starts at a multiple of 64
        int headerLen = (b[8] & 0xFF) | (b[9] & 0xFF) << 8;
        String dict = new String(b, 10, headerLen, StandardCharsets.ISO_8859_1);
        assertEquals(1, b[6]);
        assertEquals(0, b[7]);
        assertEquals(0, (10 + headerLen) % 64);
        assertTrue(dict.startsWith("{'descr': '|u1', 'fortran_order': False, 'shape': (3, 5, 7), }"), dict);
        assertTrue(dict.endsWith("\n"));
        assertEquals(10 + headerLen + 7 * 5 * 3, b.length);
        assertArrayEquals(v.toArray(), Arrays.copyOfRange(b, 10 + headerLen, b.length));
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 3})
    void roundTripsThroughVolumeIoWithPrimeSizesKeepingThreeDimensions(int nz) throws IOException {
        // Given a 7 x 5 x nz volume of random labels 0..255
        Volume v = randomVolume(7, 5, nz, 256, 42 + nz);
        Path file = tmp.resolve("v.npy");

        // When written and read back
        VolumeIO.write(v, file, VolumeIO.WriteOptions.defaults());
        Volume back = VolumeIO.read(file);

        // Then every label and the shape (also nz = 1) survive
        assertEquals(Optional.empty(), v.firstDifference(back));
        assertArrayEquals(new long[] {nz, 5, 7}, NpyCodec.readHeader(file).shape());
    }

    @Test
    void writeRefusesAnExistingFileWithoutOverwrite() throws IOException {
        // Given an existing output
        Path file = tmp.resolve("exists.npy");
        Files.write(file, new byte[] {1, 2, 3});

        // When writing without overwrite
        FileAlreadyExistsException e = assertThrows(FileAlreadyExistsException.class,
                () -> VolumeIO.write(Volume.filled(2, 2, 2, 1), file, VolumeIO.WriteOptions.defaults()));

        // Then it is refused and untouched
        assertTrue(e.getMessage().contains("exists.npy"), e.getMessage());
        assertArrayEquals(new byte[] {1, 2, 3}, Files.readAllBytes(file));
    }

    @Test
    void readsFloatArraysOfAnyRankAndWritesThemAsNumPyDoes() throws IOException {
        for (String name : new String[] {"latent_lf4_C.npy", "latent_bf8_C.npy"}) {
            NpyCodec.FloatArray a = NpyCodec.readFloatArray(resource(name));
            assertArrayEquals(new long[] {2, 2, 3, 4}, a.shape(), name);
            for (int c = 0; c < 2; c++) {
                for (int z = 0; z < NZ; z++) {
                    for (int y = 0; y < NY; y++) {
                        for (int x = 0; x < NX; x++) {
                            float expected = c * 1000 + x + 10 * y + 100 * z + 0.5f;
                            assertEquals(expected, a.values()[x + NX * (y + NY * (z + NZ * c))], name);
                        }
                    }
                }
            }
        }
        // our writer gives NumPy's bytes exactly (header, padding, little-endian float32 data)
        NpyCodec.FloatArray a = NpyCodec.readFloatArray(resource("latent_lf4_C.npy"));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        NpyCodec.writeFloatArray(a, out);
        assertArrayEquals(Files.readAllBytes(resource("latent_lf4_C.npy")), out.toByteArray());
        // a 3D float32 volume file is a float array too
        assertArrayEquals(new long[] {2, 3, 4}, NpyCodec.readFloatArray(resource("pattern_bf4_C.npy")).shape());
    }

    @Test
    void floatArraysRefuseOtherDtypesFortranOrderAndBadSizes() throws IOException {
        assertTrue(assertThrows(VolumeFormatException.class, () -> NpyCodec.readFloatArray(resource(
                "pattern_u1_C.npy"))).getMessage().contains("not a float array"));
        assertTrue(assertThrows(VolumeFormatException.class, () -> NpyCodec.readFloatArray(resource(
                "pattern_lf4_F.npy"))).getMessage().contains("Fortran-order"));
        Path cut = tmp.resolve("cut.npy");
        byte[] bytes = Files.readAllBytes(resource("latent_lf4_C.npy"));
        Files.write(cut, Arrays.copyOf(bytes, bytes.length - 4));
        assertTrue(assertThrows(VolumeFormatException.class, () -> NpyCodec.readFloatArray(cut)).getMessage()
                .contains("need 192 data bytes but the file holds 188"));
        assertThrows(NoSuchFileException.class, () -> NpyCodec.readFloatArray(tmp.resolve("none.npy")));
        assertThrows(IllegalArgumentException.class, () -> new NpyCodec.FloatArray(new long[] {2, 2}, new float[3]));
    }

    @Test
    void missingFileIsNoSuchFile() {
        Path file = tmp.resolve("absent.npy");
        NoSuchFileException e = assertThrows(NoSuchFileException.class, () -> NpyCodec.read(file, null));
        assertTrue(e.getMessage().contains("absent.npy"));
    }

    /** A bad file: how to make it, and the fact its error message must state. */
    record BadCase(String name, byte[] content, String fact) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<BadCase> badFiles() throws IOException {
        byte[] good = Files.readAllBytes(resource("pattern_u1_C.npy"));
        int dataStart = good.length - 24;
        byte[] badMagic = good.clone();
        badMagic[1] = 'X';
        byte[] badVersion = good.clone();
        badVersion[6] = 4;
        byte[] lyingHeaderLength = good.clone();
        lyingHeaderLength[8] = (byte) 0xFF;
        lyingHeaderLength[9] = 0x7F;
        return Stream.of(
                new BadCase("bad_magic.npy", badMagic, "bad magic"),
                new BadCase("tiff_bytes.npy", new byte[] {'I', 'I', 42, 0, 8, 0, 0, 0}, "bad magic"),
                new BadCase("bad_version.npy", badVersion, "version 4.0"),
                new BadCase("short_preamble.npy", Arrays.copyOf(good, 8), "truncated header"),
                new BadCase("cut_header.npy", Arrays.copyOf(good, 40), "truncated header"),
                new BadCase("lying_header_length.npy", lyingHeaderLength, "truncated header"),
                new BadCase("truncated.npy", Arrays.copyOf(good, good.length - 5),
                        "truncated: expected 24 data bytes, found 19"),
                new BadCase("no_data.npy", Arrays.copyOf(good, dataStart), "truncated: expected 24 data bytes, found 0"),
                new BadCase("too_long.npy", Arrays.copyOf(good, good.length + 7), "need 24 data bytes but the file "
                        + "holds 31"),
                new BadCase("garbage_dict.npy", concat(headerBytes("{'descr': '|u1', 'fortran_order': False, "
                        + "'shape': (2, 3, 4}"), new byte[24]), "header dict unparsable"),
                new BadCase("not_a_dict.npy", concat(headerBytes("[1, 2, 3]"), new byte[24]),
                        "header dict unparsable"),
                new BadCase("missing_shape.npy", concat(headerBytes("{'descr': '|u1', 'fortran_order': False, }"),
                        new byte[24]), "'shape'"),
                new BadCase("fortran_not_bool.npy", concat(headerBytes("{'descr': '|u1', 'fortran_order': 'no', "
                        + "'shape': (2, 3, 4), }"), new byte[24]), "'fortran_order' True or False"),
                new BadCase("structured.npy", concat(headerBytes("{'descr': [('a', '<i4')], 'fortran_order': False,"
                        + " 'shape': (2, 3, 4), }"), new byte[96]), "structured"),
                new BadCase("negative_dim.npy", concat(headerBytes("{'descr': '|u1', 'fortran_order': False, "
                        + "'shape': (2, -3, 4), }"), new byte[24]), "dimension < 1"),
                new BadCase("bad_f8.npy", Files.readAllBytes(resource("bad_f8.npy")),
                        "unsupported dtype '<f8'; supported: bool (|b1), uint8 (|u1)"),
                new BadCase("bad_i8.npy", Files.readAllBytes(resource("bad_i8.npy")), "unsupported dtype '<i8'"),
                new BadCase("bad_object.npy", Files.readAllBytes(resource("bad_object.npy")), "object arrays"),
                new BadCase("bad_1d.npy", Files.readAllBytes(resource("bad_1d.npy")), "shape (5,) has 1 dimension"),
                new BadCase("bad_4d.npy", Files.readAllBytes(resource("bad_4d.npy")),
                        "shape (1, 2, 3, 4) has 4 dimension"),
                new BadCase("bad_zero.npy", Files.readAllBytes(resource("bad_zero.npy")),
                        "shape (0, 3, 4) has a dimension < 1"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badFiles")
    void refusesBadFilesNamingTheFileAndTheProblem(BadCase c) throws IOException {
        // Given a malformed file
        Path file = tmp.resolve(c.name());
        Files.write(file, c.content());

        // When read directly and through the facade
        VolumeFormatException direct = assertThrows(VolumeFormatException.class,
                () -> NpyCodec.read(file, ProgressListener.NONE));

        // Then the message starts with the file and states the problem
        assertTrue(direct.getMessage().startsWith(file.toString()), direct.getMessage());
        assertTrue(direct.getMessage().contains(c.fact()), direct.getMessage());
        if (c.content()[0] == (byte) 0x93) {
            VolumeFormatException viaFacade = assertThrows(VolumeFormatException.class, () -> VolumeIO.read(file));
            assertTrue(viaFacade.getMessage().contains(c.name()), viaFacade.getMessage());
        }
    }

    @Test
    void refusesAHugeShapeBeforeAllocating() throws IOException {
        // Given a header that claims 2^33 voxels over 24 bytes of data
        Path file = tmp.resolve("huge.npy");
        Files.write(file, concat(headerBytes("{'descr': '|u1', 'fortran_order': False, 'shape': (2048, 2048, "
                + "2048), }"), new byte[24]));

        // When read, the size check fires first (no 8 GiB allocation is attempted)
        VolumeFormatException e = assertThrows(VolumeFormatException.class, () -> NpyCodec.read(file, null));
        assertTrue(e.getMessage().contains("truncated: expected 8589934592 data bytes, found 24"), e.getMessage());
    }

    @Test
    void reportsProgressInBytes() throws IOException {
        // Given a file read with a listener
        long[] last = new long[2];
        NpyCodec.read(resource("pattern_li4_C.npy"), (task, done, total) -> {
            last[0] = done;
            last[1] = total;
        });

        // Then the final call reports all 96 data bytes
        assertEquals(96, last[0]);
        assertEquals(96, last[1]);
    }

    private static void assertPattern(Samples s) {
        for (int z = 0; z < s.nz(); z++) {
            for (int y = 0; y < s.ny(); y++) {
                for (int x = 0; x < s.nx(); x++) {
                    assertEquals(x + 10 * y + 100 * z, s.value(x + s.nx() * (y + s.ny() * z)),
                            "voxel (" + x + ", " + y + ", " + z + ")");
                }
            }
        }
    }

    /** A v1.0 preamble + {@code dict} padded to 64 bytes. */
    static byte[] headerBytes(String dict) {
        StringBuilder h = new StringBuilder(dict);
        while ((10 + h.length() + 1) % 64 != 0) {
            h.append(' ');
        }
        h.append('\n');
        byte[] text = h.toString().getBytes(StandardCharsets.ISO_8859_1);
        byte[] out = new byte[10 + text.length];
        out[0] = (byte) 0x93;
        System.arraycopy("NUMPY".getBytes(StandardCharsets.US_ASCII), 0, out, 1, 5);
        out[6] = 1;
        out[8] = (byte) text.length;
        out[9] = (byte) (text.length >> 8);
        System.arraycopy(text, 0, out, 10, text.length);
        return out;
    }

    static byte[] concat(byte[] a, byte[] b) {
        byte[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
