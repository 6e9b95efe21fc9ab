package dev.microforge.models.vae;

import dev.microforge.models.layers.Convolutions3d;
import java.util.List;

/**
 * Architecture table of a 3D variational autoencoder for k-phase volumes (Kingma and Welling,
 * "Auto-Encoding Variational Bayes", ICLR 2014; beta-weighted KL as in Higgins et al., "beta-VAE",
 * ICLR 2017).
 *
 * <p>Encoder: one 4x4x4 stride-2 convolution + LeakyReLU(0.2) per entry of {@code encoderWidths}
 * (the input edge halves each time), then a linear map of the flattened features to a mean and a
 * log-variance vector of {@code latentDimension} entries each. Decoder: a linear map of the latent
 * vector to a {@code decoderWidths[0] x b³} feature map ({@code b = inputSize / 2^decoder levels}),
 * then one x2 resize-convolution + ReLU per entry of {@code decoderWidths}, then a 1x1x1 convolution
 * to per-voxel phase logits (softmax over phases gives probabilities). All widths are multiples of 16
 * (libtorch 2.7.1 CPU gradient bug, see {@link Convolutions3d}).
 *
 * @param phases number of phases, 2..255
 * @param inputSize edge of the cubic volumes the model encodes and decodes; a multiple of {@code
 *     2^levels} of both networks
 * @param latentDimension entries of the latent vector (the design variables), 1..4096
 * @param encoderWidths output channels of each encoder level (1..6 levels)
 * @param decoderWidths output channels of each decoder level (1..6 levels)
 */
public record VaeArchitecture(
        int phases, int inputSize, int latentDimension, List<Integer> encoderWidths, List<Integer> decoderWidths) {

    /** Most levels either network may have. */
    public static final int MAX_LEVELS = 6;
    /** Largest latent dimension accepted. */
    public static final int MAX_LATENT = 4096;

    /** Validates the table and makes the lists immutable. */
    public VaeArchitecture {
        if (phases < 2 || phases > 255) {
            throw new IllegalArgumentException("phases must be 2..255, got " + phases);
        }
        if (latentDimension < 1 || latentDimension > MAX_LATENT) {
            throw new IllegalArgumentException("latentDimension must be 1.." + MAX_LATENT + ", got " + latentDimension);
        }
        encoderWidths = checkWidths("encoderWidths", encoderWidths);
        decoderWidths = checkWidths("decoderWidths", decoderWidths);
        int step = 1 << Math.max(encoderWidths.size(), decoderWidths.size());
        if (inputSize < step || inputSize % step != 0) {
            throw new IllegalArgumentException(
                    "inputSize must be a positive multiple of 2^levels = " + step + " (encoder "
                            + encoderWidths.size() + " levels, decoder " + decoderWidths.size() + "), got "
                            + inputSize);
        }
    }

    /**
     * The CPU default for {@code phases} phases and {@code inputSize}³ volumes: latent 16, encoder
     * 16,16,16,32, decoder 16,16,16,16 (four levels each; 64³ gives a 4³ base).
     *
     * <p>Why: the decoder's last level dominates the cost (a 16->16 3x3x3 convolution over 64³ is 1.8
     * GMAC per volume) and 16->16 resize-convolutions are the gradient-verified configuration; the
     * encoder's stride-2 layers are cheap at run time, but each new width pair costs CI a 32³ gradient
     * check (a 32->32 one takes 12 s on 2 cores), hence one 16->32 step only. Sixteen latent entries
     * keep the design space small enough for Gaussian-process Bayesian optimisation.
     *
     * @param phases number of phases
     * @param inputSize volume edge, a multiple of 16
     * @return the default architecture
     */
    public static VaeArchitecture defaults(int phases, int inputSize) {
        return new VaeArchitecture(phases, inputSize, 16, List.of(16, 16, 16, 32), List.of(16, 16, 16, 16));
    }

    /**
     * Returns the edge of the encoder's last feature map.
     *
     * @return {@code inputSize / 2^encoder levels}
     */
    public int encodedSize() {
        return inputSize >> encoderWidths.size();
    }

    /**
     * Returns the edge of the decoder's first feature map.
     *
     * @return {@code inputSize / 2^decoder levels}
     */
    public int decoderBaseSize() {
        return inputSize >> decoderWidths.size();
    }

    private static List<Integer> checkWidths(String name, List<Integer> widths) {
        if (widths == null || widths.isEmpty() || widths.size() > MAX_LEVELS) {
            throw new IllegalArgumentException(
                    name + " needs 1.." + MAX_LEVELS + " entries, got " + (widths == null ? "none" : widths.size()));
        }
        for (Integer w : widths) {
            if (w == null || w < Convolutions3d.CHANNEL_MULTIPLE || w % Convolutions3d.CHANNEL_MULTIPLE != 0) {
                throw new IllegalArgumentException(
                        name + " entries must be positive multiples of " + Convolutions3d.CHANNEL_MULTIPLE
                                + " (libtorch 2.7.1 CPU convolution gradient bug otherwise), got " + widths);
            }
        }
        return List.copyOf(widths);
    }
}
