package dev.microforge.evaluator.transport;

import java.util.ArrayList;
import java.util.List;
import java.util.function.IntConsumer;

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
    private final List<float[][]> work = new ArrayList<>();
    private final Slabs slabs;

    /** A solver over {@code fine} (whose diagonal must be computed) using {@code slabs} as workers. */
    DiffusionSolver(Grid fine, Slabs slabs) {
        this.slabs = slabs;
        levels.add(fine);
        Grid g = fine;
        while (g.cells() > COARSEST_CELLS && g.nz > 1 && (g.nx > 1 || g.ny > 1 || g.nz > 2)) {
            g = g.coarsen(slabs);
            levels.add(g);
        }
        work.add(null);
        for (int l = 1; l < levels.size(); l++) {
            int n = levels.get(l).cells();
            work.add(new float[][] {new float[n], new float[n], new float[n]});
        }
    }

    int levelCount() {
        return levels.size();
    }

    /** Runs {@code body(z)} for every z in [0, nz) on the workers. */
    private void forSlabs(int nz, IntConsumer body) {
        slabs.forEach(nz, body);
    }

    /** Sum of {@code perSlab} in slab order (deterministic). */
    private static double sum(double[] perSlab) {
        double s = 0;
        for (double v : perSlab) {
            s += v;
        }
        return s;
    }

    /** Relative residual reduction asked of each single-precision inner solve. */
    private static final double INNER_REDUCTION = 1e-5;

    /**
     * Solves to the flux tolerance by mixed-precision iterative refinement (Wilkinson; Moler 1967): the potential
     * and the true residual {@code b - A x} are kept in double precision, and each correction {@code A e = r} is
     * solved in single precision by PCG to a relative reduction of {@link #INNER_REDUCTION}. Single-precision work
     * vectors halve the memory traffic of the iterations; the double outer residual keeps the final accuracy.
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
        double bb = 0;
        for (int j = 0; j < plane; j++) {
            bb += (double) g.inlet[j] * g.inlet[j];
        }
        double bNorm = Math.sqrt(bb);
        if (bNorm == 0) {
            return new Solution(x, new double[g.nz + 1], 0, 0, 0, true);
        }
        float[] r = new float[n];
        float[] e = new float[n];
        float[] z = new float[n];
        float[] p = new float[n];
        float[] q = new float[n];
        int iterations = 0;
        double fluxError;
        double[] layers;
        boolean converged = false;
        double previous = Double.POSITIVE_INFINITY;
        // The layer fluxes agree to 10-100 times the relative residual on the volumes tried, so each correction is
        // solved to 0.01 * tolerance; where the flux lags further behind (low porosity), the floor is lowered.
        double floorScale = 0.01;
        boolean tightened = false;
        while (true) {
            double rNorm = Math.sqrt(outerResidual(g, x, r)) / bNorm;
            layers = layerFluxes(g, x);
            fluxError = fluxError(layers);
            if (listener != null) {
                listener.iteration(iterations, rNorm, fluxError);
            }
            if (fluxError <= tolerance && rNorm <= tolerance) {
                converged = true;
                break;
            }
            // stop at the iteration limit, or when refinement no longer gains (single-precision floor reached)
            if (iterations >= maxIterations || (!tightened && rNorm > 0.5 * previous) || floorScale < 1e-9) {
                break;
            }
            previous = rNorm;
            int done = innerSolve(g, r, e, z, p, q, maxIterations - iterations, bNorm,
                    floorScale * tolerance * bNorm, iterations, fluxError, listener);
            tightened = done == 0;
            if (tightened) {
                floorScale *= 0.01;
                continue;
            }
            iterations += done;
            forSlabs(g.nz, s -> {
                for (int i = s * plane, end = i + plane; i < end; i++) {
                    x[i] += e[i];
                }
            });
        }
        double mean = 0;
        for (double f : layers) {
            mean += f;
        }
        mean /= layers.length;
        return new Solution(x, layers, mean, fluxError, iterations, converged);
    }

    /**
     * Single-precision PCG for {@code A e = r} from e = 0, until the recursive residual falls by
     * {@link #INNER_REDUCTION} or below {@code floor}; {@code r} is overwritten. Returns the iterations done.
     */
    private int innerSolve(Grid g, float[] r, float[] e, float[] z, float[] p, float[] q, int budget, double bNorm,
            double floor, int done, double fluxError, Listener listener) {
        fill(g, e);
        double rr = dot(g, r, r);
        double target = Math.max(rr * INNER_REDUCTION * INNER_REDUCTION, floor * floor);
        precondition(z, r, q);
        System.arraycopy(z, 0, p, 0, g.cells());
        double rz = dot(g, r, z);
        int it = 0;
        while (it < budget && rr > target && rz > 0) {
            apply(g, p, q);
            double pq = dot(g, p, q);
            if (!(pq > 0)) {
                break;
            }
            double alpha = rz / pq;
            rr = axpy2(g, alpha, p, e, q, r);
            it++;
            if (listener != null) {
                listener.iteration(done + it, Math.sqrt(rr) / bNorm, fluxError);
            }
            if (rr <= target) {
                break;
            }
            precondition(z, r, q);
            double rzNew = dot(g, r, z);
            double beta = rzNew / rz;
            rz = rzNew;
            xpby(g, z, beta, p);
        }
        return it;
    }

    /**
     * r = b - A x in double precision (stored as float), b being the inlet conductances on the first layer;
     * returns |r|^2.
     */
    private double outerResidual(Grid g, double[] x, float[] r) {
        int nx = g.nx;
        int ny = g.ny;
        double[] partial = new double[g.nz];
        Values xv = k -> x[k];
        forSlabs(g.nz, z -> {
            double sum = 0;
            for (int y = 0; y < ny; y++) {
                for (int xx = 0; xx < nx; xx++) {
                    int i = xx + nx * (y + ny * z);
                    if (g.invDiag[i] == 0f) {
                        r[i] = 0f;
                        continue;
                    }
                    double s = outflow(g, xv, i, xx, y, z, 1.0);
                    r[i] = (float) -s;
                    sum += s * s;
                }
            }
            partial[z] = sum;
        });
        return sum(partial);
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
    void apply(Grid g, float[] x, float[] out) {
        applyMinus(g, x, null, out);
    }

    /**
     * out = b - A x when b is given, else A x; one pass. Interior cells take a branch-free path (inactive cells have
     * zero conductances and b = 0, so they give 0 without a test); the faces of the box take the general path.
     */
    private void applyMinus(Grid g, float[] x, float[] b, float[] out) {
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
                        float xi = x[i];
                        out[i] = gx[i] * (xi - x[i + 1]) + gx[i - 1] * (xi - x[i - 1]) + gy[i] * (xi - x[i + nx])
                                + gy[i - nx] * (xi - x[i - nx]) + gz[i] * (xi - x[i + plane])
                                + gz[i - plane] * (xi - x[i - plane]);
                    }
                } else {
                    for (int i = row + 1, end = row + nx - 1; i < end; i++) {
                        float xi = x[i];
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
    private static void boundaryCell(Grid g, float[] x, float[] b, float[] out, int i, int xx, int y, int z) {
        if (g.invDiag[i] == 0f) {
            out[i] = 0;
            return;
        }
        double s = outflow(g, k -> x[k], i, xx, y, z, 0.0);
        out[i] = (float) (b == null ? s : b[i] - s);
    }

    /** Potentials read by index, so that one stencil serves the float and the double vectors. */
    @FunctionalInterface
    private interface Values {
        double at(int i);
    }

    /**
     * Net flow out of cell i: the sum over its faces of conductance times potential difference, with the side,
     * wrap and Dirichlet faces handled (the inlet at {@code inletPotential}, the outlet at 0). With
     * {@code inletPotential = 0} it is row i of A x; with 1 it is minus the residual {@code b - A x}.
     */
    private static double outflow(Grid g, Values x, int i, int xx, int y, int z, double inletPotential) {
        int nx = g.nx;
        int ny = g.ny;
        int nz = g.nz;
        int plane = nx * ny;
        double xi = x.at(i);
        double s = 0;
        if (xx + 1 < nx) {
            s += g.gx[i] * (xi - x.at(i + 1));
        } else if (g.periodic) {
            s += g.gx[i] * (xi - x.at(i - nx + 1));
        }
        if (xx > 0) {
            s += g.gx[i - 1] * (xi - x.at(i - 1));
        } else if (g.periodic) {
            s += g.gx[i + nx - 1] * (xi - x.at(i + nx - 1));
        }
        if (y + 1 < ny) {
            s += g.gy[i] * (xi - x.at(i + nx));
        } else if (g.periodic) {
            s += g.gy[i] * (xi - x.at(i - nx * (ny - 1)));
        }
        if (y > 0) {
            s += g.gy[i - nx] * (xi - x.at(i - nx));
        } else if (g.periodic) {
            s += g.gy[i + nx * (ny - 1)] * (xi - x.at(i + nx * (ny - 1)));
        }
        if (z + 1 < nz) {
            s += g.gz[i] * (xi - x.at(i + plane));
        } else {
            s += g.outlet[i - (nz - 1) * plane] * xi;
        }
        if (z > 0) {
            s += g.gz[i - plane] * (xi - x.at(i - plane));
        } else {
            s += g.inlet[i] * (xi - inletPotential);
        }
        return s;
    }

    /** Sum over the six neighbours of conductance * neighbour value. */
    private static double neighbourSum(Grid g, float[] x, int i, int xx, int y, int z, int plane) {
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

    private void residual(Grid g, float[] x, float[] b, float[] r) {
        applyMinus(g, x, b, r);
    }

    private double dot(Grid g, float[] a, float[] b) {
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
    private double axpy2(Grid g, double alpha, float[] p, float[] x, float[] q, float[] r) {
        int plane = g.nx * g.ny;
        double[] partial = new double[g.nz];
        float a = (float) alpha;
        forSlabs(g.nz, z -> {
            double rr = 0;
            for (int i = z * plane, end = i + plane; i < end; i++) {
                x[i] += a * p[i];
                float ri = r[i] - a * q[i];
                r[i] = ri;
                rr += ri * ri;
            }
            partial[z] = rr;
        });
        return sum(partial);
    }

    /** p = z + beta p. */
    private void xpby(Grid g, float[] z, double beta, float[] p) {
        int plane = g.nx * g.ny;
        float bt = (float) beta;
        forSlabs(g.nz, s -> {
            for (int i = s * plane, end = i + plane; i < end; i++) {
                p[i] = z[i] + bt * p[i];
            }
        });
    }

    /** z = M^-1 r by one V-cycle from a zero guess; {@code scratch} is a fine-grid work vector. */
    void precondition(float[] z, float[] r, float[] scratch) {
        vcycle(0, z, r, scratch);
    }

    private void vcycle(int level, float[] x, float[] b, float[] r) {
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
        for (int extra = 0; extra < extraSweeps(level); extra++) {
            sweep(g, x, b, 0);
            sweep(g, x, b, 1);
        }
        residual(g, x, b, r);
        Grid c = levels.get(level + 1);
        float[][] w = work.get(level + 1);
        float[] xc = w[0];
        float[] bc = w[1];
        restrict(g, c, r, bc);
        vcycle(level + 1, xc, bc, w[2]);
        prolongAdd(g, c, xc, x);
        for (int extra = 0; extra < extraSweeps(level); extra++) {
            sweep(g, x, b, 1);
            sweep(g, x, b, 0);
        }
        sweep(g, x, b, 1);
        sweep(g, x, b, 0);
    }

    /**
     * Smoothing sweeps beyond the first on {@code level}: none on the finest grid (each costs a full pass over
     * memory), two on the coarse grids (an eighth of the cost each and, measured on real electrodes, about a
     * quarter fewer iterations).
     */
    private static int extraSweeps(int level) {
        return level == 0 ? 0 : 2;
    }

    /**
     * One Gauss-Seidel half sweep over the cells of one colour ((x + y + z) mod 2). Interior cells (no side, no
     * wrap) take a branch-free path; cost per cell: 6 conductances, 6 neighbours, b and 1/diagonal read once.
     */
    private void sweep(Grid g, float[] x, float[] b, int colour) {
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
                            x[i] = (float) ((b[i] + neighbourSum(g, x, i, xx, y, z, plane)) * inv[i]);
                        }
                    }
                    continue;
                }
                // x = 0 and x = nx - 1 may wrap: generic path; the rest is interior
                if (start == 0) {
                    int i = row;
                    if (inv[i] != 0f) {
                        x[i] = (float) ((b[i] + neighbourSum(g, x, i, 0, y, z, plane)) * inv[i]);
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
                        x[i] = (float) ((b[i] + neighbourSum(g, x, i, nx - 1, y, z, plane)) * inv[i]);
                    }
                }
            }
        });
    }

    /** The red half sweep from a zero guess: red cells get b / diagonal, black cells 0 (replaces a fill). */
    private void firstSweep(Grid g, float[] x, float[] b) {
        int nx = g.nx;
        int ny = g.ny;
        forSlabs(g.nz, z -> {
            for (int y = 0; y < ny; y++) {
                int row = nx * (y + ny * z);
                int red = (y + z) & 1;
                for (int xx = 0; xx < nx; xx++) {
                    int i = row + xx;
                    x[i] = ((xx & 1) == red) ? b[i] * g.invDiag[i] : 0f;
                }
            }
        });
    }

    private void fill(Grid g, float[] x) {
        int plane = g.nx * g.ny;
        forSlabs(g.nz, z -> java.util.Arrays.fill(x, z * plane, (z + 1) * plane, 0f));
    }

    /** Coarse right-hand side: sum of the fine residuals of each aggregate (parallel over coarse layers). */
    private void restrict(Grid f, Grid c, float[] r, float[] bc) {
        forSlabs(c.nz, zc -> {
            int cplane = c.nx * c.ny;
            java.util.Arrays.fill(bc, zc * cplane, (zc + 1) * cplane, 0f);
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
    private void prolongAdd(Grid f, Grid c, float[] xc, float[] x) {
        forSlabs(f.nz, z -> {
            for (int y = 0; y < f.ny; y++) {
                int row = f.nx * (y + f.ny * z);
                int crow = c.nx * ((y >> 1) + c.ny * (z >> 1));
                for (int xx = 0; xx < f.nx; xx++) {
                    int i = row + xx;
                    // active cells only; a select, not a jump, so random porous masks do not mispredict
                    x[i] += f.invDiag[i] != 0f ? xc[crow + (xx >> 1)] : 0f;
                }
            }
        });
    }
}
