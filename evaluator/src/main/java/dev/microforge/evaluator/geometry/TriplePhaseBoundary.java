package dev.microforge.evaluator.geometry;

import dev.microforge.datasets.Volume;

/**
 * Triple-phase-boundary (TPB) length density: the length of the lines where three phases meet, per total volume.
 *
 * <p>Edge-counting method of Wilson et al. (Nature Materials 5 (2006) 541) and Golbert, Adjiman and Brandon
 * (Ind. Eng. Chem. Res. 47 (2008) 7693): a voxel edge is a TPB segment when the four voxels
 * around it hold all three phases {@code a}, {@code b} and {@code c}. An edge along x has length {@code dx}, etc.;
 * the density is the summed length over {@code nx*ny*nz*dx*dy*dz}. Like the face count of {@link SurfaceArea}, the
 * edge count follows a staircase: a straight line of unit tangent {@code t} is counted as
 * {@code |t_x| + |t_y| + |t_z|} times its length (1 for grid-aligned lines, 3/2 on average over random
 * orientations), so treat it as exact for grid-aligned lines and as an upper estimate otherwise; TPBs are
 * usually compared between volumes at the same resolution.
 *
 * <p>Edges on the outer surface of a non-periodic volume have only two voxels around them and are never counted;
 * with {@code periodic} every axis wraps. Units: 1/um^2 (um of line per um^3) or 1/voxel^2 ({@link LengthUnit}).
 * Time: one pass per edge direction, 4 bytes read per edge; no memory beyond the volume.
 */
public final class TriplePhaseBoundary {
    private TriplePhaseBoundary() {
    }

    /**
     * Options.
     *
     * @param periodic whether the volume wraps on every axis
     */
    public record Options(boolean periodic) {
        /** Non-periodic. */
        public static Options defaults() {
            return new Options(false);
        }
    }

    /**
     * TPB of three phases.
     *
     * @param a first phase (likewise b, c)
     * @param edgesX TPB edges along x (likewise y, z)
     * @param length total TPB length, unit
     * @param lengthDensity length over total volume, 1/unit^2
     * @param unit the length unit
     */
    public record Result(int a, int b, int c, long edgesX, long edgesY, long edgesZ, double length,
            double lengthDensity, LengthUnit unit) {
    }

    /** Non-periodic TPB length density of phases {@code a}, {@code b}, {@code c}. */
    public static Result lengthDensity(Volume volume, int a, int b, int c) {
        return lengthDensity(volume, a, b, c, Options.defaults());
    }

    /**
     * TPB length density of phases {@code a}, {@code b}, {@code c}.
     *
     * @throws IllegalArgumentException for a null volume or options, a label outside 0..255, or repeated phases
     */
    public static Result lengthDensity(Volume volume, int a, int b, int c, Options options) {
        Inputs.volume(volume);
        Inputs.phase(a);
        Inputs.phase(b);
        Inputs.phase(c);
        if (a == b || b == c || a == c) {
            throw new IllegalArgumentException(
                    "a triple-phase boundary needs three different phases, got " + a + ", " + b + ", " + c);
        }
        if (options == null) {
            throw new IllegalArgumentException("options are required; use TriplePhaseBoundary.Options.defaults()");
        }
        int[] code = new int[256];
        code[a] = 1;
        code[b] = 2;
        code[c] = 4;
        int nx = volume.nx();
        int ny = volume.ny();
        int nz = volume.nz();
        boolean p = options.periodic();
        // an edge along axis A sits at a corner of the plane of the two other axes; (u, v) are that corner's
        // neighbour offsets: edges along z use (x, y), along y (x, z), along x (y, z)
        long ez = count(volume, code, nz, nx, ny, 1, nx, nx * ny, p);
        long ey = count(volume, code, ny, nx, nz, 1, nx * ny, nx, p);
        long ex = count(volume, code, nx, ny, nz, nx, nx * ny, 1, p);
        double[] d = LengthUnit.edges(volume);
        double length = ex * d[0] + ey * d[1] + ez * d[2];
        double total = volume.voxelCount() * d[0] * d[1] * d[2];
        return new Result(a, b, c, ex, ey, ez, length, length / total, LengthUnit.of(volume));
    }

    /**
     * Edges along an axis of size {@code nw} (stride {@code sw}) whose four voxels, at in-plane corners of the
     * {@code nu x nv} plane (strides {@code su}, {@code sv}), hold all three codes.
     */
    private static long count(Volume v, int[] code, int nw, int nu, int nv, int su, int sv, int sw, boolean periodic) {
        long n = 0;
        int u0 = periodic ? 0 : 1;
        int v0 = periodic ? 0 : 1;
        for (int w = 0; w < nw; w++) {
            for (int j = v0; j < nv; j++) {
                int jm = j == 0 ? nv - 1 : j - 1;
                for (int i = u0; i < nu; i++) {
                    int im = i == 0 ? nu - 1 : i - 1;
                    int base = w * sw;
                    int m = code[v.get(base + i * su + j * sv)] | code[v.get(base + im * su + j * sv)]
                            | code[v.get(base + i * su + jm * sv)] | code[v.get(base + im * su + jm * sv)];
                    n += m == 7 ? 1 : 0;
                }
            }
        }
        return n;
    }
}
