package dev.microforge.models;

import java.lang.reflect.Method;

/**
 * Switches libtorch's autograd recording off for the current thread while open (PyTorch's {@code torch.no_grad()}),
 * so an inference pass keeps no graph and no activations for a backward pass that will never come.
 *
 * <p>DJL 0.36 switches grad mode off only on the thread that starts the engine and has no public switch; libtorch's
 * grad mode is thread-local, so a forward pass on another thread through parameters that require gradients would
 * record a graph. This reaches {@code ai.djl.pytorch.jni.JniUtils.isGradMode/setGradMode} (public, in the
 * runtime-only engine jar) by reflection and restores the previous mode on {@link #close()}. With another engine it
 * does nothing.
 */
public final class NoGradient implements AutoCloseable {
    private static final Method IS_GRAD_MODE;
    private static final Method SET_GRAD_MODE;

    static {
        Method is = null;
        Method set = null;
        try {
            Class<?> jni = Class.forName("ai.djl.pytorch.jni.JniUtils");
            is = jni.getMethod("isGradMode");
            set = jni.getMethod("setGradMode", boolean.class);
        } catch (ClassNotFoundException | NoSuchMethodException e) {
            // another engine: nothing to switch
        }
        IS_GRAD_MODE = is;
        SET_GRAD_MODE = set;
    }

    private final boolean previous;

    private NoGradient(boolean previous) {
        this.previous = previous;
    }

    /**
     * Switches recording off until {@link #close()}; start the engine ({@link Engines#pytorch()}) first.
     *
     * @return the scope to close
     */
    public static NoGradient enter() {
        boolean previous = invoke(IS_GRAD_MODE, null);
        invoke(SET_GRAD_MODE, false);
        return new NoGradient(previous);
    }

    /**
     * Whether libtorch records gradients on this thread now.
     *
     * @return the current grad mode (false without the PyTorch engine)
     */
    public static boolean recording() {
        return invoke(IS_GRAD_MODE, null);
    }

    @Override
    public void close() {
        invoke(SET_GRAD_MODE, previous);
    }

    private static boolean invoke(Method m, Boolean argument) {
        if (m == null) {
            return false;
        }
        try {
            Object r = argument == null ? m.invoke(null) : m.invoke(null, argument);
            return r instanceof Boolean b && b;
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("cannot switch libtorch grad mode: " + e, e);
        }
    }
}
