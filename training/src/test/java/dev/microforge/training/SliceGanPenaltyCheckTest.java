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
import dev.microforge.models.slicegan.Critic2d;
import dev.microforge.models.slicegan.SliceGanArchitecture;
import java.nio.DoubleBuffer;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The gradient behind SliceGAN's WGAN-GP, d GP / d theta of a 2D critic through its written-out input
 * gradient: against central finite differences of GP in float64 (16², 3 phases, widths 16, 32, batch
 * 2), and float32 against float64 at 64² with the default widths, where a convolution bug like the 3D
 * one would show.
 */
class SliceGanPenaltyCheckTest {

    @Test
    void penaltyWeightGradientMatchesFiniteDifferences() {
        Engine engine = Engines.pytorch();
        engine.setRandomSeed(3);
        SplittableRandom random = new SplittableRandom(3);
        Shape shape = new Shape(2, 3, 16, 16);
        try (NDManager manager = engine.newBaseManager()) {
            Critic2d critic = new Critic2d(new SliceGanArchitecture(16, List.of(16), List.of(16, 32), 3, 1));
            critic.initialize(manager, DataType.FLOAT64, shape);
            ParameterStore store = new ParameterStore(manager, false);
            NDArray x = manager.randomUniform(0f, 1f, shape).toType(DataType.FLOAT64, false);
            Map<String, double[]> analytic = penaltyGradient(engine, critic, store, x);
            double worst = 0;
            int probes = 0;
            for (Pair<String, Parameter> p : critic.getParameters()) {
                if (!p.getKey().endsWith("weight")) {
                    continue;
                }
                double[] a = analytic.get(p.getKey());
                double scale = 0;
                for (double v : a) {
                    scale = Math.max(scale, Math.abs(v));
                }
                NDArray w = p.getValue().getArray();
                double[] values = w.toDoubleArray();
                for (int probe = 0; probe < 3; probe++) {
                    int i = random.nextInt(values.length);
                    double h = 1e-5;
                    double saved = values[i];
                    values[i] = saved + h;
                    w.set(DoubleBuffer.wrap(values));
                    double plus = penalty(critic, store, x);
                    values[i] = saved - h;
                    w.set(DoubleBuffer.wrap(values));
                    double minus = penalty(critic, store, x);
                    values[i] = saved;
                    w.set(DoubleBuffer.wrap(values));
                    double fd = (plus - minus) / (2 * h);
                    double err = Math.abs(fd - a[i]) / Math.max(Math.max(Math.abs(fd), Math.abs(a[i])), 1e-3 * scale);
                    System.out.printf("2D GP gradient check %s[%d]: written-out backward %.6e, finite difference %.6e,"
                            + " rel. error %.1e%n", p.getKey(), i, a[i], fd, err);
                    worst = Math.max(worst, Double.isNaN(err) ? Double.POSITIVE_INFINITY : err);
                    probes++;
                }
            }
            assertTrue(probes >= 9, "probed " + probes);
            assertTrue(worst < 1e-4, "d GP / d theta off by " + worst);
        }
    }

    @Test
    void float32PenaltyGradientAgreesWithFloat64At64Squared() {
        Engine engine = Engines.pytorch();
        engine.setRandomSeed(4);
        Shape shape = new Shape(2, 3, 64, 64);
        SliceGanArchitecture architecture = SliceGanArchitecture.defaults(3, 1);
        try (NDManager manager = engine.newBaseManager()) {
            Critic2d critic32 = new Critic2d(architecture);
            critic32.initialize(manager, DataType.FLOAT32, shape);
            Critic2d critic64 = new Critic2d(architecture);
            critic64.initialize(manager, DataType.FLOAT64, shape);
            for (int i = 0; i < critic32.getParameters().size(); i++) {
                critic64.getParameters().get(i).getValue().getArray().set(DoubleBuffer.wrap(
                        critic32.getParameters().get(i).getValue().getArray().toType(DataType.FLOAT64, false).toDoubleArray()));
            }
            ParameterStore store = new ParameterStore(manager, false);
            NDArray x = manager.randomUniform(0f, 1f, shape);
            Map<String, double[]> g32 = penaltyGradient(engine, critic32, store, x);
            Map<String, double[]> g64 = penaltyGradient(engine, critic64, store, x.toType(DataType.FLOAT64, false));
            double worst = 0;
            for (String name : g64.keySet()) {
                double[] a = g32.get(name);
                double[] b = g64.get(name);
                double scale = 0;
                for (double v : b) {
                    scale = Math.max(scale, Math.abs(v));
                }
                for (int i = 0; i < a.length; i++) {
                    double d = scale == 0 ? Math.abs(a[i]) : Math.abs(a[i] - b[i]) / scale;
                    worst = Math.max(worst, Double.isNaN(d) ? Double.POSITIVE_INFINITY : d);
                }
            }
            System.out.printf("2D GP gradient at 64^2: float32 vs float64 max rel. difference %.1e%n", worst);
            assertTrue(worst < 1e-3, "float32 d GP / d theta differs from float64 by " + worst);
        }
    }

    private static Map<String, double[]> penaltyGradient(Engine engine, Critic2d critic, ParameterStore store, NDArray x) {
        PtAutograd.zeroGradients(critic);
        try (GradientCollector collector = engine.newGradientCollector()) {
            collector.backward(WganGpTrainer.penalty(critic.inputGradient(store, x)));
        }
        Map<String, double[]> g = new HashMap<>();
        for (Pair<String, Parameter> p : critic.getParameters()) {
            g.put(p.getKey(), p.getValue().getArray().getGradient().toType(DataType.FLOAT64, false).toDoubleArray());
        }
        return g;
    }

    private static double penalty(Critic2d critic, ParameterStore store, NDArray x) {
        return WganGpTrainer.penalty(critic.inputGradient(store, x)).getDouble();
    }
}
