package dev.microforge.models.slicegan;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Activation;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.core.Linear;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import dev.microforge.models.layers.Convolutions2d;
import java.util.ArrayList;
import java.util.List;

/**
 * SliceGAN's 2D WGAN critic for one-hot / softmax phase slices {@code (N, phases, H, W)}: per level
 * a 4x4 stride-2 convolution (padding 1, halves H and W) and LeakyReLU(0.2); then the global spatial
 * mean and a linear map to one score per slice, {@code (N, 1)}.
 *
 * <p>Slices of a generated volume {@code (N, C, D, H, W)} are fed in the orientation of {@code
 * Volume.slice}: normal to z gives (H = y, W = x), normal to y gives (H = z, W = x), normal to x
 * gives (H = z, W = y). No normalisation layer (the gradient penalty needs per-sample gradients,
 * Gulrajani et al. 2017). H and W must be multiples of {@code 2^levels}.
 */
public final class Critic2d extends AbstractBlock {

    private static final byte VERSION = 1;
    private static final float LEAK = 0.2f;

    private final SliceGanArchitecture architecture;
    private final List<Conv2d> convolutions = new ArrayList<>();
    private final Linear output;

    /**
     * Creates the (uninitialised) critic.
     *
     * @param architecture the architecture table
     */
    public Critic2d(SliceGanArchitecture architecture) {
        super(VERSION);
        this.architecture = architecture;
        List<Integer> widths = architecture.criticWidths();
        for (int i = 0; i < widths.size(); i++) {
            convolutions.add(addChildBlock("conv" + i, Convolutions2d.strided4(widths.get(i))));
        }
        this.output = addChildBlock("output", Linear.builder().setUnits(1).build());
    }

    @Override
    protected NDList forwardInternal(
            ParameterStore parameterStore, NDList inputs, boolean training, PairList<String, Object> params) {
        requireInput(inputs.singletonOrThrow().getShape());
        NDArray x = inputs.singletonOrThrow();
        for (Conv2d conv : convolutions) {
            x = Activation.leakyRelu(conv.forward(parameterStore, new NDList(x), training, params).singletonOrThrow(), LEAK);
        }
        Shape xs = x.getShape();
        NDArray pooled = x.reshape(xs.get(0), xs.get(1), -1).mean(new int[] {2});
        return output.forward(parameterStore, new NDList(pooled), training, params);
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        requireInput(inputShapes[0]);
        return new Shape[] {new Shape(inputShapes[0].get(0), 1)};
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        Shape s = inputShapes[0];
        requireInput(s);
        for (Conv2d conv : convolutions) {
            conv.initialize(manager, dataType, s);
            s = conv.getOutputShapes(new Shape[] {s})[0];
        }
        output.initialize(manager, dataType, new Shape(s.get(0), s.get(1)));
    }

    private void requireInput(Shape s) {
        int step = 1 << architecture.criticWidths().size();
        if (s.dimension() != 4 || s.get(1) != architecture.phases()
                || s.get(2) % step != 0 || s.get(3) % step != 0 || s.get(2) < step || s.get(3) < step) {
            throw new IllegalArgumentException(
                    "expected slices (N, " + architecture.phases() + ", H, W) with H, W positive multiples of "
                            + step + ", got " + s);
        }
    }
}
