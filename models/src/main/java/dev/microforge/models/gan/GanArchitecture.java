package dev.microforge.models.gan;

import dev.microforge.models.layers.Convolutions3d;
import java.util.List;

/**
 * Architecture table of a 3D GAN: generator and critic widths, latent channels and phase count.
 *
 * <p>The generator has one x2 resize-convolution level per entry of {@code generatorWidths}, so a
 * spatial latent of size {@code s³} gives a volume of {@code (s * 2^levels)³} (spatial latent as in
 * Gayon-Lombardo et al. 2020: larger latents give larger volumes). The critic has one 3x3x3
 * convolution plus 2x2x2 average pooling per entry of {@code criticWidths}. Every width is a 3x3x3
 * convolution's output channel count and must therefore be a positive multiple of 16 (libtorch 2.7.1
 * CPU gradient bug, see {@link Convolutions3d}). The configurations the defaults use are the ones
 * covered by {@code GradientCheckTest} (3x3x3 conv 3->16 and 16->32, resize-conv 16->16, phase head
 * 16->3); other widths are accepted but need their own gradient check before they are trusted.
 *
 * <p>{@code latentWidths} (optional, empty by default) puts 3x3x3 convolutions without padding, each followed by a
 * ReLU, at the latent resolution before the first level: each widens the generator's reach by one latent voxel
 * ({@code 2^levels} output voxels) per side and costs little (the latent has {@code 8^-levels} of the output
 * voxels). A latent of edge {@code s} is then padded by {@link #latentMargin()} voxels per side instead of one;
 * the convolutions consume the extra voxels, so the levels and the cut margin cost the same as without them.
 *
 * @param latentChannels channels of the spatial latent, at least 1
 * @param generatorWidths output channels of each generator level (1..6 levels), multiples of 16
 * @param criticWidths output channels of each critic level (1..6 levels), multiples of 16
 * @param phases number of phases, 2..255
 * @param latentWidths output channels of each convolution at the latent resolution (0..6), multiples of 16; null
 *     (a {@code model.json} written before they existed) reads as none
 */
public record GanArchitecture(
        int latentChannels, List<Integer> generatorWidths, List<Integer> criticWidths, int phases,
        List<Integer> latentWidths) {

    /** Most levels either network may have. */
    public static final int MAX_LEVELS = 6;

    /** Validates the table and makes the lists immutable. */
    public GanArchitecture {
        if (latentChannels < 1) {
            throw new IllegalArgumentException("latentChannels must be at least 1, got " + latentChannels);
        }
        generatorWidths = checkWidths("generatorWidths", generatorWidths);
        criticWidths = checkWidths("criticWidths", criticWidths);
        if (phases < 2 || phases > 255) {
            throw new IllegalArgumentException("phases must be 2..255, got " + phases);
        }
        latentWidths = latentWidths == null || latentWidths.isEmpty() ? List.of()
                : checkWidths("generatorLatentWidths", latentWidths);
    }

    /**
     * A table without convolutions at the latent resolution.
     *
     * @param latentChannels channels of the spatial latent, at least 1
     * @param generatorWidths output channels of each generator level, multiples of 16
     * @param criticWidths output channels of each critic level, multiples of 16
     * @param phases number of phases, 2..255
     */
    public GanArchitecture(int latentChannels, List<Integer> generatorWidths, List<Integer> criticWidths,
            int phases) {
        this(latentChannels, generatorWidths, criticWidths, phases, List.of());
    }

    /**
     * Latent voxels a latent is padded by on each side before the generator's forward pass: one for the levels'
     * zero padding (see {@link GanDecoder}) plus one per convolution at the latent resolution.
     *
     * @return {@code 1 + latentWidths().size()}
     */
    public int latentMargin() {
        return 1 + latentWidths.size();
    }

    /**
     * The verified default: latent 16 channels, generator 16,16 (two x2 levels), critic 16,32.
     *
     * @param phases number of phases
     * @return the default architecture
     */
    public static GanArchitecture defaults(int phases) {
        return new GanArchitecture(16, List.of(16, 16), List.of(16, 32), phases);
    }

    /**
     * Returns the number of generator levels (each doubles the spatial size).
     *
     * @return generator levels
     */
    public int levels() {
        return generatorWidths.size();
    }

    /**
     * Returns the volume edge the generator makes from a latent of edge {@code latentSize}.
     *
     * @param latentSize spatial latent edge, at least 1
     * @return {@code latentSize * 2^levels}
     */
    public int outputSize(int latentSize) {
        if (latentSize < 1) {
            throw new IllegalArgumentException("latent size must be at least 1, got " + latentSize);
        }
        return latentSize << levels();
    }

    /**
     * Returns the latent edge that gives a volume edge {@code size}.
     *
     * @param size volume edge
     * @return {@code size / 2^levels}
     * @throws IllegalArgumentException if {@code size} is not a positive multiple of {@code 2^levels}
     */
    public int latentSizeFor(int size) {
        int step = 1 << levels();
        if (size < step || size % step != 0) {
            throw new IllegalArgumentException(
                    "volume size " + size + " is not a positive multiple of 2^" + levels() + " = " + step);
        }
        return size / step;
    }

    private static List<Integer> checkWidths(String name, List<Integer> widths) {
        if (widths == null || widths.isEmpty() || widths.size() > MAX_LEVELS) {
            throw new IllegalArgumentException(
                    name + " needs 1.." + MAX_LEVELS + " entries, got " + (widths == null ? "none" : widths.size()));
        }
        for (Integer w : widths) {
            if (w == null || w < Convolutions3d.CHANNEL_MULTIPLE || w % Convolutions3d.CHANNEL_MULTIPLE != 0) {
                throw new IllegalArgumentException(
                        name + " entries must be positive multiples of " + Convolutions3d.CHANNEL_MULTIPLE
                                + " (libtorch 2.7.1 CPU 3x3x3 Conv3d gradient bug otherwise), got " + widths);
            }
        }
        return List.copyOf(widths);
    }
}
