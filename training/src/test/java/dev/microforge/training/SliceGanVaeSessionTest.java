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
 * restored from its checkpoint in fresh objects continues like an uninterrupted 3-iteration run (optimiser
 * moments included, second Adam step onwards), and the model directory it writes loads bit for bit.
 *
 * <p>The continuation is compared to a tenth of an Adam step, not bit for bit: in about one test JVM in ten on a
 * loaded 2-core machine (CI once; here 5 of 74 runs of this class under load, none of 63 repeats within one JVM), libtorch
 * 2.7.1 gave the resumed run last-bit differences (the cause not found: not the thread count, which
 * {@code OMP_NUM_THREADS=1} does not change; not the alignment of convolution inputs, which changes nothing), and
 * Adam turns last-bit noise in a gradient that should cancel (a WGAN critic's bias) into whole steps of the
 * learning rate on those few elements (at most 32 of the 41,030, under 0.1 %). A lost piece of state moves many more:
 * left out of the restore, the statistics average put 3.3 % of the elements further apart than a tenth of a step, a
 * SliceGAN critic's Adam moments 18 %, the VAE decoder's 19 %; the test allows 0.5 %.
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

    /**
     * The resumed run continued the uninterrupted one: at least 99.5 % of all elements within a tenth of an Adam
     * step, {@code learningRate / 10}.
     */
    private static void assertContinues(List<float[]> straight, List<float[]> resumed, double learningRate) {
        double tenth = learningRate / 10;
        assertEquals(straight.size(), resumed.size());
        long total = 0;
        long apart = 0;
        for (int i = 0; i < straight.size(); i++) {
            float[] a = straight.get(i);
            float[] b = resumed.get(i);
            assertEquals(a.length, b.length, "parameter array " + i);
            for (int j = 0; j < a.length; j++) {
                total++;
                if (!(Math.abs(a[j] - b[j]) <= tenth)) {
                    apart++;
                }
            }
        }
        assertTrue(apart * 200 <= total, apart + " of " + total + " parameters differ by more than " + tenth);
    }

    private static void assertSame(List<float[]> a, List<float[]> b) {
        assertEquals(a.size(), b.size());
        for (int i = 0; i < a.size(); i++) {
            assertArrayEquals(a.get(i), b.get(i), "parameter array " + i);
        }
    }

    @Test
    void sliceGanResumesWhereItStopped(@TempDir Path tmp) throws IOException {
        sliceGanResumes(tmp, new SliceGanTrainer.Options(1, 16, 4, 1, 10.0, 1e-4, 1e-4, 0.9, 0.99, 1000, 8, 31));
    }

    /**
     * With a running average of the statistics the checkpoint carries it (restored without it, iteration 2 would
     * use the batch's own statistics and differ); a checkpoint without the file is refused with its name.
     */
    @Test
    void sliceGanWithAStatisticsAverageResumesWhereItStopped(@TempDir Path tmp) throws IOException {
        SliceGanTrainer.Options o = new SliceGanTrainer.Options(1, 16, 4, 1, 10.0, 1e-4, 1e-4, 0.9, 0.99, 1000, 8, 0.5,
                31);
        Path checkpoint = sliceGanResumes(tmp, o);
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
    private static Path sliceGanResumes(Path tmp, SliceGanTrainer.Options o) throws IOException {
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
        List<float[]> resumed;
        try (SliceGanTrainer trainer = SliceGanTrainer.restore(checkpoint, data, o)) {
            TrainingSession.Result r = TrainingSession.run(trainer, split, SessionState.read(checkpoint), options(3), null,
                    () -> false, List.of());
            assertEquals(3, r.iteration());
            resumed = parameters(blocks(trainer.model()));
            assertContinues(straight, resumed, Math.min(o.generatorLearningRate(), o.criticLearningRate()));
        }
        assertEquals(ModelDirectory.KIND_SLICEGAN, ModelDirectory.readKind(split));
        try (SliceGanModel loaded = ModelDirectory.loadSliceGan(split)) {
            assertSame(resumed, parameters(blocks(loaded)));
        }
        return checkpoint;
    }

    @Test
    void vaeResumesWhereItStopped(@TempDir Path tmp) throws IOException {
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
        List<float[]> resumed;
        try (VaeTrainer trainer = VaeTrainer.restore(checkpoint, VaeTrainerTest.data(), o)) {
            TrainingSession.run(trainer, split, SessionState.read(checkpoint), options(3), null, () -> false, List.of());
            resumed = parameters(List.of(trainer.model().encoder(), trainer.model().decoder()));
            assertContinues(straight, resumed, o.learningRate());
        }
        try (VaeModel loaded = ModelDirectory.loadVae(split)) {
            assertSame(resumed, parameters(List.of(loaded.encoder(), loaded.decoder())));
        }
    }
}
