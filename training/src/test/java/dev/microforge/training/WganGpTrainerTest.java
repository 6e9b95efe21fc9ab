package dev.microforge.training;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.nn.Parameter;
import ai.djl.util.Pair;
import dev.microforge.datasets.Volume;
import dev.microforge.models.ModelDirectory;
import dev.microforge.models.gan.GanArchitecture;
import dev.microforge.models.gan.GanModel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WganGpTrainerTest {

    private static final List<String> LABELS = List.of("pore", "active", "cbd");

    /** 24³, three phases: spheres of active material with CBD shells in pore. */
    static Volume blobs() {
        int[][] centres = {{5, 5, 5}, {16, 8, 12}, {8, 18, 18}, {19, 19, 4}};
        return Volume.generate(24, 24, 24, (x, y, z) -> {
            double best = Double.MAX_VALUE;
            for (int[] c : centres) {
                double dx = x - c[0], dy = y - c[1], dz = z - c[2];
                best = Math.min(best, Math.sqrt(dx * dx + dy * dy + dz * dz));
            }
            return best < 4 ? 1 : best < 5.5 ? 2 : 0;
        });
    }

    static WganGpTrainer.Options quick(long seed) {
        return new WganGpTrainer.Options(2, 16, 2, 10.0, 1e-4, 1e-4, 0.5, 0.9, 0.0, 4, seed);
    }

    @Test
    void threeIterationsGiveFiniteLossesAndReportEveryIteration() {
        List<IterationResult> seen = new ArrayList<>();
        try (GanModel model = GanModel.create(GanArchitecture.defaults(3), LABELS, 7);
                WganGpTrainer trainer = WganGpTrainer.create(model, blobs(), quick(7), null, null)) {
            for (int it = 1; it <= 3; it++) {
                seen.add(trainer.iterate(it));
            }
            assertEquals(3, seen.size());
            for (IterationResult s : seen) {
                assertEquals(WganGpTrainer.LOSSES, List.copyOf(s.losses().keySet()));
                for (double v : s.lossValues()) {
                    assertTrue(Double.isFinite(v), "losses " + s.losses());
                }
                assertTrue(s.losses().get("gradientPenalty") >= 0);
                assertTrue(s.gradientNorms().get("critic") > 0 && s.gradientNorms().get("generator") > 0,
                        "gradient norms " + s.gradientNorms());
            }
        }
    }

    /** With a lineal-path term the iterations log it (finite, unweighted) after the other losses. */
    @Test
    void aLinealPathTermIsLoggedAndKeepsTheLossesFinite() {
        WganGpTrainer.Options o = new WganGpTrainer.Options(2, 16, 2, 10.0, 1e-4, 1e-4, 0.5, 0.9, 1000, 4, 0, 0, 300,
                3, 5);
        try (GanModel model = GanModel.create(GanArchitecture.defaults(3), LABELS, 5);
                WganGpTrainer trainer = WganGpTrainer.create(model, blobs(), o, null, null)) {
            assertEquals(WganGpTrainer.LOSSES_WITH_LINEAL_PATH, trainer.lossNames());
            for (int it = 1; it <= 2; it++) {
                IterationResult s = trainer.iterate(it);
                assertEquals(WganGpTrainer.LOSSES_WITH_LINEAL_PATH, List.copyOf(s.losses().keySet()));
                for (double v : s.lossValues()) {
                    assertTrue(Double.isFinite(v), "losses " + s.losses());
                }
                assertTrue(s.losses().get("linealPath") > 0, "an untrained generator misses the lineal path");
            }
        }
    }

    @Test
    void iterationsLeaveNoArraysBehind() {
        // every array an iteration creates must live in (and die with) its step's sub-manager
        try (GanModel model = GanModel.create(GanArchitecture.defaults(3), LABELS, 8);
                WganGpTrainer trainer = WganGpTrainer.create(model, blobs(), quick(8), null, null)) {
            trainer.iterate(1);
            int own = model.manager().getManagedArrays().size();
            int engine = model.manager().getParentManager().getManagedArrays().size();
            trainer.iterate(2);
            trainer.iterate(3);
            trainer.sample(16, 1);
            assertEquals(own, model.manager().getManagedArrays().size());
            assertEquals(engine, model.manager().getParentManager().getManagedArrays().size());
        }
    }

    @Test
    void checkpointReloadsIdenticalParametersAndGenerations(@TempDir Path dir) {
        try (GanModel model = GanModel.create(GanArchitecture.defaults(3), LABELS, 11)) {
            WganGpTrainer.train(model, blobs(), quick(11), 2);
            ModelDirectory.save(dir, model);
            assertTrue(Files.isRegularFile(dir.resolve("model.json")));
            String json = readString(dir.resolve("model.json"));
            assertTrue(json.contains("\"schemaVersion\" : 1") && json.contains("\"kind\" : \"gan3d\"")
                    && json.contains("\"generatorWidths\"") && json.contains("\"cbd\""), json);
            try (GanModel loaded = ModelDirectory.loadGan(dir)) {
                assertEquals(model.architecture(), loaded.architecture());
                assertEquals(LABELS, loaded.phaseLabels());
                assertEquals(11, loaded.seed());
                assertSameParameters(model.generator().getParameters(), loaded.generator().getParameters());
                assertSameParameters(model.critic().getParameters(), loaded.critic().getParameters());
                assertEquals(model.generate(4, 3), loaded.generate(4, 3));
                // a reloaded checkpoint can be trained further (parameters carry gradients)
                WganGpTrainer.Result resumed = WganGpTrainer.train(loaded, blobs(), quick(12), 1);
                assertTrue(Double.isFinite(resumed.criticLoss()) && Double.isFinite(resumed.generatorLoss()));
            }
        }
    }

    /**
     * A generator with convolutions at the latent resolution trains (both latent paddings: the critic's patches and
     * the statistics term's own volume), reloads to the same architecture and weights, and generates the asked size;
     * a model.json written before the key existed reads as having none.
     */
    @Test
    void latentConvolutionsTrainReloadAndGenerate(@TempDir Path dir) throws java.io.IOException {
        GanArchitecture a = new GanArchitecture(16, List.of(16, 16), List.of(16, 32), 3, List.of(16, 32));
        assertEquals(3, a.latentMargin());
        // lag 20 needs the term's own volume at its full 32³ (the critic's patches are 16³)
        WganGpTrainer.Options o = new WganGpTrainer.Options(2, 16, 1, 10, 1e-4, 1e-4, 0.5, 0.9, 1000, 20, 32, 4);
        try (GanModel model = GanModel.create(a, LABELS, 4);
                WganGpTrainer trainer = WganGpTrainer.create(model, blobs(), o, null, null)) {
            assertEquals(3, model.generator().latentMargin());
            for (int it = 1; it <= 2; it++) {
                for (double v : trainer.iterate(it).lossValues()) {
                    assertTrue(Double.isFinite(v));
                }
            }
            Volume v = trainer.sample(20, 3);
            assertEquals(20, v.nx());
            assertEquals(20, v.nz());
            ModelDirectory.save(dir, model);
            try (GanModel loaded = ModelDirectory.loadGan(dir)) {
                assertEquals(List.of(16, 32), loaded.architecture().latentWidths());
                assertSameParameters(model.generator().getParameters(), loaded.generator().getParameters());
                assertEquals(model.generate(5, 3), loaded.generate(5, 3));
            }
        }
        try (GanModel plain = GanModel.create(GanArchitecture.defaults(3), LABELS, 2)) {
            ModelDirectory.save(dir, plain);
            Path json = dir.resolve("model.json");
            com.fasterxml.jackson.databind.ObjectMapper mapper = new com.fasterxml.jackson.databind.ObjectMapper();
            com.fasterxml.jackson.databind.node.ObjectNode tree =
                    (com.fasterxml.jackson.databind.node.ObjectNode) mapper.readTree(json.toFile());
            com.fasterxml.jackson.databind.node.ObjectNode arch =
                    (com.fasterxml.jackson.databind.node.ObjectNode) tree.get("architecture");
            assertEquals(0, arch.get("latentWidths").size(), arch.toString());
            arch.remove("latentWidths");
            mapper.writeValue(json.toFile(), tree);
            assertFalse(readString(json).contains("latentWidths"));
            try (GanModel old = ModelDirectory.loadGan(dir)) {
                assertEquals(plain.architecture(), old.architecture());
                assertEquals(plain.generate(4, 1), old.generate(4, 1));
            }
        }
    }

    @Test
    void trainingIsReproducibleUnderASeed() {
        List<WganGpTrainer.Result> results = new ArrayList<>();
        for (int run = 0; run < 2; run++) {
            try (GanModel model = GanModel.create(GanArchitecture.defaults(3), LABELS, 21)) {
                results.add(WganGpTrainer.train(model, blobs(), quick(21), 2));
            }
        }
        assertEquals(results.get(0), results.get(1));
    }

    @Test
    void unsupportedSchemaVersionIsRefused(@TempDir Path dir) throws java.io.IOException {
        Files.writeString(dir.resolve("model.json"),
                "{\"schemaVersion\": 99, \"kind\": \"gan3d\", \"architecture\": {\"latentChannels\": 16,"
                        + " \"generatorWidths\": [16], \"criticWidths\": [16], \"phases\": 2},"
                        + " \"phaseLabels\": [\"a\", \"b\"], \"seed\": 1}");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ModelDirectory.readManifest(dir));
        assertTrue(e.getMessage().contains("schemaVersion 99"), e.getMessage());
        Files.writeString(dir.resolve("model.json"),
                "{\"schemaVersion\": 1, \"kind\": \"gan3d\", \"architecture\": {\"latentChannels\": 16,"
                        + " \"generatorWidths\": [24], \"criticWidths\": [16], \"phases\": 2},"
                        + " \"phaseLabels\": [\"a\", \"b\"], \"seed\": 1}");
        assertThrows(RuntimeException.class, () -> ModelDirectory.readManifest(dir));
    }

    private static String readString(Path p) {
        try {
            return Files.readString(p);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    static void assertSameParameters(
            ai.djl.nn.ParameterList a, ai.djl.nn.ParameterList b) {
        assertEquals(a.size(), b.size());
        for (int i = 0; i < a.size(); i++) {
            Pair<String, Parameter> pa = a.get(i);
            Pair<String, Parameter> pb = b.get(i);
            assertEquals(pa.getKey(), pb.getKey());
            assertEquals(pa.getValue().getArray().getShape(), pb.getValue().getArray().getShape());
            assertArrayEquals(pa.getValue().getArray().toFloatArray(), pb.getValue().getArray().toFloatArray(), pa.getKey());
        }
    }

    @Test
    void generationIsDeterministicSizedAndLabelled() {
        try (GanModel model = GanModel.create(GanArchitecture.defaults(3), LABELS, 5)) {
            Volume a = model.generate(4, 99);
            Volume b = model.generate(4, 99);
            assertEquals(a, b);
            assertEquals(16, a.nx());
            assertEquals(16, a.ny());
            assertEquals(16, a.nz());
            Volume big = model.generate(6, 99);
            assertEquals(24, big.nx());
            assertEquals(24, big.nz());
            long[] counts = big.labelCounts();
            for (int label = 3; label < 256; label++) {
                assertEquals(0, counts[label]);
            }
        }
        try (GanModel again = GanModel.create(GanArchitecture.defaults(3), LABELS, 5);
                GanModel other = GanModel.create(GanArchitecture.defaults(3), LABELS, 5)) {
            assertEquals(again.generate(4, 1), other.generate(4, 1));
        }
    }

    @Test
    void badArchitectureTablesAreRejected() {
        assertThrows(IllegalArgumentException.class, () -> new GanArchitecture(16, List.of(16, 24), List.of(16), 3));
        assertThrows(IllegalArgumentException.class, () -> new GanArchitecture(16, List.of(16), List.of(8), 3));
        assertThrows(IllegalArgumentException.class, () -> new GanArchitecture(0, List.of(16), List.of(16), 3));
        assertThrows(IllegalArgumentException.class, () -> new GanArchitecture(16, List.of(), List.of(16), 3));
        assertThrows(IllegalArgumentException.class, () -> new GanArchitecture(16, List.of(16), List.of(16), 1));
        assertThrows(IllegalArgumentException.class,
                () -> new GanArchitecture(16, List.of(16), List.of(16), 3, List.of(16, 24)));
        assertThrows(IllegalArgumentException.class, () -> GanArchitecture.defaults(3).latentSizeFor(18));
        assertThrows(IllegalArgumentException.class, () -> new WganGpTrainer.Options(2, 16, 0, 10, 1e-4, 1e-4, 0.5, 0.9, 0, 4, 1));
    }

    @Test
    void volumeWithMoreLabelsThanPhasesIsRefused() {
        Volume four = Volume.generate(16, 16, 16, (x, y, z) -> (x + y + z) % 4);
        assertThrows(IllegalArgumentException.class, () -> new OneHotPatchSampler(four, 16, 3, 1));
    }

    /**
     * The statistics term on a volume of its own (statisticsPatchSize): lags beyond the critic's patch become legal,
     * the iteration stays finite and reproducible, and an edge the generator cannot make is refused; the config's
     * default lag is half that volume's edge.
     */
    @Test
    void theStatisticsTermOnItsOwnVolumeReachesBeyondThePatch() {
        assertThrows(IllegalArgumentException.class,
                () -> new WganGpTrainer.Options(2, 16, 1, 10, 1e-4, 1e-4, 0.5, 0.9, 1000, 20, 0, 1));
        WganGpTrainer.Options own = new WganGpTrainer.Options(2, 16, 1, 10, 1e-4, 1e-4, 0.5, 0.9, 1000, 20, 32, 1);
        List<Map<String, Double>> losses = new ArrayList<>();
        for (int run = 0; run < 2; run++) {
            try (GanModel model = GanModel.create(GanArchitecture.defaults(3), LABELS, 9);
                    WganGpTrainer trainer = WganGpTrainer.create(model, blobs(), own, null, null)) {
                trainer.iterate(1);
                IterationResult r = trainer.iterate(2);
                for (double v : r.lossValues()) {
                    assertTrue(Double.isFinite(v), "losses " + r.losses());
                }
                assertTrue(r.losses().get("statistics") > 0);
                losses.add(r.losses());
            }
        }
        assertEquals(losses.get(0), losses.get(1), "same seed, same losses");
        try (GanModel model = GanModel.create(GanArchitecture.defaults(3), LABELS, 9)) {
            assertThrows(IllegalArgumentException.class, () -> WganGpTrainer.create(model, blobs(),
                    new WganGpTrainer.Options(2, 16, 1, 10, 1e-4, 1e-4, 0.5, 0.9, 1000, 12, 30, 1), null, null));
        }
        GanTrainingConfig c = GanTrainingConfig.fromJson("{\"statisticsPatchSize\": 64}", "test",
                GanTrainingConfig.defaults());
        assertEquals(32, c.trainerOptions().statisticsMaxLag());
        assertEquals(64, c.trainerOptions().statisticsPatchSize());
        assertEquals(16, GanTrainingConfig.defaults().trainerOptions().statisticsMaxLag());
        assertThrows(IllegalArgumentException.class, () -> GanTrainingConfig.fromJson("{\"statisticsPatchSize\": 60}",
                "test", GanTrainingConfig.defaults()));
    }
}
