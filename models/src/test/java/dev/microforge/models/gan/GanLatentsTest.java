package dev.microforge.models.gan;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import ai.djl.ndarray.NDManager;
import dev.microforge.datasets.Volume;
import java.util.List;
import org.junit.jupiter.api.Test;

class GanLatentsTest {
    @Test
    void decodingTheSeedsLatentGivesTheSameVolumeAsGenerate() {
        try (GanModel model = GanModel.create(GanArchitecture.defaults(3), List.of("pore", "active", "cbd"), 5)) {
            float[] latent;
            try (NDManager m = model.manager().newSubManager()) {
                latent = model.latent(m, 1, 2, 11).toFloatArray();
            }
            byte[] labels = GanLatents.decode(model, latent, 2);
            Volume expected = model.generate(2, 11);
            assertEquals(8 * 8 * 8, labels.length);
            assertArrayEquals(expected.toArray(), labels);
            assertThrows(IllegalArgumentException.class, () -> GanLatents.decode(model, new float[3], 2));
        }
    }
}
