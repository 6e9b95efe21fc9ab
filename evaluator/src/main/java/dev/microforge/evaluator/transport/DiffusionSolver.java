package dev.microforge.evaluator.transport;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ForkJoinPool;
import java.util.function.IntConsumer;
import java.util.stream.IntStream;

/**
 * Solves the steady diffusion (or conduction) equation {@code div(k grad c) = 0} on a {@link Grid} with c = 1 on
 * the inlet face (z = 0 side) and c = 0 on the outlet face (z = nz side), by preconditioned conjugate gradients
 * (Hestenes and Stiefel 1952) with one symmetric multigrid V-cycle as preconditioner: aggregation coarsening
 * ({@link Grid#coarsen}), red-black Gauss-Seidel smoothing (red-black forward before, black-red after, so the
 * preconditioner is symmetric), symmetric Gauss-Seidel sweeps on the coarsest grid.
 *
 * <p>Convergence is judged on the flux, not only the residual: the flux through the inlet, through the outlet and
 * through every layer interface must agree with their mean within {@code tolerance} (relative), as a converged
 * conservative solution does exactly. Work is split into z-slabs over {@code threads} workers; every reduction is
 * summed per slab and then in slab order, so results do not depend on the thread count.
 *
 * <p>Memory: five double vectors on the finest grid (40 bytes per cell) plus the grid hierarchy (about 18 bytes
 * per fine cell): about 60 bytes per voxel.
 */
final class DiffusionSolver {
    /** Progress of the iterations. */
    interface Listener {
        void iteration(int iteration, double relativeResidual, double fluxError);
    }

    record Solution(double[] potential, double[] layerFlux, double meanFlux, double fluxError, int iterations,
            boolean converged) {
    }

    private static final int COARSEST_CELLS = 512;
    private static final int COARSEST_SWEEPS = 40;

    private final List<Grid> levels = new ArrayList<>();
    /** Per coarse level: solution, right-hand side and residual work vectors (index 0 unused). */
    private final List<double[][]> work = new ArrayList<>();
    private final ForkJoinPool pool;
    private final int threads;

    DiffusionSolver(Grid fine, int threads) {
        this.threads = Math.max(1, threads);
        this.pool = new ForkJoinPool(this.threads);
        levels.add(fine);
        Grid g = fine;
        while (g.cells() > COARSEST_CELLS && g.nz > 1 && (g.nx > 1 || g.ny > 1 || g.nz > 2)) {
            g = g.coarsen();
            levels.add(g);
        }
        work.add(null);
        for (int l = 1; l < levels.size(); l++) {
            int n = levels.get(l).cells();
            work.add(new double[][] {new double[n], new double[n], new double[n]});
        }
    }

    int levelCount() {
        return levels.size();
    }

    void close() {
        pool.shutdown();
    }

    /** Runs {@code body(z)} for every z in [0, nz) on the pool. */
    private void forSlabs(int nz, IntConsumer body) {
        if (threads == 1 || nz < 4) {
            for (int z = 0; z < nz; z++) {
                body.accept(z);
            }
            return;
        }
        try {
            pool.submit(() -> IntStream.range(0, nz).parallel().forEach(body)).get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("solver interrupted", e);
        } catch (ExecutionException e) {
            Throwable c = e.getCause();
            if (c instanceof RuntimeException) {
                throw (RuntimeException) c;
            }
            throw new IllegalStateException(c);
        }
    }

    /** Sum of {@code perSlab} in slab order (deterministic). */
    private static double sum(double[] perSlab) {
        double s = 0;
        for (double v : perSlab) {
            s += v;
        }
        return s;
    }

