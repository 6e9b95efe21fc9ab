package dev.microforge.training;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.core.Linear;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import dev.microforge.models.Engines;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import org.junit.jupiter.api.Test;

/** Our Adam against a scalar double-precision transcription of the update rule, and its state round trip. */
class AdamTest {

    /** Loss sum(W x) for a fixed x: the gradient of W is x (constant), the bias gradient 1. */
    private static void backward(Linear layer, NDManager m, NDArray x) {
        PtAutograd.zeroGradients(layer);
        try (GradientCollector c = Engines.pytorch().newGradientCollector()) {
            c.backward(layer.forward(new ParameterStore(m, false), new NDList(x), true).singletonOrThrow().sum());
        }
    }

    @Test
    void threeStepsMatchTheReferenceFormulaAndStateRoundTrips() throws IOException {
        Engines.pytorch().setRandomSeed(1);
        try (NDManager m = Engines.pytorch().newBaseManager()) {
            Linear layer = Linear.builder().setUnits(1).build();
            layer.initialize(m, DataType.FLOAT32, new Shape(1, 3));
            NDArray x = m.create(new float[] {0.5f, -2f, 3f}, new Shape(1, 3));
            float[] w0 = layer.getParameters().get("weight").getArray().toFloatArray();
            Adam.Options o = new Adam.Options(0.1, 0.5, 0.9, 1e-8);
            Adam adam = new Adam(layer, m, o);
            double[] w = new double[3];
            double[] mm = new double[3];
            double[] vv = new double[3];
            for (int i = 0; i < 3; i++) {
                w[i] = w0[i];
            }
            double[] g = {0.5, -2, 3};
            for (int t = 1; t <= 3; t++) {
                backward(layer, m, x);
                double norm = adam.step();
                assertEquals(Math.sqrt(0.25 + 4 + 9 + 1), norm, 1e-5); // weight grads and the bias grad 1
                for (int i = 0; i < 3; i++) {
                    mm[i] = 0.5 * mm[i] + 0.5 * g[i];
                    vv[i] = 0.9 * vv[i] + 0.1 * g[i] * g[i];
                    double mh = mm[i] / (1 - Math.pow(0.5, t));
                    double vh = vv[i] / (1 - Math.pow(0.9, t));
                    w[i] -= 0.1 * mh / (Math.sqrt(vh) + 1e-8);
                }
            }
            float[] got = layer.getParameters().get("weight").getArray().toFloatArray();
            for (int i = 0; i < 3; i++) {
                assertEquals(w[i], got[i], 1e-5, "weight " + i);
            }
            // state round trip: a restored optimiser continues exactly like the original
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            adam.save(new DataOutputStream(bytes));
            Linear twin = Linear.builder().setUnits(1).build();
            twin.initialize(m, DataType.FLOAT32, new Shape(1, 3));
            twin.getParameters().get("weight").getArray().set(got);
            twin.getParameters().get("bias").getArray().set(layer.getParameters().get("bias").getArray().toFloatArray());
            Adam restored = new Adam(twin, m, o);
            restored.load(new DataInputStream(new ByteArrayInputStream(bytes.toByteArray())));
            assertEquals(3, restored.steps());
            backward(layer, m, x);
            adam.step();
            backward(twin, m, x);
            restored.step();
            assertArrayEquals(layer.getParameters().get("weight").getArray().toFloatArray(),
                    twin.getParameters().get("weight").getArray().toFloatArray());
            // a state for another network is refused with the parameter's name
            Linear other = Linear.builder().setUnits(2).build();
            other.initialize(m, DataType.FLOAT32, new Shape(1, 3));
            IOException e = assertThrows(IOException.class, () -> new Adam(other, m, o)
                    .load(new DataInputStream(new ByteArrayInputStream(bytes.toByteArray()))));
            assertTrue(e.getMessage().contains("shape"), e.getMessage());
        }
    }

