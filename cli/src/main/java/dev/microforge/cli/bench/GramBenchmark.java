package dev.microforge.cli.bench;

import dev.microforge.cli.GramPipeline;
import dev.microforge.datasets.Axis;
import dev.microforge.datasets.Volume;
import dev.microforge.datasets.VoxelSize;
import dev.microforge.datasets.io.VolumeIO;
import dev.microforge.evaluator.correlation.TwoPointCorrelation;
import dev.microforge.models.Engines;
import dev.microforge.generator.annealing.SimulatedAnnealing;
import dev.microforge.training.gram.GramReconstruction;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code microforge bench gram}: Gram-matrix reconstruction of a 96³ volume from one real 2D three-phase slice
 * (NMC cathode; SOFC anode), with the random multi-scale extractor, within 10 minutes; targets: every phase's
 * fraction within 0.01 and its S2 RMSE at most 0.01 along x, y and z against the exemplar. Beside each, simulated
 * annealing (Yeong-Torquato, two-phase: the active phase, label 1, against the rest) from the same exemplar with the
 * same time limit, measured the same way: error reached and time taken.
 *
 * <p>S2 RMSE of a phase along an axis: {@code sqrt(mean_{r=0..24} (S2_volume(r) - S2_exemplar(r))^2)}, with the
 * exemplar's S2 the mean of its x and y curves (an isotropic target) and both estimated without wrap-around
 * ({@link TwoPointCorrelation} with exact pair counts), because the Gram reconstruction is not periodic;
 * {@code s2RmsePeriodic} gives the periodic estimate as well (the one annealing optimises, its volumes being
 * periodic).
 */
final class GramBenchmark implements Benchmark {
    /** Edge of the reconstructed cube. */
    static final int SIZE = 96;
    /** Largest lag of the S2 error, voxels. */
    static final int MAX_LAG = 24;
    /** Time limit of either method, seconds (the 10-minute target less start-up and labelling). */
    static final double SECONDS = 540;
    /** The tolerances of the issue. */
    static final double FRACTION_TOLERANCE = 0.01;
    static final double S2_TOLERANCE = 0.01;

    @Override
    public String name() {
        return "gram";
    }

    @Override
    public String description() {
        return "Gram-matrix reconstruction 96^3 from real 2D NMC and SOFC slices, beside simulated annealing";
    }

    @Override
    public List<DataInput> inputs() {
        return List.of(RealData.NMC_SLICE, RealData.SOFC_SLICE);
    }

    @Override
    public List<BenchCase> cases() {
        return List.of(
                new BenchCase("nmc-gram", "Gram reconstruction 96^3 from the 2D NMC slice (random extractor)", 3072,
                        600.0, null),
                BenchCase.of("nmc-anneal", "simulated annealing 96^3 of the NMC active phase from the same slice",
                        2048),
                new BenchCase("sofc-gram", "Gram reconstruction 96^3 from the 2D SOFC slice (random extractor)", 3072,
                        600.0, null),
                BenchCase.of("sofc-anneal", "simulated annealing 96^3 of SOFC phase 1 from the same slice", 2048));
    }

