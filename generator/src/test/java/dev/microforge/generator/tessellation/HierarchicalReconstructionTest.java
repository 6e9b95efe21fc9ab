package dev.microforge.generator.tessellation;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.microforge.datasets.Volume;
import dev.microforge.datasets.VoxelSize;
import dev.microforge.evaluator.morphology.ConnectedComponents;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class HierarchicalReconstructionTest {
    private static final double[][] SEEDS = HierarchicalReconstruction.randomSeeds(40, 40, 40, 60, 5, 1, 1);

    @ParameterizedTest
    @ValueSource(doubles = {0.2, 0.3, 0.4, 0.5, 0.6})
    void solidFractionIsMet(double solid) {
        Volume v = HierarchicalReconstruction.generate(40, 40, 40, SEEDS, new double[] {1 - solid, solid},
                HierarchicalReconstruction.Options.defaults(), VoxelSize.isotropic(0.4), 2).phases();
        assertEquals(solid, v.labelCounts()[1] / 64000.0, 0.01);
    }

    @Test
    void threePhasesPlaceCbdInPoreBetweenParticles() {
        double[] f = {0.35, 0.5, 0.15};
        HierarchicalReconstruction.Result r = HierarchicalReconstruction.generate(40, 40, 40, SEEDS, f,
                HierarchicalReconstruction.Options.defaults(), null, 3);
        long[] c = r.phases().labelCounts();
        for (int l = 0; l < 3; l++) {
            assertEquals(f[l], c[l] / 64000.0, 0.01);
        }
        // the solid phase is unchanged by the CBD step: every CBD voxel was pore in the 2-phase cut
        Volume two = HierarchicalReconstruction.generate(40, 40, 40, SEEDS, new double[] {0.5, 0.5},
                HierarchicalReconstruction.Options.defaults(), null, 3).phases();
        for (int i = 0; i < 64000; i++) {
            assertEquals(two.get(i) == 1, r.phases().get(i) == 1);
        }
    }

    @Test
    void withoutPerturbationSolidIsTheUnionOfGrownSpheres() {
        // amplitude 0: F = r_i - d_i, so the solid is {d_i < r_i + c} for one level c: every voxel of a particle
        // closer to its centre than a solid voxel of the same radius is solid
        double[][] s = {{10, 10, 10, 4}, {26, 12, 20, 6}, {15, 28, 25, 5}};
        HierarchicalReconstruction.Result r = HierarchicalReconstruction.generate(36, 36, 36, s,
                new double[] {0.92, 0.08}, new HierarchicalReconstruction.Options(0, 1, true), null, 0);
        float[] f = r.field().toArray();
        for (int i = 0; i < f.length; i++) {
            if (f[i] != r.level()) { // voxels tied at the level are split by index
                assertEquals(f[i] > r.level(), r.phases().get(i) == 1);
            }
        }
        assertEquals(3, ConnectedComponents.label(r.phases(), 1,
                ConnectedComponents.Options.defaults()).count());
    }

    @Test
    void sameSeedSameBytesDifferentSeedsDiffer() {
        double[] f = {0.5, 0.5};
        HierarchicalReconstruction.Options o = HierarchicalReconstruction.Options.defaults();
        byte[] a = HierarchicalReconstruction.generate(24, 24, 24, SEEDS, f, o, null, 5).phases().toArray();
        byte[] b = HierarchicalReconstruction.generate(24, 24, 24, SEEDS, f, o, null, 5).phases().toArray();
        byte[] c = HierarchicalReconstruction.generate(24, 24, 24, SEEDS, f, o, null, 6).phases().toArray();
        assertArrayEquals(a, b);
        assertFalse(Arrays.equals(a, c));
        assertTrue(Arrays.equals(HierarchicalReconstruction.randomSeeds(8, 8, 8, 5, 2, 1, 9)[4],
                HierarchicalReconstruction.randomSeeds(8, 8, 8, 5, 2, 1, 9)[4]));
    }

    @Test
    void badInputsAreRefused() {
        double[] f = {0.5, 0.5};
        HierarchicalReconstruction.Options o = HierarchicalReconstruction.Options.defaults();
        List<Runnable> bad = List.of(
                () -> new HierarchicalReconstruction.Options(-1, 3, true),
                () -> new HierarchicalReconstruction.Options(1, 0.1, true),
                () -> new HierarchicalReconstruction.Options(Double.NaN, 3, true),
                () -> HierarchicalReconstruction.generate(8, 8, 8, SEEDS, new double[] {0.5, 0.6}, o, null, 1),
                () -> HierarchicalReconstruction.generate(8, 8, 8, SEEDS, new double[] {0.25, 0.25, 0.25, 0.25}, o,
                        null, 1),
                () -> HierarchicalReconstruction.generate(8, 8, 8, SEEDS, f, null, null, 1),
                () -> HierarchicalReconstruction.generate(8, 8, 8, null, f, o, null, 1),
                () -> HierarchicalReconstruction.generate(1, 8, 8, SEEDS, f, o, null, 1),
                () -> HierarchicalReconstruction.randomSeeds(8, 8, 8, 0, 2, 1, 1),
                () -> HierarchicalReconstruction.randomSeeds(8, 8, 8, 3, 0, 1, 1));
        for (int i = 0; i < bad.size(); i++) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, bad.get(i)::run, "case " + i);
            assertFalse(e.getMessage().isBlank());
        }
    }
}
