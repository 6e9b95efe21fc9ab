package dev.microforge.evaluator.morphology;

import dev.microforge.datasets.Axis;
import dev.microforge.datasets.Volume;

/**
 * Chord-length distribution along an axis: the lengths of the runs of consecutive phase voxels on the lines
 * parallel to the axis (Torquato and Lu, "Chord-length distribution function for two-phase random media", Phys.
 * Rev. E 47 (1993) 2950). A chord of l voxels has length l voxel edges.
 *
 * <p>Borders: {@link Borders#EXCLUDE} (default) drops chords that touch either end of their line, whose true length
 * is unknown (this slightly favours short chords when chords are long against the volume); {@link Borders#INCLUDE}
 * keeps them truncated; {@link Borders#PERIODIC} joins the two end runs of each line (for periodic structures; a
 * line entirely in the phase has no finite chord and is only counted in {@link Result#unboundedLines()}).
 *
 * <p>Algorithm: one O(N) pass over the phase mask ({@link RunLengths}). Units: lengths in voxel edges, and in
 * micrometres when the voxel size is known.
 */
public final class ChordLength {
    private ChordLength() {
    }

    /** What to do with chords that reach the volume border. */
    public enum Borders {
        /** Drop chords touching the border (default). */
        EXCLUDE,
        /** Keep them, truncated at the border. */
        INCLUDE,
        /** Wrap lines around: the end runs of a line form one chord. */
        PERIODIC
    }

    /**
     * Options of a chord-length distribution.
     *
     * @param borders treatment of chords reaching the border
     */
    public record Options(Borders borders) {
        public Options {
            if (borders == null) {
                throw new IllegalArgumentException("borders is required: EXCLUDE, INCLUDE or PERIODIC");
            }
        }

        /** Chords touching the border excluded. */
        public static Options defaults() {
            return new Options(Borders.EXCLUDE);
        }
    }

    /**
     * A chord-length distribution.
     *
     * @param axis the axis of the lines
     * @param counts number of chords of each length in voxels (index = length, 0..axis size)
     * @param chords total number of chords
     * @param meanVoxels number-weighted mean chord length in voxel edges (NaN without chords)
     * @param voxelEdge voxel edge along the axis in micrometres (NaN when unknown)
     * @param unboundedLines lines entirely in the phase under {@link Borders#PERIODIC} (0 otherwise)
     */
    public record Result(Axis axis, long[] counts, long chords, double meanVoxels, double voxelEdge,
            long unboundedLines) {
        /** Mean chord length in micrometres (NaN when the voxel size is unknown). */
        public double meanMicrometres() {
            return meanVoxels * voxelEdge;
        }

        /** Probability of each chord length (index = length in voxels); all zero without chords. */
        public double[] probability() {
            double[] p = new double[counts.length];
            for (int l = 0; l < counts.length && chords > 0; l++) {
                p[l] = (double) counts[l] / chords;
            }
            return p;
        }

        /**
         * Length-weighted mean chord length in voxel edges, {@code sum l^2 H(l) / sum l H(l)}: the mean chord through
         * a phase voxel picked at random.
         */
        public double lengthWeightedMeanVoxels() {
            double s1 = 0;
            double s2 = 0;
            for (int l = 0; l < counts.length; l++) {
                s1 += (double) l * counts[l];
                s2 += (double) l * l * counts[l];
            }
            return s1 > 0 ? s2 / s1 : Double.NaN;
        }
    }

    /** Chords of the voxels labelled {@code phase} along {@code axis}. */
    public static Result distribution(Volume volume, int phase, Axis axis, Options options) {
        return distribution(volume, new int[] {phase}, axis, options);
    }

    /**
     * Chords of the voxels whose label is any of {@code phases} along {@code axis}.
     *
     * @throws IllegalArgumentException for a bad phase list or a null axis
     */
    public static Result distribution(Volume volume, int[] phases, Axis axis, Options options) {
        if (axis == null) {
            throw new IllegalArgumentException("axis is required: Axis.X, Y or Z");
        }
        boolean[] mask = PhaseMask.of(volume, phases);
        RunLengths.Histograms h = RunLengths.along(mask, volume.nx(), volume.ny(), volume.nz(), axis);
        long[] counts;
        switch (options.borders()) {
            case INCLUDE:
                counts = h.open();
                break;
            case PERIODIC:
                counts = h.periodic();
                break;
            default:
                counts = h.interior();
                break;
        }
        long chords = 0;
        long total = 0;
        for (int l = 1; l < counts.length; l++) {
            chords += counts[l];
            total += (long) l * counts[l];
        }
        return new Result(axis, counts, chords, chords > 0 ? (double) total / chords : Double.NaN,
                volume.voxelSize().along(axis), options.borders() == Borders.PERIODIC ? h.fullLines() : 0);
    }
}
