package dev.microforge.models.vae;

import dev.microforge.models.LatentDecoder;
import dev.microforge.models.ModelDirectory;
import dev.microforge.models.NoGradient;
import java.nio.file.Path;
import java.util.List;

/**
 * A {@link VaeModel}'s decoder as a {@link LatentDecoder}: the latent vector of {@code latentDimension} entries is a
 * latent of shape {@code (latentDimension, 1, 1, 1)}, decoded ({@link VaeModel#decode}) into one {@code inputSize³}
 * volume, so {@code sizeStep() = inputSize}. The decoder's dense first layer lets every latent entry reach every
 * voxel: no locality ({@code latentMargin() = 0}), hence no slabs, no periodic volumes and no size above
 * {@code inputSize} (smaller sizes are cut by the sampler). Owns the model and closes it.
 */
public final class VaeLatentDecoder implements LatentDecoder {
    private final VaeModel model;

    /**
     * Wraps a model (the decoder owns it from now on).
     *
     * @param model the VAE
     */
    public VaeLatentDecoder(VaeModel model) {
        if (model == null) {
            throw new IllegalArgumentException("model is required");
        }
        this.model = model;
    }

    /**
     * Loads the VAE of a model directory ({@link ModelDirectory#loadVae}).
     *
     * @param dir the model directory
     * @return the decoder
     */
    public static VaeLatentDecoder load(Path dir) {
        return new VaeLatentDecoder(ModelDirectory.loadVae(dir));
    }

    @Override
    public String kind() {
        return ModelDirectory.KIND_VAE;
    }

    @Override
    public int phases() {
        return model.architecture().phases();
    }

    @Override
    public List<String> phaseLabels() {
        return model.phaseLabels();
    }

    @Override
    public int latentChannels() {
        return model.latentDimension();
    }

    @Override
    public int sizeStep() {
        return model.inputSize();
    }

    @Override
    public int latentMargin() {
        return 0;
    }

    /**
     * Per sample, at the output resolution: up to five float arrays of the widest decoder level (upsampled input,
     * its repeats, convolution, activation), the logits, the int64 argmax and the labels.
     */
    @Override
    public long workingBytes(int batch, int lx, int ly, int lz) {
        int widest = model.architecture().decoderWidths().stream().mapToInt(Integer::intValue).max().orElse(16);
        long n = model.inputSize();
        return (long) batch * n * n * n * (4L * 5 * widest + 4L * phases() + 9);
    }

    @Override
    public byte[] decode(float[] latents, int batch, int lx, int ly, int lz) {
        checkLatents(latents, batch, lx, ly, lz);
        int n = model.inputSize();
        int voxels = n * n * n;
        byte[] labels = new byte[Math.multiplyExact(batch, voxels)];
        try (NoGradient off = NoGradient.enter()) {
            for (int b = 0; b < batch; b++) {
                model.decode(vector(latents, b)).copySlab(0, n, labels, b * voxels);
            }
        }
        return labels;
    }

    @Override
    public boolean hasLogits() {
        return true;
    }

    @Override
    public float[] decodeLogits(float[] latents, int batch, int lx, int ly, int lz) {
        checkLatents(latents, batch, lx, ly, lz);
        int n = model.inputSize();
        int per = Math.multiplyExact(phases(), n * n * n);
        float[] logits = new float[Math.multiplyExact(batch, per)];
        try (NoGradient off = NoGradient.enter()) {
            for (int b = 0; b < batch; b++) {
                System.arraycopy(model.decodeLogits(vector(latents, b)), 0, logits, b * per, per);
            }
        }
        return logits;
    }

    /** Refuses a spatial latent or a batch array of the wrong length. */
    private void checkLatents(float[] latents, int batch, int lx, int ly, int lz) {
        int n = model.inputSize();
        if (lx != 1 || ly != 1 || lz != 1) {
            throw new IllegalArgumentException("a vae model decodes one latent vector into one " + n + "^3 volume; "
                    + "ask for a size of at most " + n + " voxels per axis (got a latent of " + lx + " x " + ly
                    + " x " + lz + ")");
        }
        int d = latentChannels();
        if (batch < 1 || latents == null || latents.length != (long) batch * d) {
            throw new IllegalArgumentException("expected " + batch + " latent vectors of " + d + " entries, got "
                    + (latents == null ? "none" : latents.length + " values"));
        }
    }

    /** Latent vector {@code b} of a batch. */
    private double[] vector(float[] latents, int b) {
        int d = latentChannels();
        double[] z = new double[d];
        for (int i = 0; i < d; i++) {
            z[i] = latents[b * d + i];
        }
        return z;
    }

    @Override
    public void close() {
        model.close();
    }
}
