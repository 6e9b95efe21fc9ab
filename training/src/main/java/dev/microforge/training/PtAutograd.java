package dev.microforge.training;

import ai.djl.ndarray.NDArray;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.util.Pair;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;

/**
 * Zeroes parameter gradients through libtorch's {@code zero_()} ({@code JniUtils.zeroGrad}, reached by
 * reflection into the PyTorch engine, a runtime-only dependency): DJL 0.36's public API has no call
 * that clears a parameter's gradient, and backward passes accumulate. {@code zero_()} also clears
 * non-finite entries, which an arithmetic fallback ({@code g - g}) would keep. Note that it zeroes in
 * place and keeps any graph a gradient carries, so training never runs a create-graph backward (see
 * {@link dev.microforge.models.gan.Critic3d#inputGradient}).
 */
final class PtAutograd {

    private static final Method ZERO_GRAD = zeroGradMethod();

    private PtAutograd() {}

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
