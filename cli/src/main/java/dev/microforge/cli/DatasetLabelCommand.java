package dev.microforge.cli;

import dev.microforge.evaluator.properties.ElectrodeProperties;
import dev.microforge.training.surrogate.DesignLabels;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.function.BooleanSupplier;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/** {@code microforge dataset label --designs DIR}: physics labels for surrogate training, cached per design. */
@Command(name = "label", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Label every design (volume file) in DIR with the physics evaluator: phase fractions, surface "
                + "areas (1/voxel), log tortuosity of pore and solid along x, y, z, log conductivity along z. One "
                + "record per design goes to DIR/labels/NAME.json; a rerun (or a run after Ctrl-C) labels only what "
                + "is missing or changed. Labels must be 0 pore, 1 active, 2 CBD."})
final class DatasetLabelCommand implements Callable<Integer> {
    @ParentCommand
    DatasetCommand parent;

    @Option(names = {"--designs", "--data"}, paramLabel = "DIR", required = true, description = "Design folder.")
    Path designs;

    @Option(names = "--threads", paramLabel = "N", description = "Threads of the transport solves (default: all).")
    Integer threads;

    @Option(names = "--relabel", description = "Compute every record again, ignoring the cache.")
    boolean relabel;

    @Option(names = "--json", description = "Print the summary as JSON on stdout.")
    boolean json;

    /** Per property over the labelled designs: how many define it, and its range and mean. */
    record PropertyJson(int defined, Double min, Double max, Double mean) {
    }

    record SummaryJson(String designs, int count, int computed, int cached, double seconds, boolean interrupted,
            Map<String, PropertyJson> properties) {
    }

    @Override
    public Integer call() throws Exception {
        CliContext context = parent.parent.context();
        SummaryJson s;
        try (CtrlC stop = new CtrlC()) {
            s = labelFolder(designs, threads, relabel, context, stop);
            if (json) {
                Json.print(context.out(), s);
            } else {
                printSummary(context, s);
            }
        }
        return Main.OK;
    }

    /** Labels {@code dir} with progress; shared by {@code dataset designs --label} and {@code train surrogate}. */
    static SummaryJson labelFolder(Path dir, Integer threads, boolean relabel, CliContext context,
            BooleanSupplier stop) throws IOException {
        if (threads != null && threads < 1) {
            throw new IllegalArgumentException("--threads must be at least 1, got " + threads);
        }
        DesignLabels.Options options = new DesignLabels.Options(threads == null
                ? ElectrodeProperties.Options.defaults() : ElectrodeProperties.Options.defaults().withThreads(threads),
                relabel);
        List<Path> files = DesignLabels.designFiles(dir);
        if (files.isEmpty()) {
            throw new IllegalArgumentException(dir + ": no design files (.tif, .npy, .raw, .vtk) in the folder");
        }
        DesignLabels.Result r = DesignLabels.label(dir, options,
                (done, total, d) -> context.progress().progress("labelling designs", done, total), stop);
        context.closeProgress();
        Map<String, PropertyJson> properties = new LinkedHashMap<>();
        for (int j = 0; j < ElectrodeProperties.NAMES.size(); j++) {
            String name = ElectrodeProperties.NAMES.get(j);
            int n = 0;
            double min = Double.POSITIVE_INFINITY;
            double max = Double.NEGATIVE_INFINITY;
            double sum = 0;
            for (DesignLabels.LabelledDesign d : r.designs()) {
                double v = d.record().values(ElectrodeProperties.NAMES)[j];
                if (!Double.isNaN(v)) {
                    n++;
                    min = Math.min(min, v);
                    max = Math.max(max, v);
                    sum += v;
                }
            }
            properties.put(name, n == 0 ? new PropertyJson(0, null, null, null)
                    : new PropertyJson(n, min, max, sum / n));
        }
        return new SummaryJson(dir.toString(), r.designs().size(), r.computed(), r.cached(), r.seconds(),
                r.interrupted(), properties);
    }

    static void printSummary(CliContext context, SummaryJson s) {
        context.out().printf(Locale.ROOT, "labelled %d designs in %s: %d computed, %d from the cache (%.1f s)%s%n",
                s.count(), s.designs(), s.computed(), s.cached(), s.seconds(),
                s.interrupted() ? "; interrupted, rerun to finish" : "");
        context.out().printf(Locale.ROOT, "  %-24s %8s %10s %10s %10s%n", "property", "defined", "min", "mean", "max");
        s.properties().forEach((name, p) -> context.out().printf(Locale.ROOT, "  %-24s %8d %10s %10s %10s%n", name,
                p.defined(), number(p.min()), number(p.mean()), number(p.max())));
        context.out().flush();
    }

    private static String number(Double v) {
        return v == null ? "-" : String.format(Locale.ROOT, "%.4g", v);
    }
}
