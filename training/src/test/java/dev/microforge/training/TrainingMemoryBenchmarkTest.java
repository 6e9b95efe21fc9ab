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
 * Resident memory over a few hundred WGAN-GP iterations (benchmark tag and {@code -Dmemory.run=true}:
 * minutes, not CI). Native memory that grows per iteration means arrays or autograd graphs escape
 * their step's NDManager (DJL's create-graph backward leaked about 1.5 MB per iteration at 16³ this
 * way). Run it with a pre-touched heap, so that the Java heap's first use of its pages does not read
 * as growth:
 *
 * <pre>
 * mvn -pl training -am verify -Dtest='TrainingMemoryBenchmarkTest*' -Dsurefire.failIfNoSpecifiedTests=false \
 *   -Dmicroforge.excludedGroups=none -Dgroups=benchmark \
 *   "-Dmicroforge.offline.argLine=-Dai.djl.offline=true -Dmemory.run=true -Xms2g -XX:+AlwaysPreTouch"
 * </pre>
 *
 * Prints the resident set and the arrays the model's and the engine's managers hold every 50
 * iterations; asserts that the resident set grows less than 0.25 MiB per iteration after iteration
 * 100 (measured: 0.13 MiB per iteration from 50 to 150 at 16³, batch 2, one critic step, arrays
 * constant; before the fix 1.5 MiB per iteration).
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
    @org.junit.jupiter.api.condition.EnabledIfSystemProperty(named = "memory.run", matches = "true")
    void residentMemoryStaysFlat(int patch) throws IOException {
        int iterations = Integer.getInteger("memory.iterations", 300);
        Volume v = Volume.generate(48, 48, 48, (x, y, z) -> (x / 5 + y / 7 + z / 3) % 3);
        try (GanModel model = GanModel.create(GanArchitecture.defaults(3), List.of("a", "b", "c"), 1);
                WganGpTrainer trainer = WganGpTrainer.create(model, v,
                        new WganGpTrainer.Options(2, patch, Integer.getInteger("memory.criticSteps", 2), 10, 1e-4, 1e-4,
                                0.5, 0.9, 0, Math.min(16, patch - 1), 1), null, null)) {
            long t0 = System.nanoTime();
            long at100 = 0;
            for (int it = 1; it <= iterations; it++) {
                trainer.iterate(it);
                if (it % 50 == 0 || it == 1) {
                    long rss = rssKiB();
                    if (it == 100) {
                        at100 = rss;
                    }
                    Runtime rt = Runtime.getRuntime();
                    System.out.printf("memory patch %d^3 iteration %d: RSS %d MiB (Java heap committed %d MiB, used %d"
                            + " MiB), arrays in the model's manager %d, in the engine's %d; %.3f s/iteration%n", patch, it,
                            rss >> 10, rt.totalMemory() >> 20, (rt.totalMemory() - rt.freeMemory()) >> 20,
                            model.manager().getManagedArrays().size(),
                            model.manager().getParentManager().getManagedArrays().size(),
                            (System.nanoTime() - t0) / 1e9 / it);
                }
            }
            double perIteration = (rssKiB() - at100) / 1024.0 / (iterations - 100);
            System.out.printf("memory patch %d^3: %.3f MiB per iteration after iteration 100%n", patch, perIteration);
            assertTrue(perIteration < 0.25, "resident memory grows " + perIteration + " MiB per iteration");
        }
    }
}
