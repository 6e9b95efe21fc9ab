package dev.microforge.datasets;

/**
 * Edge lengths of one voxel in micrometres along x, y and z. An unknown voxel size is allowed and reported as
 * unknown ({@link #UNKNOWN}, {@link #isKnown()}); it is never guessed.
 *
 * @param dx voxel edge along x in micrometres, or NaN when unknown
 * @param dy voxel edge along y in micrometres, or NaN when unknown
 * @param dz voxel edge along z in micrometres, or NaN when unknown
 */
public record VoxelSize(double dx, double dy, double dz) {

    /** The voxel size of a volume whose file did not state one. */
    public static final VoxelSize UNKNOWN = new VoxelSize(Double.NaN, Double.NaN, Double.NaN);

    public VoxelSize {
        boolean allNaN = Double.isNaN(dx) && Double.isNaN(dy) && Double.isNaN(dz);
        if (!allNaN && !(valid(dx) && valid(dy) && valid(dz))) {
            throw new IllegalArgumentException(String.format(
                    "voxel size must be three finite positive lengths in micrometres, got (%s, %s, %s)", dx, dy, dz));
        }
    }

    private static boolean valid(double v) {
        return Double.isFinite(v) && v > 0;
    }

    /** A cubic voxel of edge {@code micrometres}. */
    public static VoxelSize isotropic(double micrometres) {
        return new VoxelSize(micrometres, micrometres, micrometres);
    }

    /** Whether the three edge lengths are known. */
    public boolean isKnown() {
        return !Double.isNaN(dx);
    }

    /** Edge length along {@code axis} in micrometres (NaN when unknown). */
    public double along(Axis axis) {
        switch (axis) {
            case X: return dx;
            case Y: return dy;
            default: return dz;
        }
    }

    /**
     * Parses {@code "0.4"} (isotropic) or {@code "0.4,0.4,0.5"} (dx,dy,dz) in micrometres.
     *
     * @throws IllegalArgumentException naming the text when it is not one or three positive numbers
     */
    public static VoxelSize parse(String text) {
        String[] parts = text == null ? new String[0] : text.split(",");
        try {
            double[] v = new double[parts.length];
            for (int i = 0; i < parts.length; i++) {
                v[i] = Double.parseDouble(parts[i].trim());
                if (!valid(v[i])) {
                    throw new NumberFormatException();
                }
            }
            if (v.length == 1) {
                return isotropic(v[0]);
            }
            if (v.length == 3) {
                return new VoxelSize(v[0], v[1], v[2]);
            }
        } catch (NumberFormatException e) {
            // fall through to the message below
        }
        throw new IllegalArgumentException(
                "voxel size must be one length or three lengths dx,dy,dz in micrometres (e.g. 0.4 or 0.4,0.4,0.5), got '"
                        + text + "'");
    }

    @Override
    public String toString() {
        return isKnown() ? String.format("%g x %g x %g um", dx, dy, dz) : "unknown";
    }
}
