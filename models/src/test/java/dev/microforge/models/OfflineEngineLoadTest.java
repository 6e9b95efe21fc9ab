package dev.microforge.models;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Proves that the PyTorch engine starts with no network and an empty DJL cache.
 *
 * <p>The engine can only be started once per JVM, and other tests in this JVM may already have
 * started it against the developer's {@code ~/.djl.ai}; DJL 0.36 reads {@code DJL_CACHE_DIR} from
 * the environment before the system property, so it cannot be redirected reliably in-JVM. The test
 * therefore launches a fresh JVM (same class path) whose {@code DJL_CACHE_DIR} is an empty temporary
 * folder and whose {@code user.home} is another empty folder, with DJL variables that could point
 * elsewhere removed, and asserts that libtorch 2.7.1 was extracted into that folder from the {@code
 * pytorch-native-cpu} jar and that no http(s) connection was attempted.
 */
class OfflineEngineLoadTest {

    @Test
    void pytorchStartsOfflineFromAnEmptyCache(@TempDir Path temp) throws Exception {
        // Given an empty DJL cache and an empty home directory
        Path cache = Files.createDirectory(temp.resolve("djl-cache"));
        Path home = Files.createDirectory(temp.resolve("home"));
        Path javaBin = Path.of(System.getProperty("java.home"), "bin", "java");
        List<String> command =
                List.of(
                        javaBin.toString(),
                        "-Dai.djl.offline=true",
                        "-Duser.home=" + home,
                        "-Djna.tmpdir=" + temp.resolve("jna"),
                        "-cp",
                        System.getProperty("java.class.path"),
                        OfflineEngineProbe.class.getName());
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        Map<String, String> env = builder.environment();
        for (String name :
                List.of("ENGINE_CACHE_DIR", "PYTORCH_LIBRARY_PATH", "PYTORCH_VERSION", "PYTORCH_FLAVOR")) {
            env.remove(name);
        }
        env.put("DJL_CACHE_DIR", cache.toString());
        env.put("DJL_OFFLINE", "true");
        env.put("OPT_OUT_TRACKING", "true");
        env.put("HOME", home.toString());

        // When a fresh JVM starts the engine
        Process process = builder.start();
        boolean finished = process.waitFor(180, TimeUnit.SECONDS);
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!finished) {
            process.destroyForcibly();
        }

        // Then it ran, offline, with libtorch 2.7.1 extracted into the empty cache
        assertTrue(finished, "child JVM did not finish in 180 s:\n" + output);
        assertEquals(0, process.exitValue(), "child JVM failed:\n" + output);
        Map<String, String> values = parse(output);
        assertEquals("PyTorch", values.get("engine"), output);
        assertEquals("2.7.1", values.get("version"), output);
        assertEquals("6.0", values.get("sum"), output);
        assertTrue(values.getOrDefault("networkAttempts", "?").startsWith("0 "), output);
        List<Path> libraries = nativeLibraries(cache);
        assertTrue(
                libraries.stream().anyMatch(p -> p.getFileName().toString().startsWith("libtorch_cpu")),
                "libtorch_cpu not extracted into " + cache + ", found " + libraries);
        assertTrue(
                libraries.stream().allMatch(p -> p.toString().contains("2.7.1")),
                "expected libraries under a 2.7.1 folder, found " + libraries);
        assertFalse(Files.exists(home.resolve(".djl.ai")), "DJL wrote to the home directory");
    }

    private static Map<String, String> parse(String output) {
        Map<String, String> values = new HashMap<>();
        for (String line : output.split("\n")) {
            int eq = line.indexOf('=');
            String key = eq > 0 ? line.substring(0, eq) : "";
            if (List.of("engine", "version", "describe", "sum", "networkAttempts").contains(key)) {
                values.put(key, line.substring(eq + 1).trim());
            }
        }
        return values;
    }

    private static List<Path> nativeLibraries(Path cache) throws IOException {
        try (Stream<Path> files = Files.walk(cache)) {
            return files.filter(p -> p.getFileName().toString().endsWith(".so")
                            || p.getFileName().toString().contains(".so."))
                    .collect(Collectors.toList());
        }
    }
}