    /**
     * Solves to the flux tolerance.
     *
     * @param initial starting potential (finest grid) or null for a linear profile
     */
    Solution solve(double tolerance, int maxIterations, double[] initial, Listener listener) {
        Grid g = levels.get(0);
        int n = g.cells();
        int plane = g.nx * g.ny;
        double[] x = initial != null ? initial : new double[n];
        if (initial == null) {
            // linear profile from 1 at the inlet to 0 at the outlet: already exact for straight channels
            forSlabs(g.nz, z -> {
                double c = 1.0 - (z + 0.5) / g.nz;
                for (int i = z * plane, end = i + plane; i < end; i++) {
                    x[i] = g.invDiag[i] != 0f ? c : 0.0;
                }
            });
        }
        double[] b = rightHandSide(g);
        double[] r = new double[n];
        residual(g, x, b, r);
        double[] zv = new double[n];
        double[] p = new double[n];
        double[] q = new double[n];
        double bNorm = Math.sqrt(dot(g, b, b));
        if (bNorm == 0) {
            return new Solution(x, new double[g.nz + 1], 0, 0, 0, true);
        }
        precondition(zv, r, q);
        System.arraycopy(zv, 0, p, 0, n);
        double rz = dot(g, r, zv);
        int iteration = 0;
        double rr = dot(g, r, r);
        double fluxError = Double.POSITIVE_INFINITY;
        double[] layers = null;
        boolean converged = false;
        while (true) {
            double rNorm = Math.sqrt(rr) / bNorm;
            // The flux check costs about one matrix-vector product: do it when the residual says it may pass.
            if (rNorm < 10 * tolerance || iteration % 10 == 0 || iteration >= maxIterations) {
                layers = layerFluxes(g, x);
                fluxError = fluxError(layers);
                if (listener != null) {
                    listener.iteration(iteration, rNorm, fluxError);
                }
                if (fluxError <= tolerance && rNorm <= tolerance) {
                    converged = true;
                    break;
                }
            }
            if (iteration >= maxIterations || rz == 0) {
                break;
            }
            apply(g, p, q);
            double pq = dot(g, p, q);
            if (pq <= 0) {
                break;
            }
            double alpha = rz / pq;
            rr = axpy2(g, alpha, p, x, q, r);
            precondition(zv, r, q);
            double rzNew = dot(g, r, zv);
            double beta = rzNew / rz;
            rz = rzNew;
            xpby(g, zv, beta, p);
            iteration++;
        }
        double mean = 0;
        for (double f : layers) {
            mean += f;
        }
        mean /= layers.length;
        return new Solution(x, layers, mean, fluxError, iteration, converged);
    }

    /** Dirichlet contributions: b_i = inlet conductance * 1 for cells of the first layer. */
    private static double[] rightHandSide(Grid g) {
        double[] b = new double[g.cells()];
        for (int i = 0; i < g.nx * g.ny; i++) {
            b[i] = g.inlet[i];
        }
        return b;
    }

    /**
     * Flux through the inlet face (index 0), each of the nz - 1 layer interfaces, and the outlet face (index nz).
     * One pass over the potentials and the z conductances.
     */
    double[] layerFluxes(Grid g, double[] x) {
        int plane = g.nx * g.ny;
        double[] f = new double[g.nz + 1];
        double in = 0;
        double out = 0;
        for (int j = 0; j < plane; j++) {
            in += g.inlet[j] * (1.0 - x[j]);
            out += g.outlet[j] * x[(g.nz - 1) * plane + j];
        }
        f[0] = in;
        f[g.nz] = out;
        forSlabs(g.nz - 1, z -> {
            double s = 0;
            int base = z * plane;
            for (int j = 0; j < plane; j++) {
                int i = base + j;
                s += g.gz[i] * (x[i] - x[i + plane]);
            }
            f[z + 1] = s;
        });
        return f;
    }

    /** Largest relative deviation of any layer flux from their mean. */
    static double fluxError(double[] layers) {
        double mean = 0;
        for (double f : layers) {
            mean += f;
        }
        mean /= layers.length;
        if (mean <= 0) {
            return Double.POSITIVE_INFINITY;
        }
        double worst = 0;
        for (double f : layers) {
            worst = Math.max(worst, Math.abs(f - mean) / mean);
        }
        return worst;
    }

    /**
     * out = A x (inactive cells give 0). The diagonal is summed from the conductances here rather than taken from
     * the float {@link Grid#invDiag} (used only by the smoother), so that A is exactly the conservative operator.
     * Cost: reads x and the 3 conductance arrays once (about 20 bytes per cell).
     */
    void apply(Grid g, double[] x, double[] out) {
        applyMinus(g, x, null, out);
    }

