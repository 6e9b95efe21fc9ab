package dev.microforge.generator.annealing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

@Tag("benchmark")
class AnnealingBenchmarkTest {
    @Test
    void reaches0002Within60sOn64Cube() {
        SimulatedAnnealing.Result r = AnnealingBenchmark.run64(7);
        assertEquals(SimulatedAnnealing.Stop.TARGET_REACHED, r.stop(), () -> "stopped by " + r.stop() + " at rmse "
                + r.finalRmse() + " after " + r.seconds() + " s, " + r.swapsTried() + " swaps");
        assertTrue(r.finalRmse() <= 0.002);
        // independent check: FFT S2 of the result against the target
        SimulatedAnnealing.Target t = SimulatedAnnealing.Target.fromVolume(AnnealingBenchmark.targetVolume(7), 1,
                AnnealingBenchmark.MAX_LAG, false);
        assertEquals(r.finalRmse(), t.rmse(r.volume(), 1), 1e-12);
        assertEquals(AnnealingBenchmark.targetVolume(7).labelCounts()[1], r.volume().labelCounts()[1]);
        assertTrue(r.seconds() <= 60, () -> r.seconds() + " s");
        assertTrue(r.errorCurve().length >= 2);
    }
}
