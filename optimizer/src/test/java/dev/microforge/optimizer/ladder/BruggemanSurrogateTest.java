package dev.microforge.optimizer.ladder;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.microforge.datasets.Axis;
import dev.microforge.datasets.PhaseMap;
import dev.microforge.datasets.Volume;
import dev.microforge.optimizer.objective.Property;
import dev.microforge.optimizer.objective.PropertySpec;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class BruggemanSurrogateTest {
    private static final PhaseMap PHASES = PhaseMap.of(Map.of(0, "pore", 1, "active"));
    private static final List<PropertySpec> SPECS = List.of(
            new PropertySpec(Property.TORTUOSITY, "pore", Axis.Z, null),
            new PropertySpec(Property.EFFECTIVE_DIFFUSIVITY, "pore", Axis.Z, null),
            new PropertySpec(Property.VOLUME_FRACTION, "pore", null, null),
            new PropertySpec(Property.EFFECTIVE_CONDUCTIVITY, null, Axis.Z, Map.of("pore", 1.0)));

    /** A 10^3 volume whose first {@code pore} voxels (of 1000) are pore. */
    private static Volume withPorosity(int pore) {
        return Volume.generate(10, 10, 10, (x, y, z) -> x + 10 * (y + 10 * z) < pore ? 0 : 1);
    }

    @Test
    void startsAtBruggemanAndRefitsTheExponentFromVerifiedDesigns() {
        BruggemanSurrogate s = new BruggemanSurrogate();
        Surrogate.Prediction p = s.predict(withPorosity(250), PHASES, SPECS);
        assertEquals(2.0, p.mean()[0], 1e-12); // 0.25^-0.5
        assertEquals(0.125, p.mean()[1], 1e-12); // 0.25^1.5
        assertEquals(0.25, p.mean()[2], 0);
        assertEquals(0, p.sd()[2], 0);
        assertTrue(Double.isNaN(p.mean()[3]));
        assertEquals(0.3 * 2.0, p.sd()[0], 1e-12);
        // verified designs follow tau = eps^-0.8 exactly
        for (int pore : new int[] {200, 350, 500, 650}) {
            double eps = pore / 1000.0;
            double tau = Math.pow(eps, -0.8);
            s.update(withPorosity(pore), PHASES, SPECS, new double[] {tau, eps / tau, eps, Double.NaN});
        }
        Surrogate.Prediction q = s.predict(withPorosity(400), PHASES, SPECS);
        assertEquals(Math.pow(0.4, -0.8), q.mean()[0], 1e-9);
        assertEquals(0.02 * q.mean()[0], q.sd()[0], 1e-9, "the residual sd floor once the law fits exactly");
    }
}
