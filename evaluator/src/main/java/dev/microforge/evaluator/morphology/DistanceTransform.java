package dev.microforge.evaluator.morphology;

import dev.microforge.datasets.MemoryBudget;
import dev.microforge.datasets.Volume;
import dev.microforge.datasets.VoxelSize;
import java.util.Locale;
import java.util.stream.IntStream;

/**
 * Exact Euclidean distance transform: for every voxel of a phase set, the distance from its centre to the centre of
 * the nearest voxel outside the set (0 for voxels outside it).
 *
 * <p>Algorithm: the separable lower-envelope-of-parabolas transform of Felzenszwalb and Huttenlocher, "Distance
 * transforms of sampled functions", Theory of Computing 8 (2012) 415. Three 1D passes (x, then y, then z) each
 * replace {@code f(q)} by {@code min_p ((s (q - p))^2 + f(p))}, s the voxel edge along that axis; the result is the
 * exact squared distance {@code min ((dx Δx)^2 + (dy Δy)^2 + (dz Δz)^2)}. Anisotropic voxels are handled by the
 * per-axis spacing s. In voxel units the squared distances are integers and are computed exactly (float holds every
 * integer below 2^24, more than the 3 * 1024^2 of a 1024^3 volume).
 *
 * <p>Borders: with {@code borderIsBackground} the volume is treated as surrounded by one layer of background voxels
 * (distance to the outside counts); without it the outside does not exist and a phase set with no background voxel
 * at all has infinite distances.
 *
 * <p>Units: {@link Metric#VOXELS} measures in voxel edges (unit spacing on every axis, the voxel size ignored);
 * {@link Metric#MICROMETRES} uses the volume's voxel size; {@link Metric#AUTO} picks micrometres when the voxel size
 * is known. Memory layout: the result is one {@code float} per voxel, index {@code x + nx * (y + ny * z)}; peak
 * memory 5 bytes per voxel (mask and result). Cost: about 3 passes of O(n) per line, parallel over z-slices (x and y
 * passes) and y-rows (z pass); each task writes its own lines, so results do not depend on the thread count.
 */
public final class DistanceTransform {
    private DistanceTransform() {
    }

    /** The length unit of the distances. */
    public enum Metric {
        /** Voxel edges, spacing 1 along every axis (the voxel size is ignored). */
        VOXELS,
        /** Micrometres, from the volume's voxel size (which must be known). */
        MICROMETRES,
        /** Micrometres when the voxel size is known, voxels otherwise. */
        AUTO
    }

    /**
     * Options of a distance transform.
     *
     * @param borderIsBackground whether the outside of the volume counts as background (nearest-background distance
     *     then never exceeds the distance to the border + 1 voxel)
     * @param metric the unit of the distances
     */
    public record Options(boolean borderIsBackground, Metric metric) {
        public Options {
            if (metric == null) {
                throw new IllegalArgumentException("metric is required: VOXELS, MICROMETRES or AUTO");
            }
        }

        /** Border not background, {@link Metric#AUTO}. */
        public static Options defaults() {
            return new Options(false, Metric.AUTO);
        }
    }

    /**
     * A distance map.
     *
     * @param nx volume size along x (likewise ny, nz)
     * @param distances distance of each voxel to the nearest voxel outside the phase set, in {@link #unit()}
     *     (x fastest; 0 outside the set; +infinity when there is no background at all)
     * @param inMicrometres whether the distances are in micrometres (else in voxel edges)
     * @param voxelSize the volume's voxel size
     */
    public record Result(int nx, int ny, int nz, float[] distances, boolean inMicrometres, VoxelSize voxelSize) {
        /** Distance at {@code (x, y, z)}. */
        public float at(int x, int y, int z) {
            return distances[x + nx * (y + ny * z)];
        }

        /** The largest finite distance (0 when there is none). */
        public float max() {
            float max = 0;
            for (float d : distances) {
                if (d > max && d != Float.POSITIVE_INFINITY) {
                    max = d;
                }
            }
            return max;
        }

