package dev.microforge.evaluator.correlation;

/**
 * A sampled correlation function: {@code value[i]} at separation {@code distance[i]}.
 *
 * @param distance separations, ascending, in the result's {@link dev.microforge.evaluator.geometry.LengthUnit}
 * @param value the function at each separation (a probability for S2, C2, S3; 1/unit^2 for Fss)
 */
public record Curve(double[] distance, double[] value) {
    public Curve {
        if (distance == null || value == null || distance.length != value.length) {
            throw new IllegalArgumentException("a curve needs as many distances as values, got "
                    + (distance == null ? "null" : distance.length) + " and " + (value == null ? "null" : value.length));
        }
    }

    /** Number of samples. */
    public int size() {
        return value.length;
    }
}
