package dev.microforge.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.microforge.datasets.Volume;
import dev.microforge.training.GanTrainingConfig;
import dev.microforge.training.SliceGanTrainingConfig;
import dev.microforge.training.VaeTrainingConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code train gan}: a tiny real run with resume, and the bad-input table (exit 2, one line, nothing written). */
class TrainCommandTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    private Path data;
    private Path config;

    /** 24³ three phases: active spheres with CBD shells in pore. */
    static Volume blobs() {
        int[][] centres = {{5, 5, 5}, {16, 8, 12}, {8, 18, 18}, {19, 19, 4}};
        return Volume.generate(24, 24, 24, (x, y, z) -> {
            double best = Double.MAX_VALUE;
            for (int[] c : centres) {
                double dx = x - c[0], dy = y - c[1], dz = z - c[2];
                best = Math.min(best, Math.sqrt(dx * dx + dy * dy + dz * dz));
            }
            return best < 4 ? 1 : best < 5.5 ? 2 : 0;
        });
    }

    @BeforeEach
    void write() throws IOException {
        data = TestVolumes.npyU8(dir.resolve("blobs.npy"), blobs());
        config = dir.resolve("tiny.json");
        Files.writeString(config, "{\"patchSize\": 16, \"batchSize\": 2, \"criticSteps\": 1, \"checkpointEvery\": 1,"
                + " \"evaluateEvery\": 2, \"evaluationSize\": 16, \"iterations\": 2}");
    }

    @Test
    void tinyRunWritesALoadableModelAndResumesToALaterIteration() throws IOException {
        Path model = dir.resolve("model");
        CliRunner.Result r = CliRunner.run("train", "gan", "--data", data.toString(), "--out", model.toString(),
                "--config", config.toString(), "--seed", "5", "--json");
        assertEquals(Main.OK, r.exitCode(), r::toString);
        JsonNode summary = JSON.readTree(r.out());
        assertEquals("completed", summary.get("stop").asText());
        assertEquals(2, summary.get("iteration").asLong());
        assertTrue(summary.get("losses").get("critic").isNumber());
        assertEquals(2, summary.get("metrics").get("iteration").asLong());
        JsonNode manifest = JSON.readTree(model.resolve("model.json").toFile());
        assertEquals(5, manifest.get("seed").asLong());
        assertEquals(data.toString(), manifest.get("training").get("data").get("path").asText());
        assertEquals(24, manifest.get("training").get("data").get("nz").asInt());
        assertEquals(3, manifest.get("training").get("data").get("phaseFractions").size());
        assertEquals(16, manifest.get("training").get("config").get("patchSize").asInt());
        assertEquals(2, manifest.get("training").get("iterations").asLong());
        assertTrue(Files.isRegularFile(model.resolve("learning-curve.png")));
        assertTrue(Files.isRegularFile(model.resolve("learning-metrics.png")));
        assertEquals(1, Files.readAllLines(model.resolve("metrics.jsonl")).size());
        assertTrue(Files.isDirectory(model.resolve("checkpoints/iteration-000000002")));

        CliRunner.Result again = CliRunner.run("train", "gan", "--data", data.toString(), "--out", model.toString(),
                "--resume", "--iterations", "3", "--json");
        assertEquals(Main.OK, again.exitCode(), again::toString);
        JsonNode s2 = JSON.readTree(again.out());
        assertEquals(3, s2.get("iteration").asLong());
        assertEquals(1, s2.get("sessionIterations").asLong());
        assertEquals(3, JSON.readTree(model.resolve("model.json").toFile()).get("training").get("iterations").asLong());
    }

    @Test
    void stopSignalWritesAFinalCheckpointAndLeavesALoadableModel() throws Exception {
        // Given a training run in a JVM of its own with many iterations to go
        Path model = dir.resolve("stopped");
        Path many = Files.writeString(dir.resolve("many.json"), "{\"patchSize\": 16, \"batchSize\": 2, "
                + "\"criticSteps\": 1, \"checkpointEvery\": 1000, \"evaluateEvery\": 0, \"iterations\": 100000}");
        String javaCommand = ProcessHandle.current().info().command().orElse("java");
        ProcessBuilder pb = new ProcessBuilder(javaCommand, "-Xmx1g", "-cp", System.getProperty("java.class.path"),
                "-Dai.djl.offline=true", "-Djava.awt.headless=true", "dev.microforge.cli.Main", "--debug", "train", "gan",
                "--data", data.toString(), "--out", model.toString(), "--config", many.toString());
        pb.environment().put("DJL_OFFLINE", "true");
        pb.environment().put("OPT_OUT_TRACKING", "true");
        pb.redirectErrorStream(true);
        pb.redirectOutput(dir.resolve("child.log").toFile());
        Process p = pb.start();
        try {
            // When it is stopped (SIGTERM runs the same shutdown hook as Ctrl-C's SIGINT) once iterations show
            long deadline = System.nanoTime() + 180_000_000_000L;
            while (!read(dir.resolve("child.log")).contains("training gan") && System.nanoTime() < deadline
                    && p.isAlive()) {
                Thread.sleep(200);
            }
            assertTrue(p.isAlive(), () -> "child ended early: " + read(dir.resolve("child.log")));
            p.destroy();
            assertTrue(p.waitFor(120, java.util.concurrent.TimeUnit.SECONDS));
        } finally {
            p.destroyForcibly();
        }
        // Then a checkpoint of the last iteration and a loadable model are there
        String log = read(dir.resolve("child.log"));
        assertTrue(log.contains("stopped at iteration"), log);
        JsonNode manifest = JSON.readTree(model.resolve("model.json").toFile());
        long trained = manifest.get("training").get("iterations").asLong();
        assertTrue(trained >= 1, log);
        assertEquals(0, Files.list(model.resolve("checkpoints")).filter(f -> f.getFileName().toString()
                .startsWith(".partial")).count());
        assertTrue(Files.isDirectory(model.resolve("checkpoints").resolve(String.format("iteration-%09d", trained))),
                log);
        try (var loaded = dev.microforge.models.ModelDirectory.loadGan(model)) {
            int edge = 1 << loaded.architecture().levels();
            assertEquals(3 * edge, loaded.generate(3, 1).nx());
        }
    }

    private static String read(Path p) {
        try {
            return Files.exists(p) ? Files.readString(p) : "";
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** Runs {@code args} and checks the bad-input contract; returns the one stderr line. */
    private String refused(String... args) throws IOException {
        Set<String> before = TestVolumes.listing(dir);
        CliRunner.Result r = CliRunner.run(args);
        assertEquals(Main.BAD_INPUT, r.exitCode(), r::toString);
        assertEquals(1, r.errLines().size(), () -> "expected one line on stderr\n" + r);
        assertEquals("", r.out(), () -> "nothing on stdout\n" + r);
        assertTrue(r.errLines().get(0).startsWith("microforge: "));
        assertEquals(before, TestVolumes.listing(dir), "files changed");
        return r.errLines().get(0);
    }

    private static void assertMentions(String line, String... parts) {
        for (String p : parts) {
            assertTrue(line.toLowerCase(Locale.ROOT).contains(p.toLowerCase(Locale.ROOT)),
                    () -> "'" + line + "' does not mention '" + p + "'");
        }
    }

    @Test
    void badInputTable() throws IOException {
        String out = dir.resolve("m").toString();
        String d = data.toString();
        String c = config.toString();
        assertMentions(refused("train", "gan", "--data", dir.resolve("missing.tif").toString(), "--out", out),
                "missing.tif", "not found");
        assertMentions(refused("train", "gan", "--data", d, "--out", out, "--config", dir.resolve("no.json").toString()),
                "no.json", "neither a JSON object nor a file");
        Path unknown = Files.writeString(dir.resolve("unknown.json"), "{\"batchSz\": 2}");
        assertMentions(refused("train", "gan", "--data", d, "--out", out, "--config", unknown.toString()),
                "unknown key 'batchSz'", "known keys");
        assertMentions(refused("train", "gan", "--data", d, "--out", out, "--config", " {\"batchSz\": 2}"),
                "--config: unknown key 'batchSz'");
        Path badPatch = Files.writeString(dir.resolve("patch.json"), "{\"patchSize\": 18}");
        assertMentions(refused("train", "gan", "--data", d, "--out", out, "--config", badPatch.toString()),
                "patchSize 18");
        assertMentions(refused("train", "gan", "--data", d, "--out", out, "--minutes", "-1"), "--minutes");
        assertMentions(refused("train", "gan", "--data", d, "--out", out, "--resume"), "no model directory to resume");
        assertMentions(refused("train", "gan", "--data", d, "--out", out, "--resume", "--force"), "exclude");
        assertMentions(refused("train", "gan", "--out", out), "--data");
        assertMentions(refused("train", "bogus"), "bogus");
        // labels that are not 0..k-1
        Volume spread = Volume.generate(24, 24, 24, (x, y, z) -> (x + y + z) % 2 == 0 ? 0 : 85);
        Path spreadFile = TestVolumes.npyU8(dir.resolve("spread.npy"), spread);
        assertMentions(refused("train", "gan", "--data", spreadFile.toString(), "--out", out, "--config", c),
                "labels 0..k-1", "[0, 85]", "--map 0:0,85:1");
        // a volume smaller than the patch
        Path small = TestVolumes.npyU8(dir.resolve("small.npy"), TestVolumes.threePhase());
        assertMentions(refused("train", "gan", "--data", small.toString(), "--out", out, "--config", c),
                "smaller than the training patch");
        // an existing model directory needs --resume or --force
        Path existing = Files.createDirectories(dir.resolve("existing"));
        Files.writeString(existing.resolve("model.json"), "{}");
        assertMentions(refused("train", "gan", "--data", d, "--out", existing.toString(), "--config", c),
                "already exists", "--resume", "--force");
        assertMentions(refused("train", "gan", "--data", d, "--out", existing.toString(), "--resume"),
                "no checkpoint");
    }

    @Test
    void resumeRefusesASchemaMismatchAndAnotherSeed() throws IOException {
        Path model = dir.resolve("model");
        // the configuration written on the command line rather than in a file
        assertEquals(Main.OK, CliRunner.run("train", "gan", "--data", data.toString(), "--out", model.toString(),
                "--config", Files.readString(config), "--iterations", "1").exitCode());
        assertMentions(refused("train", "gan", "--data", data.toString(), "--out", model.toString(), "--resume",
                "--iterations", "3", "--seed", "99"), "--seed 99", "keeps its seed");
        assertMentions(refused("train", "gan", "--data", data.toString(), "--out", model.toString(), "--resume"),
                "already trained 1 iterations");
        Path wide = Files.writeString(dir.resolve("wide.json"), "{\"criticWidths\": [32, 32]}");
        assertMentions(refused("train", "gan", "--data", data.toString(), "--out", model.toString(), "--resume",
                "--iterations", "3", "--config", wide.toString()), "wide.json: changes the architecture");
        assertMentions(refused("train", "gan", "--data", data.toString(), "--out", model.toString(), "--resume",
                "--iterations", "3", "--config", "{\"criticWidths\": [32, 32]}"), "--config: changes the architecture");
        assertMentions(refused("train", "gan", "--data", data.toString(), "--out", model.toString(), "--resume",
                "--iterations", "3", "--config", "{\"linealPathWeight\": 10}"), "(with linealPath)",
                "cannot be switched on or off when resuming");
        Path json = model.resolve("checkpoints/iteration-000000001/model.json");
        Files.writeString(json, Files.readString(json).replace("\"schemaVersion\" : 1", "\"schemaVersion\" : 99"));
        assertMentions(refused("train", "gan", "--data", data.toString(), "--out", model.toString(), "--resume",
                "--iterations", "3"), "schemaVersion 99");
        assertFalse(Files.exists(model.resolve("checkpoints/iteration-000000002")));
    }

    @Test
    void theHelpOfEveryTrainCommandNamesEveryConfigKey() {
        Map<String, List<String>> keys = Map.of("gan", GanTrainingConfig.keys(), "slicegan",
                SliceGanTrainingConfig.keys(), "vae", VaeTrainingConfig.keys());
        for (Map.Entry<String, List<String>> e : keys.entrySet()) {
            CliRunner.Result r = CliRunner.run("train", e.getKey(), "--help");
            assertEquals(Main.OK, r.exitCode(), r::toString);
            int at = r.out().indexOf("Config keys");
            assertTrue(at >= 0, r::toString);
            Set<String> listed = Set.of(r.out().substring(at + "Config keys".length()).split("[^A-Za-z0-9]+"));
            for (String key : e.getValue()) {
                assertTrue(listed.contains(key), () -> "train " + e.getKey() + " --help does not name " + key);
            }
        }
    }
}