    /**
     * out = b - A x when b is given, else A x; one pass. Interior cells take a branch-free path (inactive cells have
     * zero conductances and b = 0, so they give 0 without a test); the faces of the box take the general path.
     */
    private void applyMinus(Grid g, double[] x, double[] b, double[] out) {
        int nx = g.nx;
        int ny = g.ny;
        int nz = g.nz;
        int plane = nx * ny;
        float[] gx = g.gx;
        float[] gy = g.gy;
        float[] gz = g.gz;
        forSlabs(nz, z -> {
            boolean zInterior = z > 0 && z < nz - 1;
            for (int y = 0; y < ny; y++) {
                int row = nx * (y + ny * z);
                if (!zInterior || y == 0 || y == ny - 1 || nx < 3) {
                    for (int xx = 0; xx < nx; xx++) {
                        boundaryCell(g, x, b, out, row + xx, xx, y, z);
                    }
                    continue;
                }
                boundaryCell(g, x, b, out, row, 0, y, z);
                if (b == null) {
                    for (int i = row + 1, end = row + nx - 1; i < end; i++) {
                        double xi = x[i];
                        out[i] = gx[i] * (xi - x[i + 1]) + gx[i - 1] * (xi - x[i - 1]) + gy[i] * (xi - x[i + nx])
                                + gy[i - nx] * (xi - x[i - nx]) + gz[i] * (xi - x[i + plane])
                                + gz[i - plane] * (xi - x[i - plane]);
                    }
                } else {
                    for (int i = row + 1, end = row + nx - 1; i < end; i++) {
                        double xi = x[i];
                        out[i] = b[i] - (gx[i] * (xi - x[i + 1]) + gx[i - 1] * (xi - x[i - 1])
                                + gy[i] * (xi - x[i + nx]) + gy[i - nx] * (xi - x[i - nx])
                                + gz[i] * (xi - x[i + plane]) + gz[i - plane] * (xi - x[i - plane]));
                    }
                }
                boundaryCell(g, x, b, out, row + nx - 1, nx - 1, y, z);
            }
        });
    }

    /** The general (side, wrap and Dirichlet aware) form of one row of A x or b - A x. */
    private static void boundaryCell(Grid g, double[] x, double[] b, double[] out, int i, int xx, int y, int z) {
        int nx = g.nx;
        int ny = g.ny;
        int nz = g.nz;
        int plane = nx * ny;
        if (g.invDiag[i] == 0f) {
            out[i] = 0;
            return;
        }
        double xi = x[i];
        double s = 0;
        if (xx + 1 < nx) {
            s += g.gx[i] * (xi - x[i + 1]);
        } else if (g.periodic) {
            s += g.gx[i] * (xi - x[i - nx + 1]);
        }
        if (xx > 0) {
            s += g.gx[i - 1] * (xi - x[i - 1]);
        } else if (g.periodic) {
            s += g.gx[i + nx - 1] * (xi - x[i + nx - 1]);
        }
        if (y + 1 < ny) {
            s += g.gy[i] * (xi - x[i + nx]);
        } else if (g.periodic) {
            s += g.gy[i] * (xi - x[i - nx * (ny - 1)]);
        }
        if (y > 0) {
            s += g.gy[i - nx] * (xi - x[i - nx]);
        } else if (g.periodic) {
            s += g.gy[i + nx * (ny - 1)] * (xi - x[i + nx * (ny - 1)]);
        }
        if (z + 1 < nz) {
            s += g.gz[i] * (xi - x[i + plane]);
        } else {
            s += g.outlet[i - (nz - 1) * plane] * xi;
        }
        if (z > 0) {
            s += g.gz[i - plane] * (xi - x[i - plane]);
        } else {
            s += g.inlet[i] * xi;
        }
        out[i] = b == null ? s : b[i] - s;
    }

