package dev.microforge.training;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.microforge.datasets.Axis;
import dev.microforge.datasets.Volume;
import java.lang.management.ManagementFactory;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class OneHotSliceSamplerTest {

    private static final int S = 8;

    /** Label of patch {@code n}'s pixel (row r, column c) in a 2-phase one-hot batch. */
    private static int label(float[] batch, int n, int r, int c) {
        int plane = S * S;
        float one = batch[(n * 2 + 1) * plane + r * S + c];
        float zero = batch[(n * 2) * plane + r * S + c];
        assertEquals(1f, one + zero, "one-hot at " + n + "," + r + "," + c);
        return one == 1f ? 1 : 0;
    }

    /** Whether the patch varies down its rows, across its columns, or neither. */
    private static String variation(float[] batch, int n) {
        boolean rows = false;
        boolean columns = false;
        for (int r = 0; r < S; r++) {
            for (int c = 0; c < S; c++) {
                rows |= label(batch, n, r, c) != label(batch, n, 0, c);
                columns |= label(batch, n, r, c) != label(batch, n, r, 0);
            }
        }
        return rows && columns ? "both" : rows ? "rows" : columns ? "columns" : "none";
    }

    /**
     * A volume striped along one axis (label = (coordinate / 3) % 2) tells which plane a patch came
     * from: planes normal to the striped axis are uniform; the others vary down the rows (z, or y
     * for the z normal) or across the columns (x, or y for the x normal), as Volume.slice orients them.
     */
    @Test
    void volumePlanesHaveVolumeSliceOrientation() {
        String[][] expected = {
            // stripes along x: normal x, y, z
            {"none", "columns", "columns"},
            // stripes along y
            {"columns", "none", "rows"},
            // stripes along z
            {"rows", "rows", "none"},
        };
        for (Axis striped : Axis.values()) {
            Volume v = Volume.generate(20, 24, 28, (x, y, z) -> {
                int coordinate = striped == Axis.X ? x : striped == Axis.Y ? y : z;
                return (coordinate / 3) % 2;
            });
            OneHotSliceSampler sampler = OneHotSliceSampler.ofVolume(v, S, 2);
            assertTrue(!sampler.isotropic());
            SplittableRandom random = new SplittableRandom(5);
            for (Axis normal : Axis.values()) {
                float[] batch = sampler.sampleArray(normal, 6, random);
                assertEquals(6 * 2 * S * S, batch.length);
                for (int n = 0; n < 6; n++) {
                    assertEquals(expected[striped.ordinal()][normal.ordinal()], variation(batch, n),
                            "stripes along " + striped + ", normal " + normal + ", patch " + n);
                }
            }
        }
    }

    @Test
    void patchesAreExactCopiesOfVolumeSlices() {
        // Given a random 2-phase volume and the patch drawn with a known stream
        Volume v = Volume.generate(13, 11, 9, (x, y, z) -> new SplittableRandom(x * 1000 + y * 31 + z).nextInt(2));
        OneHotSliceSampler sampler = OneHotSliceSampler.ofVolume(v, S, 2);
        for (Axis normal : Axis.values()) {
            float[] batch = sampler.sampleArray(normal, 1, new SplittableRandom(9));
            // When the same draws are replayed by hand (plane index, column offset, row offset)
            SplittableRandom replay = new SplittableRandom(9);
            Volume plane = v.slice(normal, replay.nextInt(v.size(normal)));
            int c0 = replay.nextInt(plane.nx() - S + 1);
            int r0 = replay.nextInt(plane.ny() - S + 1);
            // Then the patch is that crop of Volume.slice
            for (int r = 0; r < S; r++) {
                for (int c = 0; c < S; c++) {
                    assertEquals(plane.get(c0 + c, r0 + r, 0), label(batch, 0, r, c), normal + " at " + r + "," + c);
                }
            }
        }
    }

    @Test
    void threeImagesServeTheirOwnAxesAndOneImageServesAll() {
        Volume zeros = Volume.filled(10, 12, 1, 0);
        Volume ones = Volume.filled(12, 10, 1, 1);
        Volume twos = Volume.filled(9, 9, 1, 2);
        OneHotSliceSampler three = OneHotSliceSampler.ofImages(zeros, ones, twos, S, 3);
        SplittableRandom random = new SplittableRandom(1);
        int plane = S * S;
        for (Axis axis : Axis.values()) {
            float[] batch = three.sampleArray(axis, 2, random);
            for (int n = 0; n < 2; n++) {
                for (int phase = 0; phase < 3; phase++) {
                    float expected = phase == axis.ordinal() ? 1f : 0f;
                    assertEquals(expected, batch[(n * 3 + phase) * plane + 5], axis + " phase " + phase);
                }
            }
        }
        OneHotSliceSampler one = OneHotSliceSampler.ofImage(ones, S, 2);
        assertTrue(one.isotropic());
        for (Axis axis : Axis.values()) {
            float[] batch = one.sampleArray(axis, 1, random);
            assertEquals(1f, batch[plane + 7]);
        }
    }

    /**
     * Memory: the constructor copies nothing and a draw allocates one batch, whatever the size of the
     * source (measured with the JVM's per-thread allocation counter).
     */
    @Test
    void holdsNoMoreThanOneBatch() {
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long thread = Thread.currentThread().getId();
        int batch = 4;
        int size = 32;
        long batchBytes = (long) batch * 3 * size * size * Float.BYTES;
        long[] perDraw = new long[2];
        int[] edges = {40, 160};
        for (int i = 0; i < 2; i++) {
            int edge = edges[i];
            Volume v = Volume.generate(edge, edge, edge, (x, y, z) -> (x + y + z) % 3);
            long before = threads.getThreadAllocatedBytes(thread);
            OneHotSliceSampler sampler = OneHotSliceSampler.ofVolume(v, size, 3);
            long built = threads.getThreadAllocatedBytes(thread) - before;
            // labelCounts (a 256-entry histogram per source) is the only allocation in the constructor
            assertTrue(built < 64 * 1024, "constructor allocated " + built + " bytes for a " + edge + "^3 source");
            SplittableRandom random = new SplittableRandom(3);
            for (Axis axis : Axis.values()) {
                sampler.sampleArray(axis, batch, random); // warm-up
            }
            long start = threads.getThreadAllocatedBytes(thread);
            for (int k = 0; k < 30; k++) {
                sampler.sampleArray(Axis.values()[k % 3], batch, random);
            }
            perDraw[i] = (threads.getThreadAllocatedBytes(thread) - start) / 30;
            assertTrue(perDraw[i] >= batchBytes && perDraw[i] < batchBytes + 4096,
                    "a draw of " + batchBytes + " bytes allocated " + perDraw[i] + " from a " + edge + "^3 source");
        }
    }

    @Test
    void badInputIsRefused() {
        Volume cube = Volume.filled(16, 16, 16, 0);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> OneHotSliceSampler.ofImage(cube, S, 2));
        assertTrue(e.getMessage().contains("must be 2D"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> OneHotSliceSampler.ofImage(Volume.filled(7, 20, 1, 0), S, 2));
        assertThrows(IllegalArgumentException.class, () -> OneHotSliceSampler.ofVolume(Volume.filled(16, 16, 16, 3), S, 3));
        OneHotSliceSampler ok = OneHotSliceSampler.ofVolume(cube, S, 2);
        assertThrows(IllegalArgumentException.class, () -> ok.sampleArray(Axis.X, 0, new SplittableRandom(1)));
    }
}
