package dev.microforge.training;

/**
 * Tells a corrupted gradient from a real one by its size, so that the step can be computed again.
 * Until 2026-11-27 a gradient now and then came back with garbage entries (NaN, or 1e10..1e38 where the true entries
 * are orders of magnitude smaller), at random, in runs that were otherwise bit-identical: seen in Gram-matrix
 * reconstruction and in SliceGAN training (a critic gradient norm of 1.1e17 where replaying the same iteration from
 * its checkpoint gave 33). We first blamed libtorch; the cause was DJL's arithmetic with a number under autograd,
 * whose saved operand the garbage collector freed before the backward pass ({@link
 * dev.microforge.models.Scalars}, which fixed it). The guard stays as a safety net; it cannot catch a finite
 * gradient that is wrong by less than its factor. A magnitude (a gradient norm or largest entry) is accepted when it is finite
 * and at most {@code factor} times the running typical magnitude (an exponential mean, weight 0.1, of
 * the accepted ones); the first finite one is always accepted.
 *
 * <p>The running mean is not checkpointed: a resumed run starts with no history, which changes
 * nothing unless the first gradient after resuming is itself corrupted.
 */
public final class GradientGuard {

    /** The factor used by the trainers: a real gradient does not grow a thousandfold between steps. */
    public static final double DEFAULT_FACTOR = 1e3;
    /** How many times the trainers compute a step before giving it up. */
    public static final int ATTEMPTS = 4;

    private final double factor;
    private double typical;
    private int retries;

    /** A guard with {@link #DEFAULT_FACTOR}. */
    public GradientGuard() {
        this(DEFAULT_FACTOR);
    }

    /**
     * Creates a guard.
     *
     * @param factor how many times the typical magnitude is still accepted, > 1
     */
    public GradientGuard(double factor) {
        if (!(factor > 1) || Double.isInfinite(factor)) {
            throw new IllegalArgumentException("guard factor must be a finite number > 1, got " + factor);
        }
        this.factor = factor;
    }

    /**
     * Judges one gradient and, when it is accepted, updates the typical magnitude.
     *
     * @param magnitude the gradient's norm or largest entry
     * @return true to use the gradient, false to compute it again
     */
    public boolean accept(double magnitude) {
        if (!Double.isFinite(magnitude) || (typical > 0 && magnitude > factor * typical)) {
            retries++;
            return false;
        }
        typical = typical == 0 ? magnitude : 0.9 * typical + 0.1 * magnitude;
        return true;
    }

    /**
     * Takes a magnitude that was rejected on every attempt as the new typical one: a real change of
     * scale recomputes to the same value each time, a corrupted gradient does not, so a caller that
     * saw the same rejection {@link #ATTEMPTS} times calls this instead of stalling forever.
     *
     * @param magnitude the magnitude; ignored unless finite
     */
    public void adopt(double magnitude) {
        if (Double.isFinite(magnitude)) {
            typical = magnitude;
        }
    }

    /**
     * Returns how many gradients were rejected so far.
     *
     * @return the count
     */
    public int retries() {
        return retries;
    }
}
