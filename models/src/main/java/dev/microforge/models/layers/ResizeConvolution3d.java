package dev.microforge.models.layers;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.convolutional.Conv3d;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/**
 * Doubles the spatial size of an NCDHW volume: nearest-neighbour x2 upsampling followed by a 3x3x3
 * convolution with padding 1.
 *
 * <p>This replaces a transposed convolution, which DJL's PyTorch engine does not offer, and avoids
 * its checkerboard artefacts (Odena et al., "Deconvolution and Checkerboard Artifacts", Distill
 * 2016). Input {@code (N, C, D, H, W)} gives output {@code (N, outputChannels, 2D, 2H, 2W)}.
 *
 * <p>The output channel count must be a positive multiple of 16 because libtorch 2.7.1's 3x3x3
 * {@code Conv3d} input gradient is wrong on CPU otherwise (see {@link Convolutions3d}).
 */
public final class ResizeConvolution3d extends AbstractBlock {

    private static final byte VERSION = 1;

    private final int outputChannels;
    private final Conv3d convolution;

    /**
     * Creates the block.
     *
     * @param outputChannels filters of the 3x3x3 convolution; a positive multiple of 16
     * @throws IllegalArgumentException if {@code outputChannels} is not a positive multiple of 16
     */
    public ResizeConvolution3d(int outputChannels) {
        super(VERSION);
        this.outputChannels = outputChannels;
        this.convolution = addChildBlock("convolution", Convolutions3d.kernel3(outputChannels));
    }

    /**
     * Returns the number of output channels.
     *
     * @return the filters of the convolution
     */
    public int outputChannels() {
        return outputChannels;
    }

    /**
     * Nearest-neighbour x2 upsampling of the three spatial axes of an NCDHW array: voxel {@code (d,
     * h, w)} of the output is voxel {@code (d/2, h/2, w/2)} of the input. Differentiable (the input
     * gradient sums each 2x2x2 block of the output gradient).
     *
     * @param volume array of shape {@code (N, C, D, H, W)}
     * @return array of shape {@code (N, C, 2D, 2H, 2W)}
     * @throws IllegalArgumentException if {@code volume} is not rank 5
     */
    public static NDArray upsampleNearest2(NDArray volume) {
        requireRank5(volume.getShape());
        return volume.repeat(2, 2).repeat(3, 2).repeat(4, 2);
    }

    @Override
    protected NDList forwardInternal(
            ParameterStore parameterStore,
            NDList inputs,
            boolean training,
            PairList<String, Object> params) {
        NDList upsampled = new NDList(upsampleNearest2(inputs.singletonOrThrow()));
        return convolution.forward(parameterStore, upsampled, training, params);
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        Shape s = inputShapes[0];
        requireRank5(s);
        return new Shape[] {
            new Shape(s.get(0), outputChannels, 2 * s.get(2), 2 * s.get(3), 2 * s.get(4))
        };
    }

    @Override
    protected void initializeChildBlocks(
            NDManager manager, DataType dataType, Shape... inputShapes) {
        Shape s = inputShapes[0];
        requireRank5(s);
        convolution.initialize(
                manager,
                dataType,
                new Shape(s.get(0), s.get(1), 2 * s.get(2), 2 * s.get(3), 2 * s.get(4)));
    }

    private static void requireRank5(Shape shape) {
        if (shape.dimension() != 5) {
            throw new IllegalArgumentException(
                    "expected an NCDHW array of rank 5, got shape " + shape);
        }
    }
}
