package dev.microforge.generator.field;

import dev.microforge.datasets.FloatVolume;
import dev.microforge.datasets.MemoryBudget;
import dev.microforge.datasets.Volume;
import dev.microforge.datasets.VoxelSize;
import dev.microforge.generator.LevelCut;
import java.util.Arrays;
import java.util.Locale;
import org.apache.commons.math3.distribution.NormalDistribution;
import org.jtransforms.fft.DoubleFFT_3D;

/**
 * Fourier (linear time-invariant filter) reconstruction of a 2- or 3-phase microstructure from a target image
 * (Iyer, Dey, Xiong, Wang, Chen, Qian, Yang and Chen, "Fourier transform-based stochastic reconstruction", the
 * seed document's eq. 9): white Gaussian noise is filtered by the amplitude of the target's spectrum,
 * {@code f = F^-1[ sqrt(S(k)) W(k) ]}, with {@code S = |F[s - <s>]|^2} the spectral density of the exemplar's signal
 * {@code s}, then level-cut to the exemplar's phase fractions.
 *
 * <p>Steps: (1) the exemplar's normalised autocovariance {@code g(r) = C(r) / C(0)}, {@code C = F^-1 |F[s - <s>]|^2
 * / N} (periodic, lags in voxels); (2) the target covariance on the output grid: {@link Mode#ANISOTROPIC} copies
 * {@code g} lag by lag (3D exemplar: the full anisotropic spectrum; lags beyond the exemplar's half size are 0),
 * {@link Mode#ISOTROPIC} averages {@code g} over lags of equal length {@code |r|} (unit bins, up to half the smallest
 * exemplar dimension larger than 1) and spreads it over the output lattice by {@code |r|}: for a 2D exemplar this is
 * the stereologically correct extension to 3D, because the covariance of a plane section of an isotropic medium
 * equals the medium's; (3) optional threshold correction (2 phases): the level cut of a unit Gaussian field at
 * {@code t = Phi^-1(1 - phi)} has indicator covariance {@code C_I(rho) = (1/2pi) int_0^asin(rho) exp(-t^2/(1 +
 * sin u)) du} for Gaussian correlation {@code rho}; {@code g} is mapped through the inverse of {@code C_I / (phi (1 -
 * phi))} so that the cut field, not the Gaussian one, carries the target covariance (Quiblier, J. Colloid Interface
 * Sci. 98 (1984) 84; Adler, Jacquin and Quiblier, Int. J. Multiphase Flow 16 (1990) 691). Without it the method is
 * Iyer's plain LTI filter, whose cut field is less correlated than the target; (4) {@code S = F[g]}, negative values
 * set to 0, amplitude {@code sqrt(S)} applied to complex white noise, inverse FFT (periodic); (5)
 * {@link LevelCut#toFractions} to the fractions.
 *
 * <p>Signal and phases: the exemplar's labels must be {@code 0..P-1} with {@code P} = 2 or 3. The signal is the
 * label value itself (for 2 phases the indicator of label 1). Three phases are cut from the one field at two
 * quantiles; limitation: this assumes the phases are ordered (phase 1 always lies between 0 and 2, e.g. a coating or
 * CBD between pore and active material), contacts between 0 and 2 are under-represented, and the individual
 * phases' S2 are only approximated; the threshold correction is not applied for 3 phases.
 *
 * <p>Axes, units, layout: lags and wavenumbers in voxels (rad/voxel), x fastest. Periodic output, every output
 * dimension at least 2; a 2D exemplar has {@code nz = 1} (only {@link Mode#ISOTROPIC}). Memory: 16 bytes per
 * exemplar voxel and 16 + 8 bytes per output voxel, checked up front.
 */
public final class FourierReconstruction {
    private FourierReconstruction() {
    }

    /** How the exemplar's correlations are carried to the output grid. */
    public enum Mode {
        /** Radially averaged covariance (2D or 3D exemplar). */
        ISOTROPIC,
        /** Full covariance, lag by lag (3D exemplar). */
        ANISOTROPIC
    }

