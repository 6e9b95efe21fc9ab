package dev.microforge.cli;

import dev.microforge.datasets.Volume;
import dev.microforge.datasets.io.VolumeIO;
import dev.microforge.generator.annealing.SimulatedAnnealing;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/**
 * {@code microforge reconstruct anneal}: Yeong-Torquato simulated annealing of voxel swaps until the two-point
 * correlation along x, y and z matches a target 3D volume or, 2D to 3D, a 2D exemplar.
 */
@Command(name = "anneal", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Simulated annealing (Yeong & Torquato 1998): swap voxels of a random start at the target "
                + "fraction until S2 along x, y and z matches the target's (periodic S2, lags 0..R).",
            "Give a 3D --target volume, or a 2D --exemplar image (2D to 3D, isotropic)."})
final class ReconstructAnnealCommand implements Callable<Integer> {
    @ParentCommand
    ReconstructCommand parent;

    @Mixin
    GeneratedOutput output;

    @Option(names = "--target", paramLabel = "VOLUME", description = "3D volume whose S2 is matched.")
    Path target;

    @Option(names = "--exemplar", paramLabel = "IMAGE", description = "2D image whose S2 is matched along x, y, z.")
    Path exemplar;

    @Option(names = "--phase", paramLabel = "P", description = "Phase of the target to match (default: the "
            + "highest label, e.g. active for 2 phases).")
    String phase;

    @Option(names = "--max-lag", paramLabel = "R", description = "Largest lag matched, voxels (default 16).")
    int maxLag = 16;

    @Option(names = "--rmse", paramLabel = "E", description = "Stop at this S2 RMSE (default 0.002).")
    double rmse = 0.002;

    @Option(names = "--seconds", paramLabel = "T", description = "Time limit in seconds (default 60).")
    double seconds = 60;

    @Option(names = "--lineal-path", paramLabel = "W",
            description = "Also match the lineal path with weight W (default 0: off).")
    double linealPath;

    record CurvePoint(double seconds, double rmse) {
    }

    record SummaryJson(String method, List<String> files, int nx, int ny, int nz, Map<String, Double> fractions,
            double targetFraction, double finalRmse, String stop, long swapsTried, long swapsAccepted,
            double seconds, List<CurvePoint> errorCurve) {
    }

    @Override
    public Integer call() throws Exception {
        CliContext context = parent.context();
        if ((target == null) == (exemplar == null)) {
            throw new IllegalArgumentException("give exactly one of --target VOLUME (3D) or --exemplar IMAGE (2D)");
        }
        output.checkWritable();
        int[] d = output.dimensions();
        Path source = target != null ? target : exemplar;
        Volume reference = VolumeIO.read(source);
        int label = phase == null ? reference.labelHistogram().lastKey() : PhaseArgument.resolve(phase, reference)[0];
        SimulatedAnnealing.Target t;
        if (target != null) {
            t = SimulatedAnnealing.Target.fromVolume(reference, label, maxLag, linealPath > 0);
        } else {
            if (reference.nz() != 1) {
                throw new IllegalArgumentException(exemplar + ": an exemplar must be one 2D image, got "
                        + reference.nz() + " slices; use --target for a 3D volume");
            }
            t = SimulatedAnnealing.Target.fromExemplar(reference, label, maxLag, true, linealPath > 0);
        }
        SimulatedAnnealing.Options o = SimulatedAnnealing.Options.defaults();
        SimulatedAnnealing.Options options = new SimulatedAnnealing.Options(d[0], d[1], d[2], rmse, seconds,
                o.maxSwaps(), o.initialTemperatureScale(), o.coolingFactor(), o.swapsPerTemperature(),
                o.stagnationTemperatures(), o.interfaceSwaps(), linealPath, output.seed);
        SimulatedAnnealing.Result r = SimulatedAnnealing.reconstruct(t, options, (swaps, best, elapsed) ->
                context.progress().progress(String.format(Locale.ROOT, "annealing (S2 RMSE %.4f)", best),
                        Math.round(Math.min(elapsed, seconds) * 10), Math.round(seconds * 10)));
        context.closeProgress();
        // the annealed phase is label 1 (the matched phase); keep the volume's labels 0/1
        Volume volume = r.volume().withVoxelSize(output.voxelSize());
        List<String> files = output.write(volume, context);
        if (output.plots != null) {
            Plots.Series s = new Plots.Series().add("S2 RMSE", r.errorCurveSeconds(), r.errorCurve());
            Path png = output.plots.resolve(output.out.getFileName().toString().replaceFirst("\\.[^.]+$", "")
                    + "-error.png");
            Plots.lines(png, "Simulated annealing: S2 error against time", "seconds", "RMSE", s, true,
                    output.force);
            files.add(png.toString());
        }
        List<CurvePoint> curve = new java.util.ArrayList<>();
        for (int i = 0; i < r.errorCurve().length; i++) {
            curve.add(new CurvePoint(r.errorCurveSeconds()[i], r.errorCurve()[i]));
        }
        SummaryJson summary = new SummaryJson("anneal", files, d[0], d[1], d[2], GeneratedOutput.fractionsOf(volume),
                t.volumeFraction(), r.finalRmse(), r.stop().name().toLowerCase(Locale.ROOT), r.swapsTried(),
                r.swapsAccepted(), r.seconds(), curve);
        print(context, summary, volume);
        return Main.OK;
    }

    private void print(CliContext context, SummaryJson s, Volume volume) throws IOException {
        if (output.json) {
            Json.print(context.out(), s);
            return;
        }
        context.out().printf(Locale.ROOT, "annealed %s in %.1f s: S2 RMSE %.5f (%s), %d of %d swaps accepted%n",
                GeneratedOutput.describe(volume), s.seconds(), s.finalRmse(), s.stop(), s.swapsAccepted(),
                s.swapsTried());
        s.files().forEach(f -> context.out().println("wrote " + f));
        context.out().flush();
    }
}
