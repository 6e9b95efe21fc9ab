package dev.microforge.evaluator.morphology;

import dev.microforge.datasets.Axis;
import dev.microforge.datasets.Volume;

/**
 * Lineal-path function L(r) per axis: the probability that a segment of length r, laid along the axis with both
 * ends on voxel centres, lies entirely in the phase, i.e. that r + 1 consecutive voxels are all phase voxels
 * (Lu and Torquato, "Lineal-path function for random heterogeneous materials", Phys. Rev. A 45 (1992) 922).
 * {@code L(0)} is the volume fraction; L is non-increasing.
 *
 * <p>Algorithm: from the histogram H of run lengths along the axis ({@link RunLengths}, one O(N) pass), a run of l
 * voxels holds {@code max(0, l - r)} placements, so {@code L(r) = sum_{l > r} (l - r) H(l) / (lines * places(r))}
 * evaluated for all r in O(n) with suffix sums. Non-periodic: only segments inside the volume count,
 * {@code places(r) = n - r}. Periodic: lines wrap, the two end runs of a line merge, {@code places(r) = n}.
 *
 * <p>Units: r in voxel edges along the axis; {@link AxisResult#distance(int)} gives micrometres when the voxel size
 * is known. Memory: one byte per voxel (the phase mask).
 */
public final class LinealPath {
    private LinealPath() {
    }

    /**
     * Options of a lineal-path computation.
     *
     * @param maxLength largest segment length r in voxels (clamped to the axis size - 1); 0 means half the axis size
     * @param periodic whether lines wrap around (for periodic structures)
     */
    public record Options(int maxLength, boolean periodic) {
        public Options {
            if (maxLength < 0) {
                throw new IllegalArgumentException("maxLength must be 0 (half the axis size) or a positive number of "
                        + "voxels, got " + maxLength);
            }
        }

        /** Half the axis size, non-periodic. */
        public static Options defaults() {
            return new Options(0, false);
        }
    }

    /**
     * L(r) along one axis.
     *
     * @param axis the axis
     * @param probability L(r) at index r = 0..maxLength
     * @param voxelEdge voxel edge along the axis in micrometres (NaN when unknown)
     */
    public record AxisResult(Axis axis, double[] probability, double voxelEdge) {
        /** Segment length r in micrometres (NaN when the voxel size is unknown). */
        public double distance(int r) {
            return r * voxelEdge;
        }

        /** L(r). */
        public double at(int r) {
            return probability[r];
        }
    }

    /** L(r) along x, y and z. */
    public record Result(AxisResult x, AxisResult y, AxisResult z) {
        public AxisResult along(Axis axis) {
            return axis == Axis.X ? x : axis == Axis.Y ? y : z;
        }
    }

    /** L(r) of the voxels labelled {@code phase} along each axis. */
    public static Result compute(Volume volume, int phase, Options options) {
        return compute(volume, new int[] {phase}, options);
    }

    /** L(r) of the voxels whose label is any of {@code phases} along each axis. */
    public static Result compute(Volume volume, int[] phases, Options options) {
        boolean[] mask = PhaseMask.of(volume, phases);
        return new Result(of(mask, volume, Axis.X, options), of(mask, volume, Axis.Y, options),
                of(mask, volume, Axis.Z, options));
    }

    /** L(r) along one axis. */
    public static AxisResult along(Volume volume, int[] phases, Axis axis, Options options) {
        return of(PhaseMask.of(volume, phases), volume, axis, options);
    }

    private static AxisResult of(boolean[] mask, Volume volume, Axis axis, Options options) {
        RunLengths.Histograms h = RunLengths.along(mask, volume.nx(), volume.ny(), volume.nz(), axis);
        int n = h.n();
        int maxR = options.maxLength() == 0 ? n / 2 : options.maxLength();
        maxR = Math.min(maxR, n - 1);
        long[] runs = options.periodic() ? h.periodic() : h.open();
        // suffix sums over l > r: count S1 and total length S2; placements(r) = S2 - r S1
        double[] p = new double[maxR + 1];
        long s1 = 0;
        long s2 = 0;
        for (int l = n; l > maxR; l--) {
            s1 += runs[l];
            s2 += (long) l * runs[l];
        }
        for (int r = maxR; r >= 0; r--) {
            // now s1, s2 cover l > r
            long placed = s2 - (long) r * s1;
            double places;
            if (options.periodic()) {
                placed += h.fullLines() * n;
                places = (double) h.lines() * n;
            } else {
                places = (double) h.lines() * (n - r);
            }
            p[r] = placed / places;
            s1 += runs[r];
            s2 += (long) r * runs[r];
        }
        return new AxisResult(axis, p, volume.voxelSize().along(axis));
    }
}