    /**
     * Options.
     *
     * @param mode {@link Mode#ISOTROPIC} (default) or {@link Mode#ANISOTROPIC}
     * @param thresholdCorrection map the target covariance through the inverse threshold transform (2 phases only;
     *     default true); false gives Iyer's plain LTI filter
     * @param fractions target fractions of labels 0..P-1, or null to take the exemplar's
     */
    public record Options(Mode mode, boolean thresholdCorrection, double[] fractions) {
        public Options {
            if (mode == null) {
                throw new IllegalArgumentException("mode is required: ISOTROPIC or ANISOTROPIC");
            }
            if (fractions != null) {
                LevelCut.checkFractions(fractions);
                if (fractions.length > 3) {
                    throw new IllegalArgumentException("Fourier reconstruction cuts 2 or 3 phases, got fractions "
                            + Arrays.toString(fractions));
                }
                fractions = fractions.clone();
            }
        }

        /** Isotropic, threshold-corrected, the exemplar's fractions. */
        public static Options defaults() {
            return new Options(Mode.ISOTROPIC, true, null);
        }
    }

    /**
     * A reconstruction.
     *
     * @param phases labels 0..P-1, {@code nx x ny x nz}
     * @param field the filtered Gaussian field before the cut (mean 0, variance 1)
     * @param fractions the fractions cut to
     * @param levels the cut levels (largest field value of each band but the last)
     * @param exemplarCorrelationLength integral of the exemplar's radial {@code g(r)} up to its first zero, voxels
     * @param seed the seed used
     */
    public record Result(Volume phases, FloatVolume field, double[] fractions, double[] levels,
            double exemplarCorrelationLength, long seed) {
    }

    /**
     * Reconstructs an {@code nx x ny x nz} volume from {@code exemplar}.
     *
     * @throws IllegalArgumentException for a null exemplar or options, labels other than 0..P-1 with P = 2 or 3,
     *     fractions of another phase count, a uniform exemplar, an anisotropic request from a 2D exemplar, or an
     *     output dimension below 2
     */
    public static Result reconstruct(Volume exemplar, int nx, int ny, int nz, Options options, VoxelSize voxelSize,
            long seed) {
        if (exemplar == null || options == null) {
            throw new IllegalArgumentException("exemplar and options are required; use Options.defaults()");
        }
        long[] counts = exemplar.labelCounts();
        int phases = 0;
        for (int l = 0; l < counts.length; l++) {
            if (counts[l] > 0) {
                if (l != phases) {
                    throw new IllegalArgumentException("exemplar labels must be 0..P-1 (P = 2 or 3), found "
                            + exemplar.labelHistogram().keySet() + "; remap them first (Volume.remap)");
                }
                phases++;
            }
        }
        if (phases < 2 || phases > 3) {
            throw new IllegalArgumentException("exemplar must hold 2 or 3 phases (labels 0..P-1), found "
                    + exemplar.labelHistogram().keySet());
        }
        double[] fractions = options.fractions();
        if (fractions == null) {
            fractions = new double[phases];
            for (int l = 0; l < phases; l++) {
                fractions[l] = counts[l] / (double) exemplar.voxelCount();
            }
        } else if (fractions.length != phases) {
            throw new IllegalArgumentException("exemplar has " + phases + " phases but " + fractions.length
                    + " fractions were given: " + Arrays.toString(fractions));
        }
        boolean planar = exemplar.nx() == 1 || exemplar.ny() == 1 || exemplar.nz() == 1;
        if (options.mode() == Mode.ANISOTROPIC && planar) {
            throw new IllegalArgumentException("ANISOTROPIC needs a 3D exemplar, got " + exemplar.nx() + " x "
                    + exemplar.ny() + " x " + exemplar.nz() + "; use ISOTROPIC for a 2D exemplar");
        }
        long n = SpectralSynthesis.checkGrid(nx, ny, nz, "a Fourier reconstruction");
        Covariance ex = exemplarCovariance(exemplar);
        double[] radial = ex.radial();
        double xi = 0;
        for (int b = 1; b < radial.length && radial[b - 1] > 0; b++) {
            xi += radial[b] > 0 ? 0.5 * (radial[b - 1] + radial[b]) : 0.5 * radial[b - 1] * radial[b - 1]
                    / (radial[b - 1] - radial[b]);
        }
        // target Gaussian covariance on the output lattice (complex buffer, imaginary 0)
        MemoryBudget.require(2 * n + n, 8, String.format(Locale.ROOT,
                "the %dx%dx%d covariance buffer and amplitudes of a Fourier reconstruction", nx, ny, nz));
        double[] buf = new double[(int) (2 * n)];
        Transform transform = phases == 2 && options.thresholdCorrection() ? new Transform(fractions[1]) : null;
        for (int z = 0; z < nz; z++) {
            int dz = SpectralSynthesis.signed(z, nz);
            for (int y = 0; y < ny; y++) {
                int dy = SpectralSynthesis.signed(y, ny);
                for (int x = 0; x < nx; x++) {
                    int dx = SpectralSynthesis.signed(x, nx);
                    double g = options.mode() == Mode.ANISOTROPIC ? ex.at(dx, dy, dz)
                            : ex.radialAt(Math.sqrt((double) dx * dx + (double) dy * dy + (double) dz * dz));
                    buf[2 * (x + nx * (y + ny * z))] = transform == null ? g : transform.gaussianCorrelation(g);
                }
            }
        }
        new DoubleFFT_3D(nz, ny, nx).complexForward(buf);
        float[] amp = new float[(int) n];
        for (int i = 0; i < n; i++) {
            amp[i] = (float) Math.sqrt(Math.max(0, buf[2 * i]));
        }
        buf = null; // free before the synthesis buffer
        float[] field = SpectralSynthesis.filteredNoise(nx, ny, nz, (mx, my, mz) -> amp[Math.floorMod(mx, nx)
                + nx * (Math.floorMod(my, ny) + ny * Math.floorMod(mz, nz))], seed);
        VoxelSize vs = voxelSize == null ? VoxelSize.UNKNOWN : voxelSize;
        Volume out = LevelCut.toFractions(field, nx, ny, nz, fractions, vs);
        return new Result(out, FloatVolume.of(nx, ny, nz, field, vs), fractions.clone(),
                SpectralSynthesis.levels(field, out, phases), xi, seed);
    }

