package dev.microforge.evaluator.transport;

/**
 * One level of the conductance network that the diffusion solver works on: cells {@code (x, y, z)} at index
 * {@code x + nx * (y + ny * z)}, with the solve axis always z (callers permute the volume first).
 *
 * <p>Face conductances are stored per cell for its +x, +y and +z face ({@code gx[i]} couples cell i to its +x
 * neighbour; the last cell of a row couples to the first only when the sides are periodic). Dirichlet faces: cells
 * of layer z = 0 couple to the inlet (potential 1) with {@code inlet[x + nx * y]}, cells of the last layer to the
 * outlet (potential 0) with {@code outlet[x + nx * y]}. A cell with no conductance at all is inactive (its diagonal
 * is 0 and it is skipped). Memory: 16 bytes per cell (three float conductances and a float inverse diagonal).
 */
final class Grid {
    final int nx;
    final int ny;
    final int nz;
    final boolean periodic;
    final float[] gx;
    final float[] gy;
    final float[] gz;
    final float[] inlet;
    final float[] outlet;
    /** 1 / diagonal, or 0 for an inactive cell. */
    final float[] invDiag;

    Grid(int nx, int ny, int nz, boolean periodic) {
        this.nx = nx;
        this.ny = ny;
        this.nz = nz;
        this.periodic = periodic;
        int n = nx * ny * nz;
        gx = new float[n];
        gy = new float[n];
        gz = new float[n];
        inlet = new float[nx * ny];
        outlet = new float[nx * ny];
        invDiag = new float[n];
    }

    int cells() {
        return nx * ny * nz;
    }

    /** Fills {@link #invDiag} from the conductances (sum of the six faces and the Dirichlet faces). */
    void computeDiagonal(Slabs slabs) {
        int plane = nx * ny;
        slabs.forEach(nz, z -> {
            for (int y = 0; y < ny; y++) {
                for (int x = 0; x < nx; x++) {
                    int i = x + nx * (y + ny * z);
                    double d = gx[i] + gy[i] + gz[i];
                    if (x > 0) {
                        d += gx[i - 1];
                    } else if (periodic) {
                        d += gx[i + nx - 1];
                    }
                    if (y > 0) {
                        d += gy[i - nx];
                    } else if (periodic) {
                        d += gy[i + nx * (ny - 1)];
                    }
                    if (z > 0) {
                        d += gz[i - plane];
                    }
                    if (z == 0) {
                        d += inlet[x + nx * y];
                    }
                    if (z == nz - 1) {
                        d += outlet[x + nx * y];
                    }
                    invDiag[i] = d > 0 ? (float) (1.0 / d) : 0f;
                }
            }
        });
    }

    /**
     * The next coarser level by aggregation of 2 x 2 x 2 cells: the Galerkin operator {@code P^T A P} of piecewise
     * constant interpolation (coarse face conductance = sum of the fine conductances across the aggregate
     * interface, likewise the Dirichlet faces), scaled by 1/2, which makes it the exact rediscretisation of a
     * homogeneous medium on the coarse grid (Braess 1995; Notay 2010 on the over-correction of aggregation).
     */
    Grid coarsen(Slabs slabs) {
        int cx = (nx + 1) / 2;
        int cy = (ny + 1) / 2;
        int cz = (nz + 1) / 2;
        // periodic wrap stays valid only when the aggregates tile the period exactly
        boolean cp = periodic && nx % 2 == 0 && ny % 2 == 0;
        Grid c = new Grid(cx, cy, cz, cp);
        // parallel over coarse layers: each coarse cell is written by one worker only
        slabs.forEach(cz, zc -> {
          for (int z = 2 * zc; z < Math.min(nz, 2 * zc + 2); z++) {
            for (int y = 0; y < ny; y++) {
                int yc = y >> 1;
                for (int x = 0; x < nx; x++) {
                    int xc = x >> 1;
                    int i = x + nx * (y + ny * z);
                    int ic = xc + cx * (yc + cy * zc);
                    // a fine face between two aggregates becomes part of the coarse face
                    if (x + 1 < nx) {
                        if ((x & 1) == 1) {
                            c.gx[ic] += 0.5f * gx[i];
                        }
                    } else if (periodic && cp) {
                        c.gx[ic] += 0.5f * gx[i];
                    }
                    if (y + 1 < ny) {
                        if ((y & 1) == 1) {
                            c.gy[ic] += 0.5f * gy[i];
                        }
                    } else if (periodic && cp) {
                        c.gy[ic] += 0.5f * gy[i];
                    }
                    if (z + 1 < nz && (z & 1) == 1) {
                        c.gz[ic] += 0.5f * gz[i];
                    }
                }
            }
          }
        });
        for (int y = 0; y < ny; y++) {
            for (int x = 0; x < nx; x++) {
                c.inlet[(x >> 1) + cx * (y >> 1)] += 0.5f * inlet[x + nx * y];
                c.outlet[(x >> 1) + cx * (y >> 1)] += 0.5f * outlet[x + nx * y];
            }
        }
        // Aggregates that contain active fine cells but lost every coarse face (all their conductance is internal)
        // would be singular: they are left inactive, which the smoother on the finer level compensates.
        c.computeDiagonal(slabs);
        return c;
    }
}
