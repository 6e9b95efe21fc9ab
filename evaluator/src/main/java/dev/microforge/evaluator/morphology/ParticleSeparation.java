package dev.microforge.evaluator.morphology;

import dev.microforge.datasets.MemoryBudget;
import dev.microforge.datasets.Volume;
import dev.microforge.datasets.VolumeBuilder;
import dev.microforge.datasets.VoxelSize;
import dev.microforge.evaluator.morphology.ConnectedComponents.Connectivity;
import java.util.Arrays;
import java.util.Locale;
import java.util.stream.IntStream;

/**
 * Splits a phase into individual particles (or pores) by a marker-based watershed of its distance transform, the
 * SNOW algorithm of Gostick, "Versatile and efficient pore network extraction method using marker-based watershed
 * segmentation", Phys. Rev. E 96 (2017) 023307 (PoreSpy {@code snow_partitioning}).
 *
 * <p>Steps: (1) Euclidean distance transform r of the phase ({@link DistanceTransform}; anisotropic voxels are
 * scaled so the smallest edge is 1). (2) Gaussian smoothing of r with standard deviation {@code sigma} voxels
 * (mirror boundary), removing the ridge noise of the digital transform. (3) Peaks: phase voxels where the smoothed
 * r equals its maximum over the cube of half-width {@code peakRadius}; connected peak voxels (26-connectivity) form
 * one marker. (4) Optionally trim nearby peaks: a marker lying inside the inscribed ball of a marker with larger r
 * (distance between centroids below that r) is dropped. (5) Every connected component of the phase without a
 * marker gets one at its voxel of largest r. (6) Priority-flood watershed (Meyer's flooding; Barnes et al., Comput.
 * Geosci. 62 (2014) 117): markers grow into unlabelled phase neighbours (6-, 18- or 26-connectivity), always
 * expanding the queued voxel with the largest smoothed r (compared in steps of 1/1024 voxel, a bucket queue); equal
 * r are taken first-queued-first, and markers enter the queue in scan order, so the labelling is deterministic.
 * Every phase voxel gets a particle.
 *
 * <p>Particles are numbered 1..count in the scan order (x fastest) of their marker's first voxel; labels are 0
 * outside the phase. Memory: about 30 bytes per voxel (mask, distances, filters, labels, queue links); the flood is
 * sequential and O(N), the filters run in parallel.
 */
public final class ParticleSeparation {
    private ParticleSeparation() {
    }

    /**
     * Options of a watershed separation.
     *
     * @param sigma standard deviation of the Gaussian smoothing of the distance map in voxels (0 = none; PoreSpy
     *     uses 0.4)
     * @param peakRadius half-width in voxels of the cube in which a peak must be the maximum (PoreSpy r_max = 4)
     * @param trimNearbyPeaks whether to drop markers inside the inscribed ball of a larger one
     * @param connectivity neighbourhood of the flood (and of the phase components that receive a marker)
     * @param borderIsBackground whether the volume border counts as background for the distance map
     */
    public record Options(double sigma, int peakRadius, boolean trimNearbyPeaks, Connectivity connectivity,
            boolean borderIsBackground) {
        public Options {
            if (!(sigma >= 0) || sigma > 20) {
                throw new IllegalArgumentException("sigma must be 0..20 voxels (0 = no smoothing), got " + sigma);
            }
            if (peakRadius < 1) {
                throw new IllegalArgumentException("peakRadius must be at least 1 voxel (PoreSpy uses 4), got "
                        + peakRadius);
            }
            if (connectivity == null) {
                throw new IllegalArgumentException("connectivity is required: FACES (6), EDGES (18) or CORNERS (26)");
            }
        }

        /**
         * sigma 0.4, peak radius 4, trimming on, 6-connectivity (scikit-image's watershed default, which PoreSpy's
         * SNOW uses; 26 is about three times slower), border not background.
         */
        public static Options defaults() {
            return new Options(0.4, 4, true, Connectivity.FACES, false);
        }
    }

    /**
     * Particles of a phase.
     *
     * @param nx volume size along x (likewise ny, nz)
     * @param labels particle of each voxel, 1..count, 0 outside the phase (x fastest)
     * @param count number of particles
     * @param peaks markers found as distance-map peaks (after trimming), before components without one were added
     * @param voxelSize the volume's voxel size
     */
    public record Result(int nx, int ny, int nz, int[] labels, int count, int peaks, VoxelSize voxelSize) {
    }

