package dev.microforge.generator.tessellation;

import dev.microforge.datasets.MemoryBudget;
import dev.microforge.datasets.Volume;
import java.util.Arrays;
import java.util.Locale;
import java.util.stream.IntStream;

/**
 * Laguerre (power) tessellation of a voxel grid: each voxel goes to the seed {@code i} minimising the power distance
 * {@code pd_i(x) = |x - s_i|^2 - w_i}, {@code w_i = r_i^2} (Aurenhammer, "Power diagrams", SIAM J. Comput. 16
 * (1987) 78; used for particle systems by Lautensack and Zuyev, Adv. Appl. Prob. 40 (2008) 630). Equal weights give
 * the Voronoi tessellation. The nearest and the second-nearest seed (in power distance) are both reported.
 *
 * <p>Coordinates in voxels: voxel {@code (x, y, z)} has its centre at {@code (x + 0.5, y + 0.5, z + 0.5)}, the box is
 * {@code [0, nx) x [0, ny) x [0, nz)}; seeds may lie anywhere (outside the box too when not periodic). Periodic:
 * distances use the 27 periodic images of every seed (seeds are first wrapped into the box). Layout x fastest.
 *
 * <p>Acceleration: seeds (with images) in a bucket grid of about one seed per bucket; voxels in cubic blocks of the
 * same size. For a block, seeds in buckets within a growing radius R are gathered until {@code R^2 - max w} exceeds
 * {@code U}, the second smallest over gathered seeds of the largest power distance from the block; only seeds whose
 * smallest power distance from the block is at most {@code U} can be nearest or second nearest anywhere in it, and
 * each voxel checks only those (typically 10-30). Exact, no approximation. Blocks run in parallel. Memory: 16 bytes
 * per voxel for the result.
 */
public final class LaguerreTessellation {
    private LaguerreTessellation() {
    }

    /**
     * Options.
     *
     * @param periodic whether the box is a periodic unit cell
     */
    public record Options(boolean periodic) {
        /** Periodic. */
        public static Options defaults() {
            return new Options(true);
        }
    }

    /**
     * A tessellation.
     *
     * @param cell index of the power-nearest seed per voxel (x fastest)
     * @param powerDistance its power distance {@code |x - s|^2 - r^2}, voxels^2
     * @param second index of the second power-nearest seed (-1 with a single seed)
     * @param secondPowerDistance its power distance (+infinity with a single seed)
     */
    public record Result(int nx, int ny, int nz, int[] cell, float[] powerDistance, int[] second,
            float[] secondPowerDistance) {
        /** Number of voxels assigned to each seed. */
        public long[] cellSizes(int seeds) {
            long[] c = new long[seeds];
            for (int i : cell) {
                c[i]++;
            }
            return c;
        }
    }

