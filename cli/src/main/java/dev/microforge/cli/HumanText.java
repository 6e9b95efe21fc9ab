package dev.microforge.cli;

import dev.microforge.datasets.VoxelSize;

/** How numbers and sizes read in text output: no needless decimals, units spelled out. */
final class HumanText {
    private HumanText() {
    }

    /** {@code 0.4 x 0.4 x 0.5 um}, or {@code unknown}. */
    static String voxelSize(VoxelSize size) {
        if (size == null || !size.isKnown()) {
            return "unknown";
        }
        return SampleHistogram.format(size.dx()) + " x " + SampleHistogram.format(size.dy()) + " x "
                + SampleHistogram.format(size.dz()) + " um";
    }
}
