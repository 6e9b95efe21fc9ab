package dev.microforge.training;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.nn.Parameter;
import ai.djl.util.Pair;
import dev.microforge.datasets.Volume;
import dev.microforge.models.ModelDirectory;
import dev.microforge.models.gan.GanArchitecture;
import dev.microforge.models.gan.GanModel;
import java.io.IOException;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The generic training session driving the WGAN-GP trainer at 16³ (2-4 iterations per test). */
class TrainingSessionTest {

    private static final List<String> LABELS = List.of("pore", "active", "cbd");

    /** One critic step per iteration: what the session does does not depend on it, and CI time does. */
    private static WganGpTrainer.Options fast(long seed) {
        return new WganGpTrainer.Options(2, 16, 1, 10.0, 1e-4, 1e-4, 0.5, 0.9, 0.0, 4, seed);
    }

    private static TrainingSession.Options options(long iterations, int checkpointEvery) {
        return new TrainingSession.Options(iterations, 0, checkpointEvery, 2, 0, DivergenceDetector.Options.defaults());
    }

    private static List<float[]> parameters(GanModel model) {
        List<float[]> all = new ArrayList<>();
        for (ai.djl.nn.Block b : List.<ai.djl.nn.Block>of(model.generator(), model.critic())) {
            for (Pair<String, Parameter> p : b.getParameters()) {
                all.add(p.getValue().getArray().toFloatArray());
            }
        }
        return all;
    }

    @Test
    void resumedRunEqualsUninterruptedRunBitForBit(@TempDir Path tmp) throws IOException {
        resumedRunEqualsUninterruptedRun(tmp, WganGpTrainerTest.quick(31));
    }

    /**
     * With the generator's weight average the resumed run continues the average too, and the written model is the
     * averaged generator (the checkpoint keeps the trained weights).
     */
    @Test
    void resumedRunWithAWeightAverageEqualsUninterruptedRun(@TempDir Path tmp) throws IOException {
        WganGpTrainer.Options q = WganGpTrainerTest.quick(31);
        WganGpTrainer.Options o = new WganGpTrainer.Options(q.batchSize(), q.patchSize(), q.criticSteps(),
                q.gradientPenaltyWeight(), q.generatorLearningRate(), q.criticLearningRate(), q.beta1(), q.beta2(),
                q.statisticsWeight(), q.statisticsMaxLag(), 0, 0.5, q.seed());
        List<float[]> trained = resumedRunEqualsUninterruptedRun(tmp, o);
        try (GanModel straight = ModelDirectory.loadGan(tmp.resolve("straight"));
                GanModel split = ModelDirectory.loadGan(tmp.resolve("split"))) {
            List<float[]> a = parameters(straight);
            List<float[]> b = parameters(split);
            int generatorArrays = straight.generator().getParameters().size();
            boolean averaged = false;
            for (int i = 0; i < a.size(); i++) {
                assertArrayEquals(a.get(i), b.get(i), "written parameter array " + i);
                boolean differs = !java.util.Arrays.equals(a.get(i), trained.get(i));
                if (i >= generatorArrays) {
                    assertTrue(!differs, "the critic is written as trained");
                }
                averaged |= differs;
            }
            assertTrue(averaged, "the written generator is the average, not the last iterate");
        }
    }

