package dev.microforge.generator.field;

import dev.microforge.datasets.FloatVolume;
import dev.microforge.datasets.Volume;
import dev.microforge.evaluator.correlation.Curve;
import org.jtransforms.fft.DoubleFFT_3D;

/** Test helpers: radial power spectrum of a continuous field, and curve comparisons. */
final class FieldSpectra {
    private FieldSpectra() {
    }

    /**
     * Radially averaged {@code |F[f]|^2 / N} of a field, shells of width {@code width} rad/voxel centred on
     * {@code b * width}, up to pi. Returns {k, density}.
     */
    static double[][] radial(FloatVolume f, double width) {
        int nx = f.nx();
        int ny = f.ny();
        int nz = f.nz();
        int n = nx * ny * nz;
        double[] buf = new double[2 * n];
        for (int i = 0; i < n; i++) {
            buf[2 * i] = f.get(i);
        }
        new DoubleFFT_3D(nz, ny, nx).complexForward(buf);
        int bins = (int) Math.floor(Math.PI / width + 1e-9) + 1;
        double[] acc = new double[bins];
        long[] cnt = new long[bins];
        for (int z = 0; z < nz; z++) {
            double kz = 2 * Math.PI * SpectralSynthesis.signed(z, nz) / nz;
            for (int y = 0; y < ny; y++) {
                double ky = 2 * Math.PI * SpectralSynthesis.signed(y, ny) / ny;
                for (int x = 0; x < nx; x++) {
                    double kx = 2 * Math.PI * SpectralSynthesis.signed(x, nx) / nx;
                    int b = (int) Math.round(Math.sqrt(kx * kx + ky * ky + kz * kz) / width);
                    if (b < bins) {
                        int i = x + nx * (y + ny * z);
                        acc[b] += (buf[2 * i] * buf[2 * i] + buf[2 * i + 1] * buf[2 * i + 1]) / n;
                        cnt[b]++;
                    }
                }
            }
        }
        double[] k = new double[bins];
        for (int b = 0; b < bins; b++) {
            k[b] = b * width;
            acc[b] = cnt[b] > 0 ? acc[b] / cnt[b] : 0;
        }
        return new double[][] {k, acc};
    }

    /**
     * Relative L2 error between a measured and a target density after scaling both to unit sum over bins 1..last:
     * {@code ||m/sum(m) - t/sum(t)|| / ||t/sum(t)||}.
     */
    static double relativeShapeError(double[] measured, double[] target) {
        double sm = 0;
        double st = 0;
        for (int b = 1; b < measured.length; b++) {
            sm += measured[b];
            st += target[b];
        }
        double num = 0;
        double den = 0;
        for (int b = 1; b < measured.length; b++) {
            double d = measured[b] / sm - target[b] / st;
            num += d * d;
            den += (target[b] / st) * (target[b] / st);
        }
        return Math.sqrt(num / den);
    }

    /** Root mean square difference of two curves over their common points. */
    static double rmse(Curve a, Curve b) {
        int m = Math.min(a.size(), b.size());
        double s = 0;
        for (int i = 0; i < m; i++) {
            double d = a.value()[i] - b.value()[i];
            s += d * d;
        }
        return Math.sqrt(s / m);
    }

    /** Fraction of voxels with label {@code l}. */
    static double fraction(Volume v, int l) {
        return v.labelCounts()[l] / (double) v.voxelCount();
    }
}
