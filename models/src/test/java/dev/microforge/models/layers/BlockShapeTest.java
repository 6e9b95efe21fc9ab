package dev.microforge.models.layers;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.training.ParameterStore;
import dev.microforge.models.Engines;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class BlockShapeTest {

    private static Shape forwardShape(Block block, Shape input) {
        try (NDManager manager = Engines.pytorch().newBaseManager()) {
            Engines.pytorch().setRandomSeed(7);
            block.initialize(manager, DataType.FLOAT32, input);
            NDArray out =
                    block.forward(
                                    new ParameterStore(manager, false),
                                    new NDList(manager.randomNormal(input)),
                                    false)
                            .singletonOrThrow();
            assertEquals(block.getOutputShapes(new Shape[] {input})[0], out.getShape());
            return out.getShape();
        }
    }

    @Test
    void resizeConvolutionDoublesEverySpatialAxis() {
        // Given a non-cubic batch of 2 with 3 channels, When resized to 16 channels
        Shape out = forwardShape(new ResizeConvolution3d(16), new Shape(2, 3, 4, 5, 6));
        // Then N is kept, C is the filter count and D, H, W double
        assertEquals(new Shape(2, 16, 8, 10, 12), out);
    }

    @Test
    void kernel3KeepsSpatialSize() {
        assertEquals(
                new Shape(1, 32, 5, 7, 3),
                forwardShape(Convolutions3d.kernel3(32), new Shape(1, 1, 5, 7, 3)));
    }

    @Test
    void phaseHeadGivesProbabilitiesPerVoxel() {
        try (NDManager manager = Engines.pytorch().newBaseManager()) {
            Engines.pytorch().setRandomSeed(11);
            PhaseHead head = new PhaseHead(3);
            Shape input = new Shape(2, 16, 4, 3, 5);
            head.initialize(manager, DataType.FLOAT32, input);
            NDArray p =
                    head.forward(
                                    new ParameterStore(manager, false),
                                    new NDList(manager.randomNormal(input).mul(3)),
                                    false)
                            .singletonOrThrow();
            assertEquals(new Shape(2, 3, 4, 3, 5), p.getShape());
            float[] sums = p.sum(new int[] {1}).toFloatArray();
            for (float s : sums) {
                assertEquals(1.0, s, 1e-5);
            }
            assertTrue(p.min().getFloat() >= 0f);
        }
    }

    @Test
    void upsampleNearest2CopiesEachVoxelToA2x2x2Block() {
        try (NDManager manager = Engines.pytorch().newBaseManager()) {
            // Given voxel values 0..7 on a 2x2x2 grid (x fastest)
            NDArray in = manager.arange(0f, 8f).reshape(1, 1, 2, 2, 2);
            // When upsampled
            float[] out = ResizeConvolution3d.upsampleNearest2(in).toFloatArray();
            // Then output (z, y, x) holds input (z/2, y/2, x/2)
            float[] expected = new float[64];
            for (int z = 0; z < 4; z++) {
                for (int y = 0; y < 4; y++) {
                    for (int x = 0; x < 4; x++) {
                        expected[x + 4 * (y + 4 * z)] = (x / 2) + 2 * ((y / 2) + 2 * (z / 2));
                    }
                }
            }
            assertArrayEquals(expected, out);
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {-16, 0, 1, 3, 8, 17, 24, 40})
    void kernel3RejectsChannelCountsThatAreNotMultiplesOf16(int channels) {
        IllegalArgumentException e =
                assertThrows(IllegalArgumentException.class, () -> Convolutions3d.kernel3(channels));
        assertTrue(e.getMessage().contains("got " + channels), e.getMessage());
        assertTrue(e.getMessage().contains("multiple of 16"), e.getMessage());
        assertTrue(e.getMessage().contains("libtorch"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new ResizeConvolution3d(channels));
    }

    @Test
    void roundingSuggestionInMessage() {
        IllegalArgumentException e =
                assertThrows(IllegalArgumentException.class, () -> Convolutions3d.kernel3(17));
        assertTrue(e.getMessage().contains("round up to 32"), e.getMessage());
    }

    @ParameterizedTest
    @ValueSource(ints = {-1, 0, 1})
    void phaseHeadNeedsAtLeastTwoPhases(int phases) {
        IllegalArgumentException e =
                assertThrows(IllegalArgumentException.class, () -> new PhaseHead(phases));
        assertTrue(e.getMessage().contains("got " + phases), e.getMessage());
    }

    @Test
    void pointwiseAcceptsAnyPositiveCount() {
        assertEquals(
                new Shape(1, 3, 2, 2, 2),
                forwardShape(Convolutions3d.pointwise(3), new Shape(1, 16, 2, 2, 2)));
        assertThrows(IllegalArgumentException.class, () -> Convolutions3d.pointwise(0));
    }

    @Test
    void rank4InputIsRejected() {
        IllegalArgumentException e =
                assertThrows(
                        IllegalArgumentException.class,
                        () -> new ResizeConvolution3d(16).getOutputShapes(new Shape[] {new Shape(1, 2, 3, 4)}));
        assertTrue(e.getMessage().contains("rank 5"), e.getMessage());
    }
}
