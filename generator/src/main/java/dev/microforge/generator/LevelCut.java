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
            int bits = Float.floatToIntBits(field[i] == 0f ? 0f : field[i]);
            int ordered = bits >= 0 ? bits : bits ^ 0x7FFFFFFF;
            keys[i] = ((long) ordered << 32) | (i & 0xFFFFFFFFL);
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
