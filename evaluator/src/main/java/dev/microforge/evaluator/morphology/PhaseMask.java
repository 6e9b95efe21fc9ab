package dev.microforge.evaluator.morphology;

import dev.microforge.datasets.MemoryBudget;
import dev.microforge.datasets.Volume;
import java.util.Arrays;
import java.util.Locale;
import java.util.stream.IntStream;

/**
 * Turns a list of phase labels into a per-voxel membership mask ({@code true} = voxel in the phase set), the common
 * input of the descriptors in this package. Layout: one {@code boolean} per voxel, index {@code x + nx * (y + ny * z)}.
 */
final class PhaseMask {
    private PhaseMask() {
    }

    /**
     * A 256-entry lookup table: entry v is whether label v is in {@code phases}.
     *
     * @throws IllegalArgumentException for a null or empty list or a label outside 0..255
     */
    static boolean[] lookup(int[] phases) {
        if (phases == null || phases.length == 0) {
            throw new IllegalArgumentException("no phase given; name at least one label value (0..255)");
        }
        boolean[] in = new boolean[256];
        for (int p : phases) {
            if (p < 0 || p > 255) {
                throw new IllegalArgumentException("phase labels are 0..255, got " + p + "; pass the label value of "
                        + "the phase (e.g. 0 for pore)");
            }
            in[p] = true;
        }
        return in;
    }

    /** Membership of every voxel of {@code volume} in {@code phases}; filled in parallel over z-slices. */
    static boolean[] of(Volume volume, int[] phases) {
        boolean[] in = lookup(phases);
        MemoryBudget.require(volume.voxelCount(), 1, String.format(Locale.ROOT, "a phase mask of a %dx%dx%d volume",
                volume.nx(), volume.ny(), volume.nz()));
        int plane = volume.nx() * volume.ny();
        boolean[] mask = new boolean[(int) volume.voxelCount()];
        IntStream.range(0, volume.nz()).parallel().forEach(z -> {
            byte[] slice = new byte[plane];
            volume.copySlab(z, 1, slice, 0);
            int base = z * plane;
            for (int i = 0; i < plane; i++) {
                mask[base + i] = in[slice[i] & 0xFF];
            }
        });
        return mask;
    }

    /** Phases as text for messages, e.g. {@code [1, 2]}. */
    static String describe(int[] phases) {
        return Arrays.toString(phases);
    }
}
