package dev.microforge.optimizer.space;

import java.util.Locale;

/**
 * One continuous design parameter with its bounds, in its own unit (micrometres for lengths, fractions as
 * fractions). The optimiser works on the unit cube and maps {@code u in [0, 1]} linearly to
 * {@code lower + u (upper - lower)}.
 *
 * @param name the parameter's name in the campaign file (e.g. {@code solidFraction})
 * @param lower smallest value, finite
 * @param upper largest value, finite, above {@code lower}
 */
public record Parameter(String name, double lower, double upper) {
    public Parameter {
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("a design parameter needs a name");
        }
        if (!(Double.isFinite(lower) && Double.isFinite(upper) && lower < upper)) {
            throw new IllegalArgumentException(String.format(Locale.ROOT,
                    "parameter %s: bounds must be finite with lower < upper, got [%s, %s]", name, lower, upper));
        }
    }

    /** {@code lower + u (upper - lower)}. */
    public double fromUnit(double u) {
        return lower + u * (upper - lower);
    }

    /** {@code (x - lower) / (upper - lower)}. */
    public double toUnit(double x) {
        return (x - lower) / (upper - lower);
    }
}
