package dev.microforge.optimizer.gp;

import java.util.Arrays;
import java.util.Locale;
import smile.math.kernel.MercerKernel;

/**
 * Matérn-5/2 covariance with one length-scale per input dimension (automatic relevance determination), as a Smile
 * {@link MercerKernel} so that Smile's {@code GaussianProcessRegression.fit} fits its hyperparameters by maximising
 * the log marginal likelihood with L-BFGS-B (Rasmussen &amp; Williams, <i>Gaussian Processes for Machine Learning</i>,
 * 2006, eq. 4.17 and 5.9). Smile's own kernels have one isotropic length-scale; this one does not.
 *
 * <pre>
 *   k(x, x') = s2 (1 + sqrt5 r + 5 r^2 / 3) exp(-sqrt5 r),   r^2 = sum_i ((x_i - x'_i) / l_i)^2
 * </pre>
 *
 * <p><b>Hyperparameters</b> (the vector Smile optimises, {@link #hyperparameters()}): {@code log l_1 .. log l_d,
 * log s2} — logarithms, so that the optimiser's steps are relative and the bounds {@link #lo()}/{@link #hi()} are
 * symmetric in scale. Inputs are meant to be scaled to the unit cube, outputs standardised (the default bounds:
 * length-scales 0.01 .. 100, signal variance 0.01 .. 100). {@link #of(double[])} takes such a vector; entries past
 * the {@code d + 1} it needs are ignored, because Smile appends the noise variance to the vector it passes.
 *
 * <p>Gradients ({@link #kg}) are with respect to these log-parameters:
 * {@code dk/dlog l_i = s2 (5/3) (1 + sqrt5 r) exp(-sqrt5 r) u_i^2} with {@code u_i = (x_i - x'_i)/l_i}, and
 * {@code dk/dlog s2 = k}. Immutable.
 */
public final class MaternArdKernel implements MercerKernel<double[]> {
    private static final long serialVersionUID = 1L;
    private static final double SQRT5 = Math.sqrt(5);

    private final double[] lengthScales;
    private final double[] inverseSquaredScales;
    private final double signalVariance;
    private final double[] lo;
    private final double[] hi;

    /**
     * A kernel with the default bounds.
     *
     * @param lengthScales one positive length-scale per input dimension (in the units of the inputs)
     * @param signalVariance the prior variance {@code s2 = k(x, x)}
     */
    public MaternArdKernel(double[] lengthScales, double signalVariance) {
        this(lengthScales, signalVariance, 0.01, 100, 0.01, 100);
    }

    /**
     * A kernel with explicit bounds for the marginal-likelihood fit.
     *
     * @param minLength smallest length-scale the fit may reach (every dimension)
     * @param maxLength largest length-scale
     * @param minVariance smallest signal variance
     * @param maxVariance largest signal variance
     * @throws IllegalArgumentException for no dimension, a non-positive or non-finite value, or bounds that do
     *     not contain the values
     */
    public MaternArdKernel(double[] lengthScales, double signalVariance, double minLength, double maxLength,
            double minVariance, double maxVariance) {
        if (lengthScales == null || lengthScales.length == 0) {
            throw new IllegalArgumentException("a Matérn ARD kernel needs at least one length-scale");
        }
        if (!(minLength > 0 && minLength < maxLength && Double.isFinite(maxLength)
                && minVariance > 0 && minVariance < maxVariance && Double.isFinite(maxVariance))) {
            throw new IllegalArgumentException(String.format(Locale.ROOT,
                    "kernel bounds must satisfy 0 < min < max < infinity, got length [%s, %s], variance [%s, %s]",
                    minLength, maxLength, minVariance, maxVariance));
        }
        int d = lengthScales.length;
        this.lengthScales = lengthScales.clone();
        this.inverseSquaredScales = new double[d];
        for (int i = 0; i < d; i++) {
            double l = lengthScales[i];
            if (!(l > 0 && Double.isFinite(l))) {
                throw new IllegalArgumentException("length-scale " + i + " must be positive and finite, got " + l);
            }
            inverseSquaredScales[i] = 1 / (l * l);
        }
        if (!(signalVariance > 0 && Double.isFinite(signalVariance))) {
            throw new IllegalArgumentException("signal variance must be positive and finite, got " + signalVariance);
        }
        this.signalVariance = signalVariance;
        this.lo = new double[d + 1];
        this.hi = new double[d + 1];
        Arrays.fill(lo, 0, d, Math.log(minLength));
        Arrays.fill(hi, 0, d, Math.log(maxLength));
        lo[d] = Math.log(minVariance);
        hi[d] = Math.log(maxVariance);
    }

    private MaternArdKernel(double[] lengthScales, double signalVariance, double[] lo, double[] hi) {
        int d = lengthScales.length;
        this.lengthScales = lengthScales;
        this.inverseSquaredScales = new double[d];
        for (int i = 0; i < d; i++) {
            inverseSquaredScales[i] = 1 / (lengthScales[i] * lengthScales[i]);
        }
        this.signalVariance = signalVariance;
        this.lo = lo;
        this.hi = hi;
    }

