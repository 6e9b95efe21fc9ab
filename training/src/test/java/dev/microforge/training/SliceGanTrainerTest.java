package dev.microforge.training;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.util.Pair;
import dev.microforge.datasets.Volume;
import dev.microforge.models.ModelDirectory;
import dev.microforge.models.slicegan.SliceGanArchitecture;
import dev.microforge.models.slicegan.SliceGanModel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SliceGanTrainerTest {

    private static final List<String> LABELS = List.of("pore", "active", "cbd");

    /** Small: latent 4³ -> 16³ volumes, critics 16² -> 4². */
    static SliceGanArchitecture small(int critics) {
        return new SliceGanArchitecture(16, List.of(16, 16), List.of(16, 32), 3, critics);
    }

    static SliceGanTrainer.Options quick(long seed) {
        return withStatistics(seed, 1000);
    }

    static SliceGanTrainer.Options withStatistics(long seed, double weight) {
        return new SliceGanTrainer.Options(1, 16, 4, 1, 10.0, 1e-4, 1e-4, 0.9, 0.99, weight, 8, seed);
    }

    /** A 2D three-phase image: discs of phase 1 with rims of phase 2 on phase 0. */
    static Volume image(int nx, int ny, int shift) {
        return Volume.generate(nx, ny, 1, (x, y, z) -> {
            double dx = ((x + shift) % 12) - 6;
            double dy = (y % 12) - 6;
            double r = Math.sqrt(dx * dx + dy * dy);
            return r < 3.5 ? 1 : r < 4.5 ? 2 : 0;
        });
    }

    static Volume volume() {
        return Volume.generate(20, 18, 24, (x, y, z) -> ((x / 3 + y / 4 + z / 5) % 3));
    }

    /** One critic step per iteration: what is tested does not depend on it, and CI time does. */
    @Test
    void isotropicTrainingGivesFiniteLossesAndIsReproducibleUnderASeed() {
        List<List<float[]>> parameters = new ArrayList<>();
        List<List<IterationResult>> runs = new ArrayList<>();
        for (int run = 0; run < 2; run++) {
            try (SliceGanModel model = SliceGanModel.create(small(1), LABELS, 3);
                    SliceGanTrainer trainer = SliceGanTrainer.create(
                            model, OneHotSliceSampler.ofImage(image(40, 30, 0), 16, 3), quick(3), null, null)) {
                assertEquals(SliceGanTrainer.LOSSES, trainer.lossNames());
                List<IterationResult> results = new ArrayList<>();
                for (int it = 1; it <= 2; it++) {
                    IterationResult r = trainer.iterate(it);
                    assertEquals(it, r.iteration());
                    for (double v : r.lossValues()) {
                        assertTrue(Double.isFinite(v), r.toString());
                    }
                    assertTrue(r.losses().get("gradientPenalty") >= 0, r.toString());
                    assertTrue(r.gradientNorms().get("critic") > 0 && r.gradientNorms().get("generator") > 0,
                            r.toString());
                    results.add(r);
                }
                runs.add(results);
                parameters.add(values(model.generator()));
            }
        }
        assertEquals(runs.get(0), runs.get(1));
        for (int i = 0; i < parameters.get(0).size(); i++) {
            assertArrayEquals(parameters.get(0).get(i), parameters.get(1).get(i));
        }
    }

    @Test
    void anisotropicTrainingFromThreeImagesAndFromAVolume() {
        try (SliceGanModel model = SliceGanModel.create(small(3), LABELS, 4)) {
            OneHotSliceSampler images = OneHotSliceSampler.ofImages(image(20, 24, 0), image(24, 20, 3), image(32, 16, 5), 16, 3);
            SliceGanTrainer.Result a = SliceGanTrainer.train(model, images, quick(4), 1);
            SliceGanTrainer.Result b = SliceGanTrainer.train(model, OneHotSliceSampler.ofVolume(volume(), 16, 3), quick(5), 1);
            for (SliceGanTrainer.Result r : List.of(a, b)) {
                assertTrue(Double.isFinite(r.criticLoss()) && Double.isFinite(r.generatorLoss())
                        && Double.isFinite(r.gradientPenalty()), r.toString());
            }
        }
    }

    /**
     * The statistics term enters the generator step only: from the same seed, a run with it and one without
     * have the same critic losses in the first iteration (the critics step before the generator), report the
     * same unweighted term there (it is measured either way), and end with different generators.
     */
    @Test
    void theStatisticsTermChangesTheGeneratorStepOnly() {
        List<IterationResult> first = new ArrayList<>();
        List<List<float[]>> generators = new ArrayList<>();
        for (double weight : new double[] {0, 1000}) {
            try (SliceGanModel model = SliceGanModel.create(small(3), LABELS, 6);
                    SliceGanTrainer trainer = SliceGanTrainer.create(model,
                            OneHotSliceSampler.ofImages(image(20, 24, 0), image(24, 20, 3), image(32, 16, 5), 16, 3),
                            withStatistics(6, weight), null, null)) {
                first.add(trainer.iterate(1));
                generators.add(values(model.generator()));
            }
        }
        Map<String, Double> plain = first.get(0).losses();
        Map<String, Double> matched = first.get(1).losses();
        for (String name : List.of("critic", "gradientPenalty", "wasserstein", "generator", "statistics")) {
            assertEquals(plain.get(name), matched.get(name), 1e-6 * Math.abs(plain.get(name)), name);
        }
        assertTrue(plain.get("statistics") > 0, plain.toString());
        boolean differ = false;
        for (int i = 0; i < generators.get(0).size(); i++) {
            differ |= !java.util.Arrays.equals(generators.get(0).get(i), generators.get(1).get(i));
        }
        assertTrue(differ, "the statistics term did not change the generator step");
    }

    @Test
    void theStatisticsTargetIsTheTrainingDataOwn() {
        SampleEvaluation.Options o = new SampleEvaluation.Options(8, 8, false, 0);
        Volume x = image(20, 24, 0);
        Volume y = image(24, 20, 3);
        Volume z = image(32, 16, 5);
        assertEquals(stats(SampleEvaluation.referenceFromSections(List.of(x, y, z), 3, o)),
                stats(OneHotSliceSampler.ofImages(x, y, z, 16, 3).reference(8)));
        assertEquals(stats(SampleEvaluation.referenceFromSections(List.of(z), 3, o)),
                stats(OneHotSliceSampler.ofImage(z, 16, 3).reference(8)));
        assertEquals(stats(SampleEvaluation.reference(volume(), 3, o)),
                stats(OneHotSliceSampler.ofVolume(volume(), 16, 3).reference(8)));
        // and the three are different data
        assertTrue(!stats(OneHotSliceSampler.ofImages(x, y, z, 16, 3).reference(8))
                .equals(stats(OneHotSliceSampler.ofImage(z, 16, 3).reference(8))));
    }

    private static List<Double> stats(SampleEvaluation.Reference r) {
        List<Double> out = new ArrayList<>();
        for (double[][] phase : r.s2()) {
            for (double[] curve : phase) {
                for (double v : curve) {
                    out.add(v);
                }
            }
        }
        for (double f : r.fractions()) {
            out.add(f);
        }
        return out;
    }

    @Test
    void checkpointReloadsIdenticalParametersAndGenerations(@TempDir Path dir) throws Exception {
        try (SliceGanModel model = SliceGanModel.create(small(3), LABELS, 11)) {
            SliceGanTrainer.train(model, OneHotSliceSampler.ofVolume(volume(), 16, 3), quick(11), 1);
            ModelDirectory.save(dir, model);
            String json = Files.readString(dir.resolve("model.json"));
            assertTrue(json.contains("\"kind\" : \"slicegan\"") && json.contains("\"critics\" : 3"), json);
            assertEquals(ModelDirectory.KIND_SLICEGAN, ModelDirectory.readKind(dir));
            assertTrue(Files.isRegularFile(dir.resolve("critic-z.params")));
            try (SliceGanModel loaded = ModelDirectory.loadSliceGan(dir)) {
                assertEquals(model.architecture(), loaded.architecture());
                assertEquals(LABELS, loaded.phaseLabels());
                assertEquals(11, loaded.seed());
                List<Block> a = new ArrayList<>(List.of(model.generator()));
                a.addAll(model.critics());
                List<Block> b = new ArrayList<>(List.of(loaded.generator()));
                b.addAll(loaded.critics());
                for (int i = 0; i < a.size(); i++) {
                    assertSameParameters(a.get(i), b.get(i));
                }
                assertEquals(model.generate(2, 5), loaded.generate(2, 5));
                // a reloaded model trains on
                SliceGanTrainer.Result more = SliceGanTrainer.train(loaded, OneHotSliceSampler.ofVolume(volume(), 16, 3), quick(12), 1);
                assertTrue(Double.isFinite(more.generatorLoss()));
            }
            IllegalArgumentException wrongKind = assertThrows(IllegalArgumentException.class, () -> ModelDirectory.loadVae(dir));
            assertTrue(wrongKind.getMessage().contains("'slicegan' is not vae"), wrongKind.getMessage());
        }
    }

    /** The generator's convolutions at the latent resolution: SliceGAN trains, reloads and generates with them. */
    @Test
    void latentConvolutionsTrainReloadAndGenerate(@TempDir Path dir) throws Exception {
        SliceGanArchitecture a = new SliceGanArchitecture(16, List.of(16, 16), List.of(16, 32), 3, 3, List.of(16));
        try (SliceGanModel model = SliceGanModel.create(a, LABELS, 13)) {
            assertEquals(2, model.generator().latentMargin());
            SliceGanTrainer.Result r = SliceGanTrainer.train(model, OneHotSliceSampler.ofVolume(volume(), 16, 3),
                    quick(13), 2);
            assertTrue(Double.isFinite(r.generatorLoss()) && Double.isFinite(r.criticLoss()), r.toString());
            Volume v = model.generate(3, 7);
            assertEquals(12, v.nx());
            assertEquals(12, v.nz());
            ModelDirectory.save(dir, model);
            try (SliceGanModel loaded = ModelDirectory.loadSliceGan(dir)) {
                assertEquals(List.of(16), loaded.architecture().latentWidths());
                assertSameParameters(model.generator(), loaded.generator());
                assertEquals(v, loaded.generate(3, 7));
            }
        }
    }

    @Test
    void generationIsDeterministicSizedAndLabelled() {
        try (SliceGanModel model = SliceGanModel.create(small(1), LABELS, 5)) {
            Volume a = model.generate(3, 42);
            assertEquals(a, model.generate(3, 42));
            assertEquals(12, a.nx());
            assertEquals(12, a.ny());
            assertEquals(12, a.nz());
            long[] counts = a.labelCounts();
            for (int label = 3; label < 256; label++) {
                assertEquals(0, counts[label]);
            }
        }
    }

    @Test
    void mismatchedDataAndOptionsAreRefused() {
        try (SliceGanModel iso = SliceGanModel.create(small(1), LABELS, 1)) {
            OneHotSliceSampler volumeData = OneHotSliceSampler.ofVolume(volume(), 16, 3);
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> SliceGanTrainer.train(iso, volumeData, quick(1), 1));
            assertTrue(e.getMessage().contains("3 critics"), e.getMessage());
            OneHotSliceSampler wrongSize = OneHotSliceSampler.ofImage(image(40, 30, 0), 8, 3);
            assertThrows(IllegalArgumentException.class,
                    () -> SliceGanTrainer.train(iso, wrongSize, quick(1), 1));
        }
        assertThrows(IllegalArgumentException.class,
                () -> new SliceGanTrainer.Options(2, 16, 5, 2, 10, 1e-4, 1e-4, 0.9, 0.99, 1000, 8, 1));
        assertThrows(IllegalArgumentException.class,
                () -> new SliceGanTrainer.Options(2, 16, 4, 2, 10, 1e-4, 1e-4, 0.9, 0.99, -1, 8, 1));
        assertThrows(IllegalArgumentException.class,
                () -> new SliceGanTrainer.Options(2, 16, 4, 2, 10, 1e-4, 1e-4, 0.9, 0.99, 1000, 16, 1));
        assertThrows(IllegalArgumentException.class,
                () -> new SliceGanTrainer.Options(2, 16, 4, 2, 10, 1e-4, 1e-4, 0.9, 0.99, 1000, 0, 1));
        assertThrows(IllegalArgumentException.class, () -> new SliceGanArchitecture(16, List.of(16), List.of(24), 3, 1));
        assertThrows(IllegalArgumentException.class, () -> new SliceGanArchitecture(16, List.of(16), List.of(16), 3, 2));
        assertThrows(IllegalArgumentException.class, () -> small(1).latentSizeFor(10));
    }

    static List<float[]> values(Block block) {
        List<float[]> out = new ArrayList<>();
        for (Pair<String, Parameter> p : block.getParameters()) {
            out.add(p.getValue().getArray().toFloatArray());
        }
        return out;
    }

    static void assertSameParameters(Block a, Block b) {
        assertEquals(a.getParameters().size(), b.getParameters().size());
        for (int i = 0; i < a.getParameters().size(); i++) {
            Pair<String, Parameter> pa = a.getParameters().get(i);
            Pair<String, Parameter> pb = b.getParameters().get(i);
            assertEquals(pa.getKey(), pb.getKey());
            assertEquals(pa.getValue().getArray().getShape(), pb.getValue().getArray().getShape());
            assertArrayEquals(pa.getValue().getArray().toFloatArray(), pb.getValue().getArray().toFloatArray(), pa.getKey());
        }
    }
}
