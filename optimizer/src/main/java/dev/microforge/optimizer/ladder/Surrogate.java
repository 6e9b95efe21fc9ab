package dev.microforge.optimizer.ladder;

import dev.microforge.datasets.PhaseMap;
import dev.microforge.datasets.Volume;
import dev.microforge.optimizer.objective.PropertySpec;
import java.util.List;

/**
 * The cheap rung of the evaluation ladder: predicts properties of a volume, with uncertainty, without running the
 * physics. A campaign with {@code screening} lets the surrogate score many candidate designs the GP proposes, sends
 * only the most promising to the physics evaluator, and hands every physics result back through {@link #update} so
 * the surrogate can be refitted as verified data accumulate.
 *
 * <p>Implementations: {@link BruggemanSurrogate} (exact fractions and surface areas, tortuosity from a fitted
 * power law of the volume fraction); the CNN surrogate (a 3D CNN ensemble) implements this interface too. A
 * surrogate that cannot predict a property returns NaN for it; the campaign then relies on the GP alone for that
 * property.
 */
public interface Surrogate {
    /**
     * Predictions per spec.
     *
     * @param mean predicted value of each spec, NaN where this surrogate does not predict it
     * @param sd standard deviation of each prediction (0 for an exact value), NaN where not predicted
     */
    record Prediction(double[] mean, double[] sd) {
        public Prediction {
            if (mean == null || sd == null || mean.length != sd.length) {
                throw new IllegalArgumentException("a prediction needs one mean and one sd per property");
            }
        }
    }

    /** One word naming the surrogate (journals and reports). */
    String name();

    /** Predicts {@code specs} for {@code volume}, whose labels {@code phases} names. */
    Prediction predict(Volume volume, PhaseMap phases, List<PropertySpec> specs);

    /**
     * A verified design: the physics values of {@code specs} on {@code volume}. Called after every physics
     * evaluation, in order; a surrogate may refit (or ignore it).
     */
    default void update(Volume volume, PhaseMap phases, List<PropertySpec> specs, double[] physics) {
    }
}
