package dev.microforge.models.surrogate;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.microforge.datasets.Volume;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** Descriptors of volumes whose fractions and interfaces are known by construction; exact recovery of a linear law. */
class DescriptorBaselineTest {

    @Test
    void descriptorsOfTwoSlabsAreKnown() {
        int n = 8;
        // phase 0 below z = 3, phase 1 above: one interface plane of n² faces normal to z
        Volume v = Volume.generate(n, n, n, (x, y, z) -> z < 3 ? 0 : 1);
        double[] f = DescriptorBaseline.features(v, 3);
        assertEquals(DescriptorBaseline.featureCount(3), f.length);
        assertEquals(DescriptorBaseline.featureNames(3).size(), f.length);
        double none = Math.log(DescriptorBaseline.MIN_FACES);
        double eps = RenormalizedConductivity.CONTRAST;
        double[] expected = {1, 3.0 / 8, 5.0 / 8, 0, Math.log(3.0 / 8), Math.log(5.0 / 8),
            Math.log(DescriptorBaseline.MIN_FRACTION), 0, 0, 1.0 / n, 0, 0, 1.0 / n, 0, 0, 0,
            none, none, Math.log(1.0 / n), none, none, Math.log(1.0 / n), none, none, none,
            // geodesic: each slab runs straight along x and y, and neither joins z = 0 to z = n - 1
            0, 0, Math.log(GeodesicTortuosity.UNCONNECTED), 0, 0, Math.log(GeodesicTortuosity.UNCONNECTED),
            // critical radius: the layer farthest from the interface (the cube's face is no wall) lies 3 (pore) and
            // 5 (solid) voxel steps from the other phase
            Math.log(3), Math.log(3), Math.log(CriticalRadius.UNCONNECTED),
            Math.log(5), Math.log(5), Math.log(CriticalRadius.UNCONNECTED),
            // renormalised pore conductivity: prisms along x and y (arithmetic mean), layers across z (harmonic)
            Math.log(3.0 / 8 + 5.0 / 8 * eps), Math.log(3.0 / 8 + 5.0 / 8 * eps), -Math.log(3.0 / 8 + 5.0 / 8 / eps),
            // solid's minimum cut: a plane of 5 n faces along x and y, capped at n² / 8; none across z
            Math.log(MinimumCut.CAP), Math.log(MinimumCut.CAP), Math.log(MinimumCut.UNCONNECTED / (n * n))};
        assertArrayEquals(expected, f, 1e-12);
    }

    @Test
    void faceDensitiesSummedFromTheBoundaryChannelsEqualTheDirectCount() {
        SplittableRandom r = new SplittableRandom(8);
        Volume a = Volume.generate(16, 16, 16, (x, y, z) -> r.nextInt(3));
        Volume b = Volume.generate(16, 16, 16, (x, y, z) -> (x / 5 + y / 3 + z / 7) % 3);
        SurrogateArchitecture arch = new SurrogateArchitecture(3, 16, 4, 8, 8, 8, true);
        double[][] faces = new double[2][];
        new FirstLayer(List.of(member(arch)), arch).apply(List.of(a, b), faces);
        assertArrayEquals(SurrogateInput.faceDensities(a, 3), faces[0], 1e-6);
        assertArrayEquals(SurrogateInput.faceDensities(b, 3), faces[1], 1e-6);
        assertArrayEquals(DescriptorBaseline.features(b, 3), DescriptorBaseline.features(b, 3, faces[1]), 1e-6);
        // without boundary channels the densities are counted directly
        double[][] direct = new double[1][];
        SurrogateArchitecture plain = arch.withBoundaries(false);
        new FirstLayer(List.of(member(plain)), plain).apply(List.of(a), direct);
        assertArrayEquals(SurrogateInput.faceDensities(a, 3), direct[0], 0);
    }

    private static org.deeplearning4j.nn.multilayer.MultiLayerNetwork member(SurrogateArchitecture a) {
        return SurrogateNetwork.create(a, 1, 1, new org.nd4j.linalg.learning.config.NoOp(),
                org.nd4j.linalg.api.buffer.DataType.FLOAT);
    }