    /**
     * The average is the exponential moving average of the iterates (a = w after the first step, then d a + (1 - d)
     * w), recomputed here in double precision from the weights after each step; swapping twice restores the weights
     * bit for bit; the state round trip carries the average; a version-1 state (no average) still loads.
     */
    @Test
    void theAverageOfTheIteratesIsKeptSwappedAndSaved() throws IOException {
        Engines.pytorch().setRandomSeed(2);
        try (NDManager m = Engines.pytorch().newBaseManager()) {
            Linear layer = Linear.builder().setUnits(1).build();
            layer.initialize(m, DataType.FLOAT32, new Shape(1, 3));
            NDArray x = m.create(new float[] {0.5f, -2f, 3f}, new Shape(1, 3));
            Adam.Options o = new Adam.Options(0.1, 0.5, 0.9, 1e-8);
            double d = 0.8;
            Adam adam = new Adam(layer, m, o, d);
            assertTrue(adam.averaging());
            double[] average = null;
            for (int t = 1; t <= 4; t++) {
                backward(layer, m, x);
                adam.step();
                float[] w = layer.getParameters().get("weight").getArray().toFloatArray();
                if (average == null) {
                    average = new double[] {w[0], w[1], w[2]};
                } else {
                    for (int i = 0; i < 3; i++) {
                        average[i] = d * average[i] + (1 - d) * w[i];
                    }
                }
            }
            float[] trained = layer.getParameters().get("weight").getArray().toFloatArray();
            adam.swapAverage();
            float[] swapped = layer.getParameters().get("weight").getArray().toFloatArray();
            for (int i = 0; i < 3; i++) {
                assertEquals(average[i], swapped[i], 1e-5, "average " + i);
            }
            assertTrue(Math.abs(swapped[0] - trained[0]) > 1e-3, "the average lags the iterate");
            // the round trip carries the average: the twin, swapped, holds the same averaged weights
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            adam.save(new DataOutputStream(bytes));
            adam.swapAverage();
            assertArrayEquals(trained, layer.getParameters().get("weight").getArray().toFloatArray(), 0f);
            Linear twin = Linear.builder().setUnits(1).build();
            twin.initialize(m, DataType.FLOAT32, new Shape(1, 3));
            // saved while swapped: the state holds the trained weights as its "average", the layer the average
            twin.getParameters().get("weight").getArray().set(swapped);
            twin.getParameters().get("bias").getArray().set(layer.getParameters().get("bias").getArray().toFloatArray());
            Adam restored = new Adam(twin, m, o, d);
            restored.load(new DataInputStream(new ByteArrayInputStream(bytes.toByteArray())));
            restored.swapAverage();
            assertArrayEquals(trained, twin.getParameters().get("weight").getArray().toFloatArray(), 0f);
            // a version-1 state: the same bytes up to the averages, version field 1
            byte[] v1 = java.util.Arrays.copyOf(bytes.toByteArray(), bytes.size());
            java.nio.ByteBuffer.wrap(v1).putInt(4, 1);
            Adam old = new Adam(twin, m, o, d);
            old.load(new DataInputStream(new ByteArrayInputStream(v1)));
            float[] before = twin.getParameters().get("weight").getArray().toFloatArray();
            old.swapAverage(); // no average yet: nothing to swap
            assertArrayEquals(before, twin.getParameters().get("weight").getArray().toFloatArray(), 0f);
            assertEquals(4, old.steps());
            assertThrows(IllegalArgumentException.class, () -> new Adam(layer, m, o, 1));
            assertThrows(IllegalArgumentException.class, () -> new Adam(layer, m, o, -0.1));
        }
    }

    @Test
    void badHyperparametersAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> new Adam.Options(0, 0.5, 0.9, 1e-8));
        assertThrows(IllegalArgumentException.class, () -> new Adam.Options(1e-4, 1, 0.9, 1e-8));
        assertThrows(IllegalArgumentException.class, () -> new Adam.Options(1e-4, 0.5, -0.1, 1e-8));
        assertThrows(IllegalArgumentException.class, () -> new Adam.Options(Double.NaN, 0.5, 0.9, 1e-8));
    }
}