    /**
     * Tessellates an {@code nx x ny x nz} grid.
     *
     * @param seeds one {@code {x, y, z, r}} per seed, voxels (r >= 0, weight r^2)
     * @throws IllegalArgumentException for null or empty seeds, a seed that is not 4 finite numbers or has r < 0,
     *     or bad dimensions
     */
    public static Result compute(int nx, int ny, int nz, double[][] seeds, Options options) {
        if (options == null) {
            throw new IllegalArgumentException("options are required; use LaguerreTessellation.Options.defaults()");
        }
        if (seeds == null || seeds.length == 0) {
            throw new IllegalArgumentException("at least one seed {x, y, z, r} is required");
        }
        long n = Volume.checkDimensions(nx, ny, nz, 16);
        MemoryBudget.require(4 * n, 4, String.format(Locale.ROOT, "a %dx%dx%d Laguerre tessellation", nx, ny, nz));
        int[] dims = {nx, ny, nz};
        for (int i = 0; i < seeds.length; i++) {
            double[] s = seeds[i];
            if (s == null || s.length != 4 || !Double.isFinite(s[0]) || !Double.isFinite(s[1])
                    || !Double.isFinite(s[2]) || !(s[3] >= 0) || Double.isInfinite(s[3])) {
                throw new IllegalArgumentException("seed " + i + " must be {x, y, z, r} finite with r >= 0, got "
                        + Arrays.toString(s));
            }
        }
        // points: seeds (wrapped) and, when periodic, their 26 other images
        int images = options.periodic() ? 27 : 1;
        int m = seeds.length * images;
        double[] px = new double[m];
        double[] py = new double[m];
        double[] pz = new double[m];
        double[] pw = new double[m];
        int[] owner = new int[m];
        double wmax = 0;
        int p = 0;
        for (int i = 0; i < seeds.length; i++) {
            double[] s = seeds[i];
            double bx = options.periodic() ? wrap(s[0], nx) : s[0];
            double by = options.periodic() ? wrap(s[1], ny) : s[1];
            double bz = options.periodic() ? wrap(s[2], nz) : s[2];
            wmax = Math.max(wmax, s[3] * s[3]);
            for (int k = 0; k < images; k++) {
                px[p] = bx + (images == 1 ? 0 : (k % 3 - 1) * nx);
                py[p] = by + (images == 1 ? 0 : (k / 3 % 3 - 1) * ny);
                pz[p] = bz + (images == 1 ? 0 : (k / 9 - 1) * nz);
                pw[p] = s[3] * s[3];
                owner[p] = i;
                p++;
            }
        }
        double[] lo = {0, 0, 0};
        double[] hi = {nx, ny, nz};
        for (int j = 0; j < m; j++) {
            lo[0] = Math.min(lo[0], px[j]);
            lo[1] = Math.min(lo[1], py[j]);
            lo[2] = Math.min(lo[2], pz[j]);
            hi[0] = Math.max(hi[0], px[j]);
            hi[1] = Math.max(hi[1], py[j]);
            hi[2] = Math.max(hi[2], pz[j]);
        }
        double h = Math.max(2, Math.cbrt((double) n / seeds.length));
        int[] g = new int[3];
        for (int a = 0; a < 3; a++) {
            g[a] = Math.max(1, (int) Math.min(1024, Math.ceil((hi[a] - lo[a]) / h + 1e-9)));
        }
        double[] hb = {(hi[0] - lo[0]) / g[0] + 1e-9, (hi[1] - lo[1]) / g[1] + 1e-9, (hi[2] - lo[2]) / g[2] + 1e-9};
        // bucket lists (counting sort)
        int buckets = g[0] * g[1] * g[2];
        int[] start = new int[buckets + 1];
        int[] bucketOf = new int[m];
        for (int j = 0; j < m; j++) {
            int bx = Math.min(g[0] - 1, (int) ((px[j] - lo[0]) / hb[0]));
            int by = Math.min(g[1] - 1, (int) ((py[j] - lo[1]) / hb[1]));
            int bz = Math.min(g[2] - 1, (int) ((pz[j] - lo[2]) / hb[2]));
            bucketOf[j] = bx + g[0] * (by + g[1] * bz);
            start[bucketOf[j] + 1]++;
        }
        for (int b = 0; b < buckets; b++) {
            start[b + 1] += start[b];
        }
        int[] fill = Arrays.copyOf(start, buckets);
        int[] members = new int[m];
        for (int j = 0; j < m; j++) {
            members[fill[bucketOf[j]]++] = j;
        }
        int block = (int) Math.max(2, Math.round(h));
        int[] nb = {(nx + block - 1) / block, (ny + block - 1) / block, (nz + block - 1) / block};
        int[] cell = new int[(int) n];
        float[] pd = new float[(int) n];
        int[] second = new int[(int) n];
        float[] pd2 = new float[(int) n];
        final double wm = wmax;
        IntStream.range(0, nb[0] * nb[1] * nb[2]).parallel().forEach(bi -> {
            int bx = bi % nb[0];
            int by = bi / nb[0] % nb[1];
            int bz = bi / (nb[0] * nb[1]);
            int x0 = bx * block;
            int y0 = by * block;
            int z0 = bz * block;
            int x1 = Math.min(nx, x0 + block);
            int y1 = Math.min(ny, y0 + block);
            int z1 = Math.min(nz, z0 + block);
            // voxel-centre box
            double[] bl = {x0 + 0.5, y0 + 0.5, z0 + 0.5};
            double[] bh = {x1 - 0.5, y1 - 0.5, z1 - 0.5};
            int[] cand = gather(bl, bh, h, wm, lo, hb, g, start, members, px, py, pz, pw);
            for (int z = z0; z < z1; z++) {
                double cz = z + 0.5;
                for (int y = y0; y < y1; y++) {
                    double cy = y + 0.5;
                    int row = nx * (y + ny * z);
                    for (int x = x0; x < x1; x++) {
                        double cx = x + 0.5;
                        double b1 = Double.POSITIVE_INFINITY;
                        double b2 = Double.POSITIVE_INFINITY;
                        int i1 = -1;
                        int i2 = -1;
                        for (int j : cand) {
                            double dx = cx - px[j];
                            double dy = cy - py[j];
                            double dz = cz - pz[j];
                            double d = dx * dx + dy * dy + dz * dz - pw[j];
                            if (d < b1) {
                                b2 = b1;
                                i2 = i1;
                                b1 = d;
                                i1 = j;
                            } else if (d < b2) {
                                b2 = d;
                                i2 = j;
                            }
                        }
                        cell[row + x] = owner[i1];
                        pd[row + x] = (float) b1;
                        second[row + x] = i2 < 0 ? -1 : owner[i2];
                        pd2[row + x] = (float) b2;
                    }
                }
            }
        });
        return new Result(nx, ny, nz, cell, pd, second, pd2);
    }

