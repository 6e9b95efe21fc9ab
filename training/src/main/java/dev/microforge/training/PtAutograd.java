package dev.microforge.training;

import ai.djl.ndarray.NDArray;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import ai.djl.util.Pair;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;

/**
 * The two autograd operations DJL 0.36's public API lacks and WGAN-GP needs, reached by reflection
 * into the PyTorch engine (a runtime-only dependency):
 *
 * <ul>
 *   <li>{@link #backwardCreateGraph}: libtorch {@code backward(create_graph=true)} through {@code
 *       PtGradientCollector}'s private {@code backward(target, grad, keepGraph, createGraph)}, so the
 *       gradient left on an input is itself differentiable (second-order gradients);
 *   <li>{@link #zeroGradients}: {@code JniUtils.zeroGrad}, which detaches each parameter gradient
 *       in place before zeroing it. A create-graph backward leaves parameter gradients that carry a
 *       graph referencing the parameters (libtorch warns of a reference cycle); detaching breaks it.
 * </ul>
 */
final class PtAutograd {

    private static final Method ZERO_GRAD = zeroGradMethod();

    private PtAutograd() {}

    static void backwardCreateGraph(GradientCollector collector, NDArray target) {
        try {
            Method m = collector.getClass().getDeclaredMethod(
                    "backward", NDArray.class, NDArray.class, boolean.class, boolean.class);
            m.setAccessible(true);
            try (NDArray ones = target.onesLike()) {
                m.invoke(collector, target, ones, true, true);
            }
        } catch (NoSuchMethodException | IllegalAccessException | RuntimeException e) {
            throw new IllegalStateException(
                    "this DJL engine (" + collector.getClass().getName() + ") offers no create-graph backward;"
                            + " the WGAN-GP gradient penalty needs second-order gradients", e);
        } catch (InvocationTargetException e) {
            throw new IllegalStateException("create-graph backward failed: " + e.getCause(), e.getCause());
        }
    }

    static void zeroGradients(Block block) {
        for (Pair<String, Parameter> p : block.getParameters()) {
            NDArray weight = p.getValue().getArray();
            if (!weight.hasGradient()) {
                continue;
            }
            if (ZERO_GRAD != null && ZERO_GRAD.getParameterTypes()[0].isInstance(weight)) {
                try {
                    ZERO_GRAD.invoke(null, weight);
                    continue;
                } catch (IllegalAccessException | InvocationTargetException e) {
                    throw new IllegalStateException("zeroGrad failed for " + p.getKey(), e);
                }
            }
            try (NDArray grad = weight.getGradient()) {
                grad.subi(grad);
            }
        }
    }

    private static Method zeroGradMethod() {
        try {
            Class<?> ptArray = Class.forName("ai.djl.pytorch.engine.PtNDArray");
            return Class.forName("ai.djl.pytorch.jni.JniUtils").getMethod("zeroGrad", ptArray);
        } catch (ClassNotFoundException | NoSuchMethodException e) {
            return null;
        }
    }
}
