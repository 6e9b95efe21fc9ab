package dev.microforge.training;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class GradientGuardTest {

    @Test
    void acceptsOrdinaryGradientsAndRejectsGarbage() {
        GradientGuard guard = new GradientGuard();
        // Given a history of norms around 30 (the SliceGAN critic's)
        for (double norm : new double[] {25, 23, 28, 22, 33}) {
            assertTrue(guard.accept(norm));
        }
        // Then growth by 10x is accepted, the observed 1.1e17 and non-finite values are not
        assertTrue(guard.accept(300));
        assertFalse(guard.accept(1.11e17));
        assertFalse(guard.accept(Double.NaN));
        assertFalse(guard.accept(Double.POSITIVE_INFINITY));
        assertEquals(3, guard.retries());
        // the typical value moved with the accepted 300 only: 0.9 * t + 0.1 * 300, so 50 000 (> 1000 t) is refused
        assertFalse(guard.accept(1e5));
        // a scale change that recomputes identically is adopted
        guard.adopt(1e5);
        assertTrue(guard.accept(1.2e5));
        assertThrows(IllegalArgumentException.class, () -> new GradientGuard(1));
    }

    @Test
    void theFirstFiniteValueIsAlwaysAccepted() {
        GradientGuard guard = new GradientGuard(10);
        assertFalse(guard.accept(Double.NaN));
        assertTrue(guard.accept(1e30));
        assertTrue(guard.accept(5e30));
        assertFalse(guard.accept(1e33));
    }
}