        /** {@code "um"} or {@code "voxel"}. */
        public String unit() {
            return inMicrometres ? "um" : "voxel";
        }
    }

    /** Distance map of the voxels labelled {@code phase}. */
    public static Result euclidean(Volume volume, int phase, Options options) {
        return euclidean(volume, new int[] {phase}, options);
    }

    /**
     * Distance map of the voxels whose label is any of {@code phases}.
     *
     * @throws IllegalArgumentException for a bad phase list, or {@link Metric#MICROMETRES} with an unknown voxel size
     */
    public static Result euclidean(Volume volume, int[] phases, Options options) {
        double[] s = spacing(volume.voxelSize(), options.metric());
        float[] d = squaredEuclidean(volume, phases, options);
        IntStream.range(0, volume.nz()).parallel().forEach(z -> {
            int plane = volume.nx() * volume.ny();
            for (int i = z * plane, end = i + plane; i < end; i++) {
                d[i] = (float) Math.sqrt(d[i]);
            }
        });
        return new Result(volume.nx(), volume.ny(), volume.nz(), d, s[3] == 1, volume.voxelSize());
    }

    /**
     * Squared distances (unit squared), exact in voxel units: the transform before the square root.
     *
     * @throws IllegalArgumentException for a bad phase list, or {@link Metric#MICROMETRES} with an unknown voxel size
     */
    public static float[] squaredEuclidean(Volume volume, int[] phases, Options options) {
        double[] s = spacing(volume.voxelSize(), options.metric());
        boolean[] mask = PhaseMask.of(volume, phases);
        MemoryBudget.require(volume.voxelCount(), 4, String.format(Locale.ROOT,
                "a distance map of a %dx%dx%d volume", volume.nx(), volume.ny(), volume.nz()));
        float[] out = new float[mask.length];
        squaredInto(mask, volume.nx(), volume.ny(), volume.nz(), s[0], s[1], s[2], options.borderIsBackground(), out);
        return out;
    }

    /**
     * Squared distance from each voxel with {@code mask[i]} true to the nearest voxel with {@code mask[i]} false,
     * with voxel edges {@code sx, sy, sz} (any unit), into {@code out} (same length as the mask).
     *
     * @throws IllegalArgumentException when the mask length is not {@code nx * ny * nz} or a spacing is not positive
     */
    public static void squaredInto(boolean[] mask, int nx, int ny, int nz, double sx, double sy, double sz,
            boolean borderIsBackground, float[] out) {
        long n = (long) nx * ny * nz;
        if (nx < 1 || ny < 1 || nz < 1 || mask == null || mask.length != n || out == null || out.length != n) {
            throw new IllegalArgumentException(String.format(Locale.ROOT,
                    "mask and output must have nx * ny * nz = %d entries for %d x %d x %d, got %s and %s", n, nx, ny,
                    nz, mask == null ? "none" : mask.length, out == null ? "none" : out.length));
        }
        if (!(sx > 0 && sy > 0 && sz > 0) || Double.isInfinite(sx + sy + sz)) {
            throw new IllegalArgumentException(String.format(Locale.ROOT,
                    "voxel spacing must be finite and positive, got (%s, %s, %s)", sx, sy, sz));
        }
        int plane = nx * ny;
        // pass x: lines are contiguous rows; tasks are z-slices
        IntStream.range(0, nz).parallel().forEach(z -> {
            LineScratch sc = new LineScratch(Math.max(nx, Math.max(ny, nz)));
            int base = z * plane;
            for (int i = base; i < base + plane; i++) {
                out[i] = mask[i] ? Float.POSITIVE_INFINITY : 0f;
            }
            for (int y = 0; y < ny; y++) {
                transformLine(out, base + y * nx, 1, nx, sx, borderIsBackground, sc);
            }
        });
        // pass y: columns of one z-slice (stride nx) stay within a 4*nx*ny byte plane in cache
        if (ny > 1 || borderIsBackground) {
            IntStream.range(0, nz).parallel().forEach(z -> {
                LineScratch sc = new LineScratch(Math.max(nx, Math.max(ny, nz)));
                for (int x = 0; x < nx; x++) {
                    transformLine(out, z * plane + x, nx, ny, sy, borderIsBackground, sc);
                }
            });
        }
        // pass z: gather the (x, z) plane of one y-row from contiguous rows, transform its columns, scatter back
        if (nz > 1 || borderIsBackground) {
            IntStream.range(0, ny).parallel().forEach(y -> {
                LineScratch sc = new LineScratch(Math.max(nx, Math.max(ny, nz)));
                float[] xz = new float[nx * nz];
                for (int z = 0; z < nz; z++) {
                    System.arraycopy(out, z * plane + y * nx, xz, z * nx, nx);
                }
                for (int x = 0; x < nx; x++) {
                    transformLine(xz, x, nx, nz, sz, borderIsBackground, sc);
                }
                for (int z = 0; z < nz; z++) {
                    System.arraycopy(xz, z * nx, out, z * plane + y * nx, nx);
                }
            });
        }
    }

