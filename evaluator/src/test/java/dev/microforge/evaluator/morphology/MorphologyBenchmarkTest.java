package dev.microforge.evaluator.morphology;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.microforge.datasets.Axis;
import dev.microforge.datasets.Volume;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.function.Supplier;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Speed of the morphology descriptors on a 256^3 Boolean model of spheres (R = 8, solid fraction ~ 0.5). Times go
 * to the log and to {@code target/benchmarks/morphology.txt}. Run with
 * {@code mvn -pl evaluator -am test -Dtest=MorphologyBenchmarkTest -Dgroups=benchmark -DexcludedGroups=none}.
 */
@Tag("benchmark")
class MorphologyBenchmarkTest {
    private static final Logger LOG = LoggerFactory.getLogger(MorphologyBenchmarkTest.class);

    private static <T> T time(Map<String, Double> times, String name, Supplier<T> work) {
        long t0 = System.nanoTime();
        T result = work.get();
        times.put(name, (System.nanoTime() - t0) / 1e9);
        return result;
    }

    @Test
    void descriptorsOf256Cubed() throws IOException {
        int n = 256;
        double radius = 8;
        int spheres = (int) Math.round(Math.log(2) * n * n * n / (4.0 / 3 * Math.PI * radius * radius * radius));
        Volume v = TestVolumes.booleanSpheres(n, radius, spheres, 1);
        Map<String, Double> times = new LinkedHashMap<>();
        // warm-up on a small volume so the JIT has compiled the hot loops
        Volume small = TestVolumes.booleanSpheres(64, radius, spheres / 64, 2);
        DistanceTransform.euclidean(small, 0, DistanceTransform.Options.defaults());
        LocalThickness.poreSizeDistribution(small, 0, LocalThickness.Options.defaults());
        ParticleSeparation.watershed(small, 1, ParticleSeparation.Options.defaults());

        time(times, "edt", () -> DistanceTransform.euclidean(v, 0, DistanceTransform.Options.defaults()));
        LocalThickness.Result lt = time(times, "localThickness",
                () -> LocalThickness.poreSizeDistribution(v, 0, LocalThickness.Options.defaults()));
        ParticleSeparation.Result ws = time(times, "watershed",
                () -> ParticleSeparation.watershed(v, 1, ParticleSeparation.Options.defaults()));
        ParticleStatistics.Result stats = time(times, "particleStatistics",
                () -> ParticleStatistics.of(ws, ParticleStatistics.Options.defaults()));
        time(times, "particleSizeDistribution",
                () -> ParticleSizeDistribution.of(stats, ParticleSizeDistribution.Options.defaults()));
        time(times, "linealPath3Axes", () -> LinealPath.compute(v, 0, LinealPath.Options.defaults()));
        time(times, "chordLength3Axes", () -> {
            for (Axis a : Axis.values()) {
                ChordLength.distribution(v, 0, a, ChordLength.Options.defaults());
            }
            return null;
        });
        StringBuilder report = new StringBuilder(String.format(Locale.ROOT,
                "256^3 Boolean spheres R=8 (%d spheres), %d cores%n", spheres,
                Runtime.getRuntime().availableProcessors()));
        times.forEach((k, s) -> report.append(String.format(Locale.ROOT, "%-26s %8.2f s%n", k, s)));
        report.append(String.format(Locale.ROOT, "local thickness levels %d, pore d50 %.2f voxels; particles %d%n",
                lt.levels(), lt.d50(), ws.count()));
        LOG.info("{}", report);
        Path out = Path.of("target", "benchmarks", "morphology.txt");
        Files.createDirectories(out.getParent());
        Files.writeString(out, report, StandardCharsets.UTF_8);
        assertTrue(times.get("edt") < 5, report.toString());
        assertTrue(times.get("localThickness") < 60, report.toString());
    }
}
