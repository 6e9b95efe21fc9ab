package dev.microforge.datasets.io;

import dev.microforge.datasets.Volume;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Path;

/** PLACEHOLDER: being written by a helper; signatures are the contract. */
public final class VtkCodec {
    private VtkCodec() {
    }

    public static Samples read(Path file, ProgressListener progress) throws IOException {
        throw new VolumeFormatException("VtkCodec not written yet");
    }

    public static void write(Volume volume, OutputStream out, ProgressListener progress) throws IOException {
        throw new VolumeFormatException("VtkCodec not written yet");
    }
}
