package dev.microforge.evaluator.correlation;

/**
 * A sampled spectral density: {@code density[i]} at wavenumber {@code k[i]}.
 *
 * @param k angular wavenumbers, ascending, in rad/um or rad/voxel
 * @param density the spectral density at each wavenumber (see {@link SpectralDensity} for its normalisation)
 */
public record Spectrum(double[] k, double[] density) {
    public Spectrum {
        if (k == null || density == null || k.length != density.length) {
            throw new IllegalArgumentException("a spectrum needs as many wavenumbers as values, got "
                    + (k == null ? "null" : k.length) + " and " + (density == null ? "null" : density.length));
        }
    }
}
