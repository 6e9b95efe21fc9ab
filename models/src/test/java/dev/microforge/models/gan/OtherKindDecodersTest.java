package dev.microforge.models.gan;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.microforge.datasets.Volume;
import dev.microforge.models.GaussianNoise;
import dev.microforge.models.LatentPadding;
import dev.microforge.models.ModelDirectory;
import dev.microforge.models.slicegan.SliceGanArchitecture;
import dev.microforge.models.slicegan.SliceGanModel;
import dev.microforge.models.vae.VaeArchitecture;
import dev.microforge.models.vae.VaeLatentDecoder;
import dev.microforge.models.vae.VaeModel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** SliceGAN and VAE model directories decode through {@code LatentDecoder} exactly as their models generate. */
class OtherKindDecodersTest {
    private static final List<String> LABELS = List.of("pore", "active", "cbd");

    @Test
    void aSavedSliceGanDecodesLikeItsGenerate(@TempDir Path dir) throws Exception {
        try (SliceGanModel m = SliceGanModel.create(SliceGanArchitecture.defaults(3, 3), LABELS, 3)) {
            ModelDirectory.save(dir, m, null);
            try (GanDecoder d = GanDecoder.loadSliceGan(dir)) {
                assertEquals("slicegan", d.kind());
                assertEquals(LABELS, d.phaseLabels());
                assertEquals(1 << m.architecture().generator().levels(), d.sizeStep());
                int s = 3;
                float[] z = GaussianNoise.floats(8, d.latentChannels() * s * s * s);
                // generate pads the latent by one voxel of its mirror image and cuts that voxel's output
                int step = d.sizeStep();
                int w = (s + 2) * step;
                Volume padded = Volume.of(w, w, w, d.decode(LatentPadding.mirror(z, d.latentChannels(), s, s, s, 1),
                        1, s + 2, s + 2, s + 2));
                assertArrayEquals(padded.crop(step, step, step, s * step, s * step, s * step).toArray(),
                        m.generate(s, 8).toArray());
            }
        }
        // parameters that do not fit the architecture in model.json are refused, not loaded
        String json = Files.readString(dir.resolve("model.json"));
        Files.writeString(dir.resolve("model.json"), json.replaceFirst("\"latentChannels\" : \\d+",
                "\"latentChannels\" : 32"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> GanDecoder.loadSliceGan(dir));
        assertTrue(e.getMessage().contains("do not belong together"), e.getMessage());
    }

    @Test
    void aSavedVaeDecodesItsLatentVectorLikeItsSample(@TempDir Path dir) {
        try (VaeModel m = VaeModel.create(VaeArchitecture.defaults(3, 16), LABELS, 4)) {
            ModelDirectory.save(dir, m);
            try (VaeLatentDecoder d = VaeLatentDecoder.load(dir)) {
                assertEquals("vae", d.kind());
                assertEquals(16, d.sizeStep());
                assertEquals(0, d.latentMargin());
                float[] two = new float[2 * d.latentChannels()];
                System.arraycopy(GaussianNoise.floats(5, d.latentChannels()), 0, two, 0, d.latentChannels());
                System.arraycopy(GaussianNoise.floats(6, d.latentChannels()), 0, two, d.latentChannels(),
                        d.latentChannels());
                byte[] labels = d.decode(two, 2, 1, 1, 1);
                byte[] second = new byte[16 * 16 * 16];
                System.arraycopy(labels, second.length, second, 0, second.length);
                assertArrayEquals(m.sample(6).toArray(), second);
                // the logits: their argmax is the labels, sample by sample
                assertTrue(d.hasLogits());
                GanDecoderTest.assertArgmaxIsLabels(d.decodeLogits(two, 2, 1, 1, 1), labels, 2, 3);
                IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                        () -> d.decode(new float[8 * d.latentChannels()], 1, 2, 2, 2));
                assertTrue(e.getMessage().contains("at most 16 voxels"), e.getMessage());
            }
        }
    }
}
