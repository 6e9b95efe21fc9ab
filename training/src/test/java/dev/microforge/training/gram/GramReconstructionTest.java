package dev.microforge.training.gram;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.microforge.datasets.Volume;
import dev.microforge.models.gram.RandomFeatureExtractor;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class GramReconstructionTest {

    /** Small tensors: one thread per operation is faster, and much faster on a busy machine. */
    @org.junit.jupiter.api.BeforeAll
    static void oneThread() {
        dev.microforge.models.Engines.setThreads(1);
    }

    /** Vertical stripes 4 pixels wide, period 8 along x, 48 x 48: phase 1 covers half. */
    private static Volume stripes() {
        return Volume.generate(48, 48, 1, (x, y, z) -> (x / 4) % 2);
    }

    private static RandomFeatureExtractor extractor(long seed) {
        return RandomFeatureExtractor.create(new RandomFeatureExtractor.Options(2, List.of(1, 2), 16, 1, seed));
    }

    private static GramReconstruction.Options twoD(int steps, long seed) {
        return GramReconstruction.Options.defaults().withSize(32, 32, 1).withIterations(1, steps)
                .withOptimiser(1, 0.1, 100).withCorrelation(300, 12).withSeed(seed);
    }

    /** Labels by the larger probability (two phases). */
    private static int[] argmax(GramReconstruction.Result r) {
        int[] labels = new int[r.probabilities()[0].length];
        for (int i = 0; i < labels.length; i++) {
            labels[i] = r.probabilities()[1][i] > r.probabilities()[0][i] ? 1 : 0;
        }
        return labels;
    }

    /** Power of the mean row profile ... of every row's spectrum along x, summed over rows: the strongest k >= 1. */
    private static int dominantWavenumberAlongX(int[] labels, int nx, int ny) {
        double best = -1;
        int bestK = -1;
        for (int k = 1; k <= nx / 2; k++) {
            double power = 0;
            for (int y = 0; y < ny; y++) {
                double re = 0;
                double im = 0;
                for (int x = 0; x < nx; x++) {
                    double v = labels[x + nx * y] - 0.5;
                    re += v * Math.cos(2 * Math.PI * k * x / nx);
                    im -= v * Math.sin(2 * Math.PI * k * x / nx);
                }
                power += re * re + im * im;
            }
            if (power > best) {
                best = power;
                bestK = k;
            }
        }
        return bestK;
    }

    @Test
    void aStripedExemplarGivesStripesOfTheSamePeriod() {
        // Given stripes of period 8 along x as a 2D exemplar (orientation kept for a 2D output)
        GramReconstruction.Result r;
        try (RandomFeatureExtractor fx = extractor(1)) {
            // When a 32 x 32 image is reconstructed
            r = GramReconstruction.reconstruct(Exemplar.image(stripes()), fx, twoD(250, 3), null);
        }
        // Then its strongest Fourier mode along x has wavenumber 32 / 8 = 4: period 8
        int[] labels = argmax(r);
        assertEquals(4, dominantWavenumberAlongX(labels, 32, 32), () -> picture(labels, 32, 32));
        // and the soft fractions are those of the exemplar, 0.5 each, within 0.02
        assertEquals(0.5, r.softFractions()[1], 0.02);
        assertEquals(GramReconstruction.Stop.COMPLETED, r.stop());
        assertEquals(250, r.steps());
    }

    @Test
    void sameSeedSameProbabilitiesOtherSeedOtherProbabilities() {
        Volume exemplar = Volume.generate(40, 40, 1, (x, y, z) -> ((x * 7 + y * 3) / 5) % 3 == 0 ? 1 : 0);
        GramReconstruction.Options o = GramReconstruction.Options.defaults().withSize(12, 12, 12)
                .withIterations(2, 6).withOptimiser(4, 0.1, 10).withCorrelation(100, 6);
        float[][] a;
        float[][] b;
        float[][] c;
        try (RandomFeatureExtractor fx = extractor(2)) {
            a = GramReconstruction.reconstruct(Exemplar.image(exemplar), fx, o.withSeed(9), null).probabilities();
            b = GramReconstruction.reconstruct(Exemplar.image(exemplar), fx, o.withSeed(9), null).probabilities();
            c = GramReconstruction.reconstruct(Exemplar.image(exemplar), fx, o.withSeed(10), null).probabilities();
        }
        assertEquals(12 * 12 * 12, a[0].length);
        assertArrayEquals(a[0], b[0]);
        assertArrayEquals(a[1], b[1]);
        assertFalse(Arrays.equals(a[0], c[0]), "another seed gave the same volume");
    }

    @Test
    void badOptionsAreRefusedWithTheValue() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> GramReconstruction.Options.defaults().withFractions(new double[] {0.3, 0.3}));
        assertTrue(e.getMessage().contains("sum to 1"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> GramReconstruction.Options.defaults().withSize(0, 4, 4));
        assertThrows(IllegalArgumentException.class,
                () -> GramReconstruction.Options.defaults().withIterations(5, 10));
        e = assertThrows(IllegalArgumentException.class,
                () -> Exemplar.image(Volume.generate(8, 8, 2, (x, y, z) -> x % 2)));
        assertTrue(e.getMessage().contains("2D"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Exemplar.image(Volume.filled(16, 16, 1, 0)));
        assertTrue(e.getMessage().contains("2 phases"), e.getMessage());
    }

    @Test
    void aTwoDimensionalExemplarSizeTooSmallForTheOutputIsRefused() {
        try (RandomFeatureExtractor fx = extractor(1)) {
            GramReconstruction.Options tiny = GramReconstruction.Options.defaults().withSize(4, 4, 1)
                    .withIterations(3, 5);
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> GramReconstruction.reconstruct(Exemplar.image(stripes()), fx, tiny, null));
            assertTrue(e.getMessage().contains("level"), e.getMessage());
        }
    }

    private static String picture(int[] labels, int nx, int ny) {
        StringBuilder sb = new StringBuilder("\n");
        for (int y = 0; y < ny; y++) {
            for (int x = 0; x < nx; x++) {
                sb.append(labels[x + nx * y] == 1 ? '#' : '.');
            }
            sb.append('\n');
        }
        return sb.toString();
    }
}
