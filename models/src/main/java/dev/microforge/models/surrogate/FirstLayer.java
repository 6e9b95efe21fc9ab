package dev.microforge.models.surrogate;

import dev.microforge.datasets.Volume;
import java.util.List;
import org.deeplearning4j.nn.conf.layers.Convolution3D;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.activations.IActivation;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The first layer of every member ({@link SurrogateNetwork}: a 1x1x1 convolution of the space-to-depth input of
 * {@link SurrogateInput}, then its activation) computed for prediction straight from the labels, for all members in
 * one pass: the one-hot input has exactly one 1 among its {@code phases} channels per voxel, so the convolution of a
 * cell is its bias plus, per voxel of the cell, the weight column of that voxel's channel (a gather of {@code p³}
 * columns instead of a product with {@code phases p³} mostly zero inputs), plus the boundary densities times their
 * columns. The voxels of a cell are taken {@code k} at a time (at most {@link #COMBINATIONS} label combinations): a
 * table holds, per group of {@code k} sub-positions and per combination of their {@code phases^k} labels, the sum of
 * their columns, so a cell adds {@code ceil(p³ / k)} rows of {@code members × width} floats (16 instead of 64 for 3
 * phases), four rows per pass over its sums. Equal to the dense layer up to float rounding (the order of the sums
 * differs; the sums are in float whatever the members' type, so members of {@code DOUBLE} parameters get a first
 * layer of float accuracy); the dense encoding stays what training uses, since the weights' gradient needs it.
 *
 * <p>Why: for the default architecture (4 members, 201 input channels, 16³ cells) the dense encoding of a 64³ volume
 * (6.5 ms) and the four first layers in ND4J (7.4 ms) took 14 ms of a prediction, this 9 ms (of which the boundary
 * densities 2 and the gather 4.4; 2-core Xeon, one ND4J thread; README, "Property surrogate").
 *
 * <p>Weights are read when the object is made (a surrogate makes one on its first prediction: its members are not
 * modified once assembled).
 */
final class FirstLayer {
    private final SurrogateArchitecture architecture;
    private final List<MultiLayerNetwork> members;
    /** Output channels of each member's first layer. */
    private final int width;
    /** Output channels of all members together: {@code members * width}. */
    private final int all;
    /** {@code [k * all + member * width + c]}: the weights of boundary channel {@code k}, side by side. */
    private final float[] boundaryWeights;
    /** {@code [member * width + c]}. */
    private final float[] bias;
    /** Each member's activation of its first layer. */
    private final IActivation[] activations;
    /** Sub-positions per group: the most whose label combinations number at most {@link #COMBINATIONS}. */
    private final int group;
    /** Label combinations of a group: {@code phases^group}. */
    private final int combinations;
    /**
     * {@code [(g * combinations + code) * all + j]}: the sum of the columns of group {@code g}'s sub-positions {@code
     * g * group + i} with labels the base-{@code phases} digits of {@code code} (digit {@code i} of sub-position
     * {@code g * group + i}; sub-positions past {@code p³} add nothing).
     */
    private final float[] grouped;

    /**
     * Most label combinations per group (3 phases: groups of 4 voxels, 81 combinations, a 330 kB table for 4 members
     * of 16 channels, which stays in a core's cache; groups of 3, a 150 kB table, took 3.1 ms a 64³ volume where
     * these take 1.3, with four rows per pass).
     */
    static final int COMBINATIONS = 81;

    /**
     * @param members networks of {@link SurrogateNetwork#configuration} for {@code architecture}
     * @throws IllegalStateException when a member's first layer is not the 1x1x1 convolution of that configuration
     */
    FirstLayer(List<MultiLayerNetwork> members, SurrogateArchitecture architecture) {
        this.architecture = architecture;
        this.members = members;
        this.width = architecture.embedWidth();
        this.all = members.size() * width;
        int in = architecture.embeddedChannels();
        // [inputChannel * all + member * width + c]: the members' weights, transposed and side by side
        float[] table = new float[in * all];
        this.bias = new float[all];
        this.activations = new IActivation[members.size()];
        for (int m = 0; m < members.size(); m++) {
            MultiLayerNetwork net = members.get(m);
            if (!(net.getLayerWiseConfigurations().getConf(0).getLayer() instanceof Convolution3D conv)
                    || !java.util.Arrays.equals(conv.getKernelSize(), new int[] {1, 1, 1})
                    || !java.util.Arrays.equals(conv.getStride(), new int[] {1, 1, 1})
                    || !java.util.Arrays.equals(conv.getPadding(), new int[] {0, 0, 0})
                    || conv.getDataFormat() != Convolution3D.DataFormat.NCDHW || !conv.hasBias()
                    || conv.getNIn() != in || conv.getNOut() != width) {
                throw new IllegalStateException("surrogate member " + m + ": its first layer is not a 1x1x1 "
                        + "NCDHW convolution " + in + " -> " + width + " with bias, stride 1 and no padding");
            }
            activations[m] = conv.getActivationFn();
            // Convolution3D weights: (out, in, 1, 1, 1), C order
            float[] w = net.getLayer(0).getParam("W").reshape((long) width * in).toFloatVector();
            float[] b = net.getLayer(0).getParam("b").toFloatVector();
            for (int c = 0; c < width; c++) {
                bias[m * width + c] = b[c];
                for (int i = 0; i < in; i++) {
                    table[i * all + m * width + c] = w[c * in + i];
                }
            }
        }
        int phases = architecture.phases();
        int p3 = architecture.patch() * architecture.patch() * architecture.patch();
        int k = 1;
        while (k < p3 && Math.pow(phases, k + 1) <= COMBINATIONS) {
            k++;
        }
        this.group = k;
        this.combinations = (int) Math.pow(phases, k);
        this.boundaryWeights = java.util.Arrays.copyOfRange(table, architecture.oneHotChannels() * all, table.length);
        int groups = (p3 + k - 1) / k;
        this.grouped = new float[groups * combinations * all];
        for (int g = 0; g < groups; g++) {
            for (int code = 0; code < combinations; code++) {
                int row = (g * combinations + code) * all;
                for (int i = 0, digits = code; i < k; i++, digits /= phases) {
                    int sub = g * k + i;
                    if (sub < p3) {
                        int column = ((digits % phases) * p3 + sub) * all;
                        for (int j = 0; j < all; j++) {
                            grouped[row + j] += table[column + j];
                        }
                    }
                }
            }
        }
    }

    /**
     * One cell's pre-activations of all members into {@code acc}: the bias, the grouped one-hot rows {@code rows}, the
     * boundary densities times their weights.
     */
    private void accumulate(int[] rows, float[] boundaries, int boundaryChannels, int cell, int cells, float[] acc) {
        System.arraycopy(bias, 0, acc, 0, all);
        // four rows per pass: a quarter of the loads and stores of the sums (a loop of 64 is too short for the
        // JIT's vector loop to pay)
        int q = 0;
        for (; q + 3 < rows.length; q += 4) {
            int r0 = rows[q];
            int r1 = rows[q + 1];
            int r2 = rows[q + 2];
            int r3 = rows[q + 3];
            for (int j = 0; j < all; j++) {
                acc[j] += (grouped[r0 + j] + grouped[r1 + j]) + (grouped[r2 + j] + grouped[r3 + j]);
            }
        }
        for (; q < rows.length; q++) {
            int row = rows[q];
            for (int j = 0; j < all; j++) {
                acc[j] += grouped[row + j];
            }
        }
        for (int c = 0; c < boundaryChannels; c++) {
            float density = boundaries[c * cells + cell];
            if (density != 0) {
                int row = c * all;
                for (int j = 0; j < all; j++) {
                    acc[j] += density * boundaryWeights[row + j];
                }
            }
        }
    }

    /**
     * Each member's first-layer activations for a batch (labels checked with {@link SurrogateInput#check}), and the
     * volumes' face densities.
     *
     * @param volumes the batch, unmirrored
     * @param faces when not null, {@code faces[b]} gets volume {@code b}'s {@link SurrogateInput#faceDensities}
     * @return per member an array {@code (batch, width, n/p, n/p, n/p)} (NCDHW) of the member's parameter type, what
     *     its layer 1 takes
     */
    INDArray[] apply(List<Volume> volumes, double[][] faces) {
        int n = architecture.inputSize();
        int p = architecture.patch();
        int g = n / p;
        int cells = g * g * g;
        int p3 = p * p * p;
        int phases = architecture.phases();
        int boundaryChannels = architecture.boundaries() ? 3 * phases : 0;
        int perVolume = width * cells;
        int groups = (p3 + group - 1) / group;
        float[][] out = new float[members.size()][volumes.size() * perVolume];
        float[] acc = new float[all];
        float[] byCell = new float[cells * all];
        int[] rows = new int[groups];
        int[] voxel = new int[p3]; // offset of each sub-position from its cell's corner voxel
        for (int dz = 0, s = 0; dz < p; dz++) {
            for (int dy = 0; dy < p; dy++) {
                for (int dx = 0; dx < p; dx++, s++) {
                    voxel[s] = (dz * n + dy) * n + dx;
                }
            }
        }
        for (int b = 0; b < volumes.size(); b++) {
            Volume v = volumes.get(b);
            SurrogateInput.check(v, architecture);
            byte[] labels = v.toArray();
            float[] boundaries = new float[boundaryChannels * cells];
            if (boundaryChannels > 0) {
                SurrogateInput.addBoundaries(labels, n, p, g, boundaries, 0);
            }
            if (faces != null) {
                faces[b] = boundaryChannels > 0 ? SurrogateInput.faceDensities(boundaries, boundaryChannels, cells)
                        : SurrogateInput.faceDensities(v, phases);
            }
            int cell = 0;
            for (int cz = 0; cz < g; cz++) {
                for (int cy = 0; cy < g; cy++) {
                    for (int cx = 0; cx < g; cx++, cell++) {
                        int corner = ((cz * n + cy) * n + cx) * p;
                        for (int q = 0; q < groups; q++) {
                            int code = 0;
                            for (int i = Math.min(group, p3 - q * group) - 1; i >= 0; i--) {
                                code = code * phases + (labels[corner + voxel[q * group + i]] & 0xFF);
                            }
                            rows[q] = (q * combinations + code) * all;
                        }
                        accumulate(rows, boundaries, boundaryChannels, cell, cells, acc);
                        System.arraycopy(acc, 0, byCell, cell * all, all);
                    }
                }
            }
            // cell-major to each member's channel-major (NCDHW) layout
            for (int m = 0; m < members.size(); m++) {
                float[] o = out[m];
                for (int c = 0; c < width; c++) {
                    int base = b * perVolume + c * cells;
                    int j = m * width + c;
                    for (int i = 0; i < cells; i++) {
                        o[base + i] = byCell[i * all + j];
                    }
                }
            }
        }
        INDArray[] result = new INDArray[members.size()];
        for (int m = 0; m < members.size(); m++) {
            MultiLayerNetwork net = members.get(m);
            INDArray z = Nd4j.create(out[m], new long[] {volumes.size(), width, g, g, g}, 'c')
                    .castTo(net.params().dataType());
            result[m] = activations[m].getActivation(z, false);
        }
        return result;
    }
}
