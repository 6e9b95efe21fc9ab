package dev.microforge.training;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import dev.microforge.datasets.Axis;
import dev.microforge.datasets.Volume;
import dev.microforge.evaluator.correlation.TwoPointCorrelation;
import dev.microforge.evaluator.morphology.LinealPath;
import dev.microforge.models.Engines;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The differentiable batch statistics of {@link StatisticsMatching} against the evaluator's FFT two-point
 * correlation (two implementations that must agree) on a non-cubic volume, so a swapped axis shows, and the
 * term's gradient against central finite differences in float64.
 */
class StatisticsMatchingTest {

    private static Volume blobs(int nx, int ny, int nz, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        int[] cx = new int[12];
        int[] cy = new int[12];
        int[] cz = new int[12];
        for (int i = 0; i < 12; i++) {
            cx[i] = r.nextInt(nx);
            cy[i] = r.nextInt(ny);
            cz[i] = r.nextInt(nz);
        }
        // elongated along x: S2 along x decays more slowly than along y and z
        return Volume.generate(nx, ny, nz, (x, y, z) -> {
            for (int i = 0; i < 12; i++) {
                double dx = (x - cx[i]) / 6.0;
                double dy = (y - cy[i]) / 2.0;
                double dz = (z - cz[i]) / 3.0;
                if (dx * dx + dy * dy + dz * dz < 1) {
                    return 1 + (i % 2);
                }
            }
            return 0;
        });
    }

    private static NDArray oneHot(NDManager m, Volume v, int phases) {
        int nx = v.nx();
        int ny = v.ny();
        int nz = v.nz();
        int cube = nx * ny * nz;
        float[] data = new float[phases * cube];
        for (int z = 0; z < nz; z++) {
            for (int y = 0; y < ny; y++) {
                for (int x = 0; x < nx; x++) {
                    data[v.get(x, y, z) * cube + (z * ny + y) * nx + x] = 1f;
                }
            }
        }
        return m.create(data, new Shape(1, phases, nz, ny, nx));
    }

    @Test
    void oneHotStatisticsAreTheEvaluatorsNonPeriodicTwoPointCorrelation() {
        Volume v = blobs(30, 24, 20, 5);
        int lag = 9;
        try (NDManager m = Engines.pytorch().newBaseManager()) {
            float[] s = StatisticsMatching.statistics(oneHot(m, v, 3), lag).toFloatArray();
            Axis[] order = {Axis.Z, Axis.Y, Axis.X};
            double worst = 0;
            for (int k = 0; k < 3; k++) {
                TwoPointCorrelation.Result ref = TwoPointCorrelation.compute(v, k, new TwoPointCorrelation.Options(false, lag));
                for (int a = 0; a < 3; a++) {
                    double[] curve = ref.along(order[a]).value();
                    for (int r = 0; r <= lag; r++) {
                        worst = Math.max(worst, Math.abs(s[(k * 3 + a) * (lag + 1) + r] - curve[r]));
                    }
                }
            }
            assertTrue(worst < 1e-5, "worst difference " + worst);
            // the volume matches its own statistics; a shuffled copy (same fractions, no correlation) does not
            StatisticsMatching own = StatisticsMatching.of(v, 3, lag);
            assertTrue(own.loss(oneHot(m, v, 3)).getFloat() < 1e-10);
            SplittableRandom r = new SplittableRandom(1);
            int[] labels = new int[v.nx() * v.ny() * v.nz()];
            for (int i = 0; i < labels.length; i++) {
                labels[i] = v.get(i % v.nx(), (i / v.nx()) % v.ny(), i / (v.nx() * v.ny()));
            }
            for (int i = labels.length - 1; i > 0; i--) {
                int j = r.nextInt(i + 1);
                int t = labels[i];
                labels[i] = labels[j];
                labels[j] = t;
            }
            Volume shuffled = Volume.generate(v.nx(), v.ny(), v.nz(),
                    (x, y, z) -> labels[x + v.nx() * (y + v.ny() * z)]);
            assertTrue(own.loss(oneHot(m, shuffled, 3)).getFloat() > 1e-4);
        }
    }