    private static double wrap(double v, int n) {
        double w = v % n;
        return w < 0 ? w + n : w;
    }

    /** Candidate points for a voxel block [bl, bh] (see the class comment). */
    private static int[] gather(double[] bl, double[] bh, double h, double wmax, double[] lo, double[] hb, int[] g,
            int[] start, int[] members, double[] px, double[] py, double[] pz, double[] pw) {
        double r = h;
        while (true) {
            int[] from = new int[3];
            int[] to = new int[3];
            boolean all = true;
            for (int a = 0; a < 3; a++) {
                from[a] = Math.max(0, (int) Math.floor((bl[a] - r - lo[a]) / hb[a]));
                to[a] = Math.min(g[a] - 1, (int) Math.floor((bh[a] + r - lo[a]) / hb[a]));
                all &= from[a] == 0 && to[a] == g[a] - 1;
            }
            int count = 0;
            for (int z = from[2]; z <= to[2]; z++) {
                for (int y = from[1]; y <= to[1]; y++) {
                    int b = g[0] * (y + g[1] * z);
                    count += start[b + to[0] + 1] - start[b + from[0]];
                }
            }
            int[] list = new int[count];
            int c = 0;
            double u1 = Double.POSITIVE_INFINITY;
            double u2 = Double.POSITIVE_INFINITY;
            for (int z = from[2]; z <= to[2]; z++) {
                for (int y = from[1]; y <= to[1]; y++) {
                    int b = g[0] * (y + g[1] * z);
                    for (int k = start[b + from[0]]; k < start[b + to[0] + 1]; k++) {
                        int j = members[k];
                        list[c++] = j;
                        double far = farthest(bl, bh, px[j], py[j], pz[j]) - pw[j];
                        if (far < u1) {
                            u2 = u1;
                            u1 = far;
                        } else if (far < u2) {
                            u2 = far;
                        }
                    }
                }
            }
            double bound = u2 == Double.POSITIVE_INFINITY ? u1 : u2;
            if (all || (count >= 2 && r * r - wmax > bound)) {
                int kept = 0;
                for (int j : list) {
                    if (nearest(bl, bh, px[j], py[j], pz[j]) - pw[j] <= bound) {
                        list[kept++] = j;
                    }
                }
                return Arrays.copyOf(list, kept);
            }
            r = count >= 2 ? Math.max(2 * r, Math.sqrt(Math.max(0, bound + wmax)) + 1e-6) : 2 * r;
        }
    }

    private static double nearest(double[] bl, double[] bh, double x, double y, double z) {
        double dx = Math.max(0, Math.max(bl[0] - x, x - bh[0]));
        double dy = Math.max(0, Math.max(bl[1] - y, y - bh[1]));
        double dz = Math.max(0, Math.max(bl[2] - z, z - bh[2]));
        return dx * dx + dy * dy + dz * dz;
    }

    private static double farthest(double[] bl, double[] bh, double x, double y, double z) {
        double dx = Math.max(Math.abs(x - bl[0]), Math.abs(x - bh[0]));
        double dy = Math.max(Math.abs(y - bl[1]), Math.abs(y - bh[1]));
        double dz = Math.max(Math.abs(z - bl[2]), Math.abs(z - bh[2]));
        return dx * dx + dy * dy + dz * dz;
    }
}