    /** Particles of the voxels labelled {@code phase}. */
    public static Result watershed(Volume volume, int phase, Options options) {
        return watershed(volume, new int[] {phase}, options);
    }

    /**
     * Particles of the voxels whose label is any of {@code phases}.
     *
     * @throws IllegalArgumentException for a bad phase list
     */
    public static Result watershed(Volume volume, int[] phases, Options options) {
        int nx = volume.nx();
        int ny = volume.ny();
        int nz = volume.nz();
        boolean[] mask = PhaseMask.of(volume, phases);
        int n = mask.length;
        MemoryBudget.require(n, 28, String.format(Locale.ROOT, "a watershed of a %dx%dx%d volume", nx, ny, nz));
        VoxelSize vs = volume.voxelSize();
        double[] s = {1, 1, 1};
        if (vs.isKnown()) {
            double min = Math.min(vs.dx(), Math.min(vs.dy(), vs.dz()));
            s = new double[] {vs.dx() / min, vs.dy() / min, vs.dz() / min};
        }
        float[] dt = new float[n];
        DistanceTransform.squaredInto(mask, nx, ny, nz, s[0], s[1], s[2], options.borderIsBackground(), dt);
        float maxFinite = 0;
        for (int i = 0; i < n; i++) {
            dt[i] = (float) Math.sqrt(dt[i]);
            if (dt[i] != Float.POSITIVE_INFINITY) {
                maxFinite = Math.max(maxFinite, dt[i]);
            }
        }
        for (int i = 0; i < n; i++) {
            if (dt[i] == Float.POSITIVE_INFINITY) {
                dt[i] = maxFinite + 1; // a phase without background: one flat plateau
            }
        }
        if (options.sigma() > 0) {
            dt = gaussian(dt, nx, ny, nz, options.sigma());
            for (int i = 0; i < n; i++) {
                if (!mask[i]) {
                    dt[i] = 0;
                }
            }
        }
        float[] maxf = maximumFilter(dt, nx, ny, nz, options.peakRadius());
        byte[] peakBytes = new byte[n];
        for (int i = 0; i < n; i++) {
            if (mask[i] && dt[i] > 0 && dt[i] == maxf[i]) {
                peakBytes[i] = 1;
            }
        }
        maxf = null;
        ConnectedComponents.Result peakComponents = ConnectedComponents.label(
                VolumeBuilder.adopt(nx, ny, nz, peakBytes).build(), 1,
                new ConnectedComponents.Options(Connectivity.CORNERS, false, false, false));
        int[] markerOf = peakComponents.labels(); // reused below as the particle labels
        boolean[] keep = new boolean[peakComponents.count() + 1];
        Arrays.fill(keep, true);
        if (options.trimNearbyPeaks()) {
            trimNearbyPeaks(markerOf, peakComponents.count(), dt, nx, ny, s, keep);
        }
        int peaks = 0;
        for (int k = 1; k < keep.length; k++) {
            peaks += keep[k] ? 1 : 0;
        }
        for (int i = 0; i < n; i++) {
            if (markerOf[i] != 0 && !keep[markerOf[i]]) {
                markerOf[i] = 0;
            }
        }
        addMarkersToUnmarkedComponents(volume, phases, markerOf, dt, options.connectivity());
        int count = renumber(markerOf);
        flood(markerOf, mask, dt, nx, ny, nz, options.connectivity());
        return new Result(nx, ny, nz, markerOf, count, peaks, vs);
    }