    @Test
    void oneHotLinealPathIsTheEvaluatorsNonPeriodicLinealPath() {
        Volume v = blobs(30, 24, 20, 5);
        int lag = 9;
        try (NDManager m = Engines.pytorch().newBaseManager()) {
            float[] s = StatisticsMatching.linealPath(oneHot(m, v, 3), lag).toFloatArray();
            Axis[] order = {Axis.Z, Axis.Y, Axis.X};
            double worst = 0;
            double anisotropy = 0;
            for (int k = 0; k < 3; k++) {
                LinealPath.Result ref = LinealPath.compute(v, k, new LinealPath.Options(lag, false));
                for (int a = 0; a < 3; a++) {
                    for (int r = 0; r <= lag; r++) {
                        worst = Math.max(worst, Math.abs(s[(k * 3 + a) * (lag + 1) + r] - ref.along(order[a]).at(r)));
                    }
                }
                anisotropy = Math.max(anisotropy, ref.x().at(lag) - ref.z().at(lag));
            }
            assertTrue(worst < 1e-5, "worst difference " + worst);
            assertTrue(anisotropy > 0.01, "the blobs are longer along x: " + anisotropy);
            // the volume matches its own lineal path; the same blobs turned (x and z swapped) do not
            StatisticsMatching own = StatisticsMatching.linealPathOf(v, 3, lag);
            assertEquals(StatisticsMatching.Statistic.LINEAL_PATH, own.statistic());
            assertTrue(own.loss(oneHot(m, v, 3)).getFloat() < 1e-10);
            Volume turned = Volume.generate(v.nz(), v.ny(), v.nx(), (x, y, z) -> v.get(z, y, x));
            Volume cut = Volume.generate(20, 20, 20, (x, y, z) -> turned.get(x, y, z));
            StatisticsMatching cube = StatisticsMatching.linealPathOf(Volume.generate(20, 20, 20,
                    (x, y, z) -> v.get(x, y, z)), 3, lag);
            assertTrue(cube.loss(oneHot(m, cut, 3)).getFloat() > 1e-4);
        }
    }

    @Test
    void linealPathGradientMatchesFiniteDifferences() {
        assertGradientMatchesFiniteDifferences(StatisticsMatching.linealPathOf(blobs(12, 10, 9, 2), 3, 3));
    }

    @Test
    void gradientMatchesFiniteDifferences() {
        assertGradientMatchesFiniteDifferences(StatisticsMatching.of(blobs(12, 10, 9, 2), 3, 3));
    }

    private static void assertGradientMatchesFiniteDifferences(StatisticsMatching term) {
        Engine engine = Engines.pytorch();
        try (NDManager m = engine.newBaseManager()) {
            m.getEngine().setRandomSeed(4);
            NDArray p = m.randomUniform(0f, 1f, new Shape(2, 3, 6, 5, 7)).toType(DataType.FLOAT64, false);
            p.setRequiresGradient(true);
            double[] analytic;
            try (GradientCollector c = engine.newGradientCollector()) {
                c.backward(term.loss(p));
                analytic = p.getGradient().toDoubleArray();
            }
            double[] x = p.toDoubleArray();
            SplittableRandom r = new SplittableRandom(9);
            double h = 1e-6;
            double worst = 0;
            double scale = 0;
            for (double g : analytic) {
                scale = Math.max(scale, Math.abs(g));
            }
            for (int probe = 0; probe < 40; probe++) {
                int i = r.nextInt(x.length);
                double[] plus = x.clone();
                double[] minus = x.clone();
                plus[i] += h;
                minus[i] -= h;
                double fd = (term.loss(m.create(plus, p.getShape())).getDouble()
                        - term.loss(m.create(minus, p.getShape())).getDouble()) / (2 * h);
                worst = Math.max(worst, Math.abs(fd - analytic[i]) / scale);
            }
            assertTrue(scale > 0);
            assertTrue(worst < 1e-6, "worst relative difference " + worst);
        }
    }