    @Test
    void aLinearLawInTheDescriptorsIsRecoveredAndUndefinedTargetsAreSkipped() {
        SplittableRandom r = new SplittableRandom(3);
        List<double[]> features = new ArrayList<>();
        List<double[]> targets = new ArrayList<>();
        List<Volume> volumes = new ArrayList<>();
        for (int i = 0; i < 80; i++) {
            double threshold = 0.2 + 0.6 * r.nextDouble();
            long seed = r.nextLong();
            SplittableRandom vr = new SplittableRandom(seed);
            byte[] labels = new byte[12 * 12 * 12];
            for (int j = 0; j < labels.length; j++) {
                double u = vr.nextDouble();
                labels[j] = (byte) (u < threshold ? 0 : u < threshold + 0.1 ? 2 : 1);
            }
            Volume v = Volume.of(12, 12, 12, labels);
            volumes.add(v);
            double[] f = DescriptorBaseline.features(v, 3);
            features.add(f);
            // property 0: -0.5 ln(phi_0) + 2 (faces of phase 1 along z); property 1 undefined for every 4th design
            double y0 = -0.5 * f[4] + 2 * f[12];
            double y1 = i % 4 == 0 ? Double.NaN : 3 * f[1] - 1;
            targets.add(new double[] {y0, y1});
        }
        DescriptorBaseline b = DescriptorBaseline.fit(3, features, targets, 0);
        for (int i = 0; i < volumes.size(); i++) {
            double[] p = b.predict(DescriptorBaseline.features(volumes.get(i), 3));
            assertEquals(targets.get(i)[0], p[0], 1e-6);
            if (i % 4 != 0) {
                assertEquals(targets.get(i)[1], p[1], 1e-6);
            }
        }
        // a strong ridge shrinks the fit towards the mean: the same law is no longer recovered exactly
        DescriptorBaseline shrunk = DescriptorBaseline.fit(3, features, targets, 10);
        double[] p = shrunk.predict(features.get(1));
        assertEquals(true, Math.abs(p[1] - targets.get(1)[1]) > 1e-3);
        assertThrows(IllegalArgumentException.class, () -> DescriptorBaseline.fit(3, features, targets.subList(0, 3), 0));
        assertThrows(IllegalArgumentException.class, () -> DescriptorBaseline.fit(3,
                features.stream().map(f -> java.util.Arrays.copyOf(f, f.length - 1)).toList(), targets, 0));
    }

    /**
     * Cross-validation picks the ridge the data call for: none for an exact linear law (recovered exactly), the
     * strongest for a target that is noise (the fit shrinks to the mean).
     */
    @Test
    void crossValidationChoosesTheRidgeTheDataCallFor() {
        SplittableRandom r = new SplittableRandom(11);
        List<double[]> features = new ArrayList<>();
        List<double[]> targets = new ArrayList<>();
        for (int i = 0; i < 60; i++) {
            SplittableRandom vr = new SplittableRandom(r.nextLong());
            double threshold = 0.3 + 0.4 * r.nextDouble();
            Volume v = Volume.generate(10, 10, 10, (x, y, z) -> vr.nextDouble() < threshold ? 0 : 1);
            double[] f = DescriptorBaseline.features(v, 2);
            features.add(f);
            targets.add(new double[] {2 * f[1] - 1, r.nextGaussian()});
        }
        DescriptorBaseline b = DescriptorBaseline.fit(2, features, targets, new double[] {0, 1e6}, 5);
        double mean = targets.stream().mapToDouble(t -> t[1]).average().orElseThrow();
        for (int i = 0; i < features.size(); i++) {
            double[] p = b.predict(features.get(i));
            assertEquals(targets.get(i)[0], p[0], 1e-6);
            assertEquals(mean, p[1], 1e-3);
        }
        // a single candidate is used as it is; bad candidates are refused
        DescriptorBaseline plain = DescriptorBaseline.fit(2, features, targets, new double[] {0}, 1);
        assertEquals(true, Math.abs(plain.predict(features.get(0))[1] - mean) > 1e-3);
        assertThrows(IllegalArgumentException.class,
                () -> DescriptorBaseline.fit(2, features, targets, new double[] {0, 1}, 1));
        assertThrows(IllegalArgumentException.class,
                () -> DescriptorBaseline.fit(2, features, targets, new double[] {-1}, 1));
    }

