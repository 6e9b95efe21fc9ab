package dev.microforge.cli;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.microforge.datasets.PhaseMap;
import dev.microforge.datasets.Volume;
import dev.microforge.datasets.io.VolumeIO;
import dev.microforge.evaluator.compare.Comparison;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/**
 * {@code microforge compare REFERENCE CANDIDATE...}: statistical equivalence of candidate volumes (generated,
 * reconstructed) with a reference, phase by phase, and a PASS/FAIL line against tolerances.
 */
@Command(name = "compare", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Compare candidate volumes with a reference, per phase: volume-fraction error, two-point "
                + "correlation S2 RMSE per axis (non-periodic, lags 0..R), specific surface area ratio, tortuosity "
                + "ratio per axis, and the Kolmogorov-Smirnov distance between chord-length distributions per axis. "
                + "Sizes may differ (every figure is intensive); everything is measured in voxels.",
            "With several candidates they are pooled (an ensemble: voxel-weighted fractions, S2 and surface, mean "
                + "tortuosity, summed chords) for the headline result, and each is also compared alone. The last "
                + "line says PASS or FAIL against --vf-tol, --s2-tol and --tau-tol; the exit code is 0 either way "
                + "(read \"pass\" from --json in scripts).",
            "Labels are matched by value when both volumes use the same ones, otherwise by rank when they have as "
                + "many (0/85/170 against 0/1/2), otherwise by value."})
final class CompareCommand implements Callable<Integer> {
    @ParentCommand
    MicroforgeCommand parent;

    @Parameters(index = "0", paramLabel = "REFERENCE", description = "Reference volume (e.g. the real electrode).")
    Path reference;

    @Parameters(index = "1..*", arity = "1..*", paramLabel = "CANDIDATE", description = "Volumes to judge.")
    List<Path> candidates;

    @Option(names = "--phase", paramLabel = "P",
            description = "Compare only these phases of the reference (label values or names pore, active, cbd, "
                    + "comma-separated). Default: every label present.")
    String phase;

    @Option(names = "--vf-tol", paramLabel = "T", description = "Largest |volume-fraction error| (default 0.01).")
    double vfTolerance = 0.01;

    @Option(names = "--s2-tol", paramLabel = "T", description = "Largest S2 RMSE on any axis (default 0.005).")
    double s2Tolerance = 0.005;

    @Option(names = "--tau-tol", paramLabel = "T",
            description = "Largest |tau_candidate / tau_reference - 1| on any axis (default 0.05).")
    double tauTolerance = 0.05;

    @Option(names = "--no-tortuosity", description = "Skip the tortuosity solves (the slow part).")
    boolean noTortuosity;

    @Option(names = "--max-distance", paramLabel = "R",
            description = "Largest S2 lag in voxels (default: a quarter of the smallest dimension, at most 64).")
    int maxDistance;

    @Option(names = "--json", description = "Print the results as JSON on stdout.")
    boolean json;

    @Mixin
    LabelOptions labels;

    record PerAxisJson(double x, double y, double z) {
        static PerAxisJson of(Comparison.PerAxis a) {
            return a == null ? null : new PerAxisJson(a.x(), a.y(), a.z());
        }
    }

    @JsonInclude(JsonInclude.Include.ALWAYS)
    record PhaseJson(int phase, String name, double referenceFraction, double candidateFraction,
            double volumeFractionError, PerAxisJson s2Rmse, double surfaceAreaRatio, double faceCountSurfaceRatio,
            PerAxisJson tortuosityRatio, PerAxisJson referenceTortuosity, PerAxisJson candidateTortuosity,
            PerAxisJson chordLengthDistance, boolean pass, List<String> failures) {
        static PhaseJson of(Comparison.PhaseResult p, PhaseMap names) {
            return new PhaseJson(p.phase(), names.nameOf(p.phase()), p.referenceFraction(), p.candidateFraction(),
                    p.volumeFractionError(), PerAxisJson.of(p.s2Rmse()), p.surfaceAreaRatio(),
                    p.faceCountSurfaceRatio(), PerAxisJson.of(p.tortuosityRatio()),
                    PerAxisJson.of(p.referenceTortuosity()), PerAxisJson.of(p.candidateTortuosity()),
                    PerAxisJson.of(p.chordLengthDistance()), p.pass(), p.failures());
        }
    }

