package dev.microforge.datasets;

/**
 * A writable label array that becomes a {@link Volume} without a copy: readers and generators fill
 * {@link #array()} (x fastest, {@code x + nx * (y + ny * z)}) and call {@link #build} once, after which the builder
 * refuses further use. The size is checked against the heap before allocating.
 */
public final class VolumeBuilder {
    private final int nx;
    private final int ny;
    private final int nz;
    private byte[] labels;

    private VolumeBuilder(int nx, int ny, int nz, byte[] labels) {
        this.nx = nx;
        this.ny = ny;
        this.nz = nz;
        this.labels = labels;
    }

    /**
     * An all-zero builder of the given size.
     *
     * @throws IllegalArgumentException for a dimension below 1
     * @throws VolumeTooLargeException when it would not fit the heap (message gives the -Xmx)
     */
    public static VolumeBuilder create(int nx, int ny, int nz) {
        long count = Volume.checkDimensions(nx, ny, nz, 1);
        return new VolumeBuilder(nx, ny, nz, new byte[(int) count]);
    }

    /**
     * A builder over an array the caller allocated and filled (x fastest); the caller hands it over and must not
     * touch it afterwards. Lets a reader decode straight into the final label array.
     *
     * @throws IllegalArgumentException when the length is not {@code nx * ny * nz}
     */
    public static VolumeBuilder adopt(int nx, int ny, int nz, byte[] labels) {
        if (nx < 1 || ny < 1 || nz < 1 || labels == null || labels.length != (long) nx * ny * nz) {
            throw new IllegalArgumentException(String.format("cannot adopt %s labels as a %d x %d x %d volume",
                    labels == null ? "no" : String.valueOf(labels.length), nx, ny, nz));
        }
        return new VolumeBuilder(nx, ny, nz, labels);
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

    /** The backing array, to be filled directly by bulk writers. */
    public byte[] array() {
        if (labels == null) {
            throw new IllegalStateException("builder already built");
        }
        return labels;
    }

    /** Sets voxel {@code (x, y, z)} to {@code label} (0..255). */
    public void set(int x, int y, int z, int label) {
        array()[x + nx * (y + ny * z)] = (byte) label;
    }

    /** The volume, with unknown voxel size; the builder is unusable afterwards. */
    public Volume build() {
        return build(VoxelSize.UNKNOWN);
    }

    /** The volume with {@code voxelSize}; the builder is unusable afterwards. */
    public Volume build(VoxelSize voxelSize) {
        byte[] data = array();
        labels = null;
        return new Volume(nx, ny, nz, data, voxelSize);
    }
}
