package dev.microforge.models.slicegan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import dev.microforge.models.Engines;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The 2D critic's written-out input gradient ({@link Critic2d#inputGradient}: a transposed strided
 * convolution as zero insertion plus convolution) against libtorch's autograd input gradient of the
 * summed scores, over every pixel, batch 2, at 16², 32² and 64² (default widths), 2 and 3 phases.
 */
class Critic2dInputGradientTest {

    @ParameterizedTest(name = "{0}^2, {1} phases, critic widths {2}")
    @CsvSource({"16, 3, 16;32", "32, 2, 16;32;64", "64, 3, 16;32;64;64", "64, 2, 16;32;64;64"})
    void writtenOutGradientEqualsAutograd(int size, int phases, String widths) {
        Engine engine = Engines.pytorch();
        engine.setRandomSeed(5);
        List<Integer> w = Arrays.stream(widths.split(";")).map(Integer::valueOf).toList();
        SliceGanArchitecture architecture = new SliceGanArchitecture(16, List.of(16), w, phases, 1);
        Shape shape = new Shape(2, phases, size, size);
        try (NDManager manager = engine.newBaseManager()) {
            Critic2d critic = new Critic2d(architecture);
            critic.initialize(manager, DataType.FLOAT32, shape);
            ParameterStore store = new ParameterStore(manager, false);
            NDArray x = manager.randomUniform(0f, 1f, shape);
            x.setRequiresGradient(true);
            try (GradientCollector collector = engine.newGradientCollector()) {
                NDArray scores = critic.forward(store, new NDList(x), true).singletonOrThrow();
                collector.backward(scores.sum());
            }
            float[] autograd = x.getGradient().toFloatArray();
            NDArray written = critic.inputGradient(store, x.stopGradient().duplicate());
            assertEquals(shape, written.getShape());
            float[] explicit = written.toFloatArray();
            double scale = 0;
            double worst = 0;
            for (float v : autograd) {
                scale = Math.max(scale, Math.abs(v));
            }
            for (int i = 0; i < autograd.length; i++) {
                double d = Math.abs(autograd[i] - explicit[i]);
                worst = Math.max(worst, Double.isNaN(d) ? Double.POSITIVE_INFINITY : d);
            }
            System.out.printf("2D critic input gradient %d^2, %d phases, widths %s: max |autograd - written| / max|g| = %.2e%n",
                    size, phases, widths, worst / scale);
            assertTrue(scale > 0, "zero gradient");
            assertTrue(worst / scale < 1e-4, "written-out input gradient differs by " + worst / scale);
        }
    }
}
