package dev.microforge.models.layers;

import ai.djl.ndarray.types.Shape;
import ai.djl.nn.convolutional.Conv2d;

/**
 * Factory for the one 2D convolution Microforge networks use: 4x4, stride 2, padding 1 (halves an
 * even height and width), with a multiple of 16 output channels, as in the critics of SliceGAN
 * (Kench and Cooper, Nature Machine Intelligence 3, 299, 2021).
 *
 * <p>Input {@code (N, C, H, W)} gives {@code (N, outputChannels, H/2, W/2)} for even H and W. The
 * channel rule is the 3D one ({@link Convolutions3d}) carried over as a precaution: libtorch 2.7.1's
 * CPU convolution gradients went wrong for 3x3x3 kernels with other channel counts; every 2D
 * configuration the models use is verified against finite differences and a float64 recomputation
 * at 64² in {@code SliceGanVaeGradientCheckTest}.
 */
public final class Convolutions2d {

    private Convolutions2d() {}

    /**
     * Builds a 4x4 convolution with stride 2, padding 1 and a bias.
     *
     * @param outputChannels number of filters; a positive multiple of 16
     * @return the uninitialised block (input channels are inferred at initialisation)
     * @throws IllegalArgumentException if {@code outputChannels} is not a positive multiple of 16
     */
    public static Conv2d strided4(int outputChannels) {
        Convolutions3d.requireMultipleOf16(outputChannels);
        return Conv2d.builder()
                .setKernelShape(new Shape(4, 4))
                .optStride(new Shape(2, 2))
                .optPadding(new Shape(1, 1))
                .setFilters(outputChannels)
                .build();
    }
}
