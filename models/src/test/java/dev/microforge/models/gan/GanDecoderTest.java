package dev.microforge.models.gan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import dev.microforge.models.NoGradient;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/**
 * The decoder's inference path (last level folded into a 2x2x2 convolution at the low resolution, slabs, argmax of
 * the logits) against the generator's own forward pass (upsampling, 3x3x3 convolution, softmax, argmax) on the same
 * weights: two implementations of one function.
 */
class GanDecoderTest {
    private static final List<String> LABELS = List.of("pore", "active", "cbd");

    /** Labels of the generator's forward pass, as {@code GanModel.generate} computes them. */
    private static byte[] reference(GanModel model, float[] z, int batch, int lx, int ly, int lz) {
        try (NDManager sub = model.manager().newSubManager(); NoGradient off = NoGradient.enter()) {
            NDArray latent = sub.create(z, new Shape(batch, model.architecture().latentChannels(), lz, ly, lx));
            NDArray p = model.generator().forward(new ParameterStore(sub, false), new NDList(latent), false)
                    .singletonOrThrow();
            return p.argMax(1).toType(DataType.UINT8, false).toByteArray();
        }
    }

    /**
     * Asserts that the argmax over phases of {@code logits (batch, phases, voxels)} is {@code labels (batch, voxels)},
     * the first phase winning ties (as in libtorch and {@code decode}).
     */
    static void assertArgmaxIsLabels(float[] logits, byte[] labels, int batch, int phases) {
        int n = labels.length / batch;
        assertEquals((long) batch * phases * n, logits.length);
        for (int b = 0; b < batch; b++) {
            for (int i = 0; i < n; i++) {
                int best = 0;
                for (int q = 1; q < phases; q++) {
                    if (logits[(b * phases + q) * n + i] > logits[(b * phases + best) * n + i]) {
                        best = q;
                    }
                }
                assertEquals(labels[b * n + i], best, "sample " + b + ", voxel " + i);
            }
        }
    }

