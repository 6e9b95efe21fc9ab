package dev.microforge.evaluator.transport;

import dev.microforge.datasets.Axis;
import dev.microforge.datasets.FloatVolume;
import dev.microforge.datasets.Volume;

/**
 * Tortuosity factor and effective diffusivity of a phase (or set of phases) along one axis, by steady-state
 * diffusion through that phase alone ({@link EffectiveConductivity} with diffusivity 1 in the phase, 0 elsewhere).
 *
 * <p>Definitions (those of TauFactor: Cooper et al., SoftwareX 5 (2016) 203; Kench et al., JOSS 8 (2023) 5358):
 * <pre>
 *   D_eff / D_0 = F L / (A dC)            relative effective diffusivity (F: flux, L = n d: full length)
 *   tau         = eps D_0 / D_eff         tortuosity factor, eps = volume fraction of the whole phase
 *   N_M         = D_0 / D_eff = tau / eps MacMullin number
 *   tau_Bruggeman = eps^(-1/2)            the Bruggeman estimate (D_eff / D_0 = eps^(3/2)) beside it
 * </pre>
 * A uniform block and straight channels give tau = 1. A phase that does not connect the two faces gives
 * {@code tau = +Infinity}, {@code effectiveDiffusivity = 0} and {@code percolating = false}.
 */
public final class Tortuosity {
    private Tortuosity() {
    }

    /**
     * Tortuosity result along one axis.
     *
     * @param phases label values of the phase set
     * @param axis the axis of the concentration difference
     * @param tau tortuosity factor ({@code +Infinity} when not percolating)
     * @param effectiveDiffusivity D_eff / D_0 (0 when not percolating)
     * @param volumeFraction eps, fraction of all voxels in the phase set
     * @param percolatingFraction of the phase voxels, those in clusters joining the two faces
     * @param deadEndFraction of the phase voxels, those in clusters touching one face only
     * @param isolatedFraction of the phase voxels, those touching neither face
     * @param macMullin N_M = tau / eps ({@code +Infinity} when not percolating)
     * @param bruggemanTau eps^(-1/2)
     * @param percolating whether the phase joins the two faces
     * @param converged whether the flux tolerance was reached
     * @param iterations conjugate-gradient iterations
     * @param fluxError largest relative deviation of inlet, outlet and layer fluxes from their mean
     * @param seconds wall time
     * @param flux local axial flux field (see {@link EffectiveConductivity.Result#flux()}), or null
     */
    public record Result(int[] phases, Axis axis, double tau, double effectiveDiffusivity, double volumeFraction,
            double percolatingFraction, double deadEndFraction, double isolatedFraction, double macMullin,
            double bruggemanTau, boolean percolating, boolean converged, int iterations, double fluxError,
            double seconds, FloatVolume flux) {
    }

    /** Tortuosity of {@code phase} along {@code axis}. */
    public static Result solve(Volume volume, int phase, Axis axis, EffectiveConductivity.Options options) {
        return solve(volume, new int[] {phase}, axis, options, null);
    }

    /**
     * Tortuosity of the union of {@code phases} along {@code axis}.
     *
     * @throws IllegalArgumentException for an empty phase set or a label outside 0..255
     */
    public static Result solve(Volume volume, int[] phases, Axis axis, EffectiveConductivity.Options options,
            EffectiveConductivity.Listener listener) {
        if (phases == null || phases.length == 0) {
            throw new IllegalArgumentException("no phase given; name at least one label value");
        }
        double[] k = EffectiveConductivity.table(phases, 1.0);
        EffectiveConductivity.Result r = EffectiveConductivity.solve(volume, k, axis, options, listener);
        double eps = r.conductingFraction();
        double deff = r.effectiveConductivity();
        double tau = deff > 0 ? eps / deff : Double.POSITIVE_INFINITY;
        double macMullin = deff > 0 ? 1 / deff : Double.POSITIVE_INFINITY;
        double bruggeman = eps > 0 ? Math.pow(eps, -0.5) : Double.POSITIVE_INFINITY;
        return new Result(phases.clone(), axis, tau, deff, eps, r.percolatingFraction(), r.deadEndFraction(),
                r.isolatedFraction(), macMullin, bruggeman, r.percolating(), r.converged(), r.iterations(),
                r.fluxError(), r.seconds(), r.flux());
    }
}
