package dev.microforge.datasets;

import java.util.Arrays;

/**
 * An immutable 3D field of {@code float} values (probabilities, concentrations, potentials, greyscale intensities)
 * with the same axes and memory layout as {@link Volume}: index {@code x + nx * (y + ny * z)}, x fastest, 4 bytes
 * per voxel.
 */
public final class FloatVolume {
    private final int nx;
    private final int ny;
    private final int nz;
    private final float[] values;
    private final VoxelSize voxelSize;

    private FloatVolume(int nx, int ny, int nz, float[] values, VoxelSize voxelSize) {
        this.nx = nx;
        this.ny = ny;
        this.nz = nz;
        this.values = values;
        this.voxelSize = voxelSize == null ? VoxelSize.UNKNOWN : voxelSize;
    }

    /**
     * A field holding a copy of {@code values} (x fastest).
     *
     * @throws IllegalArgumentException when the length is not {@code nx * ny * nz}
     */
    public static FloatVolume of(int nx, int ny, int nz, float[] values, VoxelSize voxelSize) {
        long count = Volume.checkDimensions(nx, ny, nz, 4);
        if (values == null || values.length != count) {
            throw new IllegalArgumentException(String.format("value array has %s entries but %d x %d x %d = %d voxels",
                    values == null ? "no" : String.valueOf(values.length), nx, ny, nz, count));
        }
        return new FloatVolume(nx, ny, nz, values.clone(), voxelSize);
    }

    /** Takes ownership of {@code values} without copying (for readers that allocated it themselves). */
    static FloatVolume wrap(int nx, int ny, int nz, float[] values, VoxelSize voxelSize) {
        return new FloatVolume(nx, ny, nz, values, voxelSize);
    }

    /** An all-zero field, checked against the heap first. */
    public static FloatVolume zeros(int nx, int ny, int nz) {
        long count = Volume.checkDimensions(nx, ny, nz, 4);
        return new FloatVolume(nx, ny, nz, new float[(int) count], VoxelSize.UNKNOWN);
    }

    public int nx() {
        return nx;
    }

    public int ny() {
        return ny;
    }

    public int nz() {
        return nz;
    }

    public long voxelCount() {
        return values.length;
    }

    public VoxelSize voxelSize() {
        return voxelSize;
    }

    /** Value at {@code (x, y, z)}. */
    public float get(int x, int y, int z) {
        if (x < 0 || y < 0 || z < 0 || x >= nx || y >= ny || z >= nz) {
            throw new IndexOutOfBoundsException(
                    String.format("voxel (%d, %d, %d) outside %d x %d x %d", x, y, z, nx, ny, nz));
        }
        return values[x + nx * (y + ny * z)];
    }

    /** Value at linear index {@code i}. */
    public float get(int i) {
        return values[i];
    }

    /** A copy of the values, x fastest. */
    public float[] toArray() {
        return values.clone();
    }

    /** Smallest and largest finite value, as {@code {min, max}}; {@code {NaN, NaN}} when none is finite. */
    public float[] range() {
        float min = Float.POSITIVE_INFINITY;
        float max = Float.NEGATIVE_INFINITY;
        for (float v : values) {
            if (Float.isFinite(v)) {
                min = Math.min(min, v);
                max = Math.max(max, v);
            }
        }
        return min > max ? new float[] {Float.NaN, Float.NaN} : new float[] {min, max};
    }

    /** The sub-field of size {@code (sx, sy, sz)} at {@code (x0, y0, z0)}; same validation as {@link Volume#crop}. */
    public FloatVolume crop(int x0, int y0, int z0, int sx, int sy, int sz) {
        if (x0 < 0 || y0 < 0 || z0 < 0 || sx < 1 || sy < 1 || sz < 1
                || (long) x0 + sx > nx || (long) y0 + sy > ny || (long) z0 + sz > nz) {
            throw new IllegalArgumentException(String.format(
                    "crop box origin (%d, %d, %d) size %d x %d x %d is not inside the %d x %d x %d field",
                    x0, y0, z0, sx, sy, sz, nx, ny, nz));
        }
        float[] out = new float[sx * sy * sz];
        for (int z = 0; z < sz; z++) {
            for (int y = 0; y < sy; y++) {
                System.arraycopy(values, x0 + nx * (y0 + y + ny * (z0 + z)), out, sx * (y + sy * z), sx);
            }
        }
        return new FloatVolume(sx, sy, sz, out, voxelSize);
    }

    @Override
    public boolean equals(Object o) {
        if (this == o) {
            return true;
        }
        if (!(o instanceof FloatVolume)) {
            return false;
        }
        FloatVolume v = (FloatVolume) o;
        return nx == v.nx && ny == v.ny && nz == v.nz && Arrays.equals(values, v.values);
    }

    @Override
    public int hashCode() {
        return 31 * (31 * (31 * nx + ny) + nz) + Arrays.hashCode(values);
    }

    @Override
    public String toString() {
        return String.format("FloatVolume[%d x %d x %d, voxel %s]", nx, ny, nz, voxelSize);
    }
}