    record CandidateJson(String path, int nx, int ny, int nz, String labelMatch, boolean pass,
            List<PhaseJson> phases) {
    }

    record TolerancesJson(double volumeFraction, double s2Rmse, Double tortuosity) {
    }

    record CompareJson(boolean pass, List<PhaseJson> phases, String reference, int[] referenceSize,
            List<CandidateJson> candidates, int maxDistance, TolerancesJson tolerances, boolean voxelSizesDiffer,
            double seconds) {
    }

    @Override
    public Integer call() throws Exception {
        CliContext context = parent.context();
        long t0 = System.nanoTime();
        Comparison.Options options = Comparison.Options.defaults().withTolerances(vfTolerance, s2Tolerance,
                tauTolerance).withTortuosity(!noTortuosity).withMaxDistance(maxDistance);
        Volume ref = VolumeIO.read(reference, labels.conversion(), context.progress());
        context.closeProgress();
        int[] present = ref.labelHistogram().keySet().stream().mapToInt(Integer::intValue).toArray();
        int[] phases = phase == null ? present : PhaseArgument.resolve(phase, ref);
        PhaseMap names = PhaseMap.electrode(ref.labelHistogram().keySet());
        int total = candidates.size() + 1;
        context.progress().progress("measuring " + reference.getFileName(), 0, total);
        Comparison.Statistics refStats = Comparison.statistics(ref, options.withPhases(phases));
        List<Comparison.Statistics> all = new ArrayList<>();
        List<CandidateJson> each = new ArrayList<>();
        boolean differ = false;
        for (int i = 0; i < candidates.size(); i++) {
            Path c = candidates.get(i);
            context.progress().progress("measuring " + c.getFileName(), i + 1, total);
            Volume raw = VolumeIO.read(c, labels.conversion(), null);
            String match = matchLabels(ref, raw);
            Volume cand = match.startsWith("rank") ? byRank(ref, raw) : raw;
            Comparison.Statistics stats = Comparison.statistics(cand, options.withPhases(phases));
            all.add(stats);
            Comparison.Result r = Comparison.compare(refStats, stats, options.withPhases(phases));
            differ |= r.voxelSizesDiffer();
            each.add(new CandidateJson(c.toString(), raw.nx(), raw.ny(), raw.nz(), match, r.pass(),
                    r.phases().stream().map(p -> PhaseJson.of(p, names)).toList()));
        }
        context.progress().progress("measuring", total, total);
        context.closeProgress();
        Comparison.Result pooled = Comparison.compare(refStats, Comparison.pool(all), options.withPhases(phases));
        CompareJson result = new CompareJson(pooled.pass(), pooled.phases().stream().map(p -> PhaseJson.of(p,
                names)).toList(), reference.toString(), new int[] {ref.nx(), ref.ny(), ref.nz()}, each,
                pooled.maxDistance(), new TolerancesJson(vfTolerance, s2Tolerance, noTortuosity ? null
                : tauTolerance), differ, (System.nanoTime() - t0) / 1e9);
        if (json) {
            Json.print(context.out(), result);
        } else {
            printText(context.out(), result, pooled, names);
        }
        return Main.OK;
    }

    /**
     * How candidate labels meet reference labels: {@code "value"} when the sets are equal (or cannot be paired),
     * {@code "rank: a->b, ..."} when they differ but are as many.
     */
    static String matchLabels(Volume reference, Volume candidate) {
        int[] r = reference.labelHistogram().keySet().stream().mapToInt(Integer::intValue).toArray();
        int[] c = candidate.labelHistogram().keySet().stream().mapToInt(Integer::intValue).toArray();
        if (Arrays.equals(r, c) || r.length != c.length) {
            return "value";
        }
        StringBuilder b = new StringBuilder("rank:");
        for (int i = 0; i < r.length; i++) {
            b.append(i == 0 ? " " : ", ").append(c[i]).append("->").append(r[i]);
        }
        return b.toString();
    }

