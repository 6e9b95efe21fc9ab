package dev.microforge.evaluator.correlation;

import dev.microforge.datasets.Axis;
import dev.microforge.datasets.Volume;

/**
 * Sums of products {@code f(p) g(p + d)} for every lag {@code d} with {@code |d_i| <= r_i}, and their
 * normalisation into averages, axis curves and radial averages. Shared by every two-point function here.
 *
 * <p>Layout: lag {@code (dx, dy, dz)} at {@code (dx + rx) + wx * ((dy + ry) + wy * (dz + rz))}, {@code w = 2r + 1}.
 * Normalisation: periodic, every lag has {@code N = nx*ny*nz} pairs; non-periodic, lag {@code d} has
 * {@code (nx-|dx|)(ny-|dy|)(nz-|dz|)} pairs (the autocorrelation of the all-ones window, computed in closed form).
 * Lag limits: non-periodic {@code r_i <= n_i - 1}; periodic {@code r_i <= (n_i - 1) / 2}, beyond which periodic
 * lags repeat shorter ones (and {@code n/2} would be counted twice).
 */
final class LagBox {
    final int nx;
    final int ny;
    final int nz;
    final int rx;
    final int ry;
    final int rz;
    final int wx;
    final int wy;
    final int wz;
    final boolean periodic;
    final double[] sum;

    LagBox(int nx, int ny, int nz, int[] r, boolean periodic) {
        this.nx = nx;
        this.ny = ny;
        this.nz = nz;
        this.rx = r[0];
        this.ry = r[1];
        this.rz = r[2];
        this.wx = 2 * rx + 1;
        this.wy = 2 * ry + 1;
        this.wz = 2 * rz + 1;
        this.periodic = periodic;
        this.sum = new double[wx * wy * wz];
    }

    int[] radii() {
        return new int[] {rx, ry, rz};
    }

    /** The lag limits per axis for a requested maximum distance in voxels (0 = half the smallest dimension > 1). */
    static int[] radii(Volume v, int maxDistance, boolean periodic) {
        int[] n = {v.nx(), v.ny(), v.nz()};
        int max = maxDistance;
        if (max == 0) {
            int smallest = Integer.MAX_VALUE;
            for (int m : n) {
                if (m > 1) {
                    smallest = Math.min(smallest, m);
                }
            }
            max = smallest == Integer.MAX_VALUE ? 0 : smallest / 2;
        }
        int[] r = new int[3];
        for (int i = 0; i < 3; i++) {
            r[i] = Math.min(max, periodic ? (n[i] - 1) / 2 : n[i] - 1);
        }
        return r;
    }

    int index(int dx, int dy, int dz) {
        return (dx + rx) + wx * ((dy + ry) + wy * (dz + rz));
    }

    double pairs(int dx, int dy, int dz) {
        if (periodic) {
            return (double) nx * ny * nz;
        }
        return (double) (nx - Math.abs(dx)) * (ny - Math.abs(dy)) * (nz - Math.abs(dz));
    }

    /** Average product at lag {@code d}. */
    double mean(int dx, int dy, int dz) {
        return sum[index(dx, dy, dz)] / pairs(dx, dy, dz);
    }

    /** The function along {@code axis} at {@code r = 0..r_axis}; distances are {@code r} times the voxel edge. */
    Curve axis(Axis axis, double[] edges) {
        int r = axis == Axis.X ? rx : axis == Axis.Y ? ry : rz;
        double[] d = new double[r + 1];
        double[] v = new double[r + 1];
        for (int k = 0; k <= r; k++) {
            d[k] = k * edges[axis.ordinal()];
            v[k] = axis == Axis.X ? mean(k, 0, 0) : axis == Axis.Y ? mean(0, k, 0) : mean(0, 0, k);
        }
        return new Curve(d, v);
    }

    /**
     * The radial average: every lag of physical length {@code |d|} falls in bin {@code round(|d| / w)}, {@code w}
     * the smallest voxel edge among axes longer than one voxel; each lag counts once. Bins run to the largest
     * radius whose sphere fits the lag box on every such axis, so every bin is a complete shell.
     */
    Curve radial(double[] edges) {
        int[] n = {nx, ny, nz};
        int[] r = radii();
        double w = Double.POSITIVE_INFINITY;
        double reach = Double.POSITIVE_INFINITY;
        for (int i = 0; i < 3; i++) {
            if (n[i] > 1) {
                w = Math.min(w, edges[i]);
                reach = Math.min(reach, r[i] * edges[i]);
            }
        }
        if (w == Double.POSITIVE_INFINITY) {
            w = edges[0];
            reach = 0;
        }
        int bins = (int) Math.floor(reach / w + 1e-9) + 1;
        double[] acc = new double[bins];
        long[] count = new long[bins];
        for (int dz = -rz; dz <= rz; dz++) {
            for (int dy = -ry; dy <= ry; dy++) {
                for (int dx = -rx; dx <= rx; dx++) {
                    double px = dx * edges[0];
                    double py = dy * edges[1];
                    double pz = dz * edges[2];
                    int b = (int) Math.round(Math.sqrt(px * px + py * py + pz * pz) / w);
                    if (b < bins) {
                        acc[b] += mean(dx, dy, dz);
                        count[b]++;
                    }
                }
            }
        }
        double[] d = new double[bins];
        for (int b = 0; b < bins; b++) {
            d[b] = b * w;
            acc[b] = count[b] > 0 ? acc[b] / count[b] : 0;
        }
        return new Curve(d, acc);
    }
}
