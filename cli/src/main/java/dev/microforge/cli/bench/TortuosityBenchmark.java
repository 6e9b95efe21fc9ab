package dev.microforge.cli.bench;

import dev.microforge.datasets.Axis;
import dev.microforge.datasets.Volume;
import dev.microforge.datasets.io.VolumeIO;
import dev.microforge.evaluator.transport.EffectiveConductivity;
import dev.microforge.evaluator.transport.Tortuosity;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@code microforge bench tortuosity}: the transport solver on the TauFactor 2 benchmark volume (500³, the phase
 * labelled 255, all three axes; target 60 s and 12 GiB per axis on 2 cores) and on the 256³ NMC electrode (pore
 * phase, label 0; target 5 s per axis), plus a convergence study on the electrode (tau as the tolerance tightens
 * from 1e-2 to 1e-8), which is how the accuracy of the default tolerance is judged.
 */
final class TortuosityBenchmark implements Benchmark {
    private static final int TF500_PHASE = 255;
    private static final int NMC_PORE = 0;

    @Override
    public String name() {
        return "tortuosity";
    }

    @Override
    public String description() {
        return "tortuosity solver: 500^3 TauFactor benchmark (3 axes), 256^3 NMC electrode (3 axes), convergence";
    }

    @Override
    public List<DataInput> inputs() {
        return List.of(RealData.TF500, RealData.NMC256);
    }

    @Override
    public List<BenchCase> cases() {
        List<BenchCase> cases = new ArrayList<>();
        for (Axis a : Axis.values()) {
            cases.add(new BenchCase("tf500-" + a.label(), "500^3 TauFactor benchmark, phase 255, along "
                    + a.label(), 12 * 1024, 60.0, 12 * 1024));
        }
        for (Axis a : Axis.values()) {
            cases.add(new BenchCase("nmc256-" + a.label(), "256^3 NMC electrode, pore phase, along " + a.label(),
                    4 * 1024, 5.0, null));
        }
        cases.add(BenchCase.of("nmc256-convergence", "256^3 NMC electrode, pore, z: tau against tolerance",
                4 * 1024));
        return cases;
    }

    @Override
    public Map<String, Object> run(String caseName, List<Path> data) throws Exception {
        if (caseName.startsWith("tf500-")) {
            Volume v = VolumeIO.read(data.get(0));
            return solve(v, TF500_PHASE, Axis.parse(caseName.substring(6)),
                    EffectiveConductivity.Options.DEFAULT_TOLERANCE);
        }
        Volume v = VolumeIO.read(data.get(data.size() > 1 ? 1 : 0));
        if (caseName.equals("nmc256-convergence")) {
            Map<String, Object> figures = new LinkedHashMap<>();
            double total = 0;
            List<Map<String, Object>> rows = new ArrayList<>();
            double reference = Double.NaN;
            double[] tolerances = {1e-2, 1e-3, 1e-4, 1e-5, 1e-6, 1e-8};
            for (double tol : tolerances) {
                Map<String, Object> row = solve(v, NMC_PORE, Axis.Z, tol);
                total += (double) row.get("seconds");
                row.put("tolerance", tol);
                rows.add(row);
                reference = (double) row.get("tau");
            }
            for (Map<String, Object> row : rows) {
                row.put("relativeErrorVsTightest", Math.abs((double) row.get("tau") - reference) / reference);
            }
            figures.put("seconds", total);
            figures.put("tauTightest", reference);
            figures.put("rows", rows);
            return figures;
        }
        if (caseName.startsWith("nmc256-")) {
            return solve(v, NMC_PORE, Axis.parse(caseName.substring(7)),
                    EffectiveConductivity.Options.DEFAULT_TOLERANCE);
        }
        throw new IllegalArgumentException("unknown case " + caseName + " of benchmark tortuosity");
    }

    private static Map<String, Object> solve(Volume v, int phase, Axis axis, double tolerance) {
        Tortuosity.Result r = Tortuosity.solve(v, new int[] {phase}, axis,
                EffectiveConductivity.Options.defaults().withTolerance(tolerance), null);
        Map<String, Object> f = new LinkedHashMap<>();
        f.put("seconds", r.seconds());
        f.put("axis", axis.label());
        f.put("phase", phase);
        f.put("voxels", v.voxelCount());
        f.put("tau", r.tau());
        f.put("effectiveDiffusivity", r.effectiveDiffusivity());
        f.put("volumeFraction", r.volumeFraction());
        f.put("percolatingFraction", r.percolatingFraction());
        f.put("iterations", r.iterations());
        f.put("converged", r.converged());
        f.put("fluxError", r.fluxError());
        f.put("secondsPerMillionVoxels", r.seconds() / (v.voxelCount() / 1e6));
        f.put("summary", String.format(Locale.ROOT, "tau=%.4f in %.1f s, %d iterations", r.tau(), r.seconds(),
                r.iterations()));
        return f;
    }
}
