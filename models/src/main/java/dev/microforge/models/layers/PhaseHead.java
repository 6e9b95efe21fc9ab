package dev.microforge.models.layers;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.convolutional.Conv3d;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/**
 * Maps feature channels to per-voxel phase probabilities: a 1x1x1 convolution to {@code phases}
 * channels followed by a softmax over the channel axis (axis 1 of NCDHW).
 *
 * <p>Input {@code (N, C, D, H, W)} gives {@code (N, phases, D, H, W)} whose channels sum to 1 at
 * every voxel (phases as one-hot channels, as in SliceGAN). The phase count is free because 1x1x1
 * convolutions do not suffer from libtorch 2.7.1's CPU gradient bug that forces 3x3x3 layers to
 * multiples of 16 channels (see {@link Convolutions3d}).
 */
public final class PhaseHead extends AbstractBlock {

    private static final byte VERSION = 1;

    private final int phases;
    private final Conv3d convolution;

    /**
     * Creates the head.
     *
     * @param phases number of phases, at least 2 (a softmax over one channel is constant)
     * @throws IllegalArgumentException if {@code phases < 2}
     */
    public PhaseHead(int phases) {
        super(VERSION);
        if (phases < 2) {
            throw new IllegalArgumentException(
                    "a phase head needs at least 2 phases (a softmax over one channel is always 1),"
                            + " got "
                            + phases);
        }
        this.phases = phases;
        this.convolution = addChildBlock("convolution", Convolutions3d.pointwise(phases));
    }

    /**
     * Returns the number of phases (output channels).
     *
     * @return the phase count
     */
    public int phases() {
        return phases;
    }

    @Override
    protected NDList forwardInternal(
            ParameterStore parameterStore,
            NDList inputs,
            boolean training,
            PairList<String, Object> params) {
        NDList logits = convolution.forward(parameterStore, inputs, training, params);
        return new NDList(logits.singletonOrThrow().softmax(1));
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        Shape s = inputShapes[0];
        if (s.dimension() != 5) {
            throw new IllegalArgumentException(
                    "expected an NCDHW array of rank 5, got shape " + s);
        }
        return new Shape[] {new Shape(s.get(0), phases, s.get(2), s.get(3), s.get(4))};
    }

    @Override
    protected void initializeChildBlocks(
            NDManager manager, DataType dataType, Shape... inputShapes) {
        convolution.initialize(manager, dataType, inputShapes);
    }
}
