package dev.microforge.evaluator.correlation;

import dev.microforge.datasets.Volume;
import dev.microforge.evaluator.geometry.Inputs;
import dev.microforge.evaluator.geometry.LengthUnit;
import java.util.SplittableRandom;

/**
 * Three-point correlation {@code S3} on equilateral triangles: the probability that the three vertices of an
 * equilateral triangle of side {@code r} all lie in a phase (Torquato, Random Heterogeneous Materials, 2002,
 * eq. 2.13 with n = 3; Gerke et al., Phys. Rev. E 89 (2014) 063309 for triangle-based S3 in reconstruction).
 * {@code S3(0) = phi}; for independent voxels {@code S3(r > 0) = phi^3}.
 *
 * <p>Orientations: triangles lying in the xy, xz and yz planes, each rotated by {@code anglesPerPlane} angles
 * {@code theta_j = j * 120 / anglesPerPlane} degrees (a rotation by 120 degrees maps the triangle onto itself). With
 * one vertex at voxel {@code p} and in-plane axes {@code (u, v)}, the others are at {@code p + round(r (cos t, sin
 * t))} and {@code p + round(r (cos(t + 60), sin(t + 60)))}: vertices snap to the nearest voxel, so {@code r} is the
 * nominal side and small triangles are only approximately equilateral. A plane containing an axis of one voxel is
 * skipped (a 2D image has only xy).
 *
 * <p>Placement: {@code samples == 0} averages over every position where the triangle fits (non-periodic) or every
 * voxel (periodic, wrapping), costing {@code N * 3 * anglesPerPlane * (maxDistance + 1)} voxel triples; otherwise
 * {@code samples} uniformly random positions per (side, plane, angle) from a {@link SplittableRandom} seeded with
 * {@code seed}, with a standard error of about {@code sqrt(S3 (1 - S3) / samples)} per value. Sides are reported
 * in um when the voxel size is known, as the nominal side times the smaller in-plane voxel edge; with anisotropic
 * voxels the triangle is equilateral in voxel units, not in um. No memory beyond the volume.
 */
public final class ThreePointCorrelation {
    private ThreePointCorrelation() {
    }

    /**
     * Options.
     *
     * @param periodic whether vertices wrap across faces
     * @param maxDistance largest side in voxels, 0 for half the smallest dimension larger than 1
     * @param anglesPerPlane in-plane rotations per plane, at least 1
     * @param samples random placements per (side, plane, angle), 0 for every position
     * @param seed seed of the random placements
     */
    public record Options(boolean periodic, int maxDistance, int anglesPerPlane, int samples, long seed) {
        public Options {
            if (maxDistance < 0) {
                throw new IllegalArgumentException(
                        "maxDistance must be 0 (automatic) or a positive number of voxels, got " + maxDistance);
            }
            if (anglesPerPlane < 1) {
                throw new IllegalArgumentException("anglesPerPlane must be at least 1, got " + anglesPerPlane);
            }
            if (samples < 0) {
                throw new IllegalArgumentException("samples must be 0 (every position) or positive, got " + samples);
            }
        }

        /** Non-periodic, automatic side, 4 angles per plane, 20000 random placements each (s.e. <= 0.0035), seed 1. */
        public static Options defaults() {
            return new Options(false, 0, 4, 20_000, 1L);
        }
    }

    /**
     * S3 of one phase.
     *
     * @param phase the label value
     * @param volumeFraction phi = S3(0)
     * @param unit length unit of the sides
     * @param xy S3 of triangles in the xy plane, averaged over the angles (likewise xz, yz); empty for a skipped plane
     * @param all S3 averaged over the planes computed
     */
    public record Result(int phase, double volumeFraction, LengthUnit unit, Curve xy, Curve xz, Curve yz, Curve all) {
    }

