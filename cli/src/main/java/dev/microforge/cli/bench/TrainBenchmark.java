package dev.microforge.cli.bench;

import dev.microforge.datasets.Axis;
import dev.microforge.datasets.PhaseMap;
import dev.microforge.datasets.Volume;
import dev.microforge.datasets.io.VolumeIO;
import dev.microforge.generator.sampling.ModelKinds;
import dev.microforge.generator.sampling.ModelSampling;
import dev.microforge.models.LatentDecoder;
import dev.microforge.models.ModelDirectory;
import dev.microforge.models.gan.GanModel;
import dev.microforge.models.slicegan.SliceGanModel;
import dev.microforge.training.Checkpoints;
import dev.microforge.training.GanTrainingConfig;
import dev.microforge.training.IterationSeeds;
import dev.microforge.training.OneHotSliceSampler;
import dev.microforge.training.SampleEvaluation;
import dev.microforge.training.SessionState;
import dev.microforge.training.SliceGanTrainer;
import dev.microforge.training.SliceGanTrainingConfig;
import dev.microforge.training.Trainer;
import dev.microforge.training.TrainingConfig;
import dev.microforge.training.TrainingListener;
import dev.microforge.training.TrainingSession;
import dev.microforge.training.WganGpTrainer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code microforge bench train}: the 3D GAN on the real NMC cathode (NREL, 301 x 301 x 251, pore / NMC / CBD).
 *
 * <ul>
 *   <li>{@code options}: seconds per iteration of a few architecture, patch and batch choices (a handful of
 *   iterations each, after one warm-up), the basis for the defaults;</li>
 *   <li>{@code nmc}: trains the default configuration for the budget ({@code bench train --minutes M}, default
 *   {@value #DEFAULT_MINUTES}; the target run is 45) and, at five points of the budget, generates
 *   {@value #SAMPLES} volumes of 128³ and compares them with the whole real volume, each and pooled ({@link
 *   SampleEvaluation#evaluatePooled}): per-phase volume-fraction error, S2 RMSE per axis (lags 0..32), pore
 *   tortuosity ratio per axis; the learning curve is the list of those points. The eight corner 128³ crops of the
 *   real volume, measured the same way, give the noise floor. Evaluation time is not training time.</li>
 *   <li>{@code slicegan}: the same for SliceGAN trained from three orthogonal sections of that volume (its
 *   central planes normal to x, y and z), with SliceGAN's defaults; the samples are compared with the whole
 *   volume, of which the model saw three planes.</li>
 * </ul>
 *
 * <p>At every point the same latents are also decoded from the checkpoint as {@code microforge generate
 * --fractions} does ({@link ModelSampling.Options#fractions}), cut to the fractions of what the model was trained
 * on (the volume, or the mean of the three sections), and measured the same way ({@code fractionCut}).
 */
final class TrainBenchmark implements Benchmark {
    /** Default training budget of the {@code nmc} case, minutes. */
    static final double DEFAULT_MINUTES = 5;
    /** Targets of the issue (per phase / per axis). */
    static final double TARGET_FRACTION = 0.01;
    static final double TARGET_S2 = 0.005;
    static final double TARGET_TORTUOSITY = 0.05;
    private static final int CURVE_POINTS = 5;
    private static final int GENERATED = 128;
    /** Generated volumes per point of the learning curve, evaluated each and pooled. */
    private static final int SAMPLES = 4;

    @Override
    public String name() {
        return "train";
    }

    @Override
    public String description() {
        return "3D GAN and SliceGAN (three sections) on the 301x301x251 NMC cathode: s/iteration of options; budgeted "
                + "training with 128^3 quality curve (--minutes)";
    }

    @Override
    public List<DataInput> inputs() {
        return List.of(RealData.NMC_NREL);
    }

    @Override
    public List<BenchCase> cases() {
        return List.of(
                BenchCase.of("options", "seconds per iteration of architecture / patch / batch options", 4096),
                BenchCase.of("nmc", "train the defaults for the budget; 128^3 samples vs the real volume at 5 points",
                        6144),
                BenchCase.of("slicegan", "SliceGAN from the volume's three central orthogonal sections, defaults, for "
                        + "the budget; 128^3 samples vs the real volume at 5 points", 6144));
    }

    /** The configurations the {@code options} case times. */
    static Map<String, String> options() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("default", "{}");
        m.put("batch8", "{\"batchSize\": 8}");
        m.put("patch16-batch16", "{\"patchSize\": 16, \"batchSize\": 16}");
        m.put("patch64-batch1", "{\"patchSize\": 64, \"batchSize\": 1}");
        m.put("deep-g16x3-c16,16,32", "{\"generatorWidths\": [16, 16, 16], \"criticWidths\": [16, 16, 32]}");
        m.put("critic1step", "{\"criticSteps\": 1}");
        return m;
    }

    @Override
    public Map<String, Object> run(String caseName, List<Path> data) throws Exception {
        Volume nmc = VolumeIO.read(data.get(0)).withVoxelSize(dev.microforge.datasets.VoxelSize.UNKNOWN);
        int phases = nmc.labelHistogram().lastKey() + 1;
        List<String> names = new ArrayList<>(PhaseMap.electrode(nmc.labelHistogram().keySet()).names().values());
        Map<String, Object> f = new LinkedHashMap<>();
        switch (caseName) {
            case "options" -> {
                long t0 = System.nanoTime();
                Map<String, Object> rows = new LinkedHashMap<>();
                for (Map.Entry<String, String> e : options().entrySet()) {
                    GanTrainingConfig c = GanTrainingConfig.fromJson(e.getValue(), e.getKey(),
                            GanTrainingConfig.defaults());
                    try (GanModel model = GanModel.create(c.architecture(phases), names, c.seed());
                            WganGpTrainer trainer = WganGpTrainer.create(model, nmc, c.trainerOptions(), null, null)) {
                        trainer.iterate(1);
                        int n = 4;
                        long t1 = System.nanoTime();
                        for (int it = 2; it <= n + 1; it++) {
                            trainer.iterate(it);
                        }
                        double perIteration = (System.nanoTime() - t1) / 1e9 / n;
                        long t2 = System.nanoTime();
                        trainer.sample(GENERATED, 1);
                        Map<String, Object> row = new LinkedHashMap<>();
                        row.put("config", e.getValue());
                        row.put("secondsPerIteration", perIteration);
                        row.put("voxelsPerSecond", (double) c.batchSize() * c.criticSteps() * Math.pow(c.patchSize(), 3)
                                / perIteration);
                        row.put("generate128Seconds", (System.nanoTime() - t2) / 1e9);
                        rows.put(e.getKey(), row);
                    }
                }
                f.put("seconds", (System.nanoTime() - t0) / 1e9);
                f.put("options", rows);
            }
            case "nmc" -> {
                GanTrainingConfig c = GanTrainingConfig.fromJson(config(), "bench --config",
                        GanTrainingConfig.defaults()).withIterations(1_000_000).withSeed(1);
                double[] fractions = fractionsOf(List.of(nmc), phases);
                try (GanModel model = GanModel.create(c.architecture(phases), names, c.seed());
                        WganGpTrainer trainer = WganGpTrainer.create(model, nmc, c.trainerOptions(),
                                new ModelDirectory.DataSummary(data.get(0).toString(), nmc.nx(), nmc.ny(), nmc.nz(),
                                        Arrays.stream(fractions).boxed().toList()), c.toMap())) {
                    budgetedRun(trainer, c, nmc, fractions, f);
                }
            }
            case "slicegan" -> {
                // the three orthogonal central sections, in the orientation `microforge slice` writes
                Volume sx = nmc.slice(Axis.X, nmc.nx() / 2);
                Volume sy = nmc.slice(Axis.Y, nmc.ny() / 2);
                Volume sz = nmc.slice(Axis.Z, nmc.nz() / 2);
                SliceGanTrainingConfig c = SliceGanTrainingConfig.fromJson(config(), "bench --config",
                        SliceGanTrainingConfig.defaults()).withIterations(1_000_000).withSeed(1);
                OneHotSliceSampler sampler = OneHotSliceSampler.ofImages(sx, sy, sz, c.sliceSize(), phases);
                f.put("sections", List.of("x = " + nmc.nx() / 2, "y = " + nmc.ny() / 2, "z = " + nmc.nz() / 2));
                try (SliceGanModel model = SliceGanModel.create(c.architecture(phases, 3), names, c.seed());
                        SliceGanTrainer trainer = SliceGanTrainer.create(model, sampler, c.trainerOptions(), null,
                                c.toMap())) {
                    budgetedRun(trainer, c, nmc, fractionsOf(List.of(sx, sy, sz), phases), f);
                }
            }
            default -> throw new IllegalArgumentException("benchmark train has no case '" + caseName + "'");
        }
        return f;
    }

    /**
     * Trains for the budget ({@code bench train --minutes M}) in {@value #CURVE_POINTS} equal parts and after
     * each generates {@value #SAMPLES} 128³ volumes and compares them, each and pooled, with the whole real volume
     * (its fractions, S2 and pore tortuosity, whatever the trainer saw of it); puts the learning curve, the real
     * volume's own crops (the noise floor) and totals into {@code f}.
     */
    private static void budgetedRun(Trainer trainer, TrainingConfig<?> c, Volume nmc, double[] trainingFractions,
            Map<String, Object> f) throws Exception {
        int phases = trainingFractions.length;
        double minutes = Double.parseDouble(System.getProperty(BenchHarness.MINUTES_PROPERTY,
                String.valueOf(DEFAULT_MINUTES)));
        SampleEvaluation.Options eo = new SampleEvaluation.Options(GENERATED, 32, true, 0);
        long r0 = System.nanoTime();
        SampleEvaluation.Reference reference = SampleEvaluation.reference(nmc, phases, eo);
        f.put("referenceSeconds", (System.nanoTime() - r0) / 1e9);
        f.put("realCrops", realCrops(nmc, reference, eo));
        Path dir = Files.createTempDirectory("microforge-bench-train-");
        List<Map<String, Object>> curve = new ArrayList<>();
        double trainingSeconds = 0;
        long iterations = 0;
        SessionState state = SessionState.fresh(trainer.kind(), c.seed(), trainer.lossNames());
        long seed = new IterationSeeds(c.seed()).seed(0, 0);
        for (int point = 1; point <= CURVE_POINTS; point++) {
            TrainingSession.Result r = TrainingSession.run(trainer, dir, state,
                    c.sessionOptions(minutes * 60 / CURVE_POINTS), null, () -> false, List.of(TrainingListener.NONE));
            trainingSeconds += r.seconds();
            iterations = r.iteration();
            state = SessionState.read(r.lastCheckpoint());
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("trainingMinutes", trainingSeconds / 60);
            row.put("iteration", iterations);
            row.put("losses", r.lastLosses());
            List<Volume> volumes = new ArrayList<>();
            for (int s = 0; s < SAMPLES; s++) {
                volumes.add(trainer.sample(GENERATED, seed + s));
            }
            row.putAll(evaluated(volumes, reference, eo, iterations));
            row.put("fractionCut", fractionCut(r.lastCheckpoint(), trainingFractions, seed, reference, eo,
                    iterations));
            curve.add(row);
            if (r.stop() == TrainingSession.Stop.DIVERGED) {
                row.put("diverged", r.message());
                break;
            }
        }
        f.put("seconds", trainingSeconds);
        f.put("budgetMinutes", minutes);
        f.put("iterations", iterations);
        f.put("secondsPerIteration", trainingSeconds / Math.max(1, iterations));
        f.put("config", c.toMap());
        f.put("modelDir", dir.toString());
        f.put("checkpoints", Checkpoints.list(dir).size());
        f.put("meetsTargets", !curve.isEmpty() && (Boolean) curve.get(curve.size() - 1).get("meetsTargets"));
        f.put("pooledMeetsTargets", !curve.isEmpty()
                && (Boolean) curve.get(curve.size() - 1).get("pooledMeetsTargets"));
        f.put("learningCurve", curve);
    }

    /**
     * The samples of the checkpoint's generator from the same latents as the plain ones, cut to the training data's
     * fractions ({@code microforge generate --fractions}), each and pooled.
     */
    private static Map<String, Object> fractionCut(Path checkpoint, double[] fractions, long seed,
            SampleEvaluation.Reference reference, SampleEvaluation.Options eo, long iterations) throws Exception {
        List<Volume> volumes = new ArrayList<>();
        try (LatentDecoder decoder = ModelKinds.open(checkpoint)) {
            ModelSampling.Options o = ModelSampling.Options.defaults(GENERATED, GENERATED, GENERATED)
                    .withFractions(fractions);
            for (int s = 0; s < SAMPLES; s++) {
                volumes.add(ModelSampling.generate(decoder, ModelSampling.latent(decoder, o, seed + s), o));
            }
        }
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("fractions", fractions);
        m.putAll(evaluated(volumes, reference, eo, iterations));
        return m;
    }

    /** Generated volumes against the reference, each and pooled, and whether they meet the targets. */
    private static Map<String, Object> evaluated(List<Volume> volumes, SampleEvaluation.Reference reference,
            SampleEvaluation.Options eo, long iterations) {
        long t = System.nanoTime();
        List<SampleEvaluation.Metrics> each = new ArrayList<>();
        for (Volume v : volumes) {
            each.add(SampleEvaluation.evaluate(v, reference, eo, iterations, System.nanoTime()));
        }
        SampleEvaluation.Metrics pooled = SampleEvaluation.evaluatePooled(volumes, reference, eo, iterations, t);
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("samples", each);
        m.put("pooled", pooled);
        m.put("meetsTargets", each.stream().allMatch(TrainBenchmark::meets));
        m.put("pooledMeetsTargets", meets(pooled));
        return m;
    }

    /** The mean phase fractions of some volumes with labels {@code 0..phases-1}. */
    private static double[] fractionsOf(List<Volume> volumes, int phases) {
        double[] f = new double[phases];
        for (Volume v : volumes) {
            long[] counts = v.labelCounts();
            for (int k = 0; k < phases; k++) {
                f[k] += (double) counts[k] / v.voxelCount() / volumes.size();
            }
        }
        return f;
    }

    /**
     * The noise floor of the comparison: the eight corner crops of the real volume, of the generated samples' size,
     * measured against the whole volume like a sample (each, and pooled). A generator cannot be asked to beat the
     * real material's own finite-size scatter.
     */
    private static Map<String, Object> realCrops(Volume nmc, SampleEvaluation.Reference reference,
            SampleEvaluation.Options eo) {
        int e = GENERATED;
        List<SampleEvaluation.Metrics> each = new ArrayList<>();
        List<Volume> crops = new ArrayList<>();
        long t = System.nanoTime();
        if (nmc.nx() < e || nmc.ny() < e || nmc.nz() < e) {
            return Map.of("skipped", "the volume is smaller than " + e + "^3");
        }
        for (int x0 : new int[] {0, nmc.nx() - e}) {
            for (int y0 : new int[] {0, nmc.ny() - e}) {
                for (int z0 : new int[] {0, nmc.nz() - e}) {
                    Volume crop = Volume.generate(e, e, e, (x, y, z) -> nmc.get(x0 + x, y0 + y, z0 + z));
                    crops.add(crop);
                    each.add(SampleEvaluation.evaluate(crop, reference, eo, 0, System.nanoTime()));
                }
            }
        }
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("crops", each);
        m.put("pooled", SampleEvaluation.evaluatePooled(crops, reference, eo, 0, t));
        m.put("cropsMeetingTargets", each.stream().filter(TrainBenchmark::meets).count());
        return m;
    }

    /** The configuration of {@code bench --config}, or an empty object. */
    private static String config() {
        return System.getProperty(BenchHarness.CONFIG_PROPERTY, "{}");
    }

    /** Whether a sample meets the targets: every phase within 0.01, every S2 RMSE at most 0.005, tau within 5%. */
    static boolean meets(SampleEvaluation.Metrics m) {
        return m.maxFractionError() <= TARGET_FRACTION && m.maxS2Rmse() <= TARGET_S2
                && m.maxTortuosityDeviation() <= TARGET_TORTUOSITY;
    }
}