    /** The candidate relabelled so that its k-th smallest label becomes the reference's k-th smallest. */
    private static Volume byRank(Volume reference, Volume candidate) {
        int[] r = reference.labelHistogram().keySet().stream().mapToInt(Integer::intValue).toArray();
        int[] c = candidate.labelHistogram().keySet().stream().mapToInt(Integer::intValue).toArray();
        int[] lookup = new int[256];
        Arrays.fill(lookup, -1);
        for (int i = 0; i < c.length; i++) {
            lookup[c[i]] = r[i];
        }
        return candidate.remap(lookup);
    }

    private static void printText(PrintStream o, CompareJson r, Comparison.Result pooled, PhaseMap names) {
        o.printf(Locale.ROOT, "reference %s (%d x %d x %d); %d candidate(s)%s; S2 over lags 0..%d voxels%n",
                r.reference(), r.referenceSize()[0], r.referenceSize()[1], r.referenceSize()[2],
                r.candidates().size(), r.candidates().size() > 1 ? ", pooled" : "", r.maxDistance());
        o.printf(Locale.ROOT, "%-11s %7s %7s %8s  %-23s %7s  %-20s %s%n", "phase", "vf ref", "vf cand", "error",
                "S2 RMSE x / y / z", "surface", "tau ratio x / y / z", "chord KS x / y / z");
        for (PhaseJson p : r.phases()) {
            printRow(o, p);
        }
        if (r.candidates().size() > 1) {
            for (CandidateJson c : r.candidates()) {
                o.printf(Locale.ROOT, "  %s %s (%d x %d x %d)%s%n", c.pass() ? "pass" : "FAIL", c.path(), c.nx(),
                        c.ny(), c.nz(), c.labelMatch().equals("value") ? "" : ", labels matched by " + c.labelMatch());
            }
        } else if (!r.candidates().get(0).labelMatch().equals("value")) {
            o.println("labels matched by " + r.candidates().get(0).labelMatch());
        }
        if (r.voxelSizesDiffer()) {
            o.println("note: the voxel sizes differ; every figure is in voxels");
        }
        String limits = String.format(Locale.ROOT, "|vf error| <= %s, S2 RMSE <= %s%s", plain(r.tolerances()
                .volumeFraction()), plain(r.tolerances().s2Rmse()), r.tolerances().tortuosity() == null
                ? "" : ", |tau ratio - 1| <= " + plain(r.tolerances().tortuosity()));
        if (pooled.pass()) {
            o.println("PASS (" + limits + ")");
        } else {
            List<String> reasons = new ArrayList<>();
            for (Comparison.PhaseResult p : pooled.phases()) {
                for (String f : p.failures()) {
                    reasons.add(names.nameOf(p.phase()) + " (" + p.phase() + "): " + f);
                }
            }
            o.println("FAIL (" + limits + "): " + String.join("; ", reasons));
        }
        o.flush();
    }

    private static void printRow(PrintStream o, PhaseJson p) {
        String tau = p.tortuosityRatio() == null ? "-" : String.format(Locale.ROOT, "%.3f / %.3f / %.3f",
                p.tortuosityRatio().x(), p.tortuosityRatio().y(), p.tortuosityRatio().z());
        o.printf(Locale.ROOT, "%-11s %7.4f %7.4f %+8.4f  %-23s %7.3f  %-20s %.3f / %.3f / %.3f%n",
                p.name() + " (" + p.phase() + ")", p.referenceFraction(), p.candidateFraction(),
                p.volumeFractionError(), String.format(Locale.ROOT, "%.4f / %.4f / %.4f", p.s2Rmse().x(),
                        p.s2Rmse().y(), p.s2Rmse().z()), p.surfaceAreaRatio(), tau, p.chordLengthDistance().x(),
                p.chordLengthDistance().y(), p.chordLengthDistance().z());
    }

    private static String plain(double v) {
        return java.math.BigDecimal.valueOf(v).stripTrailingZeros().toPlainString();
    }
}
