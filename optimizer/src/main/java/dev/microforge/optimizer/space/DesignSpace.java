package dev.microforge.optimizer.space;

import dev.microforge.datasets.PhaseMap;
import dev.microforge.datasets.Volume;
import java.util.List;

/**
 * What the optimiser searches: a box of continuous parameters and the generator that turns a point of it into a
 * volume. Implementations: {@link PackingSpace} (fields of a classical generator's options) and {@link LatentSpace}
 * (the latent of a trained generative model).
 *
 * <p>Points are in the parameters' own units, in the order of {@link #parameters()}. {@link #build} must be
 * deterministic: the same point gives the same volume (campaigns resume by recomputing nothing that was journaled,
 * and report by reading what was built).
 */
public interface DesignSpace extends AutoCloseable {
    /** The parameters, in point order. */
    List<Parameter> parameters();

    /** Number of parameters. */
    default int dimensions() {
        return parameters().size();
    }

    /** Maps a point of the unit cube to parameter units. */
    default double[] fromUnit(double[] u) {
        List<Parameter> p = parameters();
        double[] x = new double[p.size()];
        for (int i = 0; i < x.length; i++) {
            x[i] = p.get(i).fromUnit(Math.min(1, Math.max(0, u[i])));
        }
        return x;
    }

    /** Maps a point in parameter units to the unit cube. */
    default double[] toUnit(double[] x) {
        List<Parameter> p = parameters();
        double[] u = new double[p.size()];
        for (int i = 0; i < u.length; i++) {
            u[i] = p.get(i).toUnit(x[i]);
        }
        return u;
    }

    /**
     * The nearest point the space admits (a latent space keeps its points typical of the prior); the identity
     * for a plain box. Proposals pass through it before they are built and modelled.
     */
    default double[] admissible(double[] x) {
        return x.clone();
    }

    /** Builds the design at {@code x} (parameter units). */
    Volume build(double[] x);

    /** Names of the labels of the volumes {@link #build} makes. */
    PhaseMap phases();

    /** One line describing the space, for logs and reports. */
    String describe();

    /** Frees native resources (a model); nothing by default. */
    @Override
    default void close() {
    }
}
