package dev.microforge.evaluator.correlation;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.microforge.datasets.Axis;
import dev.microforge.datasets.Volume;
import dev.microforge.datasets.VoxelSize;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Surface-surface correlation, three-point correlation and spectral density. */
class HigherOrderCorrelationTest {

    @ParameterizedTest
    @CsvSource({"7, 5, 3, false", "7, 5, 3, true", "11, 13, 5, false", "11, 13, 5, true"})
    void surfaceSurfaceFftEqualsBruteForce(int nx, int ny, int nz, boolean periodic) {
        Volume v = TwoPointCorrelationTest.bernoulli(nx, ny, nz, 0.5, 11);
        SurfaceSurfaceCorrelation.Options o = new SurfaceSurfaceCorrelation.Options(periodic, 0);
        SurfaceSurfaceCorrelation.Result fft = SurfaceSurfaceCorrelation.compute(v, 1, o);
        SurfaceSurfaceCorrelation.Result ref = SurfaceSurfaceCorrelation.bruteForce(v, 1, o);
        for (Axis a : Axis.values()) {
            assertArrayEquals(ref.along(a).value(), fft.along(a).value(), 1e-12);
        }
        assertArrayEquals(ref.radial().value(), fft.radial().value(), 1e-12);
    }

    @Test
    void surfaceSurfaceOfAPlane() {
        // Given periodic slabs x < 4 of a 8 x 6 x 5 volume with 0.5 um voxels: two planes, g = 1/(2 dx) = 1 /um on
        // the four voxels x = 3, 4, 7, 0 of every row
        Volume v = Volume.generate(8, 6, 5, (x, y, z) -> x < 4 ? 1 : 0).withVoxelSize(VoxelSize.isotropic(0.5));
        SurfaceSurfaceCorrelation.Result f = SurfaceSurfaceCorrelation.compute(v, 1,
                new SurfaceSurfaceCorrelation.Options(true, 0));
        // mean g = 4/8 * 1 = 0.5 /um = specific area of two planes of 3 x 2.5 um in 4 x 3 x 2.5 um^3
        assertEquals(0.5, f.meanInterfaceDensity(), 1e-12);
        // Fss(0) = <g^2> = 0.5 /um^2; along y (in-plane) it stays 0.5; along x at r = 1 pairs (3,4),(7,0): 2/8
        assertEquals(0.5, f.x().value()[0], 1e-12);
        assertEquals(0.25, f.x().value()[1], 1e-12);
        assertEquals(0.0, f.x().value()[2], 1e-12);
        assertArrayEquals(new double[] {0.5, 0.5, 0.5}, f.y().value(), 1e-12);
    }

    @Test
    void threePointOnBernoulliIsPhiCubedAndExhaustiveAgreesWithSampling() {
        Volume v = TwoPointCorrelationTest.bernoulli(40, 40, 40, 0.5, 13);
        ThreePointCorrelation.Result ex = ThreePointCorrelation.equilateral(v, 1,
                new ThreePointCorrelation.Options(false, 8, 3, 0, 0));
        ThreePointCorrelation.Result sa = ThreePointCorrelation.equilateral(v, 1,
                new ThreePointCorrelation.Options(true, 8, 3, 20_000, 42));
        double phi = ex.volumeFraction();
        assertEquals(phi, ex.all().value()[0], 1e-12);
        assertEquals(phi, sa.all().value()[0], 0.01);
        for (int r = 1; r <= 8; r++) {
            // exhaustive: ~3 x 3 x 40^3 triples, s.e. ~0.0008; sampled: 9 x 20000, s.e. ~0.0008
            assertEquals(phi * phi * phi, ex.all().value()[r], 0.005, "exhaustive r=" + r);
            assertEquals(phi * phi * phi, sa.all().value()[r], 0.005, "sampled r=" + r);
        }
        assertEquals(9, ex.xy().size());
    }

    @Test
    void threePointOfAUniformAndAHalfSpace() {
        Volume full = Volume.filled(9, 9, 9, 2);
        ThreePointCorrelation.Result f = ThreePointCorrelation.equilateral(full, 2,
                new ThreePointCorrelation.Options(false, 4, 2, 0, 0));
        for (double s : f.all().value()) {
            assertEquals(1, s, 0);
        }
        // a 2D image has only the xy plane
        Volume flat = Volume.filled(9, 9, 1, 2);
        ThreePointCorrelation.Result g = ThreePointCorrelation.equilateral(flat, 2,
                ThreePointCorrelation.Options.defaults());
        assertEquals(0, g.xz().size());
        assertEquals(5, g.xy().size());
        assertEquals(0, ThreePointCorrelation.equilateral(flat, 3, ThreePointCorrelation.Options.defaults())
                .all().value()[2]);
        assertThrows(IllegalArgumentException.class, () -> new ThreePointCorrelation.Options(false, 0, 0, 0, 0));
        assertThrows(IllegalArgumentException.class, () -> new ThreePointCorrelation.Options(false, 0, 1, -1, 0));
        assertThrows(IllegalArgumentException.class, () -> ThreePointCorrelation.equilateral(null, 2,
                ThreePointCorrelation.Options.defaults()));
    }

