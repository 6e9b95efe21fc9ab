package dev.microforge.optimizer.bo;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Several objectives at once: ParEGO scalarisation for the search (Knowles, IEEE Trans. Evol. Comput. 10 (2006)
 * 50) and the Pareto front and its hypervolume for reporting. All objectives here are <i>maximised</i> (rows are
 * observations, columns objectives; NaN marks a failed value).
 *
 * <p>ParEGO: each step draws a weight vector {@code lambda} uniformly from the simplex, normalises every objective to
 * a cost in {@code [0, 1]} over the observed values ({@code 0} = best seen), and models the augmented Chebyshev cost
 * {@code s = max_i lambda_i c_i + rho sum_i lambda_i c_i} ({@code rho = 0.05}) with one GP; maximising
 * {@code -s} under varying weights spreads the evaluations along the Pareto front.
 */
public final class MultiObjective {
    /** ParEGO's augmentation weight. */
    public static final double RHO = 0.05;

    private MultiObjective() {
    }

    /** A weight vector drawn uniformly from the {@code k}-simplex (normalised exponentials). */
    public static double[] randomWeights(int k, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        double[] w = new double[k];
        double sum = 0;
        for (int i = 0; i < k; i++) {
            w[i] = -Math.log(1 - random.nextDouble());
            sum += w[i];
        }
        for (int i = 0; i < k; i++) {
            w[i] /= sum;
        }
        return w;
    }

    /**
     * The ParEGO scalar to maximise, {@code -s}, per observation (NaN where any objective is NaN).
     *
     * @param objectives {@code n x k}, maximised
     * @param weights length k, non-negative, summing to 1
     */
    public static double[] parEgo(double[][] objectives, double[] weights) {
        int n = objectives.length;
        int k = weights.length;
        double[] lo = new double[k];
        double[] hi = new double[k];
        Arrays.fill(lo, Double.POSITIVE_INFINITY);
        Arrays.fill(hi, Double.NEGATIVE_INFINITY);
        for (double[] row : objectives) {
            for (int i = 0; i < k; i++) {
                if (Double.isFinite(row[i])) {
                    lo[i] = Math.min(lo[i], row[i]);
                    hi[i] = Math.max(hi[i], row[i]);
                }
            }
        }
        double[] out = new double[n];
        for (int r = 0; r < n; r++) {
            double max = Double.NEGATIVE_INFINITY;
            double sum = 0;
            boolean ok = true;
            for (int i = 0; i < k; i++) {
                double v = objectives[r][i];
                if (!Double.isFinite(v)) {
                    ok = false;
                    break;
                }
                double range = hi[i] - lo[i];
                double cost = range > 0 ? (hi[i] - v) / range : 0;
                max = Math.max(max, weights[i] * cost);
                sum += weights[i] * cost;
            }
            out[r] = ok ? -(max + RHO * sum) : Double.NaN;
        }
        return out;
    }

    /**
     * Which of the eligible observations are Pareto-optimal: no other eligible one is at least as good in every
     * objective and better in one.
     */
    public static boolean[] paretoFront(double[][] objectives, boolean[] eligible) {
        int n = objectives.length;
        boolean[] front = new boolean[n];
        for (int a = 0; a < n; a++) {
            if (!eligible[a] || !allFinite(objectives[a])) {
                continue;
            }
            boolean dominated = false;
            for (int b = 0; b < n && !dominated; b++) {
                if (b != a && eligible[b] && allFinite(objectives[b]) && dominates(objectives[b], objectives[a])) {
                    dominated = true;
                }
            }
            front[a] = !dominated;
        }
        return front;
    }

    /** Whether {@code a} dominates {@code b} (maximising). */
    public static boolean dominates(double[] a, double[] b) {
        boolean better = false;
        for (int i = 0; i < a.length; i++) {
            if (a[i] < b[i]) {
                return false;
            }
            better |= a[i] > b[i];
        }
        return better;
    }

    private static boolean allFinite(double[] v) {
        for (double x : v) {
            if (!Double.isFinite(x)) {
                return false;
            }
        }
        return true;
    }

    /**
     * Area dominated by a set of two-objective points (maximised) and bounded below by {@code reference}: the 2D
     * hypervolume indicator (Zitzler &amp; Thiele 1998). Points not above the reference in both objectives add nothing.
     */
    public static double hypervolume2d(List<double[]> points, double[] reference) {
        List<double[]> p = new ArrayList<>();
        for (double[] q : points) {
            if (q[0] > reference[0] && q[1] > reference[1]) {
                p.add(q);
            }
        }
        p.sort(Comparator.comparingDouble((double[] q) -> -q[0]));
        double area = 0;
        double top = reference[1];
        for (double[] q : p) {
            if (q[1] > top) {
                area += (q[0] - reference[0]) * (q[1] - top);
                top = q[1];
            }
        }
        return area;
    }
}
