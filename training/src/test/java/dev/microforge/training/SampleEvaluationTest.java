package dev.microforge.training;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.microforge.datasets.Volume;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Metrics of one sample and of several taken together, on volumes whose statistics are known by construction. */
class SampleEvaluationTest {

    /** Slabs normal to z: phase 0 for z below the cut, phase 1 above. */
    private static Volume slabs(int n, int cut) {
        return Volume.generate(n, n, n, (x, y, z) -> z < cut ? 0 : 1);
    }

    @Test
    void errorsOfOppositeSignCancelInThePooledFractionsButNotInEachSample() {
        SampleEvaluation.Options o = new SampleEvaluation.Options(16, 6, true, 0);
        SampleEvaluation.Reference ref = SampleEvaluation.reference(slabs(16, 8), 2, o);
        Volume low = slabs(16, 6); // phase 0: 6/16 = 0.375
        Volume high = slabs(16, 10); // phase 0: 10/16 = 0.625
        SampleEvaluation.Metrics a = SampleEvaluation.evaluate(low, ref, o, 1, System.nanoTime());
        SampleEvaluation.Metrics b = SampleEvaluation.evaluate(high, ref, o, 1, System.nanoTime());
        SampleEvaluation.Metrics pooled = SampleEvaluation.evaluatePooled(List.of(low, high), ref, o, 1,
                System.nanoTime());
        assertEquals(-0.125, a.phases().get(0).fractionError(), 1e-12);
        assertEquals(0.125, b.phases().get(0).fractionError(), 1e-12);
        assertEquals(0, pooled.maxFractionError(), 1e-12);
        // along x and y S2 is the fraction at every lag: the mean of 0.375 and 0.625 is the reference's 0.5
        assertEquals(0, pooled.phases().get(0).s2Rmse().x(), 1e-12);
        assertEquals(0.125, a.phases().get(0).s2Rmse().x(), 1e-12);
        // the RMSE of the mean curve is at most the mean of the RMSEs (triangle inequality), and here less
        assertTrue(pooled.maxS2Rmse() < (a.maxS2Rmse() + b.maxS2Rmse()) / 2, pooled + " vs " + a + " / " + b);
        // straight pore slabs along x and y: tortuosity 1 for every sample, so for the mean
        assertEquals(1.0, pooled.tortuosityRatio().x(), 1e-6);
        assertEquals(1.0, pooled.tortuosityRatio().y(), 1e-6);
        // one sample pooled is that sample
        SampleEvaluation.Metrics one = SampleEvaluation.evaluatePooled(List.of(low), ref, o, 1, System.nanoTime());
        assertEquals(a.maxS2Rmse(), one.maxS2Rmse(), 0);
        assertEquals(a.maxFractionError(), one.maxFractionError(), 0);
        assertThrows(IllegalArgumentException.class,
                () -> SampleEvaluation.evaluatePooled(List.of(), ref, o, 1, System.nanoTime()));
    }
}
