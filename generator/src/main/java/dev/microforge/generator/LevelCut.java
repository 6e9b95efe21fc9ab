package dev.microforge.generator;

import dev.microforge.datasets.Volume;
import dev.microforge.datasets.VolumeBuilder;
import dev.microforge.datasets.VoxelSize;
import java.util.Arrays;
import java.util.Locale;

/**
 * Cuts a continuous field into phases at levels chosen so that the phases take given volume fractions: voxel i
 * gets label k when its value lies between the k-th and (k+1)-th quantile. Fractions are met to within one voxel
 * (ties at a level are broken by index, so the result is exact and deterministic). Used by every generator that
 * thresholds a random field (Gaussian random fields, Fourier reconstruction, perturbed tessellations).
 *
 * <p>Cost: a sort of the {@code n} values (n log n, 8 bytes per voxel for the sort keys).
 */
public final class LevelCut {
    private LevelCut() {
    }

    /**
     * Labels {@code field} (x fastest, {@code nx * ny * nz} values) into {@code fractions.length} phases: label 0
     * for the lowest values, label 1 for the next band, and so on.
     *
     * @param fractions target volume fractions of labels 0, 1, ..., each in [0, 1], summing to 1 (within 1e-6)
     * @throws IllegalArgumentException naming the fractions when they do not sum to 1 or one is out of range
     */
    public static Volume toFractions(float[] field, int nx, int ny, int nz, double[] fractions, VoxelSize voxel) {
        checkFractions(fractions);
        long n = (long) nx * ny * nz;
        if (field == null || field.length != n) {
            throw new IllegalArgumentException("field has " + (field == null ? "no" : field.length)
                    + " values for " + nx + " x " + ny + " x " + nz);
        }
        // sort keys: the float's order-preserving bits in the high word, the index in the low word
        long[] keys = new long[(int) n];
        for (int i = 0; i < n; i++) {
            keys[i] = ((long) orderedBits(field[i]) << 32) | (i & 0xFFFFFFFFL);
        }
        Arrays.sort(keys);
        VolumeBuilder b = VolumeBuilder.create(nx, ny, nz);
        byte[] labels = b.array();
        long start = 0;
        double cumulative = 0;
        for (int k = 0; k < fractions.length; k++) {
            cumulative += fractions[k];
            long end = k == fractions.length - 1 ? n : Math.round(cumulative * n);
            for (long j = start; j < end; j++) {
                labels[(int) (keys[(int) j] & 0xFFFFFFFFL)] = (byte) k;
            }
            start = end;
        }
        return b.build(voxel);
    }

    /** Most sweeps of the offset search of {@link #toFractions(float[][], int, int, int, double[], VoxelSize)}. */
    static final int MAX_SWEEPS = 50;

