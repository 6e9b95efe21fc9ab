package dev.microforge.generator.presets;

import dev.microforge.datasets.Axis;
import dev.microforge.datasets.Volume;
import dev.microforge.datasets.VoxelSize;
import dev.microforge.generator.binder.CarbonBinderGrowth;
import dev.microforge.generator.field.GaussianRandomField;
import dev.microforge.generator.packing.ParticlePacking;
import dev.microforge.generator.packing.SizeDistribution;
import java.util.Locale;

/**
 * The embedded default datasets: NREL-like electrode volumes built from parameters alone, with no input file, for
 * {@code microforge dataset synth}, the demo and the tests. Labels: 0 pore, 1 active material, 2 carbon-binder
 * domain (the separator has 0 pore, 1 polymer). Each preset packs particles ({@link ParticlePacking}: random
 * sequential addition, then relaxation) to the active fraction and grows the carbon-binder domain in the pores
 * ({@link CarbonBinderGrowth}, Mistry et al. 2018) to the CBD fraction; the separator is a level-cut anisotropic
 * Gaussian random field. The through-plane (thickness) axis is z.
 *
 * <p>Parameters (sizes are particle diameters in micrometres, fractions of the whole volume):
 * <table>
 *   <caption>presets</caption>
 *   <tr><th>preset</th><th>voxel</th><th>particles</th><th>active</th><th>CBD (omega)</th><th>porosity</th></tr>
 *   <tr><td>nmc</td><td>0.4 um</td><td>spheres, lognormal 6 +- 1.5 um</td><td>0.50</td><td>0.12 (0.5)</td>
 *       <td>0.38</td></tr>
 *   <tr><td>graphite</td><td>0.5 um</td><td>flakes 3:3:1 lying in the xy plane, lognormal 10 +- 3 um</td>
 *       <td>0.55</td><td>0.06 (0.3)</td><td>0.39</td></tr>
 *   <tr><td>lfp</td><td>0.1 um</td><td>spheres, lognormal 0.8 +- 0.25 um</td><td>0.42</td><td>0.15 (0.7)</td>
 *       <td>0.43</td></tr>
 *   <tr><td>graded</td><td>0.4 um</td><td>nmc particles, solid fraction rising linearly along z (slope 0.6)</td>
 *       <td>0.45 mean</td><td>0.10 (0.5)</td><td>0.45 mean</td></tr>
 *   <tr><td>separator</td><td>0.1 um</td><td>Gaussian random field, Debye length 3 voxels, stretched 3x in x
 *       and y</td><td>0.55 polymer</td><td>-</td><td>0.45</td></tr>
 * </table>
 * Values are chosen to resemble NREL's calendered NMC532 and graphite electrodes (Usseglio-Viretta et al., J.
 * Electrochem. Soc. 165 (2018) A3403) and common LFP cathodes and polyolefin separators; they are synthetic, not
 * fits to those data.
 */
public enum ElectrodePreset {
    NMC("calendered NMC cathode: lognormal spherical particles, CBD between film and fingers", 0.4, 0.50, 0.12,
            0.5),
    GRAPHITE("graphite anode: flake-shaped particles lying in-plane, little binder", 0.5, 0.55, 0.06, 0.3),
    LFP("LFP cathode: sub-micron particles, much carbon-binder", 0.1, 0.42, 0.15, 0.7),
    GRADED("graded NMC cathode: solid fraction rising through the thickness (z)", 0.4, 0.45, 0.10, 0.5),
    SEPARATOR("polyolefin separator: anisotropic porous polymer (2 phases: pore, polymer)", 0.1, 0.55, 0, 0);

    private final String description;
    private final double voxelSizeUm;
    private final double activeFraction;
    private final double cbdFraction;
    private final double omega;