    @Test
    void hardLossMeasuresTheLabelsAndPassesTheSoftGradient() {
        Engine engine = Engines.pytorch();
        Volume v = blobs(12, 10, 9, 2);
        StatisticsMatching term = StatisticsMatching.of(v, 3, 3);
        try (NDManager m = engine.newBaseManager()) {
            m.getEngine().setRandomSeed(5);
            NDArray p = m.randomUniform(0f, 1f, new Shape(2, 3, 6, 5, 7)).toType(DataType.FLOAT64, false);
            p = p.div(p.sum(new int[] {1}, true));
            NDArray hard = p.eq(p.max(new int[] {1}, true)).toType(DataType.FLOAT64, false);
            assertEquals(term.loss(hard).getDouble(), term.hardLoss(p).getDouble(), 1e-12);
            // the straight-through gradient: the soft term's gradient taken at the labels
            NDArray a = p.duplicate();
            a.setRequiresGradient(true);
            NDArray q = hard.duplicate();
            q.setRequiresGradient(true);
            double[] straight;
            double[] atLabels;
            try (GradientCollector c = engine.newGradientCollector()) {
                c.backward(term.hardLoss(a));
                straight = a.getGradient().toDoubleArray();
            }
            try (GradientCollector c = engine.newGradientCollector()) {
                c.backward(term.loss(q));
                atLabels = q.getGradient().toDoubleArray();
            }
            double norm = 0;
            double worst = 0;
            for (int i = 0; i < straight.length; i++) {
                norm += atLabels[i] * atLabels[i];
                worst = Math.max(worst, Math.abs(straight[i] - atLabels[i]));
            }
            assertTrue(norm > 0, "the labels miss the target, so the gradient is not zero");
            assertTrue(worst < 1e-15 * Math.max(1, Math.sqrt(norm)) + 1e-18, "worst difference " + worst);
        }
    }

    @Test
    void theGeneratorLossGainsTheWeightedTermAndLogsItUnweighted() {
        Volume v = blobs(12, 10, 9, 2);
        StatisticsMatching term = StatisticsMatching.of(v, 3, 4);
        try (NDManager m = Engines.pytorch().newBaseManager()) {
            NDArray p = m.randomUniform(0f, 1f, new Shape(1, 3, 8, 8, 8));
            p = p.div(p.sum(new int[] {1}, true));
            NDArray base = m.create(1.5f);
            float hard = term.hardLoss(p).getFloat();
            StatisticsMatching.GeneratorLoss off = term.addTo(base, p, 0);
            assertEquals(hard, off.unweighted(), 0);
            assertTrue(off.loss() == base, "weight 0 leaves the loss as it is");
            StatisticsMatching.GeneratorLoss on = term.addTo(base, p, 2);
            assertEquals(hard, on.unweighted(), 0);
            assertEquals(1.5 + 2 * hard, on.loss().getFloat(), 1e-5);
            assertTrue(hard > 0, "random probabilities do not match the blobs: " + hard);
        }
    }

