package dev.microforge.models.surrogate;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.microforge.datasets.Volume;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Renormalised conductivities of media whose effective conductivity is known in closed form (prisms along an axis:
 * the arithmetic mean; layers across it: the harmonic mean), on even edges (first level from the pattern table) and
 * odd ones (blocks of one cell, weighted by length and cross-section); the axes; one contact against two.
 */
class RenormalizedConductivityTest {

    private static final double EPS = RenormalizedConductivity.CONTRAST;

    private static double[] of(Volume v, int label) {
        boolean[] set = new boolean[256];
        set[label] = true;
        return RenormalizedConductivity.of(v.toArray(), v.nx(), set);
    }

    /**
     * A random pattern in x-y extruded along z is a bundle of straight columns: along z the value is exactly the
     * area-weighted mean {@code phi + (1 - phi) eps}, at every edge, odd ones included.
     */
    @Test
    void prismsAlongAnAxisGiveTheArithmeticMean() {
        for (int n : new int[] {2, 5, 8, 13, 16}) {
            SplittableRandom random = new SplittableRandom(n);
            boolean[] inSet = new boolean[n * n];
            int count = 0;
            for (int i = 0; i < inSet.length; i++) {
                inSet[i] = random.nextDouble() < 0.4;
                count += inSet[i] ? 1 : 0;
            }
            double phi = count / (double) (n * n);
            Volume v = Volume.generate(n, n, n, (x, y, z) -> inSet[x + n * y] ? 1 : 0);
            double expected = phi + (1 - phi) * EPS;
            assertEquals(expected, of(v, 1)[2], 1e-12 * expected, "n = " + n);
        }
    }

    /**
     * Layers across z with their own conductivity are resistors in series: along z the value is exactly the
     * length-weighted harmonic mean; along x and y the layers are in parallel: the arithmetic mean.
     */
    @Test
    void layersAcrossAnAxisGiveTheHarmonicMean() {
        for (int n : new int[] {4, 7, 9, 16}) {
            SplittableRandom random = new SplittableRandom(10 + n);
            boolean[] layer = new boolean[n];
            int count = 0;
            for (int z = 0; z < n; z++) {
                layer[z] = z == 0 || random.nextDouble() < 0.5;
                count += layer[z] ? 1 : 0;
            }
            double phi = count / (double) n;
            Volume v = Volume.generate(n, n, n, (x, y, z) -> layer[z] ? 1 : 0);
            double[] k = of(v, 1);
            double harmonic = 1 / (phi + (1 - phi) / EPS);
            double arithmetic = phi + (1 - phi) * EPS;
            assertEquals(harmonic, k[2], 1e-12 * harmonic, "z, n = " + n);
            assertEquals(arithmetic, k[0], 1e-12, "x, n = " + n);
            assertEquals(arithmetic, k[1], 1e-12, "y, n = " + n);
        }
    }

    /** A full set conducts 1, an empty one the contrast; a lone voxel is what it is; bad shapes are refused. */
    @Test
    void uniformCubes() {
        Volume full = Volume.generate(6, 6, 6, (x, y, z) -> 1);
        assertArrayEquals(new double[] {1, 1, 1}, of(full, 1), 1e-15);
        assertArrayEquals(new double[] {EPS, EPS, EPS}, of(full, 0), 1e-15);
        assertArrayEquals(new double[] {1, 1, 1}, of(Volume.generate(1, 1, 1, (x, y, z) -> 1), 1), 0);
        assertThrows(IllegalArgumentException.class, () -> RenormalizedConductivity.of(new byte[7], 2,
                new boolean[256]));
        assertThrows(IllegalArgumentException.class, () -> RenormalizedConductivity.of(new byte[0], 0,
                new boolean[256]));
        assertThrows(IllegalArgumentException.class, () -> RenormalizedConductivity.pore(
                Volume.generate(4, 4, 2, (x, y, z) -> 0)));
    }

    /**
     * A set that crosses a layer of the other phase through one voxel conducts less than through two such voxels,
     * where the critical radius (1 voxel both times) cannot tell them apart. (The layer itself conducts 1 + 255 eps
     * against 2 + 254 eps, ratio 1.27 at this contrast; diluted by the 15 full layers, about 1.18.)
     */
    @Test
    void twoContactsConductMoreThanOne() {
        int n = 16;
        Volume one = Volume.generate(n, n, n, (x, y, z) -> z != 8 || (x == 3 && y == 3) ? 1 : 0);
        Volume two = Volume.generate(n, n, n, (x, y, z) -> z != 8 || (x == 3 && y == 3) || (x == 11 && y == 11)
                ? 1 : 0);
        double[] k1 = of(one, 1);
        double[] k2 = of(two, 1);
        assertTrue(k2[2] > 1.15 * k1[2], "one contact " + k1[2] + ", two " + k2[2]);
        boolean[] solid = new boolean[256];
        solid[1] = true;
        assertEquals(CriticalRadius.of(one.toArray(), n, solid)[2], CriticalRadius.of(two.toArray(), n, solid)[2]);
        // across the contacts' layer (along x) the layer is in parallel with the rest and changes little
        assertEquals(k1[0], k2[0], 0.01 * k1[0]);
    }

    /**
     * Exchanging the x and z axes of a random volume exchanges its x and z values (the pattern table and the general
     * path read the axes alike), and each value lies in {@code [eps, 1]}.
     */
    @Test
    void valuesFollowTheAxes() {
        for (int n : new int[] {6, 9, 12}) {
            SplittableRandom random = new SplittableRandom(100 + n);
            byte[] labels = new byte[n * n * n];
            for (int i = 0; i < labels.length; i++) {
                labels[i] = (byte) (random.nextDouble() < 0.55 ? 1 : 0);
            }
            Volume v = Volume.of(n, n, n, labels);
            Volume swapped = Volume.generate(n, n, n, (x, y, z) -> labels[z + n * (y + n * x)]);
            double[] k = of(v, 1);
            for (double c : k) {
                assertTrue(c >= EPS * (1 - 1e-12) && c <= 1 + 1e-12, c + " in [eps, 1], n = " + n);
            }
            assertArrayEquals(new double[] {k[2], k[1], k[0]}, of(swapped, 1), 1e-12, "n = " + n);
            assertArrayEquals(of(v, 0), RenormalizedConductivity.pore(v), 0);
        }
    }
}
