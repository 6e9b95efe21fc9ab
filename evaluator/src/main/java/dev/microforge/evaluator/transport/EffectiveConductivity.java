package dev.microforge.evaluator.transport;

import dev.microforge.datasets.Axis;
import dev.microforge.datasets.FloatVolume;
import dev.microforge.datasets.MemoryBudget;
import dev.microforge.datasets.Volume;
import dev.microforge.datasets.VoxelSize;
import dev.microforge.evaluator.morphology.ConnectedComponents;
import dev.microforge.evaluator.morphology.Percolation;
import java.util.Arrays;
import java.util.Locale;

/**
 * Effective conductivity (or diffusivity) of a multi-phase volume along one axis by steady-state conduction.
 *
 * <p>Each label has a conductivity {@code k} (any unit; 0 = insulating). The potential solves
 * {@code div(k grad u) = 0} with u = 1 on the face at coordinate 0 of the axis, u = 0 on the opposite face, and no
 * flux through the four side faces (or periodic sides). Finite volumes on the voxel grid: the conductance between
 * two face neighbours is the harmonic mean {@code 2 k_a k_b / (k_a + k_b)} times face area over centre distance; a
 * voxel on an inlet or outlet face couples to the fixed potential across half a voxel ({@code 2 k A / d}). The
 * effective conductivity is
 *
 * <pre>  k_eff = F * L / (A * dU),   L = n_axis * d_axis,   A = n_1 d_1 * n_2 d_2,   dU = 1</pre>
 *
 * <p>where F is the flux through the volume: L is the full length of the volume (the boundary conditions sit on the
 * outer faces, half a voxel beyond the first and last voxel centres), not the distance {@code (n - 1) d} between the
 * first and last voxel centres, which biases small volumes (PoreSpy issue 495). A block of uniform conductivity k
 * gives k_eff = k exactly.
 *
 * <p>Only the voxels of conducting components ({@code k > 0}, 6-connected) that touch both faces are solved;
 * isolated and dead-end clusters carry no flux and are reported as fractions. When nothing spans the axis the
 * result is {@code kEff = 0}, {@code percolating = false}: a value, never an exception or NaN (TauFactor issue 92).
 * The solver is {@link DiffusionSolver} (multigrid-preconditioned conjugate gradients, converged on flux agreement
 * between inlet, outlet and every layer); memory about 70 bytes per voxel, checked up front.
 */
public final class EffectiveConductivity {
    /** Bytes per voxel the solve needs at most (vectors, grid hierarchy, labels, component labels). */
    public static final int BYTES_PER_VOXEL = 70;

    private EffectiveConductivity() {
    }

    /**
     * Solver options.
     *
     * @param tolerance relative flux agreement (inlet, outlet, every layer) and relative residual to reach
     * @param maxIterations conjugate-gradient iterations before giving up (the result then says not converged)
     * @param periodicSides whether the four side faces wrap around instead of being sealed
     * @param threads worker threads (results do not depend on it)
     * @param keepFlux whether to return the local flux along the axis as a field
     */
    public record Options(double tolerance, int maxIterations, boolean periodicSides, int threads, boolean keepFlux) {
        /**
         * Default flux agreement, 1e-3. Measured on the 256³ NMC electrode (pore, z): tau at 1e-3 is within 2e-6
         * (relative) of the value at 1e-8, at 1e-2 within 3e-5 — far inside the 0.5 % accuracy asked — while each
         * decade costs about six iterations. (TauFactor's own default criterion is 2e-2.)
         */
        public static final double DEFAULT_TOLERANCE = 1e-3;

        public Options {
            if (!(tolerance > 0 && tolerance < 1)) {
                throw new IllegalArgumentException("tolerance must be in (0, 1), e.g. 1e-4; got " + tolerance);
            }
            if (maxIterations < 1) {
                throw new IllegalArgumentException("maxIterations must be at least 1, got " + maxIterations);
            }
            if (threads < 1) {
                throw new IllegalArgumentException("threads must be at least 1, got " + threads);
            }
        }

