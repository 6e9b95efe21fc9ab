package dev.microforge.models.gan;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Activation;
import ai.djl.nn.convolutional.Conv3d;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import dev.microforge.datasets.Volume;
import dev.microforge.models.LatentPadding;
import dev.microforge.models.layers.Convolutions3d;
import dev.microforge.models.layers.PhaseHead;
import dev.microforge.models.layers.ResizeConvolution3d;
import java.util.ArrayList;
import java.util.List;

/**
 * 3D GAN generator: spatial latent {@code (N, latentChannels, d, h, w)} -> one 3x3x3 convolution without padding +
 * ReLU per entry of {@link GanArchitecture#latentWidths()} (each takes 2 off every edge; none by default) -> one
 * {@link ResizeConvolution3d} (x2) + ReLU per level -> {@link PhaseHead} (softmax over phases), giving
 * {@code (N, phases, (d-2k)*2^L, (h-2k)*2^L, (w-2k)*2^L)} with {@code k} latent convolutions.
 *
 * <p>No normalisation layer: batch statistics would make generation depend on the batch, and
 * BatchNorm is not among the gradient-checked configurations.
 */
public final class Generator3d extends AbstractBlock {

    private static final byte VERSION = 1;

    private final GanArchitecture architecture;
    private final List<Conv3d> latentLevels = new ArrayList<>();
    private final List<ResizeConvolution3d> levels = new ArrayList<>();
    private final PhaseHead head;

    /**
     * Creates the (uninitialised) generator.
     *
     * @param architecture the architecture table
     */
    public Generator3d(GanArchitecture architecture) {
        super(VERSION);
        this.architecture = architecture;
        for (int i = 0; i < architecture.latentWidths().size(); i++) {
            latentLevels.add(addChildBlock("latent" + i,
                    Convolutions3d.kernel3Valid(architecture.latentWidths().get(i))));
        }
        for (int i = 0; i < architecture.levels(); i++) {
            levels.add(addChildBlock("level" + i, new ResizeConvolution3d(architecture.generatorWidths().get(i))));
        }
        this.head = addChildBlock("head", new PhaseHead(architecture.phases()));
    }

    /**
     * Returns the architecture.
     *
     * @return the architecture table
     */
    public GanArchitecture architecture() {
        return architecture;
    }

    /**
     * Latent voxels a latent is padded by on each side before the forward pass ({@link
     * GanArchitecture#latentMargin()}): a latent of edge {@code n + 2 latentMargin()} gives an output of edge {@code
     * (n + 2) 2^levels}, whose {@link #interior} has edge {@code n 2^levels}.
     *
     * @return the latent margin, latent voxels
     */
    public int latentMargin() {
        return architecture.latentMargin();
    }

    /**
     * The smallest latent edge the forward pass takes: one voxel more than the latent convolutions consume.
     *
     * @return {@code 2 latentWidths().size() + 1}
     */
    public int smallestLatent() {
        return 2 * latentLevels.size() + 1;
    }

    /**
     * Output voxels cut off each side of a decode of a latent padded by {@link #latentMargin()} voxels ({@link
     * LatentPadding}; the latent convolutions consume all but one of them): {@code
     * 2^levels}, one latent voxel, more than the {@code 2^levels - 1} voxels the zero padding reaches (see {@link
     * GanDecoder}).
     *
     * @return the cut, output voxels
     */
    public int marginVoxels() {
        return 1 << architecture.levels();
    }

    /**
     * The interior of a decode of a latent padded by {@link #latentMargin()} voxels on each side: {@link
     * #marginVoxels()} cut off each side of every spatial axis.
     *
     * @param generated {@code (N, C, D, H, W)}, each spatial edge {@code size + 2 marginVoxels()}
     * @return the view {@code (N, C, size, size, size)}
     */
    public NDArray interior(NDArray generated) {
        int cut = marginVoxels();
        Shape s = generated.getShape();
        String[] r = new String[3];
        for (int d = 0; d < 3; d++) {
            r[d] = cut + ":" + (s.get(2 + d) - cut);
        }
        return generated.get(":, :, " + r[0] + ", " + r[1] + ", " + r[2]);
    }

    /**
     * Decodes one latent into labels the way {@code microforge generate} does: padded by {@link #latentMargin()}
     * voxels of its mirror image ({@link LatentPadding#mirror}), forward pass in inference mode, {@link #interior},
     * argmax over phases.
     *
     * @param manager where the temporary arrays live (closed by the caller)
     * @param latent {@code latentChannels * n³} standard-normal values, C order {@code (c, z, y, x)}
     * @param n latent edge
     * @return a volume of edge {@code n * 2^levels}
     */
    public Volume generate(NDManager manager, float[] latent, int n) {
        int c = architecture.latentChannels();
        int m = latentMargin();
        int w = n + 2 * m;
        NDArray z = manager.create(LatentPadding.mirror(latent, c, n, n, n, m), new Shape(1, c, w, w, w));
        NDArray p = interior(forward(new ParameterStore(manager, false), new NDList(z), false).singletonOrThrow());
        int edge = n << architecture.levels();
        return Volume.of(edge, edge, edge, p.argMax(1).toType(DataType.UINT8, false).toByteArray());
    }

    @Override
    protected NDList forwardInternal(
            ParameterStore parameterStore, NDList inputs, boolean training, PairList<String, Object> params) {
        requireLatent(inputs.singletonOrThrow().getShape());
        NDList x = inputs;
        for (Conv3d level : latentLevels) {
            x = new NDList(Activation.relu(level.forward(parameterStore, x, training, params).singletonOrThrow()));
        }
        for (ResizeConvolution3d level : levels) {
            NDArray y = level.forward(parameterStore, x, training, params).singletonOrThrow();
            x = new NDList(Activation.relu(y));
        }
        return head.forward(parameterStore, x, training, params);
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        Shape s = inputShapes[0];
        requireLatent(s);
        int f = 1 << architecture.levels();
        int k = 2 * latentLevels.size();
        return new Shape[] {new Shape(s.get(0), architecture.phases(), (s.get(2) - k) * f, (s.get(3) - k) * f,
                (s.get(4) - k) * f)};
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        Shape s = inputShapes[0];
        requireLatent(s);
        for (Conv3d level : latentLevels) {
            level.initialize(manager, dataType, s);
            s = level.getOutputShapes(new Shape[] {s})[0];
        }
        for (ResizeConvolution3d level : levels) {
            level.initialize(manager, dataType, s);
            s = level.getOutputShapes(new Shape[] {s})[0];
        }
        head.initialize(manager, dataType, s);
    }

    private void requireLatent(Shape s) {
        if (s.dimension() != 5 || s.get(1) != architecture.latentChannels()) {
            throw new IllegalArgumentException(
                    "expected a spatial latent (N, " + architecture.latentChannels() + ", d, h, w), got " + s);
        }
        int least = smallestLatent();
        if (s.get(2) < least || s.get(3) < least || s.get(4) < least) {
            throw new IllegalArgumentException("the latent convolutions need a spatial latent of edge at least "
                    + least + ", got " + s);
        }
    }
}
