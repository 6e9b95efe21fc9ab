package dev.microforge.datasets;

import java.util.Locale;

/**
 * A direction of a {@link Volume}: {@code X} is the fastest-varying index (TIFF column, NumPy last axis), {@code Z}
 * the slowest (TIFF page, NumPy first axis). Results that depend on direction are always reported per axis.
 */
public enum Axis {
    X, Y, Z;

    /** Lower-case name as used on the command line and in JSON ({@code "x"}, {@code "y"}, {@code "z"}). */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * Parses {@code x}, {@code y} or {@code z} (any case).
     *
     * @throws IllegalArgumentException naming the received text when it is none of those
     */
    public static Axis parse(String text) {
        if (text != null) {
            switch (text.trim().toLowerCase(Locale.ROOT)) {
                case "x": return X;
                case "y": return Y;
                case "z": return Z;
                default: break;
            }
        }
        throw new IllegalArgumentException("axis must be x, y or z, got '" + text + "'");
    }
}
