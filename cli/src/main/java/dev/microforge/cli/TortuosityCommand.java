package dev.microforge.cli;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.microforge.datasets.Axis;
import dev.microforge.datasets.Volume;
import dev.microforge.datasets.io.AtomicFile;
import dev.microforge.datasets.io.VolumeIO;
import dev.microforge.evaluator.transport.EffectiveConductivity;
import dev.microforge.evaluator.transport.Tortuosity;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** {@code microforge tortuosity VOLUME}: tortuosity factor and effective diffusivity per axis. */
@Command(name = "tortuosity", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Tortuosity factor tau = eps * D0 / Deff and effective diffusivity Deff/D0 of a phase by "
                + "steady-state diffusion (TauFactor's definitions: boundary conditions on the outer faces, length = "
                + "number of voxels). A phase that does not join the two faces gives tau = Infinity.",
            "With --conductivity, the effective conductivity of a multi-phase volume instead (e.g. electrolyte in "
                + "pores and in the carbon-binder domain)."})
final class TortuosityCommand implements Callable<Integer> {
    @ParentCommand
    MicroforgeCommand parent;

    @Parameters(index = "0", paramLabel = "VOLUME", description = "Labelled volume (any readable format).")
    Path volume;

    @Option(names = "--phase", paramLabel = "P",
            description = "Phase by label value or name (pore, active, cbd), or a set such as active+cbd. "
                    + "Default: pore (the lowest label).")
    String phase = "pore";

    @Option(names = "--conductivity", paramLabel = "LABEL:K,...",
            description = "Conductivity per label (0 for unlisted labels), e.g. 0:1,2:0.3; reports the effective "
                    + "conductivity in the same unit instead of a tortuosity.")
    String conductivity;

    @Option(names = "--axis", paramLabel = "x|y|z|all", description = "Axis of the applied difference (default all).")
    String axis = "all";

    @Option(names = "--tol", paramLabel = "T",
            description = "Relative agreement of inlet, outlet and every layer flux to reach (default 1e-3; tau "
                    + "moves by ~1e-6 relative between 1e-3 and 1e-8 on real electrodes).")
    double tolerance = EffectiveConductivity.Options.DEFAULT_TOLERANCE;

    @Option(names = "--voxel-size", paramLabel = "UM|DX,DY,DZ", converter = VoxelSizeConverter.class,
            description = "Voxel size in micrometres, overriding the file's (lengths are in voxels otherwise).")
    dev.microforge.datasets.VoxelSize voxelSize;

    @Option(names = "--max-iterations", paramLabel = "N", description = "Give up after N iterations (default 5000).")
    int maxIterations = 5000;

    @Option(names = "--periodic-sides", description = "Wrap the four side faces instead of sealing them.")
    boolean periodicSides;

    @Option(names = "--threads", paramLabel = "N", description = "Worker threads (default: all cores).")
    Integer threads;

    @Option(names = "--flux-out", paramLabel = "FILE.npy",
            description = "Write the local flux along the axis (1 = mean) as float32 .npy; with several axes the "
                    + "axis is added to the name (flux-x.npy, ...).")
    Path fluxOut;

    @Option(names = "--force", description = "Overwrite existing flux files.")
    boolean force;

    @Option(names = "--json", description = "Print the results as JSON on stdout.")
    boolean json;

    @Mixin
    LabelOptions labels;

