package dev.microforge.generator.field;

import dev.microforge.datasets.FloatVolume;
import dev.microforge.datasets.Volume;
import dev.microforge.datasets.VoxelSize;
import dev.microforge.generator.LevelCut;
import java.util.Arrays;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.function.DoubleUnaryOperator;
import java.util.stream.IntStream;

/**
 * Gaussian random field with a prescribed radial spectral density, level-cut to target phase fractions (Cahn,
 * "Phase separation by spinodal decomposition in isotropic systems", J. Chem. Phys. 42 (1965) 93; Berk, Phys. Rev.
 * A 44 (1991) 5069 for level-cut fields; the seed document's eq. 8).
 *
 * <p><b>Wave-form method</b> ({@link Method#WAVES}, eq. 8): {@code f(r) = sqrt(2/N) sum_{i=1..N} cos(k_i . r +
 * phi_i)}, phases {@code phi_i} uniform on [0, 2 pi), directions of {@code k_i} uniform on the sphere, and
 * {@code |k_i| = q} drawn from the pdf {@code p(q) ~ rho(q) q^2}. Why {@code q^2}: the covariance of {@code f} is
 * {@code E[cos(k . r)]}, so the wavevector itself must have the 3D density {@code rho(|k|)}; in spherical
 * coordinates the shell volume {@code 4 pi q^2 dq} makes the magnitude's pdf {@code rho(q) q^2}. The seed's
 * "k sampled from rho(k) k" is the same rule with the 2D Jacobian (ring length {@code 2 pi q}) or, equivalently,
 * with rho taken per unit |k| already carrying one factor q. With {@code q^2}, {@code rho} is exactly the 3D
 * spectral density that {@code SpectralDensity} measures ({@code |F|^2 / N} per lattice mode). Cost: {@code N} waves
 * x voxels, evaluated by a cosine recurrence along x (6 flops per wave per voxel, two trigonometric calls per wave
 * per row), z slabs in parallel: about 1 s for 64^3 x 2000 waves on 2 cores; use it for exactness on small grids.
 *
 * <p><b>FFT method</b> ({@link Method#FFT}, default): complex white noise on the mode lattice multiplied by
 * {@code sqrt(rho(|k|))} and inverse transformed (see {@code SpectralSynthesis}); the result is the same Gaussian
 * field in the limit {@code N -> infinity} restricted to the periodic lattice {@code k = 2 pi m / n}; one complex
 * FFT (about 2 s at 256^3 on 2 cores, 16 bytes per voxel). Always periodic.
 *
 * <p>Units and axes: lengths in voxels, wavenumbers in rad/voxel (multiply rad/um by the voxel edge in um). Both
 * methods keep only wavevectors with {@code |k| <= pi} (the sphere inside the Nyquist cube) so they agree.
 * Anisotropy: with scale factors {@code (sx, sy, sz)} the field is {@code f(x/sx, y/sy, z/sz)} of the isotropic
 * field, i.e. features are stretched {@code s} times along each axis (spectral density {@code rho(|s o k|)}).
 * Layout x fastest, {@code x + nx*(y + ny*z)}. Every dimension must be at least 2 (JTransforms).
 *
 * <p>Phases: {@link LevelCut#toFractions} labels the lowest values 0, the next band 1 and so on, exactly to the
 * target fractions (to one voxel).
 */
public final class GaussianRandomField {
    private GaussianRandomField() {
    }

    /** How the field is synthesised. */
    public enum Method {
        /** Filtered white noise by FFT: fast, periodic, exact spectrum in expectation on the lattice. */
        FFT,
        /** Cahn's sum of N cosine waves (eq. 8): exact off-lattice wavevectors, cost N x voxels. */
        WAVES
    }

    /**
     * A radial spectral density {@code rho(k)} (3D, per unit wavevector volume; any overall scale), {@code k} in
     * rad/voxel.
     *
     * @param name what it is, for messages
     * @param density {@code rho(k) >= 0} for {@code k >= 0}
     * @param maxWavenumber rho is taken as 0 above this (at most pi is used)
     */
    public record Target(String name, DoubleUnaryOperator density, double maxWavenumber) {
        public Target {
            if (name == null || density == null) {
                throw new IllegalArgumentException("a target spectral density needs a name and a density function");
            }
            if (!(maxWavenumber > 0)) {
                throw new IllegalArgumentException("maxWavenumber must be positive (rad/voxel), got "
                        + maxWavenumber);
            }
        }