        /**
         * Tolerance {@link #DEFAULT_TOLERANCE}, at most 5000 iterations, sealed sides, all cores, no flux field.
         */
        public static Options defaults() {
            return new Options(DEFAULT_TOLERANCE, 5000, false, Runtime.getRuntime().availableProcessors(), false);
        }

        public Options withTolerance(double value) {
            return new Options(value, maxIterations, periodicSides, threads, keepFlux);
        }

        public Options withThreads(int value) {
            return new Options(tolerance, maxIterations, periodicSides, value, keepFlux);
        }

        public Options withPeriodicSides(boolean value) {
            return new Options(tolerance, maxIterations, value, threads, keepFlux);
        }

        public Options withKeepFlux(boolean value) {
            return new Options(tolerance, maxIterations, periodicSides, threads, value);
        }

        public Options withMaxIterations(int value) {
            return new Options(tolerance, value, periodicSides, threads, keepFlux);
        }
    }

    /** Receives solver progress (iteration, relative residual, relative flux disagreement). */
    public interface Listener {
        void iteration(Axis axis, int iteration, double relativeResidual, double fluxError);
    }

    /**
     * Result of one solve.
     *
     * @param axis the axis of the applied potential difference
     * @param effectiveConductivity k_eff in the unit of the given conductivities (0 when not percolating)
     * @param conductingFraction fraction of all voxels whose conductivity is positive
     * @param percolatingFraction of the conducting voxels, those in components touching both faces (solved)
     * @param deadEndFraction of the conducting voxels, those in components touching one face only
     * @param isolatedFraction of the conducting voxels, those touching neither face
     * @param percolating whether any conducting path joins the two faces
     * @param converged whether the flux tolerance was reached
     * @param iterations conjugate-gradient iterations
     * @param fluxError largest relative deviation of inlet, outlet and layer fluxes from their mean
     * @param seconds wall time of the solve
     * @param flux local flux along the axis per voxel in units of the mean flux per voxel of a cross-section
     *     (1 = average; 0 outside the solved cluster), in the volume's own orientation; null unless requested
     */
    public record Result(Axis axis, double effectiveConductivity, double conductingFraction,
            double percolatingFraction, double deadEndFraction, double isolatedFraction, boolean percolating,
            boolean converged, int iterations, double fluxError, double seconds, FloatVolume flux) {
    }

