package dev.microforge.optimizer.bo;

import java.util.function.ToDoubleFunction;

/**
 * Standard global-optimisation test functions with known minima (Dixon &amp; Szegő, "Towards Global Optimisation 2",
 * 1978; values as listed by Surjanovic &amp; Bingham, Virtual Library of Simulation Experiments, sfu.ca/~ssurjano),
 * for validating and benchmarking the optimiser. All are to be <i>minimised</i>.
 */
public final class TestFunctions {
    private TestFunctions() {
    }

    /**
     * A box-bounded test problem.
     *
     * @param name short name
     * @param lower lower bound of each coordinate
     * @param upper upper bound of each coordinate
     * @param minimum the known global minimum
     * @param function the function, in the original (unscaled) coordinates
     */
    public record Problem(String name, double[] lower, double[] upper, double minimum,
                          ToDoubleFunction<double[]> function) {
        public int dimensions() {
            return lower.length;
        }

        /** The function at a point of the unit cube, mapped linearly onto the box. */
        public double atUnit(double[] u) {
            double[] x = new double[u.length];
            for (int i = 0; i < u.length; i++) {
                x[i] = lower[i] + u[i] * (upper[i] - lower[i]);
            }
            return function.applyAsDouble(x);
        }
    }

    /**
     * Branin-Hoo on {@code [-5, 10] x [0, 15]}: {@code a (x2 - b x1^2 + c x1 - r)^2 + s (1 - t) cos(x1) + s} with
     * {@code a = 1, b = 5.1/(4 pi^2), c = 5/pi, r = 6, s = 10, t = 1/(8 pi)}; minimum 0.397887 at
     * {@code (-pi, 12.275), (pi, 2.275), (9.42478, 2.475)}.
     */
    public static Problem branin() {
        return new Problem("branin", new double[] {-5, 0}, new double[] {10, 15}, 0.397887357729739,
                TestFunctions::braninAt);
    }

    static double braninAt(double[] x) {
        double b = 5.1 / (4 * Math.PI * Math.PI);
        double c = 5 / Math.PI;
        double t = 1 / (8 * Math.PI);
        double u = x[1] - b * x[0] * x[0] + c * x[0] - 6;
        return u * u + 10 * (1 - t) * Math.cos(x[0]) + 10;
    }

    private static final double[] H6_ALPHA = {1.0, 1.2, 3.0, 3.2};
    private static final double[][] H6_A = {
        {10, 3, 17, 3.5, 1.7, 8},
        {0.05, 10, 17, 0.1, 8, 14},
        {3, 3.5, 1.7, 10, 17, 8},
        {17, 8, 0.05, 10, 0.1, 14}};
    private static final double[][] H6_P = {
        {0.1312, 0.1696, 0.5569, 0.0124, 0.8283, 0.5886},
        {0.2329, 0.4135, 0.8307, 0.3736, 0.1004, 0.9991},
        {0.2348, 0.1451, 0.3522, 0.2883, 0.3047, 0.6650},
        {0.4047, 0.8828, 0.8732, 0.5743, 0.1091, 0.0381}};

    /**
     * Hartmann-6 on {@code [0, 1]^6}: {@code -sum_i alpha_i exp(-sum_j A_ij (x_j - P_ij)^2)}; minimum -3.32237 at
     * {@code (0.20169, 0.150011, 0.476874, 0.275332, 0.311652, 0.6573)}.
     */
    public static Problem hartmann6() {
        double[] lo = new double[6];
        double[] hi = {1, 1, 1, 1, 1, 1};
        return new Problem("hartmann6", lo, hi, -3.32236801141551, TestFunctions::hartmann6At);
    }

    static double hartmann6At(double[] x) {
        double s = 0;
        for (int i = 0; i < 4; i++) {
            double e = 0;
            for (int j = 0; j < 6; j++) {
                double t = x[j] - H6_P[i][j];
                e += H6_A[i][j] * t * t;
            }
            s += H6_ALPHA[i] * Math.exp(-e);
        }
        return -s;
    }
}
