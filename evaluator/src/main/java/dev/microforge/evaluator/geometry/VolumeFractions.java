package dev.microforge.evaluator.geometry;

import dev.microforge.datasets.Volume;

/**
 * Volume fraction of every label value of a {@link Volume}: voxels of that label over all voxels.
 *
 * <p>Voxels are equal-volume boxes whatever the voxel size, so fractions are dimensionless and independent of the
 * {@link dev.microforge.datasets.VoxelSize}. Cost: one pass reading 1 byte per voxel.
 */
public final class VolumeFractions {
    private VolumeFractions() {
    }

    /**
     * Fractions of the labels present, in increasing label order.
     *
     * @param voxelCount {@code nx * ny * nz}
     * @param labels label values present, ascending
     * @param counts voxel count of each entry of {@code labels}
     * @param fractions {@code counts[i] / voxelCount}; they sum to 1
     */
    public record Result(long voxelCount, int[] labels, long[] counts, double[] fractions) {
        /** Fraction of {@code label}, 0 when it does not occur. */
        public double fraction(int label) {
            Inputs.phase(label);
            for (int i = 0; i < labels.length; i++) {
                if (labels[i] == label) {
                    return fractions[i];
                }
            }
            return 0;
        }
    }

    /**
     * @throws IllegalArgumentException when {@code volume} is null
     */
    public static Result of(Volume volume) {
        long[] all = Inputs.volume(volume).labelCounts();
        int present = 0;
        for (long c : all) {
            present += c > 0 ? 1 : 0;
        }
        int[] labels = new int[present];
        long[] counts = new long[present];
        double[] fractions = new double[present];
        double n = volume.voxelCount();
        int i = 0;
        for (int v = 0; v < 256; v++) {
            if (all[v] > 0) {
                labels[i] = v;
                counts[i] = all[v];
                fractions[i] = all[v] / n;
                i++;
            }
        }
        return new Result(volume.voxelCount(), labels, counts, fractions);
    }

    /** Fraction of the voxels whose label is {@code phase} (0 when absent). */
    public static double of(Volume volume, int phase) {
        Inputs.phase(phase);
        return Inputs.volume(volume).labelCounts()[phase] / (double) volume.voxelCount();
    }
}
