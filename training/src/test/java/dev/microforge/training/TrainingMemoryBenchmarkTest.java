package dev.microforge.training;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.microforge.datasets.Volume;
import dev.microforge.models.gan.GanArchitecture;
import dev.microforge.models.gan.GanModel;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Resident memory over a few hundred WGAN-GP iterations (benchmark tag: minutes, not CI). Native
 * memory that grows per iteration means arrays or autograd graphs escape their step's NDManager
 * (DJL's create-graph backward leaked about 1.5 MB per iteration at 16³ this way). Prints the
 * resident set every 50 iterations; asserts that the growth from iteration 100 to the end stays
 * under 0.1 MB per iteration.
 */
@Tag("benchmark")
class TrainingMemoryBenchmarkTest {

    static long rssKiB() throws IOException {
        for (String l : Files.readAllLines(Path.of("/proc/self/status"))) {
            if (l.startsWith("VmRSS:")) {
                return Long.parseLong(l.replaceAll("\\D", ""));
            }
        }
        return -1;
    }

    @ParameterizedTest(name = "patch {0}^3")
    @ValueSource(ints = {16, 32})
    void residentMemoryStaysFlat(int patch) throws IOException {
        int iterations = Integer.getInteger("memory.iterations", 300);
        Volume v = Volume.generate(48, 48, 48, (x, y, z) -> (x / 5 + y / 7 + z / 3) % 3);
        try (GanModel model = GanModel.create(GanArchitecture.defaults(3), List.of("a", "b", "c"), 1);
                WganGpTrainer trainer = WganGpTrainer.create(model, v,
                        new WganGpTrainer.Options(2, patch, 2, 10, 1e-4, 1e-4, 0.5, 0.9, 1), null, null)) {
            long t0 = System.nanoTime();
            long at100 = 0;
            for (int it = 1; it <= iterations; it++) {
                trainer.iterate(it);
                if (it % 50 == 0 || it == 1) {
                    long rss = rssKiB();
                    if (it == 100) {
                        at100 = rss;
                    }
                    System.out.printf("memory patch %d^3 iteration %d: RSS %d MiB, %.3f s/iteration%n", patch, it,
                            rss >> 10, (System.nanoTime() - t0) / 1e9 / it);
                }
            }
            double perIteration = (rssKiB() - at100) / 1024.0 / (iterations - 100);
            System.out.printf("memory patch %d^3: %.3f MiB per iteration after iteration 100%n", patch, perIteration);
            assertTrue(perIteration < 0.1, "resident memory grows " + perIteration + " MiB per iteration");
        }
    }
}
