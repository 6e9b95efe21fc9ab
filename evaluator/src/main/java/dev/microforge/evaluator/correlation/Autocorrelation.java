package dev.microforge.evaluator.correlation;

import dev.microforge.datasets.MemoryBudget;
import java.util.Locale;
import org.jtransforms.fft.DoubleFFT_3D;

/**
 * Autocorrelation sums {@code sum_p f(p) f(p + d)} of a real field into a {@link LagBox}, by FFT (Wiener-Khinchin:
 * the inverse transform of {@code |F|^2}) or directly (the reference).
 *
 * <p>FFT layout: the field is written into the first {@code Lx*Ly*Lz} doubles of a {@code 2*Lx*Ly*Lz} buffer, index
 * {@code x + Lx*(y + Ly*z)}, as JTransforms {@code DoubleFFT_3D(Lz, Ly, Lx).realForwardFull} expects. A circular
 * axis has {@code L = m} (periodic wrap-around is wanted). Any other axis is zero-padded to
 * {@code L >= m + r} (rounded up to a 2-3-5-7-smooth size for speed): lags up to {@code r} then never meet their
 * wrapped images, since a lag {@code d <= r} aliases only with {@code d - L <= -m}, which has no pairs. Padding by
 * the lag limit {@code r} instead of by {@code m} keeps a 256^3 non-periodic S2 with r = 128 at 384^3 instead of
 * 512^3 (0.9 GB instead of 2.1 GB of doubles).
 *
 * <p>Memory: {@code 16 * Lx*Ly*Lz} bytes, checked with {@link MemoryBudget#require} before allocating. Time: two
 * 3D complex transforms of that size ({@code O(L log L)}), threaded by JTransforms (thread count is JTransforms'
 * global setting, {@code ConcurrencyUtils.setNumberOfThreads}).
 */
final class Autocorrelation {
    private Autocorrelation() {
    }

    /** Writes a field of size {@code (mx, my, mz)} into a buffer with row length {@code lx} and plane {@code lx*ly}. */
    interface FieldWriter {
        void write(double[] buffer, int lx, int ly);
    }

    /**
     * Adds the autocorrelation sums of a field of size {@code (mx, my, mz)} to {@code box}.
     *
     * @param circular per axis, whether the field wraps (periodic) along it
     */
    static void addFft(LagBox box, int mx, int my, int mz, boolean[] circular, FieldWriter writer, String what) {
        int[] m = {mx, my, mz};
        int[] r = box.radii();
        int[] len = new int[3];
        for (int i = 0; i < 3; i++) {
            len[i] = circular[i] ? m[i] : smoothSize(m[i] + r[i]);
            // JTransforms' 3D transforms need every size above 1; a size-1 axis has r = 0 (only lag 0 is read),
            // which a zero-padded second plane leaves unchanged
            len[i] = Math.max(2, len[i]);
        }
        long cells = (long) len[0] * len[1] * len[2];
        MemoryBudget.require(2 * cells, 8, String.format(Locale.ROOT,
                "the %dx%dx%d complex FFT buffer of %s", len[0], len[1], len[2], what));
        double[] buf = new double[(int) (2 * cells)];
        writer.write(buf, len[0], len[1]);
        DoubleFFT_3D fft = new DoubleFFT_3D(len[2], len[1], len[0]);
        fft.realForwardFull(buf);
        // power spectrum: 2 reads, 2 writes per complex cell
        for (int i = 0; i < buf.length; i += 2) {
            double re = buf[i];
            double im = buf[i + 1];
            buf[i] = re * re + im * im;
            buf[i + 1] = 0;
        }
        fft.complexInverse(buf, true);
        for (int dz = -r[2]; dz <= r[2]; dz++) {
            int iz = Math.floorMod(dz, len[2]);
            for (int dy = -r[1]; dy <= r[1]; dy++) {
                int iy = Math.floorMod(dy, len[1]);
                for (int dx = -r[0]; dx <= r[0]; dx++) {
                    int ix = Math.floorMod(dx, len[0]);
                    box.sum[box.index(dx, dy, dz)] += buf[2 * (ix + len[0] * (iy + len[1] * iz))];
                }
            }
        }
    }

    /** Adds the sums of a field of the box's volume size by direct summation: {@code O(N * lags)}, the reference. */
    static void addDirect(LagBox box, double[] f) {
        int nx = box.nx;
        int ny = box.ny;
        int nz = box.nz;
        for (int dz = -box.rz; dz <= box.rz; dz++) {
            for (int dy = -box.ry; dy <= box.ry; dy++) {
                for (int dx = -box.rx; dx <= box.rx; dx++) {
                    double s = 0;
                    for (int z = 0; z < nz; z++) {
                        int zz = z + dz;
                        if (box.periodic) {
                            zz = Math.floorMod(zz, nz);
                        } else if (zz < 0 || zz >= nz) {
                            continue;
                        }
                        for (int y = 0; y < ny; y++) {
                            int yy = y + dy;
                            if (box.periodic) {
                                yy = Math.floorMod(yy, ny);
                            } else if (yy < 0 || yy >= ny) {
                                continue;
                            }
                            for (int x = 0; x < nx; x++) {
                                int xx = x + dx;
                                if (box.periodic) {
                                    xx = Math.floorMod(xx, nx);
                                } else if (xx < 0 || xx >= nx) {
                                    continue;
                                }
                                s += f[x + nx * (y + ny * z)] * f[xx + nx * (yy + ny * zz)];
                            }
                        }
                    }
                    box.sum[box.index(dx, dy, dz)] += s;
                }
            }
        }
    }

    /** Smallest size {@code >= n} with no prime factor above 7 (fast JTransforms mixed-radix sizes). */
    static int smoothSize(int n) {
        for (int s = Math.max(1, n);; s++) {
            int t = s;
            for (int p : new int[] {2, 3, 5, 7}) {
                while (t % p == 0) {
                    t /= p;
                }
            }
            if (t == 1) {
                return s;
            }
        }
    }
}
