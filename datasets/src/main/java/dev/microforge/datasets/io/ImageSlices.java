package dev.microforge.datasets.io;

import java.io.IOException;
import java.nio.file.Path;

/** PLACEHOLDER (mine). */
public final class ImageSlices {
    private ImageSlices() {
    }

    public static Samples readImage(Path file) throws IOException {
        throw new VolumeFormatException("not yet");
    }

    public static Samples readFolder(Path dir, ProgressListener progress) throws IOException {
        throw new VolumeFormatException("not yet");
    }
}