    /**
     * With a running average the gradient follows the average's deviation from the target: after the training
     * volume itself (whose statistics are the target exactly) is committed, a batch's gradient is {@code 1 - d}
     * times its per-batch gradient; the first batch, and a batch committed and measured again, get the per-batch
     * gradient; the logged value is the per-batch term's; a batch measured twice before a commit counts once.
     */
    @Test
    void aRunningAverageScalesTheGradientByTheAveragesDeviation() {
        Volume v = blobs(12, 10, 9, 2);
        for (StatisticsMatching plain : List.of(StatisticsMatching.of(v, 3, 3), StatisticsMatching.linealPathOf(v, 3,
                3))) {
            double d = 0.75;
            try (NDManager m = Engines.pytorch().newBaseManager()) {
                m.getEngine().setRandomSeed(7);
                NDArray p = m.randomUniform(0f, 1f, new Shape(2, 3, 6, 5, 7)).toType(DataType.FLOAT64, false);
                p = p.div(p.sum(new int[] {1}, true));
                NDArray data = oneHot(m, v, 3).toType(DataType.FLOAT64, false);
                double[] perBatch = gradient(plain, p);
                StatisticsMatching averaged = plain.withAverage(d);
                assertScaled(1, perBatch, gradient(averaged, p)); // the first batch is the average
                averaged.commit();
                assertScaled(1, perBatch, gradient(averaged, p)); // the same batch again: the same average
                StatisticsMatching fromData = plain.withAverage(d);
                gradient(fromData, p); // measured, then replaced before the commit (a step computed again)
                gradient(fromData, data);
                fromData.commit();
                double[] scaled = gradient(fromData, p);
                assertScaled(1 - d, perBatch, scaled);
                assertEquals(plain.hardLoss(p).getDouble(), fromData.addTo(m.create(0.0), p, 1).unweighted(), 1e-6);
                // the average survives a checkpoint: restored into a fresh term it gives the same gradient
                StatisticsMatching restored = plain.withAverage(d);
                restored.restoreAverage(fromData.runningAverage());
                assertArrayEquals(scaled, gradient(restored, p), 0);
            }
        }
        StatisticsMatching term = StatisticsMatching.of(v, 3, 3);
        assertThrows(IllegalArgumentException.class, () -> term.withAverage(1));
        assertThrows(IllegalArgumentException.class, () -> term.withAverage(-0.1));
        assertThrows(IllegalArgumentException.class, () -> term.withAverage(0.5).restoreAverage(new float[5]));
    }

    /** {@code actual = factor * perBatch} to float precision (the average is kept in float), and not zero. */
    private static void assertScaled(double factor, double[] perBatch, double[] actual) {
        double norm = 0;
        for (double g : perBatch) {
            norm = Math.max(norm, Math.abs(g));
        }
        assertTrue(norm > 0, "random probabilities miss the target");
        for (int i = 0; i < perBatch.length; i++) {
            assertEquals(factor * perBatch[i], actual[i], 1e-5 * norm, "at " + i);
        }
    }

    /** The gradient of {@code term.addTo(0, p, 1)} with respect to {@code p}. */
    private static double[] gradient(StatisticsMatching term, NDArray p) {
        NDArray a = p.duplicate();
        a.setRequiresGradient(true);
        try (GradientCollector c = Engines.pytorch().newGradientCollector()) {
            c.backward(term.addTo(p.getManager().create(0.0), a, 1).loss());
            return a.getGradient().toDoubleArray();
        }
    }

    @Test
    void badShapesAndLagsAreRefused() {
        Volume v = blobs(12, 10, 9, 2);
        assertThrows(IllegalArgumentException.class, () -> StatisticsMatching.of(v, 3, 0));
        assertThrows(IllegalArgumentException.class, () -> StatisticsMatching.of(v, 3, 9));
        // a reference whose curves end before the lag (a 12 x 10 section: S2 up to 9 voxels)
        SampleEvaluation.Reference section = SampleEvaluation.referenceFromSections(List.of(v.slice(Axis.Z, 0)), 3,
                new SampleEvaluation.Options(8, 20, false, 0));
        IllegalArgumentException shortCurves = assertThrows(IllegalArgumentException.class,
                () -> StatisticsMatching.of(section, 10));
        assertTrue(shortCurves.getMessage().contains("statisticsMaxLag"), shortCurves.getMessage());
        assertEquals(9, StatisticsMatching.of(section, 9).maxLag());
        StatisticsMatching term = StatisticsMatching.of(v, 3, 4);
        try (NDManager m = Engines.pytorch().newBaseManager()) {
            assertThrows(IllegalArgumentException.class, () -> term.loss(m.zeros(new Shape(1, 2, 8, 8, 8))));
            assertThrows(IllegalArgumentException.class, () -> term.loss(m.zeros(new Shape(1, 3, 4, 8, 8))));
            assertEquals(4, term.maxLag());
        }
    }
}
