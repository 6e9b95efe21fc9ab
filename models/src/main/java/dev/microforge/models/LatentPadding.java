package dev.microforge.models;

/**
 * Pads a spatial latent by {@code margin} voxels on each side of each axis, so that a generator's zero padding
 * never reaches the kept output: decode the padded latent, cut {@code margin * sizeStep} output voxels off each
 * side ({@link LatentDecoder#latentMargin()}).
 *
 * <ul>
 *   <li>{@link #circular}: the opposite side's values; the kept block is one period of the decode of the tiled
 *   latent, so the volume tiles space (Gayon-Lombardo et al., npj Comput. Mater. 6 (2020) 82);</li>
 *   <li>{@link #mirror}: the latent reflected about its faces (edge voxel repeated, {@code x -> -1 - x}, period
 *   {@code 2n}): a non-periodic volume whose faces were decoded like its interior, from standard-normal values,
 *   instead of from the generator's zero padding, which a generator trained on cropped interiors never saw.</li>
 * </ul>
 *
 * <p>Layout: C order {@code (channels, nz, ny, nx)}, index {@code x + nx * (y + ny * (z + nz * c))}, one sample of
 * DJL's NCDHW.
 */
public final class LatentPadding {
    private LatentPadding() {
    }

    /**
     * Circular padding.
     *
     * @param values {@code channels * nz * ny * nx} values
     * @param channels latent channels
     * @param nx latent size along x (likewise ny, nz)
     * @param ny latent size along y
     * @param nz latent size along z
     * @param margin voxels added on each side, at least 0
     * @return {@code channels * (nz + 2m) * (ny + 2m) * (nx + 2m)} values
     */
    public static float[] circular(float[] values, int channels, int nx, int ny, int nz, int margin) {
        return pad(values, channels, nx, ny, nz, margin, false);
    }

    /**
     * Mirror padding (see the class comment); any size from 1 voxel up.
     *
     * @param values {@code channels * nz * ny * nx} values
     * @param channels latent channels
     * @param nx latent size along x (likewise ny, nz)
     * @param ny latent size along y
     * @param nz latent size along z
     * @param margin voxels added on each side, at least 0
     * @return {@code channels * (nz + 2m) * (ny + 2m) * (nx + 2m)} values
     */
    public static float[] mirror(float[] values, int channels, int nx, int ny, int nz, int margin) {
        return pad(values, channels, nx, ny, nz, margin, true);
    }

    private static float[] pad(float[] values, int channels, int nx, int ny, int nz, int margin, boolean mirror) {
        if (margin < 0) {
            throw new IllegalArgumentException("margin must be at least 0, got " + margin);
        }
        if (values.length != (long) channels * nx * ny * nz) {
            throw new IllegalArgumentException("expected " + (long) channels * nx * ny * nz + " latent values, got "
                    + values.length);
        }
        int px = nx + 2 * margin;
        int py = ny + 2 * margin;
        int pz = nz + 2 * margin;
        float[] out = new float[Math.toIntExact((long) channels * px * py * pz)];
        int i = 0;
        for (int c = 0; c < channels; c++) {
            for (int z = 0; z < pz; z++) {
                int sz = source(z - margin, nz, mirror);
                for (int y = 0; y < py; y++) {
                    int row = nx * (source(y - margin, ny, mirror) + ny * (sz + nz * c));
                    for (int x = 0; x < px; x++) {
                        out[i++] = values[row + source(x - margin, nx, mirror)];
                    }
                }
            }
        }
        return out;
    }

    private static int source(int i, int n, boolean mirror) {
        if (!mirror) {
            return Math.floorMod(i, n);
        }
        int j = Math.floorMod(i, 2 * n);
        return j < n ? j : 2 * n - 1 - j;
    }
}
