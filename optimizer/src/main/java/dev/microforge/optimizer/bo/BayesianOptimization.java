package dev.microforge.optimizer.bo;

import dev.microforge.optimizer.acquisition.Acquisition;
import dev.microforge.optimizer.acquisition.AcquisitionMaximizer;
import dev.microforge.optimizer.acquisition.StandardNormal;
import dev.microforge.optimizer.gp.GaussianProcess;
import dev.microforge.optimizer.gp.MaternArdKernel;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * One step of constrained Gaussian-process Bayesian optimisation on the unit cube: given the observations so far,
 * propose the next point or batch of points.
 *
 * <p><b>Model.</b> One GP ({@link GaussianProcess}, Matérn-5/2 ARD, hyperparameters by marginal likelihood) for the
 * objective and one per constraint. Inputs must already be scaled to {@code [0, 1]^d} (the design space does it);
 * outputs are standardised by the GP. The objective is <i>maximised</i>; a constraint is satisfied where its value
 * is {@code >= 0}. A failed evaluation (NaN) is imputed with the worst value observed for that output, so the model
 * steers away from it.
 *
 * <p><b>Acquisition</b> (all in standardised units): {@code a(x) + sum_j log Phi(mu_j(x) / sd_j(x))} — the chosen
 * {@link Acquisition} (log-EI, log-PI or UCB) against the best feasible observation, plus the log probability that
 * every constraint holds (Gardner et al., ICML 2014; Gelbart, Snoek &amp; Adams, UAI 2014). While nothing feasible
 * has been seen, only the probability of feasibility is maximised. The acquisition is maximised by
 * {@link AcquisitionMaximizer} (random samples plus perturbations of the best observations, then multi-start
 * L-BFGS-B with the analytic gradient through the GP posterior).
 *
 * <p>No proposal lies within {@code minSeparation} of an observation or of an earlier point of its batch.
 *
 * <p><b>Batches</b> ({@code batchSize > 1}) by the Kriging believer (Ginsbourger, Le Riche &amp; Carraro 2010): after
 * each pick, the models are conditioned on their own mean at that point (hyperparameters fixed) and the next point
 * is chosen against them.
 *
 * <p>Deterministic for a given seed. Cost: one GP fit per output (the dominant {@code O(n^3)} part) plus the search
 * (see {@link AcquisitionMaximizer}).
 */
public final class BayesianOptimization {
    /**
     * Most L-BFGS-B iterations of a GP fit warm-started from the previous step's hyperparameters: one more
     * observation moves the optimum little (at n = 200, d = 16, 20 iterations reach the likelihood of 100 within
     * 0.02).
     */
    public static final int WARM_ITERATIONS = 20;

    private BayesianOptimization() {
    }

    /**
     * Settings.
     *
     * @param acquisition which acquisition (its {@code best} is filled in here)
     * @param batchSize points proposed per step, at least 1
     * @param gp GP fit settings
     * @param search acquisition-maximisation settings
     * @param perturbedStarts candidates drawn around each of the best 5 observations (sd 0.05 of the cube)
     * @param minSeparation no proposal lies closer than this (largest coordinate difference, unit cube) to an
     *     observation or to an earlier point of its batch: a design evaluated again gives the same result, so a
     *     repeat is a wasted evaluation (a GP that fits some noise would otherwise keep resampling its best point)
     */
    public record Options(Acquisition acquisition, int batchSize, GaussianProcess.Options gp,
                          AcquisitionMaximizer.Options search, int perturbedStarts, double minSeparation) {
        public Options {
            if (acquisition == null || gp == null || search == null) {
                throw new IllegalArgumentException("acquisition, gp and search options are required; use "
                        + "BayesianOptimization.Options.defaults()");
            }
            if (batchSize < 1) {
                throw new IllegalArgumentException("batchSize must be >= 1, got " + batchSize);
            }
            if (perturbedStarts < 0) {
                throw new IllegalArgumentException("perturbedStarts must be >= 0, got " + perturbedStarts);
            }
            if (!(minSeparation >= 0 && minSeparation < 0.5)) {
                throw new IllegalArgumentException("minSeparation must lie in [0, 0.5), got " + minSeparation);
            }
        }

        /**
         * Log-EI, one point per step, default GP and search settings, 20 perturbed starts per top observation,
         * proposals at least 0.002 of the cube from every observation.
         */
        public static Options defaults() {
            return new Options(new Acquisition.ExpectedImprovement(0), 1, GaussianProcess.Options.defaults(),
                    AcquisitionMaximizer.Options.defaults(), 20, 0.002);
        }

        public Options withAcquisition(Acquisition value) {
            return new Options(value, batchSize, gp, search, perturbedStarts, minSeparation);
        }

        public Options withBatchSize(int value) {
            return new Options(acquisition, value, gp, search, perturbedStarts, minSeparation);
        }

        public Options withGp(GaussianProcess.Options value) {
            return new Options(acquisition, batchSize, value, search, perturbedStarts, minSeparation);
        }

        public Options withSearch(AcquisitionMaximizer.Options value) {
            return new Options(acquisition, batchSize, gp, value, perturbedStarts, minSeparation);
        }

        public Options withMinSeparation(double value) {
            return new Options(acquisition, batchSize, gp, search, perturbedStarts, value);
        }
    }

