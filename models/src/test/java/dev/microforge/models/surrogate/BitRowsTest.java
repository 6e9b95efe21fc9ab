package dev.microforge.models.surrogate;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.microforge.datasets.Volume;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The bit-parallel searches ({@link BitRows}) against the searches on bordered masks, which {@link
 * GeodesicTortuosityTest} and {@link CriticalRadiusTest} check against path lengths, channel widths, a relaxation of
 * the graph and a brute-force threshold-and-flood: both must give the same values to the last bit.
 */
class BitRowsTest {

    @Test
    void rowsHoldEachVoxelOnceInBothLayoutsWithEmptyBorders() {
        SplittableRandom r = new SplittableRandom(3);
        for (int n : new int[] {2, 5, 63, 64}) {
            Volume v = Volume.generate(n, n, n, (x, y, z) -> r.nextInt(3));
            BitRows[] sets = BitRows.poreAndSolid(v);
            for (int z = 0; z < n; z++) {
                for (int y = 0; y < n; y++) {
                    for (int x = 0; x < n; x++) {
                        boolean pore = v.get(x, y, z) == 0;
                        assertEquals(pore, sets[0].get(x, y, z));
                        assertEquals(pore, sets[1].get(x, y, z));
                        assertEquals(!pore, sets[2].get(x, y, z));
                        assertEquals(!pore, sets[3].get(x, y, z));
                    }
                }
            }
            for (BitRows set : sets) {
                int m = set.m();
                for (int i = 0; i < m; i++) {
                    for (int row : new int[] {i, (m - 1) * m + i, i * m, i * m + m - 1}) {
                        assertEquals(0, set.rows()[row], "border row " + row + " of edge " + n);
                    }
                }
                for (long row : set.rows()) {
                    assertEquals(0, row & ~set.full(), "bits beyond the edge " + n);
                }
            }
        }
        assertThrows(IllegalArgumentException.class, () -> BitRows.poreAndSolid(Volume.generate(65, 65, 65,
                (x, y, z) -> 0)));
        assertThrows(IllegalArgumentException.class, () -> BitRows.poreAndSolid(Volume.generate(1, 1, 1,
                (x, y, z) -> 0)));
    }

    /** Random labels (salt and pepper: many levels of 1 and 2) at edges from 2 to 64. */
    @Test
    void randomLabelsGiveTheSameSearchesAsTheMasks() {
        SplittableRandom r = new SplittableRandom(11);
        int tried = 0;
        for (int n : new int[] {2, 3, 4, 7, 16, 33, 63, 64}) {
            for (double pore : new double[] {0.05, 0.3, 0.5, 0.75, 0.97}) {
                Volume v = Volume.generate(n, n, n, (x, y, z) -> r.nextDouble() < pore ? 0 : 1 + r.nextInt(2));
                assertSameSearches(v, "edge " + n + ", pore " + pore);
                tried++;
            }
        }
        assertEquals(40, tried);
    }

    /** Overlapping balls of radius 2-9 (wide phases: distance levels up to 9, critical radii above 2). */
    @Test
    void ballsGiveTheSameSearchesAsTheMasks() {
        double largest = 0;
        for (int seed = 0; seed < 8; seed++) {
            SplittableRandom r = new SplittableRandom(seed);
            int n = seed % 2 == 0 ? 64 : 37 + seed;
            int count = 10 + r.nextInt(60);
            double[][] balls = new double[count][];
            for (int i = 0; i < count; i++) {
                balls[i] = new double[] {r.nextDouble() * n, r.nextDouble() * n, r.nextDouble() * n,
                    2 + 7 * r.nextDouble()};
            }
            Volume v = Volume.generate(n, n, n, (x, y, z) -> {
                for (double[] b : balls) {
                    double dx = x - b[0];
                    double dy = y - b[1];
                    double dz = z - b[2];
                    if (dx * dx + dy * dy + dz * dz <= b[3] * b[3]) {
                        return 1;
                    }
                }
                return 0;
            });
            double[] radii = assertSameSearches(v, "seed " + seed);
            for (double x : radii) {
                largest = Math.max(largest, x);
            }
        }
        assertTrue(largest >= 5, "the balls make wide phases: largest critical radius " + largest);
    }

    /** Whole-cube and empty phases, and the serpentine whose 64,481-step path GeodesicTortuosityTest counts. */
    @Test
    void extremePhasesGiveTheSameSearchesAsTheMasks() {
        for (int n : new int[] {2, 3, 8, 64}) {
            assertSameSearches(Volume.generate(n, n, n, (x, y, z) -> 0), "all pore, edge " + n);
            assertSameSearches(Volume.generate(n, n, n, (x, y, z) -> 2), "all solid, edge " + n);
            assertSameSearches(Volume.generate(n, n, n, (x, y, z) -> x == n - 1 && y == 0 ? 0 : 1),
                    "one pore line, edge " + n);
        }
        int n = 64;
        Volume serpentine = GeodesicTortuosityTest.serpentine(n);
        BitRows[] sets = BitRows.poreAndSolid(serpentine);
        assertEquals(64481.0 / (n - 1), GeodesicTortuosity.poreAndSolid(sets)[5], 1e-12);
        assertSameSearches(serpentine, "serpentine");
    }

    /** Asserts that both searches agree on the 12 values and returns the bit searches' critical radii. */
    private static double[] assertSameSearches(Volume v, String what) {
        int n = v.nx();
        int[][] masks = GeodesicTortuosity.poreAndSolidMasks(v);
        double[] geodesic = GeodesicTortuosity.poreAndSolid(masks, n);
        double[] radii = CriticalRadius.poreAndSolid(masks, n, geodesic);
        BitRows[] sets = BitRows.poreAndSolid(v);
        double[] bitGeodesic = GeodesicTortuosity.poreAndSolid(sets);
        assertArrayEquals(geodesic, bitGeodesic, 0, what + ": geodesic tortuosity");
        double[] bitRadii = CriticalRadius.poreAndSolid(sets, bitGeodesic);
        assertArrayEquals(radii, bitRadii, 0, what + ": critical radius");
        return bitRadii;
    }
}
