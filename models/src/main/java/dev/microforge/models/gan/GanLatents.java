package dev.microforge.models.gan;

import ai.djl.ndarray.NDManager;
import java.util.Locale;

/**
 * Decodes a given spatial latent with a {@link GanModel}'s generator, through primitive arrays only, so that modules
 * without engine types (the optimiser's latent design space) can search the latent: the forward pass and argmax of
 * {@link GanModel#generate} (mirror-padded latent, margin cut: {@link Generator3d#generate}), with the latent
 * supplied instead of drawn from a seed.
 */
public final class GanLatents {
    private GanLatents() {
    }

    /**
     * Decodes one latent (inference mode) into phase labels.
     *
     * @param model the GAN
     * @param latent C-order float32 values of shape {@code (latentChannels, s, s, s)}
     * @param latentSize the spatial latent edge {@code s}
     * @return C-order labels of shape {@code (n, n, n)}, {@code n = s * 2^levels}, x fastest; values
     *     {@code 0..phases-1}
     * @throws IllegalArgumentException when the length does not match the shape
     */
    public static byte[] decode(GanModel model, float[] latent, int latentSize) {
        GanArchitecture a = model.architecture();
        a.outputSize(latentSize);
        long expected = (long) a.latentChannels() * latentSize * latentSize * latentSize;
        if (latent == null || latent.length != expected) {
            throw new IllegalArgumentException(String.format(Locale.ROOT,
                    "latent has %s values, expected %d = %d channels x %d^3", latent == null ? "no" : latent.length,
                    expected, a.latentChannels(), latentSize));
        }
        try (NDManager sub = model.manager().newSubManager()) {
            return model.generator().generate(sub, latent, latentSize).toArray();
        }
    }
}
