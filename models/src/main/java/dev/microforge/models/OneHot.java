package dev.microforge.models;

import dev.microforge.datasets.Volume;

/**
 * One-hot encoding of labelled volumes as network input: channel {@code c} is 1 where the label is
 * {@code c}, laid out {@code (phases, z, y, x)} (NCDHW without N; the {@code Volume} index order
 * within each channel, so no reshuffle).
 */
public final class OneHot {

    private OneHot() {}

    /**
     * Encodes a whole volume.
     *
     * @param volume labels {@code 0..phases-1}
     * @param phases number of channels
     * @return {@code phases * nx * ny * nz} floats, channel-major
     * @throws IllegalArgumentException if a label is {@code >= phases}, naming it
     */
    public static float[] encode(Volume volume, int phases) {
        requireLabels(volume, phases);
        int voxels = Math.toIntExact(volume.voxelCount());
        float[] data = new float[Math.multiplyExact(phases, voxels)];
        for (int i = 0; i < voxels; i++) {
            data[volume.get(i) * voxels + i] = 1f;
        }
        return data;
    }

    /**
     * Refuses volumes with labels outside {@code 0..phases-1}.
     *
     * @param volume the volume
     * @param phases number of phases
     * @throws IllegalArgumentException naming the first label out of range
     */
    public static void requireLabels(Volume volume, int phases) {
        long[] counts = volume.labelCounts();
        for (int label = phases; label < counts.length; label++) {
            if (counts[label] > 0) {
                throw new IllegalArgumentException(
                        "volume has label " + label + " but the model has " + phases + " phases (labels 0.."
                                + (phases - 1) + "); remap labels first");
            }
        }
    }
}
