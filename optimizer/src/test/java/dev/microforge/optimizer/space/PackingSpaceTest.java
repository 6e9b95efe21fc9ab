package dev.microforge.optimizer.space;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.microforge.datasets.Volume;
import dev.microforge.generator.packing.ParticlePacking;
import dev.microforge.generator.packing.SizeDistribution;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PackingSpaceTest {
    private static Map<String, double[]> params(Object... kv) {
        Map<String, double[]> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put((String) kv[i], (double[]) kv[i + 1]);
        }
        return m;
    }

    @Test
    void knobsMapOntoThePackingOptions() {
        PackingSpace s = new PackingSpace("packing", params("solidFraction", new double[] {0.4, 0.6}, "meanRadius",
                new double[] {2, 4}), Map.of("size", 24L, "seed", 9L, "periodic", true));
        ParticlePacking.Options o = s.options(new double[] {0.55, 3});
        assertEquals(0.55, o.targetSolidFraction());
        assertEquals(new SizeDistribution.Fixed(6), o.sizes());
        assertEquals(24, o.nx());
        assertEquals(9, o.seed());
        assertTrue(o.periodic());
        assertEquals(1.0, o.voxelSizeUm());
        assertArrayEquals(new double[] {0.5, 0.5}, s.toUnit(new double[] {0.5, 3}), 1e-15);
        assertArrayEquals(new double[] {0.4, 4}, s.fromUnit(new double[] {0, 1}), 1e-15);
        Volume v = s.build(new double[] {0.5, 3});
        assertEquals(0.5, (double) v.labelCounts()[1] / v.voxelCount(), 2e-3);
        assertTrue(v.equals(s.build(new double[] {0.5, 3})), "same point, same volume");
    }

    @Test
    void presetsGiveTheirDefaultsAndCbdGrowsWithOmega() {
        PackingSpace s = new PackingSpace("nmc", params("omega", new double[] {0, 1}), Map.of("size", 48L));
        ParticlePacking.Options o = s.options(new double[] {0.5});
        assertEquals(0.4, o.voxelSizeUm());
        assertEquals(0.5, o.targetSolidFraction());
        assertEquals(new SizeDistribution.Lognormal(6, 1.5), o.sizes());
        PackingSpace g = new PackingSpace("packing", params("cbdFraction", new double[] {0.05, 0.15}),
                Map.of("size", 24L, "meanRadius", 3.0));
        Volume v = g.build(new double[] {0.1});
        assertEquals(0.1, (double) v.labelCounts()[2] / v.voxelCount(), 1e-3);
        assertEquals(List.of("cbdFraction"), g.parameters().stream().map(Parameter::name).toList());
    }

    @Test
    void badKnobsAreRefusedWithTheirNames() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new PackingSpace("packing",
                params("seed", new double[] {1, 2}), Map.of()));
        assertTrue(e.getMessage().contains("'seed' cannot be optimised"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new PackingSpace("packing",
                params("solidFraction", new double[] {0.4, 0.9}), Map.of("size", 24L)));
        assertTrue(e.getMessage().contains("solidFraction=0.9"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new PackingSpace("packing",
                params("solidFraction", new double[] {0.4, 0.6}), Map.of("solidFraction", 0.5)));
        assertTrue(e.getMessage().contains("both a parameter and fixed"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new PackingSpace("separator",
                params("solidFraction", new double[] {0.4, 0.6}), Map.of()));
        assertTrue(e.getMessage().contains("one of packing, nmc"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new PackingSpace("packing", params(), Map.of()));
        assertThrows(IllegalArgumentException.class, () -> new PackingSpace("packing",
                params("solidFraction", new double[] {0.4, 0.6}), Map.of("orientation", "sideways")));
    }
}
