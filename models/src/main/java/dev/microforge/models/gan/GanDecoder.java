package dev.microforge.models.gan;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.nn.convolutional.Conv3d;
import ai.djl.util.Pair;
import dev.microforge.models.LatentDecoder;
import dev.microforge.models.ModelDirectory;
import dev.microforge.models.NoGradient;
import dev.microforge.models.layers.PhaseHead;
import dev.microforge.models.layers.ResizeConvolution3d;
import dev.microforge.models.slicegan.SliceGanModel;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A {@link GanModel}'s generator as a {@link LatentDecoder}: spatial latent in, argmax phase labels out, with no
 * engine type in its signatures. Owns the model and closes it.
 *
 * <p>Locality: each of the {@code L} levels is a nearest x2 upsampling followed by a 3x3x3 convolution with zero
 * padding 1, and the head is 1x1x1. A cut (or zero padding) at a latent boundary corrupts 1 voxel next to it at
 * the first level's resolution; each later level doubles the corrupted depth and its convolution adds 1, so after
 * {@code L} levels {@code 2^L - 1} output voxels, less than one latent voxel ({@code 2^L} output voxels): a margin of
 * 1 latent voxel suffices at any depth. Each convolution at the latent resolution ({@link
 * GanArchitecture#latentWidths()}) reaches one latent voxel further, so the margin is {@link
 * GanArchitecture#latentMargin()}; the decoder runs them with zero padding 1 (the interior is the same as the
 * generator's unpadded convolutions give).
 */
public final class GanDecoder implements LatentDecoder {
    /** Largest feature map of one slab of the last level, bytes. */
    static final long SLAB_BYTES = 16L << 20;

    private final String kind;
    private final Generator3d generator;
    private final NDManager manager;
    private final GanArchitecture architecture;
    private final List<String> phaseLabels;
    private final AutoCloseable owner;
    private final GanModel model;

    /**
     * Wraps a model (the decoder owns it from now on).
     *
     * @param model the model
     */
    public GanDecoder(GanModel model) {
        this(ModelDirectory.KIND_GAN3D, requireModel(model).generator(), model.manager(), model.architecture(),
                model.phaseLabels(), model, model);
    }

    private GanDecoder(String kind, Generator3d generator, NDManager manager, GanArchitecture architecture,
            List<String> phaseLabels, AutoCloseable owner, GanModel model) {
        this.kind = kind;
        this.generator = generator;
        this.manager = manager;
        this.architecture = architecture;
        this.phaseLabels = List.copyOf(phaseLabels);
        this.owner = owner;
        this.model = model;
    }

    /**
     * Wraps another model kind's {@link Generator3d} (SliceGAN's generator is the 3D GAN's): the decoder closes
     * {@code owner} when it is closed.
     *
     * @param kind the model kind, e.g. {@code slicegan}
     * @param generator the initialised generator
     * @param manager the manager holding its parameters
     * @param architecture the generator's architecture
     * @param phaseLabels one name per phase
     * @param owner what frees the parameters
     * @return the decoder
     */
    public static GanDecoder of(String kind, Generator3d generator, NDManager manager, GanArchitecture architecture,
            List<String> phaseLabels, AutoCloseable owner) {
        if (kind == null || generator == null || manager == null || architecture == null || phaseLabels == null
                || owner == null) {
            throw new IllegalArgumentException("kind, generator, manager, architecture, phase labels and owner are "
                    + "required");
        }
        return new GanDecoder(kind, generator, manager, architecture, phaseLabels, owner, null);
    }

    private static GanModel requireModel(GanModel model) {
        if (model == null) {
            throw new IllegalArgumentException("model is required");
        }
        return model;
    }

    /**
     * Loads the GAN of a model directory ({@link ModelDirectory#loadGan}).
     *
     * @param dir the model directory
     * @return the decoder
     */
    public static GanDecoder load(Path dir) {
        return new GanDecoder(ModelDirectory.loadGan(dir));
    }

    /**
     * Loads the SliceGAN of a model directory ({@link ModelDirectory#loadSliceGan}): its generator is a
     * {@link Generator3d} like the 3D GAN's, so it samples the same way (the 2D critics are loaded and unused).
     *
     * @param dir the model directory
     * @return the decoder
     */
    public static GanDecoder loadSliceGan(Path dir) {
        SliceGanModel m = ModelDirectory.loadSliceGan(dir);
        return of(ModelDirectory.KIND_SLICEGAN, m.generator(), m.manager(), m.architecture().generator(),
                m.phaseLabels(), m);
    }

    /**
     * Returns the wrapped 3D GAN.
     *
     * @return the model
     * @throws IllegalStateException when this decoder wraps another kind's generator
     */
    public GanModel model() {
        if (model == null) {
            throw new IllegalStateException("this " + kind + " decoder wraps no GanModel");
        }
        return model;
    }

    @Override
    public String kind() {
        return kind;
    }

    @Override
    public int phases() {
        return architecture.phases();
    }

    @Override
    public List<String> phaseLabels() {
        return phaseLabels;
    }

    @Override
    public int latentChannels() {
        return architecture.latentChannels();
    }

    @Override
    public int sizeStep() {
        return 1 << architecture.levels();
    }

    @Override
    public boolean hasLogits() {
        return true;
    }

    @Override
    public int latentMargin() {
        return architecture.latentMargin();
    }

    /**
     * Every level runs folded (see {@link #decode}); the arrays of the levels before the last stay alive until the
     * decode ends, the last level and the head run in z-slabs of bounded size. Per output voxel: for each earlier
     * level, at its share of the output resolution (1/8, 1/64, ...), the folded features, their ReLU, the 8 stacked
     * sub-position maps and the shuffled copy ({@code 4 * 4 c_out} bytes) and its padded input ({@code 4 c_in / 8});
     * the padded input of the last level ({@code 4 c / 8}) and the labels (1); at the latent resolution the latent and
     * per convolution there its padded input, output and ReLU; plus three slab buffers of {@value #SLAB_BYTES}
     * bytes. The default architecture (16, 16 -> 3 phases) needs 42 bytes per output voxel and
     * 48 MiB: 130 MiB at 128³, 0.7 GiB at 256³.
     */
    @Override
    public long workingBytes(int batch, int lx, int ly, int lz) {
        GanArchitecture a = architecture;
        double bytes = 1 + 4.0 * channelsIn(a, a.levels() - 1) / 8;
        double share = 1.0 / 8;
        for (int i = a.levels() - 2; i >= 0; i--) {
            bytes += share * 4.0 * (4.0 * a.generatorWidths().get(i) + channelsIn(a, i) / 8.0);
            share /= 8;
        }
        bytes += 4.0 * a.latentChannels() * share;
        for (int i = 0; i < a.latentWidths().size(); i++) {
            bytes += share * 4.0 * (2.0 * a.latentWidths().get(i) + (i == 0 ? a.latentChannels()
                    : a.latentWidths().get(i - 1)));
        }
        double voxels = (double) batch * lx * ly * lz * sizeStep() * sizeStep() * sizeStep();
        return (long) Math.ceil(bytes * voxels) + 3 * SLAB_BYTES;
    }

    private static int channelsIn(GanArchitecture a, int level) {
        if (level > 0) {
            return a.generatorWidths().get(level - 1);
        }
        return a.latentWidths().isEmpty() ? a.latentChannels() : a.latentWidths().get(a.latentWidths().size() - 1);
    }

    /**
     * Decodes with the generator's weights, every level reformulated for inference (same function, less work):
     * a nearest x2 upsampling followed by a 3x3x3 convolution with zero padding 1 equals, for each of the 8 output
     * sub-positions {@code (a_z, a_y, a_x)} in {0,1}³, a 2x2x2 convolution of the zero-padded low-resolution input
     * whose kernel sums the 3x3x3 taps that fall on the same input voxel (per axis: offset 0 takes taps {0}, {1, 2},
     * offset 1 takes {0, 1}, {2}); output {@code 2i + a} is the sub-position-{@code a} convolution at padded
     * position {@code i + a}. One 2x2x2 convolution with {@code 8 c_out} filters does all eight at the low
     * resolution: 8 instead of 27 multiply-adds per output voxel and channel. Earlier levels shuffle the eight maps
     * back into a full-resolution array ({@link #foldedLevel}); at the last level the full-resolution feature maps
     * (16 channels, 4 bytes: 128 MiB at 128³) are never built. ReLU and the 1x1x1 head (a matrix product per
     * sub-position) follow at the low resolution, the argmax of the logits (the softmax does not change it) gives
     * the labels, and Java interleaves the 8 sub-positions. This runs in z-slabs of at most {@value #SLAB_BYTES}
     * bytes of feature map, so libtorch reuses its buffers instead of mapping fresh pages for every array. The labels equal
     * those of the generator's forward pass except where two phases' logits tie to rounding (summation order
     * differs); {@code GanDecoderTest} checks the agreement.
     */
    @Override
    public byte[] decode(float[] latents, int batch, int lx, int ly, int lz) {
        byte[] labels = new byte[Math.toIntExact(outputVoxels(latents, batch, lx, ly, lz))];
        decodeInto(latents, batch, lx, ly, lz, labels, null);
        return labels;
    }

    /**
     * The logits of {@link #decode}'s folded pass, before the argmax: {@code (batch, phases, lz * s, ly * s, lx *
     * s)}, x fastest, 4 bytes per phase and voxel.
     */
    @Override
    public float[] decodeLogits(float[] latents, int batch, int lx, int ly, int lz) {
        long voxels = outputVoxels(latents, batch, lx, ly, lz);
        if (voxels * phases() > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("the logits of " + voxels + " voxels and " + phases() + " phases "
                    + "exceed one Java array; decode in slabs");
        }
        float[] logits = new float[(int) (voxels * phases())];
        decodeInto(latents, batch, lx, ly, lz, null, logits);
        return logits;
    }

    /** Checks a decode's arguments and returns its output voxels (batch included). */
    private long outputVoxels(float[] latents, int batch, int lx, int ly, int lz) {
        if (batch < 1 || lx < 1 || ly < 1 || lz < 1) {
            throw new IllegalArgumentException("batch and latent sizes must be at least 1, got batch " + batch
                    + ", latent " + lx + " x " + ly + " x " + lz);
        }
        long expected = (long) batch * latentChannels() * lx * ly * lz;
        if (latents == null || latents.length != expected) {
            throw new IllegalArgumentException("latent array holds " + (latents == null ? "nothing" : latents.length
                    + " values") + " but (" + batch + ", " + latentChannels() + ", " + lz + ", " + ly + ", " + lx
                    + ") needs " + expected);
        }
        int s = sizeStep();
        long out = (long) batch * lx * ly * lz * s * s * s;
        if (out > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("a decode of " + out + " voxels exceeds one Java array; decode in "
                    + "slabs");
        }
        return out;
    }

    /** The folded decode, writing either the labels or the logits (the other array is null). */
    private void decodeInto(float[] latents, int batch, int lx, int ly, int lz, byte[] labels, float[] scores) {
        List<Block> blocks = new ArrayList<>(generator.getChildren().values());
        int levels = architecture.levels();
        try (NDManager sub = manager.newSubManager(); NoGradient off = NoGradient.enter()) {
            NDArray x = sub.create(latents, new Shape(batch, latentChannels(), lz, ly, lx));
            int k = architecture.latentWidths().size();
            for (int i = 0; i < k; i++) {
                x = Activation.relu(Conv3d.conv3d(x.pad(new Shape(1, 1, 1, 1, 1, 1), 0),
                        parameter(blocks.get(i), "weight"), parameter(blocks.get(i), "bias")).singletonOrThrow());
            }
            for (int i = 0; i < levels - 1; i++) {
                x = foldedLevel(sub, x, (ResizeConvolution3d) blocks.get(k + i));
            }
            LastLevel last = lastLevel(sub, (ResizeConvolution3d) blocks.get(k + levels - 1), (PhaseHead) blocks.get(
                    k + levels));
            NDArray padded = x.pad(new Shape(1, 1, 1, 1, 1, 1), 0);
            int nz = lz << (levels - 1);
            int ny = ly << (levels - 1);
            int nx = lx << (levels - 1);
            long rowBytes = 4L * 8 * last.channels() * (ny + 1) * (nx + 1);
            int rows = (int) Math.max(1, Math.min(nz + 1, SLAB_BYTES / rowBytes));
            for (int b = 0; b < batch; b++) {
                for (int j0 = 0; j0 <= nz; j0 += rows) {
                    int j1 = Math.min(nz + 1, j0 + rows);
                    try (NDManager slab = sub.newSubManager()) {
                        NDArray input = padded.get(slab, new NDIndex("{}, :, {}:{}", b, j0, j1 + 1));
                        float[] logits = lastLevelSlab(input, last, j1 - j0, ny + 1, nx + 1);
                        long volume = 8L * nx * ny * nz;
                        interleave(logits, phases(), j0, j1, nx, ny, nz, labels, scores,
                                labels != null ? b * volume : b * volume * phases());
                    }
                }
            }
        }
    }

    /**
     * The last level on one slab: the folded 2x2x2 convolution with {@code 8 c_out} filters and bias, ReLU, and the
     * head {@code (P, c_out)} times each sub-position's block of features, giving the logits {@code (8, P, M)} of
     * the {@code M = dz * py * px} positions as floats. The argmax runs in Java ({@link #interleave}): libtorch's
     * argmax over a short strided axis and the conversion to bytes took longer than the rest of the slab.
     */
    private float[] lastLevelSlab(NDArray input, LastLevel last, int dz, int py, int px) {
        long m = (long) dz * py * px;
        NDArray features = Activation.relu(Conv3d.conv3d(input.expandDims(0), last.kernel(), last.bias())
                .singletonOrThrow());
        NDArray logits = last.headKernel().matMul(features.reshape(8, last.channels(), m)).addi(last.headBias());
        return logits.toFloatArray();
    }

    /**
     * Writes the labels of padded positions {@code [j0, j1)} along z: the most probable of the {@code p} phases of
     * sub-position {@code (az, ay, ax)} at padded {@code (jz, jy, jx)} (logits {@code (8, p, j1 - j0, ny + 1, nx +
     * 1)}, the softmax does not change the argmax; the first of equal logits wins, as in libtorch) is output voxel
     * {@code (2 (jx - ax) + ax, 2 (jy - ay) + ay, 2 (jz - az) + az)}. Cost: p floats read per output voxel. With
     * {@code labels} null the logits themselves go to {@code scores} instead, phase q at {@code base + q * 8 nx ny
     * nz}.
     */
    private static void interleave(float[] logits, int p, int j0, int j1, int nx, int ny, int nz, byte[] labels,
            float[] scores, long base) {
        long volume = 8L * nx * ny * nz;
        int px = nx + 1;
        int py = ny + 1;
        int depth = j1 - j0;
        int m = depth * py * px;
        int ox = 2 * nx;
        int oy = 2 * ny;
        for (int az = 0; az < 2; az++) {
            for (int ay = 0; ay < 2; ay++) {
                for (int ax = 0; ax < 2; ax++) {
                    int block = ((az * 2 + ay) * 2 + ax) * p * m;
                    for (int jz = Math.max(j0, az); jz < Math.min(j1, nz + az); jz++) {
                        int z = 2 * (jz - az) + az;
                        for (int i = 0; i < ny; i++) {
                            int src = block + (jz - j0) * py * px + (i + ay) * px + ax;
                            long dst = base + (long) ox * (2 * i + ay + (long) oy * z) + ax;
                            if (labels == null) {
                                for (int q = 0; q < p; q++) {
                                    for (int k = 0; k < nx; k++) {
                                        scores[(int) (dst + q * volume + 2L * k)] = logits[src + k + q * m];
                                    }
                                }
                                continue;
                            }
                            for (int k = 0; k < nx; k++) {
                                int best = 0;
                                float top = logits[src + k];
                                for (int q = 1; q < p; q++) {
                                    float v = logits[src + k + q * m];
                                    if (v > top) {
                                        top = v;
                                        best = q;
                                    }
                                }
                                labels[(int) (dst + 2L * k)] = (byte) best;
                            }
                        }
                    }
                }
            }
        }
    }

    /** The folded kernel of the last level and the head repeated for the 8 sub-positions. */
    private record LastLevel(int channels, NDArray kernel, NDArray bias, NDArray headKernel, NDArray headBias) {
    }

    /** Folding of 3 taps onto 2 per axis: {@code FOLD[a][u]} lists the 3x3x3 taps summed into 2x2x2 tap u. */
    private static final int[][][] FOLD = {{{0}, {1, 2}}, {{0, 1}, {2}}};

    private LastLevel lastLevel(NDManager manager, ResizeConvolution3d level, PhaseHead head) {
        Folded f = fold(manager, level);
        float[] h = parameter(head, "weight").toFloatArray();
        float[] hbias = parameter(head, "bias").toFloatArray();
        int p = hbias.length;
        return new LastLevel(f.channels(), f.kernel(), f.bias(), manager.create(h, new Shape(1, p, f.channels())),
                manager.create(hbias, new Shape(1, p, 1)));
    }

    /** A resize-convolution's 3x3x3 kernel folded into 8 sub-position 2x2x2 kernels, and the bias repeated. */
    private record Folded(int channels, NDArray kernel, NDArray bias) {
    }

    private static Folded fold(NDManager manager, ResizeConvolution3d level) {
        NDArray w = parameter(level, "weight");
        int co = (int) w.getShape().get(0);
        int ci = (int) w.getShape().get(1);
        float[] k = w.toFloatArray();
        float[] b = parameter(level, "bias").toFloatArray();
        // kernel (8 c_out, c_in, 2, 2, 2): filter sub * c_out + o
        float[] folded = new float[8 * co * 8 * ci];
        float[] bias = new float[8 * co];
        for (int az = 0; az < 2; az++) {
            for (int ay = 0; ay < 2; ay++) {
                for (int ax = 0; ax < 2; ax++) {
                    int sub = (az * 2 + ay) * 2 + ax;
                    System.arraycopy(b, 0, bias, sub * co, co);
                    for (int o = 0; o < co; o++) {
                        for (int c = 0; c < ci; c++) {
                            int src = (o * ci + c) * 27;
                            for (int u = 0; u < 2; u++) {
                                for (int v = 0; v < 2; v++) {
                                    for (int t = 0; t < 2; t++) {
                                        double sum = 0;
                                        for (int kz : FOLD[az][u]) {
                                            for (int ky : FOLD[ay][v]) {
                                                for (int kx : FOLD[ax][t]) {
                                                    sum += k[src + (kz * 3 + ky) * 3 + kx];
                                                }
                                            }
                                        }
                                        folded[((sub * co + o) * ci + c) * 8 + (u * 2 + v) * 2 + t] = (float) sum;
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
        return new Folded(co, manager.create(folded, new Shape(8L * co, ci, 2, 2, 2)), manager.create(bias));
    }

    /**
     * An intermediate level, {@code relu(level(x))}, by the folded convolution at the input's resolution and a pixel
     * shuffle back to {@code (B, c_out, 2 nz, 2 ny, 2 nx)}: output {@code 2 i + a} along each axis is sub-position
     * {@code a}'s map at padded position {@code i + a}. 8 instead of 27 multiply-adds per output voxel and channel,
     * and three full-resolution arrays (features, the 8 stacked sub-position maps, the shuffled copy) instead of the
     * five of upsampling by repeats, convolving and ReLU.
     */
    private static NDArray foldedLevel(NDManager manager, NDArray x, ResizeConvolution3d level) {
        Folded f = fold(manager, level);
        Shape s = x.getShape();
        long nz = s.get(2);
        long ny = s.get(3);
        long nx = s.get(4);
        int co = f.channels();
        NDArray y = Activation.relu(Conv3d.conv3d(x.pad(new Shape(1, 1, 1, 1, 1, 1), 0), f.kernel(), f.bias())
                .singletonOrThrow());
        NDList parts = new NDList(8);
        for (int az = 0; az < 2; az++) {
            for (int ay = 0; ay < 2; ay++) {
                for (int ax = 0; ax < 2; ax++) {
                    int sub = (az * 2 + ay) * 2 + ax;
                    parts.add(y.get(new NDIndex(":, {}:{}, {}:{}, {}:{}, {}:{}", sub * co, (sub + 1) * co, az,
                            az + nz, ay, ay + ny, ax, ax + nx)));
                }
            }
        }
        // (B, 8, C, nz, ny, nx) = (B, az, ay, ax, C, nz, ny, nx) -> (B, C, nz, az, ny, ay, nx, ax)
        return NDArrays.stack(parts, 1).reshape(s.get(0), 2, 2, 2, co, nz, ny, nx)
                .transpose(0, 4, 5, 1, 6, 2, 7, 3).reshape(s.get(0), co, 2 * nz, 2 * ny, 2 * nx);
    }

    private static NDArray parameter(Block block, String name) {
        for (Pair<String, Parameter> p : block.getParameters()) {
            if (p.getKey().endsWith(name)) {
                return p.getValue().getArray();
            }
        }
        throw new IllegalStateException("block " + block + " has no parameter '" + name + "'");
    }

    @Override
    public void close() {
        try {
            owner.close();
        } catch (Exception e) {
            throw new IllegalStateException("cannot close the " + kind + " model: " + e.getMessage(), e);
        }
    }
}