    /**
     * Labels voxels by their highest phase score after per-phase offsets chosen so that the phases take the given
     * fractions: voxel i gets {@code argmax_k (scores[k][i] + b_k)}. This is the multi-phase level cut, e.g. of
     * log-probabilities from a soft reconstruction; for two phases it is {@link #toFractions(float[], int, int, int,
     * double[], VoxelSize)} of {@code scores[1] - scores[0]}. Fractions are met to within one voxel.
     *
     * <p>Method: block coordinate ascent on the offsets (for each phase in turn, the offset that gives it exactly its
     * count with the others fixed: the count-th smallest {@code max_{j != k}(s_j + b_j) - s_k}), repeated until the
     * argmax counts are right or {@value #MAX_SWEEPS} sweeps; then an exact pass assigns phases 0, 1, ... in turn the
     * unassigned voxels with the largest margin {@code s_k + b_k - max_{j > k}(s_j + b_j)}, which reproduces the
     * argmax wherever the offsets converged. Ties are broken by voxel index (deterministic).
     *
     * <p>Cost: one radix selection of two neighbouring ranks ({@link #kthAndNextSmallest}, three linear passes) per
     * phase per sweep (a few sweeps in practice),
     * 4 bytes per voxel for the margins, 4 for voxel indices and 1 for a flag.
     *
     * @param scores {@code scores[k][i]}: score of phase k at voxel i (x fastest), finite
     * @param fractions target fractions of labels 0, 1, ..., as many as score arrays, summing to 1
     * @throws IllegalArgumentException for mismatched sizes, non-finite scores or bad fractions
     */
    public static Volume toFractions(float[][] scores, int nx, int ny, int nz, double[] fractions, VoxelSize voxel) {
        checkFractions(fractions);
        long n64 = (long) nx * ny * nz;
        if (scores == null || scores.length != fractions.length) {
            throw new IllegalArgumentException((scores == null ? "no" : scores.length) + " score arrays for "
                    + fractions.length + " fractions");
        }
        for (float[] s : scores) {
            if (s == null || s.length != n64) {
                throw new IllegalArgumentException("a score array has " + (s == null ? "no" : s.length)
                        + " values for " + nx + " x " + ny + " x " + nz);
            }
            for (float v : s) {
                if (!Float.isFinite(v)) {
                    throw new IllegalArgumentException("scores must be finite, found " + v);
                }
            }
        }
        int phases = scores.length;
        int n = (int) n64;
        if (phases == 2) {
            float[] d = new float[n];
            for (int i = 0; i < n; i++) {
                d[i] = scores[1][i] - scores[0][i];
            }
            return toFractions(d, nx, ny, nz, fractions, voxel);
        }
        int[] counts = new int[phases];
        double cumulative = 0;
        long start = 0;
        for (int k = 0; k < phases; k++) {
            cumulative += fractions[k];
            long end = k == phases - 1 ? n : Math.round(cumulative * n);
            counts[k] = (int) (end - start);
            start = end;
        }
        double[] b = new double[phases];
        float[] margin = new float[n];
        for (int sweep = 0; sweep < MAX_SWEEPS; sweep++) {
            for (int k = 0; k < phases; k++) {
                for (int i = 0; i < n; i++) {
                    double best = Double.NEGATIVE_INFINITY;
                    for (int j = 0; j < phases; j++) {
                        if (j != k) {
                            best = Math.max(best, scores[j][i] + b[j]);
                        }
                    }
                    margin[i] = (float) (best - scores[k][i]);
                }
                int c = counts[k];
                if (c == 0 || c == n) {
                    b[k] = c == 0 ? kthSmallest(margin, n, 0) - 1.0 : kthSmallest(margin, n, n - 1) + 1.0;
                } else {
                    float[] pair = kthAndNextSmallest(margin, n, c - 1);
                    b[k] = 0.5 * ((double) pair[0] + pair[1]);
                }
            }
            int[] got = new int[phases];
            for (int i = 0; i < n; i++) {
                got[argmax(scores, b, i, 0)]++;
            }
            if (Arrays.equals(got, counts)) {
                break;
            }
        }
        // exact pass: phase k takes the unassigned voxels where it leads the later phases most
        VolumeBuilder builder = VolumeBuilder.create(nx, ny, nz);
        byte[] labels = builder.array();
        boolean[] assigned = new boolean[n];
        int[] index = new int[n];
        for (int k = 0; k < phases - 1; k++) {
            if (counts[k] == 0) {
                continue;
            }
            int m = 0;
            for (int i = 0; i < n; i++) {
                if (assigned[i]) {
                    continue;
                }
                int r = argmax(scores, b, i, k + 1);
                // the negated lead, so that the largest leads are the smallest values
                margin[m] = (float) (scores[r][i] + b[r] - (scores[k][i] + b[k]));
                index[m++] = i;
            }
            // the counts[k] smallest negated leads; of those equal to the last one taken, the first by index
            float last = kthSmallest(margin, m, counts[k] - 1);
            int ties = counts[k];
            for (int j = 0; j < m; j++) {
                ties -= margin[j] < last ? 1 : 0;
            }
            for (int j = 0; j < m; j++) {
                if (margin[j] < last || margin[j] == last && ties-- > 0) {
                    labels[index[j]] = (byte) k;
                    assigned[index[j]] = true;
                }
            }
        }
        for (int i = 0; i < n; i++) {
            if (!assigned[i]) {
                labels[i] = (byte) (phases - 1);
            }
        }
        return builder.build(voxel);
    }

    /** The phase j >= from with the largest {@code scores[j][i] + b[j]} (lowest index on ties). */
    private static int argmax(float[][] scores, double[] b, int i, int from) {
        int best = from;
        for (int j = from + 1; j < scores.length; j++) {
            if (scores[j][i] + b[j] > scores[best][i] + b[best]) {
                best = j;
            }
        }
        return best;
    }

