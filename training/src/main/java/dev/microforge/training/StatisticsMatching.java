package dev.microforge.training;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import dev.microforge.datasets.Axis;
import dev.microforge.datasets.Volume;
import dev.microforge.evaluator.correlation.TwoPointCorrelation;
import dev.microforge.evaluator.morphology.LinealPath;
import dev.microforge.models.Scalars;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A statistics-matching term for a generator's loss: the mean squared difference between the
 * two-point correlation curves of a generated batch and those of the training volume, per phase
 * (relative to the phase's fraction), along x, y and z, for lags {@code r = 0..R} voxels; or, made by
 * {@link #linealPathOf}, the same on the lineal-path function.
 *
 * <p>Of a batch of phase probabilities {@code p (N, P, D, H, W)} (axes z, y, x; softmax output or
 * one-hot), the statistic at lag {@code r > 0} along an axis is the non-periodic estimator {@code
 * mean over the batch and over all voxel pairs inside the patch of p_k(v) p_k(v + r e)}, and at lag 0
 * the phase fraction {@code mean p_k}; for one-hot input both are exactly the evaluator's
 * non-periodic {@link TwoPointCorrelation} (pair-count normalisation), which the target is computed
 * with. Every operation is differentiable, so the term enters the generator's backward pass.
 *
 * <p>Why: adversarial training alone on 2 CPU cores and a few thousand iterations oscillated between
 * almost single-phase outputs on the NMC cathode (README, "Training a generator"). Matching the
 * data's statistics through the generator's loss is feature matching in the sense of Salimans et al.,
 * "Improved Techniques for Training GANs" (NeurIPS 2016), with the first two moments of the phase
 * indicator (S2, Torquato 2002) as features; the adversarial term still decides everything S2 does
 * not measure (particle shapes, higher-order statistics).
 *
 * <p>A term made by {@link #withAverage} keeps state (its running average) and belongs to one trainer; the others are
 * immutable.
 */
public final class StatisticsMatching {

    /**
     * The statistic a term matches: the two-point correlation ({@link #statistics}) or the lineal-path function
     * ({@link #linealPath}).
     */
    public enum Statistic {
        TWO_POINT,
        LINEAL_PATH
    }

    private final Statistic statistic;
    private final int maxLag;
    private final int phases;
    /** Target {@code [phase][axis z,y,x][lag]}. */
    private final float[] target;
    /** Per phase {@code 1 / max(phi_k, 0.01)}: differences are relative to the phase's fraction. */
    private final float[] scale;
    /** Decay of the running average of the batches' statistics ({@link #withAverage}); 0: none. */
    private final double average;
    /** The running average, like {@link #target}; null before the first {@link #commit}. */
    private float[] running;
    /** The average including the last batch {@link #addTo} measured, until {@link #commit}. */
    private float[] pending;

    private StatisticsMatching(Statistic statistic, int phases, int maxLag, float[] target, double average) {
        this.statistic = statistic;
        this.phases = phases;
        this.maxLag = maxLag;
        this.target = target;
        this.average = average;
        this.scale = new float[phases];
        for (int k = 0; k < phases; k++) {
            scale[k] = 1f / Math.max(target[k * 3 * (maxLag + 1)], 0.01f);
        }
    }

    /**
     * The same term whose gradient matches a running average of the batches' statistics to the target instead of
     * each batch's: after batch {@code t} the average is {@code A_t = d A_{t-1} + (1 - d) S_t} ({@code A_1 = S_1}),
     * and the gradient with respect to the batch's statistics {@code S_t} is that of the per-batch term with {@code
     * S_t - T} replaced by {@code A_t - T}. The reported value stays the per-batch term's.
     *
     * <p>Why: the per-batch term is the expected squared error {@code E|S - T|^2 = |E S - T|^2 + Var S}; with one
     * 64³ volume per iteration the variance part is as large as the bias, and a generator lowers it by making its
     * features smaller (more independent features per volume, less scatter of S). On the NMC cathode the 128³
     * samples' normalised autocovariance of the pore at lag 8 was 0.09 below the electrode's at weight 1000 and 0.14
     * below at weight 10000 (README, "Training a generator"). Matching the average matches {@code E S}, the
     * quantity the target is: Salimans et al.'s feature matching (NeurIPS 2016) compares means over a batch; the
     * average extends the batch over past iterations.
     *
     * @param decay {@code d} in [0, 1); 0: the per-batch term
     * @return a new term with the same target and no average yet
     */
    public StatisticsMatching withAverage(double decay) {
        if (!(decay >= 0 && decay < 1)) {
            throw new IllegalArgumentException("statistics average must be in [0, 1), got " + decay);
        }
        return new StatisticsMatching(statistic, phases, maxLag, target, decay);
    }

    /**
     * The target statistics of a labelled volume.
     *
     * @param volume labels {@code 0..phases-1}
     * @param phases number of phases
     * @param maxLag the largest lag {@code R}, at least 1 and smaller than every edge of the volume
     * @return the matching term
     */
    public static StatisticsMatching of(Volume volume, int phases, int maxLag) {
        checkLag(volume, maxLag, "statistics");
        return of(SampleEvaluation.reference(volume, phases, new SampleEvaluation.Options(8, maxLag, false, 0)), maxLag);
    }

    /**
     * The target statistics of a reference: a training volume's ({@link SampleEvaluation#reference}) or that
     * of 2D sections ({@link SampleEvaluation#referenceFromSections}, for SliceGAN trained from images).
     *
     * @param reference per phase and axis, S2 at lags {@code 0..} at least {@code maxLag}
     * @param maxLag the largest lag {@code R}, at least 1
     * @return the matching term
     */
    public static StatisticsMatching of(SampleEvaluation.Reference reference, int maxLag) {
        if (maxLag < 1) {
            throw new IllegalArgumentException("statistics lag must be at least 1 voxel, got " + maxLag);
        }
        int phases = reference.phases();
        float[] target = new float[phases * 3 * (maxLag + 1)];
        for (int k = 0; k < phases; k++) {
            double[][] s2 = reference.s2()[k]; // [x, y, z][lag]
            for (int a = 0; a < 3; a++) {
                double[] curve = s2[2 - a]; // target order z, y, x
                if (curve.length <= maxLag) {
                    throw new IllegalArgumentException("statistics lag " + maxLag + " does not fit the training data: "
                            + "its two-point correlation reaches " + (curve.length - 1) + " voxels; lower statisticsMaxLag");
                }
                for (int r = 0; r <= maxLag; r++) {
                    target[(k * 3 + a) * (maxLag + 1) + r] = (float) curve[r];
                }
            }
        }
        return new StatisticsMatching(Statistic.TWO_POINT, phases, maxLag, target, 0);
    }

    /**
     * A term on the lineal-path function instead ({@link #linealPath}): per phase and axis the probability that
     * {@code r + 1} consecutive voxels along the axis are all of the phase (Lu and Torquato, Phys. Rev. A 45 (1992)
     * 922), the training volume's by the evaluator's {@link LinealPath} (non-periodic), lags {@code 0..R}.
     *
     * <p>Why: S2 per axis says how far a phase's voxels correlate, not whether its straight paths go through; a
     * generator matching S2 on the NMC cathode gave pores as long along x as along z (L(16) / phi 0.30 and 0.27),
     * where the calendered electrode's are longer in the plane (0.40 and 0.34), and its pore tortuosity missed the
     * same anisotropy (README, "Training a generator").
     *
     * @param volume labels {@code 0..phases-1}
     * @param phases number of phases
     * @param maxLag the largest lag {@code R}, at least 1 and smaller than every edge of the volume
     * @return the matching term
     */
    public static StatisticsMatching linealPathOf(Volume volume, int phases, int maxLag) {
        checkLag(volume, maxLag, "lineal-path");
        float[] target = new float[phases * 3 * (maxLag + 1)];
        Axis[] order = {Axis.Z, Axis.Y, Axis.X};
        for (int k = 0; k < phases; k++) {
            LinealPath.Result l = LinealPath.compute(volume, k, new LinealPath.Options(maxLag, false));
            for (int a = 0; a < 3; a++) {
                for (int r = 0; r <= maxLag; r++) {
                    target[(k * 3 + a) * (maxLag + 1) + r] = (float) l.along(order[a]).at(r);
                }
            }
        }
        return new StatisticsMatching(Statistic.LINEAL_PATH, phases, maxLag, target, 0);
    }

    /** Refuses a lag below 1 or not smaller than every edge of the volume ({@code what}: the term, for messages). */
    private static void checkLag(Volume volume, int maxLag, String what) {
        if (maxLag < 1) {
            throw new IllegalArgumentException(what + " lag must be at least 1 voxel, got " + maxLag);
        }
        if (maxLag >= Math.min(volume.nx(), Math.min(volume.ny(), volume.nz()))) {
            throw new IllegalArgumentException(what + " lag " + maxLag + " does not fit the volume "
                    + volume.nx() + "x" + volume.ny() + "x" + volume.nz());
        }
    }

    /** The statistic this term matches. */
    public Statistic statistic() {
        return statistic;
    }

    /**
     * Returns the largest lag.
     *
     * @return {@code R}, voxels
     */
    public int maxLag() {
        return maxLag;
    }

    /**
     * The statistics of a batch, differentiable.
     *
     * @param p phase probabilities {@code (N, P, D, H, W)}, every edge larger than {@code maxLag}
     * @param maxLag the largest lag
     * @return {@code (P, 3, maxLag + 1)}: per phase, per axis (z, y, x), lag 0 the fraction
     */
    public static NDArray statistics(NDArray p, int maxLag) {
        return curves(p, maxLag, false);
    }

    /**
     * The lineal-path function of a batch, differentiable: at lag {@code r} along an axis the mean, over the batch
     * and over every run of {@code r + 1} voxels inside the patch along the axis, of the product of their
     * probabilities of the phase, built lag by lag ({@code P_r(v) = P_{r-1}(v) p(v + r e)}); lag 0 is the fraction.
     * For one-hot input it is exactly the evaluator's non-periodic {@link LinealPath}.
     *
     * @param p phase probabilities {@code (N, P, D, H, W)}, every edge larger than {@code maxLag}
     * @param maxLag the largest lag
     * @return {@code (P, 3, maxLag + 1)}: per phase, per axis (z, y, x)
     */
    public static NDArray linealPath(NDArray p, int maxLag) {
        return curves(p, maxLag, true);
    }

    /**
     * Per phase and axis the mean over the batch and the patch of {@code p(v) p(v + r e)} (S2) or of the running
     * product {@code P_r(v) = P_{r-1}(v) p(v + r e)} (lineal path) at lags {@code 0..maxLag}: {@code (P, 3, R + 1)}.
     */
    private static NDArray curves(NDArray p, int maxLag, boolean lineal) {
        Shape s = checkedShape(p, maxLag);
        int[] reduce = {0, 2, 3, 4};
        // the PyTorch engine's mean() takes one axis only: sums over several, divided by the count
        NDArray fraction = Scalars.over(p.sum(reduce), s.size() / s.get(1));
        NDList axes = new NDList();
        for (int d = 2; d < 5; d++) {
            NDList lags = new NDList();
            lags.add(fraction);
            long n = s.get(d);
            NDArray run = p;
            for (int r = 1; r <= maxLag; r++) {
                // S2 pairs p(v) with p(v + r); the lineal path extends each run of r voxels by the one after it
                NDArray product = (lineal ? run : p).get(slice(d, 0, n - r)).mul(p.get(slice(d, r, n)));
                if (lineal) {
                    run = product;
                }
                lags.add(Scalars.over(product.sum(reduce), s.size() / s.get(1) / n * (n - r)));
            }
            axes.add(NDArrays.stack(lags, 1)); // (P, R+1)
        }
        return NDArrays.stack(axes, 1); // (P, 3, R+1)
    }

    private NDArray measure(NDArray p) {
        return statistic == Statistic.TWO_POINT ? statistics(p, maxLag) : linealPath(p, maxLag);
    }

    /**
     * The term: the mean over phases, axes and lags of the squared difference between the batch's
     * statistics and the target, each phase's difference divided by its target fraction {@code phi_k}
     * (at least 0.01), so that a minority phase weighs as much as a majority phase (S2 of a phase scales
     * with {@code phi_k}; unscaled, a CBD fraction of 0.02 against 0.10 cost less than S2 noise of the pore).
     *
     * @param p phase probabilities {@code (N, P, D, H, W)} with {@code P} the target's phases
     * @return a scalar array (differentiable with respect to {@code p})
     */
    public NDArray loss(NDArray p) {
        if (p.getShape().get(1) != phases) {
            throw new IllegalArgumentException("expected " + phases + " phases, got " + p.getShape());
        }
        return difference(measure(p));
    }

    /**
     * The term on the labels the generator's output stands for: the statistics of {@code argmax} over the
     * phases (what a generated volume is, and what the evaluation measures) with the gradient of the soft
     * statistics (the straight-through estimator, Bengio, Leonard and Courville, arXiv:1308.3432, 2013).
     * Matching the soft probabilities instead let a blurred output meet the fractions that its labels
     * missed (at 100 iterations on the NMC cathode: mean CBD probability 0.10, CBD label fraction 0.015).
     *
     * @param p phase probabilities {@code (N, P, D, H, W)}
     * @return a scalar array whose value is the hard labels' term and whose gradient is the soft one's
     */
    public NDArray hardLoss(NDArray p) {
        return difference(hardStatistics(p));
    }

    /** The statistics of the argmax labels with the soft statistics' gradient (straight through), (P, 3, R + 1). */
    private NDArray hardStatistics(NDArray p) {
        if (p.getShape().get(1) != phases) {
            throw new IllegalArgumentException("expected " + phases + " phases, got " + p.getShape());
        }
        NDArray detached = p.stopGradient();
        NDArray hard = detached.eq(detached.max(new int[] {1}, true)).toType(p.getDataType(), false);
        NDArray straightThrough = p.add(hard.sub(detached));
        return measure(straightThrough);
    }

    /**
     * A generator loss with the term: {@code loss + weight * hardLoss(p)}, and the unweighted term for the log.
     *
     * @param loss the generator's loss so far (returned as it is when {@code weight} is 0)
     * @param unweighted {@link #hardLoss} of the batch, always measured
     */
    public record GeneratorLoss(NDArray loss, double unweighted) {}

    /**
     * Adds the term to a generator's loss. With weight 0 the term is measured on the detached batch (logged, no
     * gradient) and the loss is left as it is. With a running average ({@link #withAverage}) the added part has the
     * gradient of {@code weight * mean((w (A - T))^2)} with respect to this batch's statistics, {@code A} the average
     * including this batch (taken in by {@link #commit}); the logged value is still the batch's own term.
     *
     * @param loss the adversarial loss, a scalar
     * @param p the batch's phase probabilities {@code (N, P, D, H, W)}
     * @param weight {@code mu}, at least 0
     * @return the loss to differentiate and the unweighted term
     */
    public GeneratorLoss addTo(NDArray loss, NDArray p, double weight) {
        boolean matching = weight > 0;
        NDArray stats = hardStatistics(matching ? p : p.stopGradient());
        NDArray match = difference(stats);
        if (!matching) {
            return new GeneratorLoss(loss, value(match));
        }
        if (average == 0) {
            return new GeneratorLoss(loss.add(Scalars.times(match, weight)), value(match));
        }
        // the running average including this batch; the surrogate mean(2 w^2 (A - T) S) has the per-batch term's
        // gradient with S - T replaced by A - T
        NDManager m = stats.getManager();
        float[] now = stats.stopGradient().toType(DataType.FLOAT32, false).toFloatArray();
        pending = new float[now.length];
        for (int i = 0; i < now.length; i++) {
            pending[i] = running == null ? now[i] : (float) (average * running[i] + (1 - average) * now[i]);
        }
        NDArray deviation = Scalars.times(m.create(pending, stats.getShape()).toType(stats.getDataType(), false)
                .sub(target(stats)).mul(weights(stats).square()), 2);
        NDArray surrogate = deviation.mul(stats).mean();
        return new GeneratorLoss(loss.add(Scalars.times(surrogate, weight)), value(match));
    }

    /**
     * Takes the batch the last {@link #addTo} measured into the running average ({@link #withAverage}): called once
     * per generator step that is kept, so that a step computed again does not count its batch twice. No effect
     * without an average.
     */
    public void commit() {
        if (pending != null) {
            running = pending;
            pending = null;
        }
    }

    /**
     * Returns the running average of the batches' statistics, for a checkpoint.
     *
     * @return a copy, {@code [phase][axis z,y,x][lag]} flattened, or null before the first committed batch or
     *     without an average
     */
    public float[] runningAverage() {
        return running == null ? null : running.clone();
    }

    /**
     * Restores the running average from a checkpoint.
     *
     * @param values what {@link #runningAverage} returned, or null for none yet
     * @throws IllegalArgumentException when the length does not fit this term's phases and lags
     */
    public void restoreAverage(float[] values) {
        if (values != null && values.length != target.length) {
            throw new IllegalArgumentException("a running average of " + values.length + " statistics for a term of "
                    + target.length + " (" + phases + " phases, lags 0.." + maxLag + ")");
        }
        running = values == null ? null : values.clone();
        pending = null;
    }

    /** A checkpoint's file of the running averages ({@link #writeAverages}), when its run has {@code statisticsAverage}. */
    public static final String AVERAGES_FILE = "statistics-average.bin";

    /** First int of a file of running averages ({@link #writeAverages}): "MFSA". */
    private static final int AVERAGES_MAGIC = 0x4D465341;
    private static final int AVERAGES_VERSION = 1;

    /**
     * Writes terms' running averages ({@link #runningAverage}) to a checkpoint file: a magic number and a version,
     * then per term, in order, a count ({@code -1} for a null term or no average yet) and that many floats
     * (big-endian).
     *
     * @param file the file to write
     * @param terms the terms, null entries allowed (a term the run does not have)
     * @throws IOException if the file cannot be written
     */
    public static void writeAverages(Path file, StatisticsMatching... terms) throws IOException {
        try (DataOutputStream out = new DataOutputStream(new BufferedOutputStream(Files.newOutputStream(file)))) {
            out.writeInt(AVERAGES_MAGIC);
            out.writeInt(AVERAGES_VERSION);
            for (StatisticsMatching term : terms) {
                float[] a = term == null ? null : term.runningAverage();
                out.writeInt(a == null ? -1 : a.length);
                for (int i = 0; a != null && i < a.length; i++) {
                    out.writeFloat(a[i]);
                }
            }
        }
    }

    /**
     * Restores terms' running averages from a file {@link #writeAverages} wrote with the same terms.
     *
     * @param file the checkpoint's file
     * @param terms the terms, in the order written (null entries skip what was written for them)
     * @throws IOException naming the file when it is missing, truncated, corrupt or does not fit the terms
     */
    public static void readAverages(Path file, StatisticsMatching... terms) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new IOException(file + " is missing: the checkpoint was written without statisticsAverage; resume "
                    + "with the settings it was trained with");
        }
        try (DataInputStream in = new DataInputStream(new BufferedInputStream(Files.newInputStream(file)))) {
            if (in.readInt() != AVERAGES_MAGIC) {
                throw new IOException(file + " is not a file of statistics averages (bad magic number)");
            }
            int version = in.readInt();
            if (version != AVERAGES_VERSION) {
                throw new IOException(file + ": statistics averages version " + version + " is not supported (expected "
                        + AVERAGES_VERSION + ")");
            }
            for (StatisticsMatching term : terms) {
                int n = in.readInt();
                if (n < -1 || n > 1 << 20) {
                    throw new IOException(file + " is corrupt (a term of " + n + " statistics)");
                }
                float[] a = n < 0 ? null : new float[n];
                for (int i = 0; a != null && i < n; i++) {
                    a[i] = in.readFloat();
                }
                if (term != null) {
                    term.restoreAverage(a);
                }
            }
        } catch (EOFException e) {
            throw new IOException(file + " is truncated", e);
        } catch (IllegalArgumentException e) {
            throw new IOException(file + " does not fit these settings: " + e.getMessage(), e);
        }
    }

    /** A scalar's value, whatever its float type. */
    private static double value(NDArray scalar) {
        return scalar.toType(DataType.FLOAT64, false).getDouble();
    }

    private NDArray difference(NDArray stats) {
        return stats.sub(target(stats)).mul(weights(stats)).square().mean();
    }

    private NDArray target(NDArray like) {
        return like.getManager().create(target, new Shape(phases, 3, maxLag + 1)).toType(like.getDataType(), false);
    }

    private NDArray weights(NDArray like) {
        return like.getManager().create(scale, new Shape(phases, 1, 1)).toType(like.getDataType(), false);
    }

    private static Shape checkedShape(NDArray p, int maxLag) {
        Shape s = p.getShape();
        if (s.dimension() != 5) {
            throw new IllegalArgumentException("expected (N, P, D, H, W), got " + s);
        }
        for (int d = 2; d < 5; d++) {
            if (s.get(d) <= maxLag) {
                throw new IllegalArgumentException("patch " + s + " is not larger than the statistics lag " + maxLag);
            }
        }
        return s;
    }

    private static String slice(int dim, long from, long to) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < dim; i++) {
            b.append(":,");
        }
        return b.append(from).append(':').append(to).toString();
    }
}