        /** {@code rho(k)}, 0 above {@link #maxWavenumber()} and for negative or NaN values. */
        public double at(double k) {
            if (k > maxWavenumber) {
                return 0;
            }
            double v = density.applyAsDouble(k);
            return v > 0 ? v : 0;
        }

        /**
         * Gaussian shell {@code rho(k) = exp(-(k - k0)^2 / (2 width^2))}: a spinodal-like structure of wavelength
         * {@code 2 pi / k0} for {@code k0 > 0}; a Gaussian-covariance field of correlation length ~ 1/width for
         * {@code k0 = 0}.
         */
        public static Target gaussian(double k0, double width) {
            if (!(k0 >= 0 && k0 <= Math.PI) || !(width > 0)) {
                throw new IllegalArgumentException(String.format(Locale.ROOT,
                        "gaussian spectrum needs 0 <= k0 <= pi and width > 0 (rad/voxel), got k0 = %s, width = %s",
                        k0, width));
            }
            return new Target(String.format(Locale.ROOT, "gaussian(k0=%g, width=%g)", k0, width),
                    k -> Math.exp(-0.5 * (k - k0) * (k - k0) / (width * width)), Math.min(Math.PI, k0 + 8 * width));
        }

        /**
         * Debye random medium, covariance {@code exp(-r/a)}: {@code rho(k) = 1 / (1 + (k a)^2)^2} (Debye and Bueche
         * 1949).
         */
        public static Target debye(double correlationLength) {
            if (!(correlationLength > 0) || Double.isInfinite(correlationLength)) {
                throw new IllegalArgumentException("Debye correlation length must be positive (voxels), got "
                        + correlationLength);
            }
            double a = correlationLength;
            return new Target(String.format(Locale.ROOT, "debye(a=%g)", a), k -> {
                double t = 1 + k * k * a * a;
                return 1 / (t * t);
            }, Math.PI);
        }

        /**
         * A measured radial density, e.g. {@code SpectralDensity.compute(...).radial()} of a real volume with its
         * wavenumbers converted to rad/voxel; linearly interpolated, 0 outside {@code [k[0], k[last]]}.
         *
         * @param k ascending wavenumbers, rad/voxel
         * @param density values at k (negative values are taken as 0)
         */
        public static Target measured(double[] k, double[] density) {
            if (k == null || density == null || k.length != density.length || k.length < 2) {
                throw new IllegalArgumentException("a measured spectrum needs at least 2 wavenumbers and as many "
                        + "values, got " + (k == null ? "null" : k.length) + " and "
                        + (density == null ? "null" : density.length));
            }
            double[] kk = k.clone();
            double[] dd = density.clone();
            double total = 0;
            for (int i = 0; i < kk.length; i++) {
                if (!(kk[i] >= 0) || (i > 0 && !(kk[i] > kk[i - 1])) || Double.isNaN(dd[i])) {
                    throw new IllegalArgumentException("measured wavenumbers must be non-negative and ascending, "
                            + "values finite; bad entry at index " + i + ": k = " + kk[i] + ", density = " + dd[i]);
                }
                total += Math.max(0, dd[i]);
            }
            if (!(total > 0)) {
                throw new IllegalArgumentException("measured spectral density is zero everywhere: "
                        + Arrays.toString(dd));
            }
            return new Target("measured(" + kk.length + " points)", q -> {
                if (q < kk[0] || q > kk[kk.length - 1]) {
                    return 0;
                }
                int j = Arrays.binarySearch(kk, q);
                if (j >= 0) {
                    return dd[j];
                }
                int hi = -j - 1;
                int lo = hi - 1;
                double t = (q - kk[lo]) / (kk[hi] - kk[lo]);
                return dd[lo] + t * (dd[hi] - dd[lo]);
            }, kk[kk.length - 1]);
        }
    }

