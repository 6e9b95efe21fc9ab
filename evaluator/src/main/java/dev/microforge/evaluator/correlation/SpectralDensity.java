package dev.microforge.evaluator.correlation;

import dev.microforge.datasets.Axis;
import dev.microforge.datasets.MemoryBudget;
import dev.microforge.datasets.Volume;
import dev.microforge.evaluator.geometry.Inputs;
import dev.microforge.evaluator.geometry.LengthUnit;
import java.util.Locale;
import org.jtransforms.fft.DoubleFFT_3D;

/**
 * Spectral density of a phase, {@code chi(k) = |F[I - phi](k)|^2 / N}, the Fourier transform of the autocovariance
 * {@code S2(r) - phi^2} (Debye and Bueche, J. Appl. Phys. 20 (1949) 518; Torquato, Random Heterogeneous Materials,
 * 2002, eq. 2.24; Jiao, Stillinger and Torquato, Phys. Rev. E 77 (2008) 031135 for its use in reconstruction), and
 * the correlation length derived from it.
 *
 * <p>The volume is taken as periodic (no window is applied). Wavenumbers are angular, {@code k_i = 2 pi m_i /
 * (n_i d_i)} for {@code m_i = 0..n_i/2}, in rad/um (rad/voxel when the voxel size is unknown). The density is
 * dimensionless per voxel ({@code |F|^2 / N}; multiply by the voxel volume for um^3). Parseval: summed over all
 * {@code N} modes it equals {@code N phi (1 - phi)}, reported as {@link Result#totalPower()}. Reported along the
 * kx, ky and kz axes and radially averaged over shells {@code |k|} of width {@code dk = min_i 2 pi / (n_i d_i)}
 * (the finest spacing) up to the smallest Nyquist wavenumber {@code pi / d_i}, so every shell is complete.
 *
 * <p>Correlation length: the inverse transform of {@code chi} is the periodic autocovariance {@code C(r)}; with
 * {@code f(r) = C(r) / C(0)} radially averaged, the integral length scale {@code xi = integral_0^r0 f(r) dr} up to
 * its first zero crossing {@code r0} (trapezoidal rule, the crossing linearly interpolated), or up to the largest
 * radius when {@code f} does not cross zero. A uniform volume ({@code phi = 0} or 1) has no fluctuation; 0 is
 * reported for both lengths.
 *
 * <p>Memory: one complex buffer, 16 bytes per voxel (268 MB at 256^3), checked up front.
 */
public final class SpectralDensity {
    private SpectralDensity() {
    }

    /**
     * Options.
     *
     * @param binWidth width of the radial |k| shells in the result's wavenumber unit, 0 for the finest spacing
     */
    public record Options(double binWidth) {
        public Options {
            if (!(binWidth >= 0) || Double.isInfinite(binWidth)) {
                throw new IllegalArgumentException("binWidth must be 0 (automatic) or a positive wavenumber, got "
                        + binWidth);
            }
        }

        /** Automatic shell width. */
        public static Options defaults() {
            return new Options(0);
        }
    }

    /**
     * Spectral density of one phase.
     *
     * @param phase the label value
     * @param volumeFraction phi
     * @param unit length unit (wavenumbers in rad per unit)
     * @param radial density averaged over |k| shells (shell centres)
     * @param x density along the kx axis, {@code k = 0..pi/dx} (likewise y, z)
     * @param totalPower sum of the density over all modes, {@code = N phi (1 - phi)}
     * @param peakWavenumber the |k| shell of largest density (0 for a uniform volume)
     * @param autocovariance {@code f(r) = (S2(r) - phi^2) / (phi - phi^2)}, radially averaged
     * @param correlationLength integral length scale xi, unit
     * @param integrationLimit the radius xi was integrated to (first zero crossing, or the largest radius)
     * @param crossesZero whether f crosses zero within the radii computed
     */
    public record Result(int phase, double volumeFraction, LengthUnit unit, Spectrum radial, Spectrum x, Spectrum y,
            Spectrum z, double totalPower, double peakWavenumber, Curve autocovariance, double correlationLength,
            double integrationLimit, boolean crossesZero) {
        /** The spectrum along the k axis of {@code axis}. */
        public Spectrum along(Axis axis) {
            return axis == Axis.X ? x : axis == Axis.Y ? y : z;
        }
    }

