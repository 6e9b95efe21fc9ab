package dev.microforge.training.gram;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.microforge.datasets.Volume;
import dev.microforge.models.Engines;
import dev.microforge.models.ModelDirectory;
import dev.microforge.models.gan.GanArchitecture;
import dev.microforge.models.gan.GanModel;
import dev.microforge.models.gram.FeatureExtractor;
import dev.microforge.models.gram.FeatureExtractors;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The exemplar and extractor combinations besides one 2D image: a 3D exemplar with the 2D random extractor (its
 * slices along each axis), and a 3D exemplar with the critic of a {@code gan3d} model directory (3D features of the
 * whole volume); a 2D exemplar with a 3D extractor is refused.
 */
class GramExemplarKindsTest {

    @BeforeAll
    static void oneThread() {
        Engines.setThreads(1);
    }

    /** Rods along z in a 16³ volume: slices normal to z show discs, the others stripes. */
    private static Volume rods() {
        return Volume.generate(16, 16, 16, (x, y, z) -> {
            int dx = x % 8 - 4;
            int dy = y % 8 - 4;
            return dx * dx + dy * dy < 6 ? 1 : 0;
        });
    }

    private static GramReconstruction.Options quick(int n) {
        return GramReconstruction.Options.defaults().withSize(n, n, n).withIterations(1, 3).withOptimiser(4, 0.1, 100)
                .withSeed(4);
    }

    @Test
    void aVolumeExemplarWithTheRandomExtractorMatchesEachAxisOwnSlices() {
        try (FeatureExtractor fx = FeatureExtractors.open("random", 2, List.of(), 1)) {
            GramReconstruction.Result r = GramReconstruction.reconstruct(Exemplar.volume(rods()), fx, quick(12), null);
            assertEquals(3, r.steps());
            assertEquals(12 * 12 * 12, r.probabilities()[1].length);
            for (double loss : r.loss()) {
                assertTrue(Double.isFinite(loss) && loss > 0, "loss " + loss);
            }
            assertEquals((double) rods().labelCounts()[1] / 4096, r.fractions()[1], 1e-12);
        }
    }

    @Test
    void aGan3dCriticIsAVolumeExtractorForVolumeExemplarsOnly(@TempDir Path dir) {
        try (GanModel gan = GanModel.create(GanArchitecture.defaults(2), List.of("pore", "active"), 3)) {
            ModelDirectory.save(dir, gan);
        }
        try (FeatureExtractor critic = FeatureExtractors.open(dir.toString(), 2, List.of(), 1)) {
            assertEquals(3, critic.spatialDimensions());
            assertEquals(List.of("level1", "level2"), critic.layers());
            GramReconstruction.Result r = GramReconstruction.reconstruct(Exemplar.volume(rods()), critic, quick(8),
                    null);
            assertEquals(3, r.steps());
            assertTrue(r.loss()[2] < r.loss()[0], "three Adam steps did not lower the loss: "
                    + java.util.Arrays.toString(r.loss()));
            Volume image = rods().slice(dev.microforge.datasets.Axis.Z, 0);
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> GramReconstruction.reconstruct(Exemplar.image(image), critic, quick(8), null));
            assertTrue(e.getMessage().contains("3D exemplar"), e.getMessage());
        }
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> FeatureExtractors.open(dir.toString(), 3, List.of(), 1));
        assertTrue(e.getMessage().contains("2 phases"), e.getMessage());
    }
}
