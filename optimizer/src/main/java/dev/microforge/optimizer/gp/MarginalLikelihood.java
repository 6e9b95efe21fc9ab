package dev.microforge.optimizer.gp;

import java.util.Arrays;
import smile.math.DifferentiableMultivariateFunction;
import smile.math.matrix.Matrix;

/**
 * Negative log marginal likelihood of a zero-mean GP with the {@link MaternArdKernel} and Gaussian noise, and its
 * gradient, as a function of {@code theta = (log l_1 .. log l_d, log s2, log noise)} — the objective Smile's
 * L-BFGS-B ({@code smile.math.BFGS}) minimises in {@link GaussianProcess#fit}.
 *
 * <pre>
 *   -log p(y | theta) = y^T K^-1 y / 2 + log|K| / 2 + n log(2 pi) / 2,     K = k_theta(X, X) + noise I
 *   d/dtheta_j        = -tr(W dK/dtheta_j) / 2,                             W = K^-1 y y^T K^-1 - K^-1
 * </pre>
 * (Rasmussen &amp; Williams 2006, eq. 5.8-5.9). Smile's own {@code GaussianProcessRegression.fit} minimises the same
 * function through the kernel's {@code hyperparameters()/lo()/hi()/of()} (with the noise variance, not its log, as
 * the last parameter), but forms {@code K^-1 dK/dtheta_j} as a matrix product for each of the {@code d + 2}
 * parameters: {@code O(n^3 d)} per gradient, about 1 s per fit at n = 200, d = 16. Here the trace is the sum of an
 * element-wise product, so a gradient costs one Cholesky factorisation and inverse ({@code O(n^3)}) plus
 * {@code O(n^2 d)} kernel derivatives.
 *
 * <p>Optionally a Gamma prior on the length-scales turns the fit into a maximum a posteriori estimate: with few
 * points, the likelihood alone often prefers length-scales at the lower bound (the data then look like white noise,
 * and the acquisition is flat away from them); BoTorch's classic default Gamma(3, 6) (mode 0.33 in the unit cube)
 * prevents that and is negligible once data are plentiful.
 */
final class MarginalLikelihood implements DifferentiableMultivariateFunction {
    private static final long serialVersionUID = 1L;
    private static final double SQRT5 = Math.sqrt(5);

    private final double[][] x;
    private final double[] y;
    private final MaternArdKernel template;
    private final double priorShape;
    private final double priorRate;

    /** The plain negative log marginal likelihood (no prior). */
    MarginalLikelihood(double[][] x, double[] y, MaternArdKernel template) {
        this(x, y, template, 0, 0);
    }

    /**
     * With a Gamma({@code shape}, {@code rate}) prior on every length-scale (0, 0: none): the objective is then the
     * negative log posterior, {@code -log p(y | theta) - sum_i [shape log l_i - rate l_i]} (the prior's density in
     * {@code log l}, constants dropped).
     */
    MarginalLikelihood(double[][] x, double[] y, MaternArdKernel template, double shape, double rate) {
        this.x = x;
        this.y = y;
        this.template = template;
        this.priorShape = shape;
        this.priorRate = rate;
    }

    /** {@code -log prior} and its gradient (added into {@code gradient} when not null). */
    private double negativeLogPrior(double[] theta, double[] gradient) {
        if (priorShape == 0 && priorRate == 0) {
            return 0;
        }
        double v = 0;
        for (int i = 0; i < template.dimensions(); i++) {
            double l = Math.exp(theta[i]);
            v -= priorShape * theta[i] - priorRate * l;
            if (gradient != null) {
                gradient[i] -= priorShape - priorRate * l;
            }
        }
        return v;
    }

    /** {@code K = k(X, X) + noise I} for the parameters (noise last, as a log). */
    private Matrix covariance(double[] theta) {
        MaternArdKernel kernel = template.of(theta);
        Matrix k = kernel.K(x);
        k.addDiag(Math.exp(theta[theta.length - 1]));
        return k;
    }

    @Override
    public double f(double[] theta) {
        try {
            Matrix.Cholesky cholesky = covariance(theta).cholesky(true);
            double[] alpha = cholesky.solve(y);
            double fit = 0;
            for (int i = 0; i < y.length; i++) {
                fit += y[i] * alpha[i];
            }
            return 0.5 * (fit + cholesky.logdet() + y.length * Math.log(2 * Math.PI)) + negativeLogPrior(theta, null);
        } catch (RuntimeException e) {
            return 1e30; // singular K: a point the line search must leave
        }
    }

    @Override
    public double g(double[] theta, double[] gradient) {
        int n = y.length;
        int d = template.dimensions();
        Matrix.Cholesky cholesky;
        try {
            cholesky = covariance(theta).cholesky(true);
        } catch (RuntimeException e) {
            Arrays.fill(gradient, 0);
            return 1e30;
        }
        double[] alpha = cholesky.solve(y);
        Matrix inverse = cholesky.inverse();
        double fit = 0;
        for (int i = 0; i < n; i++) {
            fit += y[i] * alpha[i];
        }
        double value = 0.5 * (fit + cholesky.logdet() + n * Math.log(2 * Math.PI));

        double[] inverseSquared = new double[d];
        for (int i = 0; i < d; i++) {
            inverseSquared[i] = Math.exp(-2 * theta[i]);
        }
        double variance = Math.exp(theta[d]);
        double noise = Math.exp(theta[d + 1]);
        // tr(W dK) over the pairs: off-diagonal pairs twice, the diagonal once. Cost: n^2/2 (d + exp) operations.
        double[] trace = new double[d + 2];
        double[] u2 = new double[d];
        for (int a = 0; a < n; a++) {
            double[] xa = x[a];
            double waa = alpha[a] * alpha[a] - inverse.get(a, a);
            trace[d] += waa * variance;          // dK_aa / dlog s2 = s2
            trace[d + 1] += waa * noise;         // dK_aa / dlog noise = noise
            for (int b = a + 1; b < n; b++) {
                double[] xb = x[b];
                double r2 = 0;
                for (int i = 0; i < d; i++) {
                    double t = xa[i] - xb[i];
                    u2[i] = t * t * inverseSquared[i];
                    r2 += u2[i];
                }
                double s = SQRT5 * Math.sqrt(r2);
                double e = Math.exp(-s);
                double w = 2 * (alpha[a] * alpha[b] - inverse.get(a, b));
                double k = variance * (1 + s + s * s / 3) * e;
                double c = w * variance * (5.0 / 3.0) * (1 + s) * e;
                trace[d] += w * k;
                for (int i = 0; i < d; i++) {
                    trace[i] += c * u2[i];
                }
            }
        }
        for (int j = 0; j < d + 2; j++) {
            gradient[j] = -0.5 * trace[j];
        }
        return value + negativeLogPrior(theta, gradient);
    }
}