    /** Sum over the six neighbours of conductance * neighbour value. */
    private static double neighbourSum(Grid g, double[] x, int i, int xx, int y, int z, int plane) {
        int nx = g.nx;
        int ny = g.ny;
        double s = 0;
        if (xx + 1 < nx) {
            s += g.gx[i] * x[i + 1];
        } else if (g.periodic) {
            s += g.gx[i] * x[i - nx + 1];
        }
        if (xx > 0) {
            s += g.gx[i - 1] * x[i - 1];
        } else if (g.periodic) {
            s += g.gx[i + nx - 1] * x[i + nx - 1];
        }
        if (y + 1 < ny) {
            s += g.gy[i] * x[i + nx];
        } else if (g.periodic) {
            s += g.gy[i] * x[i - nx * (ny - 1)];
        }
        if (y > 0) {
            s += g.gy[i - nx] * x[i - nx];
        } else if (g.periodic) {
            s += g.gy[i + nx * (ny - 1)] * x[i + nx * (ny - 1)];
        }
        if (z + 1 < g.nz) {
            s += g.gz[i] * x[i + plane];
        }
        if (z > 0) {
            s += g.gz[i - plane] * x[i - plane];
        }
        return s;
    }

    private void residual(Grid g, double[] x, double[] b, double[] r) {
        applyMinus(g, x, b, r);
    }

    private double dot(Grid g, double[] a, double[] b) {
        int plane = g.nx * g.ny;
        double[] partial = new double[g.nz];
        forSlabs(g.nz, z -> {
            double s = 0;
            for (int i = z * plane, end = i + plane; i < end; i++) {
                s += a[i] * b[i];
            }
            partial[z] = s;
        });
        return sum(partial);
    }

    /** x += alpha p; r -= alpha q, in one pass; returns the new r . r. */
    private double axpy2(Grid g, double alpha, double[] p, double[] x, double[] q, double[] r) {
        int plane = g.nx * g.ny;
        double[] partial = new double[g.nz];
        forSlabs(g.nz, z -> {
            double rr = 0;
            for (int i = z * plane, end = i + plane; i < end; i++) {
                x[i] += alpha * p[i];
                double ri = r[i] - alpha * q[i];
                r[i] = ri;
                rr += ri * ri;
            }
            partial[z] = rr;
        });
        return sum(partial);
    }

    /** p = z + beta p. */
    private void xpby(Grid g, double[] z, double beta, double[] p) {
        int plane = g.nx * g.ny;
        forSlabs(g.nz, s -> {
            for (int i = s * plane, end = i + plane; i < end; i++) {
                p[i] = z[i] + beta * p[i];
            }
        });
    }

    /** z = M^-1 r by one V-cycle from a zero guess; {@code scratch} is a fine-grid work vector. */
    void precondition(double[] z, double[] r, double[] scratch) {
        vcycle(0, z, r, scratch);
    }

    private void vcycle(int level, double[] x, double[] b, double[] r) {
        Grid g = levels.get(level);
        if (level == levels.size() - 1) {
            fill(g, x);
            for (int s = 0; s < COARSEST_SWEEPS; s++) {
                sweep(g, x, b, 0);
                sweep(g, x, b, 1);
                sweep(g, x, b, 1);
                sweep(g, x, b, 0);
            }
            return;
        }
        firstSweep(g, x, b);
        sweep(g, x, b, 1);
        residual(g, x, b, r);
        Grid c = levels.get(level + 1);
        double[][] w = work.get(level + 1);
        double[] xc = w[0];
        double[] bc = w[1];
        restrict(g, c, r, bc);
        vcycle(level + 1, xc, bc, w[2]);
        prolongAdd(g, c, xc, x);
        sweep(g, x, b, 1);
        sweep(g, x, b, 0);
    }

