package dev.microforge.optimizer.space;

import dev.microforge.datasets.PhaseMap;
import dev.microforge.datasets.Volume;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import org.apache.commons.math3.distribution.ChiSquaredDistribution;

/**
 * A design space over the latent of a generative model ({@link LatentModel}), kept in distribution by a prior
 * typicality constraint.
 *
 * <p><b>Coordinates.</b> The optimiser moves {@code y} in the box {@code [-bound, bound]^k}. When {@code k} equals the
 * latent dimension {@code D}, the latent is {@code z = y}; otherwise (a GAN's spatial latent has thousands of
 * values) {@code z = A y} with a fixed random matrix {@code A} ({@code D x k}, entries {@code N(0, 1/k)}, drawn from
 * the space's seed): a random linear embedding (REMBO, Wang et al., JAIR 55 (2016) 361). Then each latent value is
 * {@code N(0, |y|^2 / k)} over the draw of {@code A}, and {@code |z|^2 / D ~ |y|^2 / k}, so {@code y ~ N(0, I_k)}
 * gives latents of the prior's typical norm.
 *
 * <p><b>Typicality.</b> Under the prior {@code N(0, I_k)}, {@code |y|^2} follows a chi-square law with k degrees of
 * freedom and almost all mass lies in a thin shell; a generator has seen almost no latents far inside or outside it,
 * and decodes them to out-of-distribution volumes (White, "Sampling generative networks", arXiv:1609.04468, 2016;
 * the same reason spherical rather than linear interpolation is used). {@link #admissible} scales a
 * proposal radially onto the central {@code typicality} mass of that law, {@code chi2_k^-1((1 -+ t)/2)}, then clips it
 * to the box; proposals are built and modelled at that admissible point.
 */
public final class LatentSpace implements DesignSpace {
    private final LatentModel model;
    private final Options options;
    private final int k;
    private final float[] embedding; // D x k, row-major, or null for the identity
    private final List<Parameter> parameters;
    private final double minRadius;
    private final double maxRadius;

    /**
     * Settings.
     *
     * @param dimensions searched coordinates k (0: {@code min(D, 8)}); at most D
     * @param bound half-width of the box, in prior standard deviations
     * @param typicality central probability mass of {@code |y|^2} that proposals must lie in, in (0, 1)
     * @param seed seed of the embedding matrix
     */
    public record Options(int dimensions, double bound, double typicality, long seed) {
        public Options {
            if (dimensions < 0) {
                throw new IllegalArgumentException("latent dimensions must be >= 0 (0: automatic), got "
                        + dimensions);
            }
            if (!(bound > 0 && bound <= 10)) {
                throw new IllegalArgumentException("latent bound must lie in (0, 10] prior sds, got " + bound);
            }
            if (!(typicality > 0 && typicality < 1)) {
                throw new IllegalArgumentException("latent typicality must lie in (0, 1), got " + typicality);
            }
        }

        /** 8 coordinates (fewer when the latent is smaller), box +-3, central 99 %, seed 1. */
        public static Options defaults() {
            return new Options(0, 3, 0.99, 1);
        }
    }

    /**
     * A latent space over {@code model} (the space owns it and closes it).
     *
     * @throws IllegalArgumentException when more coordinates are asked for than the latent has
     */
    public LatentSpace(LatentModel model, Options options) {
        this.model = model;
        this.options = options;
        int d = model.dimension();
        this.k = options.dimensions() == 0 ? Math.min(d, 8) : options.dimensions();
        if (k > d) {
            throw new IllegalArgumentException("designSpace.dimensions " + k + " exceeds the model's latent size "
                    + d);
        }
        if ((long) d * k > 64_000_000L) {
            throw new IllegalArgumentException("an embedding of " + k + " coordinates into a latent of " + d
                    + " values would need " + ((long) d * k * 4 >> 20) + " MiB; use fewer dimensions");
        }
        if (k == d) {
            embedding = null;
        } else {
            embedding = new float[d * k];
            SplittableRandom random = new SplittableRandom(options.seed());
            double scale = 1 / Math.sqrt(k);
            for (int i = 0; i < embedding.length; i++) {
                double u1 = random.nextDouble();
                double u2 = random.nextDouble();
                embedding[i] = (float) (scale * Math.sqrt(-2 * Math.log(1 - u1)) * Math.cos(2 * Math.PI * u2));
            }
        }
        List<Parameter> p = new ArrayList<>();
        for (int i = 0; i < k; i++) {
            p.add(new Parameter("z" + i, -options.bound(), options.bound()));
        }
        this.parameters = List.copyOf(p);
        ChiSquaredDistribution chi2 = new ChiSquaredDistribution(null, k);
        this.minRadius = Math.sqrt(chi2.inverseCumulativeProbability((1 - options.typicality()) / 2));
        this.maxRadius = Math.sqrt(chi2.inverseCumulativeProbability((1 + options.typicality()) / 2));
    }

    /** Radii between which proposals are kept: the central typicality mass of the chi law with k dof. */
    public double[] typicalRadii() {
        return new double[] {minRadius, maxRadius};
    }

    /** The latent vector (length D) of the point {@code y}. */
    public double[] latent(double[] y) {
        if (embedding == null) {
            return y.clone();
        }
        int d = model.dimension();
        double[] z = new double[d];
        for (int i = 0; i < d; i++) {
            double s = 0;
            for (int j = 0; j < k; j++) {
                s += embedding[i * k + j] * y[j];
            }
            z[i] = s;
        }
        return z;
    }

    @Override
    public List<Parameter> parameters() {
        return parameters;
    }

    @Override
    public double[] admissible(double[] y) {
        double r = 0;
        for (double v : y) {
            r += v * v;
        }
        r = Math.sqrt(r);
        double[] out = y.clone();
        if (r == 0) {
            out[0] = minRadius;
            return out;
        }
        double target = Math.min(maxRadius, Math.max(minRadius, r));
        for (int i = 0; i < out.length; i++) {
            out[i] = Math.min(options.bound(), Math.max(-options.bound(), out[i] * target / r));
        }
        return out;
    }

    @Override
    public Volume build(double[] y) {
        return model.decode(latent(y));
    }

    @Override
    public PhaseMap phases() {
        return model.phases();
    }

    @Override
    public String describe() {
        return String.format(Locale.ROOT, "latent of %s: %d coordinates in [-%s, %s]%s, |y| in [%.3f, %.3f]",
                model.describe(), k, options.bound(), options.bound(),
                embedding == null ? "" : " (random embedding into " + model.dimension() + ")", minRadius, maxRadius);
    }

    @Override
    public void close() {
        model.close();
    }
}
