package dev.microforge.datasets.io;

import dev.microforge.datasets.Volume;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Optional;

/** PLACEHOLDER: being written by a helper; signatures are the contract. */
public final class RawCodec {
    private RawCodec() {
    }

    /** The sidecar beside {@code raw} ({@code name.json} or {@code name.raw.json}) when one exists. */
    public static Optional<Path> sidecarOf(Path raw) {
        return Optional.empty();
    }

    /** The sidecar name we write: {@code name.json} for {@code name.raw}. */
    public static Path defaultSidecar(Path raw) {
        return raw.resolveSibling(raw.getFileName() + ".json");
    }

    public static Samples read(Path raw, ProgressListener progress) throws IOException {
        throw new VolumeFormatException("RawCodec not written yet");
    }

    public static void write(Volume volume, Path raw, boolean overwrite, ProgressListener progress)
            throws IOException {
        throw new VolumeFormatException("RawCodec not written yet");
    }
}
