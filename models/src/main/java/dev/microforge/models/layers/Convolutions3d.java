package dev.microforge.models.layers;

import ai.djl.nn.convolutional.Conv3d;
import ai.djl.ndarray.types.Shape;

/**
 * Factories for the 3D convolutions Microforge networks use: 3x3x3 (padding 1 or none, stride 1) with a
 * multiple of 16 output channels, 1x1x1 (any number of output channels), and 4x4x4 with stride 2
 * (multiples of 16, VAE encoder).
 *
 * <p>Why the restriction: on the CPUs we run on, libtorch 2.7.1 (the oneDNN path) computes a wrong
 * or NaN input gradient for a 3x3x3 {@code Conv3d} when the number of output channels is not a
 * multiple of 16 and the volume is 32³ or larger (1, 8 and 17 channels failed; 16 and 32 were right;
 * 1x1x1 kernels were right). On the development machine (AMD EPYC, AVX-512) it showed at batch 2
 * and not at batch 1, and intermittently: the same 16->8 layer gave a right gradient in one run and
 * one off by 17-27 % or non-finite in the next. The forward pass is right, so a model would
 * silently train on wrong gradients. Every configuration built here is verified against finite differences at 32³ in {@code
 * GradientCheckTest}; map to a phase count that is not a multiple of 16 with {@link
 * #pointwise(int)} (see {@link PhaseHead}).
 */
public final class Convolutions3d {

    /** Output channels of every 3x3x3 convolution must be a multiple of this. */
    public static final int CHANNEL_MULTIPLE = 16;

    private Convolutions3d() {}

    /**
     * Builds a 3x3x3 convolution with padding 1 (spatial size kept) and a bias.
     *
     * @param outputChannels number of filters; a positive multiple of {@value #CHANNEL_MULTIPLE}
     * @return the uninitialised block (input channels are inferred at initialisation)
     * @throws IllegalArgumentException if {@code outputChannels} is not a positive multiple of 16
     */
    public static Conv3d kernel3(int outputChannels) {
        requireMultipleOf16(outputChannels);
        return Conv3d.builder()
                .setKernelShape(new Shape(3, 3, 3))
                .optPadding(new Shape(1, 1, 1))
                .setFilters(outputChannels)
                .build();
    }

    /**
     * Builds a 3x3x3 convolution without padding (each spatial edge shrinks by 2) and a bias: the generator's
     * layers at the latent resolution ({@link dev.microforge.models.gan.GanArchitecture#latentWidths()}), which see
     * only real latent voxels, so that they widen the generator's reach without a wider cut margin.
     *
     * @param outputChannels number of filters; a positive multiple of {@value #CHANNEL_MULTIPLE}
     * @return the uninitialised block; {@code (N, C, D, H, W)} gives {@code (N, outputChannels, D-2, H-2, W-2)}
     * @throws IllegalArgumentException if {@code outputChannels} is not a positive multiple of 16
     */
    public static Conv3d kernel3Valid(int outputChannels) {
        requireMultipleOf16(outputChannels);
        return Conv3d.builder().setKernelShape(new Shape(3, 3, 3)).setFilters(outputChannels).build();
    }

    /**
     * Builds a 1x1x1 convolution (a per-voxel linear map across channels) with a bias.
     *
     * @param outputChannels number of filters, at least 1
     * @return the uninitialised block
     * @throws IllegalArgumentException if {@code outputChannels < 1}
     */
    public static Conv3d pointwise(int outputChannels) {
        if (outputChannels < 1) {
            throw new IllegalArgumentException(
                    "a 1x1x1 convolution needs at least 1 output channel, got " + outputChannels);
        }
        return Conv3d.builder().setKernelShape(new Shape(1, 1, 1)).setFilters(outputChannels).build();
    }

    /**
     * Builds a 4x4x4 convolution with stride 2 and padding 1 (halves even spatial sizes) and a bias,
     * the downsampling layer of the VAE encoder. The measurements found 4³/stride-2 layers
     * right for any channel count; the multiple-of-16 rule is kept anyway, and every configuration
     * used is gradient-checked at 32³.
     *
     * @param outputChannels number of filters; a positive multiple of {@value #CHANNEL_MULTIPLE}
     * @return the uninitialised block; {@code (N, C, D, H, W)} gives {@code (N, outputChannels, D/2,
     *     H/2, W/2)}
     * @throws IllegalArgumentException if {@code outputChannels} is not a positive multiple of 16
     */
    public static Conv3d strided4(int outputChannels) {
        requireMultipleOf16(outputChannels);
        return Conv3d.builder()
                .setKernelShape(new Shape(4, 4, 4))
                .optStride(new Shape(2, 2, 2))
                .optPadding(new Shape(1, 1, 1))
                .setFilters(outputChannels)
                .build();
    }

    static void requireMultipleOf16(int outputChannels) {
        if (outputChannels < CHANNEL_MULTIPLE || outputChannels % CHANNEL_MULTIPLE != 0) {
            throw new IllegalArgumentException(
                    "3x3x3 convolutions need a positive multiple of "
                            + CHANNEL_MULTIPLE
                            + " output channels, got "
                            + outputChannels
                            + ": libtorch 2.7.1 computes a wrong input gradient on CPU for other"
                            + " counts at 32^3 and larger; round up to "
                            + Math.max(
                                    CHANNEL_MULTIPLE,
                                    (outputChannels + CHANNEL_MULTIPLE - 1)
                                            / CHANNEL_MULTIPLE
                                            * CHANNEL_MULTIPLE)
                            + " and map to fewer channels with a 1x1x1 convolution");
        }
    }
}
