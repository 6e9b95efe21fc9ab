package dev.microforge.training;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.util.Pair;
import dev.microforge.models.ModelDirectory;
import dev.microforge.models.slicegan.SliceGanModel;
import dev.microforge.models.vae.VaeModel;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * SliceGAN and VAE trainers under the generic training session: a run stopped after 1 iteration and
 * restored from its checkpoint in fresh objects continues bit for bit like an uninterrupted 3-iteration
 * run (optimiser moments included, second Adam step onwards), and the model directory is loadable; all of it
 * under a {@link GcStorm}, which made these runs differ before {@link dev.microforge.models.Scalars}.
 */
class SliceGanVaeSessionTest {

    private static final List<String> LABELS = List.of("pore", "active", "cbd");

    private static TrainingSession.Options options(long iterations) {
        return new TrainingSession.Options(iterations, 0, 100, 2, 0, DivergenceDetector.Options.defaults());
    }

    private static List<float[]> parameters(List<Block> blocks) {
        List<float[]> all = new ArrayList<>();
        for (Block b : blocks) {
            for (Pair<String, Parameter> p : b.getParameters()) {
                all.add(p.getValue().getArray().toFloatArray());
            }
        }
        return all;
    }

    private static List<Block> blocks(SliceGanModel m) {
        List<Block> b = new ArrayList<>(List.of(m.generator()));
        b.addAll(m.critics());
        return b;
    }

    private static void assertSame(List<float[]> a, List<float[]> b) {
        assertEquals(a.size(), b.size());
        for (int i = 0; i < a.size(); i++) {
            assertArrayEquals(a.get(i), b.get(i), "parameter array " + i);
        }
    }

    @Test
    void sliceGanResumesExactly(@TempDir Path tmp) throws IOException {
        sliceGanResumesExactly(tmp, new SliceGanTrainer.Options(1, 16, 4, 1, 10.0, 1e-4, 1e-4, 0.9, 0.99, 1000, 8, 31));
    }

    /**
     * With a running average of the statistics the checkpoint carries it (restored without it, iteration 2 would
     * use the batch's own statistics and differ); a checkpoint without the file is refused with its name.
     */
    @Test
    void sliceGanWithAStatisticsAverageResumesExactly(@TempDir Path tmp) throws IOException {
        SliceGanTrainer.Options o = new SliceGanTrainer.Options(1, 16, 4, 1, 10.0, 1e-4, 1e-4, 0.9, 0.99, 1000, 8, 0.5,
                31);
        Path checkpoint = sliceGanResumesExactly(tmp, o);
        Path file = checkpoint.resolve(StatisticsMatching.AVERAGES_FILE);
        assertTrue(Files.size(file) > 0, "the average is in the checkpoint");
        Files.delete(file);
        IOException e = assertThrows(IOException.class, () -> SliceGanTrainer.restore(checkpoint, data(), o).close());
        assertTrue(e.getMessage().contains(StatisticsMatching.AVERAGES_FILE), e.getMessage());
    }

    private static OneHotSliceSampler data() {
        return OneHotSliceSampler.ofImages(SliceGanTrainerTest.image(20, 24, 0),
                SliceGanTrainerTest.image(24, 20, 3), SliceGanTrainerTest.image(32, 16, 5), 16, 3);
    }

    /** Runs 3 iterations straight and 1 + 2 with a restore between; returns the split run's first checkpoint. */
    private static Path sliceGanResumesExactly(Path tmp, SliceGanTrainer.Options o) throws IOException {
        try (GcStorm storm = new GcStorm()) { // nothing may read memory the collector freed (Scalars)
            return sliceGanResumesExactlyNow(tmp, o);
        }
    }

    private static Path sliceGanResumesExactlyNow(Path tmp, SliceGanTrainer.Options o) throws IOException {
        OneHotSliceSampler data = data();
        List<float[]> straight;
        try (SliceGanModel model = SliceGanModel.create(SliceGanTrainerTest.small(3), LABELS, 31);
                SliceGanTrainer trainer = SliceGanTrainer.create(model, data, o, null, null)) {
            TrainingSession.run(trainer, tmp.resolve("straight"), SessionState.fresh(trainer.kind(), 31,
                    trainer.lossNames()), options(3), null, () -> false, List.of());
            straight = parameters(blocks(model));
        }
        Path split = tmp.resolve("split");
        try (SliceGanModel model = SliceGanModel.create(SliceGanTrainerTest.small(3), LABELS, 31);
                SliceGanTrainer trainer = SliceGanTrainer.create(model, data, o, null, null)) {
            TrainingSession.run(trainer, split, SessionState.fresh(trainer.kind(), 31, trainer.lossNames()), options(1),
                    null, () -> false, List.of());
        }
        Path checkpoint = Checkpoints.latest(split).orElseThrow();
        assertTrue(Files.isRegularFile(checkpoint.resolve("critic-z-adam.bin")));
        try (SliceGanTrainer trainer = SliceGanTrainer.restore(checkpoint, data, o)) {
            TrainingSession.Result r = TrainingSession.run(trainer, split, SessionState.read(checkpoint), options(3), null,
                    () -> false, List.of());
            assertEquals(3, r.iteration());
            assertSame(straight, parameters(blocks(trainer.model())));
        }
        assertEquals(ModelDirectory.KIND_SLICEGAN, ModelDirectory.readKind(split));
        try (SliceGanModel loaded = ModelDirectory.loadSliceGan(split)) {
            assertSame(straight, parameters(blocks(loaded)));
        }
        return checkpoint;
    }

    @Test
    void vaeResumesExactly(@TempDir Path tmp) throws IOException {
        try (GcStorm storm = new GcStorm()) {
            vaeResumesExactlyNow(tmp);
        }
    }

    private static void vaeResumesExactlyNow(Path tmp) throws IOException {
        VaeTrainer.Options o = VaeTrainerTest.quick(41);
        List<float[]> straight;
        try (VaeModel model = VaeModel.create(VaeTrainerTest.small(), LABELS, 41);
                VaeTrainer trainer = VaeTrainer.create(model, VaeTrainerTest.data(), o, null, null)) {
            TrainingSession.run(trainer, tmp.resolve("straight"), SessionState.fresh(trainer.kind(), 41,
                    trainer.lossNames()), options(3), null, () -> false, List.of());
            straight = parameters(List.of(model.encoder(), model.decoder()));
        }
        Path split = tmp.resolve("split");
        try (VaeModel model = VaeModel.create(VaeTrainerTest.small(), LABELS, 41);
                VaeTrainer trainer = VaeTrainer.create(model, VaeTrainerTest.data(), o, null, null)) {
            TrainingSession.run(trainer, split, SessionState.fresh(trainer.kind(), 41, trainer.lossNames()), options(1),
                    null, () -> false, List.of());
        }
        Path checkpoint = Checkpoints.latest(split).orElseThrow();
        try (VaeTrainer trainer = VaeTrainer.restore(checkpoint, VaeTrainerTest.data(), o)) {
            TrainingSession.run(trainer, split, SessionState.read(checkpoint), options(3), null, () -> false, List.of());
            assertSame(straight, parameters(List.of(trainer.model().encoder(), trainer.model().decoder())));
        }
        try (VaeModel loaded = ModelDirectory.loadVae(split)) {
            assertSame(straight, parameters(List.of(loaded.encoder(), loaded.decoder())));
        }
    }
}
