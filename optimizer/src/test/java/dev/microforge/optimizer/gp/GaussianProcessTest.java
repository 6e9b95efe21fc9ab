package dev.microforge.optimizer.gp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import smile.math.BFGS;

class GaussianProcessTest {
    private static final GaussianProcess.Options FIXED = GaussianProcess.Options.defaults().withMaxIterations(0);

    private static double matern(double r, double lengthScale) {
        double s = Math.sqrt(5) * Math.abs(r) / lengthScale;
        return (1 + s + s * s / 3) * Math.exp(-s);
    }

    @Test
    void twoPointPosteriorMatchesTheHandComputedFormula() {
        // observations y(0) = 1, y(1) = -1; standardised: mean 0, sd sqrt(2), y_s = +-1/sqrt2.
        // Matérn-5/2, l = 0.5, s2 = 1, noise 1e-4. K = [[1+n, c], [c, 1+n]], K^-1 = [[a, -c], [-c, a]] / (a^2 - c^2)
        double noise = 1e-4;
        double l = 0.5;
        MaternArdKernel kernel = new MaternArdKernel(new double[] {l}, 1.0);
        GaussianProcess.Model gp = GaussianProcess.fit(new double[][] {{0}, {1}}, new double[] {1, -1}, kernel,
                new GaussianProcess.Options(noise, noise, 0, 1e-5, false, false));
        double a = 1 + noise;
        double c = matern(1, l);
        double det = a * a - c * c;
        double ys = 1 / Math.sqrt(2);
        for (double x : new double[] {0.25, 0.5, 0.8, 2.0}) {
            double k0 = matern(x, l);
            double k1 = matern(x - 1, l);
            // K^-1 y_s and K^-1 k*
            double w0 = (a * ys + c * ys) / det;
            double w1 = (-c * ys - a * ys) / det;
            double b0 = (a * k0 - c * k1) / det;
            double b1 = (-c * k0 + a * k1) / det;
            double mean = Math.sqrt(2) * (k0 * w0 + k1 * w1);
            double sd = Math.sqrt(2) * Math.sqrt(1 - (k0 * b0 + k1 * b1));
            double[] ms = new double[2];
            gp.predict(new double[] {x}, ms);
            assertEquals(mean, ms[0], 1e-10, "mean at " + x);
            assertEquals(sd, ms[1], 1e-9, "sd at " + x);
        }
        // by symmetry the midpoint mean is 0, and the posterior interpolates the data up to the noise
        double[] ms = new double[2];
        gp.predict(new double[] {0.5}, ms);
        assertEquals(0, ms[0], 1e-12);
        gp.predict(new double[] {0}, ms);
        assertEquals(1, ms[0], 1e-3);
        assertTrue(ms[1] < 0.02, "sd at an observation " + ms[1]);
    }

    private static double[][] points(int n, int d, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        double[][] x = new double[n][d];
        for (double[] p : x) {
            for (int j = 0; j < d; j++) {
                p[j] = r.nextDouble();
            }
        }
        return x;
    }

    private static double[] values(double[][] x, double noiseSd, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        double[] y = new double[x.length];
        for (int i = 0; i < x.length; i++) {
            double s = 0;
            for (int j = 0; j < x[i].length; j++) {
                s += Math.sin(3 * (j + 1) * x[i][j]);
            }
            double g = Math.sqrt(-2 * Math.log(1 - r.nextDouble())) * Math.cos(2 * Math.PI * r.nextDouble());
            y[i] = 2 + 3 * s + noiseSd * g;
        }
        return y;
    }

    @Test
    void predictionsAgreeWithSmilesPredictAndTheBatchPath() {
        double[][] x = points(30, 3, 1);
        GaussianProcess.Model gp = GaussianProcess.fit(x, values(x, 0, 2), MaternArdKernel.unit(3),
                GaussianProcess.Options.defaults());
        double[][] q = points(7, 3, 3);
        double[][] all = gp.predictAll(q);
        for (int i = 0; i < q.length; i++) {
            double[] ours = new double[2];
            gp.predict(q[i], ours);
            double[] smile = new double[2];
            gp.smile().predict(q[i], smile);
            // Smile predicts in standardised units here (we standardise ourselves)
            assertEquals(gp.outputMean() + gp.outputScale() * smile[0], ours[0], 1e-9);
            assertEquals(gp.outputScale() * smile[1], ours[1], 1e-7);
            assertEquals(ours[0], all[0][i], 1e-9);
            assertEquals(ours[1], all[1][i], 1e-7);
        }
    }

