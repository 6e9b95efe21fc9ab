package dev.microforge.optimizer.objective;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.microforge.datasets.Axis;
import dev.microforge.datasets.PhaseMap;
import dev.microforge.datasets.Volume;
import dev.microforge.evaluator.transport.EffectiveConductivity;
import dev.microforge.evaluator.transport.Tortuosity;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PropertyEvaluatorTest {
    private static final PhaseMap PHASES = PhaseMap.of(Map.of(0, "pore", 1, "active", 2, "cbd"));

    @Test
    void straightChannelsAndFractionsHaveTheirAnalyticValues() {
        // pore channels along z where x < 4 (of 12): tau_z = 1, not percolating along x
        Volume v = Volume.generate(12, 12, 10, (x, y, z) -> x < 4 ? 0 : x < 10 ? 1 : 2);
        List<PropertySpec> specs = List.of(
                new PropertySpec(Property.TORTUOSITY, "pore", Axis.Z, null),
                new PropertySpec(Property.EFFECTIVE_DIFFUSIVITY, "pore", Axis.Z, null),
                new PropertySpec(Property.MAC_MULLIN, "pore", Axis.Z, null),
                new PropertySpec(Property.VOLUME_FRACTION, "active+cbd", null, null),
                new PropertySpec(Property.TORTUOSITY, "pore", Axis.X, null),
                new PropertySpec(Property.EFFECTIVE_CONDUCTIVITY, null, Axis.Z, Map.of("pore", 1.0, "cbd", 0.5)));
        double[] v0 = PropertyEvaluator.evaluate(v, PHASES, specs, PropertyEvaluator.Options.defaults()).values();
        assertEquals(1, v0[0], 1e-6);
        assertEquals(1.0 / 3, v0[1], 1e-6);
        assertEquals(3, v0[2], 1e-5);
        assertEquals(8.0 / 12, v0[3], 1e-15);
        assertEquals(Double.POSITIVE_INFINITY, v0[4]);
        // parallel channels: k_eff = sum of fractions x conductivities = 4/12 * 1 + 2/12 * 0.5
        assertEquals(4.0 / 12 + 1.0 / 12, v0[5], 1e-6);
    }

    @Test
    void agreesWithTheEvaluatorCalledDirectly() {
        Volume v = Volume.generate(16, 16, 16, (x, y, z) -> ((x * 7 + y * 3 + z * 5) % 11) < 6 ? 0 : 1);
        double tau = PropertyEvaluator.evaluate(v, PHASES, List.of(new PropertySpec(Property.TORTUOSITY, "0",
                Axis.Y, null)), PropertyEvaluator.Options.defaults()).values()[0];
        assertEquals(Tortuosity.solve(v, 0, Axis.Y, EffectiveConductivity.Options.defaults()).tau(), tau, 1e-12);
        assertThrows(IllegalArgumentException.class, () -> PropertyEvaluator.labels("binder", PHASES));
    }
}
