package dev.microforge.optimizer.gp;

import java.util.Arrays;
import java.util.Locale;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import smile.math.BFGS;
import smile.math.matrix.Matrix;
import smile.regression.GaussianProcessRegression;

/**
 * Gaussian-process regression for Bayesian optimisation: Smile's {@link GaussianProcessRegression} with the
 * {@link MaternArdKernel}, outputs standardised, hyperparameters (length-scales, signal variance, noise variance)
 * fitted by maximising the log marginal likelihood with Smile's L-BFGS-B ({@link MarginalLikelihood}; Rasmussen &amp;
 * Williams 2006, section 5.4), by default plus a Gamma(3, 6) log-prior on each length-scale (a MAP estimate).
 *
 * <p><b>Scaling.</b> The caller scales inputs (to the unit cube, see
 * {@link dev.microforge.optimizer.bo.BayesianOptimization}); this class standardises the outputs itself:
 * {@code y_s = (y - mean) / sd} (sample standard deviation; 1 when fewer than two distinct values), fits a
 * zero-mean GP to {@code y_s} and reports predictions in the original units.
 *
 * <p><b>Posterior</b> (eq. 2.25-2.26 of Rasmussen &amp; Williams), in standardised units, with
 * {@code K = k(X, X) + noise I} and {@code k_x = k(X, x)}: {@code mu(x) = k_x^T K^-1 y_s},
 * {@code var(x) = k(x, x) - k_x^T K^-1 k_x} — the variance of the latent function, without the noise. The
 * gradient with respect to {@code x} is {@code dmu = sum_i alpha_i dk(x, x_i)/dx},
 * {@code dvar = -2 sum_i beta_i dk(x, x_i)/dx} with {@code alpha = K^-1 y_s}, {@code beta = K^-1 k_x}.
 *
 * <p><b>Cost.</b> A fit evaluates the likelihood and its gradient 10-60 times, each {@code O(n^3 + n^2 d)}; a
 * prediction is {@code O(n d + n^2)}.
 */
public final class GaussianProcess {
    private static final Logger LOG = LoggerFactory.getLogger(GaussianProcess.class);
    /** Largest noise variance the fit may reach, standardised units (the outputs' own variance is 1). */
    static final double MAX_NOISE = 10;
    /** Gamma prior of the length-scales (unit-cube inputs): shape 3, rate 6, BoTorch's classic default. */
    static final double PRIOR_SHAPE = 3;
    static final double PRIOR_RATE = 6;

    private GaussianProcess() {
    }

    /**
     * Fit settings.
     *
     * @param initialNoise noise variance (standardised units) at which the fit starts, or the noise when
     *     {@code maxIterations == 0}
     * @param minNoise smallest noise variance kept after the fit (a nugget that keeps {@code K} well conditioned)
     * @param maxIterations L-BFGS-B iterations of the marginal-likelihood fit; 0 keeps the given hyperparameters
     * @param tolerance gradient tolerance of the fit
     * @param smileFit fit with Smile's own {@code GaussianProcessRegression.fit} (through the kernel's
     *     {@code hyperparameters()/lo()/hi()/of()}) instead of {@link MarginalLikelihood}: the same objective
     *     (without the prior) and optimiser, but an {@code O(n^3 d)} gradient (about 10x slower at n = 200, d = 16)
     * @param lengthScalePrior whether to add the Gamma(3, 6) length-scale prior (a MAP fit; see
     *     {@link MarginalLikelihood})
     */
    public record Options(double initialNoise, double minNoise, int maxIterations, double tolerance,
                          boolean smileFit, boolean lengthScalePrior) {
        public Options {
            if (!(initialNoise > 0 && initialNoise < 1e5)) {
                throw new IllegalArgumentException("initialNoise must lie in (0, 1e5), got " + initialNoise);
            }
            if (!(minNoise > 0 && minNoise <= initialNoise)) {
                throw new IllegalArgumentException(String.format(Locale.ROOT,
                        "minNoise must lie in (0, initialNoise = %s], got %s", initialNoise, minNoise));
            }
            if (maxIterations < 0) {
                throw new IllegalArgumentException("maxIterations must be >= 0, got " + maxIterations);
            }
            if (!(tolerance > 0)) {
                throw new IllegalArgumentException("tolerance must be positive, got " + tolerance);
            }
        }

        /**
         * Start at noise 1e-4, keep at least 1e-6, at most 50 iterations, gradient tolerance 1e-5, length-scale
         * prior on.
         */
        public static Options defaults() {
            return new Options(1e-4, 1e-6, 50, 1e-5, false, true);
        }

        public Options withMaxIterations(int value) {
            return new Options(initialNoise, minNoise, value, tolerance, smileFit, lengthScalePrior);
        }

        public Options withInitialNoise(double value) {
            return new Options(value, Math.min(minNoise, value), maxIterations, tolerance, smileFit,
                    lengthScalePrior);
        }

        /** Smile's own fit (which has no prior: the prior is switched off too). */
        public Options withSmileFit(boolean value) {
            return new Options(initialNoise, minNoise, maxIterations, tolerance, value, !value && lengthScalePrior);
        }

        public Options withLengthScalePrior(boolean value) {
            return new Options(initialNoise, minNoise, maxIterations, tolerance, smileFit, value);
        }
    }