    /**
     * Baselines stored before the geodesic terms (1 + 8 phases descriptors), before the critical radii (1 + 8 phases
     * + 6), before the renormalised conductivities (1 + 8 phases + 12) and before the minimum cuts (1 + 8 phases +
     * 15) predict from their own descriptors, the leading ones of today's.
     */
    @Test
    void aBaselineOfAnEarlierVersionUsesItsOwnDescriptors() {
        Volume v = Volume.generate(8, 8, 8, (x, y, z) -> (x + 2 * y + z) % 3);
        double[] all = DescriptorBaseline.features(v, 3);
        for (int count : new int[] {DescriptorBaseline.legacyFeatureCount(3),
            DescriptorBaseline.geodesicFeatureCount(3), DescriptorBaseline.criticalFeatureCount(3),
            DescriptorBaseline.renormalizedFeatureCount(3)}) {
            double[] sd = new double[count];
            java.util.Arrays.fill(sd, 1);
            double[][] c = new double[1][count];
            c[0][1] = 2; // 2 phi_0
            c[0][count - 1] = 1; // + its last descriptor
            DescriptorBaseline old = new DescriptorBaseline(3, new double[count], sd, c);
            double[] d = old.descriptors(v);
            // the tasks a surrogate runs on its descriptor threads: no cuts for a baseline without them
            assertEquals(1, old.connectivityTasks(v).size());
            assertArrayEquals(old.connectivity(v), tasksJoined(old, v), 0);
            assertEquals(count, d.length);
            assertArrayEquals(java.util.Arrays.copyOf(all, count), d, 0);
            assertEquals(2 * v.labelCounts()[0] / 512.0 + all[count - 1], old.predict(d)[0], 1e-12);
            assertEquals(count, DescriptorBaseline.fit(3, List.of(d), List.of(new double[] {1}), 0).descriptors(v)
                    .length);
            assertThrows(IllegalArgumentException.class,
                    () -> new DescriptorBaseline(3, new double[count + 1], new double[count + 1], new double[0][]));
        }
        DescriptorBaseline current = DescriptorBaseline.fit(3, List.of(all), List.of(new double[] {1}), 0);
        assertEquals(DescriptorBaseline.featureCount(3), current.descriptors(v).length);
        assertEquals(4, current.connectivityTasks(v).size());
        assertArrayEquals(current.connectivity(v), tasksJoined(current, v), 0);
    }

    /** The connectivity descriptors by {@link DescriptorBaseline#connectivityTasks}, each task run here. */
    private static double[] tasksJoined(DescriptorBaseline b, Volume v) {
        List<double[]> parts = new ArrayList<>();
        for (java.util.concurrent.Callable<double[]> task : b.connectivityTasks(v)) {
            try {
                parts.add(task.call());
            } catch (Exception e) {
                throw new AssertionError(e);
            }
        }
        return DescriptorBaseline.joined(parts);
    }

    /**
     * The baseline's searches (shared bit rows of the pore and the solid up to an edge of 64, shared masks above)
     * give the same values as each descriptor computed on its own (masks built per set and axis), on random volumes
     * from sparse to dense.
     */
    @Test
    void sharedSearchesGiveWhatEachSearchGivesAlone() {
        for (int seed = 0; seed < 7; seed++) {
            SplittableRandom r = new SplittableRandom(seed);
            double pore = 0.2 + 0.1 * seed;
            int n = seed < 6 ? 10 + seed : 66; // the last beyond what bit rows hold: the searches on masks
            assertEquals(n <= BitRows.MAX_EDGE, BitRows.fits(n));
            Volume v = Volume.generate(n, n, n, (x, y, z) -> r.nextDouble() < pore ? 0 : 1 + r.nextInt(2));
            double[] expected = new double[12];
            byte[] labels = v.toArray();
            boolean[][] sets = {GeodesicTortuosity.PORE, GeodesicTortuosity.SOLID};
            for (int s = 0; s < 2; s++) {
                for (int a = 0; a < 3; a++) {
                    expected[3 * s + a] = GeodesicTortuosity.of(labels, n, sets[s], a);
                }
                System.arraycopy(CriticalRadius.of(labels, n, sets[s]), 0, expected, 6 + 3 * s, 3);
            }
            DescriptorBaseline b = DescriptorBaseline.fit(3, List.of(DescriptorBaseline.features(v, 3)),
                    List.of(new double[] {1}), 0);
            assertArrayEquals(expected, java.util.Arrays.copyOf(tasksJoined(b, v), 12), 0, "seed " + seed);
        }
    }

