package dev.microforge.training;

import java.util.SplittableRandom;

/**
 * Per-iteration random streams derived from a training seed: the randomness of iteration {@code i}
 * (patches, latents, interpolation weights) is a pure function of {@code (seed, i, stream)}, never of
 * how many numbers earlier iterations drew, so a run resumed from a checkpoint at iteration {@code
 * N} draws exactly what an uninterrupted run draws from iteration {@code N + 1} on.
 *
 * <p>Mixing: SplitMix64's finaliser (Steele, Lea and Flood, "Fast splittable pseudorandom number
 * generators", OOPSLA 2014) applied to the seed and to the iteration and stream numbers, then a
 * {@link SplittableRandom} seeded with the result.
 */
public final class IterationSeeds {

    private static final long GOLDEN = 0x9E3779B97F4A7C15L;

    private final long seed;

    /**
     * Creates the seed sequence.
     *
     * @param seed the training seed
     */
    public IterationSeeds(long seed) {
        this.seed = seed;
    }

    /**
     * Returns the training seed.
     *
     * @return the seed
     */
    public long seed() {
        return seed;
    }

    /**
     * The seed of one stream of one iteration.
     *
     * @param iteration 1-based iteration
     * @param stream stream number within the iteration (e.g. critic step k)
     * @return a well-mixed 64-bit seed
     */
    public long seed(long iteration, int stream) {
        return mix(mix(seed) ^ mix(iteration * GOLDEN + stream + 1));
    }

    /**
     * A random generator for one stream of one iteration.
     *
     * @param iteration 1-based iteration
     * @param stream stream number within the iteration
     * @return a fresh generator
     */
    public SplittableRandom random(long iteration, int stream) {
        return new SplittableRandom(seed(iteration, stream));
    }

    static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