    /** Drops markers inside the inscribed ball (radius = smoothed r at the marker) of a marker with larger r. */
    private static void trimNearbyPeaks(int[] markerOf, int count, float[] dt, int nx, int ny, double[] s,
            boolean[] keep) {
        double[][] c = new double[count + 1][3];
        long[] size = new long[count + 1];
        float[] r = new float[count + 1];
        for (int i = 0; i < markerOf.length; i++) {
            int k = markerOf[i];
            if (k == 0) {
                continue;
            }
            c[k][0] += (i % nx) * s[0];
            c[k][1] += ((i / nx) % ny) * s[1];
            c[k][2] += (i / (nx * ny)) * s[2];
            size[k]++;
            r[k] = dt[i];
        }
        Integer[] order = new Integer[count];
        for (int k = 1; k <= count; k++) {
            for (int a = 0; a < 3; a++) {
                c[k][a] /= size[k];
            }
            order[k - 1] = k;
        }
        // sweep in x: only markers within r of each other along x can be inside the ball
        Arrays.sort(order, (a, b) -> Double.compare(c[a][0], c[b][0]));
        float maxR = 0;
        for (int k = 1; k <= count; k++) {
            maxR = Math.max(maxR, r[k]);
        }
        for (int oi = 0; oi < count; oi++) {
            int i = order[oi];
            for (int oj = oi + 1; oj < count && c[order[oj]][0] - c[i][0] < maxR; oj++) {
                int j = order[oj];
                double d2 = 0;
                for (int a = 0; a < 3; a++) {
                    d2 += (c[i][a] - c[j][a]) * (c[i][a] - c[j][a]);
                }
                // the smaller marker (ties: the larger number) goes when it lies inside the larger one's ball
                boolean iWins = r[i] > r[j] || (r[i] == r[j] && i < j);
                int big = iWins ? i : j;
                int small = iWins ? j : i;
                if (d2 < (double) r[big] * r[big]) {
                    keep[small] = false;
                }
            }
        }
    }

    /** Gives every phase component without a marker one at its first voxel of largest r. */
    private static void addMarkersToUnmarkedComponents(Volume volume, int[] phases, int[] markerOf, float[] dt,
            Connectivity connectivity) {
        ConnectedComponents.Result comp = ConnectedComponents.label(volume, phases,
                new ConnectedComponents.Options(connectivity, false, false, false));
        boolean[] marked = new boolean[comp.count() + 1];
        int[] best = new int[comp.count() + 1];
        Arrays.fill(best, -1);
        int next = 0;
        for (int i = 0; i < markerOf.length; i++) {
            next = Math.max(next, markerOf[i]);
            int k = comp.labels()[i];
            if (k == 0) {
                continue;
            }
            marked[k] |= markerOf[i] != 0;
            if (best[k] < 0 || dt[i] > dt[best[k]]) {
                best[k] = i;
            }
        }
        for (int k = 1; k <= comp.count(); k++) {
            if (!marked[k]) {
                markerOf[best[k]] = ++next;
            }
        }
    }

    /** Renumbers marker labels 1..count in scan order of first appearance; returns count. */
    private static int renumber(int[] labels) {
        int max = 0;
        for (int l : labels) {
            max = Math.max(max, l);
        }
        int[] map = new int[max + 1];
        int count = 0;
        for (int i = 0; i < labels.length; i++) {
            int l = labels[i];
            if (l != 0) {
                if (map[l] == 0) {
                    map[l] = ++count;
                }
                labels[i] = map[l];
            }
        }
        return count;
    }

    /** Priority resolution of the flood: r is compared in steps of 1/1024 voxel. */
    static final int LEVELS_PER_VOXEL = 1024;

    /**
     * Priority flood from the labelled voxels into the unlabelled phase voxels, with a bucket queue: bucket
     * {@code floor(r * 1024)}, a FIFO list per bucket (linked through {@code next}, one int per voxel), the highest
     * non-empty bucket served first. Each voxel is queued once when it is labelled, so the cost is O(N) plus
     * 26 neighbour checks per voxel; the order (higher bucket first, then first queued) is fixed by the scan order
     * of the markers, hence deterministic.
     */
    private static void flood(int[] labels, boolean[] mask, float[] dt, int nx, int ny, int nz,
            Connectivity connectivity) {
        int[][] offsets = ConnectedComponents.allOffsets(connectivity);
        float max = 0;
        for (int i = 0; i < dt.length; i++) {
            if (mask[i]) {
                max = Math.max(max, dt[i]);
            }
        }
        int buckets = bucket(max) + 1;
        int[] head = new int[buckets];
        int[] tail = new int[buckets];
        Arrays.fill(head, -1);
        int[] next = new int[labels.length];
        int top = -1;
        for (int i = 0; i < labels.length; i++) {
            if (!mask[i]) {
                labels[i] = -1; // one array answers "free phase voxel?": halves the cache lines touched per voxel
            } else if (labels[i] != 0) {
                int b = bucket(dt[i]);
                enqueue(head, tail, next, b, i);
                top = Math.max(top, b);
            }
        }
        int plane = nx * ny;
        while (top >= 0) {
            int i = head[top];
            if (i < 0) {
                top--;
                continue;
            }
            head[top] = next[i];
            int x = i % nx;
            int y = (i / nx) % ny;
            int z = i / plane;
            int label = labels[i];
            for (int[] o : offsets) {
                int xx = x + o[0];
                int yy = y + o[1];
                int zz = z + o[2];
                if (xx < 0 || yy < 0 || zz < 0 || xx >= nx || yy >= ny || zz >= nz) {
                    continue;
                }
                int j = xx + nx * yy + plane * zz;
                if (labels[j] == 0) {
                    labels[j] = label;
                    int b = bucket(dt[j]);
                    enqueue(head, tail, next, b, j);
                    top = Math.max(top, b);
                }
            }
        }
        for (int i = 0; i < labels.length; i++) {
            if (labels[i] < 0) {
                labels[i] = 0;
            }
        }
    }

