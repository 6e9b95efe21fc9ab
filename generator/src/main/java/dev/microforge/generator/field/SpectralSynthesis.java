package dev.microforge.generator.field;

import dev.microforge.datasets.MemoryBudget;
import dev.microforge.datasets.Volume;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.stream.IntStream;
import org.jtransforms.fft.DoubleFFT_3D;

/**
 * Periodic Gaussian random field by filtering white noise in Fourier space: complex white noise {@code W(m)} on the
 * {@code nz x ny x nx} mode lattice is multiplied by a real, even amplitude {@code A(m)} and inverse transformed;
 * the real part {@code f(r) = Re sum_m A(m) W(m) exp(i k_m . r)} is a stationary Gaussian field with covariance
 * {@code C(r) ~ sum_m A(m)^2 cos(k_m . r)}, i.e. spectral density {@code A^2}. Shared by
 * {@link GaussianRandomField} (FFT method) and {@link FourierReconstruction}.
 *
 * <p>Layout: x fastest, {@code x + nx*(y + ny*z)}, JTransforms {@code DoubleFFT_3D(nz, ny, nx)} interleaved complex.
 * Mode numbers are signed, {@code m in (-n/2, n/2]}, wavenumber {@code k = 2 pi m / n} rad/voxel. Memory: one
 * complex buffer, 16 bytes per voxel (268 MB at 256^3), checked up front. Noise: one {@link SplittableRandom} per z
 * slab, split sequentially from {@code seed}, so the result does not depend on the thread count.
 */
final class SpectralSynthesis {
    private SpectralSynthesis() {
    }

    /** Amplitude at signed mode numbers (must be even: {@code A(-m) = A(m)}). */
    interface ModeAmplitude {
        double at(int mx, int my, int mz);
    }

    /** Signed mode number of FFT index {@code i} on an axis of {@code n} points. */
    static int signed(int i, int n) {
        return i <= n / 2 ? i : i - n;
    }

    /** Checks that JTransforms can take the grid (every size at least 2) and the buffer fits. */
    static long checkGrid(int nx, int ny, int nz, String what) {
        if (nx < 2 || ny < 2 || nz < 2) {
            throw new IllegalArgumentException(String.format(Locale.ROOT,
                    "%s needs every dimension to be at least 2, got %d x %d x %d", what, nx, ny, nz));
        }
        long n = Volume.checkDimensions(nx, ny, nz, 1);
        MemoryBudget.require(2 * n, 8, String.format(Locale.ROOT, "the %dx%dx%d complex FFT buffer of %s", nx, ny,
                nz, what));
        return n;
    }

    /**
     * Filtered white noise, returned with mean 0 and variance 1 (empirical), x fastest.
     *
     * <p>Cost: one complex 3D FFT ({@code 5 n log2 n} flops) plus 2 Gaussian draws per voxel.
     */
    static float[] filteredNoise(int nx, int ny, int nz, ModeAmplitude amplitude, long seed) {
        long n = checkGrid(nx, ny, nz, "a Gaussian random field");
        double[] buf = new double[(int) (2 * n)];
        SplittableRandom root = new SplittableRandom(seed);
        SplittableRandom[] slab = new SplittableRandom[nz];
        for (int z = 0; z < nz; z++) {
            slab[z] = root.split();
        }
        IntStream.range(0, nz).parallel().forEach(z -> {
            SplittableRandom rng = slab[z];
            int mz = signed(z, nz);
            for (int y = 0; y < ny; y++) {
                int my = signed(y, ny);
                int row = 2 * nx * (y + ny * z);
                for (int x = 0; x < nx; x++) {
                    double a = amplitude.at(signed(x, nx), my, mz);
                    double g1 = rng.nextGaussian();
                    double g2 = rng.nextGaussian();
                    buf[row + 2 * x] = a * g1;
                    buf[row + 2 * x + 1] = a * g2;
                }
            }
        });
        buf[0] = 0; // zero mean
        buf[1] = 0;
        new DoubleFFT_3D(nz, ny, nx).complexInverse(buf, false);
        float[] out = new float[(int) n];
        double sum = 0;
        double sq = 0;
        for (int i = 0; i < n; i++) {
            double v = buf[2 * i];
            sum += v;
            sq += v * v;
        }
        double mean = sum / n;
        double var = sq / n - mean * mean;
        double inv = var > 0 ? 1 / Math.sqrt(var) : 0;
        for (int i = 0; i < n; i++) {
            out[i] = (float) ((buf[2 * i] - mean) * inv);
        }
        return out;
    }

    /** The largest field value of each label band but the last: the levels a level cut used. */
    static double[] levels(float[] field, Volume labels, int phases) {
        double[] max = new double[phases - 1];
        java.util.Arrays.fill(max, Double.NEGATIVE_INFINITY);
        for (int i = 0; i < field.length; i++) {
            int l = labels.get(i);
            if (l < phases - 1 && field[i] > max[l]) {
                max[l] = field[i];
            }
        }
        return max;
    }
}
