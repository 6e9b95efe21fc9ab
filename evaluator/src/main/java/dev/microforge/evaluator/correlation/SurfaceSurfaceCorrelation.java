package dev.microforge.evaluator.correlation;

import dev.microforge.datasets.Axis;
import dev.microforge.datasets.Volume;
import dev.microforge.evaluator.geometry.Inputs;
import dev.microforge.evaluator.geometry.LengthUnit;

/**
 * Surface-surface correlation {@code Fss(r) = <|grad I|(p) |grad I|(p + r)>}: the correlation of the interface
 * density of a phase (Torquato, Random Heterogeneous Materials, 2002, section 2.2.5, eq. 2.43). Its large-distance
 * limit is {@code s^2}, {@code s} the specific surface area.
 *
 * <p>Discretisation: the interface density is the central-difference gradient magnitude of the indicator,
 * {@code g = sqrt(sum_i ((I(p + e_i) - I(p - e_i)) / (2 d_i))^2)} in 1/um (or 1/voxel), with edges replicated
 * (non-periodic: the volume boundary is no interface) or wrapped (periodic). For a grid-aligned plane {@code g} is
 * 1/(2d) on the two voxels beside it, so its mean is exactly the plane's specific area; like any voxel estimate it
 * overstates oblique interfaces (see {@link dev.microforge.evaluator.geometry.SurfaceArea}). The autocorrelation of
 * {@code g} is computed and normalised exactly as S2 ({@link TwoPointCorrelation}, {@link Autocorrelation}): FFT,
 * periodic or zero-padded by the lag limit with pair-count normalisation. Units of Fss: 1/um^2 (or 1/voxel^2).
 * Memory: 16 bytes per (padded) voxel.
 */
public final class SurfaceSurfaceCorrelation {
    private SurfaceSurfaceCorrelation() {
    }

    /**
     * Options.
     *
     * @param periodic whether the volume is a periodic unit cell
     * @param maxDistance largest lag in voxels, 0 for half the smallest dimension larger than 1
     */
    public record Options(boolean periodic, int maxDistance) {
        public Options {
            if (maxDistance < 0) {
                throw new IllegalArgumentException(
                        "maxDistance must be 0 (automatic) or a positive number of voxels, got " + maxDistance);
            }
        }

        /** Non-periodic, automatic maximum distance. */
        public static Options defaults() {
            return new Options(false, 0);
        }
    }

    /**
     * Fss of one phase.
     *
     * @param phase the label value
     * @param meanInterfaceDensity mean of {@code g}: the gradient estimate of the specific surface area, 1/unit
     * @param periodic whether the volume was periodic
     * @param maxLag lag limit per axis {x, y, z}, voxels
     * @param unit length unit
     * @param x Fss along x (likewise y, z), 1/unit^2
     * @param radial Fss averaged over lag vectors of the same length
     */
    public record Result(int phase, double meanInterfaceDensity, boolean periodic, int[] maxLag, LengthUnit unit,
            Curve x, Curve y, Curve z, Curve radial) {
        /** The curve along {@code axis}. */
        public Curve along(Axis axis) {
            return axis == Axis.X ? x : axis == Axis.Y ? y : z;
        }
    }

    /**
     * Fss of {@code phase} by FFT.
     *
     * @throws IllegalArgumentException for a null volume or options or a label outside 0..255
     */
    public static Result compute(Volume volume, int phase, Options options) {
        return run(volume, phase, options, false);
    }

    /** Fss by direct summation ({@code O(N (2r+1)^3)}), the reference for tests. */
    public static Result bruteForce(Volume volume, int phase, Options options) {
        return run(volume, phase, options, true);
    }

    private static Result run(Volume volume, int phase, Options options, boolean direct) {
        Inputs.volume(volume);
        Inputs.phase(phase);
        if (options == null) {
            throw new IllegalArgumentException("options are required; use SurfaceSurfaceCorrelation.Options.defaults()");
        }
        boolean p = options.periodic();
        int nx = volume.nx();
        int ny = volume.ny();
        int nz = volume.nz();
        double[] e = LengthUnit.edges(volume);
        LagBox box = new LagBox(nx, ny, nz, LagBox.radii(volume, options.maxDistance(), p), p);
        double[] g = interfaceDensity(volume, phase, p, e);
        double mean = 0;
        for (double v : g) {
            mean += v;
        }
        mean /= g.length;
        if (direct) {
            Autocorrelation.addDirect(box, g);
        } else {
            Autocorrelation.addFft(box, nx, ny, nz, new boolean[] {p, p, p}, (buf, lx, ly) -> {
                for (int z = 0; z < nz; z++) {
                    for (int y = 0; y < ny; y++) {
                        System.arraycopy(g, nx * (y + ny * z), buf, lx * (y + ly * z), nx);
                    }
                }
            }, "Fss of phase " + phase);
        }
        return new Result(phase, mean, p, box.radii(), LengthUnit.of(volume), box.axis(Axis.X, e), box.axis(Axis.Y, e),
                box.axis(Axis.Z, e), box.radial(e));
    }

    /** Central-difference gradient magnitude of the indicator, 8 bytes per voxel. */
    static double[] interfaceDensity(Volume v, int phase, boolean periodic, double[] e) {
        int nx = v.nx();
        int ny = v.ny();
        int nz = v.nz();
        dev.microforge.datasets.MemoryBudget.require(v.voxelCount(), 8, "the interface density of phase " + phase);
        double[] g = new double[(int) v.voxelCount()];
        for (int z = 0; z < nz; z++) {
            int zm = z > 0 ? z - 1 : periodic ? nz - 1 : 0;
            int zp = z + 1 < nz ? z + 1 : periodic ? 0 : nz - 1;
            for (int y = 0; y < ny; y++) {
                int ym = y > 0 ? y - 1 : periodic ? ny - 1 : 0;
                int yp = y + 1 < ny ? y + 1 : periodic ? 0 : ny - 1;
                for (int x = 0; x < nx; x++) {
                    int xm = x > 0 ? x - 1 : periodic ? nx - 1 : 0;
                    int xp = x + 1 < nx ? x + 1 : periodic ? 0 : nx - 1;
                    double gx = (ind(v, phase, xp, y, z) - ind(v, phase, xm, y, z)) / (2 * e[0]);
                    double gy = (ind(v, phase, x, yp, z) - ind(v, phase, x, ym, z)) / (2 * e[1]);
                    double gz = (ind(v, phase, x, y, zp) - ind(v, phase, x, y, zm)) / (2 * e[2]);
                    g[x + nx * (y + ny * z)] = Math.sqrt(gx * gx + gy * gy + gz * gz);
                }
            }
        }
        return g;
    }

    private static int ind(Volume v, int phase, int x, int y, int z) {
        return v.get(v.index(x, y, z)) == phase ? 1 : 0;
    }
}
