package dev.microforge.generator.binder;

import dev.microforge.datasets.Volume;

/**
 * Share of the active-material surface covered by carbon-binder domain (CBD), counted on voxel faces.
 *
 * <p>Rule: over every pair of face-adjacent voxels (6-neighbourhood, inside the volume; faces on the volume border do
 * not count) where one voxel is active, count the faces whose other voxel is CBD ({@code activeCbd}) and those whose
 * other voxel is pore ({@code activePore}); coverage = {@code activeCbd / (activeCbd + activePore)}. Active-active
 * faces and faces to any other label are ignored, so coverage is the share of the electrolyte-or-binder-facing active
 * surface that binder blocks. Dimensionless; 0 when there is no such face. Cost: one pass, 3 face reads per voxel.
 */
public final class BinderCoverage {
    private BinderCoverage() {
    }

    /**
     * Face counts.
     *
     * @param activeCbd active-CBD faces
     * @param activePore active-pore faces
     */
    public record Faces(long activeCbd, long activePore) {
        /** {@code activeCbd / (activeCbd + activePore)}, 0 when both are 0. */
        public double coverage() {
            long total = activeCbd + activePore;
            return total == 0 ? 0.0 : activeCbd / (double) total;
        }
    }

    /** Fraction of the active surface (faces to pore or CBD) that touches CBD; see the class comment. */
    public static double activeSurfaceCoverage(Volume volume, int poreLabel, int activeLabel, int cbdLabel) {
        return faces(volume, poreLabel, new int[] {activeLabel}, cbdLabel).coverage();
    }

    /**
     * Active-CBD and active-pore face counts for one or more active labels.
     *
     * @throws IllegalArgumentException for labels outside 0..255 or not distinct
     */
    public static Faces faces(Volume volume, int poreLabel, int[] activeLabels, int cbdLabel) {
        boolean[] active = BinderLabels.activeTable(BinderLabels.check(poreLabel, activeLabels, cbdLabel));
        int nx = volume.nx();
        int ny = volume.ny();
        int nz = volume.nz();
        int plane = nx * ny;
        long[] counts = new long[2]; // [0] active-CBD, [1] active-pore
        for (int z = 0; z < nz; z++) {
            for (int y = 0; y < ny; y++) {
                for (int x = 0; x < nx; x++) {
                    int i = x + nx * (y + ny * z);
                    int a = volume.get(i);
                    if (x + 1 < nx) {
                        countFace(a, volume.get(i + 1), active, poreLabel, cbdLabel, counts);
                    }
                    if (y + 1 < ny) {
                        countFace(a, volume.get(i + nx), active, poreLabel, cbdLabel, counts);
                    }
                    if (z + 1 < nz) {
                        countFace(a, volume.get(i + plane), active, poreLabel, cbdLabel, counts);
                    }
                }
            }
        }
        long cbd = counts[0];
        long pore = counts[1];
        return new Faces(cbd, pore);
    }

    private static void countFace(int a, int b, boolean[] active, int poreLabel, int cbdLabel, long[] counts) {
        if (active[a] != active[b]) {
            int other = active[a] ? b : a;
            if (other == cbdLabel) {
                counts[0]++;
            } else if (other == poreLabel) {
                counts[1]++;
            }
        }
    }
}
