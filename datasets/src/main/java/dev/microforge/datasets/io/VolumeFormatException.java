package dev.microforge.datasets.io;

import java.io.IOException;
import java.nio.file.Path;

/**
 * A volume file that cannot be read as what it claims to be: truncated, corrupt, inconsistent, or using a feature
 * (bit depth, sample type, compression) that is not supported. The message names the file and, where known, the
 * byte offset or page, and says how to fix it.
 */
public class VolumeFormatException extends IOException {
    private static final long serialVersionUID = 1L;

    public VolumeFormatException(String message) {
        super(message);
    }

    public VolumeFormatException(String message, Throwable cause) {
        super(message, cause);
    }

    /** {@code "<file>: <problem>"}. */
    public static VolumeFormatException of(Path file, String problem) {
        return new VolumeFormatException(file + ": " + problem);
    }
}
