package dev.microforge.training.gram;

import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import dev.microforge.datasets.Axis;
import dev.microforge.datasets.Volume;
import dev.microforge.models.Engines;
import dev.microforge.models.gram.RandomFeatureExtractor;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The gradient of the Gram loss (texture, two-point and fraction terms, slices along x, y and z, shifted windows,
 * two scales) with respect to the voxel logits, by autograd, against central finite differences of the same loss,
 * all in float64 on a tiny case (3 phases, 12 x 10 x 9 voxels).
 */
class GramLossGradientTest {

    /** Small tensors: one thread per operation is faster, and much faster on a busy machine. */
    @org.junit.jupiter.api.BeforeAll
    static void oneThread() {
        dev.microforge.models.Engines.setThreads(1);
    }

    @Test
    void autogradMatchesCentralDifferencesInFloat64() {
        SplittableRandom random = new SplittableRandom(5);
        Volume image = Volume.generate(40, 40, 1, (x, y, z) -> {
            double v = Math.sin(x * 0.45) + Math.cos(y * 0.3 + x * 0.1) + 0.6 * random.nextDouble();
            return v < -0.4 ? 0 : v < 0.7 ? 1 : 2;
        });
        Exemplar exemplar = Exemplar.image(image);
        int[] size = {12, 10, 9};
        RandomFeatureExtractor.Options eo = new RandomFeatureExtractor.Options(3, List.of(1, 2), 16, 2, 3);
        try (RandomFeatureExtractor extractor = RandomFeatureExtractor.create(eo);
                GramLoss loss = GramLoss.create(extractor, exemplar, 1, size, true, new double[] {0.3, 0.5, 0.2}, 2.0,
                        5.0, 4);
                NDManager m = Engines.pytorch().newBaseManager()) {
            int n = 3 * size[0] * size[1] * size[2];
            double[] theta = new double[n];
            for (int i = 0; i < n; i++) {
                theta[i] = random.nextGaussian();
            }
            Shape shape = new Shape(1, 3, size[2], size[1], size[0]);
            Map<Axis, GramLoss.Slices> picks = new EnumMap<>(Axis.class);
            picks.put(Axis.X, new GramLoss.Slices(1, 3, 1, 0));
            picks.put(Axis.Y, new GramLoss.Slices(0, 2, 0, 1));
            picks.put(Axis.Z, new GramLoss.Slices(2, 4, 1, 1));

            // Given the autograd gradient in float64
            NDArray t = m.create(theta, shape);
            t.setRequiresGradient(true);
            try (GradientCollector c = Engines.pytorch().newGradientCollector()) {
                c.backward(loss.evaluate(t, picks));
            }
            double[] gradient = t.getGradient().toDoubleArray();
            double scale = 0;
            for (double g : gradient) {
                scale = Math.max(scale, Math.abs(g));
            }
            assertTrue(scale > 0, "the gradient is zero everywhere");

            // When central differences are taken at 24 entries (among them the largest gradient entry)
            double eps = 1e-5;
            double worst = 0;
            int largest = 0;
            for (int i = 1; i < n; i++) {
                if (Math.abs(gradient[i]) > Math.abs(gradient[largest])) {
                    largest = i;
                }
            }
            for (int probe = 0; probe < 24; probe++) {
                int i = probe == 0 ? largest : random.nextInt(n);
                double plus = value(loss, m, theta, i, eps, shape, picks);
                double minus = value(loss, m, theta, i, -eps, shape, picks);
                double fd = (plus - minus) / (2 * eps);
                double error = Math.abs(fd - gradient[i]) / Math.max(Math.max(Math.abs(fd), Math.abs(gradient[i])),
                        1e-3 * scale);
                worst = Math.max(worst, error);
            }

            // Then they agree to 1e-5 (relative, on the gradient's own scale)
            assertTrue(worst < 1e-5, "largest relative error " + worst);
        }
    }

    private static double value(GramLoss loss, NDManager m, double[] theta, int i, double delta, Shape shape,
            Map<Axis, GramLoss.Slices> picks) {
        double[] moved = theta.clone();
        moved[i] += delta;
        try (NDManager sub = m.newSubManager()) {
            NDArray t = sub.create(moved, shape);
            return loss.evaluate(t, picks).toType(DataType.FLOAT64, false).getDouble();
        }
    }
}