    /**
     * Options.
     *
     * @param method {@link Method#FFT} (default) or {@link Method#WAVES}
     * @param waves number of cosine waves N for WAVES (default 2000)
     * @param scaleX stretch of features along x (1 = isotropic); likewise y, z
     * @param periodic WAVES only: snap wavevectors to the lattice {@code 2 pi m / n} so the field tiles (FFT is
     *     always periodic)
     */
    public record Options(Method method, int waves, double scaleX, double scaleY, double scaleZ, boolean periodic) {
        public Options {
            if (method == null) {
                throw new IllegalArgumentException("method is required: FFT or WAVES");
            }
            if (waves < 1 || waves > 10_000_000) {
                throw new IllegalArgumentException("waves must be 1..10,000,000, got " + waves);
            }
            for (double s : new double[] {scaleX, scaleY, scaleZ}) {
                if (!(s > 0) || Double.isInfinite(s)) {
                    throw new IllegalArgumentException(String.format(Locale.ROOT,
                            "scale factors must be finite and positive, got (%s, %s, %s)", scaleX, scaleY, scaleZ));
                }
            }
        }

        /** FFT, 2000 waves (for WAVES), isotropic, periodic. */
        public static Options defaults() {
            return new Options(Method.FFT, 2000, 1, 1, 1, true);
        }

        /** These options with another method. */
        public Options withMethod(Method m) {
            return new Options(m, waves, scaleX, scaleY, scaleZ, periodic);
        }

        /** These options with per-axis scale factors. */
        public Options withScale(double sx, double sy, double sz) {
            return new Options(method, waves, sx, sy, sz, periodic);
        }
    }

    /**
     * A generated field and its phases.
     *
     * @param field the Gaussian field (FFT: mean 0, variance 1 exactly; WAVES: eq. 8, mean ~0, variance ~1)
     * @param phases labels 0..fractions.length-1 from the level cut
     * @param fractions the target fractions
     * @param levels the largest field value of each band but the last (the cut levels)
     * @param seed the seed used
     */
    public record Result(FloatVolume field, Volume phases, double[] fractions, double[] levels, long seed) {
    }

    /**
     * The Gaussian field alone (before any level cut).
     *
     * @throws IllegalArgumentException for a null target or options, or a dimension below 2
     */
    public static FloatVolume field(int nx, int ny, int nz, Target target, Options options, long seed) {
        if (target == null || options == null) {
            throw new IllegalArgumentException("target and options are required; use Options.defaults()");
        }
        float[] f = options.method() == Method.FFT ? fft(nx, ny, nz, target, options, seed)
                : waves(nx, ny, nz, target, options, seed);
        return FloatVolume.of(nx, ny, nz, f, VoxelSize.UNKNOWN);
    }

    /**
     * Field level-cut to {@code fractions} (2 or more phases; label k takes fraction k, lowest values first).
     *
     * @throws IllegalArgumentException for bad fractions (see {@link LevelCut#checkFractions}) or as {@link #field}
     */
    public static Result generate(int nx, int ny, int nz, double[] fractions, Target target, Options options,
            VoxelSize voxelSize, long seed) {
        LevelCut.checkFractions(fractions);
        FloatVolume field = field(nx, ny, nz, target, options, seed);
        float[] f = field.toArray();
        Volume phases = LevelCut.toFractions(f, nx, ny, nz, fractions, voxelSize == null ? VoxelSize.UNKNOWN
                : voxelSize);
        return new Result(field, phases, fractions.clone(), SpectralSynthesis.levels(f, phases, fractions.length),
                seed);
    }

    private static float[] fft(int nx, int ny, int nz, Target t, Options o, long seed) {
        double sx = o.scaleX();
        double sy = o.scaleY();
        double sz = o.scaleZ();
        double cx = 2 * Math.PI / nx;
        double cy = 2 * Math.PI / ny;
        double cz = 2 * Math.PI / nz;
        return SpectralSynthesis.filteredNoise(nx, ny, nz, (mx, my, mz) -> {
            double kx = cx * mx;
            double ky = cy * my;
            double kz = cz * mz;
            if (kx * kx + ky * ky + kz * kz > Math.PI * Math.PI) {
                return 0;
            }
            double q = Math.sqrt(kx * kx * sx * sx + ky * ky * sy * sy + kz * kz * sz * sz);
            return Math.sqrt(t.at(q));
        }, seed);
    }

    /** Inverse-CDF sampler of |q| with pdf ~ rho(q) q^2 on [0, min(kmax, pi * max scale)]. */
    private static double[][] magnitudeTable(Target t, double qmax) {
        int m = 4096;
        double[] q = new double[m + 1];
        double[] cdf = new double[m + 1];
        double prev = 0;
        for (int i = 0; i <= m; i++) {
            q[i] = qmax * i / m;
            double p = t.at(q[i]) * q[i] * q[i];
            if (i > 0) {
                cdf[i] = cdf[i - 1] + 0.5 * (p + prev) * (q[i] - q[i - 1]);
            }
            prev = p;
        }
        if (!(cdf[m] > 0)) {
            throw new IllegalArgumentException("target " + t.name() + " has no power at 0 < k <= " + qmax
                    + " rad/voxel");
        }
        for (int i = 0; i <= m; i++) {
            cdf[i] /= cdf[m];
        }
        return new double[][] {q, cdf};
    }

