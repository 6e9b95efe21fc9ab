package dev.microforge.evaluator.morphology;

import dev.microforge.datasets.Axis;
import dev.microforge.datasets.Volume;

/**
 * How a phase set is connected along an axis: the fractions of its voxels that are percolating (in a component
 * touching both faces normal to the axis), dead-end (in a component touching exactly one of them) and isolated
 * (touching neither). The three fractions sum to 1. These are the categories of MATBOX's connectivity analysis
 * (Usseglio-Viretta et al., J. Electrochem. Soc. 165 (2018) A3403); a "dead end" here is a whole cluster that
 * reaches only one face, while dead-end branches of a percolating cluster count as percolating (they carry no flux,
 * which the transport solver reports separately).
 */
public final class Percolation {
    private Percolation() {
    }

    /**
     * Connectivity of a phase set along one axis.
     *
     * @param axis the axis whose two normal faces are the inlet and outlet
     * @param phaseVoxels voxels in the phase set
     * @param percolatingFraction of the phase voxels, those in components spanning the axis
     * @param deadEndFraction of the phase voxels, those in components touching one face only
     * @param isolatedFraction of the phase voxels, those touching neither face
     * @param percolates whether at least one component spans the axis
     */
    public record Result(Axis axis, long phaseVoxels, double percolatingFraction, double deadEndFraction,
            double isolatedFraction, boolean percolates) {
    }

    /** Classifies the components of {@code components} along {@code axis}. */
    public static Result along(ConnectedComponents.Result components, Axis axis) {
        long total = 0;
        long spanning = 0;
        long oneFace = 0;
        for (int k = 1; k <= components.count(); k++) {
            long size = components.sizes()[k];
            total += size;
            int touched = components.facesTouched(k, axis);
            if (touched == 2) {
                spanning += size;
            } else if (touched == 1) {
                oneFace += size;
            }
        }
        if (total == 0) {
            return new Result(axis, 0, 0, 0, 0, false);
        }
        return new Result(axis, total, (double) spanning / total, (double) oneFace / total,
                (double) (total - spanning - oneFace) / total, spanning > 0);
    }

    /** Labels the phase with the given options and classifies it along {@code axis}. */
    public static Result along(Volume volume, int[] phases, Axis axis, ConnectedComponents.Options options) {
        return along(ConnectedComponents.label(volume, phases, options), axis);
    }
}
