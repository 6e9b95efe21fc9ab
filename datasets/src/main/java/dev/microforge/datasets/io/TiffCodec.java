package dev.microforge.datasets.io;

import dev.microforge.datasets.Volume;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Path;

/** PLACEHOLDER (mine). */
public final class TiffCodec {
    private TiffCodec() {
    }

    /** Compression of written TIFF stacks. */
    public enum Compression { NONE, DEFLATE, PACKBITS, LZW }

    public static Samples read(Path file, ProgressListener progress) throws IOException {
        throw new VolumeFormatException("not yet");
    }

    public static void write(Volume volume, OutputStream out, Compression compression, ProgressListener progress)
            throws IOException {
        throw new VolumeFormatException("not yet");
    }
}
