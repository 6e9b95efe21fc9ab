package dev.microforge.models.slicegan;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import dev.microforge.datasets.Axis;

/**
 * Cuts a batch of (generated) volumes into 2D slices for SliceGAN's critics, differentiably: one
 * strided view, one transpose and one reshape, so the critic's gradient flows back into the chosen
 * planes of the generator's output.
 *
 * <p>Input {@code (N, C, D, H, W)} (D = z, H = y, W = x, the {@code Volume} order). The planes normal
 * to {@code axis} at positions {@code offset, offset + stride, ...} are returned as {@code (N * k, C,
 * rows, columns)}, sample-major ({@code n * k + j} is plane {@code j} of volume {@code n}), with rows
 * and columns in the orientation of {@code Volume.slice}: normal to z (rows y, columns x), normal to y
 * (rows z, columns x), normal to x (rows z, columns y).
 */
public final class VolumeSlicer {

    private VolumeSlicer() {}

    /**
     * Returns the planes normal to {@code axis} at {@code offset + j * stride}.
     *
     * @param volumes array {@code (N, C, D, H, W)}
     * @param axis the normal of the planes
     * @param offset first plane, {@code 0 <= offset < stride}
     * @param stride plane spacing, at least 1
     * @return array {@code (N * k, C, rows, columns)} with {@code k = ceil((size - offset) / stride)}
     */
    public static NDArray slices(NDArray volumes, Axis axis, int offset, int stride) {
        Shape s = volumes.getShape();
        if (s.dimension() != 5) {
            throw new IllegalArgumentException("expected volumes (N, C, D, H, W), got " + s);
        }
        if (stride < 1 || offset < 0 || offset >= stride) {
            throw new IllegalArgumentException(
                    "need 0 <= offset < stride, got offset " + offset + ", stride " + stride);
        }
        String planes = offset + "::" + stride;
        NDArray picked;
        int[] order;
        switch (axis) {
            case Z -> {
                picked = volumes.get(new NDIndex(":, :, " + planes));
                order = new int[] {0, 2, 1, 3, 4}; // (N, C, k, H, W) -> (N, k, C, y, x)
            }
            case Y -> {
                picked = volumes.get(new NDIndex(":, :, :, " + planes));
                order = new int[] {0, 3, 1, 2, 4}; // (N, C, D, k, W) -> (N, k, C, z, x)
            }
            default -> {
                picked = volumes.get(new NDIndex(":, :, :, :, " + planes));
                order = new int[] {0, 4, 1, 2, 3}; // (N, C, D, H, k) -> (N, k, C, z, y)
            }
        }
        NDArray t = picked.transpose(order);
        Shape ts = t.getShape();
        return t.reshape(ts.get(0) * ts.get(1), ts.get(2), ts.get(3), ts.get(4));
    }
}
