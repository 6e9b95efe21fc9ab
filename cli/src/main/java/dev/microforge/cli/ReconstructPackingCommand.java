package dev.microforge.cli;

import dev.microforge.datasets.Axis;
import dev.microforge.datasets.Volume;
import dev.microforge.generator.packing.ParticlePacking;
import dev.microforge.generator.packing.SizeDistribution;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/** {@code microforge reconstruct packing}: spheres or ellipsoids packed to a solid fraction. */
@Command(name = "packing", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Particle packing: random sequential addition of spheres or ellipsoids with sizes in "
                + "micrometres (fixed, lognormal or bimodal), then relaxation that removes overlaps and densifies; "
                + "solid label 1, pore 0. --fractions POROSITY,SOLID sets the solid fraction.",
            "Graded electrodes: --grade size|fraction:SLOPE varies particle size or solid fraction linearly along "
                + "--thickness-axis."})
final class ReconstructPackingCommand implements Callable<Integer> {
    @ParentCommand
    ReconstructCommand parent;

    @Mixin
    GeneratedOutput output;

    @Option(names = "--diameter", paramLabel = "UM", description = "Mean particle diameter, um (default 8 voxels).")
    Double diameter;

    @Option(names = "--sd", paramLabel = "UM", description = "Lognormal standard deviation, um (default 0: fixed).")
    double sd;

    @Option(names = "--second", paramLabel = "UM[,SD],VOLUME_SHARE",
            description = "Bimodal: second population's diameter (um), optional sd, and the volume share of the "
                    + "first population, e.g. 4,0.5,0.7.")
    String second;

    @Option(names = "--shape", paramLabel = "A,B,C", description = "Semi-axis ratios (default 1,1,1: spheres).")
    String shape = "1,1,1";

    @Option(names = "--orientation", paramLabel = "random|aligned|flakes",
            description = "Ellipsoid orientation (default random).")
    String orientation = "random";

    @Option(names = "--thickness-axis", paramLabel = "x|y|z", description = "Through-plane axis (default z).")
    String thicknessAxis = "z";

    @Option(names = "--grade", paramLabel = "size|fraction:SLOPE",
            description = "Linear gradient along the thickness axis, e.g. fraction:0.5.")
    String grade;

    @Option(names = "--periodic", description = "Particles wrap around the box faces.")
    boolean periodic;

    @Override
    public Integer call() throws Exception {
        CliContext context = parent.context();
        output.checkWritable();
        int[] d = output.dimensions();
        double[] f = output.fractions(new double[] {0.5, 0.5});
        if (f.length != 2) {
            throw new IllegalArgumentException("packing makes 2 phases: give --fractions POROSITY,SOLID");
        }
        dev.microforge.generator.LevelCut.checkFractions(f);
        double um = output.voxelSizeUm;
        double mean = diameter != null ? diameter : 8 * um;
        SizeDistribution sizes = sd > 0 ? new SizeDistribution.Lognormal(mean, sd) : new SizeDistribution.Fixed(mean);
        if (second != null) {
            String[] p = second.split(",");
            if (p.length != 2 && p.length != 3) {
                throw new IllegalArgumentException("--second must be DIAMETER[,SD],SHARE, got '" + second + "'");
            }
            double d2 = Double.parseDouble(p[0].trim());
            double sd2 = p.length == 3 ? Double.parseDouble(p[1].trim()) : 0;
            double share = Double.parseDouble(p[p.length - 1].trim());
            SizeDistribution other = sd2 > 0 ? new SizeDistribution.Lognormal(d2, sd2) : new SizeDistribution.Fixed(d2);
            sizes = new SizeDistribution.Bimodal(sizes, other, share);
        }
        double[] s = ReconstructFieldCommands.parseTriple(shape, "--shape");
        ParticlePacking.Orientation o;
        try {
            o = ParticlePacking.Orientation.valueOf(orientation.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("--orientation must be random, aligned or flakes, got '"
                    + orientation + "'");
        }
        Axis thickness = Axis.parse(thicknessAxis);
        ParticlePacking.Gradient gradient = ParticlePacking.Gradient.NONE;
        if (grade != null) {
            String[] g = grade.split(":");
            if (g.length != 2) {
                throw new IllegalArgumentException("--grade must be size:SLOPE or fraction:SLOPE, got '" + grade + "'");
            }
            double slope = Double.parseDouble(g[1].trim());
            switch (g[0].trim().toLowerCase(Locale.ROOT)) {
                case "size":
                    gradient = ParticlePacking.Gradient.size(slope);
                    break;
                case "fraction":
                    gradient = ParticlePacking.Gradient.fraction(slope);
                    break;
                default:
                    throw new IllegalArgumentException("--grade must be size:SLOPE or fraction:SLOPE, got '"
                            + grade + "'");
            }
        }
        ParticlePacking.Options options = ParticlePacking.Options.defaults().withBox(d[0], d[1], d[2])
                .withVoxelSize(um).withTarget(f[1]).withSizes(sizes)
                .withShape(new ParticlePacking.Shape(s[0], s[1], s[2]), o, thickness).withPeriodic(periodic)
                .withGradient(thickness, gradient).withSeed(output.seed).withLabels(1, 0);
        long t0 = System.nanoTime();
        ParticlePacking.Result r = ParticlePacking.pack(options, (sweep, max, scale, overlap) ->
                context.progress().progress("relaxing the packing", sweep, max));
        context.closeProgress();
        Volume v = r.volume().withVoxelSize(output.voxelSize());
        return ReconstructFieldCommands.finish(context, output, "packing (" + r.particles().size() + " particles)",
                v, f, t0);
    }
}
