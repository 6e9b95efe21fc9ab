package dev.microforge.evaluator.morphology;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.microforge.datasets.Axis;
import dev.microforge.datasets.Volume;
import dev.microforge.datasets.VoxelSize;
import dev.microforge.evaluator.morphology.ChordLength.Borders;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class LinealPathAndChordLengthTest {
    private static final int BOX = 160;
    private static final double RADIUS = 6;
    private static final int SPHERES = 3138; // void fraction exp(-n 4/3 pi R^3) ~ 0.5
    private static Volume boolean160;

    @BeforeAll
    static void booleanModel() {
        boolean160 = TestVolumes.booleanSpheres(BOX, RADIUS, SPHERES, 20240611L);
    }

    /** Brute force L(r): fraction of placements of r + 1 consecutive voxels along the axis that are all phase. */
    private static double bruteLinealPath(Volume v, int phase, Axis axis, int r, boolean periodic) {
        int n = v.size(axis);
        long hits = 0;
        long places = 0;
        for (int z = 0; z < v.nz(); z++) {
            for (int y = 0; y < v.ny(); y++) {
                for (int x = 0; x < v.nx(); x++) {
                    int start = axis == Axis.X ? x : axis == Axis.Y ? y : z;
                    if (!periodic && start + r >= n) {
                        continue;
                    }
                    places++;
                    boolean all = true;
                    for (int k = 0; k <= r && all; k++) {
                        int c = (start + k) % n;
                        int label = axis == Axis.X ? v.get(c, y, z) : axis == Axis.Y ? v.get(x, c, z) : v.get(x, y, c);
                        all = label == phase;
                    }
                    hits += all ? 1 : 0;
                }
            }
        }
        return (double) hits / places;
    }

    @ParameterizedTest
    @EnumSource(Axis.class)
    void linealPathEqualsBruteForceOnRandomVolumes(Axis axis) {
        Volume v = TestVolumes.random(11, 7, 13, 0.75, 3 + axis.ordinal());
        for (boolean periodic : new boolean[] {false, true}) {
            LinealPath.AxisResult r = LinealPath.along(v, new int[] {1}, axis,
                    new LinealPath.Options(100, periodic));
            assertEquals(v.size(axis), r.probability().length, "maxLength clamps to n - 1");
            assertEquals(v.labelCounts()[1] / (double) v.voxelCount(), r.at(0), 1e-12, "L(0) = phi");
            for (int len = 0; len < v.size(axis); len++) {
                assertEquals(bruteLinealPath(v, 1, axis, len, periodic), r.at(len), 1e-12,
                        "L(" + len + ") periodic=" + periodic);
            }
        }
    }

    @Test
    void linealPathOfStripesAndFullLines() {
        // Given stripes along x with period 4 (phase at x mod 4 in {0, 1}) on a 12-voxel line, and a full block
        Volume v = Volume.generate(12, 3, 8, (x, y, z) -> x % 4 < 2 ? 1 : 0);
        LinealPath.Result r = LinealPath.compute(v, 1, new LinealPath.Options(5, true));
        assertArrayEquals(new double[] {0.5, 0.25, 0, 0, 0, 0}, r.x().probability(), 1e-12);
        assertArrayEquals(new double[] {0.5, 0.5, 0.5, 0.5, 0.5, 0.5}, r.z().probability(), 1e-12);
        Volume full = Volume.filled(6, 6, 6, 1).withVoxelSize(VoxelSize.isotropic(0.5));
        LinealPath.Result f = LinealPath.compute(full, 1, LinealPath.Options.defaults());
        assertArrayEquals(new double[] {1, 1, 1, 1}, f.along(Axis.Y).probability(), 1e-12);
        assertEquals(1.5, f.y().distance(3), 1e-12);
    }

    @Test
    void linealPathOfTheVoidOfOverlappingSpheresMatchesTorquatosClosedForm() {
        // L(z) = exp(-n (4/3 pi R^3 + pi R^2 z)) for the matrix of a Boolean model of spheres (Lu and Torquato 1992);
        // on the lattice the swept volume per unit step is that of two unit-spaced balls minus one (~ pi R^2).
        double n = SPHERES / Math.pow(BOX, 3);
        double ball = 4.0 / 3 * Math.PI * Math.pow(RADIUS, 3);
        double perStep = ball - lens(RADIUS, 1);
        assertEquals(Math.PI * RADIUS * RADIUS, perStep, 0.01 * perStep);
        LinealPath.Result r = LinealPath.compute(boolean160, 0, new LinealPath.Options(24, true));
        for (Axis axis : Axis.values()) {
            for (int z = 0; z <= 24; z += 4) {
                double expected = Math.exp(-n * (ball + perStep * z));
                assertEquals(expected, r.along(axis).at(z), 0.04 * expected, axis + " L(" + z + ")");
            }
        }
    }

    /** Volume of the intersection of two balls of radius R at distance d. */
    private static double lens(double radius, double d) {
        return Math.PI * (4 * radius + d) * Math.pow(2 * radius - d, 2) / 12;
    }

    @Test
    void meanVoidChordOfOverlappingSpheresMatchesTheExponentialLaw() {
        // Continuum: void chords are exponential with mean l = 1 / (n pi R^2) (Torquato and Lu 1993). On the
        // lattice a run is counted per void -> solid transition between neighbours, so the expected mean run is
        // phi / (phi - S2(1)) with S2(1) = exp(-n V(two balls at distance 1)), i.e. about l + 1/2 voxel.
        double n = SPHERES / Math.pow(BOX, 3);
        double ball = 4.0 / 3 * Math.PI * Math.pow(RADIUS, 3);
        double phi = Math.exp(-n * ball);
        double s2 = Math.exp(-n * (2 * ball - lens(RADIUS, 1)));
        double lattice = phi / (phi - s2);
        double continuum = 1 / (n * Math.PI * RADIUS * RADIUS);
        assertEquals(continuum + 0.5, lattice, 0.01 * lattice);
        for (Axis axis : Axis.values()) {
            ChordLength.Result c = ChordLength.distribution(boolean160, 0, axis, new ChordLength.Options(
                    Borders.PERIODIC));
            assertEquals(lattice, c.meanVoxels(), 0.02 * lattice, axis + " mean void chord");
            assertEquals(continuum, c.meanVoxels(), 0.06 * continuum, axis + " vs continuum");
            // exponential: P(l) ratio over 10 voxels ~ exp(-10 / l)
            double[] p = c.probability();
            double ratio = (p[5] + p[6] + p[7]) / (p[15] + p[16] + p[17]);
            assertEquals(Math.exp(10 / (lattice - 0.5)), ratio, 0.1 * ratio, axis + " exponential tail");
        }
    }

    @Test
    void chordsOfAKnownLineUnderEachBorderRule() {
        // x: 1 1 0 1 1 1 0 1 0 1  -> interior chords 3 and 1; border chords 2 (start) and 1 (end); periodic joins 1+2
        int[] line = {1, 1, 0, 1, 1, 1, 0, 1, 0, 1};
        Volume v = Volume.generate(10, 1, 1, (x, y, z) -> line[x]).withVoxelSize(new VoxelSize(0.25, 1, 1));
        ChordLength.Result ex = ChordLength.distribution(v, 1, Axis.X, ChordLength.Options.defaults());
        assertEquals(2, ex.chords());
        assertEquals(2.0, ex.meanVoxels(), 1e-12);
        assertEquals(0.5, ex.meanMicrometres(), 1e-12);
        assertEquals(1, ex.counts()[3]);
        assertEquals(1, ex.counts()[1]);
        assertEquals((9 + 1) / 4.0, ex.lengthWeightedMeanVoxels(), 1e-12);
        ChordLength.Result in = ChordLength.distribution(v, 1, Axis.X, new ChordLength.Options(Borders.INCLUDE));
        assertEquals(4, in.chords());
        assertEquals(7 / 4.0, in.meanVoxels(), 1e-12);
        ChordLength.Result per = ChordLength.distribution(v, 1, Axis.X, new ChordLength.Options(Borders.PERIODIC));
        assertEquals(3, per.chords());
        assertEquals(2, per.counts()[3]);
        assertEquals(1, per.counts()[1]);
        // along y every line has one voxel: single-voxel chords touching both ends
        ChordLength.Result y = ChordLength.distribution(v, 1, Axis.Y, new ChordLength.Options(Borders.INCLUDE));
        assertEquals(7, y.chords());
        ChordLength.Result yp = ChordLength.distribution(v, 1, Axis.Y, new ChordLength.Options(Borders.PERIODIC));
        assertEquals(0, yp.chords());
        assertEquals(7, yp.unboundedLines());
        assertTrue(Double.isNaN(yp.meanVoxels()));
    }

    @Test
    void chordsAlongEachAxisOfARandomVolumeAgreeWithPermutedVolumes() {
        // chords along y of v equal chords along x of v with y and x swapped
        Volume v = TestVolumes.random(9, 14, 11, 0.6, 77);
        for (Borders b : Borders.values()) {
            ChordLength.Options o = new ChordLength.Options(b);
            assertArrayEquals(ChordLength.distribution(v.permute(Axis.Y, Axis.X, Axis.Z), 1, Axis.X, o).counts(),
                    ChordLength.distribution(v, 1, Axis.Y, o).counts(), b.name());
            assertArrayEquals(ChordLength.distribution(v.permute(Axis.Z, Axis.Y, Axis.X), 1, Axis.X, o).counts(),
                    ChordLength.distribution(v, 1, Axis.Z, o).counts(), b.name());
        }
    }

    @Test
    void badOptionsAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> new LinealPath.Options(-1, false));
        assertThrows(IllegalArgumentException.class, () -> new ChordLength.Options(null));
        Volume v = Volume.filled(3, 3, 3, 0);
        assertThrows(IllegalArgumentException.class, () -> ChordLength.distribution(v, 0, null,
                ChordLength.Options.defaults()));
        assertThrows(IllegalArgumentException.class, () -> LinealPath.compute(v, new int[0],
                LinealPath.Options.defaults()));
    }
}
