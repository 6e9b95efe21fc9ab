package dev.microforge.training;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What one training iteration reports.
 *
 * @param iteration the 1-based iteration
 * @param losses loss values by name, in {@link Trainer#lossNames()} order
 * @param gradientNorms L2 norm of all parameter gradients of each network (e.g. {@code critic},
 *     {@code generator}) at its last update in the iteration
 */
public record IterationResult(long iteration, Map<String, Double> losses, Map<String, Double> gradientNorms) {

    /** Copies the maps, keeping their order. */
    public IterationResult {
        losses = Collections.unmodifiableMap(new LinkedHashMap<>(losses));
        gradientNorms = Collections.unmodifiableMap(new LinkedHashMap<>(gradientNorms));
    }

    /**
     * Returns the losses in order as an array.
     *
     * @return loss values
     */
    public double[] lossValues() {
        return losses.values().stream().mapToDouble(Double::doubleValue).toArray();
    }
}
