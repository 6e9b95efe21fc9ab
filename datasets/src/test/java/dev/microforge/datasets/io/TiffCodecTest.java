package dev.microforge.datasets.io;

import static dev.microforge.datasets.VolumeAssert.assertDimensions;
import static dev.microforge.datasets.VolumeAssert.assertVolumeEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.microforge.datasets.Volume;
import dev.microforge.datasets.VoxelSize;
import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * TIFF reading and writing. The variant files were made by libtiff's tiffcp from stacks whose values are given by
 * the formulas below (see src/test/resources/tiff/make_tiffs.py and reference/README.md).
 */
class TiffCodecTest {
    private static final int NX = 37;
    private static final int NY = 23;
    private static final int NZ = 3;

    @TempDir
    Path dir;

    private static int v8(int x, int y, int z) {
        return ((x * 7 + y * 3 + z * 11) % 5) * 50;
    }

    private static int v16(int x, int y, int z) {
        return x * 1000 + y * 10 + z;
    }

    private static int v1(int x, int y, int z) {
        return (x * y + z) % 3 == 0 ? 1 : 0;
    }

    @ParameterizedTest
    @ValueSource(strings = {"base8.tif", "be_none8.tif", "packbits8.tif", "deflate_strips8.tif", "deflate32946_8.tif",
        "lzw8.tif", "lzw_predictor8.tif", "tiled_deflate8.tif", "bigtiff_deflate8.tif",
        "bigtiff_be_tiled_packbits8.tif", "ifds_first8.tif"})
    void everyEightBitEncodingGivesTheSameVoxels(String file) throws IOException {
        Samples s = TiffCodec.read(TestFiles.resource("tiff/" + file), ProgressListener.NONE);
        assertEquals(SampleType.UINT8, s.type());
        assertEquals(List.of(NX, NY, NZ), List.of(s.nx(), s.ny(), s.nz()));
        for (int z = 0; z < NZ; z++) {
            for (int y = 0; y < NY; y++) {
                for (int x = 0; x < NX; x++) {
                    assertEquals(v8(x, y, z), (int) s.value(x + NX * (y + NY * z)), file + " at " + x + "," + y
                            + "," + z);
                }
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"base16.tif", "lzw_predictor16.tif", "be_deflate16.tif", "bigtiff_tiled_lzw16.tif"})
    void sixteenBitEncodingsGiveTheSameVoxels(String file) throws IOException {
        Samples s = TiffCodec.read(TestFiles.resource("tiff/" + file), ProgressListener.NONE);
        assertEquals(SampleType.UINT16, s.type());
        for (int z = 0; z < NZ; z++) {
            for (int y = 0; y < NY; y++) {
                for (int x = 0; x < NX; x++) {
                    assertEquals(v16(x, y, z), (int) s.value(x + NX * (y + NY * z)), file);
                }
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"base1.tif", "packbits1.tif", "be_deflate1.tif"})
    void bilevelEncodingsGiveZeroOne(String file) throws IOException {
        Samples s = TiffCodec.read(TestFiles.resource("tiff/" + file), ProgressListener.NONE);
        assertEquals(SampleType.BOOL, s.type());
        for (int z = 0; z < NZ; z++) {
            for (int y = 0; y < NY; y++) {
                for (int x = 0; x < NX; x++) {
                    assertEquals(v1(x, y, z), (int) s.value(x + NX * (y + NY * z)), file);
                }
            }
        }
    }

    @Test
    void signedEightBitIsTyped() throws IOException {
        Samples s = TiffCodec.read(TestFiles.resource("tiff/int8.tif"), ProgressListener.NONE);
        assertEquals(SampleType.INT8, s.type());
        // (x - y) mod 256 stored as a signed byte: x=0, y=1 is -1
        assertEquals(-1, (int) s.value(0 + NX * 1));
        assertEquals(5, (int) s.value(5));
    }

    @Test
    void floatTiffNeedsAnExplicitConversion() throws IOException {
        Path f = TestFiles.resource("tiff/float32.tif");
        Samples s = TiffCodec.read(f, ProgressListener.NONE);
        assertEquals(SampleType.FLOAT32, s.type());
        assertEquals(3 + 0.5 * 2 + 0.25 * 1, s.value(3 + NX * (2 + NY)), 1e-6);
        // Direct reading refuses: 0.5 is not a label, and the message says what to do
        VolumeFormatException e = assertThrows(VolumeFormatException.class, () -> VolumeIO.read(f));
        assertTrue(e.getMessage().contains("float32.tif") && e.getMessage().contains("--otsu"), e.getMessage());
        // With Otsu it becomes two phases split at the middle of the ramp
        Volume two = VolumeIO.read(f, LabelConversion.otsu(2), ProgressListener.NONE);
        assertEquals(2, two.labelHistogram().size());
        assertEquals(0, two.get(0, 0, 0));
        assertEquals(1, two.get(NX - 1, NY - 1, NZ - 1));
    }

    @Test
    void colourTiffIsRefusedWithAHint() {
        VolumeFormatException e = assertThrows(VolumeFormatException.class,
                () -> VolumeIO.read(TestFiles.resource("tiff/rgb.tif")));
        assertTrue(e.getMessage().contains("rgb.tif") && e.getMessage().contains("3 samples per pixel"),
                e.getMessage());
    }

    @Test
    void pagesOfDifferentSizesAreRefused() {
        VolumeFormatException e = assertThrows(VolumeFormatException.class,
                () -> VolumeIO.read(TestFiles.resource("tiff/mixed_sizes.tif")));
        assertTrue(e.getMessage().contains("mixed_sizes.tif") && e.getMessage().contains("page 1 is 36 x 23"),
                e.getMessage());
    }

    @ParameterizedTest
    @ValueSource(strings = {"base8.tif", "deflate_strips8.tif", "tiled_deflate8.tif", "lzw_predictor16.tif"})
    void truncatedFilesFailCleanly(String file) throws IOException {
        byte[] whole = Files.readAllBytes(TestFiles.resource("tiff/" + file));
        for (int cut : new int[] {2, 7, 100, whole.length / 2, whole.length - 40}) {
            Path t = dir.resolve("cut" + cut + "-" + file);
            Files.write(t, Arrays.copyOf(whole, cut));
            assertThrows(VolumeFormatException.class, () -> VolumeIO.read(t), file + " cut at " + cut);
        }
    }

    @Test
    void truncatedMidStripIsRefusedNotZeroFilled() throws IOException {
        // Given an ImageJ-style file (IFDs first, strips after) cut in the middle of its last strip
        Path whole = TestFiles.resource("tiff/ifds_first8.tif");
        assertEquals(NX * NY * NZ, (int) TiffCodec.read(whole, ProgressListener.NONE).count());
        byte[] bytes = Files.readAllBytes(whole);
        Path t = dir.resolve("imagej-cut.tif");
        Files.write(t, Arrays.copyOf(bytes, bytes.length - NX * NY / 2));
        // When it is read, Then the error names the file and the page instead of returning zeros
        VolumeFormatException e = assertThrows(VolumeFormatException.class, () -> VolumeIO.read(t));
        assertTrue(e.getMessage().contains("imagej-cut.tif") && e.getMessage().contains("page 2"), e.getMessage());
    }

    @ParameterizedTest
    @EnumSource(TiffCodec.Compression.class)
    void writeThenReadIsLabelIdentical(TiffCodec.Compression compression) throws IOException {
        Random random = new Random(42);
        Volume v = Volume.generate(31, 17, 5, (x, y, z) -> random.nextInt(4) * 85);
        Path f = dir.resolve("out-" + compression + ".tif");
        VolumeIO.write(v, f, VolumeIO.WriteOptions.defaults().withCompression(compression));
        assertVolumeEquals(v, VolumeIO.read(f));
    }

    @Test
    void voxelSizeRoundTripsThroughImageJMetadata() throws IOException {
        Volume v = Volume.filled(4, 3, 2, 1).withVoxelSize(new VoxelSize(0.398, 0.4, 0.5));
        Path f = dir.resolve("sized.tif");
        VolumeIO.write(v, f, VolumeIO.WriteOptions.defaults());
        Volume back = VolumeIO.read(f);
        assertEquals(new VoxelSize(0.398, 0.4, 0.5), back.voxelSize());
        // and an unknown size stays unknown
        Path g = dir.resolve("unsized.tif");
        VolumeIO.write(Volume.filled(4, 3, 2, 1), g, VolumeIO.WriteOptions.defaults());
        assertFalse(VolumeIO.read(g).voxelSize().isKnown());
    }

    @Test
    void deflateIsTheDefaultAndCompresses() throws IOException {
        Volume v = Volume.generate(64, 64, 8, (x, y, z) -> x < 32 ? 0 : 1);
        Path f = dir.resolve("deflate.tif");
        VolumeIO.write(v, f, VolumeIO.WriteOptions.defaults());
        assertTrue(Files.size(f) < 64 * 64 * 8 / 10, "size " + Files.size(f));
        byte[] head = Arrays.copyOf(Files.readAllBytes(f), 4);
        assertTrue(head[0] == 'I' || head[0] == 'M');
    }

    @Test
    void existingOutputIsRefusedUnlessOverwriteAndNothingIsLeft() throws IOException {
        Path f = dir.resolve("exists.tif");
        Files.writeString(f, "keep me");
        Volume v = Volume.filled(2, 2, 2, 1);
        FileAlreadyExistsException e = assertThrows(FileAlreadyExistsException.class,
                () -> VolumeIO.write(v, f, VolumeIO.WriteOptions.defaults()));
        assertTrue(e.getMessage().contains("--force"), e.getMessage());
        assertEquals("keep me", Files.readString(f));
        VolumeIO.write(v, f, VolumeIO.WriteOptions.defaults().withOverwrite(true));
        assertVolumeEquals(v, VolumeIO.read(f));
        try (Stream<Path> files = Files.list(dir)) {
            assertEquals(List.of(f), files.toList(), "no temporary file left");
        }
    }

    @Test
    void missingOutputFolderIsRefused() {
        Path f = dir.resolve("no/such/folder/out.tif");
        NoSuchFileException e = assertThrows(NoSuchFileException.class,
                () -> VolumeIO.write(Volume.filled(2, 2, 2, 1), f, VolumeIO.WriteOptions.defaults()));
        assertTrue(e.getMessage().contains("does not exist"), e.getMessage());
    }

    @Test
    void aFailingWriterLeavesNoFile() throws IOException {
        Path f = dir.resolve("never.tif");
        assertThrows(IOException.class, () -> AtomicFile.write(f, false, out -> {
            out.write(new byte[1000]);
            throw new IOException("disk full");
        }));
        try (Stream<Path> files = Files.list(dir)) {
            assertEquals(0, files.count());
        }
    }
}
