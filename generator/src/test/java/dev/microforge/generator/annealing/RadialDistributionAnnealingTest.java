package dev.microforge.generator.annealing;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.microforge.datasets.Volume;
import org.junit.jupiter.api.Test;

class RadialDistributionAnnealingTest {
    private static RadialDistributionAnnealing.Options options(long seed, long maxMoves) {
        return new RadialDistributionAnnealing.Options(32, 32, 32, 150, 2, 1, 0.0, maxMoves, 4, 0.1, 0.9, 20_000,
                20, seed);
    }

    @Test
    void annealedCentresMatchTheGOfAHardSphereRsaPacking() {
        // Given g of 150 random-sequential-addition spheres of radius 2 (no pair closer than 4)
        double[][] rsa = RadialDistributionAnnealing.randomSequentialAddition(32, 32, 32, 150, 2, 5);
        RadialDistributionAnnealing.Target t = RadialDistributionAnnealing.Target.fromCentres(rsa, 32, 32, 32, 0.5,
                24);
        for (int k = 0; k < 8; k++) {
            assertEquals(0, t.g()[k], 0.0);
        }
        // When uniformly random (overlapping) centres are annealed toward it
        RadialDistributionAnnealing.Result r = RadialDistributionAnnealing.reconstruct(t, options(3, 300_000), null);
        // Then their g matches: RMSE far below the start, almost no pairs inside contact, result g recomputed
        double start = r.errorCurve()[0];
        assertTrue(r.finalRmse() < 0.25 * start, () -> "start " + start + " final " + r.finalRmse());
        double inside = 0;
        for (int k = 0; k < 7; k++) {
            inside += r.g()[k];
        }
        assertTrue(inside / 7 < 0.1, "mean g inside contact " + inside / 7);
        double sum = 0;
        for (int k = 0; k < 24; k++) {
            sum += (r.g()[k] - t.g()[k]) * (r.g()[k] - t.g()[k]);
        }
        assertEquals(r.finalRmse(), Math.sqrt(sum / 24), 1e-9);
        for (int i = 1; i < r.errorCurve().length; i++) {
            assertTrue(r.errorCurve()[i] <= r.errorCurve()[i - 1]);
        }
        assertTrue(r.seconds() < 4.5, () -> r.seconds() + " s, " + r.stop() + ", rmse " + r.finalRmse());
        // and the voxelised volume holds about 150 spheres of 4/3 pi 2^3 voxels (overlaps only shrink it)
        long solid = r.volume().labelCounts()[1];
        assertTrue(solid > 0.8 * 150 * 33.5 && solid <= 150 * 40, "solid voxels " + solid);
    }

    @Test
    void sameSeedSameBytes() {
        double[][] rsa = RadialDistributionAnnealing.randomSequentialAddition(32, 32, 32, 150, 2, 5);
        RadialDistributionAnnealing.Target t = RadialDistributionAnnealing.Target.fromCentres(rsa, 32, 32, 32, 0.5,
                24);
        RadialDistributionAnnealing.Result a = RadialDistributionAnnealing.reconstruct(t, options(8, 50_000), null);
        RadialDistributionAnnealing.Result b = RadialDistributionAnnealing.reconstruct(t, options(8, 50_000), null);
        assertTrue(a.volume().firstDifference(b.volume()).isEmpty());
        for (int i = 0; i < a.centres().length; i++) {
            assertArrayEquals(a.centres()[i], b.centres()[i]);
        }
    }

    @Test
    void rdfOfASimpleCubicLatticeHasItsShellsAtTheLatticeDistances() {
        // 4^3 points spaced 8 in a 32^3 box: shells at 8 (6 neighbours), 8 sqrt 2 = 11.3 (12), 8 sqrt 3 = 13.9 (8)
        double[][] c = new double[64][];
        int i = 0;
        for (int z = 0; z < 4; z++) {
            for (int y = 0; y < 4; y++) {
                for (int x = 0; x < 4; x++) {
                    c[i++] = new double[] {8 * x + 1, 8 * y + 1, 8 * z + 1};
                }
            }
        }
        double[] g = RadialDistributionAnnealing.rdf(c, 32, 32, 32, 1, 16);
        double rho = 64 / 32768.0;
        double shell8 = 4.0 / 3.0 * Math.PI * (729 - 512);
        assertEquals(6 / (rho * shell8), g[8], 1e-9);
        for (int k = 0; k < 16; k++) {
            if (k != 8 && k != 11 && k != 13) {
                assertEquals(0, g[k], 0.0, "bin " + k);
            }
        }
        Volume v = RadialDistributionAnnealing.voxelise(c, 32, 32, 32, 1.5);
        assertEquals(64 * 8 + 64 * 24 + 0, v.labelCounts()[1], 64 * 32);
    }

    @Test
    void badInputIsRefused() {
        assertTrue(assertThrows(IllegalArgumentException.class, () -> new RadialDistributionAnnealing.Options(32, 32,
                32, 1, 2, 1, 0, 1, 1, 0, 0.9, 1, 1, 1)).getMessage().contains("particles"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> new RadialDistributionAnnealing.Options(32, 32,
                32, 10, 2, 1, 0, 1, 1, 0, 1.2, 1, 1, 1)).getMessage().contains("coolingFactor"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> new RadialDistributionAnnealing.Options(32, 32,
                32, 10, -2, 1, 0, 1, 1, 0, 0.9, 1, 1, 1)).getMessage().contains("radius"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> new RadialDistributionAnnealing.Target(0,
                new double[3])).getMessage().contains("binWidth"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> RadialDistributionAnnealing.rdf(
                new double[][] {{0, 0, 0}, {1, 1, 1}}, 32, 32, 32, 1, 20)).getMessage().contains("half"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> RadialDistributionAnnealing
                .randomSequentialAddition(8, 8, 8, 100, 3, 1)).getMessage().contains("fit"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> RadialDistributionAnnealing.reconstruct(null,
                RadialDistributionAnnealing.Options.defaults(), null)).getMessage().contains("required"));
    }
}
