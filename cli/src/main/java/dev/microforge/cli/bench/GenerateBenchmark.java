package dev.microforge.cli.bench;

import dev.microforge.datasets.Volume;
import dev.microforge.generator.sampling.Latent;
import dev.microforge.generator.sampling.ModelSampling;
import dev.microforge.models.Engines;
import dev.microforge.models.gan.GanArchitecture;
import dev.microforge.models.gan.GanDecoder;
import dev.microforge.models.gan.GanModel;
import dev.microforge.training.GanTrainingConfig;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code microforge bench generate}: seconds to sample a 64³, 128³ (target 2 s on 2 cores) and 256³ volume from a GAN
 * of the architecture {@code train gan} makes by default ({@code GanTrainingConfig.defaults()}, three phases; its
 * initial weights: the cost does not depend on training), plus a periodic 128³, a 128³ cut to phase fractions
 * ({@code generate --fractions}) and a 128³ from a generator with two 64-channel convolutions at the latent resolution
 * ({@code generatorLatentWidths}). {@code seconds} is the first volume after the engine and model are up (libtorch
 * still prepares its convolution kernels for that shape); {@code warmSeconds} the median of the next three, the rate
 * of a {@code --count N} run; {@code cpuSeconds} the process CPU time of each of the four (all threads), which stays
 * meaningful when other jobs load the machine. The child's peak RSS includes libtorch's native memory; {@code
 * workingMiBEstimate} is what the decoder estimates for it (the sampler's memory check).
 */
final class GenerateBenchmark implements Benchmark {
    @Override
    public String name() {
        return "generate";
    }

    @Override
    public String description() {
        return "sampling volumes from a GAN of train gan's default architecture: 64^3, 128^3 (target 2 s), 256^3, "
                + "periodic 128^3, 128^3 cut to fractions, 128^3 with convolutions at the latent resolution";
    }

    @Override
    public List<DataInput> inputs() {
        return List.of();
    }

    @Override
    public List<BenchCase> cases() {
        return List.of(
                BenchCase.of("gan-64", "64^3 volume from the default GAN", 1024),
                new BenchCase("gan-128", "128^3 volume from the default GAN (target 2 s on 2 cores)", 1024, 2.0,
                        null),
                BenchCase.of("gan-256", "256^3 volume from the default GAN", 1024),
                BenchCase.of("gan-128-periodic", "periodic 128^3 volume from the default GAN", 1024),
                BenchCase.of("gan-128-fractions", "128^3 volume cut to phase fractions 0.4, 0.5, 0.1 (generate "
                        + "--fractions)", 1024),
                BenchCase.of("gan-128-latent", "128^3 volume from the default GAN with two 64-channel convolutions "
                        + "at the latent resolution (generatorLatentWidths [64, 64])", 1024));
    }

    @Override
    public Map<String, Object> run(String caseName, List<Path> data) throws Exception {
        int size;
        boolean periodic = caseName.endsWith("-periodic");
        double[] fractions = caseName.endsWith("-fractions") ? new double[] {0.4, 0.5, 0.1} : null;
        switch (caseName) {
            case "gan-64":
                size = 64;
                break;
            case "gan-128":
            case "gan-128-periodic":
            case "gan-128-fractions":
            case "gan-128-latent":
                size = 128;
                break;
            case "gan-256":
                size = 256;
                break;
            default:
                throw new IllegalArgumentException("unknown case " + caseName + " of benchmark generate");
        }
        Map<String, Object> f = new LinkedHashMap<>();
        long t0 = System.nanoTime();
        GanTrainingConfig config = caseName.endsWith("-latent") ? GanTrainingConfig.fromJson(
                "{\"generatorLatentWidths\": [64, 64]}", "bench generate", GanTrainingConfig.defaults())
                : GanTrainingConfig.defaults();
        GanArchitecture architecture = config.architecture(3);
        try (GanDecoder decoder = new GanDecoder(GanModel.create(architecture, List.of("pore", "active", "cbd"),
                1))) {
            double setup = (System.nanoTime() - t0) / 1e9;
            ModelSampling.Options o = ModelSampling.Options.defaults(size, size, size).withPeriodic(periodic)
                    .withFractions(fractions);
            List<Double> times = new ArrayList<>();
            List<Double> cpu = new ArrayList<>();
            ModelSampling.Result first = null;
            for (int i = 0; i < 4; i++) {
                Latent z = ModelSampling.latent(decoder, o, 100 + i);
                double c0 = processCpuSeconds();
                long t1 = System.nanoTime();
                ModelSampling.Result r = ModelSampling.generate(decoder, List.of(z), o, null);
                times.add((System.nanoTime() - t1) / 1e9);
                cpu.add(processCpuSeconds() - c0);
                first = first == null ? r : first;
            }
            double[] warm = times.subList(1, 4).stream().mapToDouble(Double::doubleValue).sorted().toArray();
            Volume v = first.volumes().get(0);
            f.put("seconds", times.get(0));
            f.put("warmSeconds", warm[1]);
            f.put("allSeconds", times);
            f.put("cpuSeconds", cpu);
            f.put("setupSeconds", setup);
            f.put("slabs", first.slabs());
            f.put("voxelsPerSecondWarm", Math.round(v.voxelCount() / warm[1]));
            int[] l = ModelSampling.latentSize(decoder, o);
            int m = 2 * decoder.latentMargin();
            f.put("workingMiBEstimate", decoder.workingBytes(1, l[0] + m, l[1] + m, l[2] + m) >> 20);
            f.put("labels", v.labelHistogram().toString());
            f.put("engine", Engines.describe());
            f.put("threads", Runtime.getRuntime().availableProcessors());
            f.put("latentShape", Arrays.toString(ModelSampling.latentSize(decoder, o)));
            f.put("generatorWidths", architecture.generatorWidths().toString());
            f.put("generatorLatentWidths", architecture.latentWidths().toString());
        }
        return f;
    }

    /**
     * CPU time of the whole process (every thread, libtorch's included), seconds: {@code utime + stime} of
     * {@code /proc/self/stat} at 100 ticks per second. Unlike wall time it hardly grows when other processes share
     * the cores, so it says what the work costs on a loaded machine; NaN where there is no {@code /proc}.
     */
    static double processCpuSeconds() {
        try {
            String stat = java.nio.file.Files.readString(Path.of("/proc/self/stat"));
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return (Long.parseLong(f[11]) + Long.parseLong(f[12])) / 100.0;
        } catch (java.io.IOException | RuntimeException e) {
            return Double.NaN;
        }
    }
}
