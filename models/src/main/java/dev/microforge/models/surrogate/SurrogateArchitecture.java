package dev.microforge.models.surrogate;

import java.util.Locale;

/**
 * The shape of one member network of the CNN surrogate (see {@link SurrogateNetwork} for the layer table).
 *
 * @param phases one-hot channels of the input, labels {@code 0..phases-1} (3: pore, active, CBD)
 * @param inputSize edge of the cubic input volume in voxels; a multiple of {@code 2 * patch}
 * @param patch edge of the non-overlapping patches of the first layer (a {@code patch}³ convolution with stride
 *     {@code patch}, computed as a 1x1x1 convolution on the space-to-depth rearranged input)
 * @param embedWidth channels after the first layer (at {@code inputSize / patch} per axis)
 * @param width channels after the stride-2 layer (at {@code inputSize / (2 patch)} per axis)
 * @param denseWidth units of the hidden dense layer
 * @param boundaries whether the input carries, besides the one-hot voxels, the density of phase-boundary faces of
 *     each phase along each axis per patch (see {@link SurrogateInput}); a fixed, not learned, part of the first
 *     layer that makes the face-count surface area a linear function of the input
 */
public record SurrogateArchitecture(int phases, int inputSize, int patch, int embedWidth, int width, int denseWidth,
        boolean boundaries) {
    public SurrogateArchitecture {
        if (phases < 2 || phases > 8) {
            throw new IllegalArgumentException("phases must be 2..8, got " + phases);
        }
        if (patch < 1 || patch > 8) {
            throw new IllegalArgumentException("patch must be 1..8 voxels, got " + patch);
        }
        if (inputSize < 2 * patch || inputSize % (2 * patch) != 0) {
            throw new IllegalArgumentException(String.format(Locale.ROOT,
                    "inputSize must be a positive multiple of 2 * patch = %d, got %d", 2 * patch, inputSize));
        }
        if (embedWidth < 1 || width < 1 || denseWidth < 1) {
            throw new IllegalArgumentException(String.format(Locale.ROOT,
                    "widths must be at least 1, got embed %d, width %d, dense %d", embedWidth, width, denseWidth));
        }
    }

    /**
     * 3 phases, 64³ input, 4³ patches with boundary densities, 16 then 32 channels, 64 dense units: about 45 k
     * parameters and 0.12 GFLOP per volume. Until 2026-11-27 32 then 64 channels (0.17 M parameters, 0.41 GFLOP):
     * trained on the same 600 designs for the same 10 minutes, the narrower members gave the same held-out R² to
     * three decimals for every property (the descriptor baseline carries the prediction, the members correct it)
     * and the prediction took 10-15 ms less (README, "Minimum cut").
     */
    public static SurrogateArchitecture defaults() {
        return new SurrogateArchitecture(3, 64, 4, 16, 32, 64, true);
    }

    public SurrogateArchitecture withInputSize(int size) {
        return new SurrogateArchitecture(phases, size, patch, embedWidth, width, denseWidth, boundaries);
    }

    public SurrogateArchitecture withPatch(int value) {
        return new SurrogateArchitecture(phases, inputSize, value, embedWidth, width, denseWidth, boundaries);
    }

    public SurrogateArchitecture withWidths(int embed, int main, int dense) {
        return new SurrogateArchitecture(phases, inputSize, patch, embed, main, dense, boundaries);
    }

    public SurrogateArchitecture withBoundaries(boolean value) {
        return new SurrogateArchitecture(phases, inputSize, patch, embedWidth, width, denseWidth, value);
    }

    /** Channels of the one-hot part of the input: {@code phases * patch³}. */
    public int oneHotChannels() {
        return phases * patch * patch * patch;
    }

    /** Input channels of the first layer: {@code phases * patch³}, plus {@code 3 phases} boundary densities. */
    public int embeddedChannels() {
        return oneHotChannels() + (boundaries ? 3 * phases : 0);
    }

    /** Edge of the grid the first layer sees: {@code inputSize / patch}. */
    public int embeddedSize() {
        return inputSize / patch;
    }
}
