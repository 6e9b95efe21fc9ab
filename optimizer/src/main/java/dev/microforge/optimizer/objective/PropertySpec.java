package dev.microforge.optimizer.objective;

import dev.microforge.datasets.Axis;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * One measured quantity: a {@link Property} with its phase (a name such as {@code pore} or a label value, several
 * joined by {@code +}), its axis, and for {@code effectiveConductivity} the conductivity of each phase.
 *
 * @param property what is measured
 * @param phase phase text, null when the property takes none
 * @param axis direction, null when the property takes none
 * @param conductivity phase text to conductivity, for {@code effectiveConductivity}; empty otherwise
 */
public record PropertySpec(Property property, String phase, Axis axis, Map<String, Double> conductivity) {
    public PropertySpec {
        if (property == null) {
            throw new IllegalArgumentException("a property is required");
        }
        if (property.needsPhase() && (phase == null || phase.isBlank())) {
            throw new IllegalArgumentException(property.key() + " needs a \"phase\" (e.g. \"pore\", \"active\", "
                    + "\"active+cbd\" or a label value)");
        }
        if (property.needsAxis() && axis == null) {
            throw new IllegalArgumentException(property.key() + " needs an \"axis\" (x, y or z)");
        }
        conductivity = conductivity == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(conductivity));
        if (property == Property.EFFECTIVE_CONDUCTIVITY && conductivity.isEmpty()) {
            throw new IllegalArgumentException("effectiveConductivity needs \"conductivity\": {phase: value, ...}, "
                    + "e.g. {\"pore\": 1, \"cbd\": 0.3}");
        }
        for (Map.Entry<String, Double> e : conductivity.entrySet()) {
            if (e.getValue() == null || !(e.getValue() >= 0) || !Double.isFinite(e.getValue())) {
                throw new IllegalArgumentException("conductivity of " + e.getKey() + " must be a finite number "
                        + ">= 0, got " + e.getValue());
            }
        }
        if (!property.needsPhase()) {
            phase = null;
        }
    }

    /** A short label, e.g. {@code tortuosity(pore,z)}, used as a key in journals and reports. */
    public String label() {
        StringBuilder sb = new StringBuilder(property.key()).append('(');
        if (phase != null) {
            sb.append(phase.trim().toLowerCase(Locale.ROOT));
        }
        if (!conductivity.isEmpty()) {
            conductivity.forEach((k, v) -> sb.append(sb.charAt(sb.length() - 1) == '(' ? "" : ";").append(k)
                    .append(':').append(v));
        }
        if (axis != null) {
            sb.append(sb.charAt(sb.length() - 1) == '(' ? "" : ",").append(axis.label());
        }
        return sb.append(')').toString();
    }
}
