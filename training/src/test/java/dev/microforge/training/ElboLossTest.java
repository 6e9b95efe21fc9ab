package dev.microforge.training;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.microforge.models.Engines;
import org.junit.jupiter.api.Test;

class ElboLossTest {

    @Test
    void klMatchesTheClosedForm() {
        try (NDManager m = Engines.pytorch().newBaseManager()) {
            // Given sample 0: mu = (1, 0), var = (1, 2); sample 1: mu = (0, 0), var = (1, 1)
            NDArray mean = m.create(new float[] {1, 0, 0, 0}, new Shape(2, 2));
            NDArray logVar = m.create(new float[] {0, (float) Math.log(2), 0, 0}, new Shape(2, 2));
            // When
            float[] kl = ElboLoss.kl(mean, logVar).toFloatArray();
            // Then KL = 0.5 * sum(mu^2 + var - 1 - ln var): 0.5 * (1 + 0 + 0) + 0.5 * (0 + 2 - 1 - ln 2); 0
            double expected = 0.5 + 0.5 * (1 - Math.log(2));
            assertEquals(0.6534264097, expected, 1e-9);
            assertArrayEquals(new float[] {(float) expected, 0f}, kl, 1e-6f);
        }
    }

    @Test
    void crossEntropyIsZeroForAPerfectPredictionAndLnPForAUniformOne() {
        try (NDManager m = Engines.pytorch().newBaseManager()) {
            int phases = 3;
            int voxels = 8;
            float[] target = new float[phases * voxels];
            float[] confident = new float[phases * voxels];
            for (int v = 0; v < voxels; v++) {
                int label = v % phases;
                target[label * voxels + v] = 1f;
                confident[label * voxels + v] = 40f; // softmax = 1 - 2e^-40
            }
            Shape shape = new Shape(1, phases, 2, 2, 2);
            NDArray y = m.create(target, shape);
            float perfect = ElboLoss.reconstruction(m.create(confident, shape), y).getFloat();
            assertEquals(0f, perfect, 1e-12f);
            float uniform = ElboLoss.reconstruction(m.zeros(shape), y).getFloat();
            assertEquals(voxels * Math.log(phases), uniform, 1e-5);
            // a wrong confident prediction costs 40 nats per voxel
            float[] wrong = new float[phases * voxels];
            for (int v = 0; v < voxels; v++) {
                wrong[((v + 1) % phases) * voxels + v] = 40f;
            }
            assertEquals(voxels * 40.0, ElboLoss.reconstruction(m.create(wrong, shape), y).getFloat(), 1e-3);
            assertEquals(5.0 + 0.5 * 2.0, ElboLoss.total(m.create(new float[] {5f}), m.create(new float[] {2f}), 0.5).getFloat(), 1e-6);
            assertThrows(IllegalArgumentException.class, () -> ElboLoss.reconstruction(m.zeros(shape), m.zeros(new Shape(1, 2, 2, 2, 2))));
        }
    }
}
