package dev.microforge.models.slicegan;

import dev.microforge.models.gan.GanArchitecture;
import java.util.List;

/**
 * Architecture table of a SliceGAN (Kench and Cooper, "Generating three-dimensional structures from
 * a two-dimensional slice with generative adversarial network-based dimensionality expansion",
 * Nature Machine Intelligence 3, 299-305, 2021): a 3D generator judged by 2D critics on its slices.
 *
 * <p>The generator is {@link dev.microforge.models.gan.Generator3d}: a spatial latent of edge
 * {@code s} gives a volume of edge {@code s * 2^levels}, one x2 resize-convolution per entry of
 * {@code generatorWidths}. Each critic is a {@link Critic2d}: one 4x4 stride-2 convolution per entry
 * of {@code criticWidths}. {@code critics} is 1 for an isotropic material (one critic shared by the
 * slices normal to x, y and z, trained from one 2D image) or 3 for an anisotropic one (one critic per
 * axis, index 0 = x, 1 = y, 2 = z). All widths are multiples of 16 (libtorch 2.7.1 CPU gradient bug,
 * see {@link dev.microforge.models.layers.Convolutions3d}).
 *
 * @param latentChannels channels of the spatial latent, at least 1
 * @param generatorWidths output channels of each generator level, multiples of 16
 * @param criticWidths output channels of each critic level, multiples of 16
 * @param phases number of phases, 2..255
 * @param critics 1 (isotropic) or 3 (one per axis)
 * @param latentWidths the generator's convolutions at the latent resolution ({@link GanArchitecture#latentWidths()});
 *     null (a {@code model.json} written before they existed) reads as none
 */
public record SliceGanArchitecture(
        int latentChannels, List<Integer> generatorWidths, List<Integer> criticWidths, int phases, int critics,
        List<Integer> latentWidths) {

    /** Validates the table (through {@link GanArchitecture}'s checks) and copies the lists. */
    public SliceGanArchitecture {
        GanArchitecture checked = new GanArchitecture(latentChannels, generatorWidths, criticWidths, phases,
                latentWidths);
        generatorWidths = checked.generatorWidths();
        criticWidths = checked.criticWidths();
        latentWidths = checked.latentWidths();
        if (critics != 1 && critics != 3) {
            throw new IllegalArgumentException(
                    "critics must be 1 (isotropic: one critic for x, y and z slices) or 3 (one per axis), got "
                            + critics);
        }
    }

    /**
     * A table without convolutions at the latent resolution.
     *
     * @param latentChannels channels of the spatial latent, at least 1
     * @param generatorWidths output channels of each generator level, multiples of 16
     * @param criticWidths output channels of each critic level, multiples of 16
     * @param phases number of phases, 2..255
     * @param critics 1 (isotropic) or 3 (one per axis)
     */
    public SliceGanArchitecture(int latentChannels, List<Integer> generatorWidths, List<Integer> criticWidths,
            int phases, int critics) {
        this(latentChannels, generatorWidths, criticWidths, phases, critics, List.of());
    }

    /**
     * The CPU default: latent 16 channels; generator 16,16,16 (three x2 levels, so a 4³ latent gives a 32³
     * volume); critics 16,32,64 (32² slices down to 4² before the global mean).
     *
     * <p>Why: the generator's cost is in its last levels (a 3x3x3 16->16 convolution over 64³ is 1.8 GMAC per
     * volume), so widths there set the step time; 16->16 resize-convolutions are the gradient-verified 3D
     * configuration (each new one needs its own 32³ check). Four levels and 64² slices (the earlier default) cost
     * 6.9 s per iteration on 2 idle cores, about 390 iterations in 45 minutes; three levels on batches of four 32³
     * volumes cost 1.25 s, 2,155 iterations, and came closer to the NMC cathode's statistics in the same time (README,
     * "SliceGAN and VAE"). The 2D critics are cheap and can afford 64 channels.
     *
     * @param phases number of phases
     * @param critics 1 or 3
     * @return the default architecture
     */
    public static SliceGanArchitecture defaults(int phases, int critics) {
        return new SliceGanArchitecture(16, List.of(16, 16, 16), List.of(16, 32, 64), phases, critics);
    }

    /**
     * Returns the generator's table as a {@link GanArchitecture} (its critic widths are this table's
     * 2D critic widths and are not used by the generator).
     *
     * @return the generator architecture
     */
    public GanArchitecture generator() {
        return new GanArchitecture(latentChannels, generatorWidths, criticWidths, phases, latentWidths);
    }

    /**
     * Returns the volume edge made from a latent of edge {@code latentSize}.
     *
     * @param latentSize spatial latent edge, at least 1
     * @return {@code latentSize * 2^levels}
     */
    public int outputSize(int latentSize) {
        return generator().outputSize(latentSize);
    }

    /**
     * Returns the latent edge for a volume edge, refusing sizes the generator or the critics cannot
     * take (the slice edge must also be a multiple of {@code 2^critic levels}).
     *
     * @param size volume (and slice) edge
     * @return {@code size / 2^generator levels}
     */
    public int latentSizeFor(int size) {
        int criticStep = 1 << criticWidths.size();
        if (size < criticStep || size % criticStep != 0) {
            throw new IllegalArgumentException(
                    "slice size " + size + " is not a positive multiple of 2^" + criticWidths.size() + " = "
                            + criticStep + " (the critics halve it once per level)");
        }
        return generator().latentSizeFor(size);
    }
}
