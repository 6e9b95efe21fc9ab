package dev.microforge.generator.annealing;

import dev.microforge.datasets.Volume;
import dev.microforge.datasets.VoxelSize;
import dev.microforge.generator.LevelCut;
import java.util.SplittableRandom;

/**
 * The annealing quality benchmark of the issue, callable from {@code microforge bench reconstruct}: a 64^3
 * periodic two-phase target (white noise smoothed by three periodic box blurs of radius 2, cut at volume fraction
 * 0.4) and a 64^3 reconstruction matching its S2 along x, y and z for lags 0..31 voxels, to RMSE 0.002 within 60 s.
 */
public final class AnnealingBenchmark {
    private AnnealingBenchmark() {
    }

    /** Side of the benchmark cube, voxels. */
    public static final int SIZE = 64;
    /** Largest lag, voxels: all periodic lags of a 64-voxel side. */
    public static final int MAX_LAG = 31;

    /** The benchmark target volume (labels 1 = phase, 0 = matrix). Deterministic in {@code seed}. */
    public static Volume targetVolume(long seed) {
        return smoothTwoPhase(SIZE, SIZE, SIZE, 0.4, 2, seed);
    }

    /** Runs the 64^3 benchmark: target from {@code seed}, annealing seeded with {@code seed + 1}. */
    public static SimulatedAnnealing.Result run64(long seed, SimulatedAnnealing.Listener listener) {
        SimulatedAnnealing.Target target = SimulatedAnnealing.Target.fromVolume(targetVolume(seed), 1, MAX_LAG,
                false);
        return SimulatedAnnealing.reconstruct(target, SimulatedAnnealing.Options.defaults().withSeed(seed + 1),
                listener);
    }

    /** {@link #run64(long, SimulatedAnnealing.Listener)} without progress. */
    public static SimulatedAnnealing.Result run64(long seed) {
        return run64(seed, SimulatedAnnealing.Listener.NONE);
    }

    /**
     * A smooth periodic two-phase test structure: Gaussian white noise, three separable periodic box blurs of
     * half-width {@code radius} voxels, cut so that label 1 takes {@code fraction} of the voxels (to one voxel).
     */
    public static Volume smoothTwoPhase(int nx, int ny, int nz, double fraction, int radius, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        int n = nx * ny * nz;
        float[] f = new float[n];
        for (int i = 0; i < n; i++) {
            f[i] = (float) (random.nextDouble() - 0.5);
        }
        float[] tmp = new float[n];
        int[] size = {nx, ny, nz};
        int[] stride = {1, nx, nx * ny};
        for (int pass = 0; pass < 3; pass++) {
            for (int a = 0; a < 3; a++) {
                // periodic moving sum along axis a: O(N) per axis and pass
                for (int p = 0; p < n; p++) {
                    int c = a == 0 ? p % nx : a == 1 ? (p / nx) % ny : p / (nx * ny);
                    int base = p - c * stride[a];
                    float s = 0;
                    for (int d = -radius; d <= radius; d++) {
                        int cc = Math.floorMod(c + d, size[a]);
                        s += f[base + cc * stride[a]];
                    }
                    tmp[p] = s;
                }
                float[] t = f;
                f = tmp;
                tmp = t;
            }
        }
        return LevelCut.toFractions(f, nx, ny, nz, new double[] {1 - fraction, fraction}, VoxelSize.UNKNOWN);
    }
}
