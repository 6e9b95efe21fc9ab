package dev.microforge.datasets.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.microforge.datasets.Volume;
import dev.microforge.datasets.VoxelSize;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.SortedMap;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Raw + JSON sidecar: the real OpenImpala file, round trips, layouts, aliases, refusals. */
class RawCodecTest {
    @TempDir
    Path tmp;

    static Path realRaw() {
        try {
            return Path.of(RawCodecTest.class.getResource(
                    "/real/openimpala-blobs/SampleData_2Phase_stack_3d_uint8.raw").toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void readsTheRealOpenImpalaRawFile() throws IOException {
        // Given the 100^3 uint8 OpenImpala blobs with a hand-written sidecar
        Path raw = realRaw();

        // When read through the facade (format detected by the sidecar)
        assertEquals(VolumeFormat.RAW, VolumeFormat.detect(raw));
        Volume v = VolumeIO.read(raw);

        // Then dimensions, label counts (numpy.unique) and voxels (numpy a[z, y, x]) agree with the reference
        assertEquals(100, v.nx());
        assertEquals(100, v.ny());
        assertEquals(100, v.nz());
        SortedMap<Integer, Long> h = v.labelHistogram();
        assertEquals(600_447L, h.get(0));
        assertEquals(399_553L, h.get(1));
        assertEquals(2, h.size());
        assertEquals(1, v.get(99, 0, 0));
        assertEquals(1, v.get(0, 13, 0));
        assertEquals(0, v.get(50, 13, 0));
        assertEquals(1, v.get(50, 0, 7));
        assertEquals(0, v.get(21, 0, 7));
        assertEquals(0, v.get(50, 50, 50));
        assertEquals(1, v.get(99, 50, 99));
        assertEquals(0, v.get(99, 99, 99));
        assertFalse(v.voxelSize().isKnown());
    }

    @Test
    void roundTripsWithPrimeSizesAndVoxelSize() throws IOException {
        // Given a 7 x 5 x 3 volume of random labels with a known anisotropic voxel size
        Volume v = NpyCodecTest.randomVolume(7, 5, 3, 256, 5).withVoxelSize(new VoxelSize(0.4, 0.4, 0.5));
        Path raw = tmp.resolve("vol.raw");

        // When written and read back
        VolumeIO.write(v, raw, VolumeIO.WriteOptions.defaults());
        Volume back = VolumeIO.read(raw);

        // Then the raw file is the labels, the sidecar is vol.json, labels and voxel size survive
        assertEquals(tmp.resolve("vol.json"), RawCodec.defaultSidecar(raw));
        assertArrayEquals(v.toArray(), Files.readAllBytes(raw));
        assertEquals(Optional.empty(), v.firstDifference(back));
        assertEquals(new VoxelSize(0.4, 0.4, 0.5), back.voxelSize());
        JsonNode json = new ObjectMapper().readTree(tmp.resolve("vol.json").toFile());
        assertEquals(7, json.get("nx").asInt());
        assertEquals(5, json.get("ny").asInt());
        assertEquals(3, json.get("nz").asInt());
        assertEquals("uint8", json.get("dtype").asText());
        assertEquals("little", json.get("byteOrder").asText());
        assertEquals(0.5, json.get("voxelSize").get("dz").asDouble());
        assertEquals(List.of("vol.json", "vol.raw"), listing());
    }

    @Test
    void unknownVoxelSizeIsWrittenAsNullAndReadBackUnknown() throws IOException {
        // Given a volume of unknown voxel size
        Path raw = tmp.resolve("u.raw");
        RawCodec.write(Volume.filled(2, 3, 5, 7), raw, false, null);

        // Then the sidecar says null and reading gives UNKNOWN
        assertTrue(new ObjectMapper().readTree(tmp.resolve("u.json").toFile()).get("voxelSize").isNull());
        Samples s = RawCodec.read(raw, ProgressListener.NONE);
        assertFalse(s.voxelSize().isKnown());
        assertEquals(7.0, s.value(29));
    }

    @Test
    void sidecarLookupPrefersNameRawJsonThenNameJson() throws IOException {
        // Given a raw file with no sidecar, then name.json, then also name.raw.json
        Path raw = tmp.resolve("a.raw");
        Files.write(raw, new byte[8]);
        assertEquals(Optional.empty(), RawCodec.sidecarOf(raw));
        Files.writeString(tmp.resolve("a.json"), "{}");
        assertEquals(Optional.of(tmp.resolve("a.json")), RawCodec.sidecarOf(raw));
        Files.writeString(tmp.resolve("a.raw.json"), "{}");

        // Then name.raw.json wins
        assertEquals(Optional.of(tmp.resolve("a.raw.json")), RawCodec.sidecarOf(raw));
    }

    @Test
    void readsBigEndianFortranOrderWithHeaderBytesAndAliases() throws IOException {
        // Given 16 header bytes, then a 4 x 3 x 2 big-endian uint16 array in Fortran order (z fastest, x slowest)
        // holding 1000 * x + 10 * y + z + 40000, described with the aliases shape / type / endian / offset
        int nx = 4;
        int ny = 3;
        int nz = 2;
        ByteBuffer b = ByteBuffer.allocate(16 + 2 * nx * ny * nz).order(ByteOrder.BIG_ENDIAN);
        b.position(16);
        for (int x = 0; x < nx; x++) {
            for (int y = 0; y < ny; y++) {
                for (int z = 0; z < nz; z++) {
                    b.putShort((short) (40000 + 1000 * x + 10 * y + z));
                }
            }
        }
        Path raw = tmp.resolve("f.bin");
        Files.write(raw, b.array());
        Files.writeString(tmp.resolve("f.bin.json"), "{\"shape\": [2, 3, 4], \"type\": \"uint16\", \"endian\": "
                + "\"be\", \"order\": \"F\", \"offset\": 16, \"voxelSize\": 0.25, \"comment\": \"ignored\"}");

        // When read
        Samples s = RawCodec.read(raw, ProgressListener.NONE);

        // Then voxel (x, y, z) holds the formula, unsigned, and the isotropic voxel size is read
        assertEquals(SampleType.UINT16, s.type());
        assertEquals(4, s.nx());
        assertEquals(3, s.ny());
        assertEquals(2, s.nz());
        for (int z = 0; z < nz; z++) {
            for (int y = 0; y < ny; y++) {
                for (int x = 0; x < nx; x++) {
                    assertEquals(40000 + 1000 * x + 10 * y + z, s.value(x + nx * (y + ny * z)));
                }
            }
        }
        assertEquals(VoxelSize.isotropic(0.25), s.voxelSize());
    }

    @Test
    void readsLittleEndianFloat32InCOrder() throws IOException {
        // Given 3 x 2 x 1 little-endian float32 values 0.5 * i
        ByteBuffer b = ByteBuffer.allocate(24).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < 6; i++) {
            b.putFloat(0.5f * i);
        }
        Path raw = tmp.resolve("g.raw");
        Files.write(raw, b.array());
        Files.writeString(tmp.resolve("g.json"), "{\"nx\":3,\"ny\":2,\"nz\":1,\"dtype\":\"float32\",\"byteOrder\":"
                + "\"little\",\"voxelSize\":{\"dx\":1.5,\"dy\":2,\"dz\":3}}");

        // When read
        Samples s = RawCodec.read(raw, null);

        // Then the floats and the voxel size are exact
        assertEquals(SampleType.FLOAT32, s.type());
        assertArrayEquals(new float[] {0f, 0.5f, 1f, 1.5f, 2f, 2.5f}, s.floats());
        assertEquals(new VoxelSize(1.5, 2, 3), s.voxelSize());
    }

    @Test
    void writeRefusalLeavesNothingBehind() throws IOException {
        // Given a folder where only the sidecar name is taken
        Path raw = tmp.resolve("v.raw");
        Files.writeString(tmp.resolve("v.json"), "keep me");

        // When writing without overwrite
        FileAlreadyExistsException e = assertThrows(FileAlreadyExistsException.class,
                () -> VolumeIO.write(Volume.filled(3, 3, 3, 1), raw, VolumeIO.WriteOptions.defaults()));

        // Then it names the sidecar, and no raw file (nor temporary file) was written
        assertTrue(e.getMessage().contains("v.json"), e.getMessage());
        assertEquals(List.of("v.json"), listing());
        assertEquals("keep me", Files.readString(tmp.resolve("v.json")));
    }

    @Test
    void writeWithOverwriteReplacesBoth() throws IOException {
        // Given an earlier raw + sidecar pair
        Path raw = tmp.resolve("w.raw");
        RawCodec.write(Volume.filled(2, 2, 2, 1), raw, false, null);

        // When overwritten by a different size
        RawCodec.write(Volume.filled(3, 1, 1, 9), raw, true, null);

        // Then both describe the new volume
        Volume back = VolumeIO.read(raw);
        assertEquals(Optional.empty(), Volume.filled(3, 1, 1, 9).firstDifference(back));
    }

    @Test
    void writeIntoAMissingFolderIsNoSuchFileAndLeavesNothing() {
        Path raw = tmp.resolve("nowhere").resolve("v.raw");
        assertThrows(NoSuchFileException.class, () -> RawCodec.write(Volume.filled(1, 1, 1, 0), raw, false, null));
        assertFalse(Files.exists(tmp.resolve("nowhere")));
    }

    @Test
    void missingSidecarNamesBothCandidatesAndShowsAnExample() throws IOException {
        // Given a .raw file alone
        Path raw = tmp.resolve("lonely.raw");
        Files.write(raw, new byte[10]);

        // When read directly or through the facade
        VolumeFormatException direct = assertThrows(VolumeFormatException.class, () -> RawCodec.read(raw, null));
        VolumeFormatException facade = assertThrows(VolumeFormatException.class, () -> VolumeIO.read(raw));

        // Then both messages name lonely.raw.json and lonely.json and show a sidecar
        for (VolumeFormatException e : List.of(direct, facade)) {
            assertTrue(e.getMessage().startsWith(raw.toString()), e.getMessage());
            assertTrue(e.getMessage().contains("lonely.raw.json or lonely.json"), e.getMessage());
            assertTrue(e.getMessage().contains("\"dtype\": \"uint8\""), e.getMessage());
        }
    }

    @Test
    void missingRawFileIsNoSuchFile() {
        assertThrows(NoSuchFileException.class, () -> RawCodec.read(tmp.resolve("absent.raw"), null));
    }

    /** A sidecar, the raw size, and the fact the error must state. */
    record BadSidecar(String name, String json, int rawBytes, String fact) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<BadSidecar> badSidecars() {
        return Stream.of(
                new BadSidecar("syntax", "{\"nx\": 2,\n \"ny\": 2\n \"nz\": 2}", 8, "not valid JSON at line 3"),
                new BadSidecar("not_object", "[2, 2, 2]", 8, "one JSON object"),
                new BadSidecar("no_nx", "{\"ny\":2,\"nz\":2,\"dtype\":\"uint8\"}", 8, "field \"nx\" is missing"),
                new BadSidecar("zero_nz", "{\"nx\":2,\"ny\":2,\"nz\":0,\"dtype\":\"uint8\"}", 8,
                        "field \"nz\" must be a whole number >= 1, got 0"),
                new BadSidecar("text_ny", "{\"nx\":2,\"ny\":\"two\",\"nz\":2,\"dtype\":\"uint8\"}", 8,
                        "field \"ny\" must be a whole number >= 1"),
                new BadSidecar("bad_shape", "{\"shape\":[2,2],\"dtype\":\"uint8\"}", 8, "\"shape\" must be [nz, ny, nx]"),
                new BadSidecar("no_dtype", "{\"nx\":2,\"ny\":2,\"nz\":2}", 8, "field \"dtype\" is missing"),
                new BadSidecar("float64", "{\"nx\":2,\"ny\":2,\"nz\":2,\"dtype\":\"float64\",\"byteOrder\":\"little\"}",
                        64, "unsupported dtype 'float64'; supported: bool, uint8"),
                new BadSidecar("no_byte_order", "{\"nx\":2,\"ny\":2,\"nz\":2,\"dtype\":\"int16\"}", 16,
                        "byte order is not stated"),
                new BadSidecar("bad_byte_order", "{\"nx\":2,\"ny\":2,\"nz\":2,\"dtype\":\"int16\",\"byteOrder\":"
                        + "\"middle\"}", 16, "\"byteOrder\" must be \"little\" or \"big\""),
                new BadSidecar("bad_order", "{\"nx\":2,\"ny\":2,\"nz\":2,\"dtype\":\"uint8\",\"order\":\"K\"}", 8,
                        "\"order\" must be \"C\""),
                new BadSidecar("bad_voxel", "{\"nx\":2,\"ny\":2,\"nz\":2,\"dtype\":\"uint8\",\"voxelSize\":{\"dx\":-1,"
                        + "\"dy\":1,\"dz\":1}}", 8, "voxelSize"),
                new BadSidecar("too_small", "{\"nx\":2,\"ny\":2,\"nz\":2,\"dtype\":\"uint16\",\"byteOrder\":\"big\"}", 8,
                        "raw file has 8 bytes but the sidecar size.json describes 16"),
                new BadSidecar("too_large", "{\"nx\":2,\"ny\":2,\"nz\":2,\"dtype\":\"uint8\"}", 9,
                        "raw file has 9 bytes but the sidecar size.json describes 8"),
                new BadSidecar("header_bytes", "{\"nx\":2,\"ny\":2,\"nz\":2,\"dtype\":\"uint8\",\"headerBytes\":4}", 8,
                        "raw file has 8 bytes but the sidecar size.json describes 12"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badSidecars")
    void refusesBadSidecarsNamingTheFileAndTheProblem(BadSidecar c) throws IOException {
        // Given a raw file and a faulty sidecar (named size.json for the size cases)
        String stem = c.fact().contains("size.json") ? "size" : c.name();
        Path raw = tmp.resolve(stem + ".raw");
        Files.write(raw, new byte[c.rawBytes()]);
        Files.writeString(tmp.resolve(stem + ".json"), c.json(), StandardCharsets.UTF_8);

        // When read
        VolumeFormatException e = assertThrows(VolumeFormatException.class, () -> VolumeIO.read(raw));

        // Then the message starts with the raw file, names the sidecar and states the problem
        assertTrue(e.getMessage().startsWith(raw.toString()), e.getMessage());
        assertTrue(e.getMessage().contains(stem + ".json"), e.getMessage());
        assertTrue(e.getMessage().contains(c.fact()), e.getMessage());
    }

    private List<String> listing() throws IOException {
        try (Stream<Path> s = Files.list(tmp)) {
            return s.map(p -> p.getFileName().toString()).sorted().collect(Collectors.toList());
        }
    }
}
