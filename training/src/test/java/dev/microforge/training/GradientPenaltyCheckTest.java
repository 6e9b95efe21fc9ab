package dev.microforge.training;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
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
import java.lang.reflect.Method;
import java.nio.DoubleBuffer;
import java.util.HashMap;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Checks the gradient behind WGAN-GP, d GP / d theta, three ways: against central finite differences
 * of GP in float64 at 16³; against libtorch's own second-order gradient (a create-graph backward,
 * the textbook way, which training avoids because it leaks) in float64; and, at 32³ where the 3x3x3
 * Conv3d bug would show, the float32 gradient against the float64 one. Default 3-phase critic, batch 2.
 */
class GradientPenaltyCheckTest {

    @Test
    void penaltyWeightGradientMatchesFiniteDifferencesAndCreateGraphBackward() throws Exception {
        Engine engine = Engines.pytorch();
        engine.setRandomSeed(3);
        SplittableRandom random = new SplittableRandom(3);
        Shape shape = new Shape(2, 3, 16, 16, 16);
        try (NDManager manager = engine.newBaseManager()) {
            Critic3d critic = new Critic3d(GanArchitecture.defaults(3));
            critic.initialize(manager, DataType.FLOAT64, shape);
            ParameterStore store = new ParameterStore(manager, false);
            NDArray x = manager.randomUniform(0f, 1f, shape).toType(DataType.FLOAT64, false);
            Map<String, double[]> analytic = penaltyGradient(engine, critic, store, x);
            Map<String, double[]> createGraph = createGraphPenaltyGradient(engine, critic, store, x);
            double worstFd = 0;
            double worstCreateGraph = 0;
            int probes = 0;
            for (Pair<String, Parameter> p : critic.getParameters()) {
                double[] a = analytic.get(p.getKey());
                double[] b = createGraph.get(p.getKey());
                double scale = 0;
                for (double v : a) {
                    scale = Math.max(scale, Math.abs(v));
                }
                for (int i = 0; i < a.length; i++) {
                    // the output bias does not enter the penalty: both gradients must be exactly zero
                    double d = scale == 0 ? Math.abs(b[i]) : Math.abs(a[i] - b[i]) / scale;
                    worstCreateGraph = Math.max(worstCreateGraph, Double.isNaN(d) ? Double.POSITIVE_INFINITY : d);
                }
                if (!p.getKey().endsWith("weight")) {
                    continue;
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
                    System.out.printf("GP gradient check %s[%d]: written-out backward %.6e, finite difference %.6e,"
                            + " create-graph %.6e, rel. error %.1e%n", p.getKey(), i, a[i], fd, b[i], err);
                    worstFd = Math.max(worstFd, Double.isNaN(err) ? Double.POSITIVE_INFINITY : err);
                    probes++;
                }
            }
            System.out.printf("GP gradient: max rel. error vs finite differences %.1e, vs create-graph backward %.1e%n",
                    worstFd, worstCreateGraph);
            assertTrue(probes >= 9, "probed " + probes);
            assertTrue(worstFd < 1e-4, "d GP / d theta off by " + worstFd);
            assertTrue(worstCreateGraph < 1e-12, "written-out and create-graph d GP / d theta differ by " + worstCreateGraph);
        }
    }

    @Test
    void float32PenaltyGradientAgreesWithFloat64At32Cubed() {
        Engine engine = Engines.pytorch();
        engine.setRandomSeed(4);
        Shape shape = new Shape(2, 3, 32, 32, 32);
        try (NDManager manager = engine.newBaseManager()) {
            Critic3d critic32 = new Critic3d(GanArchitecture.defaults(3));
            critic32.initialize(manager, DataType.FLOAT32, shape);
            Critic3d critic64 = new Critic3d(GanArchitecture.defaults(3));
            critic64.initialize(manager, DataType.FLOAT64, shape);
            for (int i = 0; i < critic32.getParameters().size(); i++) {
                critic64.getParameters().get(i).getValue().getArray()
                        .set(DoubleBuffer.wrap(critic32.getParameters().get(i).getValue().getArray().toType(DataType.FLOAT64, false).toDoubleArray()));
            }
            ParameterStore store = new ParameterStore(manager, false);
            NDArray x = manager.randomUniform(0f, 1f, shape);
            Map<String, double[]> g32 = penaltyGradient(engine, critic32, store, x);
            Map<String, double[]> g64 = penaltyGradient(engine, critic64, store, x.toType(DataType.FLOAT64, false));
            double worst = worstRelativeDifference(g32, g64);
            System.out.printf("GP gradient at 32^3: float32 vs float64 max rel. difference %.1e%n", worst);
            assertTrue(worst < 1e-3, "float32 d GP / d theta differs from float64 by " + worst);
        }
    }

