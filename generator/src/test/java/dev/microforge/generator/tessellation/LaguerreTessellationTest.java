package dev.microforge.generator.tessellation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class LaguerreTessellationTest {
    private static double[][] seeds(int count, int nx, int ny, int nz, double rmax, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        double[][] s = new double[count][];
        for (int i = 0; i < count; i++) {
            s[i] = new double[] {nx * r.nextDouble(), ny * r.nextDouble(), nz * r.nextDouble(), rmax * r.nextDouble()};
        }
        return s;
    }

    /** Brute force: nearest and second power distance over all seeds (and all 27 images when periodic). */
    private static void assertMatchesBruteForce(int nx, int ny, int nz, double[][] s, boolean periodic) {
        LaguerreTessellation.Result t = LaguerreTessellation.compute(nx, ny, nz, s,
                new LaguerreTessellation.Options(periodic));
        for (int z = 0; z < nz; z++) {
            for (int y = 0; y < ny; y++) {
                for (int x = 0; x < nx; x++) {
                    double b1 = Double.POSITIVE_INFINITY;
                    double b2 = Double.POSITIVE_INFINITY;
                    int i1 = -1;
                    for (int i = 0; i < s.length; i++) {
                        for (int k = 0; k < (periodic ? 27 : 1); k++) {
                            double sx = periodic ? Math.floorMod((long) Math.floor(s[i][0]), nx) + s[i][0]
                                    - Math.floor(s[i][0]) + (k % 3 - 1) * nx : s[i][0];
                            double sy = periodic ? Math.floorMod((long) Math.floor(s[i][1]), ny) + s[i][1]
                                    - Math.floor(s[i][1]) + (k / 3 % 3 - 1) * ny : s[i][1];
                            double sz = periodic ? Math.floorMod((long) Math.floor(s[i][2]), nz) + s[i][2]
                                    - Math.floor(s[i][2]) + (k / 9 - 1) * nz : s[i][2];
                            double d = Math.pow(x + 0.5 - sx, 2) + Math.pow(y + 0.5 - sy, 2)
                                    + Math.pow(z + 0.5 - sz, 2) - s[i][3] * s[i][3];
                            if (d < b1) {
                                b2 = b1;
                                b1 = d;
                                i1 = i;
                            } else if (d < b2) {
                                b2 = d;
                            }
                        }
                    }
                    int v = x + nx * (y + ny * z);
                    String at = "voxel (" + x + ", " + y + ", " + z + ")";
                    assertEquals(b1, t.powerDistance()[v], 1e-3 * (1 + Math.abs(b1)), at);
                    assertEquals(b2, t.secondPowerDistance()[v], 1e-3 * (1 + Math.abs(b2)), at);
                    if (b2 - b1 > 1e-6) {
                        assertEquals(i1, t.cell()[v], at);
                    }
                }
            }
        }
    }

    @ParameterizedTest
    @ValueSource(booleans = {true, false})
    void everyVoxelGetsThePowerNearestSeed(boolean periodic) {
        assertMatchesBruteForce(19, 16, 13, seeds(25, 19, 16, 13, 5, 1), periodic);
    }

    @Test
    void seedsOutsideTheBoxAndVeryUnequalWeights() {
        double[][] s = seeds(12, 14, 14, 14, 2, 2);
        s[0] = new double[] {-3, 7, 7, 9};
        s[1] = new double[] {20, 2, 15, 0};
        assertMatchesBruteForce(14, 14, 14, s, false);
        assertMatchesBruteForce(14, 14, 14, s, true);
    }

    @Test
    void equalWeightsGiveVoronoiAndASingleSeedTakesAll() {
        double[][] s = seeds(30, 20, 20, 20, 0, 3);
        for (double[] p : s) {
            p[3] = 1.5;
        }
        LaguerreTessellation.Result t = LaguerreTessellation.compute(20, 20, 20, s,
                new LaguerreTessellation.Options(false));
        double[][] zero = new double[s.length][];
        for (int i = 0; i < s.length; i++) {
            zero[i] = new double[] {s[i][0], s[i][1], s[i][2], 0};
        }
        LaguerreTessellation.Result v = LaguerreTessellation.compute(20, 20, 20, zero,
                new LaguerreTessellation.Options(false));
        for (int i = 0; i < t.cell().length; i++) {
            assertEquals(v.cell()[i], t.cell()[i]);
            assertEquals(v.powerDistance()[i] - 2.25, t.powerDistance()[i], 1e-3);
        }
        LaguerreTessellation.Result one = LaguerreTessellation.compute(5, 4, 3, new double[][] {{1, 1, 1, 1}},
                LaguerreTessellation.Options.defaults());
        assertEquals(60, one.cellSizes(1)[0]);
    }

    @Test
    void badInputsAreRefused() {
        List<Runnable> bad = List.of(
                () -> LaguerreTessellation.compute(4, 4, 4, null, LaguerreTessellation.Options.defaults()),
                () -> LaguerreTessellation.compute(4, 4, 4, new double[0][], LaguerreTessellation.Options.defaults()),
                () -> LaguerreTessellation.compute(4, 4, 4, new double[][] {{1, 1, 1}},
                        LaguerreTessellation.Options.defaults()),
                () -> LaguerreTessellation.compute(4, 4, 4, new double[][] {{1, 1, 1, -1}},
                        LaguerreTessellation.Options.defaults()),
                () -> LaguerreTessellation.compute(4, 4, 4, new double[][] {{1, Double.NaN, 1, 1}},
                        LaguerreTessellation.Options.defaults()),
                () -> LaguerreTessellation.compute(4, 4, 4, new double[][] {null},
                        LaguerreTessellation.Options.defaults()),
                () -> LaguerreTessellation.compute(0, 4, 4, new double[][] {{1, 1, 1, 1}},
                        LaguerreTessellation.Options.defaults()),
                () -> LaguerreTessellation.compute(4, 4, 4, new double[][] {{1, 1, 1, 1}}, null));
        for (int i = 0; i < bad.size(); i++) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, bad.get(i)::run, "case " + i);
            assertFalse(e.getMessage().isBlank());
        }
    }
}
