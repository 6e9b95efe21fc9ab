package dev.microforge.models.vae;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Activation;
import ai.djl.nn.convolutional.Conv3d;
import ai.djl.nn.core.Linear;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import dev.microforge.models.layers.Convolutions3d;
import dev.microforge.models.layers.ResizeConvolution3d;
import java.util.ArrayList;
import java.util.List;

/**
 * VAE decoder p(x | z): latent vectors {@code (N, latentDimension)} -> linear -> feature map {@code
 * (N, decoderWidths[0], b, b, b)} + ReLU -> per level a {@link ResizeConvolution3d} (x2) + ReLU -> 1x1x1
 * convolution -> per-voxel phase logits {@code (N, phases, S, S, S)}. Logits, not probabilities, so
 * that the cross-entropy is computed with a log-softmax (exact where a softmax would round to 0);
 * {@code softmax(1)} of the output gives the phase probabilities.
 */
public final class VaeDecoder extends AbstractBlock {

    private static final byte VERSION = 1;

    private final VaeArchitecture architecture;
    private final Linear input;
    private final List<ResizeConvolution3d> levels = new ArrayList<>();
    private final Conv3d logits;

    /**
     * Creates the (uninitialised) decoder.
     *
     * @param architecture the architecture table
     */
    public VaeDecoder(VaeArchitecture architecture) {
        super(VERSION);
        this.architecture = architecture;
        long b = architecture.decoderBaseSize();
        this.input = addChildBlock(
                "input", Linear.builder().setUnits(architecture.decoderWidths().get(0) * b * b * b).build());
        for (int i = 0; i < architecture.decoderWidths().size(); i++) {
            levels.add(addChildBlock("level" + i, new ResizeConvolution3d(architecture.decoderWidths().get(i))));
        }
        this.logits = addChildBlock("logits", Convolutions3d.pointwise(architecture.phases()));
    }

    @Override
    protected NDList forwardInternal(
            ParameterStore parameterStore, NDList inputs, boolean training, PairList<String, Object> params) {
        requireInput(inputs.singletonOrThrow().getShape());
        NDArray z = inputs.singletonOrThrow();
        long b = architecture.decoderBaseSize();
        NDArray x = input.forward(parameterStore, new NDList(z), training, params).singletonOrThrow();
        x = Activation.relu(x.reshape(z.getShape().get(0), architecture.decoderWidths().get(0), b, b, b));
        for (ResizeConvolution3d level : levels) {
            x = Activation.relu(level.forward(parameterStore, new NDList(x), training, params).singletonOrThrow());
        }
        return logits.forward(parameterStore, new NDList(x), training, params);
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        requireInput(inputShapes[0]);
        long n = architecture.inputSize();
        return new Shape[] {new Shape(inputShapes[0].get(0), architecture.phases(), n, n, n)};
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        Shape z = inputShapes[0];
        requireInput(z);
        input.initialize(manager, dataType, z);
        long b = architecture.decoderBaseSize();
        Shape s = new Shape(z.get(0), architecture.decoderWidths().get(0), b, b, b);
        for (ResizeConvolution3d level : levels) {
            level.initialize(manager, dataType, s);
            s = level.getOutputShapes(new Shape[] {s})[0];
        }
        logits.initialize(manager, dataType, s);
    }

    private void requireInput(Shape s) {
        if (s.dimension() != 2 || s.get(1) != architecture.latentDimension()) {
            throw new IllegalArgumentException(
                    "expected latent vectors (N, " + architecture.latentDimension() + "), got " + s);
        }
    }
}
