package dev.microforge.evaluator.morphology;

/**
 * Quantiles of a weighted sample (the d10/d50/d90 of size distributions). The weighted empirical distribution puts
 * value {@code v[i]} (ascending) at cumulative position {@code (W_i - w_i / 2) / W} (the Hazen plotting position,
 * which for equal weights is the midpoint rule); quantiles interpolate linearly between those points and clamp to
 * the smallest and largest value outside them. A single value is every quantile of itself.
 */
final class WeightedQuantiles {
    private WeightedQuantiles() {
    }

    /**
     * The {@code q}-quantile (0..1) of {@code values} (ascending) with non-negative {@code weights}.
     *
     * @return NaN when the total weight is zero
     */
    static double quantile(double[] values, double[] weights, double q) {
        double total = 0;
        for (double w : weights) {
            total += w;
        }
        if (!(total > 0)) {
            return Double.NaN;
        }
        double cum = 0;
        double prevPos = Double.NaN;
        double prevValue = Double.NaN;
        for (int i = 0; i < values.length; i++) {
            if (weights[i] <= 0) {
                continue;
            }
            double pos = (cum + weights[i] / 2) / total;
            cum += weights[i];
            if (q <= pos) {
                if (Double.isNaN(prevPos)) {
                    return values[i];
                }
                double t = (q - prevPos) / (pos - prevPos);
                return prevValue + t * (values[i] - prevValue);
            }
            prevPos = pos;
            prevValue = values[i];
        }
        return prevValue;
    }
}
