package dev.microforge.training;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import dev.microforge.models.Engines;
import dev.microforge.models.Scalars;
import dev.microforge.models.vae.VaeModel;
import java.util.Arrays;
import java.util.List;
import java.util.function.BiFunction;
import org.junit.jupiter.api.Test;

/**
 * {@link Scalars}: products and quotients by a number keep their gradient while the garbage collector runs between
 * the forward and the backward pass, and a VAE iteration (whose KL term and reparameterisation multiply by numbers)
 * gives the same gradients under a {@link GcStorm} as without.
 */
class ScalarsTest {

    private static float[] gradient(BiFunction<NDArray, Double, NDArray> op, double value) throws InterruptedException {
        try (NDManager m = NDManager.newBaseManager(); GradientCollector c = Engines.pytorch().newGradientCollector()) {
            NDArray x = m.ones(new Shape(4, 8));
            x.setRequiresGradient(true);
            NDArray y = op.apply(x, value).sum();
            Thread.sleep(15); // lets the storm collect and reuse what the forward pass left behind
            c.backward(y);
            return x.getGradient().toFloatArray();
        }
    }

    @Test
    void productsAndQuotientsByANumberKeepTheirGradientWhileTheCollectorRuns() throws InterruptedException {
        float[] half = new float[32];
        Arrays.fill(half, 0.5f);
        float[] quarter = new float[32];
        Arrays.fill(quarter, 0.25f);
        try (GcStorm storm = new GcStorm()) {
            for (int trial = 0; trial < 20; trial++) {
                assertArrayEquals(half, gradient(Scalars::times, 0.5), "d(0.5 x)/dx, trial " + trial);
                assertArrayEquals(quarter, gradient(Scalars::over, 4.0), "d(x / 4)/dx, trial " + trial);
            }
        }
    }

    @Test
    void aVaeIterationHasTheSameGradientsWhileTheCollectorRuns() {
        List<Double> calm = vaeNorms();
        try (GcStorm storm = new GcStorm()) {
            for (int trial = 0; trial < 4; trial++) {
                assertEquals(calm, vaeNorms(), "trial " + trial);
            }
        }
    }

    /** The encoder's and decoder's gradient norms of the first iteration of a small VAE. */
    private static List<Double> vaeNorms() {
        try (VaeModel model = VaeModel.create(VaeTrainerTest.small(), List.of("pore", "active", "cbd"), 41);
                VaeTrainer trainer = VaeTrainer.create(model, VaeTrainerTest.data(), VaeTrainerTest.quick(41), null,
                        null)) {
            return List.copyOf(trainer.iterate(1).gradientNorms().values());
        }
    }
}
