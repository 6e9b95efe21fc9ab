package dev.microforge.datasets;

/**
 * Thrown before allocating when a requested array would not fit the Java heap (or a Java array); the message
 * says the bytes needed and the {@code -Xmx} to use.
 */
public class VolumeTooLargeException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    public VolumeTooLargeException(String message) {
        super(message);
    }
}