    /** Random descriptor vectors of a 2-phase baseline (constant first) and a noisy linear law in them. */
    private static List<double[]> randomFeatures(SplittableRandom r, int count, double spread) {
        List<double[]> out = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            double[] f = new double[DescriptorBaseline.featureCount(2)];
            f[0] = 1;
            for (int j = 1; j < f.length; j++) {
                f[j] = spread * gaussian(r) + 0.1 * j;
            }
            out.add(f);
        }
        return out;
    }

    private static double law(double[] f) {
        double y = 0.5;
        for (int j = 1; j < f.length; j++) {
            y += (j % 3 - 1) * 0.2 * f[j];
        }
        return y;
    }

    private static double gaussian(SplittableRandom r) {
        return dev.microforge.models.GaussianNoise.next(r);
    }

    /**
     * Without a ridge the predictive variance is the least-squares prediction interval {@code sigma^2 (1 + x^T
     * (X^T X)^-1 x)}, {@code sigma^2 = RSS / (n - k)}, as commons-math's independent OLS regression gives it.
     */
    @Test
    void predictiveVarianceIsTheLeastSquaresPredictionInterval() {
        SplittableRandom r = new SplittableRandom(21);
        List<double[]> features = randomFeatures(r, 90, 1);
        List<double[]> targets = new ArrayList<>();
        for (double[] f : features) {
            targets.add(new double[] {law(f) + 0.3 * gaussian(r)});
        }
        DescriptorBaseline b = DescriptorBaseline.fit(2, features, targets, 0);
        org.apache.commons.math3.stat.regression.OLSMultipleLinearRegression ols =
                new org.apache.commons.math3.stat.regression.OLSMultipleLinearRegression();
        double[][] x = features.stream().map(f -> java.util.Arrays.copyOfRange(f, 1, f.length)).toArray(double[][]::new);
        ols.newSampleData(targets.stream().mapToDouble(t -> t[0]).toArray(), x);
        double sigma2 = ols.estimateErrorVariance();
        double[][] v = ols.estimateRegressionParametersVariance();
        assertEquals(sigma2, b.noise()[0], 1e-6 * sigma2);
        for (double[] f : randomFeatures(r, 5, 3)) {
            double quad = 0;
            for (int i = 0; i < f.length; i++) {
                for (int j = 0; j < f.length; j++) {
                    quad += f[i] * v[i][j] * f[j]; // f[0] = 1 is the intercept's entry
                }
            }
            double expected = sigma2 * (1 + quad);
            assertEquals(expected, b.variance(f)[0], 1e-6 * expected);
        }
    }

    /** The rank-one update gives the ridge solution of the training rows plus the new one, solved directly. */
    @Test
    void anUpdateEqualsARefitWithTheDesignAdded() {
        SplittableRandom r = new SplittableRandom(5);
        List<double[]> features = randomFeatures(r, 60, 1);
        List<double[]> targets = new ArrayList<>();
        for (double[] f : features) {
            targets.add(new double[] {law(f) + 0.2 * gaussian(r), -law(f)});
        }
        double ridge = 0.05;
        DescriptorBaseline b = DescriptorBaseline.fit(2, features, targets, ridge);
        double[] added = randomFeatures(r, 1, 2).get(0);
        DescriptorBaseline u = b.updated(added, new double[] {4.0, Double.NaN});

        // direct: (X^T X + x x^T + lambda n I) c = X^T y + x y on the baseline's standardisation, n the training count
        int k = added.length;
        List<double[]> rows = new ArrayList<>(features);
        rows.add(added);
        double[][] a = new double[k][k];
        double[] rhs = new double[k];
        for (int i = 0; i < rows.size(); i++) {
            double[] z = standard(rows.get(i), b);
            double y = i < features.size() ? targets.get(i)[0] : 4.0;
            for (int p = 0; p < k; p++) {
                rhs[p] += z[p] * y;
                for (int q = 0; q < k; q++) {
                    a[p][q] += z[p] * z[q];
                }
            }
        }
        for (int p = 1; p < k; p++) {
            a[p][p] += (ridge + 1e-9) * features.size();
        }
        org.apache.commons.math3.linear.DecompositionSolver solver =
                new org.apache.commons.math3.linear.LUDecomposition(
                        new org.apache.commons.math3.linear.Array2DRowRealMatrix(a)).getSolver();
        double[] c = solver.solve(new org.apache.commons.math3.linear.ArrayRealVector(rhs)).toArray();
        double[][] inverse = solver.getInverse().getData();
        for (double[] f : randomFeatures(r, 4, 2)) {
            double[] z = standard(f, b);
            double direct = 0;
            double quad = 0;
            for (int p = 0; p < k; p++) {
                direct += c[p] * z[p];
                for (int q = 0; q < k; q++) {
                    quad += z[p] * inverse[p][q] * z[q];
                }
            }
            assertEquals(direct, u.predict(f)[0], 1e-8);
            assertEquals(b.noise()[0] * (1 + quad), u.variance(f)[0], 1e-8 * u.variance(f)[0]);
            // nothing measured for property 1: unchanged
            assertEquals(b.predict(f)[1], u.predict(f)[1], 0);
            assertEquals(b.variance(f)[1], u.variance(f)[1], 0);
        }
        // the measured design is now predicted closer to its value, with less variance there
        assertTrue(Math.abs(u.predict(added)[0] - 4) < Math.abs(b.predict(added)[0] - 4));
        assertTrue(u.variance(added)[0] < b.variance(added)[0]);
        assertThrows(IllegalArgumentException.class, () -> b.updated(added, new double[] {1}));
    }

    private static double[] standard(double[] f, DescriptorBaseline b) {
        double[] z = new double[f.length];
        z[0] = 1;
        for (int j = 1; j < f.length; j++) {
            z[j] = (f[j] - b.mean()[j]) / b.sd()[j];
        }
        return z;
    }

    /**
     * On designs drawn like the training ones, the predictive sd is calibrated: standardised held-out errors have a
     * mean square near 1 and about 95 % fall within 1.96 sd; a design far outside the training designs gets a larger
     * sd than a typical one.
     */
    @Test
    void theBaselinesSdIsCalibratedOnHeldOutDesigns() {
        SplittableRandom r = new SplittableRandom(17);
        double noise = 0.3;
        List<double[]> train = randomFeatures(r, 240, 1);
        List<double[]> targets = new ArrayList<>();
        for (double[] f : train) {
            targets.add(new double[] {law(f) + noise * gaussian(r)});
        }
        DescriptorBaseline b = DescriptorBaseline.fit(2, train, targets, new double[] {1e-4, 1e-2, 1}, 5);
        double squares = 0;
        int within = 0;
        List<double[]> test = randomFeatures(r, 2000, 1);
        for (double[] f : test) {
            double e = (law(f) + noise * gaussian(r) - b.predict(f)[0]) / Math.sqrt(b.variance(f)[0]);
            squares += e * e;
            within += Math.abs(e) <= 1.96 ? 1 : 0;
        }
        assertEquals(1, squares / test.size(), 0.12);
        assertEquals(0.95, within / (double) test.size(), 0.02);
        double typical = b.variance(train.get(0))[0];
        assertTrue(b.variance(randomFeatures(r, 1, 6).get(0))[0] > 1.5 * typical, "far from the data: wider");
        // a baseline stored without uncertainty: no variance, no update
        DescriptorBaseline old = new DescriptorBaseline(2, b.mean(), b.sd(), b.coefficients());
        assertEquals(0, old.variance(train.get(0))[0]);
        assertTrue(old == old.updated(train.get(0), new double[] {1}));
    }
}
