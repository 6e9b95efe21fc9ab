package dev.microforge.evaluator.morphology;

import java.util.Arrays;

/**
 * Particle-size distribution over equivalent sphere diameters ({@link ParticleStatistics}): number-weighted (each
 * particle counts once) and volume-weighted (each particle counts with its volume, proportional to d^3), as
 * histograms on equal-width bins from 0 to the largest diameter, cumulative curves, and the d10 / d50 / d90 of each
 * weighting (ISO 9276-1 notation: Q0 and Q3). Quantiles are taken from the individual diameters, not the bins, with
 * the interpolation of {@link WeightedQuantiles}. Units follow the statistics (micrometres when the voxel size is
 * known, else voxel edges).
 */
public final class ParticleSizeDistribution {
    private ParticleSizeDistribution() {
    }

    /**
     * Options of a size distribution.
     *
     * @param bins number of equal-width histogram bins
     * @param excludeBorderParticles whether particles touching the volume border (possibly cut) are left out
     */
    public record Options(int bins, boolean excludeBorderParticles) {
        public Options {
            if (bins < 1 || bins > 100_000) {
                throw new IllegalArgumentException("bins must be 1..100000, got " + bins);
            }
        }

        /** 20 bins, border particles kept. */
        public static Options defaults() {
            return new Options(20, false);
        }
    }

    /**
     * A particle-size distribution.
     *
     * @param particles number of particles counted
     * @param binEdges bins + 1 ascending edges (diameter)
     * @param numberFractions fraction of particles per bin
     * @param volumeFractions fraction of particle volume per bin
     * @param cumulativeNumber fraction of particles with diameter below each upper edge (Q0)
     * @param cumulativeVolume fraction of volume in particles with diameter below each upper edge (Q3)
     * @param numberD10 diameter below which 10 % of the particles lie (likewise D50, D90)
     * @param volumeD10 diameter below which 10 % of the particle volume lies (likewise D50, D90)
     * @param meanDiameter number-weighted mean diameter
     * @param inMicrometres whether diameters are in micrometres (else voxel edges)
     */
    public record Result(int particles, double[] binEdges, double[] numberFractions, double[] volumeFractions,
            double[] cumulativeNumber, double[] cumulativeVolume, double numberD10, double numberD50,
            double numberD90, double volumeD10, double volumeD50, double volumeD90, double meanDiameter,
            boolean inMicrometres) {
    }

    /** Distribution of the particles of {@code statistics}. */
    public static Result of(ParticleStatistics.Result statistics, Options options) {
        double[] d = statistics.particles().stream()
                .filter(p -> p.voxels() > 0 && !(options.excludeBorderParticles() && p.touchesBorder()))
                .mapToDouble(ParticleStatistics.Particle::equivalentDiameter).toArray();
        return of(d, statistics.inMicrometres(), options);
    }

    /**
     * Distribution of the given equivalent diameters.
     *
     * @throws IllegalArgumentException for a negative or non-finite diameter
     */
    public static Result of(double[] diameters, boolean inMicrometres, Options options) {
        double[] d = diameters.clone();
        for (double v : d) {
            if (!(v >= 0) || Double.isInfinite(v)) {
                throw new IllegalArgumentException("diameters must be finite and non-negative, got " + v);
            }
        }
        Arrays.sort(d);
        int bins = options.bins();
        double max = d.length == 0 ? 1 : Math.max(d[d.length - 1], Double.MIN_NORMAL);
        double[] edges = new double[bins + 1];
        for (int b = 0; b <= bins; b++) {
            edges[b] = max * b / bins;
        }
        double[] number = new double[bins];
        double[] volume = new double[bins];
        double[] cubes = new double[d.length];
        double[] ones = new double[d.length];
        double totalVolume = 0;
        double sum = 0;
        for (int i = 0; i < d.length; i++) {
            cubes[i] = d[i] * d[i] * d[i];
            ones[i] = 1;
            totalVolume += cubes[i];
            sum += d[i];
        }
        for (int i = 0; i < d.length; i++) {
            int b = Math.min(bins - 1, (int) (d[i] / max * bins));
            number[b] += 1.0 / d.length;
            volume[b] += totalVolume > 0 ? cubes[i] / totalVolume : 0;
        }
        double[] cumNumber = new double[bins];
        double[] cumVolume = new double[bins];
        double cn = 0;
        double cv = 0;
        for (int b = 0; b < bins; b++) {
            cn += number[b];
            cv += volume[b];
            cumNumber[b] = Math.min(1, cn);
            cumVolume[b] = Math.min(1, cv);
        }
        return new Result(d.length, edges, number, volume, cumNumber, cumVolume,
                WeightedQuantiles.quantile(d, ones, 0.1), WeightedQuantiles.quantile(d, ones, 0.5),
                WeightedQuantiles.quantile(d, ones, 0.9), WeightedQuantiles.quantile(d, cubes, 0.1),
                WeightedQuantiles.quantile(d, cubes, 0.5), WeightedQuantiles.quantile(d, cubes, 0.9),
                d.length == 0 ? Double.NaN : sum / d.length, inMicrometres);
    }
}
