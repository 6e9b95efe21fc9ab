package dev.microforge.training.gram;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.microforge.datasets.Volume;
import dev.microforge.models.Engines;
import dev.microforge.models.ModelDirectory;
import dev.microforge.models.gram.FeatureExtractor;
import dev.microforge.models.gram.FeatureExtractors;
import dev.microforge.models.slicegan.SliceGanArchitecture;
import dev.microforge.models.slicegan.SliceGanModel;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A {@code slicegan} model directory's critics as the image extractor of a Gram reconstruction from a 2D exemplar:
 * windows are cut to multiples of the critics' {@code 2^levels}, and three critics serve the three orientations.
 */
class SliceGanFeaturesTest {

    @BeforeAll
    static void oneThread() {
        Engines.setThreads(1);
    }

    @Test
    void slicesOfEveryOrientationGoThroughTheirCriticAndTheLossFalls(@TempDir Path dir) {
        try (SliceGanModel model = SliceGanModel.create(SliceGanArchitecture.defaults(2, 3), List.of("pore", "solid"),
                5)) {
            ModelDirectory.save(dir, model);
        }
        Volume discs = Volume.generate(48, 48, 1, (x, y, z) -> {
            int dx = x % 12 - 6;
            int dy = y % 12 - 6;
            return dx * dx + dy * dy < 12 ? 1 : 0;
        });
        try (FeatureExtractor critics = FeatureExtractors.open(dir.toString(), 2, List.of(), 1)) {
            assertEquals(2, critics.spatialDimensions());
            int multiple = critics.sizeMultiple();
            assertTrue(multiple >= 2, "size multiple " + multiple);
            GramReconstruction.Options o = GramReconstruction.Options.defaults().withSize(2 * multiple + 3,
                    2 * multiple + 3, 2 * multiple + 3).withIterations(1, 4).withOptimiser(3, 0.1, 100).withSeed(2);
            GramReconstruction.Result r = GramReconstruction.reconstruct(Exemplar.image(discs), critics, o, null);
            assertEquals(4, r.steps());
            assertTrue(r.loss()[3] < r.loss()[0], java.util.Arrays.toString(r.loss()));
        }
    }
}
