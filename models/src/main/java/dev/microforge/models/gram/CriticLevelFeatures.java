package dev.microforge.models.gram;

import java.util.ArrayList;
import java.util.List;

/**
 * What the critic-based extractors ({@link CriticFeatures}, {@link SliceGanCriticFeatures}) share: one feature map per
 * critic level, named {@code level1}, {@code level2}, ...; inputs whose spatial edges are multiples of {@code
 * 2^levels} (each level halves them); a model that closing the extractor closes.
 */
abstract class CriticLevelFeatures implements FeatureExtractor {

    private final int levels;
    private final Runnable closer;

    /**
     * @param levels number of critic levels
     * @param closer closes the model owning the critic ({@link #close()})
     */
    CriticLevelFeatures(int levels, Runnable closer) {
        this.levels = levels;
        this.closer = closer;
    }

    @Override
    public final List<String> layers() {
        List<String> names = new ArrayList<>();
        for (int i = 1; i <= levels; i++) {
            names.add("level" + i);
        }
        return names;
    }

    @Override
    public final int minimumSize() {
        return 1 << levels;
    }

    @Override
    public final int sizeMultiple() {
        return 1 << levels;
    }

    @Override
    public final void close() {
        closer.run();
    }
}
