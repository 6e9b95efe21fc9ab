package dev.microforge.models.gan;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Activation;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import dev.microforge.models.layers.PhaseHead;
import dev.microforge.models.layers.ResizeConvolution3d;
import java.util.ArrayList;
import java.util.List;

/**
 * 3D GAN generator: spatial latent {@code (N, latentChannels, d, h, w)} -> one {@link
 * ResizeConvolution3d} (x2) + ReLU per level -> {@link PhaseHead} (softmax over phases), giving
 * {@code (N, phases, d*2^L, h*2^L, w*2^L)}.
 *
 * <p>No normalisation layer: batch statistics would make generation depend on the batch, and
 * BatchNorm is not among the gradient-checked configurations.
 */
public final class Generator3d extends AbstractBlock {

    private static final byte VERSION = 1;

    private final GanArchitecture architecture;
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

    @Override
    protected NDList forwardInternal(
            ParameterStore parameterStore, NDList inputs, boolean training, PairList<String, Object> params) {
        requireLatent(inputs.singletonOrThrow().getShape());
        NDList x = inputs;
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
        return new Shape[] {new Shape(s.get(0), architecture.phases(), s.get(2) * f, s.get(3) * f, s.get(4) * f)};
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        Shape s = inputShapes[0];
        requireLatent(s);
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
    }
}