    /** One axis of {@code tortuosity --json}; the first nine fields are the stable contract. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record ResultJson(Integer phase, String axis, Double tau, Double effectiveDiffusivity, double volumeFraction,
            boolean percolating, boolean converged, int iterations, double seconds, int[] phases,
            Double effectiveConductivity, double percolatingFraction, double deadEndFraction,
            double isolatedFraction, Double macMullin, Double bruggemanTau, double fluxError, String fluxFile) {
    }

    record OutputJson(String path, String definition, List<ResultJson> results) {
    }

    @Override
    public Integer call() throws Exception {
        CliContext context = parent.context();
        List<Axis> axes = axes(axis);
        if (fluxOut != null) {
            for (Axis a : axes) {
                AtomicFile.checkWritable(fluxPath(a, axes.size()), force);
            }
        }
        Volume read = VolumeIO.read(volume, labels.conversion(), context.progress());
        Volume v = voxelSize == null ? read : read.withVoxelSize(voxelSize);
        context.closeProgress();
        EffectiveConductivity.Options options = new EffectiveConductivity.Options(tolerance, maxIterations,
                periodicSides, threads == null ? Runtime.getRuntime().availableProcessors() : threads,
                fluxOut != null);
        double[] k = conductivity == null ? null : parseConductivity(conductivity);
        int[] phases = k == null ? PhaseArgument.resolve(phase, v) : null;
        List<ResultJson> results = new ArrayList<>();
        for (Axis a : axes) {
            EffectiveConductivity.Listener progress = (ax, it, res, fe) -> context.progress().progress(
                    String.format(Locale.ROOT, "solving along %s", ax.label()), converged(fe, tolerance), 100);
            Path fluxFile = fluxOut == null ? null : fluxPath(a, axes.size());
            ResultJson r;
            if (k == null) {
                Tortuosity.Result t = Tortuosity.solve(v, phases, a, options, progress);
                if (fluxFile != null && t.flux() != null) {
                    VolumeIO.writeFloat(t.flux(), fluxFile, force);
                }
                r = new ResultJson(phases[0], a.label(), t.tau(), t.effectiveDiffusivity(), t.volumeFraction(),
                        t.percolating(), t.converged(), t.iterations(), t.seconds(), phases, null,
                        t.percolatingFraction(), t.deadEndFraction(), t.isolatedFraction(), t.macMullin(),
                        t.bruggemanTau(), t.fluxError(), t.flux() == null ? null : fluxFile.toString());
            } else {
                EffectiveConductivity.Result c = EffectiveConductivity.solve(v, k, a, options, progress);
                if (fluxFile != null && c.flux() != null) {
                    VolumeIO.writeFloat(c.flux(), fluxFile, force);
                }
                r = new ResultJson(null, a.label(), null, null, c.conductingFraction(), c.percolating(),
                        c.converged(), c.iterations(), c.seconds(), null, c.effectiveConductivity(),
                        c.percolatingFraction(), c.deadEndFraction(), c.isolatedFraction(), null, null,
                        c.fluxError(), c.flux() == null ? null : fluxFile.toString());
            }
            context.closeProgress();
            results.add(r);
        }
        OutputJson output = new OutputJson(volume.toString(), k == null
                ? "tau = eps * D0 / Deff; Deff/D0 = F * L / (A * dC) with L = n * voxel length"
                : "keff = F * L / (A * dU) with L = n * voxel length", results);
        if (json) {
            Json.print(context.out(), output);
        } else {
            printText(context.out(), output, k != null);
        }
        return Main.OK;
    }

    /** Progress as a percentage of the way, on a log scale, from a 100% flux error to the tolerance. */
    private static long converged(double fluxError, double tolerance) {
        if (!(fluxError < 1)) {
            return 0;
        }
        return Math.max(0, Math.min(99, Math.round(100 * Math.log(fluxError) / Math.log(tolerance))));
    }

    private Path fluxPath(Axis a, int axisCount) {
        if (axisCount == 1) {
            return fluxOut;
        }
        String name = fluxOut.getFileName().toString();
        int dot = name.lastIndexOf('.');
        String stem = dot > 0 ? name.substring(0, dot) : name;
        String ext = dot > 0 ? name.substring(dot) : ".npy";
        return fluxOut.resolveSibling(stem + "-" + a.label() + ext);
    }

    static List<Axis> axes(String text) {
        if ("all".equalsIgnoreCase(text.trim())) {
            return List.of(Axis.X, Axis.Y, Axis.Z);
        }
        List<Axis> list = new ArrayList<>();
        for (String part : text.split(",")) {
            Axis a = Axis.parse(part);
            if (!list.contains(a)) {
                list.add(a);
            }
        }
        return list;
    }

    static double[] parseConductivity(String text) {
        double[] k = new double[256];
        for (String entry : text.split(",")) {
            String[] kv = entry.trim().split(":");
            try {
                if (kv.length != 2) {
                    throw new NumberFormatException();
                }
                int label = Integer.parseInt(kv[0].trim());
                double value = Double.parseDouble(kv[1].trim());
                if (label < 0 || label > 255 || !(value >= 0) || Double.isInfinite(value)) {
                    throw new NumberFormatException();
                }
                k[label] = value;
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("--conductivity entry '" + entry
                        + "' is not LABEL:K with a label 0..255 and a conductivity >= 0 (e.g. 0:1,2:0.3)");
            }
        }
        return k;
    }

    private static void printText(PrintStream out, OutputJson o, boolean conductivityMode) {
        out.println("file " + o.path());
        out.println(o.definition());
        if (conductivityMode) {
            out.printf(Locale.ROOT, "%-4s %12s %9s %9s %6s %8s%n", "axis", "keff", "fraction", "percolat", "iter",
                    "seconds");
        } else {
            out.printf(Locale.ROOT, "%-4s %9s %9s %9s %9s %9s %6s %8s%n", "axis", "tau", "Deff/D0", "eps",
                    "percolat", "tau_Brug", "iter", "seconds");
        }
        for (ResultJson r : o.results()) {
            String note = r.percolating() ? (r.converged() ? "" : "  NOT CONVERGED (flux error "
                    + String.format(Locale.ROOT, "%.1e", r.fluxError()) + ")") : "  does not percolate";
            if (conductivityMode) {
                out.printf(Locale.ROOT, "%-4s %12.6g %9.4f %9.4f %6d %8.2f%s%n", r.axis(), r.effectiveConductivity(),
                        r.volumeFraction(), r.percolatingFraction(), r.iterations(), r.seconds(), note);
            } else {
                out.printf(Locale.ROOT, "%-4s %9.4f %9.5f %9.4f %9.4f %9.4f %6d %8.2f%s%n", r.axis(), r.tau(),
                        r.effectiveDiffusivity(), r.volumeFraction(), r.percolatingFraction(), r.bruggemanTau(),
                        r.iterations(), r.seconds(), note);
            }
        }
        out.flush();
    }
}