    @Test
    void float64FallbackGivesTheFloat32PenaltyAndGradient() {
        // the trainer's fallback for a non-finite float32 gradient: same model, same input, penalty computed in float64
        Engine engine = Engines.pytorch();
        engine.setRandomSeed(6);
        Shape shape = new Shape(2, 3, 16, 16, 16);
        try (NDManager manager = engine.newBaseManager()) {
            Critic3d critic = new Critic3d(GanArchitecture.defaults(3));
            critic.initialize(manager, DataType.FLOAT32, shape);
            ParameterStore store = new ParameterStore(manager, false);
            NDArray x = manager.randomUniform(0f, 1f, shape);
            Map<String, double[]> g32 = penaltyGradient(engine, critic, store, x, DataType.FLOAT32);
            Map<String, double[]> g64 = penaltyGradient(engine, critic, store, x, DataType.FLOAT64);
            double p32 = WganGpTrainer.penalty(critic.inputGradient(store, x, DataType.FLOAT32)).getFloat();
            NDArray p64 = WganGpTrainer.penalty(critic.inputGradient(store, x, DataType.FLOAT64));
            assertEquals(DataType.FLOAT64, p64.getDataType());
            assertEquals(p32, p64.getDouble(), 1e-5 * Math.abs(p32));
            for (double[] gradient : g64.values()) {
                assertTrue(java.util.Arrays.stream(gradient).allMatch(Double::isFinite));
            }
            assertTrue(java.util.Arrays.stream(g64.get("01conv0_weight")).anyMatch(v -> v != 0), "no gradient reached");
            double worst = worstRelativeDifference(g32, g64);
            assertTrue(worst < 1e-3, "float64-path d GP / d theta differs from float32 by " + worst);
        }
    }

    /** Largest |a - b| per parameter array, relative to that array's largest |b|; NaN counts as infinite. */
    private static double worstRelativeDifference(Map<String, double[]> a, Map<String, double[]> b) {
        double worst = 0;
        for (String name : b.keySet()) {
            double[] x = a.get(name);
            double[] y = b.get(name);
            double scale = 0;
            for (double v : y) {
                scale = Math.max(scale, Math.abs(v));
            }
            for (int i = 0; i < x.length; i++) {
                double d = scale == 0 ? Math.abs(x[i]) : Math.abs(x[i] - y[i]) / scale;
                worst = Math.max(worst, Double.isNaN(d) ? Double.POSITIVE_INFINITY : d);
            }
        }
        return worst;
    }

    private static Map<String, double[]> penaltyGradient(Engine engine, Critic3d critic, ParameterStore store, NDArray x,
            DataType precision) {
        PtAutograd.zeroGradients(critic);
        try (GradientCollector collector = engine.newGradientCollector()) {
            NDArray penalty = WganGpTrainer.penalty(critic.inputGradient(store, x, precision));
            assertEquals(precision, penalty.getDataType());
            collector.backward(penalty);
        }
        Map<String, double[]> g = new HashMap<>();
        for (Pair<String, Parameter> p : critic.getParameters()) {
            g.put(p.getKey(), p.getValue().getArray().getGradient().toType(DataType.FLOAT64, false).toDoubleArray());
        }
        return g;
    }

    private static Map<String, double[]> penaltyGradient(Engine engine, Critic3d critic, ParameterStore store, NDArray x) {
        PtAutograd.zeroGradients(critic);
        try (GradientCollector collector = engine.newGradientCollector()) {
            collector.backward(WganGpTrainer.gradientPenalty(critic, store, x));
        }
        Map<String, double[]> g = new HashMap<>();
        for (Pair<String, Parameter> p : critic.getParameters()) {
            g.put(p.getKey(), p.getValue().getArray().getGradient().toType(DataType.FLOAT64, false).toDoubleArray());
        }
        return g;
    }

    /** The textbook penalty gradient: libtorch backward(create_graph=true) on the scores, then backward of GP. */
    private static Map<String, double[]> createGraphPenaltyGradient(Engine engine, Critic3d critic, ParameterStore store,
            NDArray x) throws Exception {
        NDArray input = x.duplicate();
        input.setRequiresGradient(true);
        Map<String, double[]> g = new HashMap<>();
        try (GradientCollector collector = engine.newGradientCollector()) {
            NDArray scores = critic.forward(store, new NDList(input), true).singletonOrThrow();
            Method backward = collector.getClass().getDeclaredMethod(
                    "backward", NDArray.class, NDArray.class, boolean.class, boolean.class);
            backward.setAccessible(true);
            backward.invoke(collector, scores.sum(), scores.sum().onesLike(), true, true);
            NDArray grad = input.getGradient();
            NDArray gp = grad.reshape(2, -1).square().sum(new int[] {1}).add(1e-12f).sqrt().sub(1f).square().mean();
            PtAutograd.zeroGradients(critic); // drop d sum C / d theta left by the create-graph backward
            collector.backward(gp);
            for (Pair<String, Parameter> p : critic.getParameters()) {
                g.put(p.getKey(), p.getValue().getArray().getGradient().toType(DataType.FLOAT64, false).toDoubleArray());
            }
        }
        return g;
    }

    private static double penalty(Critic3d critic, ParameterStore store, NDArray x) {
        return WganGpTrainer.gradientPenalty(critic, store, x).getDouble();
    }
}
