package dev.microforge.training;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.microforge.datasets.Volume;
import java.util.SplittableRandom;

/**
 * Draws random cubic patches from a labelled volume as one-hot arrays {@code (N, phases, p, p, p)}
 * (axes z, y, x), one patch at a time: patches are never preloaded. Labels must be {@code
 * 0..phases-1}. Deterministic for a given seed.
 */
public final class OneHotPatchSampler {

    private final Volume volume;
    private final int patchSize;
    private final int phases;
    private final SplittableRandom random;

    /**
     * Creates the sampler.
     *
     * @param volume labelled volume with labels {@code 0..phases-1}, at least {@code patchSize} per axis
     * @param patchSize patch edge
     * @param phases number of phases (one-hot channels)
     * @param seed sampler seed
     */
    public OneHotPatchSampler(Volume volume, int patchSize, int phases, long seed) {
        if (patchSize < 1 || volume.nx() < patchSize || volume.ny() < patchSize || volume.nz() < patchSize) {
            throw new IllegalArgumentException(
                    "patch size " + patchSize + " does not fit volume " + volume.nx() + "x" + volume.ny() + "x"
                            + volume.nz());
        }
        long[] counts = volume.labelCounts();
        for (int label = phases; label < counts.length; label++) {
            if (counts[label] > 0) {
                throw new IllegalArgumentException(
                        "volume has label " + label + " but the model has " + phases
                                + " phases (labels 0.." + (phases - 1) + "); remap labels first");
            }
        }
        this.volume = volume;
        this.patchSize = patchSize;
        this.phases = phases;
        this.random = new SplittableRandom(seed);
    }

    /**
     * Draws {@code batch} patches.
     *
     * @param manager where the array lives
     * @param batch number of patches
     * @return one-hot float32 array {@code (batch, phases, p, p, p)}
     */
    public NDArray sample(NDManager manager, int batch) {
        return sample(manager, batch, random);
    }

    /**
     * Draws {@code batch} patches with the corners drawn from {@code random} (for per-iteration
     * streams, see {@link IterationSeeds}).
     *
     * @param manager where the array lives
     * @param batch number of patches
     * @param random source of the patch corners
     * @return one-hot float32 array {@code (batch, phases, p, p, p)}
     */
    public NDArray sample(NDManager manager, int batch, SplittableRandom random) {
        int p = patchSize;
        int cube = p * p * p;
        float[] data = new float[batch * phases * cube];
        for (int n = 0; n < batch; n++) {
            int x0 = random.nextInt(volume.nx() - p + 1);
            int y0 = random.nextInt(volume.ny() - p + 1);
            int z0 = random.nextInt(volume.nz() - p + 1);
            int base = n * phases * cube;
            for (int z = 0; z < p; z++) {
                for (int y = 0; y < p; y++) {
                    for (int x = 0; x < p; x++) {
                        int label = volume.get(x0 + x, y0 + y, z0 + z);
                        data[base + label * cube + (z * p + y) * p + x] = 1f;
                    }
                }
            }
        }
        return manager.create(data, new Shape(batch, phases, p, p, p));
    }
}
