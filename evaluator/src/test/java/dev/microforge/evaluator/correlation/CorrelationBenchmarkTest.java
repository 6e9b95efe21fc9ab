package dev.microforge.evaluator.correlation;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.microforge.datasets.Volume;
import dev.microforge.evaluator.geometry.SurfaceArea;
import dev.microforge.evaluator.geometry.TriplePhaseBoundary;
import dev.microforge.evaluator.morphology.ConnectedComponents.Connectivity;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** Timings on a 256^3 Bernoulli volume (run with -Dgroups=benchmark -DexcludedGroups=). */
@Tag("benchmark")
class CorrelationBenchmarkTest {

    private interface Job {
        Object run();
    }

    private static Object time(String name, Job job) {
        long t0 = System.nanoTime();
        Object r = job.run();
        System.out.printf("%-40s %7.2f s%n", name, (System.nanoTime() - t0) / 1e9);
        return r;
    }

    @Test
    void descriptorsOf256Cubed() {
        Volume v = TwoPointCorrelationTest.bernoulli(256, 256, 256, 0.5, 1);
        Volume three = Volume.generate(256, 256, 256, (x, y, z) -> (x * 7 + y * 13 + z * 3) % 3);
        time("warm-up S2 periodic 64^3", () -> TwoPointCorrelation.compute(
                TwoPointCorrelationTest.bernoulli(64, 64, 64, 0.5, 2), 1, new TwoPointCorrelation.Options(true, 0)));
        TwoPointCorrelation.Result p = (TwoPointCorrelation.Result) time("S2 periodic (r <= 127)",
                () -> TwoPointCorrelation.compute(v, 1, new TwoPointCorrelation.Options(true, 0)));
        assertEquals(0.25, p.radial().value()[10], 0.001);
        time("S2 non-periodic (r <= 128, 384^3 pad)",
                () -> TwoPointCorrelation.compute(v, 1, new TwoPointCorrelation.Options(false, 0)));
        time("S2 non-periodic (r <= 32, 288^3 pad)",
                () -> TwoPointCorrelation.compute(v, 1, new TwoPointCorrelation.Options(false, 32)));
        time("C2 periodic (r <= 32)", () -> TwoPointClusterFunction.compute(v, 1,
                new TwoPointClusterFunction.Options(true, 32, Connectivity.FACES)));
        time("Fss periodic", () -> SurfaceSurfaceCorrelation.compute(v, 1,
                new SurfaceSurfaceCorrelation.Options(true, 0)));
        time("spectral density", () -> SpectralDensity.compute(v, 1, SpectralDensity.Options.defaults()));
        time("S3 sampled 2e4 x 12 x 129", () -> ThreePointCorrelation.equilateral(v, 1,
                ThreePointCorrelation.Options.defaults()));
        time("surface area (faces + 2 x marching cubes)", () -> SurfaceArea.of(v, 1,
                SurfaceArea.Options.defaults()));
        time("triple-phase boundary", () -> TriplePhaseBoundary.lengthDensity(three, 0, 1, 2));
    }
}