    @Override
    public Map<String, Object> run(String caseName, List<Path> data) throws Exception {
        Path file = caseName.startsWith("nmc") ? data.get(0) : data.get(1);
        Volume exemplar = VolumeIO.read(file).withVoxelSize(VoxelSize.UNKNOWN);
        if (exemplar.nz() != 1) {
            throw new IllegalArgumentException(file + " is not a 2D image (" + exemplar.nz() + " slices)");
        }
        Map<String, Object> f = new LinkedHashMap<>();
        if (caseName.endsWith("-gram")) {
            Engines.setThreads(1);
            GramReconstruction.Options options = GramReconstruction.Options.defaults().withSize(SIZE, SIZE, SIZE)
                    .withTimeLimit(SECONDS).withSeed(1);
            long t0 = System.nanoTime();
            GramPipeline.Outcome o = GramPipeline.run(List.of(exemplar), "random", List.of(), options,
                    VoxelSize.UNKNOWN, GramReconstruction.Listener.NONE);
            f.put("seconds", (System.nanoTime() - t0) / 1e9);
            GramReconstruction.Result r = o.result();
            f.put("steps", r.steps());
            f.put("stop", r.stop().name());
            f.put("gradientRetries", r.gradientRetries());
            f.put("extractor", o.extractor());
            boolean fractionsOk = true;
            boolean s2Ok = true;
            double worstS2 = 0;
            Map<String, Object> phases = new LinkedHashMap<>();
            for (int label : o.labels()) {
                Map<String, Object> p = compare(exemplar, label, o.volume(), label);
                fractionsOk &= (double) p.get("fractionError") <= FRACTION_TOLERANCE;
                for (Object e : ((Map<?, ?>) p.get("s2Rmse")).values()) {
                    worstS2 = Math.max(worstS2, (double) e);
                }
                phases.put(String.valueOf(label), p);
            }
            s2Ok = worstS2 <= S2_TOLERANCE;
            f.put("phases", phases);
            f.put("worstS2Rmse", worstS2);
            f.put("meetsFractions", fractionsOk);
            f.put("meetsS2", s2Ok);
            f.put("lossCurve", curve(r.lossSeconds(), r.loss()));
            return f;
        }
        if (caseName.endsWith("-anneal")) {
            int phase = 1;
            SimulatedAnnealing.Target target = SimulatedAnnealing.Target.fromExemplar(exemplar, phase, MAX_LAG, true,
                    false);
            SimulatedAnnealing.Options d = SimulatedAnnealing.Options.defaults();
            SimulatedAnnealing.Options options = new SimulatedAnnealing.Options(SIZE, SIZE, SIZE, d.targetRmse(),
                    SECONDS, d.maxSwaps(), d.initialTemperatureScale(), d.coolingFactor(), d.swapsPerTemperature(),
                    d.stagnationTemperatures(), d.interfaceSwaps(), 0, 1L);
            SimulatedAnnealing.Result r = SimulatedAnnealing.reconstruct(target, options, null);
            f.put("seconds", r.seconds());
            f.put("stop", r.stop().name());
            f.put("swapsTried", r.swapsTried());
            f.put("annealingRmse", r.finalRmse());
            Map<String, Object> p = compare(exemplar, phase, r.volume(), 1);
            f.put("phase", phase);
            f.putAll(p);
            double worst = 0;
            for (Object e : ((Map<?, ?>) p.get("s2Rmse")).values()) {
                worst = Math.max(worst, (double) e);
            }
            f.put("worstS2Rmse", worst);
            f.put("errorCurve", curve(r.errorCurveSeconds(), r.errorCurve()));
            return f;
        }
        throw new IllegalArgumentException("unknown case " + caseName + " of benchmark gram");
    }

    /** Fraction error and S2 RMSE per axis (both estimators) of {@code label} in {@code volume} against the exemplar. */
    static Map<String, Object> compare(Volume exemplar, int exemplarLabel, Volume volume, int label) {
        Map<String, Object> p = new LinkedHashMap<>();
        double target = (double) exemplar.labelCounts()[exemplarLabel] / exemplar.voxelCount();
        double got = (double) volume.labelCounts()[label] / volume.voxelCount();
        p.put("fraction", got);
        p.put("targetFraction", target);
        p.put("fractionError", Math.abs(got - target));
        p.put("s2Rmse", s2Rmse(exemplar, exemplarLabel, volume, label, false));
        p.put("s2RmsePeriodic", s2Rmse(exemplar, exemplarLabel, volume, label, true));
        return p;
    }

    static Map<String, Double> s2Rmse(Volume exemplar, int exemplarLabel, Volume volume, int label,
            boolean periodic) {
        TwoPointCorrelation.Options o = new TwoPointCorrelation.Options(periodic, MAX_LAG);
        TwoPointCorrelation.Result e = TwoPointCorrelation.compute(exemplar, exemplarLabel, o);
        TwoPointCorrelation.Result v = TwoPointCorrelation.compute(volume, label, o);
        Map<String, Double> perAxis = new LinkedHashMap<>();
        for (Axis axis : Axis.values()) {
            double[] y = v.along(axis).value();
            double s = 0;
            for (int r = 0; r <= MAX_LAG; r++) {
                double t = 0.5 * (e.x().value()[r] + e.y().value()[r]);
                s += (y[r] - t) * (y[r] - t);
            }
            perAxis.put(axis.label(), Math.sqrt(s / (MAX_LAG + 1)));
        }
        return perAxis;
    }

    private static List<List<Double>> curve(double[] seconds, double[] values) {
        List<List<Double>> out = new ArrayList<>();
        int stride = Math.max(1, values.length / 40);
        for (int i = 0; i < values.length; i += stride) {
            out.add(List.of(seconds[i], values[i]));
        }
        if (values.length > 0 && (values.length - 1) % stride != 0) {
            out.add(List.of(seconds[values.length - 1], values[values.length - 1]));
        }
        return out;
    }
}
