package dev.microforge.evaluator.geometry;

import dev.microforge.datasets.Volume;

/** Argument checks shared by the geometry and correlation descriptors (messages name the bad value and the fix). */
public final class Inputs {
    private Inputs() {
    }

    /**
     * @throws IllegalArgumentException when {@code volume} is null
     */
    public static Volume volume(Volume volume) {
        if (volume == null) {
            throw new IllegalArgumentException("volume is required, got null; load one with VolumeIO.read");
        }
        return volume;
    }

    /**
     * @throws IllegalArgumentException when {@code phase} is not a label value 0..255
     */
    public static int phase(int phase) {
        if (phase < 0 || phase > 255) {
            throw new IllegalArgumentException("phase must be a label value 0..255, got " + phase);
        }
        return phase;
    }

    /**
     * A membership table of 256 entries for the label values in {@code phases}.
     *
     * @throws IllegalArgumentException for a null or empty list or a value outside 0..255
     */
    public static boolean[] phaseSet(int... phases) {
        if (phases == null || phases.length == 0) {
            throw new IllegalArgumentException("no phase given; name at least one label value 0..255");
        }
        boolean[] in = new boolean[256];
        for (int p : phases) {
            in[phase(p)] = true;
        }
        return in;
    }
}
