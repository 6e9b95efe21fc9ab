package dev.microforge.evaluator.geometry;

import dev.microforge.datasets.Volume;
import dev.microforge.datasets.VoxelSize;

/**
 * The length unit a descriptor is reported in: micrometres when the volume's {@link VoxelSize} is known, voxel edges
 * otherwise (never guessed). Derived units follow: a specific surface area is in 1/um or 1/voxel, a length density
 * in 1/um^2 or 1/voxel^2, a wavenumber in rad/um or rad/voxel.
 */
public enum LengthUnit {
    /** Micrometres: the voxel size was known. */
    MICROMETRE("um"),
    /** Voxel edges: the voxel size was unknown, every edge counts as 1. */
    VOXEL("voxel");

    private final String symbol;

    LengthUnit(String symbol) {
        this.symbol = symbol;
    }

    /** {@code "um"} or {@code "voxel"}. */
    public String symbol() {
        return symbol;
    }

    /** The unit a volume's results are reported in. */
    public static LengthUnit of(Volume volume) {
        return volume.voxelSize().isKnown() ? MICROMETRE : VOXEL;
    }

    /**
     * Voxel edges {@code {dx, dy, dz}} in this volume's unit: the voxel size in micrometres, or {1, 1, 1} when unknown.
     */
    public static double[] edges(Volume volume) {
        VoxelSize s = volume.voxelSize();
        return s.isKnown() ? new double[] {s.dx(), s.dy(), s.dz()} : new double[] {1, 1, 1};
    }
}
