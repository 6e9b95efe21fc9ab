package dev.microforge.cli;

import dev.microforge.datasets.PhaseMap;
import dev.microforge.datasets.Volume;
import java.util.Arrays;

/**
 * Resolves {@code --phase} text against a volume: label values ({@code 0}, {@code 85}) or electrode names
 * ({@code pore}, {@code active}, {@code cbd}: the lowest, middle and highest of two or three labels present, see
 * {@link PhaseMap#electrode}), several joined by commas or {@code +} for a phase set ({@code active+cbd}).
 */
final class PhaseArgument {
    private PhaseArgument() {
    }

    /**
     * The label values named by {@code text}.
     *
     * @throws IllegalArgumentException naming the phase and the labels present when one is unknown
     */
    static int[] resolve(String text, Volume volume) {
        PhaseMap names = PhaseMap.electrode(volume.labelHistogram().keySet());
        String[] parts = text.split("[,+]");
        int[] labels = new int[parts.length];
        for (int i = 0; i < parts.length; i++) {
            try {
                labels[i] = names.resolve(parts[i]);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("--phase " + text + ": " + e.getMessage()
                        + "; labels present: " + volume.labelHistogram().keySet());
            }
        }
        return Arrays.stream(labels).distinct().sorted().toArray();
    }
}