    /**
     * With a running average of the statistics (both terms) the checkpoint carries the averages, so the resumed run
     * continues them (restored without them, iteration 3 would use the batch's own statistics and differ); a
     * checkpoint without the file is refused with its name.
     */
    @Test
    void resumedRunWithAStatisticsAverageEqualsUninterruptedRun(@TempDir Path tmp) throws IOException {
        WganGpTrainer.Options q = WganGpTrainerTest.quick(31);
        WganGpTrainer.Options o = new WganGpTrainer.Options(q.batchSize(), q.patchSize(), q.criticSteps(),
                q.gradientPenaltyWeight(), q.generatorLearningRate(), q.criticLearningRate(), q.beta1(), q.beta2(),
                1000, q.statisticsMaxLag(), 0, 0, 300, 3, 0.5, q.seed());
        resumedRunEqualsUninterruptedRun(tmp, o);
        Path checkpoint = Checkpoints.latest(tmp.resolve("split")).orElseThrow();
        Path file = checkpoint.resolve(StatisticsMatching.AVERAGES_FILE);
        assertTrue(Files.size(file) > 0, "the averages are in the checkpoint");
        Files.delete(file);
        IOException e = assertThrows(IOException.class,
                () -> WganGpTrainer.restore(checkpoint, WganGpTrainerTest.blobs(), o).close());
        assertTrue(e.getMessage().contains(StatisticsMatching.AVERAGES_FILE), e.getMessage());
        Files.write(file, new byte[] {0, 0, 1});
        e = assertThrows(IOException.class,
                () -> WganGpTrainer.restore(checkpoint, WganGpTrainerTest.blobs(), o).close());
        assertTrue(e.getMessage().contains("truncated"), e.getMessage());
        Files.write(file, new byte[] {1, 2, 3, 4, 0, 0, 0, 1});
        e = assertThrows(IOException.class,
                () -> WganGpTrainer.restore(checkpoint, WganGpTrainerTest.blobs(), o).close());
        assertTrue(e.getMessage().contains("bad magic number"), e.getMessage());
    }

    /** Runs 4 iterations straight and 2 + 2 with a restore between; returns the trained parameters. */
    private static List<float[]> resumedRunEqualsUninterruptedRun(Path tmp, WganGpTrainer.Options o)
            throws IOException {
        try (GcStorm storm = new GcStorm()) { // nothing may read memory the collector freed (Scalars)
            return resumedRunEqualsUninterruptedRunNow(tmp, o);
        }
    }

    private static List<float[]> resumedRunEqualsUninterruptedRunNow(Path tmp, WganGpTrainer.Options o)
            throws IOException {
        Volume data = WganGpTrainerTest.blobs();
        // Given an uninterrupted run of N + M = 2 + 2 iterations
        List<float[]> straight;
        List<double[]> straightHistory;
        Path a = tmp.resolve("straight");
        try (GanModel model = GanModel.create(GanArchitecture.defaults(3), LABELS, 31);
                WganGpTrainer trainer = WganGpTrainer.create(model, data, o, null, null)) {
            TrainingSession.Result r = TrainingSession.run(trainer, a, SessionState.fresh(trainer.kind(), 31, trainer.lossNames()),
                    options(4, 100), null, () -> false, List.of());
            assertEquals(TrainingSession.Stop.COMPLETED, r.stop());
            straight = parameters(model);
            straightHistory = SessionState.read(r.lastCheckpoint()).history();
        }
        // When a second run stops after N = 2, and a fresh process-like restore continues M = 2 more
        Path b = tmp.resolve("split");
        try (GanModel model = GanModel.create(GanArchitecture.defaults(3), LABELS, 31);
                WganGpTrainer trainer = WganGpTrainer.create(model, data, o, null, null)) {
            TrainingSession.run(trainer, b, SessionState.fresh(trainer.kind(), 31, trainer.lossNames()), options(2, 100),
                    null, () -> false, List.of());
        }
        Path checkpoint = Checkpoints.latest(b).orElseThrow();
        assertEquals(2, Checkpoints.iterationOf(checkpoint));
        SessionState state = SessionState.read(checkpoint);
        assertEquals(2, state.iteration());
        List<float[]> resumed;
        List<double[]> resumedHistory;
        try (WganGpTrainer trainer = WganGpTrainer.restore(checkpoint, data, o)) {
            TrainingSession.Result r = TrainingSession.run(trainer, b, state, options(4, 100), null, () -> false, List.of());
            assertEquals(4, r.iteration());
            assertEquals(2, r.sessionIterations());
            resumed = parameters(trainer.model());
            resumedHistory = SessionState.read(r.lastCheckpoint()).history();
        }
        // Then every parameter and every recorded loss is identical (libtorch on this CPU is deterministic here)
        assertEquals(straight.size(), resumed.size());
        for (int i = 0; i < straight.size(); i++) {
            assertArrayEquals(straight.get(i), resumed.get(i), "parameter array " + i);
        }
        assertEquals(4, resumedHistory.size());
        for (int i = 0; i < 4; i++) {
            assertArrayEquals(straightHistory.get(i), resumedHistory.get(i), 0.0, "loss row " + i);
        }
        return straight;
    }

