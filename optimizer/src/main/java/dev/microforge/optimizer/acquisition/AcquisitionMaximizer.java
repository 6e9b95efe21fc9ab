package dev.microforge.optimizer.acquisition;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import smile.math.BFGS;
import smile.math.DifferentiableMultivariateFunction;

/**
 * Maximises a function with a gradient over the unit cube {@code [0, 1]^d} by multi-start L-BFGS-B (Byrd, Lu,
 * Nocedal &amp; Zhu, SIAM J. Sci. Comput. 16 (1995) 1190; Smile's {@code BFGS.minimize} with bounds), started from
 * the best of many cheap evaluations, as BoTorch's {@code optimize_acqf} does: {@code rawSamples} uniform random
 * points plus the caller's own candidates (e.g. perturbations of the best observations) are scored in one batch,
 * and the {@code restarts} best start a local search each. The best point seen by any evaluation is returned, so a
 * local search that fails (a line search that cannot descend) loses nothing. A local search that spends more than
 * {@code 20 x maxIterations + 50} evaluations (a line search stuck on a flat or overflowing stretch) is ended.
 * {@link Function#allowed} excludes points from the result without making the searched function discontinuous.
 *
 * <p>Cost: {@code rawSamples} batch evaluations plus about {@code restarts x maxIterations x 1.3} evaluations with
 * gradient. Deterministic for a given seed.
 */
public final class AcquisitionMaximizer {
    private AcquisitionMaximizer() {
    }

    /** A function on the unit cube to maximise. */
    public interface Function {
        /**
         * Value at {@code x}; when {@code gradient} is not null, also fills it with the gradient.
         * May return {@code -Infinity} or NaN where it is undefined: such points are never chosen.
         */
        double value(double[] x, double[] gradient);

        /** Values at many points (default: one by one; a GP can do it faster with matrix products). */
        default double[] values(double[][] points) {
            double[] v = new double[points.length];
            for (int i = 0; i < points.length; i++) {
                v[i] = value(points[i], null);
            }
            return v;
        }

        /**
         * Whether {@code x} may be returned (default: every point). The local searches run on the smooth
         * {@link #value} alone; points that are not allowed are only never chosen.
         */
        default boolean allowed(double[] x) {
            return true;
        }
    }

    /** Thrown to end a local search that spends far more evaluations than its iteration budget. */
    private static final class EvaluationBudgetExceeded extends RuntimeException {
        private static final long serialVersionUID = 1L;

        EvaluationBudgetExceeded() {
            super(null, null, false, false);
        }
    }

    /**
     * Settings.
     *
     * @param rawSamples random points scored to pick the starts
     * @param restarts local searches
     * @param maxIterations L-BFGS-B iterations per search
     * @param tolerance L-BFGS-B gradient tolerance
     */
    public record Options(int rawSamples, int restarts, int maxIterations, double tolerance) {
        public Options {
            if (rawSamples < 1 || restarts < 1 || maxIterations < 0 || !(tolerance > 0)) {
                throw new IllegalArgumentException(String.format(Locale.ROOT,
                        "acquisition search needs rawSamples >= 1, restarts >= 1, maxIterations >= 0 and a "
                                + "positive tolerance, got %d, %d, %d, %s",
                        rawSamples, restarts, maxIterations, tolerance));
            }
        }

        /** 1024 raw samples, 6 restarts of at most 60 iterations. */
        public static Options defaults() {
            return new Options(1024, 6, 60, 1e-6);
        }
    }

    /**
     * The maximum found.
     *
     * @param x the best point, in the unit cube
     * @param value the function there
     * @param evaluations evaluations spent (batch ones included)
     */
    public record Result(double[] x, double value, int evaluations) {
    }

