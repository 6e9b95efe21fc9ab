package dev.microforge.models;

import java.util.List;

/**
 * A trained generative model seen from outside {@code models}: it turns a spatial latent into a labelled volume,
 * through primitive arrays only, so that {@code generator}, {@code optimizer} and {@code cli} sample models without
 * touching engine types.
 *
 * <p>Layouts: a batch of latents is a C-order float32 array of shape {@code (batch, latentChannels, lz, ly, lx)}
 * (DJL's NCDHW, D = z, H = y, W = x); the labels returned are a C-order byte array of shape {@code (batch, lz * s,
 * ly * s, lx * s)} with {@code s = sizeStep()}, x fastest, so each sample's block is a {@link
 * dev.microforge.datasets.Volume}'s label array. Labels are phase indices {@code 0..phases()-1}.
 *
 * <p>Locality ({@link #latentMargin()}): the generator is a stack of convolutions with zero padding, so an output
 * voxel depends only on latent voxels within {@code latentMargin()} latent voxels (per axis) of the latent voxel
 * it lies in, and cutting the latent affects only output within that margin of the cut. Callers rely on this to
 * decode large volumes in slabs that agree with a whole decode, and to make periodic volumes by padding the latent
 * circularly (Gayon-Lombardo et al., "Pores for thought", npj Comput. Mater. 6 (2020) 82).
 *
 * <p>Implementations own native memory: close them.
 */
public interface LatentDecoder extends AutoCloseable {
    /** The model kind of {@code model.json}, e.g. {@code gan3d}. */
    String kind();

    /** Number of phases (labels {@code 0..phases-1}). */
    int phases();

    /** One name per phase, label value = index. */
    List<String> phaseLabels();

    /** Channels of the spatial latent. */
    int latentChannels();

    /** Output voxels per latent voxel along each axis. */
    int sizeStep();

    /**
     * Latent voxels (per side, per axis) beyond which a latent change or cut does not reach an output voxel: a
     * region decoded from its latent extended by this margin on every side (where the latent goes on) equals the
     * same region of a whole decode. 0 when the decoder has no such locality (e.g. a VAE that decodes a latent
     * vector through dense layers): it is then decoded whole, and cannot make periodic volumes.
     */
    int latentMargin();

    /**
     * Native working memory of one {@link #decode} call of this shape, bytes (an upper estimate), for memory checks
     * and slab sizing. Grows with every argument.
     *
     * @param batch samples
     * @param lx latent size along x (likewise {@code ly}, {@code lz})
     * @return bytes
     */
    long workingBytes(int batch, int lx, int ly, int lz);

    /**
     * Decodes a batch of latents (inference: no gradients are recorded) and returns the most probable phase of
     * every voxel.
     *
     * @param latents C-order {@code (batch, latentChannels, lz, ly, lx)} values
     * @param batch samples, at least 1
     * @param lx latent size along x, at least 1 (likewise {@code ly}, {@code lz})
     * @return C-order {@code (batch, lz * s, ly * s, lx * s)} labels
     * @throws IllegalArgumentException when the array length does not match the shape
     */
    byte[] decode(float[] latents, int batch, int lx, int ly, int lz);

    /** Whether {@link #decodeLogits} is available (the scores a fraction-matched sample is cut from). */
    default boolean hasLogits() {
        return false;
    }

    /**
     * Decodes a batch of latents like {@link #decode} and returns every voxel's phase logits instead of the labels:
     * the unnormalised log-probabilities whose argmax {@code decode} returns (their softmax over the phases is the
     * voxel's phase probabilities). 4 bytes per phase and voxel.
     *
     * @param latents C-order {@code (batch, latentChannels, lz, ly, lx)} values
     * @param batch samples, at least 1
     * @param lx latent size along x, at least 1 (likewise {@code ly}, {@code lz})
     * @return C-order {@code (batch, phases, lz * s, ly * s, lx * s)} logits
     * @throws IllegalArgumentException when the array length does not match the shape
     * @throws UnsupportedOperationException when {@link #hasLogits} is false
     */
    default float[] decodeLogits(float[] latents, int batch, int lx, int ly, int lz) {
        throw new UnsupportedOperationException("a " + kind() + " model does not give its phase logits");
    }

    /** Frees the model's native memory. */
    @Override
    void close();
}
