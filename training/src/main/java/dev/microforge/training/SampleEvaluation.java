package dev.microforge.training;

import dev.microforge.datasets.Axis;
import dev.microforge.datasets.Volume;
import dev.microforge.evaluator.correlation.TwoPointCorrelation;
import dev.microforge.evaluator.geometry.VolumeFractions;
import dev.microforge.evaluator.transport.EffectiveConductivity;
import dev.microforge.evaluator.transport.Tortuosity;
import dev.microforge.datasets.io.AtomicFile;
import dev.microforge.datasets.io.ProgressListener;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Quality of a generated sample against the training volume, the figures of the targets:
 * per-phase volume-fraction error, two-point correlation RMSE per axis and pore tortuosity ratio per
 * axis (evaluator's {@link VolumeFractions}, {@link TwoPointCorrelation}, {@link Tortuosity}).
 *
 * <p>S2: non-periodic, along x, y and z for lags {@code r = 0..R} voxels, {@code R = min(maxDistance,
 * edge / 2)} of the sample; RMSE over those lags between the sample's curve and the training volume's
 * ({@code S2(0)} is the fraction, so the RMSE includes the fraction error). Tortuosity: the phase
 * {@code tortuosityPhase} (label 0, the pore, by default) with sealed sides and the default flux
 * tolerance; the reference is solved once on the whole training volume, so for a small sample the
 * ratio also holds finite-size scatter. A non-percolating sample gives an infinite tortuosity
 * (reported as null in JSON).
 */
public final class SampleEvaluation {

    /**
     * Options.
     *
     * @param sampleSize edge of the generated sample in voxels (the generator may round it up to its
     *     step), at least 8
     * @param maxDistance largest S2 lag in voxels, at least 1
     * @param tortuosity whether to solve the tortuosity (about 0.1 s per axis at 64³ on 2 cores)
     * @param tortuosityPhase label whose tortuosity is compared
     */
    public record Options(int sampleSize, int maxDistance, boolean tortuosity, int tortuosityPhase) {

        /** Validates the options. */
        public Options {
            if (sampleSize < 8) {
                throw new IllegalArgumentException("evaluation sample size must be at least 8 voxels, got " + sampleSize);
            }
            if (maxDistance < 1) {
                throw new IllegalArgumentException("S2 maxDistance must be at least 1, got " + maxDistance);
            }
            if (tortuosityPhase < 0 || tortuosityPhase > 255) {
                throw new IllegalArgumentException("tortuosity phase must be a label 0..255, got " + tortuosityPhase);
            }
        }

        /**
         * Defaults: 64³ sample, lags up to 32, pore (label 0) tortuosity.
         *
         * @return the defaults
         */
        public static Options defaults() {
            return new Options(64, 32, true, 0);
        }
    }

    /**
     * Values along x, y and z; null where a value is not finite (e.g. a non-percolating phase).
     *
     * @param x along x
     * @param y along y
     * @param z along z
     */
    public record AxisValues(Double x, Double y, Double z) {

        static AxisValues of(double[] v) {
            return new AxisValues(finite(v[0]), finite(v[1]), finite(v[2]));
        }

        /**
         * Returns the values as an array, NaN for null.
         *
         * @return {x, y, z}
         */
        public double[] toArray() {
            return new double[] {x == null ? Double.NaN : x, y == null ? Double.NaN : y, z == null ? Double.NaN : z};
        }
    }

    /**
     * Statistics of the training volume, computed once.
     *
     * @param phases number of phases (labels {@code 0..phases-1})
     * @param fractions volume fraction per label
     * @param s2 per label and axis, S2 at lags {@code 0..maxDistance}
     * @param tortuosity per axis (null when not computed)
     */
    public record Reference(int phases, double[] fractions, double[][][] s2, double[] tortuosity) {}

    /**
     * One phase's figures.
     *
     * @param label the label
     * @param fraction the sample's volume fraction
     * @param referenceFraction the training volume's
     * @param fractionError {@code fraction - referenceFraction}
     * @param s2Rmse S2 RMSE along each axis
     */
    public record PhaseMetrics(int label, double fraction, double referenceFraction, double fractionError,
            AxisValues s2Rmse) {}

    /**
     * The figures of one evaluation.
     *
     * @param iteration the iteration evaluated
     * @param sampleEdge the sample's edge in voxels
     * @param phases per-phase figures
     * @param maxFractionError largest |fraction error| over phases
     * @param maxS2Rmse largest S2 RMSE over phases and axes
     * @param tortuosityPhase the label whose tortuosity is compared
     * @param tortuosity the sample's per axis (null if not computed)
     * @param referenceTortuosity the training volume's per axis (null if not computed)
     * @param tortuosityRatio sample / reference per axis (null if not computed)
     * @param seconds time the evaluation took, generation included
     */
    public record Metrics(long iteration, int sampleEdge, List<PhaseMetrics> phases, double maxFractionError,
            double maxS2Rmse, int tortuosityPhase, AxisValues tortuosity, AxisValues referenceTortuosity,
            AxisValues tortuosityRatio, double seconds) {

        /**
         * Returns the largest |tortuosity ratio - 1| over the axes (infinite if any is missing).
         *
         * @return the worst relative tortuosity deviation, NaN if tortuosity was not computed
         */
        public double maxTortuosityDeviation() {
            if (tortuosityRatio == null) {
                return Double.NaN;
            }
            double worst = 0;
            for (double r : tortuosityRatio.toArray()) {
                worst = Math.max(worst, Double.isFinite(r) ? Math.abs(r - 1) : Double.POSITIVE_INFINITY);
            }
            return worst;
        }
    }

    private SampleEvaluation() {}

    /**
     * Computes the training volume's statistics.
     *
     * @param data the training volume, labels {@code 0..phases-1}
     * @param phases number of phases
     * @param options options
     * @return the reference statistics
     */
    public static Reference reference(Volume data, int phases, Options options) {
        return reference(data, phases, options, ProgressListener.NONE);
    }

    /**
     * Computes the training volume's statistics, reporting each S2 and tortuosity solve as a step.
     *
     * @param data the training volume, labels {@code 0..phases-1}
     * @param phases number of phases
     * @param options options
     * @param progress receives {@code (task, step, steps)}
     * @return the reference statistics
     */
    public static Reference reference(Volume data, int phases, Options options, ProgressListener progress) {
        String task = "measuring the training volume (S2, tortuosity)";
        int steps = phases + (options.tortuosity() ? 3 : 0);
        progress.progress(task, 0, steps);
        VolumeFractions.Result f = VolumeFractions.of(data);
        double[] fractions = new double[phases];
        for (int label = 0; label < phases; label++) {
            fractions[label] = f.fraction(label);
        }
        int lag = Math.min(options.maxDistance(), Math.min(data.nx(), Math.min(data.ny(), data.nz())) - 1);
        double[][][] s2 = new double[phases][][];
        for (int label = 0; label < phases; label++) {
            s2[label] = s2(data, label, lag);
            progress.progress(task, label + 1, steps);
        }
        double[] tau = null;
        if (options.tortuosity()) {
            Axis[] axes = {Axis.X, Axis.Y, Axis.Z};
            tau = new double[3];
            for (int a = 0; a < 3; a++) {
                tau[a] = Tortuosity.solve(data, options.tortuosityPhase(), axes[a],
                        EffectiveConductivity.Options.defaults()).tau();
                progress.progress(task, phases + a + 1, steps);
            }
        }
        return new Reference(phases, fractions, s2, tau);
    }

    /** What a cached reference was computed from: the volume's shape and label counts, and the options. */
    record CachedReference(int nx, int ny, int nz, long[] labelCounts, Options options, Reference reference) {}

    /**
     * Like {@link #reference(Volume, int, Options, ProgressListener)}, but kept in {@code cache} (JSON) and read
     * back when the same volume (shape and label counts) and options computed it, so that a resumed run does not
     * measure the training volume again.
     *
     * @param cache the cache file (written through a temporary file)
     * @param data the training volume
     * @param phases number of phases
     * @param options options
     * @param progress receives the steps when computing
     * @return the reference statistics
     * @throws IOException if the cache cannot be written
     */
    public static Reference reference(Path cache, Volume data, int phases, Options options, ProgressListener progress)
            throws IOException {
        long[] counts = data.labelCounts();
        if (Files.isRegularFile(cache)) {
            try {
                CachedReference c = SessionState.JSON.readValue(cache.toFile(), CachedReference.class);
                if (c.nx() == data.nx() && c.ny() == data.ny() && c.nz() == data.nz()
                        && java.util.Arrays.equals(c.labelCounts(), counts) && c.options().equals(options)
                        && c.reference().phases() == phases) {
                    return c.reference();
                }
            } catch (IOException e) {
                // unreadable: compute again and replace it
            }
        }
        Reference r = reference(data, phases, options, progress);
        byte[] json = SessionState.JSON.writeValueAsBytes(new CachedReference(data.nx(), data.ny(), data.nz(), counts,
                options, r));
        AtomicFile.write(cache, true, out -> out.write(json));
        return r;
    }

    /**
     * Computes the reference statistics from 2D sections, for a SliceGAN trained from images: one
     * image (isotropic: every axis gets the mean of the image's row and column curves) or the three
     * planes normal to x, y and z in {@code Volume.slice} orientation (x normal: columns y, rows z; y
     * normal: columns x, rows z; z normal: columns x, rows y), where each axis gets the mean of the two
     * images that contain it. Fractions are the mean over the images. There is no tortuosity reference
     * (it needs a volume), so evaluations report none.
     *
     * @param sections one or three images ({@code nz == 1}), labels {@code 0..phases-1}
     * @param phases number of phases
     * @param options options (the S2 lag is also limited by the smallest image edge)
     * @return the reference statistics, without tortuosity
     */
    public static Reference referenceFromSections(List<Volume> sections, int phases, Options options) {
        if (sections.size() != 1 && sections.size() != 3) {
            throw new IllegalArgumentException("need 1 or 3 sections, got " + sections.size());
        }
        int lag = options.maxDistance();
        for (Volume v : sections) {
            if (v.nz() != 1) {
                throw new IllegalArgumentException("sections must be 2D, got " + v.nx() + "x" + v.ny() + "x" + v.nz());
            }
            lag = Math.min(lag, Math.min(v.nx(), v.ny()) - 1);
        }
        // per section, which 3D axis its columns (image x) and rows (image y) lie along
        Axis[][] inPlane = sections.size() == 1 ? null
                : new Axis[][] {{Axis.Y, Axis.Z}, {Axis.X, Axis.Z}, {Axis.X, Axis.Y}};
        double[] fractions = new double[phases];
        double[][][] s2 = new double[phases][3][lag + 1];
        for (int label = 0; label < phases; label++) {
            int[] counts = new int[3];
            for (int i = 0; i < sections.size(); i++) {
                Volume v = sections.get(i);
                fractions[label] += VolumeFractions.of(v).fraction(label) / sections.size();
                double[][] curves = s2(v, label, lag); // [along x (columns), along y (rows), along z (unused)]
                for (int c = 0; c < 2; c++) {
                    Axis[] targets = inPlane == null ? Axis.values() : new Axis[] {inPlane[i][c]};
                    for (Axis t : targets) {
                        for (int r = 0; r <= lag; r++) {
                            s2[label][t.ordinal()][r] += curves[c][r];
                        }
                        counts[t.ordinal()]++;
                    }
                }
            }
            for (int a = 0; a < 3; a++) {
                for (int r = 0; r <= lag; r++) {
                    s2[label][a][r] /= counts[a];
                }
            }
        }
        return new Reference(phases, fractions, s2, null);
    }

    /**
     * Evaluates one sample.
     *
     * @param sample the generated volume
     * @param reference the training volume's statistics
     * @param options options
     * @param iteration the iteration, recorded in the result
     * @param startNanos {@link System#nanoTime()} when generation started, for {@code seconds}
     * @return the metrics
     */
    public static Metrics evaluate(Volume sample, Reference reference, Options options, long iteration, long startNanos) {
        return evaluatePooled(List.of(sample), reference, options, iteration, startNanos);
    }

    /**
     * Evaluates the statistics of several samples taken together: their mean fractions, mean S2 curves and mean
     * tortuosity per axis against the reference. One sample of a finite size differs from the whole training volume
     * by its own finite-size noise (a 128³ crop of the real NMC cathode differs from the whole by up to 0.025 in a
     * fraction and 0.03 in S2 RMSE; README, "Training a generator"); the mean over samples shows what the generator
     * gets wrong on average, which is what more samples cannot fix. With one sample this is {@link #evaluate}.
     *
     * @param samples generated volumes, at least one
     * @param reference the training volume's statistics
     * @param options options
     * @param iteration the iteration, recorded in the result
     * @param startNanos {@link System#nanoTime()} when generation started, for {@code seconds}
     * @return the metrics of the means ({@code sampleEdge}: the smallest edge)
     */
    public static Metrics evaluatePooled(List<Volume> samples, Reference reference, Options options, long iteration,
            long startNanos) {
        if (samples.isEmpty()) {
            throw new IllegalArgumentException("need at least one sample");
        }
        int phases = reference.phases();
        int edge = Integer.MAX_VALUE;
        for (Volume sample : samples) {
            edge = Math.min(edge, Math.min(sample.nx(), Math.min(sample.ny(), sample.nz())));
        }
        int lag = Math.min(Math.min(options.maxDistance(), edge / 2), reference.s2()[0][0].length - 1);
        boolean withTau = options.tortuosity() && reference.tortuosity() != null;
        double[] fractions = new double[phases];
        double[][][] curves = new double[phases][3][lag + 1];
        double[] tau = new double[3];
        for (Volume sample : samples) {
            VolumeFractions.Result f = VolumeFractions.of(sample);
            for (int label = 0; label < phases; label++) {
                fractions[label] += f.fraction(label) / samples.size();
                double[][] c = s2(sample, label, lag);
                for (int a = 0; a < 3; a++) {
                    for (int r = 0; r <= lag; r++) {
                        curves[label][a][r] += c[a][r] / samples.size();
                    }
                }
            }
            if (withTau) {
                double[] t = tortuosity(sample, options.tortuosityPhase());
                for (int a = 0; a < 3; a++) {
                    tau[a] += t[a] / samples.size();
                }
            }
        }
        List<PhaseMetrics> perPhase = new ArrayList<>();
        double maxFraction = 0;
        double maxRmse = 0;
        for (int label = 0; label < phases; label++) {
            double error = fractions[label] - reference.fractions()[label];
            double[] rmse = new double[3];
            for (int a = 0; a < 3; a++) {
                double sum = 0;
                for (int r = 0; r <= lag; r++) {
                    double d = curves[label][a][r] - reference.s2()[label][a][r];
                    sum += d * d;
                }
                rmse[a] = Math.sqrt(sum / (lag + 1));
                maxRmse = Math.max(maxRmse, rmse[a]);
            }
            maxFraction = Math.max(maxFraction, Math.abs(error));
            perPhase.add(new PhaseMetrics(label, fractions[label], reference.fractions()[label], error,
                    AxisValues.of(rmse)));
        }
        AxisValues sampleTau = null;
        AxisValues refTau = null;
        AxisValues ratio = null;
        if (withTau) {
            double[] r = new double[3];
            for (int a = 0; a < 3; a++) {
                r[a] = tau[a] / reference.tortuosity()[a];
            }
            sampleTau = AxisValues.of(tau);
            refTau = AxisValues.of(reference.tortuosity());
            ratio = AxisValues.of(r);
        }
        return new Metrics(iteration, edge, perPhase, maxFraction, maxRmse, options.tortuosityPhase(), sampleTau,
                refTau, ratio, (System.nanoTime() - startNanos) / 1e9);
    }

    private static double[][] s2(Volume v, int label, int lag) {
        TwoPointCorrelation.Result r = TwoPointCorrelation.compute(v, label, new TwoPointCorrelation.Options(false, lag));
        double[][] curves = new double[3][];
        Axis[] axes = {Axis.X, Axis.Y, Axis.Z};
        for (int a = 0; a < 3; a++) {
            double[] values = r.along(axes[a]).value();
            curves[a] = java.util.Arrays.copyOf(values, Math.min(values.length, lag + 1));
        }
        return curves;
    }

    private static double[] tortuosity(Volume v, int phase) {
        Axis[] axes = {Axis.X, Axis.Y, Axis.Z};
        double[] tau = new double[3];
        for (int a = 0; a < 3; a++) {
            tau[a] = Tortuosity.solve(v, phase, axes[a], EffectiveConductivity.Options.defaults()).tau();
        }
        return tau;
    }

    private static Double finite(double v) {
        return Double.isFinite(v) ? v : null;
    }
}
