package dev.microforge.generator.annealing;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.microforge.datasets.Axis;
import dev.microforge.datasets.Volume;
import dev.microforge.evaluator.correlation.TwoPointCorrelation;
import dev.microforge.evaluator.morphology.LinealPath;
import java.util.SplittableRandom;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class SimulatedAnnealingTest {
    private static SimulatedAnnealing.Options small(int n, double rmse, long maxSwaps, double lpWeight, long seed) {
        return new SimulatedAnnealing.Options(n, n, n, rmse, 30, maxSwaps, 0.05, 0.9, 0, 20, true, lpWeight, seed);
    }

    @Test
    void incrementalCountsEqualFullRecountAfterManyRandomFlips() {
        // Given a prime-sized, non-cubic volume where lines are short enough that flips interact
        int nx = 7;
        int ny = 11;
        int nz = 9;
        SplittableRandom r = new SplittableRandom(3);
        byte[] s = new byte[nx * ny * nz];
        for (int i = 0; i < s.length; i++) {
            s[i] = (byte) (r.nextDouble() < 0.6 ? 1 : 0);
        }
        LineCounts lc = new LineCounts(nx, ny, nz, s, 3, true);
        // When 20000 random flips (pairs of a swap included, often on one line) update the counts
        for (int t = 0; t < 20_000; t++) {
            int p = r.nextInt(s.length);
            lc.flip(p, 1 - lc.state[p]);
        }
        // Then they equal a full recount exactly
        long[] pairs = new long[lc.counts.length];
        long[] runs = new long[lc.paths.length];
        lc.recount(pairs, runs);
        assertArrayEquals(pairs, lc.counts);
        assertArrayEquals(runs, lc.paths);
    }

    @Test
    void countsAgreeWithFftS2AndEvaluatorLinealPath() {
        Volume v = AnnealingBenchmark.smoothTwoPhase(13, 16, 11, 0.45, 1, 5);
        byte[] ind = new byte[(int) v.voxelCount()];
        for (int i = 0; i < ind.length; i++) {
            ind[i] = (byte) v.get(i);
        }
        LineCounts lc = new LineCounts(13, 16, 11, ind, 5, true);
        TwoPointCorrelation.Result s = TwoPointCorrelation.compute(v, 1, new TwoPointCorrelation.Options(true, 5));
        for (Axis a : Axis.values()) {
            for (int r = 0; r <= 5; r++) {
                assertEquals(s.along(a).value()[r], lc.counts[a.ordinal() * 6 + r] / (double) ind.length, 1e-12);
            }
        }
        // the evaluator's periodic lineal path (from run-length histograms) is an independent reference
        double[][] mine = SimulatedAnnealing.linealPathOf(v, 1, 5);
        LinealPath.Result ref = LinealPath.compute(v, 1, new LinealPath.Options(5, true));
        LinealPath.AxisResult[] axes = {ref.x(), ref.y(), ref.z()};
        for (int a = 0; a < 3; a++) {
            for (int r = 0; r <= 5; r++) {
                assertEquals(axes[a].probability()[r], mine[a][r], 1e-12, "axis " + a + " r=" + r);
            }
        }
    }

    @Test
    void smallTargetReachesRmseWithExactFractionAndSameSeedSameBytes() {
        // Given a 24^3 target cut from a smooth field
        Volume target = AnnealingBenchmark.smoothTwoPhase(24, 24, 24, 0.35, 1, 11);
        SimulatedAnnealing.Target t = SimulatedAnnealing.Target.fromVolume(target, 1, 11, false);
        // When annealed twice with one seed
        SimulatedAnnealing.Result a = SimulatedAnnealing.reconstruct(t, small(24, 0.003, Long.MAX_VALUE, 0, 9), null);
        SimulatedAnnealing.Result b = SimulatedAnnealing.reconstruct(t, small(24, 0.003, Long.MAX_VALUE, 0, 9), null);
        // Then the target is reached, confirmed by FFT S2, the fraction is the target's to the voxel, and runs agree
        assertEquals(SimulatedAnnealing.Stop.TARGET_REACHED, a.stop(), () -> a.stop() + " " + a.finalRmse());
        assertTrue(a.seconds() < 4, () -> a.seconds() + " s");
        assertEquals(a.finalRmse(), t.rmse(a.volume(), 1), 1e-12);
        assertTrue(t.rmse(a.volume(), 1) < 0.005);
        assertEquals(target.labelCounts()[1], a.volume().labelCounts()[1]);
        assertEquals(0.35, a.volume().labelCounts()[1] / 13824.0, 0.01);
        assertTrue(a.volume().firstDifference(b.volume()).isEmpty());
        assertEquals(a.swapsTried(), b.swapsTried());
        // and the best-so-far error curve never rises, with times in order
        for (int i = 1; i < a.errorCurve().length; i++) {
            assertTrue(a.errorCurve()[i] <= a.errorCurve()[i - 1]);
            assertTrue(a.errorCurveSeconds()[i] >= a.errorCurveSeconds()[i - 1]);
        }
        assertTrue(a.swapsAccepted() > 0 && a.swapsAccepted() <= a.swapsTried());
    }

    @Test
    void differentSeedsGiveDifferentVolumesAtTheSameFraction() {
        Volume target = AnnealingBenchmark.smoothTwoPhase(16, 16, 16, 0.5, 1, 2);
        SimulatedAnnealing.Target t = SimulatedAnnealing.Target.fromVolume(target, 1, 7, false);
        SimulatedAnnealing.Result a = SimulatedAnnealing.reconstruct(t, small(16, 0, 20_000, 0, 1), null);
        SimulatedAnnealing.Result b = SimulatedAnnealing.reconstruct(t, small(16, 0, 20_000, 0, 2), null);
        assertEquals(SimulatedAnnealing.Stop.SWAP_LIMIT, a.stop());
        assertEquals(20_000, a.swapsTried());
        assertTrue(a.volume().firstDifference(b.volume()).isPresent());
        assertEquals(a.volume().labelCounts()[1], b.volume().labelCounts()[1]);
        assertEquals(2048, a.volume().labelCounts()[1]);
    }

    @Test
    void exemplar2dTo3dMatchesTheExemplarAlongAllThreeAxes() {
        // Given a 64 x 64 slice of a smooth structure
        Volume slice = AnnealingBenchmark.smoothTwoPhase(64, 64, 3, 0.4, 2, 21).slice(Axis.Z, 1);
        SimulatedAnnealing.Target t = SimulatedAnnealing.Target.fromExemplar(slice, 1, 15, true, false);
        // When a 32^3 volume is annealed to it
        SimulatedAnnealing.Result r = SimulatedAnnealing.reconstruct(t, small(32, 0.002, Long.MAX_VALUE, 0, 4), null);
        // Then S2 along x, y and z approaches the exemplar's (isotropic) curve
        TwoPointCorrelation.Result s = TwoPointCorrelation.compute(r.volume(), 1,
                new TwoPointCorrelation.Options(true, 15));
        TwoPointCorrelation.Result e = TwoPointCorrelation.compute(slice, 1, new TwoPointCorrelation.Options(true, 15));
        for (Axis a : Axis.values()) {
            double sum = 0;
            for (int k = 0; k <= 15; k++) {
                double want = 0.5 * (e.x().value()[k] + e.y().value()[k]);
                assertEquals(want, s.along(a).value()[k], 0.01, a + " r=" + k);
                sum += (want - s.along(a).value()[k]) * (want - s.along(a).value()[k]);
            }
            assertTrue(Math.sqrt(sum / 16) < 0.004, a + " rmse " + Math.sqrt(sum / 16));
        }
        assertTrue(r.finalRmse() < 0.003, () -> "rmse " + r.finalRmse());
        assertTrue(r.seconds() < 4.5, () -> r.seconds() + " s");
    }

    @Test
    void linealPathTermLowersTheLinealPathError() {
        Volume target = AnnealingBenchmark.smoothTwoPhase(20, 20, 20, 0.4, 1, 8);
        SimulatedAnnealing.Target t = SimulatedAnnealing.Target.fromVolume(target, 1, 9, true);
        SimulatedAnnealing.Result with = SimulatedAnnealing.reconstruct(t, small(20, 0, 400_000, 1.0, 3), null);
        SimulatedAnnealing.Result without = SimulatedAnnealing.reconstruct(t, small(20, 0, 400_000, 0, 3), null);
        double ew = lpError(with.volume(), t);
        double eo = lpError(without.volume(), t);
        assertTrue(ew < eo, () -> "with " + ew + " without " + eo);
        assertTrue(with.finalRmse() < 0.01, () -> "S2 rmse with lineal path " + with.finalRmse());
    }

    private static double lpError(Volume v, SimulatedAnnealing.Target t) {
        double[][] l = SimulatedAnnealing.linealPathOf(v, 1, t.maxLag());
        double sum = 0;
        for (int a = 0; a < 3; a++) {
            for (int r = 0; r <= t.maxLag(); r++) {
                double d = l[a][r] - t.linealPath()[a][r];
                sum += d * d;
            }
        }
        return Math.sqrt(sum / (3.0 * (t.maxLag() + 1)));
    }

    @Test
    void interruptionStopsTheRunWithTheBestSoFar() {
        Volume target = AnnealingBenchmark.smoothTwoPhase(16, 16, 16, 0.5, 1, 2);
        SimulatedAnnealing.Target t = SimulatedAnnealing.Target.fromVolume(target, 1, 7, false);
        Thread.currentThread().interrupt();
        try {
            SimulatedAnnealing.Result r = SimulatedAnnealing.reconstruct(t, small(16, 0, Long.MAX_VALUE, 0, 1), null);
            assertEquals(SimulatedAnnealing.Stop.INTERRUPTED, r.stop());
            assertEquals(2048, r.volume().labelCounts()[1]);
        } finally {
            Thread.interrupted();
        }
    }

    @Test
    void listenerSeesEveryTemperature() {
        Volume target = AnnealingBenchmark.smoothTwoPhase(16, 16, 16, 0.5, 1, 2);
        SimulatedAnnealing.Target t = SimulatedAnnealing.Target.fromVolume(target, 1, 7, false);
        int[] calls = {0};
        SimulatedAnnealing.Result r = SimulatedAnnealing.reconstruct(t, small(16, 0, 10_000, 0, 1),
                (swaps, rmse, sec) -> calls[0]++);
        assertEquals(r.errorCurve().length - 1, calls[0]);
    }

    static Stream<Arguments> badOptions() {
        return Stream.of(
                Arguments.of("output size", (Supplier<Object>) () -> new SimulatedAnnealing.Options(2, 8, 8, 0, 1, 1,
                        0, 0.9, 0, 1, true, 0, 1)),
                Arguments.of("targetRmse", (Supplier<Object>) () -> new SimulatedAnnealing.Options(8, 8, 8, -1, 1, 1,
                        0, 0.9, 0, 1, true, 0, 1)),
                Arguments.of("timeLimitSeconds", (Supplier<Object>) () -> new SimulatedAnnealing.Options(8, 8, 8, 0,
                        0, 1, 0, 0.9, 0, 1, true, 0, 1)),
                Arguments.of("maxSwaps", (Supplier<Object>) () -> new SimulatedAnnealing.Options(8, 8, 8, 0, 1, 0,
                        0, 0.9, 0, 1, true, 0, 1)),
                Arguments.of("initialTemperatureScale", (Supplier<Object>) () -> new SimulatedAnnealing.Options(8, 8,
                        8, 0, 1, 1, Double.NaN, 0.9, 0, 1, true, 0, 1)),
                Arguments.of("coolingFactor", (Supplier<Object>) () -> new SimulatedAnnealing.Options(8, 8, 8, 0, 1,
                        1, 0, 1.5, 0, 1, true, 0, 1)),
                Arguments.of("swapsPerTemperature", (Supplier<Object>) () -> new SimulatedAnnealing.Options(8, 8, 8,
                        0, 1, 1, 0, 0.9, -1, 1, true, 0, 1)),
                Arguments.of("stagnationTemperatures", (Supplier<Object>) () -> new SimulatedAnnealing.Options(8, 8,
                        8, 0, 1, 1, 0, 0.9, 0, 0, true, 0, 1)),
                Arguments.of("linealPathWeight", (Supplier<Object>) () -> new SimulatedAnnealing.Options(8, 8, 8, 0,
                        1, 1, 0, 0.9, 0, 1, true, -1, 1)),
                Arguments.of("maxLag", (Supplier<Object>) () -> new SimulatedAnnealing.Target(0, 0.5,
                        new double[3][1], null)),
                Arguments.of("volumeFraction", (Supplier<Object>) () -> new SimulatedAnnealing.Target(2, 1.0,
                        new double[3][3], null)),
                Arguments.of("3 curves", (Supplier<Object>) () -> new SimulatedAnnealing.Target(2, 0.5,
                        new double[2][3], null)),
                Arguments.of("maxLag + 1", (Supplier<Object>) () -> new SimulatedAnnealing.Target(2, 0.5,
                        new double[3][2], null)),
                Arguments.of("nz = 1", (Supplier<Object>) () -> SimulatedAnnealing.Target.fromExemplar(
                        Volume.filled(8, 8, 2, 1), 1, 2, true, false)),
                Arguments.of("maxLag must lie", (Supplier<Object>) () -> SimulatedAnnealing.Target.fromVolume(
                        AnnealingBenchmark.smoothTwoPhase(8, 8, 8, 0.5, 1, 1), 1, 4, false)),
                Arguments.of("every output side", (Supplier<Object>) () -> SimulatedAnnealing.reconstruct(
                        SimulatedAnnealing.Target.fromVolume(AnnealingBenchmark.smoothTwoPhase(16, 16, 16, 0.5, 1, 1),
                                1, 7, false), SimulatedAnnealing.Options.defaults().withSize(8, 16, 16), null)),
                Arguments.of("needs a target with a lineal path", (Supplier<Object>) () -> SimulatedAnnealing
                        .reconstruct(SimulatedAnnealing.Target.fromVolume(AnnealingBenchmark.smoothTwoPhase(16, 16,
                                16, 0.5, 1, 1), 1, 7, false), small(16, 0, 1, 1.0, 1), null)),
                Arguments.of("required", (Supplier<Object>) () -> SimulatedAnnealing.reconstruct(null,
                        SimulatedAnnealing.Options.defaults(), null)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badOptions")
    void badInputIsRefusedWithAMessageNamingIt(String fragment, Supplier<Object> make) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, make::get);
        assertTrue(e.getMessage().contains(fragment), e.getMessage());
    }
}
