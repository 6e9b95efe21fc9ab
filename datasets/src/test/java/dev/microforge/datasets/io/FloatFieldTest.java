package dev.microforge.datasets.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.microforge.datasets.FloatVolume;
import dev.microforge.datasets.VoxelSize;
import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FloatFieldTest {
    @TempDir
    Path dir;

    @Test
    void floatFieldsRoundTripThroughNpy() throws IOException {
        float[] values = new float[7 * 5 * 3];
        for (int i = 0; i < values.length; i++) {
            values[i] = i * 0.25f - 3.5f;
        }
        FloatVolume f = FloatVolume.of(7, 5, 3, values, VoxelSize.UNKNOWN);
        Path out = dir.resolve("field.npy");
        VolumeIO.writeFloat(f, out, false);
        Samples back = VolumeIO.readSamples(out, ProgressListener.NONE);
        assertEquals(SampleType.FLOAT32, back.type());
        assertEquals(7, back.nx());
        assertEquals(3, back.nz());
        for (int i = 0; i < values.length; i++) {
            assertEquals(values[i], back.floats()[i]);
        }
        assertThrows(IllegalArgumentException.class, () -> VolumeIO.writeFloat(f, dir.resolve("f.tif"), false));
        assertThrows(java.nio.file.FileAlreadyExistsException.class, () -> VolumeIO.writeFloat(f, out, false));
    }
}
