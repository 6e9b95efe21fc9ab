package dev.microforge.generator.packing;

import java.util.Arrays;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * A distribution of particle diameters in micrometres (for an ellipsoid: the diameter of the sphere of equal volume).
 * Number-weighted: {@link #sample} draws one particle's diameter. {@link #meanCubedDiameter()} gives
 * {@code E[d^3]}, from which the packing computes how many particles fill a target solid volume and a
 * {@link Bimodal} mixture turns its volume fraction into a number fraction.
 */
public sealed interface SizeDistribution {

    /** One diameter in micrometres. */
    double sample(SplittableRandom random);

    /** {@code E[d^3]} in cubic micrometres (the particle volume is {@code pi/6 d^3}). */
    double meanCubedDiameter();

    /** Every particle has diameter {@code diameterUm}. */
    record Fixed(double diameterUm) implements SizeDistribution {
        public Fixed {
            positive(diameterUm, "Fixed diameterUm");
        }

        @Override
        public double sample(SplittableRandom random) {
            return diameterUm;
        }

        @Override
        public double meanCubedDiameter() {
            return diameterUm * diameterUm * diameterUm;
        }
    }

    /**
     * Lognormal diameters with number-weighted mean {@code meanDiameterUm} and standard deviation {@code sdUm}
     * (of the diameters themselves, not of their logarithm): {@code ln d ~ N(mu, s^2)} with
     * {@code s^2 = ln(1 + sd^2/mean^2)}, {@code mu = ln(mean) - s^2/2}.
     */
    record Lognormal(double meanDiameterUm, double sdUm) implements SizeDistribution {
        public Lognormal {
            positive(meanDiameterUm, "Lognormal meanDiameterUm");
            if (!(sdUm >= 0 && sdUm <= 2 * meanDiameterUm)) {
                throw new IllegalArgumentException(String.format(Locale.ROOT,
                        "Lognormal sdUm must lie in [0, 2 x mean = %g], got %s; give the standard deviation of "
                                + "the diameters in micrometres", 2 * meanDiameterUm, sdUm));
            }
        }

        private double logVariance() {
            return Math.log1p(sdUm * sdUm / (meanDiameterUm * meanDiameterUm));
        }

        @Override
        public double sample(SplittableRandom random) {
            double s2 = logVariance();
            double mu = Math.log(meanDiameterUm) - s2 / 2;
            return Math.exp(mu + Math.sqrt(s2) * gaussian(random));
        }

        @Override
        public double meanCubedDiameter() {
            double s2 = logVariance();
            double mu = Math.log(meanDiameterUm) - s2 / 2;
            return Math.exp(3 * mu + 4.5 * s2);
        }
    }

    /** Diameters {@code diametersUm[k]} drawn with number probabilities proportional to {@code weights[k]}. */
    record Table(double[] diametersUm, double[] weights) implements SizeDistribution {
        public Table {
            if (diametersUm == null || weights == null || diametersUm.length == 0
                    || diametersUm.length != weights.length) {
                throw new IllegalArgumentException(String.format(Locale.ROOT,
                        "Table needs as many weights as diameters (at least one), got %s diameters and %s weights",
                        diametersUm == null ? "no" : diametersUm.length, weights == null ? "no" : weights.length));
            }
            diametersUm = diametersUm.clone();
            weights = weights.clone();
            double sum = 0;
            for (int k = 0; k < diametersUm.length; k++) {
                positive(diametersUm[k], "Table diameter " + k);
                if (!(weights[k] >= 0 && Double.isFinite(weights[k]))) {
                    throw new IllegalArgumentException("Table weights must be finite and >= 0, got "
                            + Arrays.toString(weights));
                }
                sum += weights[k];
            }
            if (!(sum > 0)) {
                throw new IllegalArgumentException("Table weights must not all be zero, got " + Arrays.toString(weights));
            }
        }

        @Override
        public double[] diametersUm() {
            return diametersUm.clone();
        }

        @Override
        public double[] weights() {
            return weights.clone();
        }

        private double totalWeight() {
            double s = 0;
            for (double w : weights) {
                s += w;
            }
            return s;
        }

        @Override
        public double sample(SplittableRandom random) {
            double u = random.nextDouble() * totalWeight();
            for (int k = 0; k < weights.length; k++) {
                u -= weights[k];
                if (u < 0) {
                    return diametersUm[k];
                }
            }
            return diametersUm[diametersUm.length - 1];
        }

        @Override
        public double meanCubedDiameter() {
            double s = 0;
            for (int k = 0; k < weights.length; k++) {
                s += weights[k] * diametersUm[k] * diametersUm[k] * diametersUm[k];
            }
            return s / totalWeight();
        }
    }

    /**
     * A mixture in which particles of {@code first} make up {@code volumeFractionOfFirst} of the solid volume. The
     * number probability of drawing from {@code first} is {@code (f/E1) / (f/E1 + (1-f)/E2)} with
     * {@code Ek = E[d^3]} of component k, so the volume split holds in expectation.
     */
    record Bimodal(SizeDistribution first, SizeDistribution second, double volumeFractionOfFirst)
            implements SizeDistribution {
        public Bimodal {
            if (first == null || second == null) {
                throw new IllegalArgumentException("Bimodal needs two distributions, got " + first + " and " + second);
            }
            if (!(volumeFractionOfFirst >= 0 && volumeFractionOfFirst <= 1)) {
                throw new IllegalArgumentException("Bimodal volumeFractionOfFirst must lie in [0, 1], got "
                        + volumeFractionOfFirst);
            }
        }

        /** Probability that one drawn particle comes from {@code first}. */
        public double numberFractionOfFirst() {
            double a = volumeFractionOfFirst / first.meanCubedDiameter();
            double b = (1 - volumeFractionOfFirst) / second.meanCubedDiameter();
            return a / (a + b);
        }

        @Override
        public double sample(SplittableRandom random) {
            return random.nextDouble() < numberFractionOfFirst() ? first.sample(random) : second.sample(random);
        }

        @Override
        public double meanCubedDiameter() {
            double p = numberFractionOfFirst();
            return p * first.meanCubedDiameter() + (1 - p) * second.meanCubedDiameter();
        }
    }

    private static void positive(double v, String what) {
        if (!(v > 0 && Double.isFinite(v))) {
            throw new IllegalArgumentException(what + " must be a positive number of micrometres, got " + v);
        }
    }

    /** Standard normal deviate by the Box-Muller transform (SplittableRandom has no nextGaussian on Java 17). */
    private static double gaussian(SplittableRandom random) {
        double u1 = 1.0 - random.nextDouble();
        double u2 = random.nextDouble();
        return Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
    }
}
