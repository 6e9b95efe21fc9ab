package dev.microforge.optimizer.acquisition;

import java.util.Locale;

/**
 * An acquisition function: a pure function of a Gaussian prediction {@code (mean, sd)} at one point, to be
 * maximised; the objective is maximised too (minimisation problems are negated before they reach here). Each one
 * also gives its derivatives with respect to {@code mean} and {@code sd}, which the optimiser chains with the GP's
 * input gradients.
 *
 * <ul>
 *   <li>{@link ExpectedImprovement}: {@code log EI}, with {@code EI = E[max(f - best, 0)] = sd h(z)},
 *       {@code z = (mean - best)/sd}, {@code h(z) = phi(z) + z Phi(z)} (Jones, Schonlau &amp; Welch, J. Global Optim.
 *       13 (1998) 455). Maximised as a logarithm, computed stably far in the tail (Ament et al., NeurIPS 2023), so
 *       the optimiser still sees a slope where EI itself underflows to 0.</li>
 *   <li>{@link ProbabilityOfImprovement}: {@code log PI}, {@code PI = Phi(z)} (Kushner 1964).</li>
 *   <li>{@link UpperConfidenceBound}: {@code mean + sqrt(beta) sd} (Srinivas et al., ICML 2010).</li>
 * </ul>
 */
public sealed interface Acquisition {
    /** The value to maximise at a prediction with standard deviation {@code sd > 0}. */
    double value(double mean, double sd);

    /** Fills {@code out[0] = d value / d mean}, {@code out[1] = d value / d sd}. */
    void derivatives(double mean, double sd, double[] out);

    /** The same acquisition against another incumbent (ignored by UCB). */
    Acquisition withBest(double best);

    /**
     * Expected improvement over {@code best}, as {@code log EI}.
     *
     * @param best the best (largest) value observed so far
     */
    record ExpectedImprovement(double best) implements Acquisition {
        @Override
        public double value(double mean, double sd) {
            return logExpectedImprovement(mean, sd, best);
        }

        @Override
        public void derivatives(double mean, double sd, double[] out) {
            double z = (mean - best) / sd;
            double logH = StandardNormal.logH(z);
            out[0] = Math.exp(StandardNormal.logCdf(z) - logH) / sd;
            out[1] = Math.exp(StandardNormal.logPdf(z) - logH) / sd;
        }

        @Override
        public Acquisition withBest(double value) {
            return new ExpectedImprovement(value);
        }
    }

    /**
     * Probability of improving on {@code best}, as {@code log PI}.
     *
     * @param best the best (largest) value observed so far
     */
    record ProbabilityOfImprovement(double best) implements Acquisition {
        @Override
        public double value(double mean, double sd) {
            return StandardNormal.logCdf((mean - best) / sd);
        }

        @Override
        public void derivatives(double mean, double sd, double[] out) {
            double z = (mean - best) / sd;
            double ratio = Math.exp(StandardNormal.logPdf(z) - StandardNormal.logCdf(z));
            out[0] = ratio / sd;
            out[1] = -z * ratio / sd;
        }

        @Override
        public Acquisition withBest(double value) {
            return new ProbabilityOfImprovement(value);
        }
    }

    /**
     * Upper confidence bound {@code mean + sqrt(beta) sd}.
     *
     * @param beta exploration weight, {@code >= 0}
     */
    record UpperConfidenceBound(double beta) implements Acquisition {
        public UpperConfidenceBound {
            if (!(beta >= 0 && Double.isFinite(beta))) {
                throw new IllegalArgumentException("UCB beta must be a finite number >= 0, got " + beta);
            }
        }

        @Override
        public double value(double mean, double sd) {
            return upperConfidenceBound(mean, sd, beta);
        }

        @Override
        public void derivatives(double mean, double sd, double[] out) {
            out[0] = 1;
            out[1] = Math.sqrt(beta);
        }

        @Override
        public Acquisition withBest(double value) {
            return this;
        }
    }

    /**
     * The acquisition named {@code name}: {@code ei}, {@code pi} or {@code ucb} (any case).
     *
     * @param beta UCB's exploration weight
     * @throws IllegalArgumentException for another name
     */
    static Acquisition named(String name, double beta) {
        switch (name == null ? "" : name.trim().toLowerCase(Locale.ROOT)) {
            case "ei":
                return new ExpectedImprovement(Double.NEGATIVE_INFINITY);
            case "pi":
                return new ProbabilityOfImprovement(Double.NEGATIVE_INFINITY);
            case "ucb":
                return new UpperConfidenceBound(beta);
            default:
                throw new IllegalArgumentException("unknown acquisition '" + name + "'; one of ei, pi, ucb");
        }
    }

    /**
     * Closed-form expected improvement of {@code N(mean, sd^2)} over {@code best} (maximising):
     * {@code (mean - best) Phi(z) + sd phi(z)}; {@code max(mean - best, 0)} when {@code sd == 0}.
     */
    static double expectedImprovement(double mean, double sd, double best) {
        if (sd <= 0) {
            return Math.max(mean - best, 0);
        }
        return sd * StandardNormal.h((mean - best) / sd);
    }

    /** {@code log} of {@link #expectedImprovement}, finite for every {@code sd > 0}. */
    static double logExpectedImprovement(double mean, double sd, double best) {
        if (sd <= 0) {
            return Math.log(Math.max(mean - best, 0));
        }
        return Math.log(sd) + StandardNormal.logH((mean - best) / sd);
    }

    /** Probability that {@code N(mean, sd^2)} exceeds {@code best}. */
    static double probabilityOfImprovement(double mean, double sd, double best) {
        if (sd <= 0) {
            return mean > best ? 1 : 0;
        }
        return StandardNormal.cdf((mean - best) / sd);
    }

    /** {@code mean + sqrt(beta) sd}. */
    static double upperConfidenceBound(double mean, double sd, double beta) {
        return mean + Math.sqrt(beta) * sd;
    }
}
