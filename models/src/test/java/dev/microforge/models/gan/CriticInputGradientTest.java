package dev.microforge.models.gan;

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
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The critic's written-out input gradient ({@link Critic3d#inputGradient}) against libtorch's
 * autograd input gradient of the summed scores (a plain first-order backward), over every voxel, at
 * 16³ and 32³ (where the 3x3x3 convolution bug would show), batch 2, 3 phases.
 */
class CriticInputGradientTest {

    @ParameterizedTest(name = "{0}^3, critic widths {1}")
    @CsvSource({"16, 16;32", "32, 16;32", "32, 16;16;32"})
    void writtenOutGradientEqualsAutograd(int size, String widths) {
        Engine engine = Engines.pytorch();
        engine.setRandomSeed(5);
        java.util.List<Integer> w = java.util.Arrays.stream(widths.split(";")).map(Integer::valueOf).toList();
        GanArchitecture architecture = new GanArchitecture(16, java.util.List.of(16), w, 3);
        Shape shape = new Shape(2, 3, size, size, size);
        try (NDManager manager = engine.newBaseManager()) {
            Critic3d critic = new Critic3d(architecture);
            critic.initialize(manager, DataType.FLOAT32, shape);
            ParameterStore store = new ParameterStore(manager, false);
            NDArray x = manager.randomUniform(0f, 1f, shape);
            x.setRequiresGradient(true);
            try (GradientCollector collector = engine.newGradientCollector()) {
                NDArray scores = critic.forward(store, new NDList(x), true).singletonOrThrow();
                collector.backward(scores.sum());
            }
            float[] autograd = x.getGradient().toFloatArray();
            NDArray written = critic.inputGradient(store, manager.randomUniform(0f, 1f, shape).mul(0).add(x.stopGradient()));
            assertEquals(shape, written.getShape());
            float[] explicit = written.toFloatArray();
            double scale = 0;
            double worst = 0;
            for (int i = 0; i < autograd.length; i++) {
                scale = Math.max(scale, Math.abs(autograd[i]));
            }
            for (int i = 0; i < autograd.length; i++) {
                double d = Math.abs(autograd[i] - explicit[i]);
                worst = Math.max(worst, Double.isNaN(d) ? Double.POSITIVE_INFINITY : d);
            }
            System.out.printf("critic input gradient %d^3 widths %s: max |autograd - written| / max|g| = %.2e%n",
                    size, widths, worst / scale);
            assertTrue(scale > 0, "zero gradient");
            assertTrue(worst / scale < 1e-4, "written-out input gradient differs by " + worst / scale);
        }
    }
}