    ElectrodePreset(String description, double voxelSizeUm, double activeFraction, double cbdFraction,
            double omega) {
        this.description = description;
        this.voxelSizeUm = voxelSizeUm;
        this.activeFraction = activeFraction;
        this.cbdFraction = cbdFraction;
        this.omega = omega;
    }

    public String description() {
        return description;
    }

    public double voxelSizeUm() {
        return voxelSizeUm;
    }

    /** Target fraction of active material (polymer for the separator). */
    public double activeFraction() {
        return activeFraction;
    }

    /** Target fraction of carbon-binder domain (0 for the separator). */
    public double cbdFraction() {
        return cbdFraction;
    }

    /** CBD morphology parameter (0 film-like, 1 finger-like). */
    public double omega() {
        return omega;
    }

    /** Lower-case name used on the command line. */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * Parses a preset name (any case).
     *
     * @throws IllegalArgumentException listing the presets
     */
    public static ElectrodePreset parse(String text) {
        for (ElectrodePreset p : values()) {
            if (p.label().equalsIgnoreCase(text == null ? "" : text.trim())) {
                return p;
            }
        }
        throw new IllegalArgumentException("unknown preset '" + text + "'; one of nmc, graphite, lfp, graded, "
                + "separator");
    }

    /**
     * The particle packing of this preset at {@code size}³ voxels (the first stage of {@link #synthesize}): sizes,
     * shapes, orientation, gradient, voxel size and active fraction; labels 1 solid, 0 pore; not periodic. The
     * optimiser's parametric design spaces start from it.
     *
     * @throws IllegalArgumentException for the separator (not a packing) or a size the particles do not fit
     */
    public ParticlePacking.Options packingOptions(int size, long seed) {
        if (this == SEPARATOR) {
            throw new IllegalArgumentException("the separator preset is a Gaussian random field, not a particle "
                    + "packing");
        }
        // sizes first: every with-copy validates, and the default 5 um particles do not fit every voxel size
        SizeDistribution sizes = this == GRAPHITE ? new SizeDistribution.Lognormal(10, 3)
                : this == LFP ? new SizeDistribution.Lognormal(0.8, 0.25) : new SizeDistribution.Lognormal(6, 1.5);
        ParticlePacking.Options o = ParticlePacking.Options.defaults().withSizes(sizes).withBox(size, size, size)
                .withVoxelSize(voxelSizeUm).withTarget(activeFraction).withSeed(seed).withLabels(1, 0)
                .withPeriodic(false);
        if (this == GRAPHITE) {
            o = o.withShape(new ParticlePacking.Shape(3, 3, 1), ParticlePacking.Orientation.FLAKES, Axis.Z);
        } else if (this == GRADED) {
            o = o.withGradient(Axis.Z, ParticlePacking.Gradient.fraction(0.6));
        }
        return o;
    }

    /**
     * Builds one volume of {@code size}³ voxels.
     *
     * @throws IllegalArgumentException when the size is too small for the preset's particles (at least 48)
     */
    public Volume synthesize(int size, long seed) {
        if (size < 48) {
            throw new IllegalArgumentException("preset volumes need at least 48 voxels per side (the particles are "
                    + "up to 25 voxels across), got " + size);
        }
        VoxelSize voxel = VoxelSize.isotropic(voxelSizeUm);
        if (this == SEPARATOR) {
            GaussianRandomField.Options options = GaussianRandomField.Options.defaults().withScale(3, 3, 1);
            return GaussianRandomField.generate(size, size, size, new double[] {1 - activeFraction, activeFraction},
                    GaussianRandomField.Target.debye(3), options, voxel, seed).phases();
        }
        Volume packed = ParticlePacking.pack(packingOptions(size, seed)).volume().withVoxelSize(voxel);
        CarbonBinderGrowth.Options binder = CarbonBinderGrowth.Options.defaults().withTargetFraction(cbdFraction)
                .withOmega(omega).withSeed(seed);
        return CarbonBinderGrowth.grow(packed, binder).volume().withVoxelSize(voxel);
    }
}