    @Test
    void stripesPeakAtTheirWavenumber() {
        // Given periodic stripes of period 8 voxels along x in a 64 x 16 x 16 volume with 0.25 um voxels
        Volume v = Volume.generate(64, 16, 16, (x, y, z) -> (x / 4) % 2 == 0 ? 1 : 0)
                .withVoxelSize(VoxelSize.isotropic(0.25));
        SpectralDensity.Result s = SpectralDensity.compute(v, 1, SpectralDensity.Options.defaults());
        double k0 = 2 * Math.PI / (8 * 0.25);
        // Then the kx spectrum peaks at m = 64 / 8 = 8, i.e. k = 2 pi / 2 um
        double[] d = s.x().density();
        int best = 0;
        for (int m = 1; m < d.length; m++) {
            best = d[m] > d[best] ? m : best;
        }
        assertEquals(8, best);
        assertEquals(k0, s.x().k()[best], 1e-12);
        assertEquals(k0, s.peakWavenumber(), 1e-9);
        // nothing along ky or kz (the stripes are uniform there) beyond k = 0, which is 0 after removing the mean
        for (double y : s.y().density()) {
            assertEquals(0, y, 1e-9);
        }
    }

    @ParameterizedTest
    @CsvSource({"16, 12, 10", "7, 5, 3", "9, 1, 1", "6, 4, 1"})
    void parsevalTotalPowerIsNTimesVariance(int nx, int ny, int nz) {
        Volume v = TwoPointCorrelationTest.bernoulli(nx, ny, nz, 0.35, 17);
        SpectralDensity.Result s = SpectralDensity.compute(v, 1, SpectralDensity.Options.defaults());
        double phi = s.volumeFraction();
        assertEquals(v.voxelCount() * phi * (1 - phi), s.totalPower(), 1e-9);
        // and the autocovariance is normalised: f(0) = 1, consistent with S2 at every radius
        assertEquals(1.0, s.autocovariance().value()[0], 1e-12);
        TwoPointCorrelation.Result s2 = TwoPointCorrelation.compute(v, 1, new TwoPointCorrelation.Options(true, 0));
        for (int b = 0; b < Math.min(s2.radial().size(), s.autocovariance().size()); b++) {
            assertEquals((s2.radial().value()[b] - phi * phi) / (phi - phi * phi), s.autocovariance().value()[b],
                    1e-9);
        }
    }

    @Test
    void correlationLengthOfStripesAndDegenerateVolumes() {
        // Given periodic slabs of width 4 along x (period 8) in a 32^3 volume: f along x is the triangle wave 1 - r/4
        // for r <= 4, 0 along y and z are 1; the radial average mixes them, so only check it is finite and positive
        Volume v = Volume.generate(32, 32, 32, (x, y, z) -> (x / 4) % 2 == 0 ? 1 : 0);
        SpectralDensity.Result s = SpectralDensity.compute(v, 1, SpectralDensity.Options.defaults());
        assertTrue(s.correlationLength() > 0 && s.correlationLength() <= s.integrationLimit());
        // Bernoulli voxels: f drops to ~0 after r = 0, so xi ~ 0.5 voxel (the trapezoid over the first bin)
        Volume b = TwoPointCorrelationTest.bernoulli(32, 32, 32, 0.5, 3);
        SpectralDensity.Result sb = SpectralDensity.compute(b, 1, SpectralDensity.Options.defaults());
        assertEquals(0.5, sb.correlationLength(), 0.05);
        // absent phase: all zero, no NaN
        SpectralDensity.Result none = SpectralDensity.compute(b, 9, SpectralDensity.Options.defaults());
        assertEquals(0, none.totalPower());
        assertEquals(0, none.correlationLength());
        assertEquals(0, none.peakWavenumber());
        for (double d : none.radial().density()) {
            assertEquals(0, d);
        }
        SpectralDensity.Result one = SpectralDensity.compute(Volume.filled(1, 1, 1, 0), 0,
                SpectralDensity.Options.defaults());
        assertEquals(0, one.totalPower());
        assertThrows(IllegalArgumentException.class, () -> new SpectralDensity.Options(-1));
        assertThrows(IllegalArgumentException.class, () -> SpectralDensity.compute(b, 1, null));
    }
}
