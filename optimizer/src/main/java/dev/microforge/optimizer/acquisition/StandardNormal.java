package dev.microforge.optimizer.acquisition;

import org.apache.commons.math3.special.Erf;

/**
 * The standard normal density and distribution in forms that stay accurate far in the tails, for the acquisition
 * functions: {@code log Phi(z)}, {@code log h(z)} with {@code h(z) = phi(z) + z Phi(z)} (the expected improvement of a
 * unit normal over {@code -z}), and the scaled complementary error function {@code erfcx(x) = exp(x^2) erfc(x)}.
 *
 * <p>The tail forms follow Ament et al., "Unexpected improvements to expected improvement for Bayesian
 * optimization", NeurIPS 2023 (BoTorch's {@code log_ei}): for {@code z < -1},
 * {@code h(z) = phi(z) (1 - t M(t))} with {@code t = -z} and Mills' ratio {@code M(t) = sqrt(pi/2) erfcx(t/sqrt2)},
 * so {@code log h = log phi(z) + log1mexp(log(t M(t)))}; beyond {@code t = 1/sqrt(eps)} the asymptote
 * {@code log h = -t^2/2 - log(2 pi)/2 - 2 log t}.
 */
public final class StandardNormal {
    private static final double LOG_SQRT_2PI = 0.5 * Math.log(2 * Math.PI);
    private static final double SQRT_HALF_PI = Math.sqrt(Math.PI / 2);
    private static final double INV_SQRT_PI = 1 / Math.sqrt(Math.PI);
    private static final double SQRT2 = Math.sqrt(2);
    private static final double ASYMPTOTIC_T = 1 / Math.sqrt(Math.ulp(1.0));

    private StandardNormal() {
    }

    /** Density {@code phi(z)}. */
    public static double pdf(double z) {
        return Math.exp(-0.5 * z * z - LOG_SQRT_2PI);
    }

    /** {@code log phi(z)}. */
    public static double logPdf(double z) {
        return -0.5 * z * z - LOG_SQRT_2PI;
    }

    /** Distribution {@code Phi(z)}, accurate relative to its value in the lower tail. */
    public static double cdf(double z) {
        if (z < -1) {
            return Math.exp(logCdf(z));
        }
        return 0.5 * Erf.erfc(-z / SQRT2);
    }

    /** {@code log Phi(z)}, finite for every finite z. */
    public static double logCdf(double z) {
        if (z < -1) {
            double t = -z / SQRT2;
            return Math.log(0.5 * erfcx(t)) - t * t;
        }
        return Math.log1p(-0.5 * Erf.erfc(z / SQRT2));
    }

    /**
     * {@code erfcx(x) = exp(x^2) erfc(x)} for {@code x >= 0} (and by {@code 2 exp(x^2) - erfcx(-x)} below): direct
     * below 5, else the Laplace continued fraction {@code 1/sqrt(pi) / (x + (1/2)/(x + 1/(x + (3/2)/(x + ...))))}
     * evaluated by the modified Lentz method.
     */
    public static double erfcx(double x) {
        if (x < 0) {
            return 2 * Math.exp(x * x) - erfcx(-x);
        }
        if (x < 5) {
            return Math.exp(x * x) * Erf.erfc(x);
        }
        // f = x + a1/(x + a2/(x + ...)), a_k = k/2
        double tiny = 1e-300;
        double f = x;
        double c = x;
        double d = 0;
        for (int k = 1; k < 200; k++) {
            double a = k / 2.0;
            d = x + a * d;
            d = Math.abs(d) < tiny ? tiny : d;
            c = x + a / c;
            c = Math.abs(c) < tiny ? tiny : c;
            d = 1 / d;
            double delta = c * d;
            f *= delta;
            if (Math.abs(delta - 1) < 1e-16) {
                break;
            }
        }
        return INV_SQRT_PI / f;
    }

    /** {@code h(z) = phi(z) + z Phi(z)}, the expected improvement of {@code N(z, 1)} over 0; always positive. */
    public static double h(double z) {
        return Math.exp(logH(z));
    }

    /** {@code log h(z)}, accurate for every finite z. */
    public static double logH(double z) {
        if (z > -1) {
            return Math.log(pdf(z) + z * cdf(z));
        }
        double t = -z;
        if (t > ASYMPTOTIC_T) {
            return -0.5 * t * t - LOG_SQRT_2PI - 2 * Math.log(t);
        }
        double logTm = Math.log(t * SQRT_HALF_PI * erfcx(t / SQRT2));
        return logPdf(z) + log1mexp(logTm);
    }

    /** {@code log(1 - exp(a))} for {@code a < 0} (Mächler 2012). */
    static double log1mexp(double a) {
        return a > -Math.log(2) ? Math.log(-Math.expm1(a)) : Math.log1p(-Math.exp(a));
    }
}
