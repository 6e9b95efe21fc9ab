package dev.microforge.models.gram;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.training.ParameterStore;
import dev.microforge.models.gan.GanModel;

/**
 * The critic of a trained 3D GAN ({@code gan3d} model directory) as a volume feature extractor: the activation of
 * every critic level ({@code level1}, {@code level2}, ..., see {@code Critic3d#features}), input {@code (N,
 * phases, D, H, W)} with D, H, W multiples of {@code 2^levels}. A critic trained to tell real from generated
 * microstructures responds to exactly the features that distinguish them, which makes its Gram matrices a
 * material-specific texture descriptor (in place of the ImageNet features of Li et al. 2018). Being a 3D network it
 * is matched against a 3D exemplar.
 */
public final class CriticFeatures extends CriticLevelFeatures {

    private final GanModel model;
    private final String source;

    /**
     * Wraps a loaded model; closing this closes the model.
     *
     * @param model the GAN (its critic's weights are used, never changed)
     * @param source where it came from, for {@link #description()}
     */
    public CriticFeatures(GanModel model, String source) {
        super(model.architecture().criticWidths().size(), model::close);
        this.model = model;
        this.source = source;
    }

    @Override
    public int spatialDimensions() {
        return 3;
    }

    @Override
    public int channels() {
        return model.architecture().phases();
    }

    @Override
    public NDList features(NDArray input) {
        return model.critic().features(new ParameterStore(input.getManager(), false), input, true);
    }

    @Override
    public String description() {
        return "critic of the gan3d model " + source + " (levels " + model.architecture().criticWidths() + ")";
    }
}
