package dev.microforge.training;

import java.util.SplittableRandom;

/**
 * Random streams derived from a training seed, an iteration number and a purpose, so that what an
 * iteration draws (patches, latents, noise) does not depend on what earlier iterations drew: a run
 * resumed at iteration k draws exactly what an uninterrupted run draws there, with no random state
 * to checkpoint.
 */
final class StepRandom {

    private StepRandom() {}

    /**
     * Returns the stream for {@code (seed, iteration, purpose)}; distinct triples give independent
     * streams (the three are hashed with the SplitMix64 finaliser before seeding).
     *
     * @param seed the training seed
     * @param iteration the iteration (or step) number
     * @param purpose a small constant naming what the stream is for
     * @return a fresh stream
     */
    static SplittableRandom of(long seed, long iteration, int purpose) {
        long h = mix(seed);
        h = mix(h ^ iteration);
        h = mix(h ^ purpose);
        return new SplittableRandom(h);
    }

    private static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