    /**
     * Spectral density and correlation length of {@code phase}.
     *
     * @throws IllegalArgumentException for a null volume or options or a label outside 0..255
     * @throws dev.microforge.datasets.VolumeTooLargeException when the complex buffer does not fit the heap
     */
    public static Result compute(Volume volume, int phase, Options options) {
        Inputs.volume(volume);
        Inputs.phase(phase);
        if (options == null) {
            throw new IllegalArgumentException("options are required; use SpectralDensity.Options.defaults()");
        }
        int nx = volume.nx();
        int ny = volume.ny();
        int nz = volume.nz();
        int[] n = {nx, ny, nz};
        long count = volume.voxelCount();
        double phi = volume.labelCounts()[phase] / (double) count;
        // JTransforms needs sizes above 1: a size-1 axis is doubled by repetition (its only wavenumber is 0, and the
        // repeated copy keeps every k of the others with twice the amplitude, corrected by the factor below)
        int[] len = {Math.max(2, nx), Math.max(2, ny), Math.max(2, nz)};
        long cells = (long) len[0] * len[1] * len[2];
        MemoryBudget.require(2 * cells, 8, String.format(Locale.ROOT,
                "the %dx%dx%d complex FFT buffer of the spectral density", len[0], len[1], len[2]));
        double[] buf = new double[(int) (2 * cells)];
        for (int z = 0; z < len[2]; z++) {
            for (int y = 0; y < len[1]; y++) {
                for (int x = 0; x < len[0]; x++) {
                    int i = (x % nx) + nx * ((y % ny) + ny * (z % nz));
                    buf[x + len[0] * (y + len[1] * z)] = (volume.get(i) == phase ? 1 : 0) - phi;
                }
            }
        }
        double repeat = cells / (double) count; // 1, 2, 4 or 8
        DoubleFFT_3D fft = new DoubleFFT_3D(len[2], len[1], len[0]);
        fft.realForwardFull(buf);
        // |F|^2 / N, with the repetition's amplitude factor removed (|F_rep|^2 = repeat^2 |F|^2 at the kept modes)
        double scale = 1.0 / (count * repeat * repeat);
        for (int i = 0; i < buf.length; i += 2) {
            double re = buf[i];
            double im = buf[i + 1];
            buf[i] = (re * re + im * im) * scale;
            buf[i + 1] = 0;
        }
        double[] e = LengthUnit.edges(volume);
        // modes of the original grid sit at multiples of (len / n) in a repeated axis
        int[] step = {len[0] / nx, len[1] / ny, len[2] / nz};
        double total = 0;
        for (int mz = 0; mz < nz; mz++) {
            for (int my = 0; my < ny; my++) {
                for (int mx = 0; mx < nx; mx++) {
                    total += buf[2 * (mx * step[0] + len[0] * (my * step[1] + len[1] * mz * step[2]))];
                }
            }
        }
        Spectrum[] axes = new Spectrum[3];
        for (int a = 0; a < 3; a++) {
            int m = n[a] / 2 + 1;
            double[] k = new double[m];
            double[] d = new double[m];
            for (int j = 0; j < m; j++) {
                k[j] = 2 * Math.PI * j / (n[a] * e[a]);
                int[] idx = new int[3];
                idx[a] = j * step[a];
                d[j] = buf[2 * (idx[0] + len[0] * (idx[1] + len[1] * idx[2]))];
            }
            axes[a] = new Spectrum(k, d);
        }
        Spectrum radial = radial(buf, n, len, step, e, options.binWidth());
        double peak = 0;
        double best = 0;
        for (int b = 1; b < radial.k().length; b++) {
            if (radial.density()[b] > best) {
                best = radial.density()[b];
                peak = radial.k()[b];
            }
        }
        // autocovariance: inverse transform of chi gives sum-normalised C(r) on the (repeated) grid
        fft.complexInverse(buf, true);
        LagBox box = new LagBox(nx, ny, nz, LagBox.radii(volume, 0, true), true);
        for (int dz = -box.rz; dz <= box.rz; dz++) {
            for (int dy = -box.ry; dy <= box.ry; dy++) {
                for (int dx = -box.rx; dx <= box.rx; dx++) {
                    int i = Math.floorMod(dx, len[0]) + len[0] * (Math.floorMod(dy, len[1])
                            + len[1] * Math.floorMod(dz, len[2]));
                    // inverse of |F|^2/N over the repeated grid = C(r) * N / cells ... times repeat^2 removed above
                    box.sum[box.index(dx, dy, dz)] = buf[2 * i] * count * repeat;
                }
            }
        }
        double variance = phi * (1 - phi);
        Curve cov = box.radial(e);
        double[] f = cov.value().clone();
        for (int b = 0; b < f.length; b++) {
            f[b] = variance > 0 ? f[b] / variance : 0;
        }
        Curve normalised = new Curve(cov.distance(), f);
        double xi = 0;
        double limit = 0;
        boolean crosses = false;
        if (variance > 0) {
            double[] r = normalised.distance();
            limit = r[r.length - 1];
            for (int b = 1; b < f.length; b++) {
                if (f[b] <= 0) {
                    double t = f[b - 1] / (f[b - 1] - f[b]);
                    double r0 = r[b - 1] + t * (r[b] - r[b - 1]);
                    xi += 0.5 * f[b - 1] * (r0 - r[b - 1]);
                    limit = r0;
                    crosses = true;
                    break;
                }
                xi += 0.5 * (f[b - 1] + f[b]) * (r[b] - r[b - 1]);
            }
        }
        return new Result(phase, phi, LengthUnit.of(volume), radial, axes[0], axes[1], axes[2], total, peak,
                normalised, xi, limit, crosses);
    }

