package dev.microforge.evaluator.compare;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.microforge.datasets.Axis;
import dev.microforge.datasets.Volume;
import dev.microforge.datasets.VoxelSize;
import dev.microforge.evaluator.correlation.TwoPointCorrelation;
import dev.microforge.evaluator.transport.Tortuosity;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/** Identical volumes, an analytic pair of cube lattices, two implementations agreeing, pooling and bad options. */
class ComparisonTest {
    /** 32³, solid cubes (label 1) of side {@code side} on a lattice of period 8, starting at {@code offset}. */
    private static Volume cubes(int n, int side, int offset) {
        return Volume.generate(n, n, n, (x, y, z) -> inCube(x, side, offset) && inCube(y, side, offset)
                && inCube(z, side, offset) ? 1 : 0);
    }

    private static boolean inCube(int c, int side, int offset) {
        int m = c % 8;
        return m >= offset && m < offset + side;
    }

    /** A random three-phase volume with some structure (a smoothed random field cut at two levels). */
    private static Volume randomThreePhase(int n, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        double[] f = new double[n * n * n];
        for (int i = 0; i < f.length; i++) {
            f[i] = random.nextDouble();
        }
        double[] g = new double[f.length];
        for (int z = 0; z < n; z++) {
            for (int y = 0; y < n; y++) {
                for (int x = 0; x < n; x++) {
                    double s = 0;
                    for (int d = -1; d <= 1; d++) {
                        s += f[Math.floorMod(x + d, n) + n * (y + n * z)] + f[x + n * (Math.floorMod(y + d, n)
                                + n * z)] + f[x + n * (y + n * Math.floorMod(z + d, n))];
                    }
                    g[x + n * (y + n * z)] = s / 9;
                }
            }
        }
        return Volume.generate(n, n, n, (x, y, z) -> {
            double v = g[x + n * (y + n * z)];
            return v < 0.47 ? 0 : v < 0.55 ? 1 : 2;
        });
    }

    @Test
    void identicalVolumesGiveZeroErrorsRatiosOneAndPass() {
        Volume v = randomThreePhase(24, 3);
        Comparison.Result r = Comparison.compare(v, v, Comparison.Options.defaults());
        assertTrue(r.pass(), () -> r.failures().toString());
        assertEquals(3, r.phases().size());
        assertEquals(6, r.maxDistance());
        for (Comparison.PhaseResult p : r.phases()) {
            assertEquals(0.0, p.volumeFractionError());
            assertEquals(new Comparison.PerAxis(0, 0, 0), p.s2Rmse());
            assertEquals(1.0, p.surfaceAreaRatio());
            assertEquals(1.0, p.faceCountSurfaceRatio());
            assertEquals(new Comparison.PerAxis(1, 1, 1), p.tortuosityRatio());
            assertEquals(new Comparison.PerAxis(0, 0, 0), p.chordLengthDistance());
            assertTrue(p.failures().isEmpty());
        }
    }