    /**
     * The {@code k}-th smallest (from 0) of {@code values[0..n)}, by radix selection on the values' order-preserving
     * bits: a count of the high 16 bits, then of the low 16 bits of the values in the bin that holds rank {@code k}.
     * Two passes over the values, no copy (a sort of 2 million floats took 20 times longer). {@code -0} counts as
     * {@code 0}; the values must not be NaN.
     */
    static float kthSmallest(float[] values, int n, int k) {
        return Float.intBitsToFloat((int) select(values, n, k));
    }

    /**
     * The {@code k}-th and {@code (k+1)}-th smallest (from 0) of {@code values[0..n)}, as {@link #kthSmallest} gives
     * them one by one, in three passes over the values instead of four: the selection of rank {@code k} also counts
     * the values equal to it, and only when rank {@code k + 1} is larger does a third pass find it (the smallest
     * value above).
     *
     * @return {@code {k-th, (k+1)-th}}
     */
    static float[] kthAndNextSmallest(float[] values, int n, int k) {
        if (k + 1 >= n) {
            throw new IllegalArgumentException("rank " + (k + 1) + " outside 0.." + (n - 1));
        }
        long selected = select(values, n, k);
        float kth = Float.intBitsToFloat((int) selected);
        if (selected >>> 32 > k + 1) { // more than k + 1 values are at most the k-th: the next one equals it
            return new float[] {kth, kth};
        }
        int at = orderedBits(kth);
        int next = Integer.MAX_VALUE;
        for (int i = 0; i < n; i++) {
            int u = orderedBits(values[i]);
            if (u > at && u < next) {
                next = u;
            }
        }
        return new float[] {kth, Float.intBitsToFloat(next >= 0 ? next : next ^ 0x7FFFFFFF)};
    }

    /**
     * Radix selection of rank {@code k}: the value's float bits in the low word and, in the high word, how many of
     * the values are at most it.
     */
    private static long select(float[] values, int n, int k) {
        if (k < 0 || k >= n) {
            throw new IllegalArgumentException("rank " + k + " outside 0.." + (n - 1));
        }
        int[] count = new int[1 << 16];
        for (int i = 0; i < n; i++) {
            count[(orderedBits(values[i]) ^ Integer.MIN_VALUE) >>> 16]++;
        }
        int high = 0;
        int below = 0;
        while (below + count[high] <= k) {
            below += count[high++];
        }
        Arrays.fill(count, 0);
        for (int i = 0; i < n; i++) {
            int u = orderedBits(values[i]) ^ Integer.MIN_VALUE;
            if (u >>> 16 == high) {
                count[u & 0xFFFF]++;
            }
        }
        int low = 0;
        while (below + count[low] <= k) {
            below += count[low++];
        }
        int ordered = ((high << 16) | low) ^ Integer.MIN_VALUE;
        int bits = ordered >= 0 ? ordered : ordered ^ 0x7FFFFFFF;
        return ((long) (below + count[low]) << 32) | (bits & 0xFFFFFFFFL);
    }

    private static int orderedBits(float value) {
        int bits = Float.floatToIntBits(value == 0f ? 0f : value);
        return bits >= 0 ? bits : bits ^ 0x7FFFFFFF;
    }

    /**
     * Checks a fraction vector.
     *
     * @throws IllegalArgumentException when a fraction is outside [0, 1] or they do not sum to 1
     */
    public static void checkFractions(double[] fractions) {
        if (fractions == null || fractions.length < 2 || fractions.length > 256) {
            throw new IllegalArgumentException("give 2 to 256 phase fractions, e.g. 0.4,0.6 or 0.35,0.5,0.15");
        }
        double sum = 0;
        for (double f : fractions) {
            if (!(f >= 0 && f <= 1)) {
                throw new IllegalArgumentException("phase fractions must lie in [0, 1], got "
                        + Arrays.toString(fractions));
            }
            sum += f;
        }
        if (Math.abs(sum - 1) > 1e-6) {
            throw new IllegalArgumentException(String.format(Locale.ROOT,
                    "phase fractions must sum to 1, got %s (sum %.6f)", Arrays.toString(fractions), sum));
        }
    }
}
