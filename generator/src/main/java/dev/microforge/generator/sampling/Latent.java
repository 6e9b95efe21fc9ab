package dev.microforge.generator.sampling;

import dev.microforge.datasets.MemoryBudget;
import dev.microforge.datasets.io.AtomicFile;
import dev.microforge.datasets.io.NpyCodec;
import dev.microforge.datasets.io.VolumeFormatException;
import dev.microforge.models.GaussianNoise;
import dev.microforge.models.LatentPadding;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * A spatial latent: {@code channels} values per latent voxel on an {@code nx x ny x nz} grid, the input of a
 * trained generator ({@link dev.microforge.models.LatentDecoder}).
 *
 * <p>Layout: C order of shape {@code (channels, nz, ny, nx)}, index {@code x + nx * (y + ny * (z + nz * c))}: one
 * sample of DJL's NCDHW (D = z, H = y, W = x), and what {@code np.load} gives for the {@code .npy} files written
 * by {@link #write}. Values are standard-normal draws unless interpolated or edited.
 *
 * @param channels latent channels, at least 1
 * @param nx latent size along x, at least 1 (likewise ny, nz)
 * @param ny latent size along y
 * @param nz latent size along z
 * @param values {@code channels * nz * ny * nx} values, C order
 */
public record Latent(int channels, int nx, int ny, int nz, float[] values) {
    public Latent {
        if (channels < 1 || nx < 1 || ny < 1 || nz < 1) {
            throw new IllegalArgumentException("latent channels and sizes must be at least 1, got (" + channels
                    + ", " + nz + ", " + ny + ", " + nx + ")");
        }
        long n = (long) channels * nx * ny * nz;
        if (values == null || values.length != n) {
            throw new IllegalArgumentException("latent (" + channels + ", " + nz + ", " + ny + ", " + nx + ") needs "
                    + n + " values, got " + (values == null ? "none" : values.length));
        }
    }

    /**
     * Draws a standard-normal latent from {@code seed} ({@link GaussianNoise}: Box-Muller on a
     * {@link java.util.SplittableRandom}, in index order), independent of any engine's random state: the same seed
     * gives the same latent on every machine, and the same values as the models draw for one sample of that shape
     * ({@code GanModel.latent} for a cubic latent, {@code VaeModel.sample}).
     *
     * @throws dev.microforge.datasets.VolumeTooLargeException when the values do not fit the heap
     */
    public static Latent gaussian(int channels, int nx, int ny, int nz, long seed) {
        long n = (long) channels * nx * ny * nz;
        if (channels < 1 || nx < 1 || ny < 1 || nz < 1) {
            throw new IllegalArgumentException("latent channels and sizes must be at least 1, got (" + channels
                    + ", " + nz + ", " + ny + ", " + nx + ")");
        }
        MemoryBudget.require(n, 4, "a (" + channels + ", " + nz + ", " + ny + ", " + nx + ") latent");
        float[] v = GaussianNoise.floats(seed, (int) n);
        return new Latent(channels, nx, ny, nz, v);
    }

    /** Number of values, {@code channels * nx * ny * nz}. */
    public int size() {
        return values.length;
    }

    /** Value of channel {@code c} at latent voxel {@code (x, y, z)}. */
    public float get(int c, int x, int y, int z) {
        return values[x + nx * (y + ny * (z + nz * c))];
    }

    /**
     * The latent extended by {@code margin} voxels on each side of each axis with the values of the opposite side
     * (circular padding): decoding it and cutting {@code margin * step} voxels off each side gives a volume that
     * tiles space periodically (Gayon-Lombardo et al., npj Comput. Mater. 6 (2020) 82).
     */
    public Latent padCircular(int margin) {
        return new Latent(channels, nx + 2 * margin, ny + 2 * margin, nz + 2 * margin,
                LatentPadding.circular(values, channels, nx, ny, nz, margin));
    }

    /**
     * The latent extended by {@code margin} voxels on each side of each axis with its mirror image ({@link
     * LatentPadding#mirror}): decoding it and cutting {@code margin * step} voxels off each side gives a non-periodic
     * volume whose faces the generator decoded like its interior.
     */
    public Latent padMirror(int margin) {
        return new Latent(channels, nx + 2 * margin, ny + 2 * margin, nz + 2 * margin,
                LatentPadding.mirror(values, channels, nx, ny, nz, margin));
    }

    /** The latent voxels {@code [z0, z1)} along z, every channel, x and y. */
    public Latent slabZ(int z0, int z1) {
        if (z0 < 0 || z1 > nz || z0 >= z1) {
            throw new IllegalArgumentException("slab [" + z0 + ", " + z1 + ") outside the latent's 0.." + nz);
        }
        int plane = nx * ny;
        int depth = z1 - z0;
        float[] out = new float[channels * depth * plane];
        for (int c = 0; c < channels; c++) {
            System.arraycopy(values, plane * (z0 + nz * c), out, plane * depth * c, plane * depth);
        }
        return new Latent(channels, nx, ny, depth, out);
    }

    /** Whether {@code other} has the same channels and sizes. */
    public boolean sameShape(Latent other) {
        return other != null && channels == other.channels && nx == other.nx && ny == other.ny && nz == other.nz;
    }

    /** The shape as text, {@code (channels, nz, ny, nx)}. */
    public String shapeText() {
        return "(" + channels + ", " + nz + ", " + ny + ", " + nx + ")";
    }

    /**
     * Writes the latent as a float32 {@code .npy} of shape {@code (channels, nz, ny, nx)} through a temporary file.
     *
     * @param overwrite replace an existing file
     */
    public void write(Path file, boolean overwrite) throws IOException {
        NpyCodec.FloatArray a = new NpyCodec.FloatArray(new long[] {channels, nz, ny, nx}, values);
        AtomicFile.write(file, overwrite, out -> NpyCodec.writeFloatArray(a, out));
    }

    /**
     * Reads a latent {@code .npy}: float32 or float64, C order, shape {@code (channels, nz, ny, nx)} or {@code (1,
     * channels, nz, ny, nx)}.
     *
     * @throws VolumeFormatException naming the file for another rank or dtype
     */
    public static Latent read(Path file) throws IOException {
        NpyCodec.FloatArray a = NpyCodec.readFloatArray(file);
        long[] s = a.shape();
        if (s.length == 5 && s[0] == 1) {
            s = Arrays.copyOfRange(s, 1, 5);
        }
        if (s.length != 4) {
            throw VolumeFormatException.of(file, "a latent has shape (channels, nz, ny, nx), got "
                    + Arrays.toString(a.shape()) + "; use a latent file written by 'microforge generate'");
        }
        return new Latent((int) s[0], (int) s[3], (int) s[2], (int) s[1], a.values());
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Latent l && sameShape(l) && Arrays.equals(values, l.values);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(new int[] {channels, nx, ny, nz}) + Arrays.hashCode(values);
    }

    @Override
    public String toString() {
        return "Latent" + shapeText();
    }
}
