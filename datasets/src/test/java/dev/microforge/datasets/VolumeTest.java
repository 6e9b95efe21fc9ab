package dev.microforge.datasets;

import static dev.microforge.datasets.VolumeAssert.assertDimensions;
import static dev.microforge.datasets.VolumeAssert.assertVolumeEquals;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class VolumeTest {
    /** Label of the test pattern: unique enough that any reshuffle of coordinates changes it. */
    private static int pattern(int x, int y, int z) {
        return (x + 7 * y + 31 * z) & 0xFF;
    }

    private static Volume patterned(int nx, int ny, int nz) {
        return Volume.generate(nx, ny, nz, VolumeTest::pattern);
    }

    @Test
    void layoutIsXFastest() {
        // Given a 3 x 2 x 2 array whose value is its own index
        byte[] data = new byte[12];
        for (int i = 0; i < 12; i++) {
            data[i] = (byte) i;
        }
        // When it becomes a volume
        Volume v = Volume.of(3, 2, 2, data);
        // Then voxel (x, y, z) is element x + nx * (y + ny * z)
        assertEquals(0, v.get(0, 0, 0));
        assertEquals(1, v.get(1, 0, 0));
        assertEquals(3, v.get(0, 1, 0));
        assertEquals(6, v.get(0, 0, 1));
        assertEquals(11, v.get(2, 1, 1));
        assertEquals(11, v.index(2, 1, 1));
    }

    @Test
    void labelsAreUnsigned() {
        Volume v = Volume.of(2, 1, 1, new byte[] {(byte) 255, (byte) 128});
        assertEquals(255, v.get(0, 0, 0));
        assertEquals(128, v.get(1));
        assertEquals(Map.of(128, 1L, 255, 1L), v.labelHistogram());
    }

    @Test
    void ofCopiesItsInput() {
        byte[] data = new byte[8];
        Volume v = Volume.of(2, 2, 2, data);
        data[0] = 9;
        assertEquals(0, v.get(0, 0, 0));
        byte[] copy = v.toArray();
        copy[1] = 9;
        assertEquals(0, v.get(1, 0, 0));
    }

    @ParameterizedTest
    @CsvSource({"0,1,1", "1,0,1", "1,1,0", "-1,1,1"})
    void nonPositiveDimensionsAreRefused(int nx, int ny, int nz) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Volume.filled(nx, ny, nz, 0));
        assertTrue(e.getMessage().contains(nx + " x " + ny + " x " + nz), e.getMessage());
    }

    @Test
    void wrongArrayLengthIsRefusedWithBothSizes() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Volume.of(2, 2, 2, new byte[7]));
        assertTrue(e.getMessage().contains("7") && e.getMessage().contains("8"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Volume.of(2, 2, 2, null));
    }

    @Test
    void labelsOutside0To255AreRefused() {
        assertThrows(IllegalArgumentException.class, () -> Volume.filled(1, 1, 1, 256));
        assertThrows(IllegalArgumentException.class, () -> Volume.filled(1, 1, 1, -1));
    }

    @Test
    void tooLargeForOneArrayIsRefusedBeforeAllocating() {
        VolumeTooLargeException e = assertThrows(VolumeTooLargeException.class,
                () -> Volume.filled(2048, 2048, 1024, 0));
        assertTrue(e.getMessage().contains("4,294,967,296"), e.getMessage());
    }

    @Test
    void tooLargeForTheHeapSaysTheXmxToUse() {
        // 2^31 - 9 voxels of 4 bytes is more than the test JVM's 2 GiB heap
        VolumeTooLargeException e = assertThrows(VolumeTooLargeException.class,
                () -> Volume.checkDimensions(1290, 1290, 1290, 4));
        assertTrue(e.getMessage().contains("-Xmx"), e.getMessage());
        assertTrue(e.getMessage().contains("bytes"), e.getMessage());
    }

    @Test
    void oneVoxelVolumeWorks() {
        Volume v = Volume.filled(1, 1, 1, 7);
        assertEquals(1, v.voxelCount());
        assertEquals(7, v.get(0, 0, 0));
        assertVolumeEquals(v, v.permute(Axis.Z, Axis.X, Axis.Y));
        assertVolumeEquals(v, v.slice(Axis.X, 0));
    }

    @Test
    void cropTakesTheBoxAtTheOrigin() {
        Volume v = patterned(7, 5, 3);
        Volume c = v.crop(2, 1, 1, 4, 3, 2);
        assertDimensions(4, 3, 2, c);
        for (int z = 0; z < 2; z++) {
            for (int y = 0; y < 3; y++) {
                for (int x = 0; x < 4; x++) {
                    assertEquals(pattern(x + 2, y + 1, z + 1), c.get(x, y, z));
                }
            }
        }
    }

    @ParameterizedTest
    @CsvSource({"0,0,0,8,5,3", "5,0,0,3,1,1", "0,0,0,0,1,1", "-1,0,0,1,1,1", "0,4,0,1,2,1", "0,0,3,1,1,1"})
    void cropOutsideIsRefusedNamingTheBox(int x0, int y0, int z0, int sx, int sy, int sz) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> patterned(7, 5, 3).crop(x0, y0, z0, sx, sy, sz));
        assertTrue(e.getMessage().contains("7 x 5 x 3"), e.getMessage());
    }

    @Test
    void slicesKeepInPlaneAxisOrder() {
        Volume v = patterned(7, 5, 3);
        Volume z = v.slice(Axis.Z, 2);
        Volume y = v.slice(Axis.Y, 4);
        Volume x = v.slice(Axis.X, 6);
        assertDimensions(7, 5, 1, z);
        assertDimensions(7, 3, 1, y);
        assertDimensions(5, 3, 1, x);
        assertEquals(pattern(3, 4, 2), z.get(3, 4, 0));
        assertEquals(pattern(3, 4, 2), y.get(3, 2, 0));
        assertEquals(pattern(6, 4, 2), x.get(4, 2, 0));
        assertThrows(IllegalArgumentException.class, () -> v.slice(Axis.Z, 3));
    }

    @Test
    void permuteMovesAxesAndVoxelSize() {
        Volume v = patterned(7, 5, 3).withVoxelSize(new VoxelSize(1, 2, 3));
        Volume p = v.permute(Axis.Z, Axis.X, Axis.Y);
        assertDimensions(3, 7, 5, p);
        assertEquals(new VoxelSize(3, 1, 2), p.voxelSize());
        for (int z = 0; z < 3; z++) {
            for (int y = 0; y < 5; y++) {
                for (int x = 0; x < 7; x++) {
                    assertEquals(v.get(x, y, z), p.get(z, x, y));
                }
            }
        }
        // Given the inverse permutation, the original comes back
        assertVolumeEquals(v, p.permute(Axis.Y, Axis.Z, Axis.X));
        assertThrows(IllegalArgumentException.class, () -> v.permute(Axis.X, Axis.X, Axis.Z));
    }

    @Test
    void remapRelabelsAndRefusesUnmappedLabels() {
        Volume v = Volume.of(3, 1, 1, new byte[] {0, (byte) 128, (byte) 255});
        int[] lut = new int[256];
        java.util.Arrays.fill(lut, -1);
        lut[0] = 0;
        lut[128] = 1;
        lut[255] = 2;
        assertArrayEquals(new byte[] {0, 1, 2}, v.remap(lut).toArray());
        lut[255] = -1;
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> v.remap(lut));
        assertTrue(e.getMessage().contains("label 255 at voxel (2, 0, 0)"), e.getMessage());
    }

    @Test
    void compactLabelsRenumbersByRank() {
        Volume v = Volume.of(4, 1, 1, new byte[] {(byte) 170, 0, 85, (byte) 170});
        assertArrayEquals(new byte[] {2, 0, 1, 2}, v.compactLabels().toArray());
        assertVolumeEquals(Volume.filled(2, 2, 2, 0), Volume.filled(2, 2, 2, 9).compactLabels());
    }

    @Test
    void countsAndHistogramAgree() {
        Volume v = patterned(11, 13, 17);
        long[] counts = v.labelCounts();
        long total = 0;
        for (long c : counts) {
            total += c;
        }
        assertEquals(11 * 13 * 17, total);
        v.labelHistogram().forEach((label, count) -> assertEquals(counts[label], count));
        // against a count voxel by voxel, with labels above 127 and lengths 45, 54, 63, 72 (1, 2, 3, 0 past a multiple
        // of four)
        for (int nx = 5; nx <= 8; nx++) {
            int width = nx;
            Volume w = Volume.generate(nx, 3, 3, (x, y, z) -> (x * 37 + y * 101 + z * 7) % 5 * 60);
            long[] expected = new long[256];
            for (int z = 0; z < 3; z++) {
                for (int y = 0; y < 3; y++) {
                    for (int x = 0; x < width; x++) {
                        expected[w.get(x, y, z)]++;
                    }
                }
            }
            assertArrayEquals(expected, w.labelCounts(), "edge " + nx);
            assertTrue(expected[240] > 0);
        }
    }

    @Test
    void firstDifferenceNamesTheVoxel() {
        Volume a = patterned(4, 3, 2);
        byte[] data = a.toArray();
        data[a.index(2, 1, 1)] ^= 1;
        Volume b = Volume.of(4, 3, 2, data);
        Optional<String> d = a.firstDifference(b);
        assertTrue(d.isPresent());
        assertTrue(d.get().contains("(2, 1, 1)"), d.get());
        assertTrue(a.firstDifference(a.crop(0, 0, 0, 4, 3, 1)).get().contains("dimensions"));
        assertNotEquals(a, b);
        assertEquals(a, Volume.of(4, 3, 2, a.toArray()));
        assertEquals(a.hashCode(), Volume.of(4, 3, 2, a.toArray()).hashCode());
    }

    @Test
    void builderCannotBeReusedAfterBuild() {
        VolumeBuilder b = VolumeBuilder.create(2, 2, 2);
        b.set(1, 1, 1, 5);
        Volume v = b.build();
        assertEquals(5, v.get(1, 1, 1));
        assertThrows(IllegalStateException.class, () -> b.set(0, 0, 0, 1));
        assertThrows(IllegalArgumentException.class, () -> VolumeBuilder.adopt(2, 2, 2, new byte[7]));
    }
}