    /**
     * Solves along {@code axis}.
     *
     * @param conductivity conductivity of each label value (length 256, each finite and {@code >= 0})
     * @throws IllegalArgumentException for a bad conductivity table
     * @throws dev.microforge.datasets.VolumeTooLargeException when the solve would not fit the heap
     */
    public static Result solve(Volume volume, double[] conductivity, Axis axis, Options options, Listener listener) {
        long start = System.nanoTime();
        checkConductivity(conductivity);
        MemoryBudget.require(volume.voxelCount(), BYTES_PER_VOXEL, String.format(Locale.ROOT,
                "a transport solve on a %dx%dx%d volume (about %d bytes per voxel)", volume.nx(), volume.ny(),
                volume.nz(), BYTES_PER_VOXEL));
        Volume v = toZ(volume, axis);
        int nx = v.nx();
        int ny = v.ny();
        int nz = v.nz();
        int[] conducting = conductingLabels(conductivity);
        long conductingVoxels = 0;
        long[] counts = v.labelCounts();
        for (int label : conducting) {
            conductingVoxels += counts[label];
        }
        double conductingFraction = (double) conductingVoxels / v.voxelCount();
        if (conducting.length == 0 || conductingVoxels == 0) {
            return new Result(axis, 0, 0, 0, 0, 0, false, true, 0, 0, seconds(start), null);
        }
        ConnectedComponents.Options cc = new ConnectedComponents.Options(ConnectedComponents.Connectivity.FACES,
                options.periodicSides(), options.periodicSides(), false);
        ConnectedComponents.Result components = ConnectedComponents.label(v, conducting, cc);
        Percolation.Result classes = Percolation.along(components, Axis.Z);
        if (!classes.percolates()) {
            return new Result(axis, 0, conductingFraction, 0, classes.deadEndFraction(), classes.isolatedFraction(),
                    false, true, 0, 0, seconds(start), null);
        }
        boolean[] spanning = new boolean[components.count() + 1];
        for (int k = 1; k <= components.count(); k++) {
            spanning[k] = components.spans(k, Axis.Z);
        }
        DiffusionSolver.Solution solution;
        Grid grid;
        try (Slabs slabs = new Slabs(options.threads())) {
            grid = buildGrid(v, conductivity, components.labels(), spanning, options.periodicSides(), slabs);
            components = null; // the component labels (4 bytes per voxel) are not needed during the solve
            DiffusionSolver solver = new DiffusionSolver(grid, slabs);
            solution = solver.solve(options.tolerance(), options.maxIterations(), null,
                    listener == null ? null : (it, res, fe) -> listener.iteration(axis, it, res, fe));
        }
        VoxelSize d = unitIfUnknown(v.voxelSize());
        double length = nz * d.dz();
        double area = nx * d.dx() * ny * d.dy();
        double kEff = solution.meanFlux() * length / area;
        FloatVolume flux = options.keepFlux() ? fluxField(grid, solution, volume, axis) : null;
        return new Result(axis, kEff, conductingFraction, classes.percolatingFraction(), classes.deadEndFraction(),
                classes.isolatedFraction(), true, solution.converged(), solution.iterations(), solution.fluxError(),
                seconds(start), flux);
    }

    private static double seconds(long start) {
        return (System.nanoTime() - start) / 1e9;
    }

    static VoxelSize unitIfUnknown(VoxelSize s) {
        return s.isKnown() ? s : VoxelSize.isotropic(1);
    }

    private static void checkConductivity(double[] conductivity) {
        if (conductivity == null || conductivity.length != 256) {
            throw new IllegalArgumentException("conductivity table must have 256 entries (one per label value)");
        }
        for (int i = 0; i < 256; i++) {
            if (!(conductivity[i] >= 0) || Double.isInfinite(conductivity[i])) {
                throw new IllegalArgumentException("conductivity of label " + i + " must be finite and >= 0, got "
                        + conductivity[i]);
            }
        }
    }

    private static int[] conductingLabels(double[] conductivity) {
        return java.util.stream.IntStream.range(0, 256).filter(i -> conductivity[i] > 0).toArray();
    }

    /** The volume with {@code axis} as its z axis (cyclic permutation, so x -> (y, z, x)). */
    static Volume toZ(Volume volume, Axis axis) {
        switch (axis) {
            case X:
                return volume.permute(Axis.Y, Axis.Z, Axis.X);
            case Y:
                return volume.permute(Axis.Z, Axis.X, Axis.Y);
            default:
                return volume;
        }
    }