    /**
     * S3 of {@code phase} on equilateral triangles.
     *
     * @throws IllegalArgumentException for a null volume or options or a label outside 0..255
     */
    public static Result equilateral(Volume volume, int phase, Options options) {
        Inputs.volume(volume);
        Inputs.phase(phase);
        if (options == null) {
            throw new IllegalArgumentException("options are required; use ThreePointCorrelation.Options.defaults()");
        }
        int[] n = {volume.nx(), volume.ny(), volume.nz()};
        double[] e = LengthUnit.edges(volume);
        double phi = volume.labelCounts()[phase] / (double) volume.voxelCount();
        int[][] planes = {{0, 1}, {0, 2}, {1, 2}};
        Curve[] curves = new Curve[3];
        double[] allSum = null;
        double[] allDist = null;
        int used = 0;
        SplittableRandom random = new SplittableRandom(options.seed());
        for (int pl = 0; pl < 3; pl++) {
            int u = planes[pl][0];
            int v = planes[pl][1];
            if (n[u] < 2 || n[v] < 2) {
                curves[pl] = new Curve(new double[0], new double[0]);
                continue;
            }
            int limit = options.periodic() ? Math.min(n[u], n[v]) / 2 : Math.min(n[u], n[v]) - 1;
            int rmax = Math.min(limit, options.maxDistance() == 0 ? minHalf(n) : options.maxDistance());
            double[] dist = new double[rmax + 1];
            double[] val = new double[rmax + 1];
            for (int r = 0; r <= rmax; r++) {
                dist[r] = r * Math.min(e[u], e[v]);
                double s = 0;
                for (int j = 0; j < options.anglesPerPlane(); j++) {
                    double t = Math.toRadians(120.0 * j / options.anglesPerPlane());
                    int[] a = new int[3];
                    int[] b = new int[3];
                    a[u] = (int) Math.round(r * Math.cos(t));
                    a[v] = (int) Math.round(r * Math.sin(t));
                    b[u] = (int) Math.round(r * Math.cos(t + Math.PI / 3));
                    b[v] = (int) Math.round(r * Math.sin(t + Math.PI / 3));
                    s += options.samples() == 0 ? exhaustive(volume, phase, a, b, options.periodic())
                            : sampled(volume, phase, a, b, options.periodic(), options.samples(), random);
                }
                val[r] = s / options.anglesPerPlane();
            }
            curves[pl] = new Curve(dist, val);
            if (allSum == null) {
                allSum = val.clone();
                allDist = dist;
            } else {
                int m = Math.min(allSum.length, val.length);
                allSum = java.util.Arrays.copyOf(allSum, m);
                allDist = java.util.Arrays.copyOf(allDist, m);
                for (int r = 0; r < m; r++) {
                    allSum[r] += val[r];
                }
            }
            used++;
        }
        Curve all;
        if (used == 0) {
            all = new Curve(new double[] {0}, new double[] {phi});
        } else {
            for (int r = 0; r < allSum.length; r++) {
                allSum[r] /= used;
            }
            all = new Curve(allDist, allSum);
        }
        return new Result(phase, phi, LengthUnit.of(volume), curves[0], curves[1], curves[2], all);
    }

    private static int minHalf(int[] n) {
        int m = Integer.MAX_VALUE;
        for (int k : n) {
            if (k > 1) {
                m = Math.min(m, k);
            }
        }
        return m == Integer.MAX_VALUE ? 0 : m / 2;
    }

    /** Fraction of valid positions where all three vertices are in the phase: 3 reads per position. */
    private static double exhaustive(Volume vol, int phase, int[] a, int[] b, boolean periodic) {
        int[] n = {vol.nx(), vol.ny(), vol.nz()};
        int[] lo = new int[3];
        int[] hi = new int[3];
        for (int i = 0; i < 3; i++) {
            lo[i] = periodic ? 0 : Math.max(0, -Math.min(a[i], b[i]));
            hi[i] = periodic ? n[i] : n[i] - Math.max(0, Math.max(a[i], b[i]));
        }
        long hits = 0;
        long total = 0;
        for (int z = lo[2]; z < hi[2]; z++) {
            for (int y = lo[1]; y < hi[1]; y++) {
                for (int x = lo[0]; x < hi[0]; x++) {
                    total++;
                    if (in(vol, phase, n, x, y, z, 0, 0, 0, periodic) && in(vol, phase, n, x, y, z, a[0], a[1], a[2],
                            periodic) && in(vol, phase, n, x, y, z, b[0], b[1], b[2], periodic)) {
                        hits++;
                    }
                }
            }
        }
        return total == 0 ? 0 : hits / (double) total;
    }

    private static double sampled(Volume vol, int phase, int[] a, int[] b, boolean periodic, int samples,
            SplittableRandom random) {
        int[] n = {vol.nx(), vol.ny(), vol.nz()};
        int[] lo = new int[3];
        int[] hi = new int[3];
        for (int i = 0; i < 3; i++) {
            lo[i] = periodic ? 0 : Math.max(0, -Math.min(a[i], b[i]));
            hi[i] = periodic ? n[i] : n[i] - Math.max(0, Math.max(a[i], b[i]));
            if (hi[i] <= lo[i]) {
                return 0;
            }
        }
        long hits = 0;
        for (int s = 0; s < samples; s++) {
            int x = random.nextInt(lo[0], hi[0]);
            int y = random.nextInt(lo[1], hi[1]);
            int z = random.nextInt(lo[2], hi[2]);
            if (in(vol, phase, n, x, y, z, 0, 0, 0, periodic) && in(vol, phase, n, x, y, z, a[0], a[1], a[2], periodic)
                    && in(vol, phase, n, x, y, z, b[0], b[1], b[2], periodic)) {
                hits++;
            }
        }
        return hits / (double) samples;
    }

    private static boolean in(Volume v, int phase, int[] n, int x, int y, int z, int dx, int dy, int dz,
            boolean periodic) {
        int xx = x + dx;
        int yy = y + dy;
        int zz = z + dz;
        if (periodic) {
            xx = Math.floorMod(xx, n[0]);
            yy = Math.floorMod(yy, n[1]);
            zz = Math.floorMod(zz, n[2]);
        }
        return v.get(xx + n[0] * (yy + n[1] * zz)) == phase;
    }
}
