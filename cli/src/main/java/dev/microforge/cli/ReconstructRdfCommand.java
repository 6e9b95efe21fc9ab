package dev.microforge.cli;

import dev.microforge.datasets.Volume;
import dev.microforge.datasets.io.VolumeIO;
import dev.microforge.evaluator.morphology.ParticleSeparation;
import dev.microforge.evaluator.morphology.ParticleStatistics;
import dev.microforge.generator.annealing.RadialDistributionAnnealing;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/**
 * {@code microforge reconstruct rdf}: Monte-Carlo particle arrangement matching the radial distribution function of
 * the particle centres of a target volume (Stephenson et al. 2011). The target's particles are separated by the
 * distance-transform watershed; their centroids give g(r) and their mean equivalent radius the particle size.
 */
@Command(name = "rdf", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Monte-Carlo (Metropolis) moves of spherical particles until the radial distribution function "
                + "of their centres matches the target's (Stephenson et al. 2011). Target particles come from a "
                + "watershed separation of --phase in --target; their count is scaled to the output size."})
final class ReconstructRdfCommand implements Callable<Integer> {
    @ParentCommand
    ReconstructCommand parent;

    @Mixin
    GeneratedOutput output;

    @Option(names = "--target", paramLabel = "VOLUME", required = true, description = "Volume with particles.")
    Path target;

    @Option(names = "--phase", paramLabel = "P", description = "Particle phase (default: active).")
    String phase = "active";

    @Option(names = "--seconds", paramLabel = "T", description = "Time limit in seconds (default 30).")
    double seconds = 30;

    record SummaryJson(String method, List<String> files, int particles, double radiusVoxels, double finalRmse,
            String stop, double seconds) {
    }

    @Override
    public Integer call() throws Exception {
        CliContext context = parent.context();
        output.checkWritable();
        int[] d = output.dimensions();
        Volume t = VolumeIO.read(target);
        int label = PhaseArgument.resolve(phase, t)[0];
        ParticleStatistics.Result particles = ParticleStatistics.of(ParticleSeparation.watershed(t.withVoxelSize(
                dev.microforge.datasets.VoxelSize.UNKNOWN), label, ParticleSeparation.Options.defaults()),
                ParticleStatistics.Options.defaults());
        if (particles.count() < 10) {
            throw new IllegalArgumentException(target + ": only " + particles.count() + " particles of phase "
                    + label + " found; the RDF needs at least 10 (give a larger or more particulate volume)");
        }
        double[][] centres = new double[particles.count()][];
        double radius = 0;
        for (int i = 0; i < particles.count(); i++) {
            ParticleStatistics.Particle p = particles.particles().get(i);
            centres[i] = p.centroid().clone();
            radius += p.equivalentDiameter() / 2;
        }
        radius /= particles.count();
        double binWidth = Math.max(0.5, radius / 4);
        // g(r) up to 6 radii, within half the smallest side of both the target and the output box
        double halfSide = Math.min(Math.min(t.nx(), Math.min(t.ny(), t.nz())),
                Math.min(d[0], Math.min(d[1], d[2]))) / 2.0;
        int bins = (int) Math.floor(Math.min(halfSide, 6 * radius) / binWidth);
        if (bins < 4) {
            throw new IllegalArgumentException(String.format(Locale.ROOT, "particles of radius %.1f voxels need a "
                    + "larger --size (at least %d) and target for a radial distribution", radius,
                    (int) Math.ceil(8 * binWidth)));
        }
        RadialDistributionAnnealing.Target g = RadialDistributionAnnealing.Target.fromCentres(centres, t.nx(), t.ny(),
                t.nz(), binWidth, bins);
        int count = (int) Math.max(1, Math.round(particles.count() * ((double) d[0] * d[1] * d[2])
                / t.voxelCount()));
        RadialDistributionAnnealing.Options o = RadialDistributionAnnealing.Options.defaults();
        RadialDistributionAnnealing.Options options = new RadialDistributionAnnealing.Options(d[0], d[1], d[2],
                count, radius, Math.max(1, radius / 2), o.targetRmse(), o.maxMoves(), seconds,
                o.initialTemperatureScale(), o.coolingFactor(), o.movesPerTemperature(), o.stagnationTemperatures(),
                output.seed);
        RadialDistributionAnnealing.Result r = RadialDistributionAnnealing.reconstruct(g, options,
                (moves, best, elapsed) -> context.progress().progress(String.format(Locale.ROOT,
                        "arranging particles (g(r) RMSE %.3f)", best), Math.round(Math.min(elapsed, seconds) * 10),
                        Math.round(seconds * 10)));
        context.closeProgress();
        Volume v = r.volume().withVoxelSize(output.voxelSize());
        List<String> files = output.write(v, context);
        SummaryJson s = new SummaryJson("rdf", files, count, radius, r.finalRmse(),
                r.stop().name().toLowerCase(Locale.ROOT), r.seconds());
        if (output.json) {
            Json.print(context.out(), s);
        } else {
            context.out().printf(Locale.ROOT, "rdf: %d particles of radius %.2f voxels, g(r) RMSE %.4f (%s), %s%n",
                    count, radius, r.finalRmse(), s.stop(), GeneratedOutput.describe(v));
            files.forEach(f -> context.out().println("wrote " + f));
        }
        return Main.OK;
    }
}