    /** The exemplar's periodic normalised autocovariance on its own grid (size-1 axes repeated to 2). */
    private record Covariance(int[] len, int[] n, double[] g, double[] radial) {
        double at(int dx, int dy, int dz) {
            if (2 * Math.abs(dx) > len[0] || 2 * Math.abs(dy) > len[1] || 2 * Math.abs(dz) > len[2]) {
                return 0;
            }
            int i = Math.floorMod(dx, len[0]) + len[0] * (Math.floorMod(dy, len[1]) + len[1] * Math.floorMod(dz,
                    len[2]));
            return g[2 * i];
        }

        double radialAt(double r) {
            int b = (int) Math.floor(r);
            if (b >= radial.length - 1) {
                return b == radial.length - 1 && r == b ? radial[b] : 0;
            }
            double t = r - b;
            return radial[b] + t * (radial[b + 1] - radial[b]);
        }
    }

    private static Covariance exemplarCovariance(Volume v) {
        int[] n = {v.nx(), v.ny(), v.nz()};
        int[] len = {Math.max(2, n[0]), Math.max(2, n[1]), Math.max(2, n[2])};
        long cells = (long) len[0] * len[1] * len[2];
        MemoryBudget.require(2 * cells, 8, "the exemplar's complex FFT buffer");
        double mean = 0;
        for (int i = 0; i < v.voxelCount(); i++) {
            mean += v.get(i);
        }
        mean /= v.voxelCount();
        double[] buf = new double[(int) (2 * cells)];
        for (int z = 0; z < len[2]; z++) {
            for (int y = 0; y < len[1]; y++) {
                for (int x = 0; x < len[0]; x++) {
                    buf[2 * (x + len[0] * (y + len[1] * z))] = v.get(x % n[0], y % n[1], z % n[2]) - mean;
                }
            }
        }
        DoubleFFT_3D fft = new DoubleFFT_3D(len[2], len[1], len[0]);
        fft.complexForward(buf);
        for (int i = 0; i < buf.length; i += 2) {
            buf[i] = buf[i] * buf[i] + buf[i + 1] * buf[i + 1];
            buf[i + 1] = 0;
        }
        fft.complexInverse(buf, true);
        double c0 = buf[0];
        if (!(c0 > 1e-12)) {
            throw new IllegalArgumentException("exemplar is uniform (one phase): nothing to reconstruct");
        }
        for (int i = 0; i < buf.length; i += 2) {
            buf[i] /= c0;
        }
        // radial average over lags within half the smallest non-trivial dimension
        int rmax = Integer.MAX_VALUE;
        for (int a = 0; a < 3; a++) {
            if (n[a] > 1) {
                rmax = Math.min(rmax, n[a] / 2);
            }
        }
        double[] acc = new double[rmax + 1];
        long[] cnt = new long[rmax + 1];
        int[] h = {n[0] > 1 ? n[0] / 2 : 0, n[1] > 1 ? n[1] / 2 : 0, n[2] > 1 ? n[2] / 2 : 0};
        for (int dz = -h[2]; dz <= h[2]; dz++) {
            for (int dy = -h[1]; dy <= h[1]; dy++) {
                for (int dx = -h[0]; dx <= h[0]; dx++) {
                    int b = (int) Math.round(Math.sqrt((double) dx * dx + (double) dy * dy + (double) dz * dz));
                    if (b <= rmax) {
                        int i = Math.floorMod(dx, len[0]) + len[0] * (Math.floorMod(dy, len[1])
                                + len[1] * Math.floorMod(dz, len[2]));
                        acc[b] += buf[2 * i];
                        cnt[b]++;
                    }
                }
            }
        }
        for (int b = 0; b <= rmax; b++) {
            acc[b] = cnt[b] > 0 ? acc[b] / cnt[b] : 0;
        }
        return new Covariance(len, n, buf, acc);
    }