    /**
     * One Gauss-Seidel half sweep over the cells of one colour ((x + y + z) mod 2). Interior cells (no side, no
     * wrap) take a branch-free path; cost per cell: 6 conductances, 6 neighbours, b and 1/diagonal read once.
     */
    private void sweep(Grid g, double[] x, double[] b, int colour) {
        int nx = g.nx;
        int ny = g.ny;
        int nz = g.nz;
        int plane = nx * ny;
        float[] gx = g.gx;
        float[] gy = g.gy;
        float[] gz = g.gz;
        float[] inv = g.invDiag;
        forSlabs(nz, z -> {
            boolean zInterior = z > 0 && z < nz - 1;
            for (int y = 0; y < ny; y++) {
                int row = nx * (y + ny * z);
                int start = (colour + y + z) & 1;
                if (!zInterior || y == 0 || y == ny - 1 || nx < 3) {
                    for (int xx = start; xx < nx; xx += 2) {
                        int i = row + xx;
                        if (inv[i] != 0f) {
                            x[i] = (b[i] + neighbourSum(g, x, i, xx, y, z, plane)) * inv[i];
                        }
                    }
                    continue;
                }
                // x = 0 and x = nx - 1 may wrap: generic path; the rest is interior
                if (start == 0) {
                    int i = row;
                    if (inv[i] != 0f) {
                        x[i] = (b[i] + neighbourSum(g, x, i, 0, y, z, plane)) * inv[i];
                    }
                }
                int first = start == 0 ? 2 : 1;
                // inactive cells have 1/diagonal = 0, conductances 0 and b = 0: they stay 0 without a branch
                for (int i = row + first, end = row + nx - 1; i < end; i += 2) {
                    x[i] = (b[i] + gx[i] * x[i + 1] + gx[i - 1] * x[i - 1] + gy[i] * x[i + nx]
                            + gy[i - nx] * x[i - nx] + gz[i] * x[i + plane] + gz[i - plane] * x[i - plane]) * inv[i];
                }
                if (((nx - 1 - start) & 1) == 0) {
                    int i = row + nx - 1;
                    if (inv[i] != 0f) {
                        x[i] = (b[i] + neighbourSum(g, x, i, nx - 1, y, z, plane)) * inv[i];
                    }
                }
            }
        });
    }

    /** The red half sweep from a zero guess: red cells get b / diagonal, black cells 0 (replaces a fill). */
    private void firstSweep(Grid g, double[] x, double[] b) {
        int nx = g.nx;
        int ny = g.ny;
        forSlabs(g.nz, z -> {
            for (int y = 0; y < ny; y++) {
                int row = nx * (y + ny * z);
                int red = (y + z) & 1;
                for (int xx = 0; xx < nx; xx++) {
                    int i = row + xx;
                    x[i] = ((xx & 1) == red) ? b[i] * g.invDiag[i] : 0.0;
                }
            }
        });
    }

    private void fill(Grid g, double[] x) {
        int plane = g.nx * g.ny;
        forSlabs(g.nz, z -> java.util.Arrays.fill(x, z * plane, (z + 1) * plane, 0.0));
    }

    /** Coarse right-hand side: sum of the fine residuals of each aggregate (parallel over coarse layers). */
    private void restrict(Grid f, Grid c, double[] r, double[] bc) {
        forSlabs(c.nz, zc -> {
            int cplane = c.nx * c.ny;
            java.util.Arrays.fill(bc, zc * cplane, (zc + 1) * cplane, 0.0);
            for (int z = 2 * zc; z < Math.min(f.nz, 2 * zc + 2); z++) {
                for (int y = 0; y < f.ny; y++) {
                    int row = f.nx * (y + f.ny * z);
                    int crow = c.nx * ((y >> 1) + c.ny * zc);
                    for (int x = 0; x < f.nx; x++) {
                        bc[crow + (x >> 1)] += r[row + x];
                    }
                }
            }
        });
    }

    /** Adds the coarse correction to every active fine cell of its aggregate (piecewise constant). */
    private void prolongAdd(Grid f, Grid c, double[] xc, double[] x) {
        forSlabs(f.nz, z -> {
            for (int y = 0; y < f.ny; y++) {
                int row = f.nx * (y + f.ny * z);
                int crow = c.nx * ((y >> 1) + c.ny * (z >> 1));
                for (int xx = 0; xx < f.nx; xx++) {
                    int i = row + xx;
                    // active cells only; a select, not a jump, so random porous masks do not mispredict
                    x[i] += f.invDiag[i] != 0f ? xc[crow + (xx >> 1)] : 0.0;
                }
            }
        });
    }
}