    @Test
    void checkpointHoldsALoadableModelAndOptimiserStateAndKeepsTheNewest(@TempDir Path dir) throws IOException {
        Volume data = WganGpTrainerTest.blobs();
        List<Long> checkpointsSeen = new ArrayList<>();
        List<Long> iterationsSeen = new ArrayList<>();
        try (GanModel model = GanModel.create(GanArchitecture.defaults(3), LABELS, 5);
                WganGpTrainer trainer = WganGpTrainer.create(model, data, fast(5),
                        new ModelDirectory.DataSummary("blobs.tif", 24, 24, 24, List.of(0.6, 0.3, 0.1)),
                        Map.of("batchSize", 2))) {
            TrainingListener listener = new TrainingListener() {
                @Override
                public void onIteration(TrainingSession.Progress p) {
                    iterationsSeen.add(p.iteration());
                    assertTrue(p.etaSeconds() >= 0);
                }

                @Override
                public void onCheckpoint(long iteration, Path d) {
                    checkpointsSeen.add(iteration);
                }
            };
            TrainingSession.Result r = TrainingSession.run(trainer, dir, SessionState.fresh(trainer.kind(), 5,
                    trainer.lossNames()), options(3, 1), null, () -> false, List.of(listener));
            assertEquals(List.of(1L, 2L, 3L), iterationsSeen);
            assertEquals(List.of(1L, 2L, 3L), checkpointsSeen);
            // only the newest two kept, no partial folders left
            List<Path> kept = Checkpoints.list(dir);
            assertEquals(List.of(2L, 3L), kept.stream().map(Checkpoints::iterationOf).toList());
            try (var s = Files.list(dir.resolve(Checkpoints.FOLDER))) {
                assertEquals(2, s.count());
            }
            // the checkpoint reloads into a fresh model with identical parameters
            try (GanModel loaded = ModelDirectory.loadGan(r.lastCheckpoint())) {
                List<float[]> a = parameters(model);
                List<float[]> b = parameters(loaded);
                for (int i = 0; i < a.size(); i++) {
                    assertArrayEquals(a.get(i), b.get(i));
                }
            }
            // the top-level model directory is loadable and records data, config and iterations
            ModelDirectory.Manifest m = ModelDirectory.readManifest(dir);
            assertEquals(3, m.training().iterations());
            assertEquals(24, m.training().data().nx());
            assertEquals(2, m.training().config().get("batchSize"));
            try (GanModel top = ModelDirectory.loadGan(dir)) {
                assertEquals(model.generate(2, 1), top.generate(2, 1));
            }
            assertTrue(Files.size(r.lastCheckpoint().resolve(WganGpTrainer.CRITIC_ADAM)) > 1000);
        }
    }

    @Test
    void injectedNaNStopsTheRunAsDivergedWithAHintAndNoCheckpoint(@TempDir Path dir) throws IOException {
        Volume data = WganGpTrainerTest.blobs();
        try (GanModel model = GanModel.create(GanArchitecture.defaults(3), LABELS, 9);
                WganGpTrainer real = WganGpTrainer.create(model, data, fast(9), null, null)) {
            // a trainer whose generator weights turn NaN before iteration 3
            Trainer poisoned = new ForwardingTrainer(real) {
                @Override
                public IterationResult iterate(long iteration) {
                    if (iteration == 3) {
                        var w = model.generator().getParameters().get(0).getValue().getArray();
                        float[] nan = new float[(int) w.size()];
                        Arrays.fill(nan, Float.NaN);
                        w.set(FloatBuffer.wrap(nan));
                    }
                    return super.iterate(iteration);
                }
            };
            TrainingSession.Result r = TrainingSession.run(poisoned, dir, SessionState.fresh(real.kind(), 9,
                    real.lossNames()), options(5, 2), null, () -> false, List.of());
            assertEquals(TrainingSession.Stop.DIVERGED, r.stop());
            assertEquals(2, r.iteration());
            assertTrue(r.message().contains("diverged at iteration 3") && r.message().contains("NaN")
                    && r.message().contains("learning rate") && r.message().contains("checkpoint is at iteration 2"),
                    r.message());
            assertEquals(List.of(2L), Checkpoints.list(dir).stream().map(Checkpoints::iterationOf).toList());
        }
    }