    private static float[] gaussian(int n, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = (float) dev.microforge.models.GaussianNoise.next(r);
        }
        return v;
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 2, 3})
    void foldedLastLevelGivesTheForwardPassLabels(int levels) {
        List<Integer> widths = List.of(16, 32, 16).subList(0, levels);
        GanArchitecture a = new GanArchitecture(8, widths, List.of(16), 3);
        try (GanDecoder d = new GanDecoder(GanModel.create(a, LABELS, 3 + levels))) {
            int lx = 5;
            int ly = 3;
            int lz = 4;
            int batch = 2;
            float[] z = gaussian(batch * 8 * lx * ly * lz, levels);
            byte[] expected = reference(d.model(), z, batch, lx, ly, lz);
            byte[] actual = d.decode(z, batch, lx, ly, lz);
            assertEquals(expected.length, actual.length);
            int differ = 0;
            int[] counts = new int[3];
            for (int i = 0; i < expected.length; i++) {
                differ += expected[i] != actual[i] ? 1 : 0;
                counts[actual[i]]++;
            }
            // summation order differs, so a voxel whose two best logits tie to rounding may flip: none expected
            assertTrue(differ <= expected.length / 10000, differ + " of " + expected.length + " labels differ");
            assertTrue(counts[0] > 0 && counts[1] > 0 && counts[2] > 0, "every phase occurs");
            // the logits the decode takes the argmax of (generate --fractions cuts them instead)
            assertTrue(d.hasLogits());
            assertArgmaxIsLabels(d.decodeLogits(z, batch, lx, ly, lz), actual, batch, 3);
        }
    }

    /**
     * Convolutions at the latent resolution: the generator runs them unpadded (its output shrinks by two latent voxels
     * per convolution), the decoder with zero padding; away from the zero padding of both (the generator's levels
     * reach {@code 2^levels - 1} voxels into its output) they give the same labels.
     */
    @Test
    void latentConvolutionsGiveTheForwardPassLabelsInsideTheMargin() {
        GanArchitecture a = new GanArchitecture(8, List.of(16, 16), List.of(16), 3, List.of(16, 32));
        try (GanDecoder d = new GanDecoder(GanModel.create(a, LABELS, 12))) {
            assertEquals(3, d.latentMargin());
            int k = 2;
            int s = d.sizeStep();
            int batch = 2;
            int lx = 9;
            int ly = 8;
            int lz = 7;
            float[] z = gaussian(batch * 8 * lx * ly * lz, 31);
            byte[] expected = reference(d.model(), z, batch, lx, ly, lz);
            byte[] actual = d.decode(z, batch, lx, ly, lz);
            int ex = (lx - 2 * k) * s;
            int ey = (ly - 2 * k) * s;
            int ez = (lz - 2 * k) * s;
            assertEquals((long) batch * ex * ey * ez, expected.length);
            assertEquals((long) batch * lx * ly * lz * s * s * s, actual.length);
            int differ = 0;
            int compared = 0;
            int[] counts = new int[3];
            for (int b = 0; b < batch; b++) {
                for (int zz = s; zz < ez - s; zz++) {
                    for (int y = s; y < ey - s; y++) {
                        for (int x = s; x < ex - s; x++) {
                            byte want = expected[((b * ez + zz) * ey + y) * ex + x];
                            byte got = actual[((b * lz * s + zz + k * s) * ly * s + y + k * s) * lx * s + x + k * s];
                            differ += want != got ? 1 : 0;
                            compared++;
                            counts[got]++;
                        }
                    }
                }
            }
            assertEquals(batch * (ex - 2 * s) * (ey - 2 * s) * (ez - 2 * s), compared);
            assertTrue(differ <= compared / 10000, differ + " of " + compared + " labels differ");
            assertTrue(counts[0] > 0 && counts[1] > 0 && counts[2] > 0, "every phase occurs");
        }
    }

    @Test
    void slabsOfTheLastLevelJoinExactly() {
        // a 40 x 40 cross-section at 16 channels: one padded row of features is 8 * 16 * 41 * 41 * 4 bytes (0.86 MiB),
        // so a 16 MiB slab holds 19 rows and 40 rows take three slabs
        try (GanDecoder d = new GanDecoder(GanModel.create(GanArchitecture.defaults(3), LABELS, 1))) {
            float[] z = gaussian(16 * 10 * 10 * 10, 5);
            byte[] whole = reference(d.model(), z, 1, 10, 10, 10);
            byte[] fast = d.decode(z, 1, 10, 10, 10);
            int differ = 0;
            for (int i = 0; i < whole.length; i++) {
                differ += whole[i] != fast[i] ? 1 : 0;
            }
            assertTrue(differ <= whole.length / 10000, differ + " of " + whole.length + " labels differ");
        }
    }

    @Test
    void reportsItsShapeAndRefusesBadArrays() {
        try (GanDecoder d = new GanDecoder(GanModel.create(GanArchitecture.defaults(3), LABELS, 1))) {
            assertEquals("gan3d", d.kind());
            assertEquals(4, d.sizeStep());
            assertEquals(16, d.latentChannels());
            assertEquals(1, d.latentMargin());
            assertEquals(3, d.phases());
            assertEquals(LABELS, d.phaseLabels());
            long perVoxel = (d.workingBytes(1, 64, 64, 64) - d.workingBytes(1, 32, 64, 64)) / (32L * 64 * 64 * 64);
            assertEquals(42, perVoxel, 1);
            assertTrue(d.workingBytes(2, 4, 4, 4) > d.workingBytes(1, 4, 4, 4));
            assertThrows(IllegalArgumentException.class, () -> d.decode(new float[10], 1, 1, 1, 1));
            assertThrows(IllegalArgumentException.class, () -> d.decode(new float[16], 0, 1, 1, 1));
            assertFalse(NoGradient.recording());
        }
    }
}
