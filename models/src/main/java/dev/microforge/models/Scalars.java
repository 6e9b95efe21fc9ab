package dev.microforge.models;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;

/**
 * Multiplication and division by a number inside a computation that autograd records.
 *
 * <p>DJL 0.36.0's PyTorch engine computes {@code x.mul(0.5f)} (likewise {@code muli}, {@code div}, {@code divi}) by
 * wrapping the number in a 0-d tensor over a Java direct buffer ({@code torch::from_blob}), multiplying, and closing
 * the wrapper at once. libtorch's autograd keeps that tensor for the backward pass (the gradient of a product needs
 * the other factor, that of a quotient the divisor), but nothing keeps the buffer: once the garbage collector frees
 * it, the backward pass reads freed memory. The gradient is then off by a little or by 10^17, depending on when the
 * collector ran and what reused the memory (found 2026-11-27: the VAE encoder's gradient norm came out 30,364,
 * 5.1e6 or 3.2e17 instead of 31,857 under a {@code System.gc()} loop; on a loaded machine it happened by itself, now
 * and then). Here the number is a 0-d tensor in libtorch's own memory ({@code torch::full}), attached to the
 * array's manager, so it lives as long as the graph that uses it. Arithmetic outside a recorded computation (an
 * optimiser's update, a mask) and addition or subtraction of a number (whose gradient needs no factor) are safe
 * with DJL's own methods.
 */
public final class Scalars {

    private Scalars() {}

    /**
     * A 0-d tensor of {@code value} in libtorch's memory, of {@code like}'s data type, on its manager and device.
     *
     * @param like the array it will be combined with
     * @param value the number
     * @return the scalar array, attached to {@code like}'s manager
     */
    public static NDArray of(NDArray like, double value) {
        return like.getManager().full(new Shape(), (float) value, like.getDataType());
    }

    /**
     * {@code a * value}, safe to differentiate.
     *
     * @param a the array
     * @param value the factor
     * @return the product
     */
    public static NDArray times(NDArray a, double value) {
        return a.mul(of(a, value));
    }

    /**
     * {@code a / value}, safe to differentiate.
     *
     * @param a the array
     * @param value the divisor
     * @return the quotient
     */
    public static NDArray over(NDArray a, double value) {
        return a.div(of(a, value));
    }
}
