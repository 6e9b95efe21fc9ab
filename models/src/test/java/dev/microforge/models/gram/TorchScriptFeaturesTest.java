package dev.microforge.models.gram;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.training.GradientCollector;
import dev.microforge.models.Engines;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A TorchScript model written by the test itself ({@link TorchScriptArchive}: two 3x3 convolutions with ReLU whose
 * weights are {@code sin(0.37 i)} and {@code cos(0.11 i)}, returning a dict of both activations) is loaded by path
 * and gives the same features, and the same input gradient, as the same network built from DJL operations.
 */
class TorchScriptFeaturesTest {

    private static final String METHODS = ""
            + "  def forward(self: __torch__.Tiny,\n"
            + "    x: Tensor) -> Dict[str, Tensor]:\n"
            + "    w1 = torch.reshape(torch.sin(torch.mul(torch.arange(432), 0.37)), [16, 3, 3, 3])\n"
            + "    a = torch.relu(torch.conv2d(x, w1, None, [1, 1], [1, 1], [1, 1], 1))\n"
            + "    if self.training:\n"
            + "      a = torch.mul(a, 2.0)\n"
            + "    w2 = torch.reshape(torch.cos(torch.mul(torch.arange(2304), 0.11)), [16, 16, 3, 3])\n"
            + "    b = torch.relu(torch.conv2d(a, w2, None, [1, 1], [1, 1], [1, 1], 1))\n"
            + "    return {\"conv1\": a, \"conv2\": b}\n";

    private static Path tinyModel(Path dir) throws Exception {
        Path file = dir.resolve("tiny.pt");
        TorchScriptArchive.write(file, "Tiny", METHODS);
        return file;
    }

    private static NDArray weights(NDManager m, int count, Shape shape, boolean sine, double step) {
        float[] w = new float[count];
        for (int i = 0; i < count; i++) {
            float arg = (float) i * (float) step;
            w[i] = (float) (sine ? Math.sin(arg) : Math.cos(arg));
        }
        return m.create(w, shape);
    }

    @Test
    void loadsByPathAndMatchesTheSameNetworkBuiltInDjl(@TempDir Path dir) throws Exception {
        Path file = tinyModel(dir);
        try (TorchScriptFeatures features = TorchScriptFeatures.load(file, List.of("conv2", "conv1"), 3);
                NDManager m = Engines.pytorch().newBaseManager()) {
            assertEquals(List.of("conv2", "conv1"), features.layers());
            assertEquals(2, features.spatialDimensions());
            Engines.pytorch().setRandomSeed(3);
            NDArray x0 = m.randomUniform(0f, 1f, new Shape(2, 3, 20, 24));
            NDArray r1 = m.randomNormal(new Shape(2, 16, 20, 24));
            NDArray r2 = m.randomNormal(new Shape(2, 16, 20, 24));

            // Given the TorchScript features and input gradient of L = sum(conv1 * r1) + sum(conv2 * r2)
            NDArray x = x0.duplicate();
            x.setRequiresGradient(true);
            float[] a;
            float[] b;
            try (GradientCollector c = Engines.pytorch().newGradientCollector()) {
                NDList f = features.features(x);
                assertEquals("conv2", f.get(0).getName());
                assertEquals("conv1", f.get(1).getName());
                a = f.get(1).toFloatArray();
                b = f.get(0).toFloatArray();
                c.backward(f.get(1).mul(r1).sum().add(f.get(0).mul(r2).sum()));
            }
            float[] gradient = x.getGradient().toFloatArray();

            // When the same network is built from DJL operations
            NDArray w1 = weights(m, 432, new Shape(16, 3, 3, 3), true, 0.37);
            NDArray w2 = weights(m, 2304, new Shape(16, 16, 3, 3), false, 0.11);
            NDArray y = x0.duplicate();
            y.setRequiresGradient(true);
            float[] a2;
            float[] b2;
            Shape one = new Shape(1, 1);
            try (GradientCollector c = Engines.pytorch().newGradientCollector()) {
                NDArray ya = Activation.relu(Conv2d.conv2d(y, w1, null, one, one).singletonOrThrow());
                NDArray yb = Activation.relu(Conv2d.conv2d(ya, w2, null, one, one).singletonOrThrow());
                a2 = ya.toFloatArray();
                b2 = yb.toFloatArray();
                c.backward(ya.mul(r1).sum().add(yb.mul(r2).sum()));
            }
            float[] gradient2 = y.getGradient().toFloatArray();

            // Then features and gradients agree to float32 rounding (and the model ran in eval mode: no doubling)
            assertClose("conv1", a2, a, 1e-4);
            assertClose("conv2", b2, b, 1e-4);
            assertClose("input gradient", gradient2, gradient, 1e-4);
        }
    }

    @Test
    void aLayerTheModelDoesNotReturnIsRefusedWithTheNamesItHas(@TempDir Path dir) throws Exception {
        Path file = tinyModel(dir);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> TorchScriptFeatures.load(file, List.of("relu5_1"), 3));
        assertTrue(e.getMessage().contains("relu5_1") && e.getMessage().contains("conv1")
                && e.getMessage().contains("conv2"), e.getMessage());
    }

    @Test
    void aFileThatIsNoTorchScriptModelIsRefused(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("broken.pt");
        java.nio.file.Files.writeString(file, "not a zip");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> TorchScriptFeatures.load(file, List.of("conv1"), 3));
        assertTrue(e.getMessage().contains("broken.pt"), e.getMessage());
        assertThrows(IllegalArgumentException.class,
                () -> TorchScriptFeatures.load(dir.resolve("missing.pt"), List.of("conv1"), 3));
    }

    private static void assertClose(String what, float[] expected, float[] actual, double tolerance) {
        assertEquals(expected.length, actual.length, what + " length");
        double scale = 0;
        double worst = 0;
        for (int i = 0; i < expected.length; i++) {
            scale = Math.max(scale, Math.abs(expected[i]));
            worst = Math.max(worst, Math.abs(expected[i] - actual[i]));
        }
        assertTrue(scale > 0, what + " is all zero");
        assertTrue(worst <= tolerance * scale, what + ": largest difference " + worst + " of scale " + scale);
    }
}
