package dev.microforge.cli;

import dev.microforge.datasets.Volume;
import dev.microforge.datasets.io.VolumeIO;
import dev.microforge.generator.binder.CarbonBinderBridge;
import dev.microforge.generator.binder.CarbonBinderGrowth;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/** {@code microforge reconstruct cbd}: adds a carbon-binder domain to the pore space of an electrode volume. */
@Command(name = "cbd", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Carbon-binder domain in the pores of a pore/active volume, to a target CBD fraction of the "
                + "whole volume: Monte-Carlo growth after Mistry et al. 2018 with morphology omega (0 film-like over "
                + "the active surface, 1 finger-like), or --bridge (binder where the pore is most enclosed by active "
                + "material: at particle necks)."})
final class ReconstructCbdCommand implements Callable<Integer> {
    @ParentCommand
    ReconstructCommand parent;

    @Mixin
    GeneratedOutput output;

    @Option(names = "--input", paramLabel = "VOLUME", required = true,
            description = "Pore/active volume (pore label 0, active label 1 unless told otherwise).")
    Path input;

    @Option(names = "--cbd-fraction", paramLabel = "F", description = "Target CBD fraction (default 0.1).")
    double cbdFraction = 0.1;

    @Option(names = "--omega", paramLabel = "W", description = "Morphology, 0 (film) .. 1 (fingers); default 0.5.")
    double omega = 0.5;

    @Option(names = "--bridge", description = "Place binder at particle contacts instead of growing it.")
    boolean bridge;

    @Option(names = "--pore-label", paramLabel = "L", description = "Pore label (default 0).")
    int poreLabel = 0;

    @Option(names = "--active-label", paramLabel = "L", description = "Active label (default 1).")
    int activeLabel = 1;

    @Option(names = "--cbd-label", paramLabel = "L", description = "Label of the added CBD (default 2).")
    int cbdLabel = 2;

    record SummaryJson(String method, List<String> files, Map<String, Double> fractions, double cbdFraction,
            double activeSurfaceCoverage, double seconds) {
    }

    @Override
    public Integer call() throws Exception {
        CliContext context = parent.context();
        output.checkWritable();
        Volume in = VolumeIO.read(input);
        long t0 = System.nanoTime();
        Volume out;
        double coverage;
        double fraction;
        if (bridge) {
            CarbonBinderBridge.Options o = CarbonBinderBridge.Options.defaults();
            CarbonBinderBridge.Result r = CarbonBinderBridge.place(in, new CarbonBinderBridge.Options(cbdFraction,
                    poreLabel, new int[] {activeLabel}, cbdLabel, o.windowRadius(), output.seed));
            out = r.volume();
            coverage = r.activeSurfaceCoverage();
            fraction = r.cbdFraction();
        } else {
            CarbonBinderGrowth.Options o = CarbonBinderGrowth.Options.defaults();
            CarbonBinderGrowth.Result r = CarbonBinderGrowth.grow(in, new CarbonBinderGrowth.Options(cbdFraction,
                    omega, poreLabel, new int[] {activeLabel}, cbdLabel, o.nuclei(), o.epsilon(), output.seed));
            out = r.volume();
            coverage = r.activeSurfaceCoverage();
            fraction = r.cbdFraction();
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        if (!in.voxelSize().isKnown()) {
            out = out.withVoxelSize(output.voxelSize());
        }
        List<String> files = output.write(out, context);
        SummaryJson s = new SummaryJson(bridge ? "cbd-bridge" : "cbd-growth", files,
                GeneratedOutput.fractionsOf(out), fraction, coverage, seconds);
        if (output.json) {
            Json.print(context.out(), s);
        } else {
            context.out().printf(Locale.ROOT, "%s: %s, CBD covers %.3f of the active surface (%.1f s)%n",
                    s.method(), GeneratedOutput.describe(out), coverage, seconds);
            files.forEach(f -> context.out().println("wrote " + f));
        }
        return Main.OK;
    }
}
