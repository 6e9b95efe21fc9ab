package dev.microforge.cli.bench;

import dev.microforge.datasets.Axis;
import dev.microforge.datasets.Volume;
import dev.microforge.datasets.VoxelSize;
import dev.microforge.datasets.io.VolumeIO;
import dev.microforge.evaluator.correlation.TwoPointCorrelation;
import dev.microforge.generator.annealing.AnnealingBenchmark;
import dev.microforge.generator.annealing.SimulatedAnnealing;
import dev.microforge.generator.binder.CarbonBinderGrowth;
import dev.microforge.generator.field.FourierReconstruction;
import dev.microforge.generator.field.GaussianRandomField;
import dev.microforge.generator.packing.ParticlePacking;
import dev.microforge.generator.packing.SizeDistribution;
import dev.microforge.generator.presets.ElectrodePreset;
import dev.microforge.generator.tessellation.HierarchicalReconstruction;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code microforge bench reconstruct}: the acceptance figures of the classical generators. Simulated annealing to
 * S2 RMSE 0.002 against a 64³ target within 60 s (with its error curve); monodisperse sphere packing density;
 * fraction sweeps 0.2..0.6 of packing, GRF and tessellation; Fourier reconstruction of a 96³ crop of the real NMC
 * electrode (S2 error per axis); CBD coverage at omega 0 and 1; time of each preset at 128³.
 */
final class ReconstructBenchmark implements Benchmark {
    @Override
    public String name() {
        return "reconstruct";
    }

    @Override
    public String description() {
        return "classical reconstruction: annealing 64^3, packing density, fraction sweeps, Fourier, CBD, presets";
    }

    @Override
    public List<DataInput> inputs() {
        return List.of(RealData.NMC256);
    }

    @Override
    public List<BenchCase> cases() {
        return List.of(
                new BenchCase("anneal-64", "simulated annealing to S2 RMSE 0.002 against a 64^3 target", 2048, 60.0,
                        null),
                BenchCase.of("packing-density", "monodisperse spheres (d = 10 voxels, 96^3) packed to 0.60", 2048),
                BenchCase.of("fraction-sweep", "packing, GRF and tessellation at targets 0.2..0.6 (64^3)", 2048),
                BenchCase.of("fourier-nmc", "Fourier reconstruction (96^3) of a 96^3 crop of the NMC electrode",
                        2048),
                BenchCase.of("cbd-coverage", "CBD growth omega 0 / 0.5 / 1 on a 96^3 packing at 10 % CBD", 2048),
                BenchCase.of("presets-128", "each dataset preset at 128^3", 4096));
    }