    @Test
    void inputGradientsOfMeanAndSdMatchFiniteDifferences() {
        double[][] x = points(25, 2, 4);
        GaussianProcess.Model gp = GaussianProcess.fit(x, values(x, 0, 5), MaternArdKernel.unit(2),
                GaussianProcess.Options.defaults());
        double[] p = {0.37, 0.61};
        double[] ms = new double[2];
        double[] gm = new double[2];
        double[] gs = new double[2];
        gp.predict(p, ms, gm, gs);
        for (int j = 0; j < 2; j++) {
            double h = 1e-6;
            double[] up = p.clone();
            double[] down = p.clone();
            up[j] += h;
            down[j] -= h;
            double[] a = new double[2];
            double[] b = new double[2];
            gp.predict(up, a);
            gp.predict(down, b);
            assertEquals((a[0] - b[0]) / (2 * h), gm[j], 1e-5 * Math.max(1, Math.abs(gm[j])));
            assertEquals((a[1] - b[1]) / (2 * h), gs[j], 1e-5 * Math.max(1, Math.abs(gs[j])));
        }
    }

    @Test
    void marginalLikelihoodMatchesSmilesAndItsGradientMatchesFiniteDifferences() {
        double[][] x = points(20, 2, 6);
        double[] y = values(x, 0.1, 7);
        double mean = 0;
        for (double v : y) {
            mean += v / y.length;
        }
        double[] ys = new double[y.length];
        for (int i = 0; i < y.length; i++) {
            ys[i] = y[i] - mean;
        }
        MaternArdKernel kernel = new MaternArdKernel(new double[] {0.3, 0.7}, 2.0);
        double noise = 0.05;
        MarginalLikelihood ml = new MarginalLikelihood(x, ys, kernel);
        double[] theta = {Math.log(0.3), Math.log(0.7), Math.log(2.0), Math.log(noise)};
        double smileL = smile.regression.GaussianProcessRegression.fit(x, ys, kernel, noise, false, 1e-5, 0).L;
        assertEquals(-smileL, ml.f(theta), 1e-9);
        double[] g = new double[4];
        assertEquals(ml.f(theta), ml.g(theta, g), 1e-12);
        for (int j = 0; j < 4; j++) {
            double h = 1e-6;
            double[] up = theta.clone();
            double[] down = theta.clone();
            up[j] += h;
            down[j] -= h;
            assertEquals((ml.f(up) - ml.f(down)) / (2 * h), g[j], 1e-5, "d/dtheta_" + j);
        }
        // L-BFGS-B on it raises the likelihood
        BFGS.minimize(ml, 5, theta, new double[] {-5, -5, -5, -14}, new double[] {5, 5, 5, 2}, 1e-6, 100);
        assertTrue(-ml.f(theta) > smileL + 1, "fit improves the likelihood");
    }

    @Test
    void smilesOwnFitAppliesToTheKernelAndReachesTheSameLikelihood() {
        double[][] x = points(25, 2, 8);
        double[] y = values(x, 0.05, 9);
        GaussianProcess.Model ours = GaussianProcess.fit(x, y, MaternArdKernel.unit(2),
                GaussianProcess.Options.defaults().withMaxIterations(200).withLengthScalePrior(false));
        GaussianProcess.Model smiles = GaussianProcess.fit(x, y, MaternArdKernel.unit(2),
                GaussianProcess.Options.defaults().withMaxIterations(200).withSmileFit(true));
        GaussianProcess.Model none = GaussianProcess.fit(x, y, MaternArdKernel.unit(2), FIXED);
        assertTrue(smiles.logMarginalLikelihood() > none.logMarginalLikelihood() + 1,
                "Smile's fit through hyperparameters()/lo()/hi()/of() improves on the start");
        assertEquals(smiles.logMarginalLikelihood(), ours.logMarginalLikelihood(), 0.05);
    }