    private static int bucket(float r) {
        return (int) (r * LEVELS_PER_VOXEL);
    }

    private static void enqueue(int[] head, int[] tail, int[] next, int b, int i) {
        next[i] = -1;
        if (head[b] < 0) {
            head[b] = i;
        } else {
            next[tail[b]] = i;
        }
        tail[b] = i;
    }

    /** Applies a 1D operation to every line along each axis in turn (x, y, z), parallel over lines' planes. */
    private interface LineOperation {
        void apply(float[] in, float[] out, int n);
    }

    private static float[] alongEachAxis(float[] data, int nx, int ny, int nz, LineOperation op) {
        int plane = nx * ny;
        float[] a = data.clone();
        int[] sizes = {nx, ny, nz};
        int[] strides = {1, nx, plane};
        for (int axis = 0; axis < 3; axis++) {
            int len = sizes[axis];
            int stride = strides[axis];
            if (len == 1) {
                continue;
            }
            float[] src = a;
            // tasks: z-slices for x and y lines, y-rows for z lines; each writes only its own lines
            int tasks = axis == 2 ? ny : nz;
            final int ax = axis;
            IntStream.range(0, tasks).parallel().forEach(t -> {
                float[] in = new float[len];
                float[] out = new float[len];
                int lines = ax == 0 ? ny : nx;
                for (int l = 0; l < lines; l++) {
                    int start = ax == 0 ? t * plane + l * nx : ax == 1 ? t * plane + l : t * nx + l;
                    for (int k = 0; k < len; k++) {
                        in[k] = src[start + k * stride];
                    }
                    op.apply(in, out, len);
                    for (int k = 0; k < len; k++) {
                        src[start + k * stride] = out[k];
                    }
                }
            });
        }
        return a;
    }

    /** Separable Gaussian smoothing, kernel half-width ceil(3 sigma), mirror ('reflect') boundary. */
    static float[] gaussian(float[] data, int nx, int ny, int nz, double sigma) {
        int radius = Math.max(1, (int) Math.ceil(3 * sigma));
        double[] w = new double[2 * radius + 1];
        double sum = 0;
        for (int k = -radius; k <= radius; k++) {
            w[k + radius] = Math.exp(-0.5 * k * k / (sigma * sigma));
            sum += w[k + radius];
        }
        for (int k = 0; k < w.length; k++) {
            w[k] /= sum;
        }
        return alongEachAxis(data, nx, ny, nz, (in, out, n) -> {
            for (int q = 0; q < n; q++) {
                double acc = 0;
                for (int k = -radius; k <= radius; k++) {
                    acc += w[k + radius] * in[mirror(q + k, n)];
                }
                out[q] = (float) acc;
            }
        });
    }

    private static int mirror(int i, int n) {
        int period = 2 * n;
        i = Math.floorMod(i, period);
        return i < n ? i : period - 1 - i;
    }

    /** Maximum over the cube of half-width r (clipped at the border), separable. Cost: 3 (2r + 1) reads/voxel. */
    static float[] maximumFilter(float[] data, int nx, int ny, int nz, int r) {
        return alongEachAxis(data, nx, ny, nz, (in, out, n) -> {
            for (int q = 0; q < n; q++) {
                float m = Float.NEGATIVE_INFINITY;
                for (int k = Math.max(0, q - r), e = Math.min(n - 1, q + r); k <= e; k++) {
                    m = Math.max(m, in[k]);
                }
                out[q] = m;
            }
        });
    }
}
