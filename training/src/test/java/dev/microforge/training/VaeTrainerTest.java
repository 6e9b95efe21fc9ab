package dev.microforge.training;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.microforge.datasets.Volume;
import dev.microforge.models.ModelDirectory;
import dev.microforge.models.vae.VaeArchitecture;
import dev.microforge.models.vae.VaeModel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class VaeTrainerTest {

    private static final List<String> LABELS = List.of("pore", "active", "cbd");

    /** 16³ input, latent 4, two levels each way. */
    static VaeArchitecture small() {
        return new VaeArchitecture(3, 16, 4, List.of(16, 16), List.of(16, 16));
    }

    static VaeTrainer.Options quick(long seed) {
        return new VaeTrainer.Options(2, 1.0, 1e-3, 0.9, 0.999, seed);
    }

    static Volume data() {
        return Volume.generate(24, 20, 22, (x, y, z) -> {
            double dx = (x % 10) - 5;
            double dy = (y % 10) - 5;
            double dz = (z % 11) - 5;
            double r = Math.sqrt(dx * dx + dy * dy + dz * dz);
            return r < 3.5 ? 1 : r < 4.5 ? 2 : 0;
        });
    }

    @Test
    void threeIterationsGiveFiniteLossesThatAddUp() {
        try (VaeModel model = VaeModel.create(small(), LABELS, 2);
                VaeTrainer trainer = VaeTrainer.create(model, data(), new VaeTrainer.Options(2, 0.5, 1e-3, 0.9, 0.999, 2),
                        null, null)) {
            for (int it = 1; it <= 3; it++) {
                IterationResult r = trainer.iterate(it);
                VaeTrainer.Losses l = trainer.lastLosses();
                assertTrue(Double.isFinite(l.total()) && l.reconstruction() > 0 && l.kl() >= 0, l.toString());
                assertEquals(l.reconstruction() + 0.5 * l.kl(), l.total(), 1e-3 * l.total());
                assertEquals(l.reconstruction() / 4096, l.reconstructionPerVoxel(), 1e-9);
                // untrained: about ln 3 nats per voxel, never far beyond
                assertTrue(l.reconstructionPerVoxel() < 2 * Math.log(3), l.toString());
                // reported per voxel (loss, reconstruction) and per sample (kl)
                assertEquals(l.total() / 4096, r.losses().get("loss"), 1e-9);
                assertEquals(l.reconstructionPerVoxel(), r.losses().get("reconstruction"), 1e-12);
                assertEquals(l.kl(), r.losses().get("kl"), 1e-12);
                assertTrue(r.gradientNorms().get("encoder") > 0 && r.gradientNorms().get("decoder") > 0);
            }
        }
    }

    @Test
    void trainingIsReproducibleUnderASeed() {
        List<double[]> latents = new ArrayList<>();
        List<VaeTrainer.Result> results = new ArrayList<>();
        Volume probe = data().crop(0, 0, 0, 16, 16, 16);
        for (int run = 0; run < 2; run++) {
            try (VaeModel model = VaeModel.create(small(), LABELS, 6)) {
                results.add(VaeTrainer.train(model, data(), quick(6), 2));
                latents.add(model.encode(probe));
            }
        }
        assertEquals(results.get(0), results.get(1));
        assertArrayEquals(latents.get(0), latents.get(1));
        try (VaeModel other = VaeModel.create(small(), LABELS, 6)) {
            VaeTrainer.train(other, data(), quick(7), 2);
            assertNotEquals(results.get(0).last(), VaeTrainer.train(other, data(), quick(7), 1).last());
        }
    }

    @Test
    void encodeDecodeAreDeterministicAndSized(@TempDir Path dir) throws Exception {
        Volume block = data().crop(2, 1, 3, 16, 16, 16);
        try (VaeModel model = VaeModel.create(small(), LABELS, 9)) {
            VaeTrainer.train(model, data(), quick(9), 2);
            double[] mean = model.encode(block);
            assertEquals(4, mean.length);
            assertArrayEquals(mean, model.encode(block));
            Volume decoded = model.decode(mean);
            assertEquals(16, decoded.nx());
            assertEquals(16, decoded.nz());
            assertEquals(decoded, model.decode(mean));
            long[] counts = decoded.labelCounts();
            for (int label = 3; label < 256; label++) {
                assertEquals(0, counts[label]);
            }
            assertEquals(model.sample(3), model.sample(3));

            ModelDirectory.save(dir, model);
            String json = Files.readString(dir.resolve("model.json"));
            assertTrue(json.contains("\"kind\" : \"vae\"") && json.contains("\"latentDimension\" : 4"), json);
            assertEquals(ModelDirectory.KIND_VAE, ModelDirectory.readKind(dir));
            try (VaeModel loaded = ModelDirectory.loadVae(dir)) {
                assertEquals(model.architecture(), loaded.architecture());
                SliceGanTrainerTest.assertSameParameters(model.encoder(), loaded.encoder());
                SliceGanTrainerTest.assertSameParameters(model.decoder(), loaded.decoder());
                assertArrayEquals(mean, loaded.encode(block));
                assertEquals(decoded, loaded.decode(mean));
                VaeTrainer.Result more = VaeTrainer.train(loaded, data(), quick(10), 1);
                assertTrue(Double.isFinite(more.last().total()));
            }

            assertThrows(IllegalArgumentException.class, () -> model.encode(data()));
            assertThrows(IllegalArgumentException.class, () -> model.decode(new double[3]));
            assertThrows(IllegalArgumentException.class, () -> model.decode(new double[] {0, Double.NaN, 0, 0}));
            assertThrows(IllegalArgumentException.class,
                    () -> model.encode(Volume.filled(16, 16, 16, 3)));
        }
    }

    @Test
    void badTablesAndOptionsAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> new VaeArchitecture(3, 10, 4, List.of(16, 16), List.of(16)));
        assertThrows(IllegalArgumentException.class, () -> new VaeArchitecture(3, 16, 0, List.of(16), List.of(16)));
        assertThrows(IllegalArgumentException.class, () -> new VaeArchitecture(3, 16, 4, List.of(20), List.of(16)));
        assertThrows(IllegalArgumentException.class, () -> new VaeArchitecture(1, 16, 4, List.of(16), List.of(16)));
        assertThrows(IllegalArgumentException.class, () -> new VaeTrainer.Options(0, 1, 1e-3, 0.9, 0.999, 1));
        assertThrows(IllegalArgumentException.class, () -> new VaeTrainer.Options(2, -1, 1e-3, 0.9, 0.999, 1));
        assertThrows(IllegalArgumentException.class, () -> new VaeTrainer.Options(2, 1, 0, 0.9, 0.999, 1));
    }
}
