package dev.microforge.evaluator.properties;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.microforge.datasets.Volume;
import dev.microforge.datasets.VoxelSize;
import org.junit.jupiter.api.Test;

/** Slab electrodes whose every property is known in closed form. */
class ElectrodePropertiesTest {
    private static final ElectrodeProperties.Options TIGHT = ElectrodeProperties.Options.defaults()
            .withTolerance(1e-9);

    /**
     * 8³ voxels: pore for x < 3, CBD at x = 7, active material between. Every phase is a stack of slabs normal to x:
     * straight paths along y and z (tau = 1), no path along x for the pore (it does not reach x = 7) nor for the
     * solid (it does not reach x = 0); conductivity along z is the parallel mean.
     */
    private static Volume slabs() {
        return Volume.generate(8, 8, 8, (x, y, z) -> x < 3 ? 0 : x == 7 ? 2 : 1);
    }

    @Test
    void slabElectrodeHasItsClosedFormProperties() {
        ElectrodeProperties.Result r = ElectrodeProperties.compute(slabs(), TIGHT);
        assertEquals(3 / 8.0, r.get("volumeFraction.pore"), 1e-15);
        assertEquals(4 / 8.0, r.get("volumeFraction.active"), 1e-15);
        assertEquals(1 / 8.0, r.get("volumeFraction.cbd"), 1e-15);
        // one grid-aligned plane of 7 x 7 marching-cubes cells (the half-voxel rim is outside every cell) in 512
        assertEquals(49 / 512.0, r.get("surfaceArea.pore"), 1e-12);
        // the active slab has two such planes: towards the pore and towards the CBD
        assertEquals(2 * 49 / 512.0, r.get("surfaceArea.active"), 1e-12);
        assertEquals(0.0, r.get("logTortuosity.pore.y"), 1e-6);
        assertEquals(0.0, r.get("logTortuosity.pore.z"), 1e-6);
        assertTrue(Double.isNaN(r.get("logTortuosity.pore.x")), "pore does not span x: undefined");
        assertEquals(0.0, r.get("logTortuosity.solid.y"), 1e-6);
        assertEquals(0.0, r.get("logTortuosity.solid.z"), 1e-6);
        assertTrue(Double.isNaN(r.get("logTortuosity.solid.x")), "solid does not span x: undefined");
        // parallel slabs along z: k_eff = 4/8 * 1 + 1/8 * 10
        assertEquals(Math.log(0.5 + 1.25), r.get("logConductivity.z"), 1e-6);
        assertEquals(ElectrodeProperties.NAMES.size(), r.values().length);
        assertTrue(r.seconds() >= 0);
    }

    @Test
    void voxelSizeOfTheFileDoesNotChangeTheVector() {
        double[] plain = ElectrodeProperties.compute(slabs(), TIGHT).values();
        double[] scaled = ElectrodeProperties.compute(slabs().withVoxelSize(VoxelSize.isotropic(0.4)), TIGHT).values();
        for (int i = 0; i < plain.length; i++) {
            assertEquals(plain[i], scaled[i], 1e-12, ElectrodeProperties.NAMES.get(i));
        }
    }

    @Test
    void twoPhaseVolumeIsAnElectrodeWithoutBinder() {
        Volume v = Volume.generate(6, 6, 6, (x, y, z) -> x < 2 ? 0 : 1);
        ElectrodeProperties.Result r = ElectrodeProperties.compute(v, TIGHT);
        assertEquals(0.0, r.get("volumeFraction.cbd"));
        // active only, conductivity 1 over 4/6 of the section
        assertEquals(Math.log(4 / 6.0), r.get("logConductivity.z"), 1e-6);
    }

    @Test
    void badInputIsRefusedWithItsValue() {
        Volume four = Volume.generate(4, 4, 4, (x, y, z) -> x);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ElectrodeProperties.compute(four, TIGHT));
        assertTrue(e.getMessage().contains("labelled 3"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> ElectrodeProperties.compute(null, TIGHT));
        assertThrows(IllegalArgumentException.class, () -> ElectrodeProperties.compute(slabs(), null));
        assertThrows(IllegalArgumentException.class, () -> new ElectrodeProperties.Options(0, 1, 1, 1));
        assertThrows(IllegalArgumentException.class, () -> new ElectrodeProperties.Options(1e-3, 0, 1, 1));
        assertThrows(IllegalArgumentException.class, () -> new ElectrodeProperties.Options(1e-3, 1, 1, 0));
        assertThrows(IllegalArgumentException.class,
                () -> ElectrodeProperties.compute(slabs(), TIGHT).get("tortuosity"));
    }
}