    /**
     * Fits a GP to {@code (x, y)}.
     *
     * @param x inputs, {@code n x d} (rows are points), ideally in the unit cube
     * @param y outputs, length {@code n}, finite
     * @param start kernel whose hyperparameters start the fit (a warm start from an earlier fit, or
     *     {@link MaternArdKernel#unit}); moved inside its bounds first
     * @throws IllegalArgumentException for empty or mismatched data, non-finite values, or a kernel of another
     *     dimension
     */
    public static Model fit(double[][] x, double[] y, MaternArdKernel start, Options options) {
        if (x == null || y == null || x.length == 0) {
            throw new IllegalArgumentException("a GP needs at least one observation");
        }
        if (x.length != y.length) {
            throw new IllegalArgumentException(String.format(Locale.ROOT,
                    "sizes of x and y don't match: %d != %d", x.length, y.length));
        }
        if (start == null || options == null) {
            throw new IllegalArgumentException("kernel and options are required; use MaternArdKernel.unit(d) and "
                    + "GaussianProcess.Options.defaults()");
        }
        int d = start.dimensions();
        for (int i = 0; i < x.length; i++) {
            if (x[i] == null || x[i].length != d) {
                throw new IllegalArgumentException(String.format(Locale.ROOT,
                        "observation %d has %s coordinates, the kernel %d", i,
                        x[i] == null ? "no" : String.valueOf(x[i].length), d));
            }
            for (double v : x[i]) {
                if (!Double.isFinite(v)) {
                    throw new IllegalArgumentException("observation " + i + " has a non-finite coordinate");
                }
            }
            if (!Double.isFinite(y[i])) {
                throw new IllegalArgumentException("output " + i + " is not finite: " + y[i]);
            }
        }
        double mean = 0;
        for (double v : y) {
            mean += v;
        }
        mean /= y.length;
        double ss = 0;
        for (double v : y) {
            ss += (v - mean) * (v - mean);
        }
        double scale = y.length > 1 ? Math.sqrt(ss / (y.length - 1)) : 0;
        if (!(scale > 1e-300)) {
            scale = 1;
        }
        double[] ys = new double[y.length];
        for (int i = 0; i < y.length; i++) {
            ys[i] = (y[i] - mean) / scale;
        }
        double[][] xs = new double[x.length][];
        for (int i = 0; i < x.length; i++) {
            xs[i] = x[i].clone();
        }
        MaternArdKernel kernel = start.clampedToBounds();
        double noise = options.initialNoise();
        if (options.maxIterations() > 0 && x.length > 1) {
            if (options.smileFit()) {
                try {
                    GaussianProcessRegression<double[]> gp = GaussianProcessRegression.fit(xs, ys, kernel, noise,
                            false, options.tolerance(), options.maxIterations());
                    kernel = (MaternArdKernel) gp.kernel;
                    noise = gp.noise;
                } catch (RuntimeException e) {
                    // a line-search step can reach a singular K; keep the starting hyperparameters then
                    LOG.debug("Smile's marginal-likelihood fit failed ({}); keeping the start", e.toString());
                }
            } else {
                double[] hp = kernel.hyperparameters();
                int m = hp.length;
                double[] theta = Arrays.copyOf(hp, m + 1);
                double[] lo = Arrays.copyOf(kernel.lo(), m + 1);
                double[] hi = Arrays.copyOf(kernel.hi(), m + 1);
                lo[m] = Math.log(options.minNoise());
                hi[m] = Math.log(MAX_NOISE);
                theta[m] = Math.min(hi[m], Math.max(lo[m], Math.log(noise)));
                MarginalLikelihood objective = options.lengthScalePrior()
                        ? new MarginalLikelihood(xs, ys, kernel, PRIOR_SHAPE, PRIOR_RATE)
                        : new MarginalLikelihood(xs, ys, kernel);
                try {
                    BFGS.minimize(objective, 5, theta, lo, hi, options.tolerance(), options.maxIterations());
                    kernel = kernel.of(theta);
                    noise = Math.exp(theta[m]);
                } catch (RuntimeException e) {
                    LOG.debug("marginal-likelihood fit failed ({}); keeping the starting hyperparameters",
                            e.toString());
                }
            }
        }
        return condition(xs, ys, kernel, Math.max(noise, options.minNoise()), mean, scale);
    }