    private static Spectrum radial(double[] buf, int[] n, int[] len, int[] step, double[] e, double width) {
        double dk = Double.POSITIVE_INFINITY;
        double kmax = Double.POSITIVE_INFINITY;
        for (int a = 0; a < 3; a++) {
            if (n[a] > 1) {
                dk = Math.min(dk, 2 * Math.PI / (n[a] * e[a]));
                kmax = Math.min(kmax, Math.PI / e[a]);
            }
        }
        if (dk == Double.POSITIVE_INFINITY) {
            return new Spectrum(new double[] {0}, new double[] {buf[0]});
        }
        if (width > 0) {
            dk = width;
        }
        int bins = (int) Math.floor(kmax / dk + 1e-9) + 1;
        double[] acc = new double[bins];
        long[] cnt = new long[bins];
        for (int mz = 0; mz < n[2]; mz++) {
            double kz = 2 * Math.PI * (mz <= n[2] / 2 ? mz : mz - n[2]) / (n[2] * e[2]);
            for (int my = 0; my < n[1]; my++) {
                double ky = 2 * Math.PI * (my <= n[1] / 2 ? my : my - n[1]) / (n[1] * e[1]);
                for (int mx = 0; mx < n[0]; mx++) {
                    double kx = 2 * Math.PI * (mx <= n[0] / 2 ? mx : mx - n[0]) / (n[0] * e[0]);
                    int b = (int) Math.round(Math.sqrt(kx * kx + ky * ky + kz * kz) / dk);
                    if (b < bins) {
                        acc[b] += buf[2 * (mx * step[0] + len[0] * (my * step[1] + len[1] * mz * step[2]))];
                        cnt[b]++;
                    }
                }
            }
        }
        double[] k = new double[bins];
        for (int b = 0; b < bins; b++) {
            k[b] = b * dk;
            acc[b] = cnt[b] > 0 ? acc[b] / cnt[b] : 0;
        }
        return new Spectrum(k, acc);
    }
}
