package dev.microforge.optimizer.acquisition;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** Acquisition functions as pure functions of a fixed posterior (mean, sd), without any GP. */
class AcquisitionTest {
    @Test
    void expectedImprovementAtMeanMinusHalfSdOneBestZeroIs0_19780() {
        // maximising: improvement = f - best; (mean - best) Phi(z) + sd phi(z) with z = -0.5
        // = -0.5 * 0.3085375387 + 0.3520653268 = 0.1977965574 (BoTorch test_analytic.py: 0.19780)
        assertEquals(0.19780, Acquisition.expectedImprovement(-0.5, 1, 0), 5e-6);
        assertEquals(0.1977965574, Acquisition.expectedImprovement(-0.5, 1, 0), 1e-9);
        assertEquals(Math.log(0.1977965574), new Acquisition.ExpectedImprovement(0).value(-0.5, 1), 1e-9);
        // the minimising reading (improvement = best - f) would give 0.69780: this is not it
        assertTrue(Math.abs(Acquisition.expectedImprovement(-0.5, 1, 0) - 0.69780) > 0.4);
    }

    @Test
    void closedFormsOfPiAndUcbAndTheNoiseFreeLimits() {
        assertEquals(0.3085375387, Acquisition.probabilityOfImprovement(-0.5, 1, 0), 1e-9);
        assertEquals(Math.log(0.3085375387), new Acquisition.ProbabilityOfImprovement(0).value(-0.5, 1), 1e-9);
        assertEquals(5.0, Acquisition.upperConfidenceBound(1, 2, 4), 1e-15);
        assertEquals(5.0, new Acquisition.UpperConfidenceBound(4).value(1, 2), 1e-15);
        assertEquals(0.25, Acquisition.expectedImprovement(1.25, 0, 1), 0);
        assertEquals(0.0, Acquisition.expectedImprovement(0.75, 0, 1), 0);
        // EI grows with the mean and with the uncertainty
        assertTrue(Acquisition.expectedImprovement(0, 1, 0) > Acquisition.expectedImprovement(-0.1, 1, 0));
        assertTrue(Acquisition.expectedImprovement(0, 2, 0) > Acquisition.expectedImprovement(0, 1, 0));
    }

    @Test
    void logEiStaysFiniteAndOrderedWhereEiUnderflows() {
        double far = new Acquisition.ExpectedImprovement(0).value(-40, 1);
        double farther = new Acquisition.ExpectedImprovement(0).value(-41, 1);
        assertEquals(0.0, Acquisition.expectedImprovement(-40, 1, 0), 1e-300);
        assertTrue(Double.isFinite(far) && Double.isFinite(farther) && far > farther);
        assertEquals(-808.29856835661996, far, 1e-9); // log h(-40), sd 1 (mpmath)
    }

    @Test
    void derivativesMatchFiniteDifferencesIncludingTheTail() {
        Acquisition[] all = {new Acquisition.ExpectedImprovement(0.3), new Acquisition.ProbabilityOfImprovement(0.3),
            new Acquisition.UpperConfidenceBound(2)};
        double[][] points = {{-0.5, 1}, {1.2, 0.3}, {0.3, 2}, {-6, 0.5}, {-30, 1}};
        for (Acquisition a : all) {
            for (double[] p : points) {
                double[] g = new double[2];
                a.derivatives(p[0], p[1], g);
                double h = 1e-6;
                double dm = (a.value(p[0] + h, p[1]) - a.value(p[0] - h, p[1])) / (2 * h);
                double ds = (a.value(p[0], p[1] + h) - a.value(p[0], p[1] - h)) / (2 * h);
                assertEquals(dm, g[0], 1e-5 * Math.max(1, Math.abs(dm)), a + " d/dmean at " + p[0] + "," + p[1]);
                assertEquals(ds, g[1], 1e-5 * Math.max(1, Math.abs(ds)), a + " d/dsd at " + p[0] + "," + p[1]);
            }
        }
    }

    @Test
    void namesAndBadInput() {
        assertTrue(Acquisition.named("EI", 0) instanceof Acquisition.ExpectedImprovement);
        assertTrue(Acquisition.named("pi", 0) instanceof Acquisition.ProbabilityOfImprovement);
        assertEquals(new Acquisition.UpperConfidenceBound(3), Acquisition.named(" ucb ", 3));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Acquisition.named("kg", 0));
        assertTrue(e.getMessage().contains("'kg'") && e.getMessage().contains("ei, pi, ucb"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new Acquisition.UpperConfidenceBound(-1));
    }
}
