package dev.microforge.evaluator.correlation;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.microforge.datasets.Axis;
import dev.microforge.datasets.Volume;
import dev.microforge.datasets.VoxelSize;
import dev.microforge.evaluator.geometry.LengthUnit;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class TwoPointCorrelationTest {

    static Volume bernoulli(int nx, int ny, int nz, double phi, long seed) {
        Random r = new Random(seed);
        return Volume.generate(nx, ny, nz, (x, y, z) -> r.nextDouble() < phi ? 1 : 0);
    }

    static void assertCurvesEqual(Curve expected, Curve actual, double tol) {
        assertArrayEquals(expected.distance(), actual.distance(), 1e-12);
        assertArrayEquals(expected.value(), actual.value(), tol);
    }

    @ParameterizedTest
    @CsvSource({
        "7, 5, 3, false, 0", "7, 5, 3, true, 0", "11, 13, 5, false, 0", "11, 13, 5, true, 0",
        "11, 13, 5, false, 12", "11, 13, 5, true, 12", "1, 13, 1, false, 4", "6, 4, 1, true, 0"})
    void fftEqualsBruteForce(int nx, int ny, int nz, boolean periodic, int maxDistance) {
        // Given a small random volume of prime, non-cubic size
        Volume v = bernoulli(nx, ny, nz, 0.4, nx * 31L + ny);
        TwoPointCorrelation.Options o = new TwoPointCorrelation.Options(periodic, maxDistance);
        // When
        TwoPointCorrelation.Result fft = TwoPointCorrelation.compute(v, 1, o);
        TwoPointCorrelation.Result ref = TwoPointCorrelation.bruteForce(v, 1, o);
        // Then
        for (Axis a : Axis.values()) {
            assertCurvesEqual(ref.along(a), fft.along(a), 1e-12);
        }
        assertCurvesEqual(ref.radial(), fft.radial(), 1e-12);
        assertArrayEquals(ref.maxLag(), fft.maxLag());
        assertEquals(fft.volumeFraction(), fft.x().value()[0], 1e-12);
        assertEquals(fft.volumeFraction(), fft.radial().value()[0], 1e-12);
    }

    @Test
    void lagLimitsFollowPeriodicity() {
        Volume v = bernoulli(11, 13, 5, 0.5, 3);
        assertArrayEquals(new int[] {5, 6, 2}, TwoPointCorrelation.compute(v, 1,
                new TwoPointCorrelation.Options(true, 100)).maxLag());
        assertArrayEquals(new int[] {10, 12, 4}, TwoPointCorrelation.compute(v, 1,
                new TwoPointCorrelation.Options(false, 100)).maxLag());
        // automatic: half the smallest dimension (5 / 2 = 2)
        assertArrayEquals(new int[] {2, 2, 2}, TwoPointCorrelation.compute(v, 1,
                TwoPointCorrelation.Options.defaults()).maxLag());
    }

    @Test
    void bernoulliTendsToPhiSquared() {
        // Given independent voxels: S2(r > 0) = phi^2 in expectation; each lag averages ~N products with variance
        // phi^2 (1 - phi^2), so the standard error per lag is about 0.01 at N = 64^3 and a radial bin is tighter
        Volume v = bernoulli(64, 64, 64, 0.3, 7);
        for (boolean periodic : new boolean[] {false, true}) {
            TwoPointCorrelation.Result s = TwoPointCorrelation.compute(v, 1, new TwoPointCorrelation.Options(periodic,
                    20));
            double phi = s.volumeFraction();
            assertEquals(0.3, phi, 0.005);
            assertEquals(phi, s.radial().value()[0], 1e-12);
            for (Axis a : Axis.values()) {
                for (int r = 1; r <= 20; r++) {
                    assertEquals(phi * phi, s.along(a).value()[r], 0.004, a + " r=" + r);
                }
            }
            for (int r = 1; r < s.radial().size(); r++) {
                assertEquals(phi * phi, s.radial().value()[r], 0.002, "radial r=" + r);
            }
        }
    }

    @Test
    void stripesHaveTheirAnalyticCorrelation() {
        // Given periodic stripes 3 voxels on, 3 off along x: S2 along x is a triangle wave 0.5 - r/6 for r <= 3
        // (mirrored after), and 0.5 along y and z
        Volume v = Volume.generate(12, 5, 4, (x, y, z) -> (x / 3) % 2 == 0 ? 1 : 0)
                .withVoxelSize(new VoxelSize(0.5, 1, 2));
        TwoPointCorrelation.Result s = TwoPointCorrelation.compute(v, 1, new TwoPointCorrelation.Options(true, 5));
        assertArrayEquals(new double[] {0.5, 2.0 / 6, 1.0 / 6, 0, 1.0 / 6, 2.0 / 6}, s.x().value(), 1e-12);
        assertArrayEquals(new double[] {0, 0.5, 1.0, 1.5, 2.0, 2.5}, s.x().distance(), 1e-12);
        assertArrayEquals(new double[] {0.5, 0.5, 0.5}, s.y().value(), 1e-12);
        assertArrayEquals(new double[] {0, 2}, s.z().distance(), 1e-12);
        assertEquals(LengthUnit.MICROMETRE, s.unit());
        // radial bins are 0.5 um wide and stop at the shortest reach (z: 1 voxel of 2 um) = 4 bins + 0
        assertEquals(5, s.radial().size());
    }

    @Test
    void badAndDegenerateInputs() {
        Volume v = bernoulli(4, 4, 4, 0.5, 1);
        TwoPointCorrelation.Options o = TwoPointCorrelation.Options.defaults();
        assertThrows(IllegalArgumentException.class, () -> TwoPointCorrelation.compute(null, 1, o));
        assertThrows(IllegalArgumentException.class, () -> TwoPointCorrelation.compute(v, 256, o));
        assertThrows(IllegalArgumentException.class, () -> TwoPointCorrelation.compute(v, 1, null));
        assertThrows(IllegalArgumentException.class, () -> new TwoPointCorrelation.Options(false, -1));
        // absent phase: fraction 0 and S2 = 0, never NaN
        TwoPointCorrelation.Result absent = TwoPointCorrelation.compute(v, 9, o);
        assertEquals(0, absent.volumeFraction());
        for (double s : absent.radial().value()) {
            assertEquals(0, s, 1e-15);
        }
        // one voxel: S2(0) = 1, nothing else
        TwoPointCorrelation.Result one = TwoPointCorrelation.compute(Volume.filled(1, 1, 1, 1), 1,
                new TwoPointCorrelation.Options(true, 0));
        assertArrayEquals(new double[] {1}, one.x().value(), 1e-12);
        assertArrayEquals(new double[] {1}, one.radial().value(), 1e-12);
    }
}
