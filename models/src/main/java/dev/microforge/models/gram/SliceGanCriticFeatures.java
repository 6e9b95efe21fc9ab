package dev.microforge.models.gram;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.training.ParameterStore;
import dev.microforge.datasets.Axis;
import dev.microforge.models.slicegan.SliceGanModel;

/**
 * The 2D critic(s) of a trained SliceGAN ({@code slicegan} model directory) as an image feature extractor: the
 * activation of every critic level ({@code level1}, {@code level2}, ..., see {@code Critic2d#features}), input
 * {@code (N, phases, H, W)} with H and W multiples of {@code 2^levels}. A SliceGAN trained with three critics (one
 * per orientation) gives slices normal to x, y and z the features of their own critic. The critic was trained on
 * slices of exactly the material at hand, which makes it the natural texture descriptor for 2D exemplars of it.
 */
public final class SliceGanCriticFeatures extends CriticLevelFeatures {

    private final SliceGanModel model;
    private final String source;

    /**
     * Wraps a loaded model; closing this closes the model.
     *
     * @param model the SliceGAN (its critics' weights are used, never changed)
     * @param source where it came from, for {@link #description()}
     */
    public SliceGanCriticFeatures(SliceGanModel model, String source) {
        super(model.architecture().criticWidths().size(), model::close);
        this.model = model;
        this.source = source;
    }

    @Override
    public int spatialDimensions() {
        return 2;
    }

    @Override
    public int channels() {
        return model.architecture().phases();
    }

    @Override
    public NDList features(NDArray input) {
        return features(input, Axis.Z);
    }

    @Override
    public NDList features(NDArray input, Axis axis) {
        return model.critic(axis).features(new ParameterStore(input.getManager(), false), input, true);
    }

    @Override
    public String description() {
        return "critic" + (model.critics().size() > 1 ? "s" : "") + " of the slicegan model " + source + " (levels "
                + model.architecture().criticWidths() + ")";
    }
}
