package dev.microforge.models.gram;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import dev.microforge.datasets.Axis;
import java.util.List;

/**
 * A network whose intermediate activations describe texture: the feature maps whose Gram matrices a Gram-matrix
 * reconstruction matches (Gatys et al., "Texture synthesis using convolutional neural networks", NeurIPS 2015; Li
 * et al., "A transfer learning approach for microstructure reconstruction and structure-property predictions", Sci.
 * Rep. 8 (2018) 13461).
 *
 * <p>Input: per-pixel phase probabilities (one channel per phase, summing to 1), shape {@code (N, phases, H, W)}
 * for an image extractor ({@link #spatialDimensions()} 2) or {@code (N, phases, D, H, W)} for a volume extractor
 * (3), in DJL's NCHW / NCDHW layout (W = x fastest). Output: one feature map per layer, {@code (N, C_l, H_l, W_l)}
 * (or with {@code D_l}), named and ordered as {@link #layers()}, differentiable with respect to the input (the call must record
 * gradients: it runs the network in training mode with autograd on, and never updates the network's own weights).
 *
 * <p>Implementations own native memory (weights); close them when done.
 */
public interface FeatureExtractor extends AutoCloseable {

    /**
     * Returns 2 for an image extractor (applied to slices), 3 for a volume extractor.
     *
     * @return the number of spatial axes of the input
     */
    int spatialDimensions();

    /**
     * Returns the number of input channels, i.e. phases, the network expects.
     *
     * @return channels of the input
     */
    int channels();

    /**
     * Returns the names of the layers {@link #features} returns, in the same order.
     *
     * @return layer names
     */
    List<String> layers();

    /**
     * Returns the smallest spatial edge, in pixels, an input may have along each axis.
     *
     * @return minimum input edge
     */
    int minimumSize();

    /**
     * Returns the number every spatial input size must be a multiple of (a network that halves its maps {@code L}
     * times needs {@code 2^L}); 1 when any size is accepted.
     *
     * @return the size multiple, at least 1
     */
    default int sizeMultiple() {
        return 1;
    }

    /**
     * Computes the feature maps of slices normal to {@code axis}: the same as {@link #features(NDArray)} unless the
     * network has one branch per orientation (a SliceGAN trained with three critics).
     *
     * @param input images {@code (N, channels, H, W)}
     * @param axis the normal of the slices
     * @return as {@link #features(NDArray)}
     */
    default NDList features(NDArray input, Axis axis) {
        return features(input);
    }

    /**
     * Computes the feature maps of {@code input}, differentiably.
     *
     * @param input phase probabilities {@code (N, channels, [D,] H, W)}, float32
     * @return one array per layer, each named ({@link NDArray#getName()}) after its entry of {@link #layers()}, in
     *     that order; a layer whose input would be too small at this size (a coarse scale of a small image) is left
     *     out
     */
    NDList features(NDArray input);

    /**
     * Returns one line describing the extractor for logs and summaries.
     *
     * @return a description, e.g. {@code "random multi-scale CNN, scales 1,2,4,8, 32 filters x 2 layers, seed 0"}
     */
    String description();

    @Override
    void close();
}
