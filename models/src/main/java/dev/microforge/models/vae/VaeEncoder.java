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
import java.util.ArrayList;
import java.util.List;

/**
 * VAE encoder q(z | x): one-hot (or probability) volumes {@code (N, phases, S, S, S)} -> per level a
 * 4x4x4 stride-2 convolution and LeakyReLU(0.2) -> flatten -> linear -> {@code NDList(mean,
 * logVariance)}, each {@code (N, latentDimension)} (natural log of the variance of a diagonal
 * Gaussian).
 */
public final class VaeEncoder extends AbstractBlock {

    private static final byte VERSION = 1;
    private static final float LEAK = 0.2f;

    private final VaeArchitecture architecture;
    private final List<Conv3d> convolutions = new ArrayList<>();
    private final Linear output;

    /**
     * Creates the (uninitialised) encoder.
     *
     * @param architecture the architecture table
     */
    public VaeEncoder(VaeArchitecture architecture) {
        super(VERSION);
        this.architecture = architecture;
        List<Integer> widths = architecture.encoderWidths();
        for (int i = 0; i < widths.size(); i++) {
            convolutions.add(addChildBlock("conv" + i, Convolutions3d.strided4(widths.get(i))));
        }
        this.output = addChildBlock("output", Linear.builder().setUnits(2L * architecture.latentDimension()).build());
    }

    @Override
    protected NDList forwardInternal(
            ParameterStore parameterStore, NDList inputs, boolean training, PairList<String, Object> params) {
        requireInput(inputs.singletonOrThrow().getShape());
        NDArray x = inputs.singletonOrThrow();
        for (Conv3d conv : convolutions) {
            x = Activation.leakyRelu(conv.forward(parameterStore, new NDList(x), training, params).singletonOrThrow(), LEAK);
        }
        NDArray flat = x.reshape(x.getShape().get(0), -1);
        NDArray y = output.forward(parameterStore, new NDList(flat), training, params).singletonOrThrow();
        return y.split(2, 1);
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        requireInput(inputShapes[0]);
        Shape s = new Shape(inputShapes[0].get(0), architecture.latentDimension());
        return new Shape[] {s, s};
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        Shape s = inputShapes[0];
        requireInput(s);
        for (Conv3d conv : convolutions) {
            conv.initialize(manager, dataType, s);
            s = conv.getOutputShapes(new Shape[] {s})[0];
        }
        output.initialize(manager, dataType, new Shape(s.get(0), s.get(1) * s.get(2) * s.get(3) * s.get(4)));
    }

    private void requireInput(Shape s) {
        int n = architecture.inputSize();
        if (s.dimension() != 5 || s.get(1) != architecture.phases() || s.get(2) != n || s.get(3) != n || s.get(4) != n) {
            throw new IllegalArgumentException(
                    "expected volumes (N, " + architecture.phases() + ", " + n + ", " + n + ", " + n + "), got " + s);
        }
    }
}