    /** Per-task buffers of one line: sites (position, value), envelope vertices and boundaries. */
    private static final class LineScratch {
        final double[] pos;
        final double[] val;
        final int[] v;
        final double[] bound;

        LineScratch(int n) {
            pos = new double[n + 2];
            val = new double[n + 2];
            v = new int[n + 2];
            bound = new double[n + 3];
        }
    }

    /**
     * One 1D pass in place over {@code n} values at {@code offset + k * stride}: the lower envelope of the parabolas
     * {@code (s (q - p))^2 + f(p)} over the finite sites p, plus virtual zero sites at -1 and n when the border is
     * background. Cost: O(n) (each site enters and leaves the envelope at most once).
     */
    private static void transformLine(float[] data, int offset, int stride, int n, double s, boolean border,
            LineScratch sc) {
        double[] pos = sc.pos;
        double[] val = sc.val;
        int m = 0;
        if (border) {
            pos[m] = -s;
            val[m++] = 0;
        }
        for (int q = 0; q < n; q++) {
            float f = data[offset + q * stride];
            if (f != Float.POSITIVE_INFINITY) {
                pos[m] = q * s;
                val[m++] = f;
            }
        }
        if (border) {
            pos[m] = n * s;
            val[m++] = 0;
        }
        if (m == 0) {
            return; // no finite site: the line stays infinite
        }
        int[] v = sc.v;
        double[] z = sc.bound;
        int k = 0;
        v[0] = 0;
        z[0] = Double.NEGATIVE_INFINITY;
        z[1] = Double.POSITIVE_INFINITY;
        for (int j = 1; j < m; j++) {
            double fj = val[j] + pos[j] * pos[j];
            double b;
            while (true) {
                int i = v[k];
                b = (fj - (val[i] + pos[i] * pos[i])) / (2 * (pos[j] - pos[i]));
                if (b <= z[k]) {
                    k--;
                } else {
                    break;
                }
            }
            k++;
            v[k] = j;
            z[k] = b;
            z[k + 1] = Double.POSITIVE_INFINITY;
        }
        k = 0;
        for (int q = 0; q < n; q++) {
            double x = q * s;
            while (z[k + 1] < x) {
                k++;
            }
            double d = x - pos[v[k]];
            data[offset + q * stride] = (float) (d * d + val[v[k]]);
        }
    }

    /**
     * The spacing (sx, sy, sz) and whether it is in micrometres (index 3: 1 = micrometres, 0 = voxels).
     *
     * @throws IllegalArgumentException for {@link Metric#MICROMETRES} with an unknown voxel size
     */
    static double[] spacing(VoxelSize size, Metric metric) {
        boolean um = metric == Metric.MICROMETRES || (metric == Metric.AUTO && size.isKnown());
        if (um && !size.isKnown()) {
            throw new IllegalArgumentException("distances in micrometres need the voxel size, which is unknown; set it "
                    + "(Volume.withVoxelSize or --voxel-size) or use Metric.VOXELS");
        }
        return um ? new double[] {size.dx(), size.dy(), size.dz(), 1} : new double[] {1, 1, 1, 0};
    }
}
