package dev.microforge.models.surrogate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.microforge.models.Engines;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * DJL's libtorch and DL4J's ND4J in one JVM, both running a 3D convolution that must agree with a direct float64
 * sum (to float rounding, 1e-4 on values of order 5): once in this JVM with libtorch started first, and once in a
 * fresh JVM with ND4J started first (other tests in this JVM may already have loaded either engine, so the order
 * here is not controlled).
 */
class EngineCoexistenceTest {
    private static final double TOLERANCE = 1e-4;

    @Test
    void libtorchThenNd4jInThisJvm() {
        EngineCoexistenceProbe.Problem p = EngineCoexistenceProbe.Problem.random(3);
        double[] expected = p.direct();
        Engines.pytorch();
        assertTrue(EngineCoexistenceProbe.maxError(EngineCoexistenceProbe.djl(p), expected) < TOLERANCE);
        assertTrue(EngineCoexistenceProbe.maxError(EngineCoexistenceProbe.nd4j(p), expected) < TOLERANCE);
        assertTrue(EngineCoexistenceProbe.maxError(EngineCoexistenceProbe.djl(p), expected) < TOLERANCE);
    }

    @Test
    void nd4jThenLibtorchInAFreshJvm(@TempDir Path temp) throws Exception {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        ProcessBuilder builder = new ProcessBuilder(List.of(java.toString(), "-Dai.djl.offline=true",
                "-Djna.tmpdir=" + temp.resolve("jna"), "-cp", System.getProperty("java.class.path"),
                EngineCoexistenceProbe.class.getName())).redirectErrorStream(true);
        builder.environment().put("DJL_OFFLINE", "true");
        builder.environment().put("OPT_OUT_TRACKING", "true");
        Process process = builder.start();
        boolean finished = process.waitFor(180, TimeUnit.SECONDS);
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!finished) {
            process.destroyForcibly();
        }
        assertTrue(finished, "child JVM did not finish in 180 s:\n" + output);
        assertEquals(0, process.exitValue(), "child JVM failed:\n" + output);
        Map<String, String> values = new HashMap<>();
        for (String line : output.split("\n")) {
            int eq = line.indexOf('=');
            if (eq > 0) {
                values.put(line.substring(0, eq), line.substring(eq + 1).trim());
            }
        }
        for (String key : List.of("nd4jFirst", "djlSecond", "nd4jThird")) {
            assertTrue(values.containsKey(key), key + " missing:\n" + output);
            assertTrue(Double.parseDouble(values.get(key)) < TOLERANCE, key + " = " + values.get(key) + "\n" + output);
        }
        assertTrue(values.getOrDefault("djl", "").startsWith("PyTorch 2.7.1"), output);
    }
}
