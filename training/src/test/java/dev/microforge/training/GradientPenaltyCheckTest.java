package dev.microforge.training;

import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import ai.djl.util.Pair;
import dev.microforge.models.Engines;
import dev.microforge.models.gan.Critic3d;
import dev.microforge.models.gan.GanArchitecture;
import java.nio.DoubleBuffer;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Checks the second-order gradient behind WGAN-GP: d GP / d theta from libtorch's create-graph
 * backward against central finite differences of GP, in float64, for weights of every critic layer
 * (16³, batch 2, default 3-phase critic).
 */
class GradientPenaltyCheckTest {

    @Test
    void penaltyWeightGradientMatchesFiniteDifferences() {
        Engine engine = Engines.pytorch();
        engine.setRandomSeed(3);
        SplittableRandom random = new SplittableRandom(3);
        Shape shape = new Shape(2, 3, 16, 16, 16);
        try (NDManager manager = engine.newBaseManager()) {
            Critic3d critic = new Critic3d(GanArchitecture.defaults(3));
            critic.initialize(manager, DataType.FLOAT64, shape);
            ParameterStore store = new ParameterStore(manager, false);
            NDArray x = manager.randomUniform(0f, 1f, shape).toType(DataType.FLOAT64, false);
            try (GradientCollector collector = engine.newGradientCollector()) {
                NDArray gp = WganGpTrainer.gradientPenalty(critic, store, x.duplicate(), collector);
                collector.backward(gp);
            }
            // read every analytic gradient first: each finite-difference evaluation zeroes them
            java.util.Map<String, double[]> analyticByName = new java.util.HashMap<>();
            for (Pair<String, Parameter> p : critic.getParameters()) {
                analyticByName.put(p.getKey(), p.getValue().getArray().getGradient().toDoubleArray());
            }
            double worst = 0;
            int probes = 0;
            for (Pair<String, Parameter> p : critic.getParameters()) {
                if (!p.getKey().endsWith("weight")) {
                    continue;
                }
                NDArray w = p.getValue().getArray();
                double[] analytic = analyticByName.get(p.getKey());
                double scale = 0;
                for (double a : analytic) {
                    scale = Math.max(scale, Math.abs(a));
                }
                double[] values = w.toDoubleArray();
                for (int probe = 0; probe < 3; probe++) {
                    int i = random.nextInt(values.length);
                    double h = 1e-5;
                    double saved = values[i];
                    values[i] = saved + h;
                    w.set(DoubleBuffer.wrap(values));
                    double plus = penalty(engine, critic, store, x);
                    values[i] = saved - h;
                    w.set(DoubleBuffer.wrap(values));
                    double minus = penalty(engine, critic, store, x);
                    values[i] = saved;
                    w.set(DoubleBuffer.wrap(values));
                    double fd = (plus - minus) / (2 * h);
                    double err = Math.abs(fd - analytic[i]) / Math.max(Math.max(Math.abs(fd), Math.abs(analytic[i])), 1e-3 * scale);
                    System.out.printf("GP second-order check %s[%d]: autograd %.6e, finite difference %.6e, rel. error %.1e%n",
                            p.getKey(), i, analytic[i], fd, err);
                    worst = Math.max(worst, Double.isNaN(err) ? Double.POSITIVE_INFINITY : err);
                    probes++;
                }
            }
            assertTrue(probes >= 9, "probed " + probes);
            assertTrue(worst < 1e-4, "d GP / d theta off by " + worst);
        }
    }

    private static double penalty(Engine engine, Critic3d critic, ParameterStore store, NDArray x) {
        try (GradientCollector collector = engine.newGradientCollector()) {
            return WganGpTrainer.gradientPenalty(critic, store, x.duplicate(), collector).getDouble();
        }
    }
}