    /**
     * Observations.
     *
     * @param x points in the unit cube, {@code n x d}
     * @param objective objective values to maximise, length n (NaN: the evaluation failed)
     * @param constraints constraint values, {@code n x m} ({@code >= 0} is feasible; NaN: failed); m may be 0
     */
    public record Data(double[][] x, double[] objective, double[][] constraints) {
        public Data {
            if (x == null || objective == null || constraints == null || x.length != objective.length
                    || constraints.length != x.length) {
                throw new IllegalArgumentException("x, objective and constraints need one row per observation");
            }
            if (x.length > 0) {
                int d = x[0].length;
                int m = constraints[0].length;
                for (int i = 0; i < x.length; i++) {
                    if (x[i].length != d || constraints[i].length != m) {
                        throw new IllegalArgumentException(String.format(Locale.ROOT,
                                "observation %d has %d coordinates and %d constraints, expected %d and %d", i,
                                x[i].length, constraints[i].length, d, m));
                    }
                }
            }
        }

        /** Observations without constraints. */
        public static Data unconstrained(double[][] x, double[] objective) {
            return new Data(x, objective, new double[x.length][0]);
        }

        public int size() {
            return x.length;
        }

        /** Whether observation i succeeded and meets every constraint. */
        public boolean feasible(int i) {
            if (Double.isNaN(objective[i])) {
                return false;
            }
            for (double c : constraints[i]) {
                if (!(c >= 0)) {
                    return false;
                }
            }
            return true;
        }
    }

    /**
     * Fitted hyperparameters of one step, to warm-start the next.
     *
     * @param objective kernel of the objective GP
     * @param constraints kernel of each constraint GP
     */
    public record Warm(MaternArdKernel objective, List<MaternArdKernel> constraints) {
    }

    /**
     * A proposal.
     *
     * @param points the batch, in the unit cube
     * @param acquisitionValues the acquisition at each point when it was picked
     * @param predictedMean the objective GP's mean at each point
     * @param predictedSd the objective GP's standard deviation at each point
     * @param incumbent the best feasible observed objective (NaN when none is feasible)
     * @param warm the fitted hyperparameters
     */
    public record Proposal(List<double[]> points, double[] acquisitionValues, double[] predictedMean,
                           double[] predictedSd, double incumbent, Warm warm) {
    }

    /**
     * A Latin hypercube design of {@code n} points in {@code [0, 1]^d} (McKay, Beckman &amp; Conover 1979): each
     * axis cut into n equal strata, one point per stratum, at a random position within it, strata paired at random.
     */
    public static double[][] latinHypercube(int n, int d, long seed) {
        if (n < 1 || d < 1) {
            throw new IllegalArgumentException("a design needs n >= 1 points in d >= 1 dimensions, got " + n + ", "
                    + d);
        }
        SplittableRandom random = new SplittableRandom(seed);
        double[][] points = new double[n][d];
        int[] perm = new int[n];
        for (int j = 0; j < d; j++) {
            for (int i = 0; i < n; i++) {
                perm[i] = i;
            }
            for (int i = n - 1; i > 0; i--) {
                int k = random.nextInt(i + 1);
                int t = perm[i];
                perm[i] = perm[k];
                perm[k] = t;
            }
            for (int i = 0; i < n; i++) {
                points[i][j] = (perm[i] + random.nextDouble()) / n;
            }
        }
        return points;
    }

