package dev.microforge.models;

import java.util.SplittableRandom;

/**
 * Standard-normal numbers from a Java random stream (Box-Muller), independent of the engine's global
 * random state: latents, reparameterisation noise and sampler draws made from the same seed are the
 * same on every engine and device.
 */
public final class GaussianNoise {

    private GaussianNoise() {}

    /**
     * Draws one standard-normal number.
     *
     * @param random the stream (advanced by two draws)
     * @return a N(0, 1) sample
     */
    public static double next(SplittableRandom random) {
        double u1 = random.nextDouble();
        double u2 = random.nextDouble();
        return Math.sqrt(-2 * Math.log(1 - u1)) * Math.cos(2 * Math.PI * u2);
    }

    /**
     * Draws {@code count} standard-normal numbers from a stream seeded with {@code seed}.
     *
     * @param seed the seed
     * @param count how many, at least 0
     * @return the samples, as float32
     */
    public static float[] floats(long seed, int count) {
        if (count < 0) {
            throw new IllegalArgumentException("count must be at least 0, got " + count);
        }
        SplittableRandom random = new SplittableRandom(seed);
        float[] values = new float[count];
        for (int i = 0; i < count; i++) {
            values[i] = (float) next(random);
        }
        return values;
    }
}
