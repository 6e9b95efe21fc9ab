package dev.microforge.datasets.io;

import dev.microforge.datasets.Volume;
import dev.microforge.datasets.VoxelSize;

/**
 * The decoded content of a volume file before it becomes labels: dimensions ({@code nx, ny, nz}, x fastest as in
 * {@link Volume}), the {@link SampleType} and one primitive array holding the samples in that order.
 *
 * <p>Storage by type: BOOL, UINT8, INT8 in {@code bytes} (INT8 two's complement, BOOL 0/1); UINT16, INT16 in
 * {@code shorts} (UINT16 read with {@code & 0xFFFF}); INT32 in {@code ints}; FLOAT32 in {@code floats}. Exactly one
 * array is non-null. A reader that allocated the array hands it over; {@link LabelConversion} reuses a byte array
 * as the label array when no conversion is needed, so an 8-bit file costs one copy of its voxels in memory.
 */
public final class Samples {
    private final int nx;
    private final int ny;
    private final int nz;
    private final SampleType type;
    private final Object data;
    private final VoxelSize voxelSize;

    private Samples(int nx, int ny, int nz, SampleType type, Object data, VoxelSize voxelSize) {
        this.nx = nx;
        this.ny = ny;
        this.nz = nz;
        this.type = type;
        this.data = data;
        this.voxelSize = voxelSize == null ? VoxelSize.UNKNOWN : voxelSize;
    }

    /**
     * Allocates zeroed storage for {@code type} after checking dimensions and heap.
     *
     * @throws dev.microforge.datasets.VolumeTooLargeException when it would not fit (message gives the -Xmx)
     */
    public static Samples allocate(int nx, int ny, int nz, SampleType type, VoxelSize voxelSize) {
        long n = Volume.checkDimensions(nx, ny, nz, type.bytes());
        int count = (int) n;
        Object data;
        switch (type) {
            case UINT16:
            case INT16:
                data = new short[count];
                break;
            case INT32:
                data = new int[count];
                break;
            case FLOAT32:
                data = new float[count];
                break;
            default:
                data = new byte[count];
                break;
        }
        return new Samples(nx, ny, nz, type, data, voxelSize);
    }

    /** Wraps samples already decoded; the array must match the type and hold {@code nx * ny * nz} entries. */
    public static Samples wrap(int nx, int ny, int nz, SampleType type, Object data, VoxelSize voxelSize) {
        Samples probe = new Samples(nx, ny, nz, type, data, voxelSize);
        if (probe.length() != (long) nx * ny * nz) {
            throw new IllegalArgumentException("sample array length " + probe.length() + " != " + nx + "*" + ny + "*"
                    + nz);
        }
        return probe;
    }

    private long length() {
        if (data instanceof byte[]) {
            return ((byte[]) data).length;
        } else if (data instanceof short[]) {
            return ((short[]) data).length;
        } else if (data instanceof int[]) {
            return ((int[]) data).length;
        } else if (data instanceof float[]) {
            return ((float[]) data).length;
        }
        throw new IllegalArgumentException("unsupported sample array " + data);
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

    public SampleType type() {
        return type;
    }

    public VoxelSize voxelSize() {
        return voxelSize;
    }

    public Samples withVoxelSize(VoxelSize size) {
        return new Samples(nx, ny, nz, type, data, size);
    }

    public long count() {
        return (long) nx * ny * nz;
    }

    /** Storage for BOOL, UINT8, INT8. */
    public byte[] bytes() {
        return (byte[]) data;
    }

    /** Storage for UINT16, INT16. */
    public short[] shorts() {
        return (short[]) data;
    }

    /** Storage for INT32. */
    public int[] ints() {
        return (int[]) data;
    }

    /** Storage for FLOAT32. */
    public float[] floats() {
        return (float[]) data;
    }

    /** Sample {@code i} as a double, honouring signedness. */
    public double value(int i) {
        switch (type) {
            case BOOL:
            case UINT8:
                return bytes()[i] & 0xFF;
            case INT8:
                return bytes()[i];
            case UINT16:
                return shorts()[i] & 0xFFFF;
            case INT16:
                return shorts()[i];
            case INT32:
                return ints()[i];
            default:
                return floats()[i];
        }
    }
}