    @Override
    public Map<String, Object> run(String caseName, List<Path> data) throws Exception {
        Map<String, Object> f = new LinkedHashMap<>();
        long t0 = System.nanoTime();
        switch (caseName) {
            case "anneal-64": {
                SimulatedAnnealing.Result r = AnnealingBenchmark.run64(7);
                f.put("seconds", r.seconds());
                f.put("finalRmse", r.finalRmse());
                f.put("stop", r.stop().name());
                f.put("meetsRmse", r.finalRmse() <= 0.002);
                f.put("swapsTried", r.swapsTried());
                List<List<Double>> curve = new ArrayList<>();
                for (int i = 0; i < r.errorCurve().length; i += Math.max(1, r.errorCurve().length / 40)) {
                    curve.add(List.of(r.errorCurveSeconds()[i], r.errorCurve()[i]));
                }
                f.put("errorCurve", curve);
                return f;
            }
            case "packing-density": {
                ParticlePacking.Result r = ParticlePacking.pack(ParticlePacking.Options.defaults()
                        .withSizes(new SizeDistribution.Fixed(10)).withBox(96, 96, 96).withVoxelSize(1)
                        .withTarget(0.60).withSeed(3));
                f.put("seconds", seconds(t0));
                f.put("particles", r.particles().size());
                f.put("solidFraction", r.solidFraction());
                f.put("packedBeforeScaling", r.analyticFraction());
                f.put("maxOverlap", r.maxOverlap());
                f.put("converged", r.converged());
                f.put("meetsDensity", r.solidFraction() >= 0.60 - 1e-9);
                return f;
            }
            case "fraction-sweep": {
                double worst = 0;
                List<Map<String, Object>> rows = new ArrayList<>();
                for (double target = 0.2; target <= 0.6001; target += 0.1) {
                    double p = ParticlePacking.pack(ParticlePacking.Options.defaults()
                            .withSizes(new SizeDistribution.Fixed(8)).withBox(64, 64, 64).withVoxelSize(1)
                            .withTarget(target).withSeed(5)).solidFraction();
                    Volume g = GaussianRandomField.generate(64, 64, 64, new double[] {1 - target, target},
                            GaussianRandomField.Target.debye(4), GaussianRandomField.Options.defaults(),
                            VoxelSize.UNKNOWN, 5).phases();
                    Volume t = HierarchicalReconstruction.generate(64, 64, 64,
                            HierarchicalReconstruction.randomSeeds(64, 64, 64, 300, 5, 1, 5),
                            new double[] {1 - target, target}, HierarchicalReconstruction.Options.defaults(),
                            VoxelSize.UNKNOWN, 5).phases();
                    double gf = (double) g.labelCounts()[1] / g.voxelCount();
                    double tf = (double) t.labelCounts()[1] / t.voxelCount();
                    worst = Math.max(worst, Math.max(Math.abs(p - target), Math.max(Math.abs(gf - target),
                            Math.abs(tf - target))));
                    Map<String, Object> row = new LinkedHashMap<>();
                    row.put("target", target);
                    row.put("packing", p);
                    row.put("grf", gf);
                    row.put("tessellation", tf);
                    rows.add(row);
                }
                f.put("seconds", seconds(t0));
                f.put("worstError", worst);
                f.put("meetsTolerance", worst <= 0.01);
                f.put("rows", rows);
                return f;
            }
            case "fourier-nmc": {
                Volume nmc = VolumeIO.read(data.get(0)).crop(0, 0, 0, 96, 96, 96).compactLabels()
                        .withVoxelSize(VoxelSize.UNKNOWN);
                long t1 = System.nanoTime();
                FourierReconstruction.Result r = FourierReconstruction.reconstruct(nmc, 96, 96, 96,
                        FourierReconstruction.Options.defaults(), VoxelSize.UNKNOWN, 9);
                f.put("seconds", seconds(t1));
                Map<String, Object> errors = new LinkedHashMap<>();
                for (int label : nmc.labelHistogram().keySet()) {
                    int out = label;
                    TwoPointCorrelation.Options o = new TwoPointCorrelation.Options(true, 24);
                    TwoPointCorrelation.Result a = TwoPointCorrelation.compute(nmc, label, o);
                    TwoPointCorrelation.Result b = TwoPointCorrelation.compute(r.phases(), out, o);
                    Map<String, Double> perAxis = new LinkedHashMap<>();
                    for (Axis axis : Axis.values()) {
                        double[] x = a.along(axis).value();
                        double[] y = b.along(axis).value();
                        double s = 0;
                        for (int i = 0; i < x.length; i++) {
                            s += (x[i] - y[i]) * (x[i] - y[i]);
                        }
                        perAxis.put(axis.label(), Math.sqrt(s / x.length));
                    }
                    errors.put("label" + label, perAxis);
                }
                f.put("s2Rmse", errors);
                f.put("fractions", r.fractions());
                return f;
            }
            case "cbd-coverage": {
                Volume packed = ParticlePacking.pack(ParticlePacking.Options.defaults()
                        .withSizes(new SizeDistribution.Fixed(12)).withBox(96, 96, 96).withVoxelSize(1)
                        .withTarget(0.5).withSeed(4)).volume();
                for (double omega : new double[] {0, 0.5, 1}) {
                    CarbonBinderGrowth.Result r = CarbonBinderGrowth.grow(packed, CarbonBinderGrowth.Options
                            .defaults().withTargetFraction(0.1).withOmega(omega).withSeed(4));
                    f.put("coverageOmega" + omega, r.activeSurfaceCoverage());
                    f.put("cbdFractionOmega" + omega, r.cbdFraction());
                }
                f.put("seconds", seconds(t0));
                return f;
            }
            case "presets-128": {
                for (ElectrodePreset p : ElectrodePreset.values()) {
                    long t1 = System.nanoTime();
                    Volume v = p.synthesize(128, 1);
                    Map<String, Object> row = new LinkedHashMap<>();
                    row.put("seconds", seconds(t1));
                    row.put("active", (double) v.labelCounts()[1] / v.voxelCount());
                    row.put("cbd", (double) v.labelCounts()[2] / v.voxelCount());
                    f.put(p.label(), row);
                }
                f.put("seconds", seconds(t0));
                return f;
            }
            default:
                throw new IllegalArgumentException("unknown case " + caseName + " of benchmark reconstruct");
        }
    }

    private static double seconds(long t0) {
        return (System.nanoTime() - t0) / 1e9;
    }
}