    /** The final model at fixed hyperparameters; raises the nugget until {@code K} factorises. */
    private static Model condition(double[][] xs, double[] ys, MaternArdKernel kernel, double noise, double mean,
            double scale) {
        double nugget = noise;
        for (int attempt = 0; ; attempt++) {
            try {
                GaussianProcessRegression<double[]> gp = GaussianProcessRegression.fit(xs, ys, kernel, nugget, false,
                        1e-5, 0);
                Matrix k = kernel.K(xs);
                k.addDiag(nugget);
                return new Model(gp, kernel, k.cholesky(true), nugget, xs, ys, mean, scale);
            } catch (RuntimeException e) {
                if (attempt >= 8) {
                    throw new IllegalStateException("the GP covariance stays singular with noise " + nugget
                            + " (duplicate inputs with different outputs?)", e);
                }
                nugget = Math.max(nugget * 100, 1e-8);
            }
        }
    }

    /** A fitted GP: predictions with uncertainty and their gradients. Immutable and thread-safe. */
    public static final class Model {
        private final GaussianProcessRegression<double[]> smile;
        private final MaternArdKernel kernel;
        private final Matrix.Cholesky cholesky;
        private final double noise;
        private final double[][] x;
        private final double[] ys;
        private final double[] alpha;
        private final double mean;
        private final double scale;

        Model(GaussianProcessRegression<double[]> smile, MaternArdKernel kernel, Matrix.Cholesky cholesky,
                double noise, double[][] x, double[] ys, double mean, double scale) {
            this.smile = smile;
            this.kernel = kernel;
            this.cholesky = cholesky;
            this.noise = noise;
            this.x = x;
            this.ys = ys;
            this.alpha = smile.w;
            this.mean = mean;
            this.scale = scale;
        }

        /** The fitted kernel (a warm start for the next fit). */
        public MaternArdKernel kernel() {
            return kernel;
        }

        /** Fitted noise variance, standardised units. */
        public double noise() {
            return noise;
        }

        /** Number of observations. */
        public int size() {
            return x.length;
        }

        /** Input dimensions. */
        public int dimensions() {
            return kernel.dimensions();
        }

        /** Mean of the observed outputs (the standardisation offset). */
        public double outputMean() {
            return mean;
        }

        /** Standard deviation of the observed outputs (the standardisation scale). */
        public double outputScale() {
            return scale;
        }

        /** Log marginal likelihood of the standardised outputs at the fitted hyperparameters. */
        public double logMarginalLikelihood() {
            return smile.L;
        }

        /** The Smile model (its {@code predict(x, est)} gives the same mean and sd as {@link #predict}). */
        public GaussianProcessRegression<double[]> smile() {
            return smile;
        }

