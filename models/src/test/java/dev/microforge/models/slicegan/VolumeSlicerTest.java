package dev.microforge.models.slicegan;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.microforge.datasets.Axis;
import dev.microforge.datasets.Volume;
import dev.microforge.models.Engines;
import dev.microforge.models.OneHot;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The slices the critics see of generated volumes are Volume.slice's planes, in its orientation. */
class VolumeSlicerTest {

    @Test
    void slicesOfAOneHotBatchAreTheOneHotVolumeSlices() {
        int nx = 4;
        int ny = 6;
        int nz = 8;
        int phases = 3;
        Volume[] volumes = new Volume[2];
        for (int n = 0; n < 2; n++) {
            SplittableRandom random = new SplittableRandom(n + 1);
            volumes[n] = Volume.generate(nx, ny, nz, (x, y, z) -> random.nextInt(phases));
        }
        int voxels = nx * ny * nz;
        float[] batch = new float[2 * phases * voxels];
        for (int n = 0; n < 2; n++) {
            System.arraycopy(OneHot.encode(volumes[n], phases), 0, batch, n * phases * voxels, phases * voxels);
        }
        try (NDManager manager = Engines.pytorch().newBaseManager()) {
            NDArray array = manager.create(batch, new Shape(2, phases, nz, ny, nx));
            for (Axis axis : Axis.values()) {
                int offset = 1;
                int stride = 2;
                NDArray slices = VolumeSlicer.slices(array, axis, offset, stride);
                int k = volumes[0].size(axis) / stride;
                Volume first = volumes[0].slice(axis, 0);
                assertEquals(new Shape(2 * k, phases, first.ny(), first.nx()), slices.getShape(), axis.label());
                float[] got = slices.toFloatArray();
                int plane = phases * first.nx() * first.ny();
                for (int n = 0; n < 2; n++) {
                    for (int j = 0; j < k; j++) {
                        float[] expected = OneHot.encode(volumes[n].slice(axis, offset + j * stride), phases);
                        float[] actual = new float[plane];
                        System.arraycopy(got, (n * k + j) * plane, actual, 0, plane);
                        assertArrayEquals(expected, actual, axis + " volume " + n + " plane " + (offset + j * stride));
                    }
                }
            }
            assertThrows(IllegalArgumentException.class, () -> VolumeSlicer.slices(array, Axis.X, 2, 2));
        }
    }
}