    /** Unit length-scales and unit variance in {@code dimensions} dimensions, default bounds. */
    public static MaternArdKernel unit(int dimensions) {
        double[] l = new double[dimensions];
        Arrays.fill(l, 1.0);
        return new MaternArdKernel(l, 1.0);
    }

    /** Number of input dimensions. */
    public int dimensions() {
        return lengthScales.length;
    }

    /** The length-scales (a copy). */
    public double[] lengthScales() {
        return lengthScales.clone();
    }

    /** The signal variance {@code s2}. */
    public double signalVariance() {
        return signalVariance;
    }

    /** Scaled squared distance {@code r^2}. Cost: d multiply-adds. */
    private double r2(double[] x, double[] y) {
        double s = 0;
        for (int i = 0; i < inverseSquaredScales.length; i++) {
            double t = x[i] - y[i];
            s += t * t * inverseSquaredScales[i];
        }
        return s;
    }

    @Override
    public double k(double[] x, double[] y) {
        double r = Math.sqrt(r2(x, y));
        double a = SQRT5 * r;
        return signalVariance * (1 + a + a * a / 3) * Math.exp(-a);
    }

    /**
     * {@code [k, dk/dlog l_1, ..., dk/dlog l_d, dk/dlog s2]}: the value and its gradient with respect to the
     * hyperparameters, the layout Smile's {@code KG} expects.
     */
    @Override
    public double[] kg(double[] x, double[] y) {
        int d = lengthScales.length;
        double[] g = new double[d + 2];
        double r2 = r2(x, y);
        double a = SQRT5 * Math.sqrt(r2);
        double e = Math.exp(-a);
        double k = signalVariance * (1 + a + a * a / 3) * e;
        double c = signalVariance * (5.0 / 3.0) * (1 + a) * e;
        g[0] = k;
        for (int i = 0; i < d; i++) {
            double t = x[i] - y[i];
            g[i + 1] = c * t * t * inverseSquaredScales[i];
        }
        g[d + 1] = k;
        return g;
    }

    /**
     * Adds {@code weight * dk(x, y)/dx} to {@code gradient}: the gradient with respect to the first argument,
     * {@code -s2 (5/3) (1 + sqrt5 r) exp(-sqrt5 r) (x_i - y_i) / l_i^2}. Returns {@code k(x, y)}.
     */
    public double addInputGradient(double[] x, double[] y, double weight, double[] gradient) {
        double r2 = r2(x, y);
        double a = SQRT5 * Math.sqrt(r2);
        double e = Math.exp(-a);
        double c = -weight * signalVariance * (5.0 / 3.0) * (1 + a) * e;
        for (int i = 0; i < inverseSquaredScales.length; i++) {
            gradient[i] += c * (x[i] - y[i]) * inverseSquaredScales[i];
        }
        return signalVariance * (1 + a + a * a / 3) * e;
    }

    /**
     * {@code k(x, y)} into {@code out[0]} and the common factor {@code g = -s2 (5/3) (1 + sqrt5 r) exp(-sqrt5 r)} of
     * the input gradient, {@code dk(x, y)/dx_i = g (x_i - y_i) / l_i^2}, into {@code out[1]}: one exponential for
     * both.
     */
    public void valueAndGradientFactor(double[] x, double[] y, double[] out) {
        double a = SQRT5 * Math.sqrt(r2(x, y));
        double e = Math.exp(-a);
        out[0] = signalVariance * (1 + a + a * a / 3) * e;
        out[1] = -signalVariance * (5.0 / 3.0) * (1 + a) * e;
    }

    /** {@code 1 / l_i^2} of dimension i. */
    public double inverseSquaredScale(int i) {
        return inverseSquaredScales[i];
    }

    @Override
    public MaternArdKernel of(double[] params) {
        int d = lengthScales.length;
        if (params == null || params.length < d + 1) {
            throw new IllegalArgumentException("expected at least " + (d + 1) + " hyperparameters (log length-scales, "
                    + "log variance), got " + (params == null ? "none" : params.length));
        }
        double[] l = new double[d];
        for (int i = 0; i < d; i++) {
            l[i] = Math.exp(params[i]);
        }
        return new MaternArdKernel(l, Math.exp(params[d]), lo, hi);
    }

    @Override
    public double[] hyperparameters() {
        int d = lengthScales.length;
        double[] p = new double[d + 1];
        for (int i = 0; i < d; i++) {
            p[i] = Math.log(lengthScales[i]);
        }
        p[d] = Math.log(signalVariance);
        return p;
    }

    @Override
    public double[] lo() {
        return lo.clone();
    }

    @Override
    public double[] hi() {
        return hi.clone();
    }

    /** The same hyperparameters moved inside the bounds (a warm start must lie within them). */
    public MaternArdKernel clampedToBounds() {
        double[] p = hyperparameters();
        for (int i = 0; i < p.length; i++) {
            p[i] = Math.min(hi[i], Math.max(lo[i], p[i]));
        }
        return of(p);
    }

    @Override
    public String toString() {
        return String.format(Locale.ROOT, "MaternArdKernel(lengthScales=%s, variance=%.4g)",
                Arrays.toString(lengthScales), signalVariance);
    }
}