    @Test
    void divergenceDetectorFlagsNonFiniteAndExplodingValuesButNotNoise() {
        DivergenceDetector d = new DivergenceDetector(new DivergenceDetector.Options(1e6, 100, 10, 5));
        for (int i = 1; i <= 20; i++) {
            double noisy = 1 + 0.5 * Math.sin(i);
            assertTrue(d.check(result(i, noisy, 2 * noisy)).isEmpty(), "iteration " + i);
        }
        assertTrue(d.check(result(21, 500, 2)).orElseThrow().contains("critic loss jumped"));
        assertTrue(new DivergenceDetector(DivergenceDetector.Options.defaults()).check(result(1, Double.NaN, 1))
                .orElseThrow().contains("critic loss is NaN"));
        assertTrue(new DivergenceDetector(DivergenceDetector.Options.defaults()).check(result(1, 1, Double.POSITIVE_INFINITY))
                .orElseThrow().contains("critic gradient norm is Infinity"));
        assertTrue(new DivergenceDetector(DivergenceDetector.Options.defaults()).check(result(1, -2e6, 1))
                .orElseThrow().contains("limit"));
    }

    private static IterationResult result(long it, double loss, double norm) {
        return new IterationResult(it, Map.of("critic", loss), Map.of("critic", norm));
    }

    @Test
    void stopFlagAndWallBudgetEndTheRunWithACheckpoint(@TempDir Path dir) throws IOException {
        Volume data = WganGpTrainerTest.blobs();
        AtomicInteger polls = new AtomicInteger();
        try (GanModel model = GanModel.create(GanArchitecture.defaults(3), LABELS, 3);
                WganGpTrainer trainer = WganGpTrainer.create(model, data, fast(3), null, null)) {
            // stop requested before the third iteration (Ctrl-C)
            TrainingSession.Result r = TrainingSession.run(trainer, dir.resolve("a"), SessionState.fresh(trainer.kind(), 3,
                    trainer.lossNames()), options(10, 100), null, () -> polls.incrementAndGet() > 2, List.of());
            assertEquals(TrainingSession.Stop.INTERRUPTED, r.stop());
            assertEquals(2, r.iteration());
            assertEquals(2, Checkpoints.iterationOf(r.lastCheckpoint()));
            assertTrue(r.message().contains("--resume"), r.message());
            // a budget far below one iteration's time stops after the first iteration
            TrainingSession.Result b = TrainingSession.run(trainer, dir.resolve("b"), SessionState.fresh(trainer.kind(), 3,
                    trainer.lossNames()), new TrainingSession.Options(10, 1e-6, 100, 1, 0,
                    DivergenceDetector.Options.defaults()), null, () -> false, List.of());
            assertEquals(TrainingSession.Stop.TIME_BUDGET, b.stop());
            assertEquals(1, b.iteration());
            assertNotNull(b.lastCheckpoint());
        }
    }

