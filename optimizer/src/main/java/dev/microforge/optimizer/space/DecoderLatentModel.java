package dev.microforge.optimizer.space;

import dev.microforge.datasets.PhaseMap;
import dev.microforge.datasets.Volume;
import dev.microforge.generator.sampling.Latent;
import dev.microforge.generator.sampling.ModelKinds;
import dev.microforge.generator.sampling.ModelSampling;
import dev.microforge.models.LatentDecoder;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * Any trained generative model directory as a {@link LatentModel}: whatever {@code microforge generate} opens
 * ({@link ModelKinds}: the 3D GAN, SliceGAN, the VAE), decoded exactly as {@code generate} decodes a given latent
 * ({@link ModelSampling#generate}: mirror-padded by the model's latent margin, margin cut, cut to the requested
 * edge). The latent vector is the model's latent of the size a {@code size³} volume needs, {@code (channels, lz, ly,
 * lx)} flattened in C order: a GAN's or SliceGAN's spatial latent ({@code channels * s³} values, {@code s = size /
 * 2^levels}), or a VAE's latent vector ({@code latentDimension} values, the decoder's prior mean space; the VAE makes
 * volumes of at most its training edge). The prior is the standard normal every one of these was trained with.
 * Owns the decoder.
 */
public final class DecoderLatentModel implements LatentModel {
    private final LatentDecoder decoder;
    private final Path directory;
    private final int size;
    private final ModelSampling.Options options;
    private final int[] latentSize;
    private final PhaseMap phases;

    private DecoderLatentModel(LatentDecoder decoder, Path directory, int size) {
        if (size < 1) {
            throw new IllegalArgumentException("designSpace.size must be at least 1 voxel, got " + size);
        }
        this.decoder = decoder;
        this.directory = directory;
        this.size = size;
        this.options = ModelSampling.Options.defaults(size, size, size);
        this.latentSize = ModelSampling.latentSize(decoder, options);
        if (decoder.latentMargin() < 1 && (latentSize[0] > 1 || latentSize[1] > 1 || latentSize[2] > 1)) {
            throw new IllegalArgumentException(String.format(Locale.ROOT, "a %s model makes volumes of at most %d "
                    + "voxels per axis; ask for a designSpace.size of at most %d (got %d)", decoder.kind(),
                    decoder.sizeStep(), decoder.sizeStep(), size));
        }
        Map<Integer, String> names = new TreeMap<>();
        for (int i = 0; i < decoder.phaseLabels().size(); i++) {
            names.put(i, decoder.phaseLabels().get(i));
        }
        PhaseMap map;
        try {
            map = PhaseMap.of(names);
        } catch (IllegalArgumentException e) {
            map = PhaseMap.electrode(names.keySet());
        }
        this.phases = map;
    }

    /**
     * Opens a model directory of any registered kind for volumes of edge {@code size}.
     *
     * @throws IOException when the directory cannot be loaded ({@link ModelKinds.InvalidModelException}: a one-line
     *     message naming it)
     * @throws IllegalArgumentException when the model cannot make {@code size³} volumes
     */
    public static DecoderLatentModel load(Path directory, int size) throws IOException {
        LatentDecoder decoder = ModelKinds.open(directory);
        try {
            return new DecoderLatentModel(decoder, directory, size);
        } catch (RuntimeException e) {
            decoder.close();
            throw e;
        }
    }

    /** Wraps a decoder already in memory (the latent model owns it from now on). */
    public static DecoderLatentModel of(LatentDecoder decoder, int size) {
        return new DecoderLatentModel(decoder, null, size);
    }

    @Override
    public int dimension() {
        return decoder.latentChannels() * latentSize[0] * latentSize[1] * latentSize[2];
    }

    @Override
    public Volume decode(double[] latent) {
        if (latent.length != dimension()) {
            throw new IllegalArgumentException("latent of length " + latent.length + ", expected " + dimension());
        }
        float[] z = new float[latent.length];
        for (int i = 0; i < z.length; i++) {
            z[i] = (float) latent[i];
        }
        return ModelSampling.generate(decoder,
                new Latent(decoder.latentChannels(), latentSize[0], latentSize[1], latentSize[2], z), options);
    }

    @Override
    public PhaseMap phases() {
        return phases;
    }

    @Override
    public String describe() {
        return String.format(Locale.ROOT, "%s %s, latent %d x %d x %d x %d for %d^3 volumes", decoder.kind(),
                directory == null ? "(in memory)" : directory.toString(), decoder.latentChannels(), latentSize[2],
                latentSize[1], latentSize[0], size);
    }

    @Override
    public void close() {
        decoder.close();
    }
}