    @Test
    void cubeLatticesOfDifferentSolidFractionGiveTheAnalyticFigures() {
        Volume reference = cubes(32, 4, 2); // solid fraction (4/8)^3 = 8/64
        Volume candidate = cubes(32, 6, 1); // (6/8)^3 = 27/64
        Comparison.Result r = Comparison.compare(reference, candidate, Comparison.Options.defaults());
        assertFalse(r.pass());
        Comparison.PhaseResult pore = r.phases().get(0);
        Comparison.PhaseResult solid = r.phases().get(1);
        assertEquals(8.0 / 64, solid.referenceFraction());
        assertEquals(27.0 / 64, solid.candidateFraction());
        assertEquals(19.0 / 64, solid.volumeFractionError(), 1e-15);
        assertEquals(-19.0 / 64, pore.volumeFractionError(), 1e-15);
        // 64 cubes of 6 a^2 faces each: (6 * 36) / (6 * 16)
        assertEquals(2.25, solid.faceCountSurfaceRatio(), 1e-12);
        assertEquals(2.25, pore.faceCountSurfaceRatio(), 1e-12);
        // every solid chord is 4 voxels in the reference and 6 in the candidate; every interior pore chord 4 and 2
        assertEquals(new Comparison.PerAxis(1, 1, 1), solid.chordLengthDistance());
        assertEquals(new Comparison.PerAxis(1, 1, 1), pore.chordLengthDistance());
        // isolated cubes percolate in neither volume: ratio 1 by definition; the pore percolates in both
        assertEquals(new Comparison.PerAxis(1, 1, 1), solid.tortuosityRatio());
        assertTrue(Double.isInfinite(solid.referenceTortuosity().x()));
        double tauRef = Tortuosity.solve(reference, 0, Axis.Y, Comparison.Options.defaults().conductivity()).tau();
        double tauCand = Tortuosity.solve(candidate, 0, Axis.Y, Comparison.Options.defaults().conductivity()).tau();
        assertEquals(tauCand / tauRef, pore.tortuosityRatio().y(), 1e-12);
        assertTrue(pore.tortuosityRatio().y() > 1.05, "a narrower pore is more tortuous: " + pore.tortuosityRatio());
        assertTrue(solid.failures().get(0).startsWith("volume fraction error +0.2969 outside +-0.01"),
                solid.failures().toString());
        assertTrue(r.failures().get(0).startsWith("phase 0: volume fraction error -0.2969"), r.failures().toString());
    }

    @Test
    void s2RmseAgreesWithABruteForceRecomputation() {
        Volume reference = cubes(20, 4, 2);
        Volume candidate = randomThreePhase(20, 5);
        Comparison.Result r = Comparison.compare(reference, candidate,
                Comparison.Options.defaults().withTortuosity(false).withMaxDistance(7));
        assertEquals(7, r.maxDistance());
        for (Comparison.PhaseResult p : r.phases()) {
            TwoPointCorrelation.Options o = new TwoPointCorrelation.Options(false, 7);
            TwoPointCorrelation.Result a = TwoPointCorrelation.bruteForce(reference, p.phase(), o);
            TwoPointCorrelation.Result b = TwoPointCorrelation.bruteForce(candidate, p.phase(), o);
            for (Axis axis : Axis.values()) {
                double[] x = a.along(axis).value();
                double[] y = b.along(axis).value();
                double s = 0;
                for (int i = 0; i < 8; i++) {
                    s += (x[i] - y[i]) * (x[i] - y[i]);
                }
                assertEquals(Math.sqrt(s / 8), p.s2Rmse().along(axis), 1e-12, "phase " + p.phase() + " " + axis);
            }
            assertNull(p.tortuosityRatio());
        }
        // label 2 is absent from the reference: its error is the candidate's whole fraction, its surface ratio
        // infinite
        Comparison.PhaseResult cbd = r.phases().get(2);
        assertEquals(2, cbd.phase());
        assertEquals(candidate.labelCounts()[2] / 8000.0, cbd.volumeFractionError(), 1e-15);
        assertEquals(Double.POSITIVE_INFINITY, cbd.surfaceAreaRatio());
    }

    @Test
    void candidatesOfAnotherSizeAreComparedByIntensiveFigures() {
        Volume reference = cubes(32, 4, 2);
        Volume candidate = cubes(64, 4, 2).withVoxelSize(VoxelSize.isotropic(0.5));
        Comparison.Result r = Comparison.compare(reference.withVoxelSize(VoxelSize.isotropic(1)), candidate,
                Comparison.Options.defaults().withTortuosity(false));
        assertTrue(r.voxelSizesDiffer());
        assertEquals(8, r.maxDistance(), "the smaller volume's automatic lag, 32 / 4");
        for (Comparison.PhaseResult p : r.phases()) {
            assertEquals(0.0, p.volumeFractionError());
            assertEquals(1.0, p.faceCountSurfaceRatio(), 1e-12, "specific, in voxels: the voxel sizes are ignored");
        }
    }

