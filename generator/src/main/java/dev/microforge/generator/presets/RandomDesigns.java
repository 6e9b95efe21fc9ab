package dev.microforge.generator.presets;

import dev.microforge.datasets.Axis;
import dev.microforge.datasets.Volume;
import dev.microforge.generator.binder.CarbonBinderGrowth;
import dev.microforge.generator.packing.ParticlePacking;
import dev.microforge.generator.packing.SizeDistribution;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Varied electrode designs for training a property surrogate: each design draws a family and its parameters at
 * random, so that a set of designs spans the space an optimiser searches (solid fraction, particle size and shape,
 * binder amount and morphology) rather than the seeds of one preset.
 *
 * <p>Families and their probabilities (labels 0 pore, 1 active, 2 CBD; voxel edge 1 um, so sizes are in voxels):
 * <table>
 *   <caption>families</caption>
 *   <tr><th>family</th><th>p</th><th>what</th></tr>
 *   <tr><td>preset</td><td>0.20</td><td>one of the {@link ElectrodePreset}s with its own seed (only when
 *       {@code size >= 48})</td></tr>
 *   <tr><td>spheres</td><td>0.25</td><td>{@link ParticlePacking} of lognormal spheres, solid fraction U(0.40, 0.72),
 *       mean diameter U(size/10, size/3.5), relative sd U(0, 0.3); no binder</td></tr>
 *   <tr><td>spheres+cbd</td><td>0.30</td><td>the same with solid fraction U(0.35, 0.65), then
 *       {@link CarbonBinderGrowth} to a CBD fraction U(0.03, 0.15) with omega U(0, 1)</td></tr>
 *   <tr><td>shaped</td><td>0.25</td><td>ellipsoids 1:1:1/r (flakes lying in-plane, r U(1.5, 3)) or r:1:1 needles
 *       along a random axis, solid fraction U(0.35, 0.60), half of them with binder as above</td></tr>
 * </table>
 * When presets are not possible ({@code size < 48}) their share goes to the other families in proportion.
 * Deterministic: design {@code seed} always gives the same bytes.
 */
public final class RandomDesigns {
    /** Smallest edge: particles need a few voxels, the box at least two particle diameters. */
    public static final int MIN_SIZE = 12;

    private RandomDesigns() {
    }

    /**
     * One design.
     *
     * @param volume the volume, labels 0 pore, 1 active, 2 CBD (separator preset: 0 pore, 1 polymer)
     * @param family the family drawn
     * @param parameters the parameters drawn, by name (numbers and strings), for the record
     */
    public record Design(Volume volume, String family, Map<String, Object> parameters) {
    }

    /**
     * Draws design {@code seed} of edge {@code size}.
     *
     * @throws IllegalArgumentException when {@code size < MIN_SIZE}
     */
    public static Design draw(int size, long seed) {
        if (size < MIN_SIZE) {
            throw new IllegalArgumentException("designs need at least " + MIN_SIZE + " voxels per side, got "
                    + size);
        }
        SplittableRandom random = new SplittableRandom(seed);
        double u = random.nextDouble();
        Map<String, Object> p = new LinkedHashMap<>();
        boolean presets = size >= 48;
        if (presets && u < 0.20) {
            ElectrodePreset preset = ElectrodePreset.values()[random.nextInt(ElectrodePreset.values().length)];
            long presetSeed = random.nextLong();
            p.put("preset", preset.label());
            p.put("presetSeed", presetSeed);
            return new Design(preset.synthesize(size, presetSeed), "preset", p);
        }
        double v = presets ? (u - 0.20) / 0.80 : u;
        String family;
        ParticlePacking.Shape shape = ParticlePacking.Shape.SPHERE;
        ParticlePacking.Orientation orientation = ParticlePacking.Orientation.RANDOM;
        Axis align = Axis.Z;
        double solid;
        boolean binder;
        // the non-preset families in proportion 0.25 : 0.30 : 0.25
        if (v < 0.3125) {
            family = "spheres";
            solid = uniform(random, 0.40, 0.72);
            binder = false;
        } else if (v < 0.6875) {
            family = "spheres+cbd";
            solid = uniform(random, 0.35, 0.65);
            binder = true;
        } else {
            family = "shaped";
            solid = uniform(random, 0.35, 0.60);
            binder = random.nextBoolean();
            double r = uniform(random, 1.5, 3.0);
            if (random.nextBoolean()) {
                shape = new ParticlePacking.Shape(1, 1, 1 / r);
                orientation = ParticlePacking.Orientation.FLAKES;
                p.put("shape", String.format(Locale.ROOT, "flakes 1:1:%.3f", 1 / r));
            } else {
                shape = new ParticlePacking.Shape(r, 1, 1);
                orientation = ParticlePacking.Orientation.ALIGNED;
                align = Axis.values()[random.nextInt(3)];
                p.put("shape", String.format(Locale.ROOT, "needles %.3f:1:1 along %s", r, align.label()));
            }
        }
        double diameter = uniform(random, size / 10.0, size / 3.5);
        double relativeSd = uniform(random, 0, 0.3);
        long packingSeed = random.nextLong();
        p.put("solidFraction", solid);
        p.put("meanDiameter", diameter);
        p.put("relativeSd", relativeSd);
        SizeDistribution sizes = relativeSd < 0.02 ? new SizeDistribution.Fixed(diameter)
                : new SizeDistribution.Lognormal(diameter, relativeSd * diameter);
        // voxel size, then sizes, then box: every with-copy validates that the particles fit the box
        ParticlePacking.Options o = ParticlePacking.Options.defaults().withVoxelSize(1).withSizes(sizes)
                .withBox(size, size, size).withTarget(solid).withShape(shape, orientation, align).withPeriodic(false)
                .withLabels(1, 0).withSeed(packingSeed).withRelaxation(0.03, 150);
        Volume volume = ParticlePacking.pack(o).volume();
        if (binder) {
            double cbd = uniform(random, 0.03, 0.15);
            double omega = uniform(random, 0, 1);
            p.put("cbdFraction", cbd);
            p.put("omega", omega);
            volume = CarbonBinderGrowth.grow(volume, CarbonBinderGrowth.Options.defaults().withTargetFraction(cbd)
                    .withOmega(omega).withSeed(random.nextLong())).volume();
        }
        return new Design(volume, family, p);
    }

    private static double uniform(SplittableRandom random, double lo, double hi) {
        return lo + (hi - lo) * random.nextDouble();
    }
}
