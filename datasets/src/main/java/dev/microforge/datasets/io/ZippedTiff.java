package dev.microforge.datasets.io;

import java.io.IOException;
import java.nio.file.Path;

/** PLACEHOLDER (mine). */
public final class ZippedTiff {
    private ZippedTiff() {
    }

    public static Samples read(Path zip, ProgressListener progress) throws IOException {
        throw new VolumeFormatException("not yet");
    }
}
