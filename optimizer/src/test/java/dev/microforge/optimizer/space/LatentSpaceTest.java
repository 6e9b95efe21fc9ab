package dev.microforge.optimizer.space;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.microforge.datasets.PhaseMap;
import dev.microforge.datasets.Volume;
import dev.microforge.models.ModelDirectory;
import dev.microforge.models.gan.GanArchitecture;
import dev.microforge.models.gan.GanLatents;
import dev.microforge.models.gan.GanModel;
import dev.microforge.models.vae.VaeArchitecture;
import dev.microforge.models.vae.VaeModel;
import dev.microforge.optimizer.campaign.Campaign;
import dev.microforge.optimizer.campaign.CampaignConfig;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LatentSpaceTest {
    @TempDir
    Path tmp;

    /** A latent model without a network: voxel (x, y, z) is phase 1 where sum_j z_j cos((j+1) x / 3) > 0. */
    static final class CosineModel implements LatentModel {
        private final int d;

        CosineModel(int d) {
            this.d = d;
        }

        @Override
        public int dimension() {
            return d;
        }

        @Override
        public Volume decode(double[] z) {
            return Volume.generate(8, 8, 8, (x, y, k) -> {
                double s = 0;
                for (int j = 0; j < Math.min(d, 16); j++) {
                    s += z[j] * Math.cos((j + 1) * (x + 2 * y + 3 * k) / 3.0);
                }
                return s > 0 ? 1 : 0;
            });
        }

        @Override
        public PhaseMap phases() {
            return PhaseMap.of(Map.of(0, "pore", 1, "active"));
        }

        @Override
        public String describe() {
            return "cosines";
        }

        @Override
        public void close() {
        }
    }

    @Test
    void typicalShellIsTheCentralChiSquareMassAndProposalsAreProjectedOntoIt() {
        LatentSpace space = new LatentSpace(new CosineModel(8), LatentSpace.Options.defaults());
        // scipy.stats.chi2.ppf(0.005, 8) ** 0.5 and chi2.ppf(0.995, 8) ** 0.5
        assertArrayEquals(new double[] {1.1594882867087575, 4.685611485244966}, space.typicalRadii(), 1e-9);
        assertEquals(8, space.dimensions());
        double[] tooSmall = {0.1, 0, 0, 0, 0, 0, 0, 0};
        double[] tooLarge = {3, 3, 3, 0, 0, 0, 0, 0};
        double[] typical = {1, -1, 1, -1, 1, -1, 1, -1};
        assertEquals(space.typicalRadii()[0], norm(space.admissible(tooSmall)), 1e-12);
        assertEquals(space.typicalRadii()[1], norm(space.admissible(tooLarge)), 1e-12);
        assertArrayEquals(typical, space.admissible(typical), 0);
        assertTrue(space.admissible(new double[8])[0] > 1, "the origin maps onto the shell");
        assertArrayEquals(typical, space.latent(typical), 0, "k = D: the identity");
    }

    @Test
    void randomEmbeddingKeepsTheLatentNormTypical() {
        LatentSpace space = new LatentSpace(new CosineModel(4096), new LatentSpace.Options(4, 3, 0.99, 7));
        SplittableRandom r = new SplittableRandom(1);
        for (int t = 0; t < 5; t++) {
            double[] y = new double[4];
            for (int j = 0; j < 4; j++) {
                y[j] = 2 * r.nextDouble() - 1;
            }
            double[] z = space.latent(y);
            assertEquals(4096, z.length);
            double ratio = (norm(z) * norm(z) / 4096) / (norm(y) * norm(y) / 4);
            assertEquals(1, ratio, 0.1, "|z|^2/D over |y|^2/k");
        }
        LatentSpace same = new LatentSpace(new CosineModel(4096), new LatentSpace.Options(4, 3, 0.99, 7));
        assertArrayEquals(space.latent(new double[] {1, 2, 3, 4}), same.latent(new double[] {1, 2, 3, 4}), 0);
        assertThrows(IllegalArgumentException.class,
                () -> new LatentSpace(new CosineModel(3), new LatentSpace.Options(4, 3, 0.99, 7)));
    }

    private static double norm(double[] v) {
        double s = 0;
        for (double x : v) {
            s += x * x;
        }
        return Math.sqrt(s);
    }

    @Test
    void campaignOverATrainedGansLatentRuns() throws Exception {
        Path modelDir = tmp.resolve("gan");
        try (GanModel model = GanModel.create(GanArchitecture.defaults(3), List.of("pore", "active", "cbd"), 3)) {
            ModelDirectory.save(modelDir, model);
        }
        try (DecoderLatentModel gan = DecoderLatentModel.load(modelDir, 16);
                GanModel model = ModelDirectory.loadGan(modelDir)) {
            assertEquals(16 * 4 * 4 * 4, gan.dimension());
            SplittableRandom r = new SplittableRandom(5);
            double[] z = new double[gan.dimension()];
            float[] zf = new float[z.length];
            for (int i = 0; i < z.length; i++) {
                z[i] = r.nextDouble() * 4 - 2;
                zf[i] = (float) z[i];
            }
            Volume a = gan.decode(z);
            assertEquals(16, a.nx());
            assertEquals(16, a.nz());
            // the same volume as the GAN's own decode of that latent (mirror padding, margin cut)
            assertArrayEquals(GanLatents.decode(model, zf, 4), a.toArray());
            assertEquals(1, gan.phases().resolve("active"));
        }
        String json = "{\"designSpace\": {\"type\": \"latent\", \"model\": \"" + modelDir.toString().replace("\\", "/")
                + "\", \"size\": 16, \"dimensions\": 3}, \"objectives\": [{\"property\": \"volumeFraction\", "
                + "\"phase\": \"pore\", \"goal\": \"maximize\"}], \"budget\": 4, \"initialDesign\": 3}";
        Campaign.State s = Campaign.run(CampaignConfig.parse(json, "latent"), tmp.resolve("c"), null);
        assertEquals(4, s.entries().size());
        LatentSpace shell = new LatentSpace(new CosineModel(3), new LatentSpace.Options(3, 3, 0.99, 1));
        for (var e : s.entries()) {
            assertTrue(e.ok(), e.message());
            double r = Math.sqrt(e.parameters().values().stream().mapToDouble(v -> v * v).sum());
            assertTrue(r >= shell.typicalRadii()[0] - 1e-9 && r <= shell.typicalRadii()[1] + 1e-9,
                    "latent radius " + r + " outside the typical shell");
            assertEquals(List.of("z0", "z1", "z2"), List.copyOf(e.parameters().keySet()));
        }
    }

    /**
     * A VAE's latent vector is a design space too (the "VAE mean space"): its dimension is the VAE's latent
     * dimension, it decodes as the VAE does, and a size above its training edge is refused with a message.
     */
    @Test
    void campaignOverAVaesLatentRuns() throws Exception {
        Path modelDir = tmp.resolve("vae");
        VaeArchitecture arch = new VaeArchitecture(3, 16, 4, List.of(16, 16), List.of(16, 16));
        try (VaeModel model = VaeModel.create(arch, List.of("pore", "active", "cbd"), 3)) {
            ModelDirectory.save(modelDir, model);
        }
        try (DecoderLatentModel vae = DecoderLatentModel.load(modelDir, 16)) {
            assertEquals(4, vae.dimension());
            Volume a = vae.decode(new double[] {0.5, -1, 2, 0});
            assertEquals(16, a.nx());
            assertEquals(a, vae.decode(new double[] {0.5, -1, 2, 0}), "deterministic");
        }
        try (DecoderLatentModel small = DecoderLatentModel.load(modelDir, 12)) {
            assertEquals(12, small.decode(new double[4]).nx());
        }
        IllegalArgumentException big = assertThrows(IllegalArgumentException.class,
                () -> DecoderLatentModel.load(modelDir, 32));
        assertTrue(big.getMessage().contains("at most 16"), big.getMessage());
        String json = "{\"designSpace\": {\"type\": \"latent\", \"model\": \"" + modelDir.toString().replace("\\", "/")
                + "\", \"size\": 16, \"dimensions\": 4}, \"objectives\": [{\"property\": \"volumeFraction\", "
                + "\"phase\": \"pore\", \"goal\": \"maximize\"}], \"budget\": 3, \"initialDesign\": 3}";
        Campaign.State s = Campaign.run(CampaignConfig.parse(json, "vae"), tmp.resolve("cv"), null);
        assertEquals(3, s.entries().size());
        for (var e : s.entries()) {
            assertTrue(e.ok(), e.message());
        }
        // a folder that is not a model: one clear message
        java.nio.file.Files.createDirectories(tmp.resolve("empty"));
        String bad = json.replace(modelDir.toString().replace("\\", "/"), tmp.resolve("empty").toString().replace("\\", "/"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Campaign.run(CampaignConfig.parse(bad, "bad"), tmp.resolve("cb"), null));
        assertTrue(e.getMessage().startsWith("designSpace.model: "), e.getMessage());
    }
}