    /**
     * Maximises {@code f} over {@code [0, 1]^d}.
     *
     * @param candidates extra start candidates (may be empty), each of length d, clipped into the cube
     * @throws IllegalArgumentException for {@code d < 1} or a candidate of the wrong length
     */
    public static Result maximize(Function f, int d, List<double[]> candidates, Options options, long seed) {
        if (d < 1) {
            throw new IllegalArgumentException("dimension must be >= 1, got " + d);
        }
        SplittableRandom random = new SplittableRandom(seed);
        List<double[]> pool = new ArrayList<>();
        for (double[] c : candidates) {
            if (c.length != d) {
                throw new IllegalArgumentException("candidate of length " + c.length + ", expected " + d);
            }
            pool.add(clip(c.clone()));
        }
        for (int i = 0; i < options.rawSamples(); i++) {
            double[] p = new double[d];
            for (int j = 0; j < d; j++) {
                p[j] = random.nextDouble();
            }
            pool.add(p);
        }
        double[][] points = pool.toArray(new double[0][]);
        double[] values = f.values(points);
        Best best = new Best(f);
        Integer[] order = new Integer[points.length];
        for (int i = 0; i < points.length; i++) {
            order[i] = i;
            if (!f.allowed(points[i])) {
                values[i] = Double.NEGATIVE_INFINITY;
            }
            best.offer(points[i], values[i]);
        }
        Arrays.sort(order, Comparator.comparingDouble(i -> -finite(values[i])));
        int[] evaluations = {points.length};
        int[] searchEvaluations = {0};
        int searchBudget = 20 * Math.max(1, options.maxIterations()) + 50;
        double[] lo = new double[d];
        double[] hi = new double[d];
        Arrays.fill(hi, 1.0);
        DifferentiableMultivariateFunction negated = new DifferentiableMultivariateFunction() {
            private static final long serialVersionUID = 1L;

            @Override
            public double f(double[] x) {
                double[] p = clip(x.clone());
                count();
                double v = f.value(p, null);
                best.offer(p, v);
                return -finite(v);
            }

            @Override
            public double g(double[] x, double[] gradient) {
                double[] p = clip(x.clone());
                double[] gr = new double[d];
                count();
                double v = f.value(p, gr);
                best.offer(p, v);
                boolean ok = Double.isFinite(v);
                for (int j = 0; j < d; j++) {
                    gradient[j] = ok && Double.isFinite(gr[j]) ? -gr[j] : 0;
                }
                return -finite(v);
            }

            private void count() {
                evaluations[0]++;
                if (++searchEvaluations[0] > searchBudget) {
                    throw new EvaluationBudgetExceeded();
                }
            }
        };
        int starts = Math.min(options.restarts(), points.length);
        for (int s = 0; s < starts && options.maxIterations() > 0; s++) {
            double[] x = points[order[s]].clone();
            if (!Double.isFinite(values[order[s]])) {
                break;
            }
            searchEvaluations[0] = 0;
            try {
                BFGS.minimize(negated, 5, x, lo, hi, options.tolerance(), options.maxIterations());
            } catch (RuntimeException e) {
                // keep what the search saw; the best point is tracked by every evaluation
            }
        }
        return new Result(best.x == null ? points[0].clone() : best.x, best.value, evaluations[0]);
    }

    /** The value clamped to +-1e30, NaN as -1e30: the line search's interpolation must not overflow. */
    private static double finite(double v) {
        return Double.isNaN(v) ? -LARGE : Math.max(-LARGE, Math.min(LARGE, v));
    }

    private static final double LARGE = 1e30;

    private static double[] clip(double[] x) {
        for (int j = 0; j < x.length; j++) {
            x[j] = Double.isNaN(x[j]) ? 0.5 : Math.min(1, Math.max(0, x[j]));
        }
        return x;
    }

    private static final class Best {
        private final Function f;
        double[] x;
        double value = Double.NEGATIVE_INFINITY;

        Best(Function f) {
            this.f = f;
        }

        void offer(double[] p, double v) {
            if (!Double.isNaN(v) && (x == null || v > value) && f.allowed(p)) {
                x = p.clone();
                value = v;
            }
        }
    }
}