    @Test
    void lengthScalePriorKeepsAFewPointFitFromCollapsingToWhiteNoise() {
        // 30 Latin-hypercube points of Hartmann-6: the likelihood alone drives every length-scale to the lower bound
        dev.microforge.optimizer.bo.TestFunctions.Problem h = dev.microforge.optimizer.bo.TestFunctions.hartmann6();
        double[][] x = dev.microforge.optimizer.bo.BayesianOptimization.latinHypercube(30, 6, 1);
        double[] y = new double[30];
        for (int i = 0; i < 30; i++) {
            y[i] = -h.atUnit(x[i]);
        }
        GaussianProcess.Model ml = GaussianProcess.fit(x, y, MaternArdKernel.unit(6),
                GaussianProcess.Options.defaults().withLengthScalePrior(false));
        GaussianProcess.Model map = GaussianProcess.fit(x, y, MaternArdKernel.unit(6),
                GaussianProcess.Options.defaults());
        assertTrue(java.util.Arrays.stream(ml.kernel().lengthScales()).max().getAsDouble() < 0.02,
                java.util.Arrays.toString(ml.kernel().lengthScales()));
        assertTrue(java.util.Arrays.stream(map.kernel().lengthScales()).min().getAsDouble() > 0.1,
                java.util.Arrays.toString(map.kernel().lengthScales()));
        // and the prior's gradient is right
        MarginalLikelihood posterior = new MarginalLikelihood(x, y, MaternArdKernel.unit(6), 3, 6);
        double[] theta = {-1, -0.5, 0, -2, -1.5, -1, 0.2, Math.log(1e-3)};
        double[] g = new double[8];
        posterior.g(theta, g);
        for (int j = 0; j < 8; j++) {
            double step = 1e-6;
            double[] up = theta.clone();
            double[] down = theta.clone();
            up[j] += step;
            down[j] -= step;
            assertEquals((posterior.f(up) - posterior.f(down)) / (2 * step), g[j], 1e-4, "d/dtheta_" + j);
        }
    }

    @Test
    void fitRecoversTheNoiseLevel() {
        double[][] x = points(80, 1, 10);
        double[] y = values(x, 0.3, 11);
        GaussianProcess.Model gp = GaussianProcess.fit(x, y, MaternArdKernel.unit(1),
                GaussianProcess.Options.defaults());
        double noiseSd = Math.sqrt(gp.noise()) * gp.outputScale();
        assertTrue(noiseSd > 0.2 && noiseSd < 0.45, "fitted noise sd " + noiseSd + " (true 0.3)");
    }

    @Test
    void oneObservationAndDuplicatesStillGiveAModel() {
        GaussianProcess.Model one = GaussianProcess.fit(new double[][] {{0.5}}, new double[] {3},
                MaternArdKernel.unit(1), GaussianProcess.Options.defaults());
        double[] ms = new double[2];
        one.predict(new double[] {0.5}, ms);
        assertEquals(3, ms[0], 1e-3);
        GaussianProcess.Model dup = GaussianProcess.fit(new double[][] {{0.5}, {0.5}, {0.1}},
                new double[] {1, 2, 0}, MaternArdKernel.unit(1), GaussianProcess.Options.defaults());
        dup.predict(new double[] {0.5}, ms);
        assertTrue(ms[0] >= 0 && ms[0] <= 2 && ms[1] > 0 && Double.isFinite(ms[1]), ms[0] + " +- " + ms[1]);
    }

    @Test
    void believerObservationPinsTheMeanAndShrinksTheSd() {
        double[][] x = points(10, 2, 12);
        GaussianProcess.Model gp = GaussianProcess.fit(x, values(x, 0, 13),
                new MaternArdKernel(new double[] {0.3, 0.3}, 1), FIXED);
        double[] p = {0.5, 0.5};
        double[] before = new double[2];
        gp.predict(p, before);
        GaussianProcess.Model more = gp.withObservation(p, before[0]);
        double[] after = new double[2];
        more.predict(p, after);
        assertEquals(before[0], after[0], 1e-3 * Math.max(1, Math.abs(before[0])));
        assertTrue(after[1] < 0.1 * before[1], after[1] + " vs " + before[1]);
        assertEquals(11, more.size());
    }

    @Test
    void badInput() {
        MaternArdKernel k = MaternArdKernel.unit(2);
        GaussianProcess.Options o = GaussianProcess.Options.defaults();
        assertThrows(IllegalArgumentException.class, () -> GaussianProcess.fit(new double[0][], new double[0], k, o));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> GaussianProcess.fit(new double[][] {{0, 0}}, new double[] {1, 2}, k, o));
        assertTrue(e.getMessage().contains("1 != 2"), e.getMessage());
        assertThrows(IllegalArgumentException.class,
                () -> GaussianProcess.fit(new double[][] {{0}}, new double[] {1}, k, o));
        assertThrows(IllegalArgumentException.class,
                () -> GaussianProcess.fit(new double[][] {{0, 0}}, new double[] {Double.NaN}, k, o));
        assertThrows(IllegalArgumentException.class, () -> new GaussianProcess.Options(0, 0, 1, 1, false, true));
        assertThrows(IllegalArgumentException.class, () -> new GaussianProcess.Options(1e-3, 1e-2, 1, 1, false, true));
    }
}
