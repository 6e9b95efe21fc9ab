package dev.microforge.evaluator.transport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.microforge.datasets.Axis;
import dev.microforge.datasets.Volume;
import dev.microforge.datasets.VoxelSize;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Analytic cases first (TauFactor's test suite style), then solver properties. */
class TortuosityTest {
    private static final EffectiveConductivity.Options TIGHT = EffectiveConductivity.Options.defaults()
            .withTolerance(1e-9);
    /** Conductances are stored as float (7 significant digits): exact cases agree to this relative error. */
    private static final double EXACT = 1e-6;

    @ParameterizedTest
    @EnumSource(Axis.class)
    void uniformBlockHasTauOne(Axis axis) {
        Volume v = Volume.filled(7, 5, 9, 1);
        Tortuosity.Result r = Tortuosity.solve(v, 1, axis, TIGHT);
        assertEquals(1.0, r.tau(), EXACT);
        assertEquals(1.0, r.effectiveDiffusivity(), EXACT);
        assertEquals(1.0, r.volumeFraction());
        assertTrue(r.percolating() && r.converged());
        assertEquals(1.0, r.bruggemanTau());
        assertEquals(1.0, r.macMullin(), EXACT);
    }

    @Test
    void straightChannelsHaveTauOneAlongThemAndDoNotPercolateAcross() {
        // pore channels along z at every third column
        Volume v = Volume.generate(12, 9, 10, (x, y, z) -> x % 3 == 0 && y % 3 == 0 ? 0 : 1);
        Tortuosity.Result z = Tortuosity.solve(v, 0, Axis.Z, TIGHT);
        assertEquals(1.0, z.tau(), EXACT);
        assertEquals(z.volumeFraction(), z.effectiveDiffusivity(), EXACT);
        Tortuosity.Result x = Tortuosity.solve(v, 0, Axis.X, TIGHT);
        assertFalse(x.percolating());
        assertEquals(Double.POSITIVE_INFINITY, x.tau());
        assertEquals(0.0, x.effectiveDiffusivity());
        // columns at x = 0 touch the inlet face only (dead ends); the others touch neither face
        assertEquals(0.75, x.isolatedFraction(), 1e-12);
        assertEquals(0.25, x.deadEndFraction(), 1e-12);
    }

    @Test
    void serialLayersGiveTheHarmonicMean() {
        // layers normal to z alternating conductivity 1 and 0.1 (labels 1, 2), two cells thick each
        Volume v = Volume.generate(4, 3, 12, (x, y, z) -> (z / 2) % 2 == 0 ? 1 : 2);
        double[] k = new double[256];
        k[1] = 1.0;
        k[2] = 0.1;
        EffectiveConductivity.Result r = EffectiveConductivity.solve(v, k, Axis.Z, TIGHT, null);
        double harmonic = 1.0 / (0.5 / 1.0 + 0.5 / 0.1);
        assertEquals(harmonic, r.effectiveConductivity(), EXACT * harmonic);
        // and across the layers (parallel): the arithmetic mean
        EffectiveConductivity.Result p = EffectiveConductivity.solve(v, k, Axis.X, TIGHT, null);
        assertEquals(0.55, p.effectiveConductivity(), EXACT);
    }

    @Test
    void anisotropicVoxelsKeepExactMeans() {
        Volume v = Volume.generate(4, 3, 6, (x, y, z) -> z < 3 ? 1 : 2).withVoxelSize(new VoxelSize(0.5, 2, 0.25));
        double[] k = new double[256];
        k[1] = 2.0;
        k[2] = 0.5;
        assertEquals(1.0 / (0.5 / 2.0 + 0.5 / 0.5),
                EffectiveConductivity.solve(v, k, Axis.Z, TIGHT, null).effectiveConductivity(), EXACT);
        assertEquals(1.25, EffectiveConductivity.solve(v, k, Axis.Y, TIGHT, null).effectiveConductivity(), EXACT);
    }

    @Test
    void deadEndsCarryNoFlux() {
        // a straight channel along z, then the same channel with a side branch that ends in the solid
        Volume channel = Volume.generate(7, 7, 10, (x, y, z) -> x == 3 && y == 3 ? 0 : 1);
        Volume branched = Volume.generate(7, 7, 10, (x, y, z) -> (x == 3 && y == 3) || (z == 5 && y == 3 && x > 3)
                || (z == 4 && y == 3 && x == 6) ? 0 : 1);
        Tortuosity.Result a = Tortuosity.solve(channel, 0, Axis.Z, TIGHT);
        Tortuosity.Result b = Tortuosity.solve(branched, 0, Axis.Z, TIGHT);
        assertEquals(a.effectiveDiffusivity(), b.effectiveDiffusivity(), EXACT);
        assertTrue(b.volumeFraction() > a.volumeFraction());
        assertTrue(b.tau() > a.tau());
        // an isolated pocket is reported, not solved
        Volume pocket = Volume.generate(7, 7, 10, (x, y, z) -> (x == 3 && y == 3) || (x == 0 && y == 0 && z == 5)
                ? 0 : 1);
        Tortuosity.Result c = Tortuosity.solve(pocket, 0, Axis.Z, TIGHT);
        assertEquals(1.0 / 11, c.isolatedFraction(), 1e-12);
        assertEquals(10.0 / 11, c.percolatingFraction(), 1e-12);
    }

    @Test
    void aPhaseThatIsAbsentOrBlockedGivesInfinityNotAnError() {
        Volume blocked = Volume.generate(5, 5, 8, (x, y, z) -> z == 4 ? 1 : 0);
        Tortuosity.Result r = Tortuosity.solve(blocked, 0, Axis.Z, TIGHT);
        assertFalse(r.percolating());
        assertEquals(Double.POSITIVE_INFINITY, r.tau());
        assertEquals(1.0, r.deadEndFraction(), 1e-12);
        Tortuosity.Result absent = Tortuosity.solve(blocked, 7, Axis.Z, TIGHT);
        assertFalse(absent.percolating());
        assertEquals(0.0, absent.volumeFraction());
        assertEquals(Double.POSITIVE_INFINITY, absent.tau());
    }

    @Test
    void periodicSidesConnectAcrossTheWrap() {
        // an L-shaped path that leaves through the +x side and comes back at -x: percolates only when periodic
        Volume v = Volume.generate(6, 1, 6, (x, y, z) -> (x == 5 && z <= 3) || (x == 0 && z >= 3) ? 0 : 1);
        assertFalse(Tortuosity.solve(v, 0, Axis.Z, TIGHT).percolating());
        Tortuosity.Result r = Tortuosity.solve(v, 0, Axis.Z, TIGHT.withPeriodicSides(true));
        assertTrue(r.percolating());
        // a path of 6 + 1 cells through one sideways step across the wrap: resistance 6 (along z) + 1 (the step)
        // in units of one face; both columns carry the flux in series, so D_eff = (1/7) * (nz / nx) ... exactly:
        // flux = 1 / (0.5 + 3 + 1 + 2 + 0.5) = 1/7 through a 6 x 1 cross-section of a 6-long volume
        assertEquals(6.0 / 7.0 / 6.0, r.effectiveDiffusivity(), 1e-6);
    }

    private static Volume randomMedium(int n, double porosity, long seed) {
        Random random = new Random(seed);
        // smoothed noise thresholded: connected, tortuous pores
        double[] f = new double[n * n * n];
        for (int i = 0; i < f.length; i++) {
            f[i] = random.nextDouble();
        }
        double[] g = new double[f.length];
        for (int z = 0; z < n; z++) {
            for (int y = 0; y < n; y++) {
                for (int x = 0; x < n; x++) {
                    double s = 0;
                    for (int dz = -1; dz <= 1; dz++) {
                        for (int dy = -1; dy <= 1; dy++) {
                            for (int dx = -1; dx <= 1; dx++) {
                                int xx = Math.floorMod(x + dx, n);
                                int yy = Math.floorMod(y + dy, n);
                                int zz = Math.floorMod(z + dz, n);
                                s += f[xx + n * (yy + n * zz)];
                            }
                        }
                    }
                    g[x + n * (y + n * z)] = s;
                }
            }
        }
        double[] sorted = g.clone();
        java.util.Arrays.sort(sorted);
        double cut = sorted[(int) (porosity * sorted.length)];
        return Volume.generate(n, n, n, (x, y, z) -> g[x + n * (y + n * z)] < cut ? 0 : 1);
    }

    @Test
    void resultDoesNotDependOnTheThreadCount() {
        Volume v = randomMedium(24, 0.45, 5);
        Tortuosity.Result one = Tortuosity.solve(v, 0, Axis.Y, TIGHT.withThreads(1).withTolerance(1e-6));
        Tortuosity.Result two = Tortuosity.solve(v, 0, Axis.Y, TIGHT.withThreads(2).withTolerance(1e-6));
        assertEquals(one.tau(), two.tau(), 0.0);
        assertEquals(one.iterations(), two.iterations());
    }

    @Test
    void lowPorosityConvergesAndLooseToleranceIsCloseToOverConverged() {
        Volume v = randomMedium(32, 0.18, 9);
        Tortuosity.Result exact = Tortuosity.solve(v, 0, Axis.Z, TIGHT);
        Tortuosity.Result loose = Tortuosity.solve(v, 0, Axis.Z, EffectiveConductivity.Options.defaults());
        if (!exact.percolating()) {
            assertEquals(Double.POSITIVE_INFINITY, loose.tau());
            return;
        }
        assertTrue(exact.converged() && loose.converged(), "iterations " + exact.iterations());
        assertTrue(exact.tau() > 1.0);
        // the default tolerance is 1e-3 on the flux; tau itself is far closer than that (0.5 % is the goal)
        assertEquals(exact.tau(), loose.tau(), 1e-3 * exact.tau());
        assertTrue(loose.fluxError() <= EffectiveConductivity.Options.DEFAULT_TOLERANCE);
    }

    @Test
    void fluxFieldAveragesToOneOverACrossSectionAndFollowsTheAxis() {
        Volume v = Volume.generate(6, 4, 5, (x, y, z) -> x % 2 == 0 ? 0 : 1);
        Tortuosity.Result r = Tortuosity.solve(v, new int[] {0}, Axis.X, TIGHT.withKeepFlux(true), null);
        assertFalse(r.percolating());
        Tortuosity.Result s = Tortuosity.solve(v, new int[] {0}, Axis.Y, TIGHT.withKeepFlux(true), null);
        assertNotNull(s.flux());
        assertEquals(6, s.flux().nx());
        assertEquals(5, s.flux().nz());
        double sum = 0;
        for (int z = 0; z < 5; z++) {
            for (int x = 0; x < 6; x++) {
                sum += s.flux().get(x, 2, z);
            }
        }
        assertEquals(30.0, sum, 1e-6);
        assertEquals(0f, s.flux().get(1, 2, 2));
        assertEquals(2f, s.flux().get(0, 2, 2), 1e-6);
    }

    /** Each voxel becomes f x f x f voxels: the same geometry on a finer grid. */
    private static Volume refine(Volume v, int f) {
        return Volume.generate(v.nx() * f, v.ny() * f, v.nz() * f, (x, y, z) -> v.get(x / f, y / f, z / f));
    }

    @Test
    void tauConvergesUnderGridRefinement() {
        // Given a pore space with staggered solid blocks that force the flux sideways
        Volume coarse = Volume.generate(8, 8, 8, (x, y, z) -> (z % 4 == 1 && x < 5) || (z % 4 == 3 && x >= 3)
                ? 1 : 0);
        double[] tau = new double[3];
        int[] factors = {1, 2, 4};
        for (int k = 0; k < 3; k++) {
            tau[k] = Tortuosity.solve(refine(coarse, factors[k]), 0, Axis.Z, TIGHT).tau();
        }
        // Then successive refinements move tau less and less (first-order convergence of the staircase)
        double first = Math.abs(tau[1] - tau[0]);
        double second = Math.abs(tau[2] - tau[1]);
        assertTrue(tau[0] > 1.2, "tortuous: " + tau[0]);
        assertTrue(second < 0.7 * first, java.util.Arrays.toString(tau));
    }

    @Test
    void badArgumentsAreRefused() {
        Volume v = Volume.filled(2, 2, 2, 0);
        assertThrows(IllegalArgumentException.class, () -> Tortuosity.solve(v, new int[0], Axis.X,
                TIGHT, null));
        assertThrows(IllegalArgumentException.class, () -> EffectiveConductivity.Options.defaults()
                .withTolerance(0));
        assertThrows(IllegalArgumentException.class, () -> EffectiveConductivity.Options.defaults().withThreads(0));
        double[] k = new double[256];
        k[0] = -1;
        assertThrows(IllegalArgumentException.class, () -> EffectiveConductivity.solve(v, k, Axis.X, TIGHT, null));
        assertThrows(IllegalArgumentException.class, () -> EffectiveConductivity.solve(v, new double[3], Axis.X,
                TIGHT, null));
    }

    @Test
    void oneVoxelThickVolumesWork() {
        Volume v = Volume.filled(1, 1, 1, 0);
        assertEquals(1.0, Tortuosity.solve(v, 0, Axis.Z, TIGHT).tau(), EXACT);
        Volume plate = Volume.filled(9, 9, 1, 0);
        assertEquals(1.0, Tortuosity.solve(plate, 0, Axis.X, TIGHT).tau(), EXACT);
    }
}
