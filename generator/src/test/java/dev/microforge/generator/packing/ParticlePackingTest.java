package dev.microforge.generator.packing;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.microforge.datasets.Axis;
import dev.microforge.datasets.Volume;
import dev.microforge.generator.packing.ParticlePacking.Gradient;
import dev.microforge.generator.packing.ParticlePacking.Options;
import dev.microforge.generator.packing.ParticlePacking.Orientation;
import dev.microforge.generator.packing.ParticlePacking.Result;
import dev.microforge.generator.packing.ParticlePacking.Shape;
import java.util.Arrays;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class ParticlePackingTest {
    /** 64^3 voxels of 1 um, spheres of 10 um (10 voxels). */
    private static Options spheres(double target) {
        return Options.defaults().withVoxelSize(1).withSizes(new SizeDistribution.Fixed(10)).withTarget(target);
    }

    private static double fraction(Volume v, int label) {
        return v.labelCounts()[label] / (double) v.voxelCount();
    }

    @Test
    void monodisperseSpheresReachSixtyPercentWithoutScalingUp() {
        Result r = ParticlePacking.pack(spheres(0.60));
        assertTrue(r.converged(), "relaxation converged after " + r.sweeps() + " sweeps");
        assertEquals(0.60, r.solidFraction(), 0.01);
        assertEquals(r.solidFraction(), fraction(r.volume(), 1), 1e-12);
        // the packing itself reached 0.60 (analytic, non-overlapping up to the tolerance), not the final dilation
        assertTrue(r.analyticFraction() >= 0.595, "analytic " + r.analyticFraction());
        assertTrue(r.maxOverlap() <= 0.05, "max overlap " + r.maxOverlap() + " scale " + r.radiusScale());
    }

    @ParameterizedTest
    @ValueSource(doubles = {0.2, 0.3, 0.4, 0.5, 0.6})
    void hitsTargetFractionWithinOnePercent(double target) {
        Result r = ParticlePacking.pack(spheres(target).withBox(48, 48, 48).withSeed(7));
        assertEquals(target, r.solidFraction(), 0.01, "scale " + r.radiusScale());
        assertEquals(target, fraction(r.volume(), 1), 0.01);
        assertEquals(1.0, r.radiusScale(), 0.05);
    }

    @Test
    void sameSeedSameBytesOtherSeedOtherBytes() {
        Options o = spheres(0.4).withBox(40, 40, 40).withSeed(3);
        Volume a = ParticlePacking.pack(o).volume();
        Volume b = ParticlePacking.pack(o).volume();
        Volume c = ParticlePacking.pack(o.withSeed(4)).volume();
        assertArrayEquals(a.toArray(), b.toArray());
        assertFalse(Arrays.equals(a.toArray(), c.toArray()));
    }

    @Test
    void lognormalDiametersKeepMeanAndSd() {
        Options o = Options.defaults().withVoxelSize(0.5).withBox(80, 80, 80).withTarget(0.45)
                .withSizes(new SizeDistribution.Lognormal(4, 1));
        Result r = ParticlePacking.pack(o);
        double[] d = r.particles().stream().mapToDouble(Particle::equivalentDiameter).toArray();
        double mean = Arrays.stream(d).average().orElseThrow();
        double var = Arrays.stream(d).map(x -> (x - mean) * (x - mean)).sum() / (d.length - 1);
        assertTrue(d.length > 500, "particles " + d.length);
        assertEquals(4, mean, 0.04 * 4, "mean diameter over " + d.length + " particles");
        assertEquals(1, Math.sqrt(var), 0.08, "sd of diameters");
        assertEquals(0.45, r.solidFraction(), 0.01);
    }

    @Test
    void bimodalMixtureSplitsVolumeAsAsked() {
        SizeDistribution big = new SizeDistribution.Fixed(8);
        SizeDistribution small = new SizeDistribution.Fixed(3);
        Options o = Options.defaults().withVoxelSize(0.5).withTarget(0.5)
                .withSizes(new SizeDistribution.Bimodal(big, small, 0.7));
        Result r = ParticlePacking.pack(o);
        double vBig = 0;
        double vAll = 0;
        for (Particle p : r.particles()) {
            vAll += p.volume();
            if (p.equivalentDiameter() > 5) {
                vBig += p.volume();
            }
        }
        assertEquals(0.7, vBig / vAll, 0.05);
        assertEquals(0.5, r.solidFraction(), 0.01);
    }

    @Test
    void alignedEllipsoidsPointAlongTheAxis() {
        Options o = spheres(0.3).withBox(48, 48, 48).withShape(new Shape(2, 1, 1), Orientation.ALIGNED, Axis.X);
        Result r = ParticlePacking.pack(o);
        for (Particle p : r.particles()) {
            assertEquals(1.0, Math.abs(p.axis(0)[0]), 1e-12);
        }
        // Given the voxels, the principal axis of the solid's second moments of each particle lies along x:
        // here the global check: the mean chord length along x exceeds that along y and z
        double[] chords = meanChord(r.volume());
        assertTrue(chords[0] > 1.4 * chords[1] && chords[0] > 1.4 * chords[2], Arrays.toString(chords));
        assertEquals(0.3, r.solidFraction(), 0.01);
    }

    @Test
    void flakesLieInThePlaneNormalToThickness() {
        Options o = spheres(0.3).withBox(48, 48, 48).withShape(new Shape(2, 2, 0.5), Orientation.FLAKES, Axis.Z);
        Result r = ParticlePacking.pack(o);
        for (Particle p : r.particles()) {
            assertEquals(1.0, Math.abs(p.axis(2)[2]), 1e-12, "short axis along z");
        }
        double[] chords = meanChord(r.volume());
        assertTrue(chords[2] < 0.6 * chords[0] && chords[2] < 0.6 * chords[1], Arrays.toString(chords));
        assertEquals(0.3, r.solidFraction(), 0.01);
        assertTrue(r.maxOverlap() <= 0.05, "max overlap " + r.maxOverlap());
        assertEquals(1.0, r.radiusScale(), 0.01);
    }

    @Test
    void randomEllipsoidsRelaxWithoutOverlap() {
        Options o = spheres(0.45).withBox(48, 48, 48).withShape(new Shape(2, 1, 1), Orientation.RANDOM, Axis.Z);
        Result r = ParticlePacking.pack(o);
        assertTrue(r.converged(), "sweeps " + r.sweeps());
        assertEquals(0.45, r.solidFraction(), 0.01);
        assertTrue(r.maxOverlap() <= 0.05, "max overlap " + r.maxOverlap());
        // independent of the contact function: the voxel union holds (almost) the summed particle volume, so the
        // final dilation stays within 1 % (heavy overlaps would have needed a larger one)
        assertEquals(1.0, r.radiusScale(), 0.01);
    }

    @Test
    void periodicParticlesWrapAcrossFaces() {
        Result r = ParticlePacking.pack(spheres(0.4).withBox(40, 40, 40));
        Volume v = r.volume();
        // at least one particle sticks out of the low x face; its voxels reappear at the high x face
        int n = v.nx();
        long crossing = 0;
        for (Particle p : r.particles()) {
            if (p.x() < p.semiA() - 0.5) {
                crossing++;
                int y = (int) Math.floor(p.y());
                int z = (int) Math.floor(p.z());
                assertEquals(1, v.get(n - 1, y, z), "wrapped voxel of " + p);
            }
        }
        assertTrue(crossing > 0);
        // solid fraction of the two face layers is statistically the same as the bulk (no wall depletion)
        double bulk = r.solidFraction();
        assertEquals(bulk, faceFraction(v, 0), 0.1);
        assertEquals(bulk, faceFraction(v, n - 1), 0.1);
    }

    @Test
    void nonPeriodicBoxIsACutOutWithBulkDensityAtTheFaces() {
        Result r = ParticlePacking.pack(spheres(0.5).withBox(48, 48, 48).withPeriodic(false));
        Volume v = r.volume();
        assertEquals(0.5, r.solidFraction(), 0.01);
        assertEquals(1.0, r.radiusScale(), 0.02);
        long outside = 0;
        for (Particle p : r.particles()) {
            // every listed particle meets the box
            for (double c : new double[] {p.x(), p.y(), p.z()}) {
                assertTrue(c > -p.semiA() && c < 48 + p.semiA(), p.toString());
            }
            outside += p.x() < 0 || p.x() > 48 ? 1 : 0;
        }
        assertTrue(outside > 0, "particles centred outside the box are cut by its faces");
        // no wall layer: the face layers hold the bulk fraction, and the structure does not wrap
        assertEquals(r.solidFraction(), faceFraction(v, 0), 0.1);
        assertEquals(r.solidFraction(), faceFraction(v, 47), 0.1);
        long same = 0;
        for (int z = 0; z < 48; z++) {
            for (int y = 0; y < 48; y++) {
                same += v.get(0, y, z) == v.get(47, y, z) ? 1 : 0;
            }
        }
        assertTrue(same < 0.8 * 48 * 48, "opposite faces are not copies of each other: " + same);
    }

    @Test
    void fractionGradientRisesThroughThickness() {
        Options o = spheres(0.3).withVoxelSize(1).withSizes(new SizeDistribution.Fixed(6)).withBox(40, 40, 80)
                .withGradient(Axis.Z, Gradient.fraction(1.2)).withPeriodic(false);
        Result r = ParticlePacking.pack(o);
        double[] quarters = slabFractions(r.volume(), 4);
        for (int k = 1; k < 4; k++) {
            assertTrue(quarters[k] > quarters[k - 1], Arrays.toString(quarters));
        }
        assertTrue(quarters[3] - quarters[0] > 0.1, Arrays.toString(quarters));
        assertEquals(0.3, r.solidFraction(), 0.01);
    }

    @Test
    void sizeGradientGrowsParticlesThroughThickness() {
        Options o = spheres(0.4).withSizes(new SizeDistribution.Fixed(6)).withBox(40, 40, 90)
                .withGradient(Axis.Z, Gradient.size(1.0));
        Result r = ParticlePacking.pack(o);
        double[] sum = new double[3];
        int[] count = new int[3];
        for (Particle p : r.particles()) {
            int k = Math.min(2, (int) (3 * p.z() / 90));
            sum[k] += p.equivalentDiameter();
            count[k]++;
        }
        double[] mean = {sum[0] / count[0], sum[1] / count[1], sum[2] / count[2]};
        assertTrue(mean[0] < mean[1] && mean[1] < mean[2], Arrays.toString(mean));
        assertEquals(0.4, r.solidFraction(), 0.01);
    }

    @Test
    void labelsAreHonoured() {
        Result r = ParticlePacking.pack(spheres(0.3).withBox(32, 32, 32).withLabels(255, 7));
        assertEquals(Arrays.asList(7, 255), r.volume().labelHistogram().keySet().stream().toList());
        assertEquals(1.0, r.volume().voxelSize().dx(), 0);
    }

    @Test
    void listenerHearsEverySweep() {
        int[] calls = {0};
        double[] lastScale = {0};
        Result r = ParticlePacking.pack(spheres(0.4).withBox(32, 32, 32), (sweep, max, scale, overlap) -> {
            calls[0]++;
            lastScale[0] = scale;
        });
        assertEquals(r.sweeps() + (r.converged() ? 1 : 0), calls[0]);
        assertEquals(1.0, lastScale[0], 0);
    }

    @Test
    void rsaOnlyStillHitsTheTargetAtLowFraction() {
        Result r = ParticlePacking.pack(spheres(0.2).withBox(40, 40, 40).withRelaxation(0.01, 0));
        assertEquals(0, r.sweeps());
        assertEquals(0.2, r.solidFraction(), 0.01);
    }

    static Stream<Arguments> badOptions() {
        Options d = Options.defaults();
        return Stream.of(
                Arguments.of((Supplier<Object>) () -> d.withBox(0, 64, 64), "at least 1 voxel"),
                Arguments.of((Supplier<Object>) () -> d.withVoxelSize(0), "voxelSizeUm"),
                Arguments.of((Supplier<Object>) () -> d.withVoxelSize(Double.NaN), "voxelSizeUm"),
                Arguments.of((Supplier<Object>) () -> d.withTarget(0), "targetSolidFraction"),
                Arguments.of((Supplier<Object>) () -> d.withTarget(0.8), "0.74"),
                Arguments.of((Supplier<Object>) () -> d.withSizes(null), "must not be null"),
                Arguments.of((Supplier<Object>) () -> d.withShape(null, Orientation.RANDOM, Axis.Z), "must not be null"),
                Arguments.of((Supplier<Object>) () -> d.withRelaxation(0.6, 10), "overlapTolerance"),
                Arguments.of((Supplier<Object>) () -> d.withRelaxation(0.01, -1), "relaxationSweeps"),
                Arguments.of((Supplier<Object>) () -> d.withLabels(1, 1), "distinct"),
                Arguments.of((Supplier<Object>) () -> d.withLabels(256, 0), "0..255"),
                Arguments.of((Supplier<Object>) () -> d.withSizes(new SizeDistribution.Fixed(0.1)), "one voxel"),
                Arguments.of((Supplier<Object>) () -> d.withSizes(new SizeDistribution.Fixed(20)), "half"),
                Arguments.of((Supplier<Object>) () -> d.withBox(1, 1, 1), "half"),
                Arguments.of((Supplier<Object>) () -> d.withTarget(0.6).withGradient(Axis.Z, Gradient.fraction(1)),
                        "dense face"),
                Arguments.of((Supplier<Object>) () -> Gradient.size(2), "(-2, 2)"),
                Arguments.of((Supplier<Object>) () -> new Gradient(null, 0), "Gradient.NONE"),
                Arguments.of((Supplier<Object>) () -> new Shape(1, 0, 1), "positive"),
                Arguments.of((Supplier<Object>) () -> new Shape(30, 1, 1), "max/min"),
                Arguments.of((Supplier<Object>) () -> new SizeDistribution.Fixed(-1), "positive"),
                Arguments.of((Supplier<Object>) () -> new SizeDistribution.Lognormal(4, -1), "sdUm"),
                Arguments.of((Supplier<Object>) () -> new SizeDistribution.Table(new double[] {1, 2}, new double[] {1}),
                        "as many weights"),
                Arguments.of((Supplier<Object>) () -> new SizeDistribution.Table(new double[] {1}, new double[] {0}),
                        "all be zero"),
                Arguments.of((Supplier<Object>) () -> new SizeDistribution.Bimodal(null, null, 0.5), "two"),
                Arguments.of((Supplier<Object>) () -> new SizeDistribution.Bimodal(
                        new SizeDistribution.Fixed(1), new SizeDistribution.Fixed(2), 1.5), "[0, 1]"),
                Arguments.of((Supplier<Object>) () -> ParticlePacking.pack(null), "defaults()"));
    }

    @ParameterizedTest
    @MethodSource("badOptions")
    void badOptionsAreRefusedWithTheValueAndAFix(Supplier<Object> make, String expected) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, make::get);
        assertTrue(e.getMessage().contains(expected), e.getMessage());
    }

    @Test
    void tableDistributionDrawsItsDiameters() {
        SizeDistribution t = new SizeDistribution.Table(new double[] {4, 8}, new double[] {3, 1});
        assertEquals((3 * 64 + 512) / 4.0, t.meanCubedDiameter(), 1e-12);
        Result r = ParticlePacking.pack(Options.defaults().withVoxelSize(0.5).withTarget(0.4).withSizes(t));
        long small = r.particles().stream().filter(p -> p.equivalentDiameter() < 6).count();
        assertEquals(0.75, small / (double) r.particles().size(), 0.06);
        assertEquals(0.4, r.solidFraction(), 0.01);
    }

    @Tag("benchmark")
    @Test
    void benchmarkMonodisperseSpheresAt96() {
        Result r = ParticlePacking.pack(spheres(0.62).withBox(96, 96, 96));
        assertTrue(r.analyticFraction() >= 0.61, "analytic " + r.analyticFraction());
        assertTrue(r.maxOverlap() <= 0.02, "max overlap " + r.maxOverlap());
        assertEquals(0.62, r.solidFraction(), 0.01);
    }

    @Tag("benchmark")
    @Test
    void benchmarkTenThousandsOfParticles() {
        // about 16 000 spheres of 4 voxels at 0.55
        Result r = ParticlePacking.pack(Options.defaults().withVoxelSize(1).withBox(100, 100, 100).withTarget(0.55)
                .withSizes(new SizeDistribution.Fixed(4)));
        assertTrue(r.particles().size() > 10_000);
        assertTrue(r.converged(), "sweeps " + r.sweeps());
        assertEquals(0.55, r.solidFraction(), 0.01);
    }

    // --- helpers

    private static double faceFraction(Volume v, int x) {
        long s = 0;
        for (int z = 0; z < v.nz(); z++) {
            for (int y = 0; y < v.ny(); y++) {
                s += v.get(x, y, z) == 1 ? 1 : 0;
            }
        }
        return s / (double) (v.ny() * v.nz());
    }

    private static double[] slabFractions(Volume v, int slabs) {
        double[] f = new double[slabs];
        for (int z = 0; z < v.nz(); z++) {
            int k = z * slabs / v.nz();
            for (int y = 0; y < v.ny(); y++) {
                for (int x = 0; x < v.nx(); x++) {
                    f[k] += v.get(x, y, z) == 1 ? 1 : 0;
                }
            }
        }
        for (int k = 0; k < slabs; k++) {
            f[k] /= (double) v.nx() * v.ny() * v.nz() / slabs;
        }
        return f;
    }

    /** Mean length of solid runs along x, y and z. */
    private static double[] meanChord(Volume v) {
        double[] out = new double[3];
        int[] n = {v.nx(), v.ny(), v.nz()};
        for (int a = 0; a < 3; a++) {
            long runs = 0;
            long voxels = 0;
            int u = (a + 1) % 3;
            int w = (a + 2) % 3;
            for (int i = 0; i < n[u]; i++) {
                for (int j = 0; j < n[w]; j++) {
                    boolean in = false;
                    for (int k = 0; k < n[a]; k++) {
                        int[] c = new int[3];
                        c[a] = k;
                        c[u] = i;
                        c[w] = j;
                        boolean s = v.get(c[0], c[1], c[2]) == 1;
                        if (s) {
                            voxels++;
                            if (!in) {
                                runs++;
                            }
                        }
                        in = s;
                    }
                }
            }
            out[a] = voxels / (double) runs;
        }
        return out;
    }
}
