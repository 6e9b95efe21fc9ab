package dev.microforge.models.surrogate;

import java.util.List;
import java.util.Locale;

/**
 * Standardisation of the property vector: the network learns {@code (y - mean) / sd} per property, so that every
 * property weighs alike in the loss whatever its unit. Means and standard deviations come from the training designs
 * (undefined values, NaN, skipped); a property that does not vary there gets {@code sd = 1}.
 *
 * @param names property names, in output order
 * @param mean mean of each property over the training designs
 * @param sd standard deviation of each property (positive)
 */
public record TargetScaler(List<String> names, double[] mean, double[] sd) {
    public TargetScaler {
        names = List.copyOf(names);
        if (mean == null || sd == null || mean.length != names.size() || sd.length != names.size()) {
            throw new IllegalArgumentException(String.format(Locale.ROOT,
                    "scaler needs one mean and one sd per property (%d), got %s and %s", names.size(),
                    mean == null ? "null" : mean.length, sd == null ? "null" : sd.length));
        }
        mean = mean.clone();
        sd = sd.clone();
        for (int i = 0; i < sd.length; i++) {
            if (!(sd[i] > 0 && Double.isFinite(sd[i])) || !Double.isFinite(mean[i])) {
                throw new IllegalArgumentException(String.format(Locale.ROOT,
                        "scaler of %s needs a finite mean and a positive sd, got %s and %s", names.get(i), mean[i],
                        sd[i]));
            }
        }
    }

    @Override
    public double[] mean() {
        return mean.clone();
    }

    @Override
    public double[] sd() {
        return sd.clone();
    }

    /**
     * Fits the scaler to {@code values[design][property]} (NaN = undefined).
     *
     * @throws IllegalArgumentException when a property has no defined value at all
     */
    public static TargetScaler fit(List<String> names, List<double[]> values) {
        int k = names.size();
        double[] mean = new double[k];
        double[] sd = new double[k];
        for (int j = 0; j < k; j++) {
            double sum = 0;
            int count = 0;
            for (double[] row : values) {
                if (!Double.isNaN(row[j])) {
                    sum += row[j];
                    count++;
                }
            }
            if (count == 0) {
                throw new IllegalArgumentException("property " + names.get(j) + " is undefined on every training "
                        + "design; nothing to learn");
            }
            mean[j] = sum / count;
            double ss = 0;
            for (double[] row : values) {
                if (!Double.isNaN(row[j])) {
                    ss += (row[j] - mean[j]) * (row[j] - mean[j]);
                }
            }
            double s = count > 1 ? Math.sqrt(ss / (count - 1)) : 0;
            sd[j] = s > 1e-12 * Math.max(1, Math.abs(mean[j])) ? s : 1.0;
        }
        return new TargetScaler(names, mean, sd);
    }

    /** {@code (y - mean) / sd} for property {@code j}. */
    public double standardise(int j, double y) {
        return (y - mean[j]) / sd[j];
    }

    /** {@code mean + sd z} for property {@code j}. */
    public double restore(int j, double z) {
        return mean[j] + sd[j] * z;
    }
}