    @Test
    void reusedStatisticsAndPoolingGiveTheSameResultsAsDirectComparison() {
        Comparison.Options o = Comparison.Options.defaults().withTortuosity(false).withPhases(0, 1);
        Volume a = cubes(32, 4, 2);
        Volume b = cubes(32, 6, 1);
        Comparison.Statistics sa = Comparison.statistics(a, o);
        Comparison.Statistics sb = Comparison.statistics(b, o);
        assertEquals(Comparison.compare(a, b, o), Comparison.compare(sa, sb, o));
        Comparison.Statistics pooled = Comparison.pool(List.of(sa, sb));
        assertEquals(2, pooled.samples());
        assertEquals((8.0 / 64 + 27.0 / 64) / 2, pooled.phase(1).volumeFraction(), 1e-15);
        assertEquals((sa.phase(1).s2()[0][3] + sb.phase(1).s2()[0][3]) / 2, pooled.phase(1).s2()[0][3], 1e-15);
        assertEquals(sa.phase(1).chordCounts()[2][4] + sb.phase(1).chordCounts()[2][4],
                pooled.phase(1).chordCounts()[2][4]);
        // an ensemble of one volume twice is that volume
        Comparison.Result self = Comparison.compare(sa, Comparison.pool(List.of(sa, sa)), o);
        assertTrue(self.pass());
        assertEquals(0.0, self.phases().get(1).volumeFractionError());
    }

    @Test
    void kolmogorovSmirnovAndTortuosityRatioTables() {
        assertEquals(0.5, Comparison.kolmogorovSmirnov(new long[] {0, 1, 1}, new long[] {0, 2}), 1e-15);
        assertEquals(0.0, Comparison.kolmogorovSmirnov(new long[] {0, 3, 1}, new long[] {0, 6, 2, 0, 0}), 1e-15);
        assertEquals(0.0, Comparison.kolmogorovSmirnov(new long[3], new long[5]));
        assertEquals(1.0, Comparison.kolmogorovSmirnov(new long[] {0, 1}, new long[5]));
        double inf = Double.POSITIVE_INFINITY;
        assertEquals(1.0, Comparison.tortuosityRatio(inf, inf));
        assertEquals(0.0, Comparison.tortuosityRatio(inf, 2));
        assertEquals(inf, Comparison.tortuosityRatio(2, inf));
        assertEquals(1.5, Comparison.tortuosityRatio(2, 3));
        assertEquals(Math.sqrt(2.5), Comparison.rmse(new double[] {1, 2, 3, 4}, new double[] {0, 0}), 1e-15);
    }

    @Test
    void badOptionsAndInputsAreRefusedWithTheValue() {
        Comparison.Options d = Comparison.Options.defaults();
        List<Supplier<Object>> bad = List.of(
                () -> d.withTolerances(-0.01, 0.005, 0.05),
                () -> d.withTolerances(0.01, Double.NaN, 0.05),
                () -> d.withTolerances(0.01, 0.005, Double.POSITIVE_INFINITY),
                () -> d.withPhases(),
                () -> d.withPhases(256),
                () -> d.withMaxDistance(-1),
                () -> d.withConductivity(null),
                () -> Comparison.compare((Volume) null, cubes(8, 4, 2), d),
                () -> Comparison.compare(cubes(8, 4, 2), cubes(8, 4, 2), null),
                () -> Comparison.pool(List.of()));
        for (Supplier<Object> s : bad) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, s::get);
            assertFalse(e.getMessage().isBlank());
        }
        assertTrue(assertThrows(IllegalArgumentException.class, () -> d.withTolerances(-0.01, 0, 0)).getMessage()
                .contains("-0.01"));
        // statistics without tortuosity cannot be compared with tortuosity asked for
        Comparison.Statistics s = Comparison.statistics(cubes(16, 4, 2), d.withTortuosity(false));
        assertThrows(IllegalArgumentException.class, () -> Comparison.compare(s, s, d));
        // a phase present but not measured is an error, not a silent zero
        Comparison.Statistics only0 = Comparison.statistics(cubes(16, 4, 2), d.withTortuosity(false).withPhases(0));
        assertTrue(assertThrows(IllegalArgumentException.class,
                () -> Comparison.compare(only0, only0, d.withTortuosity(false).withPhases(1))).getMessage()
                .contains("phase 1"));
    }
}