    private static double sample(double[][] table, double u) {
        double[] q = table[0];
        double[] cdf = table[1];
        int j = Arrays.binarySearch(cdf, u);
        if (j >= 0) {
            return q[j];
        }
        int hi = Math.min(-j - 1, q.length - 1);
        int lo = Math.max(hi - 1, 0);
        double span = cdf[hi] - cdf[lo];
        return span > 0 ? q[lo] + (u - cdf[lo]) / span * (q[hi] - q[lo]) : q[hi];
    }

    /**
     * Draws the N wavevectors and phases: {@code [kx, ky, kz, phi]} per wave, in rad/voxel (already divided by the
     * scale factors and, when periodic, snapped to the lattice; wavevectors with {@code |k| > pi} or snapped to 0
     * are redrawn).
     */
    static double[][] drawWaves(int nx, int ny, int nz, Target t, Options o, long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        double smax = Math.max(o.scaleX(), Math.max(o.scaleY(), o.scaleZ()));
        double[][] table = magnitudeTable(t, Math.min(t.maxWavenumber(), Math.PI * smax));
        double[][] w = new double[o.waves()][];
        int tries = 0;
        for (int i = 0; i < w.length; ) {
            if (++tries > 1000L * w.length + 100_000) {
                throw new IllegalArgumentException("could not draw wavevectors inside |k| <= pi for target "
                        + t.name() + " on " + nx + " x " + ny + " x " + nz + " (spectrum beyond Nyquist, or below "
                        + "the lowest lattice wavenumber when periodic)");
            }
            double q = sample(table, rng.nextDouble());
            double cosT = 2 * rng.nextDouble() - 1;
            double sinT = Math.sqrt(Math.max(0, 1 - cosT * cosT));
            double az = 2 * Math.PI * rng.nextDouble();
            double phase = 2 * Math.PI * rng.nextDouble();
            double kx = q * sinT * Math.cos(az) / o.scaleX();
            double ky = q * sinT * Math.sin(az) / o.scaleY();
            double kz = q * cosT / o.scaleZ();
            if (o.periodic()) {
                kx = 2 * Math.PI * Math.rint(kx * nx / (2 * Math.PI)) / nx;
                ky = 2 * Math.PI * Math.rint(ky * ny / (2 * Math.PI)) / ny;
                kz = 2 * Math.PI * Math.rint(kz * nz / (2 * Math.PI)) / nz;
            }
            double k2 = kx * kx + ky * ky + kz * kz;
            if (k2 > Math.PI * Math.PI || (o.periodic() && k2 == 0)) {
                continue;
            }
            w[i++] = new double[] {kx, ky, kz, phase};
        }
        return w;
    }

    private static float[] waves(int nx, int ny, int nz, Target t, Options o, long seed) {
        long n = SpectralSynthesis.checkGrid(nx, ny, nz, "a Gaussian random field");
        double[][] w = drawWaves(nx, ny, nz, t, o, seed);
        double norm = Math.sqrt(2.0 / w.length);
        float[] out = new float[(int) n];
        IntStream.range(0, nz).parallel().forEach(z -> {
            double[] row = new double[nx];
            for (int y = 0; y < ny; y++) {
                Arrays.fill(row, 0);
                // cost: 2 trig calls per wave per row, then 4 mul + 3 add per wave per voxel (rotation recurrence)
                for (double[] wave : w) {
                    double base = wave[1] * y + wave[2] * z + wave[3];
                    double c = Math.cos(base);
                    double s = Math.sin(base);
                    double cs = Math.cos(wave[0]);
                    double sn = Math.sin(wave[0]);
                    for (int x = 0; x < nx; x++) {
                        row[x] += c;
                        double c2 = c * cs - s * sn;
                        s = s * cs + c * sn;
                        c = c2;
                    }
                }
                int off = nx * (y + ny * z);
                for (int x = 0; x < nx; x++) {
                    out[off + x] = (float) (norm * row[x]);
                }
            }
        });
        return out;
    }
}
