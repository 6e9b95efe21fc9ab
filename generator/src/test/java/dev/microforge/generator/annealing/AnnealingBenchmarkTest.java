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
        assertTrue(r.seconds() <= 60, () -> r.seconds() + " s");
        assertTrue(r.errorCurve().length >= 2);
    }
}