    /**
     * Proposes the next {@code options.batchSize()} points.
     *
     * @param data at least one observation
     * @param warm hyperparameters of the previous step, or null for a cold start
     * @throws IllegalArgumentException for no observations
     */
    public static Proposal propose(Data data, Options options, Warm warm, long seed) {
        if (data == null || data.size() == 0) {
            throw new IllegalArgumentException("Bayesian optimisation needs at least one observation; start with "
                    + "latinHypercube(...)");
        }
        int n = data.size();
        int d = data.x()[0].length;
        int m = data.constraints()[0].length;
        double[][] x = data.x();
        boolean anyFinite = Arrays.stream(data.objective()).anyMatch(Double::isFinite);
        if (!anyFinite) {
            // nothing to model: explore at random
            SplittableRandom random = new SplittableRandom(seed);
            List<double[]> points = new ArrayList<>();
            for (int q = 0; q < options.batchSize(); q++) {
                double[] p = new double[d];
                for (int j = 0; j < d; j++) {
                    p[j] = random.nextDouble();
                }
                points.add(p);
            }
            double[] nan = new double[options.batchSize()];
            Arrays.fill(nan, Double.NaN);
            return new Proposal(points, nan, nan.clone(), nan.clone(), Double.NaN, warm);
        }
        boolean warmStart = warm != null && warm.objective().dimensions() == d
                && warm.constraints().size() == m;
        GaussianProcess.Options gp = warmStart ? options.gp().withMaxIterations(Math.min(
                options.gp().maxIterations(), WARM_ITERATIONS)) : options.gp();
        GaussianProcess.Model objective = GaussianProcess.fit(x, impute(data.objective()),
                warmStart ? warm.objective() : MaternArdKernel.unit(d), gp);
        GaussianProcess.Model[] constraints = new GaussianProcess.Model[m];
        List<MaternArdKernel> constraintKernels = new ArrayList<>();
        for (int j = 0; j < m; j++) {
            double[] c = new double[n];
            for (int i = 0; i < n; i++) {
                c[i] = Double.isNaN(data.objective()[i]) ? Double.NaN : data.constraints()[i][j];
            }
            MaternArdKernel start = warmStart ? warm.constraints().get(j) : MaternArdKernel.unit(d);
            constraints[j] = GaussianProcess.fit(x, impute(c), start, gp);
            constraintKernels.add(constraints[j].kernel());
        }
        Warm fitted = new Warm(objective.kernel(), constraintKernels);

        double incumbent = Double.NEGATIVE_INFINITY;
        for (int i = 0; i < n; i++) {
            if (data.feasible(i)) {
                incumbent = Math.max(incumbent, data.objective()[i]);
            }
        }
        List<double[]> starts = perturbedStarts(data, options.perturbedStarts(), seed);
        List<double[]> points = new ArrayList<>();
        double[] values = new double[options.batchSize()];
        double[] means = new double[options.batchSize()];
        double[] sds = new double[options.batchSize()];
        double best = incumbent;
        List<double[]> taken = new ArrayList<>(Arrays.asList(x));
        for (int q = 0; q < options.batchSize(); q++) {
            Surface surface = new Surface(objective, constraints, options.acquisition(), best, taken,
                    options.minSeparation());
            AcquisitionMaximizer.Result r = AcquisitionMaximizer.maximize(surface, d, starts, options.search(),
                    seed * 1_000_003L + q);
            double[] p = r.x();
            double[] ms = new double[2];
            objective.predict(p, ms);
            points.add(p);
            taken.add(p);
            values[q] = r.value();
            means[q] = ms[0];
            sds[q] = ms[1];
            if (q + 1 < options.batchSize()) {
                boolean believedFeasible = true;
                for (int j = 0; j < m; j++) {
                    double[] cs = new double[2];
                    constraints[j].predict(p, cs);
                    constraints[j] = constraints[j].withObservation(p, cs[0]);
                    believedFeasible &= cs[0] >= 0;
                }
                objective = objective.withObservation(p, ms[0]);
                if (believedFeasible) {
                    best = Math.max(best, ms[0]);
                }
            }
        }
        return new Proposal(points, values, means, sds,
                incumbent == Double.NEGATIVE_INFINITY ? Double.NaN : incumbent, fitted);
    }

    /** NaN entries replaced by the smallest finite value (the worst, for a maximised output). */
    static double[] impute(double[] values) {
        double worst = Double.POSITIVE_INFINITY;
        for (double v : values) {
            if (Double.isFinite(v)) {
                worst = Math.min(worst, v);
            }
        }
        if (worst == Double.POSITIVE_INFINITY) {
            worst = -1;
        }
        double[] out = values.clone();
        for (int i = 0; i < out.length; i++) {
            if (!Double.isFinite(out[i])) {
                out[i] = worst;
            }
        }
        return out;
    }