    /**
     * Normalised indicator covariance of the level cut {@code f > t} of a unit Gaussian field as a function of the
     * Gaussian correlation rho, tabulated and inverted.
     */
    static final class Transform {
        private final double[] rho = new double[2001];
        private final double[] h = new double[2001];

        Transform(double upperFraction) {
            double phi = Math.min(Math.max(upperFraction, 1e-9), 1 - 1e-9);
            double t = new NormalDistribution().inverseCumulativeProbability(1 - phi);
            double var = phi * (1 - phi);
            for (int j = 0; j < rho.length; j++) {
                rho[j] = -1 + 2.0 * j / (rho.length - 1);
                h[j] = indicatorCovariance(t, rho[j]) / var;
            }
        }

        /** {@code C_I(rho) = (1/2pi) int_0^asin(rho) exp(-t^2/(1+sin u)) du}, Simpson's rule. */
        static double indicatorCovariance(double t, double rho) {
            double end = Math.asin(Math.max(-1, Math.min(1, rho)));
            int m = 200;
            double du = end / m;
            double sum = 0;
            for (int i = 0; i <= m; i++) {
                double u = i * du;
                double s = Math.sin(u);
                double v = 1 + s < 1e-300 ? 0 : Math.exp(-t * t / (1 + s));
                sum += (i == 0 || i == m ? 1 : i % 2 == 1 ? 4 : 2) * v;
            }
            return sum * du / 3 / (2 * Math.PI);
        }

        /** The Gaussian correlation whose cut has normalised indicator covariance {@code g} (clamped). */
        double gaussianCorrelation(double g) {
            if (g <= h[0]) {
                return -1;
            }
            if (g >= h[h.length - 1]) {
                return 1;
            }
            int lo = 0;
            int hi = h.length - 1;
            while (hi - lo > 1) {
                int mid = (lo + hi) >>> 1;
                if (h[mid] <= g) {
                    lo = mid;
                } else {
                    hi = mid;
                }
            }
            double span = h[hi] - h[lo];
            return span > 0 ? rho[lo] + (g - h[lo]) / span * (rho[hi] - rho[lo]) : rho[lo];
        }
    }
}
