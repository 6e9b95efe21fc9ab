package dev.microforge.generator.binder;

import dev.microforge.datasets.Volume;
import java.util.Arrays;
import java.util.Locale;

/**
 * Label checks and the target voxel count shared by the CBD placers: pore, active and CBD labels must be 0..255 and
 * distinct; the volume must hold the pore and at least one active label; the target CBD voxel count
 * {@code round(targetFraction * n)} must be reachable by converting pore voxels.
 */
final class BinderLabels {
    private BinderLabels() {
    }

    /** Checks label values and distinctness; returns a defensive copy of {@code activeLabels}. */
    static int[] check(int poreLabel, int[] activeLabels, int cbdLabel) {
        checkLabel("poreLabel", poreLabel);
        checkLabel("cbdLabel", cbdLabel);
        if (poreLabel == cbdLabel) {
            throw new IllegalArgumentException("poreLabel and cbdLabel are both " + poreLabel
                    + "; give the CBD its own label (e.g. 2 for 0 = pore, 1 = active)");
        }
        if (activeLabels == null || activeLabels.length == 0) {
            throw new IllegalArgumentException("activeLabels is empty; name the active-material label(s), e.g. {1}");
        }
        for (int a : activeLabels) {
            checkLabel("activeLabels entry", a);
            if (a == poreLabel || a == cbdLabel) {
                throw new IllegalArgumentException(String.format(Locale.ROOT,
                        "active label %d equals the pore (%d) or CBD (%d) label; the three phases need distinct labels",
                        a, poreLabel, cbdLabel));
            }
        }
        return activeLabels.clone();
    }

    static void checkFraction(double targetFraction) {
        if (!(targetFraction >= 0 && targetFraction <= 1)) {
            throw new IllegalArgumentException("targetFraction is the CBD volume fraction of the whole volume, in [0, 1]; "
                    + "got " + targetFraction);
        }
    }

    private static void checkLabel(String name, int label) {
        if (label < 0 || label > 255) {
            throw new IllegalArgumentException(name + " must be a label value 0..255, got " + label);
        }
    }

    /** A 256-entry table, true for the active labels. */
    static boolean[] activeTable(int[] activeLabels) {
        boolean[] t = new boolean[256];
        for (int a : activeLabels) {
            t[a] = true;
        }
        return t;
    }

    /**
     * The number of pore voxels to convert so that the CBD holds {@code round(targetFraction * n)} voxels.
     *
     * @throws IllegalArgumentException when the pore or active labels are absent, the volume already holds more CBD
     *     than the target, or there is not enough pore to reach it
     */
    static long voxelsToAdd(Volume volume, double targetFraction, int poreLabel, int[] activeLabels, int cbdLabel) {
        long[] counts = volume.labelCounts();
        long n = volume.voxelCount();
        long active = 0;
        for (int a : activeLabels) {
            active += counts[a];
        }
        if (active == 0) {
            throw new IllegalArgumentException(String.format(Locale.ROOT,
                    "the volume holds no active voxel (labels %s); labels present: %s; set activeLabels",
                    Arrays.toString(activeLabels), volume.labelHistogram().keySet()));
        }
        if (counts[poreLabel] == 0) {
            throw new IllegalArgumentException(String.format(Locale.ROOT,
                    "the volume holds no pore voxel (label %d); labels present: %s; set poreLabel", poreLabel,
                    volume.labelHistogram().keySet()));
        }
        long target = Math.round(targetFraction * n);
        long existing = counts[cbdLabel];
        if (existing > target) {
            throw new IllegalArgumentException(String.format(Locale.ROOT,
                    "the volume already holds CBD fraction %.4f (%d voxels of label %d), above the target %.4f; "
                            + "raise targetFraction or start from a volume without CBD",
                    existing / (double) n, existing, cbdLabel, targetFraction));
        }
        if (target - existing > counts[poreLabel]) {
            throw new IllegalArgumentException(String.format(Locale.ROOT,
                    "target CBD fraction %.4f needs %d more CBD voxels but the pore (label %d) holds only %d "
                            + "(pore fraction %.4f); lower targetFraction to at most %.4f",
                    targetFraction, target - existing, poreLabel, counts[poreLabel], counts[poreLabel] / (double) n,
                    (existing + counts[poreLabel]) / (double) n));
        }
        return target - existing;
    }

    /**
     * What both placers start from: the number of voxels to turn into CBD, a writable copy of the labels and the
     * active-label table, after checking the labels, the target and (at {@code bytesPerVoxel}) the heap.
     */
    record Start(long toAdd, byte[] labels, boolean[] active) {
    }

    static Start begin(Volume volume, double targetFraction, int poreLabel, int[] activeLabels, int cbdLabel,
            int bytesPerVoxel, String what) {
        long toAdd = voxelsToAdd(volume, targetFraction, poreLabel, activeLabels, cbdLabel);
        dev.microforge.datasets.MemoryBudget.require(volume.voxelCount(), bytesPerVoxel, String.format(
                java.util.Locale.ROOT, "%s on a %dx%dx%d volume", what, volume.nx(), volume.ny(), volume.nz()));
        return new Start(toAdd, volume.toArray(), activeTable(activeLabels));
    }
}
