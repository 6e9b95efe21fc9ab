package dev.microforge.evaluator.correlation;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.microforge.datasets.Axis;
import dev.microforge.datasets.Volume;
import dev.microforge.evaluator.morphology.ConnectedComponents;
import dev.microforge.evaluator.morphology.ConnectedComponents.Connectivity;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class TwoPointClusterFunctionTest {

    /** Independent reference: direct sum over voxel pairs with equal nonzero cluster labels. */
    private static TwoPointCorrelation.Result reference(Volume v, int phase, boolean periodic, int maxDistance,
            Connectivity c) {
        ConnectedComponents.Result cc = ConnectedComponents.label(v, phase,
                new ConnectedComponents.Options(c, periodic, periodic, periodic));
        int[] lab = cc.labels();
        LagBox box = new LagBox(v.nx(), v.ny(), v.nz(), LagBox.radii(v, maxDistance, periodic), periodic);
        int nx = v.nx();
        int ny = v.ny();
        int nz = v.nz();
        for (int dz = -box.rz; dz <= box.rz; dz++) {
            for (int dy = -box.ry; dy <= box.ry; dy++) {
                for (int dx = -box.rx; dx <= box.rx; dx++) {
                    double s = 0;
                    for (int z = 0; z < nz; z++) {
                        for (int y = 0; y < ny; y++) {
                            for (int x = 0; x < nx; x++) {
                                int xx = x + dx;
                                int yy = y + dy;
                                int zz = z + dz;
                                if (periodic) {
                                    xx = Math.floorMod(xx, nx);
                                    yy = Math.floorMod(yy, ny);
                                    zz = Math.floorMod(zz, nz);
                                } else if (xx < 0 || yy < 0 || zz < 0 || xx >= nx || yy >= ny || zz >= nz) {
                                    continue;
                                }
                                int a = lab[x + nx * (y + ny * z)];
                                s += a != 0 && a == lab[xx + nx * (yy + ny * zz)] ? 1 : 0;
                            }
                        }
                    }
                    box.sum[box.index(dx, dy, dz)] = s;
                }
            }
        }
        double[] e = {1, 1, 1};
        return new TwoPointCorrelation.Result(phase, 0, periodic, box.radii(), null, box.axis(Axis.X, e),
                box.axis(Axis.Y, e), box.axis(Axis.Z, e), box.radial(e));
    }

    @ParameterizedTest
    @CsvSource({"11, 13, 5, 0.3, false", "11, 13, 5, 0.3, true", "20, 20, 20, 0.65, false",
        "20, 20, 20, 0.65, true", "7, 5, 3, 0.5, true"})
    void equalsPairCountingReference(int nx, int ny, int nz, double phi, boolean periodic) {
        // Given random volumes: at 0.65 one big cluster spans the volume and goes through the FFT path,
        // the small ones through pair counting
        Volume v = TwoPointCorrelationTest.bernoulli(nx, ny, nz, phi, 5);
        TwoPointClusterFunction.Result c2 = TwoPointClusterFunction.compute(v, 1,
                new TwoPointClusterFunction.Options(periodic, 0, Connectivity.FACES));
        TwoPointCorrelation.Result ref = reference(v, 1, periodic, 0, Connectivity.FACES);
        for (Axis a : Axis.values()) {
            assertArrayEquals(ref.along(a).value(), c2.along(a).value(), 1e-9, a.label());
        }
        assertArrayEquals(ref.radial().value(), c2.radial().value(), 1e-9);
        if (phi > 0.6 && nx == 20) {
            assertTrue(c2.clustersByFft() >= 1, "the spanning cluster takes the FFT path");
            assertTrue(c2.clusterCount() > c2.clustersByFft());
        }
    }

    @Test
    void oneClusterEqualsS2AndManyClustersAreBelowIt() {
        // Given a single solid ball: C2 = S2 at every lag
        Volume ball = Volume.generate(24, 24, 24, (x, y, z) ->
                (x - 11.5) * (x - 11.5) + (y - 12) * (y - 12) + (z - 11.7) * (z - 11.7) <= 64 ? 1 : 0);
        TwoPointClusterFunction.Result c2 = TwoPointClusterFunction.compute(ball, 1,
                TwoPointClusterFunction.Options.defaults());
        TwoPointCorrelation.Result s2 = TwoPointCorrelation.compute(ball, 1, TwoPointCorrelation.Options.defaults());
        assertEquals(1, c2.clusterCount());
        assertArrayEquals(s2.radial().value(), c2.radial().value(), 1e-12);
        assertArrayEquals(s2.x().value(), c2.x().value(), 1e-12);
        // Given many small clusters (Bernoulli 0.2, far below percolation): C2 falls to ~0 while S2 stays at phi^2
        Volume dust = TwoPointCorrelationTest.bernoulli(32, 32, 32, 0.2, 9);
        TwoPointClusterFunction.Result c = TwoPointClusterFunction.compute(dust, 1,
                TwoPointClusterFunction.Options.defaults());
        TwoPointCorrelation.Result s = TwoPointCorrelation.compute(dust, 1, TwoPointCorrelation.Options.defaults());
        assertEquals(s.radial().value()[0], c.radial().value()[0], 1e-12);
        for (int r = 1; r < c.radial().size(); r++) {
            assertTrue(c.radial().value()[r] < s.radial().value()[r], "r=" + r);
        }
        assertTrue(c.radial().value()[8] < 0.01 * s.radial().value()[8]);
    }

    @Test
    void badInputs() {
        Volume v = Volume.filled(3, 3, 3, 0);
        assertThrows(IllegalArgumentException.class,
                () -> TwoPointClusterFunction.compute(null, 0, TwoPointClusterFunction.Options.defaults()));
        assertThrows(IllegalArgumentException.class,
                () -> TwoPointClusterFunction.compute(v, 0, null));
        assertThrows(IllegalArgumentException.class, () -> new TwoPointClusterFunction.Options(false, 0, null));
        TwoPointClusterFunction.Result absent = TwoPointClusterFunction.compute(v, 4,
                TwoPointClusterFunction.Options.defaults());
        assertEquals(0, absent.clusterCount());
        assertArrayEquals(new double[] {0, 0}, absent.x().value(), 0);
        TwoPointClusterFunction.Result one = TwoPointClusterFunction.compute(Volume.filled(1, 1, 1, 2), 2,
                TwoPointClusterFunction.Options.defaults());
        assertArrayEquals(new double[] {1}, one.radial().value(), 0);
    }
}
