package dev.microforge.datasets.io;

/**
 * Numeric type of the samples stored in a volume file, before they become labels. Names follow NumPy.
 */
public enum SampleType {
    BOOL(1, false, true), UINT8(1, false, true), INT8(1, true, true), UINT16(2, false, true), INT16(2, true, true),
    INT32(4, true, true), FLOAT32(4, true, false);

    private final int bytes;
    private final boolean signed;
    private final boolean integral;

    SampleType(int bytes, boolean signed, boolean integral) {
        this.bytes = bytes;
        this.signed = signed;
        this.integral = integral;
    }

    /** Bytes per sample in memory and on disk. */
    public int bytes() {
        return bytes;
    }

    public boolean signed() {
        return signed;
    }

    public boolean integral() {
        return integral;
    }

    /** NumPy-style name ({@code uint8}, {@code float32}, ...). */
    public String numpyName() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
