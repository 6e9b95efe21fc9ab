package dev.microforge.optimizer.bo;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Runs Bayesian optimisation and random search on a {@link TestFunctions.Problem} with the same budget, for the
 * validation tests and {@code microforge bench bo}. Both minimise; traces are the best value after each evaluation.
 */
public final class OptimizerComparison {
    private OptimizerComparison() {
    }

    /**
     * A run.
     *
     * @param bestSoFar best (smallest) value after evaluation i, length = budget
     * @param seconds wall time
     */
    public record Run(double[] bestSoFar, double seconds) {
        /** The best value at the end. */
        public double best() {
            return bestSoFar[bestSoFar.length - 1];
        }

        /** 1-based number of evaluations until the best came within {@code tolerance} of {@code target}, or -1. */
        public int evaluationsToReach(double target, double tolerance) {
            for (int i = 0; i < bestSoFar.length; i++) {
                if (bestSoFar[i] - target <= tolerance) {
                    return i + 1;
                }
            }
            return -1;
        }
    }

    /**
     * Bayesian optimisation: a Latin hypercube of {@code initial} points, then one proposal per step.
     */
    public static Run bayesian(TestFunctions.Problem problem, int budget, int initial,
            BayesianOptimization.Options options, long seed) {
        long t0 = System.nanoTime();
        int d = problem.dimensions();
        List<double[]> xs = new ArrayList<>();
        List<Double> ys = new ArrayList<>();
        double[] trace = new double[budget];
        double best = Double.POSITIVE_INFINITY;
        double[][] design = BayesianOptimization.latinHypercube(Math.min(initial, budget), d, seed);
        BayesianOptimization.Warm warm = null;
        for (int i = 0; i < budget; i++) {
            double[] u;
            if (i < design.length) {
                u = design[i];
            } else {
                double[][] x = xs.toArray(new double[0][]);
                double[] y = new double[ys.size()];
                for (int k = 0; k < y.length; k++) {
                    y[k] = -ys.get(k);
                }
                BayesianOptimization.Proposal p = BayesianOptimization.propose(
                        BayesianOptimization.Data.unconstrained(x, y), options, warm, seed + 7919L * i);
                warm = p.warm();
                u = p.points().get(0);
            }
            double v = problem.atUnit(u);
            xs.add(u);
            ys.add(v);
            best = Math.min(best, v);
            trace[i] = best;
        }
        return new Run(trace, (System.nanoTime() - t0) / 1e9);
    }

    /** Uniform random search. */
    public static Run random(TestFunctions.Problem problem, int budget, long seed) {
        long t0 = System.nanoTime();
        SplittableRandom random = new SplittableRandom(seed);
        double[] trace = new double[budget];
        double best = Double.POSITIVE_INFINITY;
        double[] u = new double[problem.dimensions()];
        for (int i = 0; i < budget; i++) {
            for (int j = 0; j < u.length; j++) {
                u[j] = random.nextDouble();
            }
            best = Math.min(best, problem.atUnit(u));
            trace[i] = best;
        }
        return new Run(trace, (System.nanoTime() - t0) / 1e9);
    }
}