    /** Gaussian perturbations (sd 0.05) of the five best observations, feasible ones first. */
    private static List<double[]> perturbedStarts(Data data, int perPoint, long seed) {
        int n = data.size();
        Integer[] order = new Integer[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        double[] y = data.objective();
        Arrays.sort(order, Comparator.<Integer>comparingInt(i -> data.feasible(i) ? 0 : 1)
                .thenComparingDouble(i -> Double.isNaN(y[i]) ? Double.POSITIVE_INFINITY : -y[i]));
        SplittableRandom random = new SplittableRandom(seed ^ 0x5DEECE66DL);
        List<double[]> starts = new ArrayList<>();
        for (int k = 0; k < Math.min(5, n); k++) {
            double[] base = data.x()[order[k]];
            for (int s = 0; s < perPoint; s++) {
                double[] p = base.clone();
                for (int j = 0; j < p.length; j++) {
                    p[j] = Math.min(1, Math.max(0, p[j] + 0.05 * gaussian(random)));
                }
                starts.add(p);
            }
        }
        return starts;
    }

    private static double gaussian(SplittableRandom random) {
        double u1 = random.nextDouble();
        double u2 = random.nextDouble();
        return Math.sqrt(-2 * Math.log(1 - u1)) * Math.cos(2 * Math.PI * u2);
    }

    /**
     * The acquisition surface in standardised units: {@code a(mu_s, sd_s) + sum_j log Phi(mu_j / sd_j)}, with
     * its gradient through the GP posteriors; points within {@code minSeparation} of a taken point are not allowed.
     */
    static final class Surface implements AcquisitionMaximizer.Function {
        private final GaussianProcess.Model objective;
        private final GaussianProcess.Model[] constraints;
        private final Acquisition acquisition;
        private final boolean hasIncumbent;
        private final List<double[]> taken;
        private final double minSeparation;

        Surface(GaussianProcess.Model objective, GaussianProcess.Model[] constraints, Acquisition acquisition,
                double best, List<double[]> taken, double minSeparation) {
            this.objective = objective;
            this.constraints = constraints;
            this.taken = taken;
            this.minSeparation = minSeparation;
            this.hasIncumbent = best > Double.NEGATIVE_INFINITY;
            double s = objective.outputScale();
            this.acquisition = acquisition.withBest(hasIncumbent ? (best - objective.outputMean()) / s : 0);
        }

        @Override
        public boolean allowed(double[] x) {
            return !tooClose(x);
        }

        /** Whether x is within the separation of a taken point (largest coordinate difference). */
        private boolean tooClose(double[] x) {
            if (minSeparation <= 0) {
                return false;
            }
            for (double[] t : taken) {
                boolean close = true;
                for (int j = 0; j < x.length && close; j++) {
                    close = Math.abs(x[j] - t[j]) < minSeparation;
                }
                if (close) {
                    return true;
                }
            }
            return false;
        }

        @Override
        public double value(double[] x, double[] gradient) {
            int d = x.length;
            double total = 0;
            double[] ms = new double[2];
            double[] dmu = gradient == null ? null : new double[d];
            double[] dsd = gradient == null ? null : new double[d];
            double[] da = new double[2];
            if (gradient != null) {
                Arrays.fill(gradient, 0);
            }
            if (hasIncumbent) {
                objective.predict(x, ms, dmu, dsd);
                double s = objective.outputScale();
                double mu = (ms[0] - objective.outputMean()) / s;
                double sd = Math.max(ms[1] / s, 1e-12);
                total += acquisition.value(mu, sd);
                if (gradient != null) {
                    acquisition.derivatives(mu, sd, da);
                    for (int j = 0; j < d; j++) {
                        gradient[j] += (da[0] * dmu[j] + da[1] * dsd[j]) / s;
                    }
                }
            }
            for (GaussianProcess.Model c : constraints) {
                c.predict(x, ms, dmu, dsd);
                double sd = Math.max(ms[1], 1e-12 * c.outputScale());
                double z = ms[0] / sd;
                total += StandardNormal.logCdf(z);
                if (gradient != null) {
                    double ratio = Math.exp(StandardNormal.logPdf(z) - StandardNormal.logCdf(z));
                    for (int j = 0; j < d; j++) {
                        gradient[j] += ratio * (dmu[j] - z * dsd[j]) / sd;
                    }
                }
            }
            return total;
        }

        @Override
        public double[] values(double[][] points) {
            double[] total = new double[points.length];
            if (hasIncumbent) {
                double[][] p = objective.predictAll(points);
                double s = objective.outputScale();
                for (int i = 0; i < points.length; i++) {
                    total[i] += acquisition.value((p[0][i] - objective.outputMean()) / s,
                            Math.max(p[1][i] / s, 1e-12));
                }
            }
            for (GaussianProcess.Model c : constraints) {
                double[][] p = c.predictAll(points);
                for (int i = 0; i < points.length; i++) {
                    total[i] += StandardNormal.logCdf(p[0][i] / Math.max(p[1][i], 1e-12 * c.outputScale()));
                }
            }
            return total;
        }
    }
}
