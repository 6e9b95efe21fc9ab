package dev.microforge.evaluator.morphology;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.microforge.datasets.Axis;
import dev.microforge.datasets.Volume;
import dev.microforge.datasets.VolumeBuilder;
import dev.microforge.datasets.VoxelSize;
import dev.microforge.evaluator.morphology.ConnectedComponents.Connectivity;
import dev.microforge.evaluator.morphology.ParticleStatistics.Particle;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ForkJoinPool;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class ParticleSeparationTest {

    private static Volume twoOverlappingBalls() {
        VolumeBuilder b = VolumeBuilder.create(48, 32, 32);
        TestVolumes.paintBall(b, 18, 16, 16, 8, false);
        TestVolumes.paintBall(b, 30, 16, 16, 8, false);
        return b.build();
    }

    @ParameterizedTest
    @EnumSource(value = Connectivity.class, names = {"FACES", "CORNERS"})
    void twoOverlappingBallsSeparateIntoTwoEqualParticles(Connectivity connectivity) {
        Volume v = twoOverlappingBalls();
        ParticleSeparation.Result r = ParticleSeparation.watershed(v, 1,
                new ParticleSeparation.Options(0.4, 4, true, connectivity, false));
        assertEquals(2, r.count());
        int a = r.labels()[v.index(18, 16, 16)];
        int b = r.labels()[v.index(30, 16, 16)];
        assertNotEquals(a, b);
        ParticleStatistics.Result s = ParticleStatistics.of(r, ParticleStatistics.Options.defaults());
        long va = s.particles().get(0).voxels();
        long vb = s.particles().get(1).voxels();
        assertEquals(v.labelCounts()[1], va + vb);
        // the mid-plane voxels are equidistant from both centres: the tie rule (first queued) gives the whole plane to
        // one particle, so the volumes differ by at most that plane's cross-section
        long midPlane = 0;
        for (int z = 0; z < v.nz(); z++) {
            for (int y = 0; y < v.ny(); y++) {
                midPlane += v.get(24, y, z);
            }
        }
        assertTrue(Math.abs(va - vb) <= midPlane, "volumes " + va + " vs " + vb + ", mid-plane " + midPlane);
        assertEquals(1.0, (double) va / vb, 0.05, "volumes " + va + " vs " + vb);
        // the cut is the mid-plane x = 24 (give or take the tie voxels on it)
        assertEquals(a, r.labels()[v.index(22, 16, 16)]);
        assertEquals(b, r.labels()[v.index(26, 16, 16)]);
        assertEquals(18, s.particles().get(a - 1).centroid()[0], 0.6);
    }

    @Test
    void anEllipsoidGivesItsSemiAxesAndOrientation() {
        // semi-axes (12, 6, 4) along x, y, z
        Volume v = ellipsoid(40, 24, 20, new double[] {20, 12, 10}, new double[][] {{1, 0, 0}, {0, 1, 0}},
                new double[] {12, 6, 4});
        ParticleSeparation.Result r = ParticleSeparation.watershed(v, 1, ParticleSeparation.Options.defaults());
        assertEquals(1, r.count());
        Particle p = ParticleStatistics.of(r, ParticleStatistics.Options.defaults()).particles().get(0);
        assertEquals(12, p.semiAxes()[0], 0.4);
        assertEquals(6, p.semiAxes()[1], 0.3);
        assertEquals(4, p.semiAxes()[2], 0.3);
        assertEquals(3.0, p.semiAxes()[0] / p.semiAxes()[2], 0.15);
        assertEquals(1.5, p.semiAxes()[1] / p.semiAxes()[2], 0.1);
        assertEquals(1.0, p.majorAxis()[0], 1e-6);
        assertEquals(0.0, p.angleTo(Axis.X), 0.1);
        assertEquals(90.0, p.angleTo(Axis.Z), 0.1);
        assertArrayEquals(new double[] {20, 12, 10}, p.centroid(), 1e-9);
        // Wadell sphericity of the (12, 6, 4) ellipsoid, area by Thomsen's formula (error < 1.1 %): 0.865
        double q = 1.6075;
        double area = 4 * Math.PI * Math.pow((Math.pow(72, q) + Math.pow(48, q) + Math.pow(24, q)) / 3, 1 / q);
        double volume = 4.0 / 3 * Math.PI * 12 * 6 * 4;
        double expected = Math.cbrt(Math.PI) * Math.pow(6 * volume, 2.0 / 3) / area;
        assertEquals(0.865, expected, 0.005);
        assertEquals(expected, p.sphericity(), 0.06, "face-count sphericity");
    }

    @Test
    void aTiltedEllipsoidReportsItsTiltedMajorAxis() {
        double c = Math.sqrt(0.5);
        Volume v = ellipsoid(40, 40, 20, new double[] {20, 20, 10}, new double[][] {{c, c, 0}, {-c, c, 0}},
                new double[] {12, 5, 4}).withVoxelSize(VoxelSize.isotropic(0.5));
        ParticleStatistics.Result s = ParticleStatistics.of(ConnectedComponents.label(v, 1,
                ConnectedComponents.Options.defaults()), v.voxelSize(), ParticleStatistics.Options.defaults());
        Particle p = s.particles().get(0);
        assertTrue(s.inMicrometres());
        assertEquals(6, p.semiAxes()[0], 0.2); // 12 voxels of 0.5 um
        assertEquals(45, p.angleTo(Axis.X), 1.0);
        assertEquals(45, p.angleTo(Axis.Y), 1.0);
        assertEquals(0, p.majorAxis()[2], 0.01);
    }

    /** A solid ellipsoid with centre c, first two axis directions e1, e2 (the third is their cross product). */
    private static Volume ellipsoid(int nx, int ny, int nz, double[] c, double[][] e, double[] semi) {
        double[] e3 = {e[0][1] * e[1][2] - e[0][2] * e[1][1], e[0][2] * e[1][0] - e[0][0] * e[1][2],
            e[0][0] * e[1][1] - e[0][1] * e[1][0]};
        double[][] axes = {e[0], e[1], e3};
        return Volume.generate(nx, ny, nz, (x, y, z) -> {
            double[] p = {x - c[0], y - c[1], z - c[2]};
            double q = 0;
            for (int a = 0; a < 3; a++) {
                double t = (p[0] * axes[a][0] + p[1] * axes[a][1] + p[2] * axes[a][2]) / semi[a];
                q += t * t;
            }
            return q <= 1 ? 1 : 0;
        });
    }

    @Test
    void aBallHasSphericityNearOneWithTheFaceCountCorrection() {
        VolumeBuilder b = VolumeBuilder.create(31, 31, 31);
        TestVolumes.paintBall(b, 15.3, 14.8, 15.1, 10, false);
        Volume v = b.build();
        Particle p = ParticleStatistics.of(ParticleSeparation.watershed(v, 1, ParticleSeparation.Options.defaults()),
                ParticleStatistics.Options.defaults()).particles().get(0);
        assertTrue(p.sphericity() > 0.9 && p.sphericity() < 1.1, "sphericity " + p.sphericity());
        assertEquals(20, p.equivalentDiameter(), 0.3);
        assertEquals(4 * Math.PI * 100, p.surfaceArea(), 0.1 * 4 * Math.PI * 100);
        assertEquals(1.0, p.aspectRatio(), 0.03);
        assertTrue(!p.touchesBorder());
    }

    @Test
    void separatedBallsOfARandomPackingAreFoundWithTheirDiameters() {
        // Given N non-touching balls with radii 3..7 placed by seeded rejection sampling
        Random rnd = new Random(42);
        int n = 72;
        List<double[]> balls = new ArrayList<>();
        while (balls.size() < 25) {
            double r = 3 + 4 * rnd.nextDouble();
            double[] c = {r + 1 + rnd.nextDouble() * (n - 2 * r - 2), r + 1 + rnd.nextDouble() * (n - 2 * r - 2),
                r + 1 + rnd.nextDouble() * (n - 2 * r - 2), r};
            boolean free = balls.stream().allMatch(o -> Math.hypot(Math.hypot(o[0] - c[0], o[1] - c[1]),
                    o[2] - c[2]) > o[3] + r + 2);
            if (free) {
                balls.add(c);
            }
        }
        VolumeBuilder b = VolumeBuilder.create(n, n, n);
        for (double[] c : balls) {
            TestVolumes.paintBall(b, c[0], c[1], c[2], c[3], false);
        }
        Volume v = b.build();
        ParticleSeparation.Result r = ParticleSeparation.watershed(v, 1, ParticleSeparation.Options.defaults());
        assertEquals(balls.size(), r.count());
        ParticleStatistics.Result s = ParticleStatistics.of(r, ParticleStatistics.Options.defaults());
        double[] expected = new double[balls.size()];
        for (int k = 0; k < balls.size(); k++) {
            double[] c = balls.get(k);
            int label = r.labels()[v.index((int) Math.round(c[0]), (int) Math.round(c[1]), (int) Math.round(c[2]))];
            assertEquals(2 * c[3], s.particles().get(label - 1).equivalentDiameter(), 0.06 * 2 * c[3],
                    "ball " + k);
            expected[k] = 2 * c[3];
        }
        // and the size distribution matches the true diameters
        ParticleSizeDistribution.Result psd = ParticleSizeDistribution.of(s, ParticleSizeDistribution.Options
                .defaults());
        ParticleSizeDistribution.Result truth = ParticleSizeDistribution.of(expected, false,
                ParticleSizeDistribution.Options.defaults());
        assertEquals(truth.numberD50(), psd.numberD50(), 0.3);
        assertEquals(truth.volumeD50(), psd.volumeD50(), 0.3);
        assertEquals(truth.volumeD90(), psd.volumeD90(), 0.3);
    }

    @Test
    void labelsDoNotDependOnTheThreadCount() throws Exception {
        Volume v = TestVolumes.booleanSpheres(48, 5, 60, 9);
        ParticleSeparation.Result common = ParticleSeparation.watershed(v, 1, ParticleSeparation.Options.defaults());
        ForkJoinPool single = new ForkJoinPool(1);
        try {
            ParticleSeparation.Result one = single.submit(() -> ParticleSeparation.watershed(v, 1,
                    ParticleSeparation.Options.defaults())).get();
            assertEquals(common.count(), one.count());
            assertArrayEquals(common.labels(), one.labels());
        } finally {
            single.shutdown();
        }
        assertTrue(common.count() > 10, "count " + common.count());
        // every phase voxel is labelled, no other
        for (int i = 0; i < common.labels().length; i++) {
            assertEquals(v.get(i) == 1, common.labels()[i] > 0, "voxel " + i);
        }
    }

    @Test
    void sizeDistributionWeightsAndQuantiles() {
        double[] d = {4, 1, 3, 2};
        ParticleSizeDistribution.Result r = ParticleSizeDistribution.of(d, true, new ParticleSizeDistribution
                .Options(4, false));
        assertEquals(2.5, r.numberD50(), 1e-12);
        assertEquals(2.5, r.meanDiameter(), 1e-12);
        assertArrayEquals(new double[] {0, 1, 2, 3, 4}, r.binEdges(), 1e-12);
        assertArrayEquals(new double[] {0, 0.25, 0.25, 0.5}, r.numberFractions(), 1e-12);
        assertArrayEquals(new double[] {0, 1 / 100.0, 8 / 100.0, 91 / 100.0}, r.volumeFractions(), 1e-12);
        assertEquals(1.0, r.cumulativeVolume()[3], 1e-12);
        assertTrue(r.volumeD50() > r.numberD50());
        // volume positions: 4 at (100 - 32) / 100 = 0.68 ... d50 between 3 (0.225 + ...) and 4
        assertEquals(3 + (0.5 - (36 - 13.5) / 100.0) / (0.68 - 0.225), r.volumeD50(), 1e-9);
        assertThrows(IllegalArgumentException.class, () -> ParticleSizeDistribution.of(new double[] {-1}, true,
                ParticleSizeDistribution.Options.defaults()));
        assertThrows(IllegalArgumentException.class, () -> new ParticleSizeDistribution.Options(0, false));
        assertTrue(Double.isNaN(ParticleSizeDistribution.of(new double[0], false,
                ParticleSizeDistribution.Options.defaults()).volumeD50()));
    }

    @Test
    void badInputIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> new ParticleSeparation.Options(-1, 4, true,
                Connectivity.CORNERS, false));
        assertThrows(IllegalArgumentException.class, () -> new ParticleSeparation.Options(0.4, 0, true,
                Connectivity.CORNERS, false));
        assertThrows(IllegalArgumentException.class, () -> new ParticleSeparation.Options(0.4, 4, true, null,
                false));
        assertThrows(IllegalArgumentException.class, () -> ParticleStatistics.of(new int[3], 2, 2, 2, 0, null,
                ParticleStatistics.Options.defaults()));
        int[] labels = new int[8];
        labels[3] = 5;
        assertThrows(IllegalArgumentException.class, () -> ParticleStatistics.of(labels, 2, 2, 2, 2, null,
                ParticleStatistics.Options.defaults()));
        ParticleSeparation.Result empty = ParticleSeparation.watershed(Volume.filled(5, 4, 3, 0), 1,
                ParticleSeparation.Options.defaults());
        assertEquals(0, empty.count());
        assertEquals(Arrays.toString(new int[60]), Arrays.toString(empty.labels()));
        // a phase filling the volume is one particle
        assertEquals(1, ParticleSeparation.watershed(Volume.filled(5, 4, 3, 1), 1,
                ParticleSeparation.Options.defaults()).count());
    }
}
