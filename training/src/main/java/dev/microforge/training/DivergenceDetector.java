package dev.microforge.training;

import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Deque;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Recognises a training run that has diverged, from the losses and gradient norms of each
 * iteration:
 *
 * <ul>
 *   <li>any loss or gradient norm that is NaN or infinite;
 *   <li>a loss whose magnitude exceeds {@code absoluteLossLimit};
 *   <li>after {@code warmup} iterations, a loss magnitude or gradient norm more than {@code
 *       growthFactor} times the median of its last {@code window} values (an exploding critic).
 * </ul>
 */
public final class DivergenceDetector {

    /**
     * Thresholds.
     *
     * @param absoluteLossLimit a loss beyond this in magnitude has diverged (> 0)
     * @param growthFactor a value this many times its running median has exploded (> 1)
     * @param window running-median window in iterations (>= 1)
     * @param warmup iterations before the growth test applies (>= 1)
     */
    public record Options(double absoluteLossLimit, double growthFactor, int window, int warmup) {

        /** Validates the thresholds. */
        public Options {
            if (!(absoluteLossLimit > 0)) {
                throw new IllegalArgumentException("absoluteLossLimit must be > 0, got " + absoluteLossLimit);
            }
            if (!(growthFactor > 1)) {
                throw new IllegalArgumentException("growthFactor must be > 1, got " + growthFactor);
            }
            if (window < 1 || warmup < 1) {
                throw new IllegalArgumentException("window and warmup must be at least 1, got " + window + ", " + warmup);
            }
        }

        /**
         * Defaults: |loss| > 1e6, or 1000 times the median of the last 50 values after 50 iterations.
         * WGAN-GP critic losses on one-hot volumes stay within tens, and gradient norms vary by a few
         * times between iterations; three orders of magnitude is an explosion, not noise.
         *
         * @return the defaults
         */
        public static Options defaults() {
            return new Options(1e6, 1000, 50, 50);
        }
    }

    private final Options options;
    private final Map<String, Deque<Double>> recent = new HashMap<>();
    private long seen;

    /**
     * Creates a detector with no history.
     *
     * @param options thresholds
     */
    public DivergenceDetector(Options options) {
        this.options = options;
    }

    /**
     * Checks one iteration and records its values.
     *
     * @param result the iteration's losses and norms
     * @return what diverged (e.g. "critic loss is NaN"), or empty
     */
    public Optional<String> check(IterationResult result) {
        seen++;
        Optional<String> verdict = Optional.empty();
        for (Map.Entry<String, Double> e : result.losses().entrySet()) {
            verdict = verdict.or(() -> test(e.getKey() + " loss", e.getValue(), true));
        }
        for (Map.Entry<String, Double> e : result.gradientNorms().entrySet()) {
            verdict = verdict.or(() -> test(e.getKey() + " gradient norm", e.getValue(), false));
        }
        return verdict;
    }

    private Optional<String> test(String name, double value, boolean isLoss) {
        if (!Double.isFinite(value)) {
            return Optional.of(name + " is " + value);
        }
        double magnitude = Math.abs(value);
        if (isLoss && magnitude > options.absoluteLossLimit()) {
            return Optional.of(String.format(Locale.ROOT, "%s reached %.3g (limit %.3g)", name, value,
                    options.absoluteLossLimit()));
        }
        Deque<Double> history = recent.computeIfAbsent(name, k -> new ArrayDeque<>());
        Optional<String> verdict = Optional.empty();
        if (seen > options.warmup() && !history.isEmpty()) {
            double median = median(history);
            if (median > 0 && magnitude > options.growthFactor() * median) {
                verdict = Optional.of(String.format(Locale.ROOT,
                        "%s jumped to %.3g, %.0f times its recent median %.3g", name, value, magnitude / median, median));
            }
        }
        history.addLast(magnitude);
        if (history.size() > options.window()) {
            history.removeFirst();
        }
        return verdict;
    }

    private static double median(Deque<Double> values) {
        double[] v = values.stream().mapToDouble(Double::doubleValue).toArray();
        Arrays.sort(v);
        return v.length % 2 == 1 ? v[v.length / 2] : 0.5 * (v[v.length / 2 - 1] + v[v.length / 2]);
    }
}
