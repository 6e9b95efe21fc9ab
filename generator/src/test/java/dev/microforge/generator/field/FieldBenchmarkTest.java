package dev.microforge.generator.field;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.microforge.datasets.Axis;
import dev.microforge.datasets.FloatVolume;
import dev.microforge.datasets.Volume;
import dev.microforge.evaluator.correlation.TwoPointCorrelation;
import dev.microforge.generator.tessellation.HierarchicalReconstruction;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Timings and quality at 128^3 and 256^3 (run with {@code -Dgroups=benchmark}); figures go to
 * {@code target/field-benchmark.txt}. Needs {@code -Dmicroforge.excludedGroups=none -Dgroups=benchmark}.
 *
 * <p>Measured on the 2-core dev machine (-Xmx2g): 128^3: GRF field (FFT) 0.95 s, GRF + level cut 1.54 s, spectrum
 * shape error 0.039, Fourier reconstruction 3.08 s with S2 RMSE 0.0064 (worst axis), hierarchical 3-phase (1158
 * seeds) 1.74 s; 256^3: 2.08 s, 2.66 s, 0.016, 5.43 s with 0.0061, 4.77 s (9271 seeds); WAVES with 2000 waves: 0.98 s
 * at 64^3, 5.5 s at 128^3.
 */
@Tag("benchmark")
class FieldBenchmarkTest {
    @Test
    void timingsAndErrors() throws IOException {
        StringBuilder out = new StringBuilder();
        GaussianRandomField.Target shell = GaussianRandomField.Target.gaussian(0.5, 0.12);
        for (int n : new int[] {128, 256}) {
            long t0 = System.nanoTime();
            FloatVolume f = GaussianRandomField.field(n, n, n, shell, GaussianRandomField.Options.defaults(), 1);
            double grf = (System.nanoTime() - t0) / 1e9;
            double[][] m = FieldSpectra.radial(f, 0.05);
            double err = FieldSpectra.relativeShapeError(m[1], Arrays.stream(m[0]).map(shell::at).toArray());
            t0 = System.nanoTime();
            Volume cut = GaussianRandomField.generate(n, n, n, new double[] {0.6, 0.4}, shell,
                    GaussianRandomField.Options.defaults(), null, 1).phases();
            double grfCut = (System.nanoTime() - t0) / 1e9;
            t0 = System.nanoTime();
            Volume rec = FourierReconstruction.reconstruct(cut, n, n, n, FourierReconstruction.Options.defaults(),
                    null, 2).phases();
            double fourier = (System.nanoTime() - t0) / 1e9;
            TwoPointCorrelation.Options o = new TwoPointCorrelation.Options(true, 32);
            TwoPointCorrelation.Result a = TwoPointCorrelation.compute(cut, 1, o);
            TwoPointCorrelation.Result b = TwoPointCorrelation.compute(rec, 1, o);
            double s2 = 0;
            for (Axis ax : Axis.values()) {
                s2 = Math.max(s2, FieldSpectra.rmse(a.along(ax), b.along(ax)));
            }
            int seeds = (int) (0.5 * n * n * n / (4.0 / 3 * Math.PI * 6 * 6 * 6));
            double[][] sd = HierarchicalReconstruction.randomSeeds(n, n, n, seeds, 6, 1.5, 3);
            t0 = System.nanoTime();
            HierarchicalReconstruction.generate(n, n, n, sd, new double[] {0.35, 0.5, 0.15},
                    HierarchicalReconstruction.Options.defaults(), null, 4);
            double hier = (System.nanoTime() - t0) / 1e9;
            out.append(String.format(Locale.ROOT, "n=%d grfFieldFft=%.2fs grfCut=%.2fs spectrumError=%.4f "
                    + "fourier=%.2fs s2RmseMaxAxis=%.5f hierarchical(%d seeds, 3 phases)=%.2fs%n", n, grf, grfCut,
                    err, fourier, s2, seeds, hier));
            assertTrue(err < 0.1 && s2 < 0.02, out.toString());
        }
        for (int n : new int[] {64, 128}) {
            long t0 = System.nanoTime();
            GaussianRandomField.field(n, n, n, shell, new GaussianRandomField.Options(
                    GaussianRandomField.Method.WAVES, 2000, 1, 1, 1, true), 1);
            out.append(String.format(Locale.ROOT, "n=%d grfWaves2000=%.2fs%n", n, (System.nanoTime() - t0) / 1e9));
        }
        Files.writeString(Path.of("target", "field-benchmark.txt"), out.toString());
    }
}
