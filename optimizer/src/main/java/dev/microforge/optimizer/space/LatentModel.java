package dev.microforge.optimizer.space;

import dev.microforge.datasets.PhaseMap;
import dev.microforge.datasets.Volume;

/**
 * A trained generative model seen as a function from a latent vector to a volume, for {@link LatentSpace}: a GAN's
 * spatial latent flattened, or a VAE's latent vector ({@link DecoderLatentModel} opens any model directory). The latent's prior is the standard
 * normal {@code N(0, I)} in {@link #dimension()} dimensions.
 */
public interface LatentModel extends AutoCloseable {
    /** Length of the latent vector. */
    int dimension();

    /** The volume the model makes from {@code latent} (length {@link #dimension()}); deterministic. */
    Volume decode(double[] latent);

    /** Names of the labels of the decoded volumes. */
    PhaseMap phases();

    /** One line naming the model. */
    String describe();

    /** Frees the model's native memory. */
    @Override
    void close();
}