        /**
         * Predictive mean and standard deviation of the latent function at {@code point}, original units.
         *
         * @param meanSd receives {@code [mean, sd]}
         */
        public void predict(double[] point, double[] meanSd) {
            predict(point, meanSd, null, null);
        }

        /**
         * Prediction with its gradient with respect to the input.
         *
         * @param meanSd receives {@code [mean, sd]} in original units
         * @param meanGradient receives {@code d mean / d x} (length d), or null
         * @param sdGradient receives {@code d sd / d x} (length d), or null
         */
        public void predict(double[] point, double[] meanSd, double[] meanGradient, double[] sdGradient) {
            int n = x.length;
            int d = kernel.dimensions();
            boolean gradients = meanGradient != null || sdGradient != null;
            double[] k = new double[n];
            double[] factor = gradients ? new double[n] : null;
            double[] kg = new double[2];
            double mu = 0;
            for (int i = 0; i < n; i++) {
                if (gradients) {
                    kernel.valueAndGradientFactor(point, x[i], kg);
                    k[i] = kg[0];
                    factor[i] = kg[1];
                } else {
                    k[i] = kernel.k(point, x[i]);
                }
                mu += alpha[i] * k[i];
            }
            double[] beta = cholesky.solve(k);
            double var = kernel.signalVariance();
            for (int i = 0; i < n; i++) {
                var -= k[i] * beta[i];
            }
            var = Math.max(var, 1e-12 * kernel.signalVariance());
            double sd = Math.sqrt(var);
            meanSd[0] = mean + scale * mu;
            meanSd[1] = scale * sd;
            if (gradients) {
                // dk_i/dx_j = factor_i (x_j - x_ij) / l_j^2; dmu = sum alpha_i dk_i, dvar = -2 sum beta_i dk_i
                double[] gm = new double[d];
                double[] gv = new double[d];
                for (int i = 0; i < n; i++) {
                    double a = alpha[i] * factor[i];
                    double b = -2 * beta[i] * factor[i];
                    double[] xi = x[i];
                    for (int j = 0; j < d; j++) {
                        double t = point[j] - xi[j];
                        gm[j] += a * t;
                        gv[j] += b * t;
                    }
                }
                for (int j = 0; j < d; j++) {
                    double w = kernel.inverseSquaredScale(j);
                    if (meanGradient != null) {
                        meanGradient[j] = scale * gm[j] * w;
                    }
                    if (sdGradient != null) {
                        sdGradient[j] = scale * gv[j] * w / (2 * sd);
                    }
                }
            }
        }

        /**
         * Predictions at many points at once (matrix products; faster than calling {@link #predict} per point).
         *
         * @return {@code [means, sds]}, each of length {@code points.length}, original units
         */
        public double[][] predictAll(double[][] points) {
            int m = points.length;
            if (m == 0) {
                return new double[][] {new double[0], new double[0]};
            }
            Matrix kt = kernel.K(x, points); // n x m
            double[] means = kt.tv(alpha);
            Matrix beta = kt.clone();
            cholesky.solve(beta);
            double[] sds = new double[m];
            int n = x.length;
            for (int j = 0; j < m; j++) {
                double var = kernel.signalVariance();
                for (int i = 0; i < n; i++) {
                    var -= kt.get(i, j) * beta.get(i, j);
                }
                sds[j] = scale * Math.sqrt(Math.max(var, 1e-12 * kernel.signalVariance()));
                means[j] = mean + scale * means[j];
            }
            return new double[][] {means, sds};
        }

        /**
         * This model with one more observation at fixed hyperparameters and standardisation (for Kriging-believer
         * batches: the "observation" is the model's own mean there).
         */
        public Model withObservation(double[] point, double value) {
            int n = x.length;
            double[][] x2 = Arrays.copyOf(x, n + 1);
            x2[n] = point.clone();
            double[] y2 = Arrays.copyOf(ys, n + 1);
            y2[n] = (value - mean) / scale;
            return condition(x2, y2, kernel, noise, mean, scale);
        }

        @Override
        public String toString() {
            return String.format(Locale.ROOT, "GaussianProcess.Model(n=%d, %s, noise=%.3g, logML=%.4g)", x.length,
                    kernel, noise, smile.L);
        }
    }
}
