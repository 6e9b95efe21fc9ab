package dev.microforge.models.surrogate;

import dev.microforge.datasets.Volume;
import java.util.List;
import java.util.Locale;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Turns labelled volumes into the network's input: one-hot phases, rearranged space-to-depth.
 *
 * <p>A volume of edge {@code n} (labels {@code 0..phases-1}, voxel index {@code x + n (y + n z)}) becomes a
 * {@code float} array of shape {@code (batch, phases * p³, n/p, n/p, n/p)} in DL4J's NCDHW order (D = z, H = y,
 * W = x) with
 *
 * <pre>  channel = phase * p³ + (dz * p + dy) * p + dx,   cell (Z, Y, X) = voxel (pX + dx, pY + dy, pZ + dz)</pre>
 *
 * <p>holding 1 where the voxel has that phase and 0 elsewhere. A 1x1x1 convolution on this array equals a {@code p³}
 * convolution with stride {@code p} on the one-hot volume, at a fraction of the cost in ND4J (whose strided 3D
 * convolution backward pass spends most of its time on the gradient of the input, which the first layer does not
 * need).
 *
 * <p>With {@link SurrogateArchitecture#boundaries()} {@code 3 phases} more channels follow, channel
 * {@code phases p³ + 3 c + a} holding, per cell, the number of voxel faces normal to axis {@code a} (x, y, z) that
 * separate phase {@code c} from another phase, over {@code p³}. A face between voxels {@code i} and {@code i + 1}
 * along {@code a} counts in the cell of voxel {@code i}; the outer faces of the volume are not boundaries. Summed
 * over cells and axes this is the face-count specific surface area of phase {@code c} (see
 * {@code dev.microforge.evaluator.geometry.SurfaceArea}), which a patch convolution could only approximate from
 * the one-hot voxels: a fixed first layer, computed here, not learned.
 *
 * <p>Flips (augmentation): bit 0, 1, 2 of {@code flips} mirror x, y, z. A mirror maps the electrode onto another
 * valid electrode with the same property vector (every property here is invariant under reflection).
 */
public final class SurrogateInput {
    private SurrogateInput() {
    }

    /**
     * Checks that {@code volume} fits {@code architecture}: a cube of edge {@code inputSize} with labels below
     * {@code phases}.
     *
     * @throws IllegalArgumentException naming the size or the label that does not fit
     */
    public static void check(Volume volume, SurrogateArchitecture architecture) {
        if (volume == null) {
            throw new IllegalArgumentException("volume is required, got null");
        }
        int n = architecture.inputSize();
        if (volume.nx() != n || volume.ny() != n || volume.nz() != n) {
            throw new IllegalArgumentException(String.format(Locale.ROOT,
                    "the surrogate takes %d x %d x %d volumes (the size it was trained on), got %d x %d x %d; crop "
                            + "or generate volumes of that size", n, n, n, volume.nx(), volume.ny(), volume.nz()));
        }
        long[] counts = volume.labelCounts();
        for (int label = architecture.phases(); label < counts.length; label++) {
            if (counts[label] > 0) {
                throw new IllegalArgumentException(String.format(Locale.ROOT,
                        "the surrogate knows labels 0..%d (0 pore, 1 active, 2 CBD) but the volume has %d voxels "
                                + "labelled %d; remap the labels first", architecture.phases() - 1, counts[label],
                        label));
            }
        }
    }

    /**
     * Encodes {@code volumes} (each checked with {@link #check}) with the given flips.
     *
     * @param flips one flip mask per volume (bits 0..2: mirror x, y, z), or null for none
     * @return float array {@code (volumes.size(), phases p³, n/p, n/p, n/p)}
     */
    public static INDArray encode(List<Volume> volumes, SurrogateArchitecture architecture, int[] flips) {
        return encode(volumes, architecture, flips, DataType.FLOAT);
    }

    /**
     * The edge of a cube.
     *
     * @param volume a volume
     * @return its edge
     * @throws IllegalArgumentException when its three dimensions differ
     */
    static int cubeEdge(Volume volume) {
        int n = volume.nx();
        if (volume.ny() != n || volume.nz() != n) {
            throw new IllegalArgumentException("expected a cube, got " + volume.nx() + "x" + volume.ny() + "x"
                    + volume.nz());
        }
        return n;
    }

    /**
     * The whole volume's boundary-face densities: {@code [3 c + a]} the number of voxel faces normal to axis {@code a}
     * (x, y, z) that separate phase {@code c} from another phase, over the number of voxels (the channels of {@link
     * #encode} with one cell).
     *
     * @param volume a cube with labels {@code 0..phases-1}
     * @param phases number of phases
     * @return {@code 3 phases} densities, 1/voxel
     */
    static double[] faceDensities(Volume volume, int phases) {
        int n = cubeEdge(volume);
        float[] data = new float[3 * phases];
        addBoundaries(volume.toArray(), n, n, 1, data, 0);
        return faceDensities(data, data.length, 1);
    }

    /**
     * The whole volume's boundary-face densities ({@link #faceDensities(Volume, int)}) from its boundary channels
     * ({@link #addBoundaries}; no second pass over the voxels): each channel holds faces / p³ per cell, so its sum
     * over the cells is faces / p³, and faces / n³ is that sum over the number of cells.
     *
     * @param channels the channels, {@code count} of {@code cells} values each
     */
    static double[] faceDensities(float[] channels, int count, int cells) {
        double[] out = new double[count];
        for (int c = 0; c < count; c++) {
            double sum = 0;
            for (int i = 0; i < cells; i++) {
                sum += channels[c * cells + i];
            }
            out[c] = sum / cells;
        }
        return out;
    }

    /**
     * Adds the boundary-face densities of {@code labels} (edge {@code n}, already mirrored) to the {@code 3 phases}
     * channels starting at {@code offset}: one pass over the voxels, three neighbour reads per voxel.
     */
    static void addBoundaries(byte[] labels, int n, int p, int g, float[] data, int offset) {
        int cells = g * g * g;
        float unit = 1f / (p * p * p);
        int plane = n * n;
        for (int z = 0; z < n; z++) {
            for (int y = 0; y < n; y++) {
                int row = (z * n + y) * n;
                int cellRow = offset + ((z / p) * g + (y / p)) * g;
                for (int x = 0; x < n; x++) {
                    int i = row + x;
                    int cell = cellRow + x / p;
                    int here = labels[i];
                    if (x + 1 < n && labels[i + 1] != here) {
                        data[(3 * here) * cells + cell] += unit;
                        data[(3 * labels[i + 1]) * cells + cell] += unit;
                    }
                    if (y + 1 < n && labels[i + n] != here) {
                        data[(3 * here + 1) * cells + cell] += unit;
                        data[(3 * labels[i + n] + 1) * cells + cell] += unit;
                    }
                    if (z + 1 < n && labels[i + plane] != here) {
                        data[(3 * here + 2) * cells + cell] += unit;
                        data[(3 * labels[i + plane] + 2) * cells + cell] += unit;
                    }
                }
            }
        }
    }

    /** As {@link #encode(List, SurrogateArchitecture, int[])} in the given floating-point type. */
    public static INDArray encode(List<Volume> volumes, SurrogateArchitecture architecture, int[] flips,
            DataType type) {
        if (flips != null && flips.length != volumes.size()) {
            throw new IllegalArgumentException(volumes.size() + " volumes but " + flips.length + " flip masks");
        }
        Nd4jRuntime.start();
        int n = architecture.inputSize();
        int p = architecture.patch();
        int g = n / p;
        int cells = g * g * g;
        int p3 = p * p * p;
        int perVolume = architecture.embeddedChannels() * cells;
        float[] data = new float[Math.multiplyExact(volumes.size(), perVolume)];
        for (int b = 0; b < volumes.size(); b++) {
            Volume v = volumes.get(b);
            check(v, architecture);
            int f = flips == null ? 0 : flips[b];
            boolean fx = (f & 1) != 0;
            boolean fy = (f & 2) != 0;
            boolean fz = (f & 4) != 0;
            int base = b * perVolume;
            byte[] source = v.toArray();
            byte[] labels = new byte[n * n * n];
            // the (mirrored) labels in one sequential pass, then one float written per voxel in output order
            // (sub-position, then cell): the writes run along the array instead of jumping by a channel each time
            for (int z = 0; z < n; z++) {
                int sz = fz ? n - 1 - z : z;
                for (int y = 0; y < n; y++) {
                    int sy = fy ? n - 1 - y : y;
                    int sourceRow = (sz * n + sy) * n;
                    int row = (z * n + y) * n;
                    if (fx) {
                        for (int x = 0; x < n; x++) {
                            labels[row + x] = source[sourceRow + n - 1 - x];
                        }
                    } else {
                        System.arraycopy(source, sourceRow, labels, row, n);
                    }
                }
            }
            for (int dz = 0; dz < p; dz++) {
                for (int dy = 0; dy < p; dy++) {
                    for (int dx = 0; dx < p; dx++) {
                        int sub = (dz * p + dy) * p + dx;
                        int cell = 0;
                        for (int cz = 0; cz < g; cz++) {
                            for (int cy = 0; cy < g; cy++) {
                                int voxelRow = ((cz * p + dz) * n + cy * p + dy) * n + dx;
                                for (int cx = 0; cx < g; cx++, cell++) {
                                    int label = labels[voxelRow + cx * p];
                                    data[base + (label * p3 + sub) * cells + cell] = 1f;
                                }
                            }
                        }
                    }
                }
            }
            if (architecture.boundaries()) {
                int offset = base + architecture.oneHotChannels() * cells;
                addBoundaries(labels, n, p, g, data, offset);
            }
        }
        INDArray array = Nd4j.create(data, new long[] {volumes.size(), architecture.embeddedChannels(), g, g, g},
                'c');
        return type == DataType.FLOAT ? array : array.castTo(type);
    }
}