    @Test
    void evaluationWritesMetricsAndSamplesAndResumeDropsLaterLines(@TempDir Path dir) throws IOException {
        Volume data = WganGpTrainerTest.blobs();
        SampleEvaluation.Options eo = new SampleEvaluation.Options(16, 8, true, 0);
        SampleEvaluation.Reference ref = SampleEvaluation.reference(data, 3, eo);
        List<SampleEvaluation.Metrics> seen = new ArrayList<>();
        try (GanModel model = GanModel.create(GanArchitecture.defaults(3), LABELS, 4);
                WganGpTrainer trainer = WganGpTrainer.create(model, data, fast(4), null, null)) {
            TrainingSession.Options o = new TrainingSession.Options(2, 0, 1, 3, 1, DivergenceDetector.Options.defaults());
            TrainingSession.run(trainer, dir, SessionState.fresh(trainer.kind(), 4, trainer.lossNames()), o,
                    new TrainingSession.Evaluation(ref, eo, 77), () -> false, List.of(new TrainingListener() {
                        @Override
                        public void onEvaluation(SampleEvaluation.Metrics m) {
                            seen.add(m);
                        }
                    }));
        }
        assertEquals(2, seen.size());
        SampleEvaluation.Metrics m = seen.get(1);
        assertEquals(2, m.iteration());
        assertEquals(3, m.phases().size());
        double sum = m.phases().stream().mapToDouble(SampleEvaluation.PhaseMetrics::fraction).sum();
        assertEquals(1.0, sum, 1e-12);
        for (SampleEvaluation.PhaseMetrics p : m.phases()) {
            assertEquals(p.fraction() - p.referenceFraction(), p.fractionError(), 1e-15);
            assertTrue(p.s2Rmse().x() >= 0 && p.s2Rmse().y() >= 0 && p.s2Rmse().z() >= 0);
        }
        assertTrue(Files.isRegularFile(dir.resolve("samples").resolve("iteration-000000002.tif")));
        assertEquals(2, TrainingSession.readMetrics(dir).size());
        // resuming from iteration 1 drops the line of iteration 2
        assertEquals(1, TrainingSession.truncateMetrics(dir, 1).size());
        assertEquals(1, Files.readAllLines(dir.resolve(TrainingSession.METRICS_FILE)).size());
    }

    @Test
    void evaluationOfTheTrainingVolumeItselfIsPerfect() {
        Volume data = WganGpTrainerTest.blobs();
        SampleEvaluation.Options eo = new SampleEvaluation.Options(24, 8, true, 0);
        SampleEvaluation.Reference ref = SampleEvaluation.reference(data, 3, eo);
        SampleEvaluation.Metrics m = SampleEvaluation.evaluate(data, ref, eo, 1, System.nanoTime());
        assertEquals(0, m.maxFractionError(), 0);
        assertEquals(0, m.maxS2Rmse(), 1e-15);
        assertArrayEquals(new double[] {1, 1, 1}, m.tortuosityRatio().toArray(), 1e-12);
    }

    @Test
    void sessionRefusesAStateOfAnotherKind(@TempDir Path dir) {
        try (GanModel model = GanModel.create(GanArchitecture.defaults(3), LABELS, 3);
                WganGpTrainer trainer = WganGpTrainer.create(model, WganGpTrainerTest.blobs(), fast(3),
                        null, null)) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> TrainingSession.run(trainer,
                    dir, SessionState.fresh("vae3d", 3, trainer.lossNames()), options(1, 1), null, () -> false, List.of()));
            assertTrue(e.getMessage().contains("vae3d"), e.getMessage());
            assertNull(Checkpoints.latest(dir).orElse(null));
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        assertFalse(Files.exists(dir.resolve("model.json")));
    }

    /** Delegates everything to another trainer. */
    static class ForwardingTrainer implements Trainer {
        private final Trainer delegate;

        ForwardingTrainer(Trainer delegate) {
            this.delegate = delegate;
        }

        @Override
        public String kind() {
            return delegate.kind();
        }

        @Override
        public List<String> lossNames() {
            return delegate.lossNames();
        }

        @Override
        public IterationResult iterate(long iteration) {
            return delegate.iterate(iteration);
        }

        @Override
        public void writeCheckpoint(Path dir) throws IOException {
            delegate.writeCheckpoint(dir);
        }

        @Override
        public void writeModel(Path dir) throws IOException {
            delegate.writeModel(dir);
        }

        @Override
        public Volume sample(int size, long seed) {
            return delegate.sample(size, seed);
        }

        @Override
        public String divergenceHint() {
            return delegate.divergenceHint();
        }

        @Override
        public void close() {
            delegate.close();
        }
    }
}