    /** Face conductances of the cells of spanning components; everything else is left inactive. */
    private static Grid buildGrid(Volume v, double[] k, int[] component, boolean[] spanning, boolean periodic,
            Slabs slabs) {
        int nx = v.nx();
        int ny = v.ny();
        int nz = v.nz();
        VoxelSize d = unitIfUnknown(v.voxelSize());
        double ax = d.dy() * d.dz() / d.dx();
        double ay = d.dx() * d.dz() / d.dy();
        double az = d.dx() * d.dy() / d.dz();
        boolean wrap = periodic;
        Grid g = new Grid(nx, ny, nz, wrap);
        int plane = nx * ny;
        // each cell writes only its own +x, +y, +z faces: layers are independent
        slabs.forEach(nz, z -> {
            for (int y = 0; y < ny; y++) {
                for (int x = 0; x < nx; x++) {
                    int i = x + nx * (y + ny * z);
                    if (!spanning[component[i]]) {
                        continue;
                    }
                    double ki = k[v.get(i)];
                    int jx = x + 1 < nx ? i + 1 : (wrap ? i + 1 - nx : -1);
                    if (jx >= 0 && spanning[component[jx]]) {
                        g.gx[i] = (float) (harmonic(ki, k[v.get(jx)]) * ax);
                    }
                    int jy = y + 1 < ny ? i + nx : (wrap ? i + nx - plane : -1);
                    if (jy >= 0 && spanning[component[jy]]) {
                        g.gy[i] = (float) (harmonic(ki, k[v.get(jy)]) * ay);
                    }
                    if (z + 1 < nz && spanning[component[i + plane]]) {
                        g.gz[i] = (float) (harmonic(ki, k[v.get(i + plane)]) * az);
                    }
                    if (z == 0) {
                        g.inlet[x + nx * y] = (float) (2 * ki * az);
                    }
                    if (z == nz - 1) {
                        g.outlet[x + nx * y] = (float) (2 * ki * az);
                    }
                }
            }
        });
        g.computeDiagonal(slabs);
        return g;
    }

    private static double harmonic(double a, double b) {
        return a + b > 0 ? 2 * a * b / (a + b) : 0;
    }

    /** Local axial flux per voxel (mean of its two z faces), normalised by the mean flux per cross-section voxel. */
    private static FloatVolume fluxField(Grid g, DiffusionSolver.Solution s, Volume original, Axis axis) {
        int nx = g.nx;
        int ny = g.ny;
        int nz = g.nz;
        int plane = nx * ny;
        double[] c = s.potential();
        double perVoxel = s.meanFlux() / plane;
        float[] field = new float[nx * ny * nz];
        for (int z = 0; z < nz; z++) {
            for (int j = 0; j < plane; j++) {
                int i = z * plane + j;
                if (g.invDiag[i] == 0f) {
                    continue;
                }
                double below = z == 0 ? g.inlet[j] * (1.0 - c[i]) : g.gz[i - plane] * (c[i - plane] - c[i]);
                double above = z == nz - 1 ? g.outlet[j] * c[i] : g.gz[i] * (c[i] - c[i + plane]);
                field[i] = (float) (0.5 * (below + above) / perVoxel);
            }
        }
        return fromZ(field, nx, ny, nz, original, axis);
    }

    /** Undoes {@link #toZ} for a float field. */
    private static FloatVolume fromZ(float[] field, int nx, int ny, int nz, Volume original, Axis axis) {
        if (axis == Axis.Z) {
            return FloatVolume.of(nx, ny, nz, field, original.voxelSize());
        }
        int ox = original.nx();
        int oy = original.ny();
        float[] out = new float[field.length];
        for (int z = 0; z < nz; z++) {
            for (int y = 0; y < ny; y++) {
                for (int x = 0; x < nx; x++) {
                    int a;
                    int b;
                    int cc;
                    if (axis == Axis.X) { // permuted (x, y, z) = original (y, z, x)
                        a = z;
                        b = x;
                        cc = y;
                    } else { // Y: permuted (x, y, z) = original (z, x, y)
                        a = y;
                        b = z;
                        cc = x;
                    }
                    out[a + ox * (b + oy * cc)] = field[x + nx * (y + ny * z)];
                }
            }
        }
        return FloatVolume.of(original.nx(), original.ny(), original.nz(), out, original.voxelSize());
    }

    /** A conductivity table with {@code value} for the given labels and 0 elsewhere. */
    public static double[] table(int[] labels, double value) {
        double[] k = new double[256];
        for (int label : labels) {
            if (label < 0 || label > 255) {
                throw new IllegalArgumentException("labels are 0..255, got " + label);
            }
            k[label] = value;
        }
        return k;
    }

    /** Copy of a table, for callers that build one incrementally. */
    static double[] copy(double[] k) {
        return Arrays.copyOf(k, k.length);
    }
}
