package dev.microforge.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.microforge.datasets.Axis;
import dev.microforge.datasets.Volume;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code train slicegan} (three images, with resume; a volume) and {@code train vae}: tiny real runs at 16³, and
 * the bad-input table (exit 2, one line, nothing written).
 */
class TrainSliceGanVaeCommandTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    private Path volume;
    private Path[] images;
    private Path sliceConfig;
    private Path vaeConfig;

    @BeforeEach
    void write() throws IOException {
        Volume blobs = TrainCommandTest.blobs();
        volume = TestVolumes.npyU8(dir.resolve("blobs.npy"), blobs);
        images = new Path[3];
        for (Axis a : Axis.values()) {
            images[a.ordinal()] = TestVolumes.npyU8(dir.resolve("section-" + a.label() + ".npy"), blobs.slice(a, 12));
        }
        sliceConfig = Files.writeString(dir.resolve("slicegan.json"), "{\"generatorWidths\": [16, 16], "
                + "\"criticWidths\": [16, 32], \"sliceSize\": 16, \"slicesPerAxis\": 4, \"criticSteps\": 1, "
                + "\"checkpointEvery\": 1, \"evaluateEvery\": 2, \"evaluationSize\": 16, \"iterations\": 2}");
        vaeConfig = Files.writeString(dir.resolve("vae.json"), "{\"inputSize\": 16, \"latentDimension\": 4, "
                + "\"encoderWidths\": [16, 16], \"decoderWidths\": [16, 16], \"batchSize\": 2, \"checkpointEvery\": 1, "
                + "\"evaluateEvery\": 2, \"iterations\": 2}");
    }

    private String imageList() {
        return images[0] + "," + images[1] + "," + images[2];
    }

    @Test
    void sliceGanFromThreeImagesWritesALoadableModelAndResumes() throws IOException {
        Path model = dir.resolve("model");
        CliRunner.Result r = CliRunner.run("train", "slicegan", "--data", imageList(), "--out", model.toString(),
                "--config", sliceConfig.toString(), "--seed", "5", "--json");
        assertEquals(Main.OK, r.exitCode(), r::toString);
        JsonNode summary = JSON.readTree(r.out());
        assertEquals("slicegan", summary.get("kind").asText());
        assertEquals(2, summary.get("iteration").asLong());
        assertTrue(summary.get("losses").get("wasserstein").isNumber());
        // evaluated against the images: fractions and S2, no tortuosity
        assertTrue(summary.get("metrics").get("maxS2Rmse").isNumber());
        assertTrue(summary.get("metrics").get("tortuosityRatio").isNull());
        JsonNode manifest = JSON.readTree(model.resolve("model.json").toFile());
        assertEquals("slicegan", manifest.get("kind").asText());
        assertEquals(3, manifest.get("architecture").get("critics").asInt());
        assertEquals(imageList(), manifest.get("training").get("data").get("path").asText());
        assertEquals(3, manifest.get("training").get("data").get("phaseFractions").size());
        assertTrue(Files.isRegularFile(model.resolve("critic-y.params")));
        assertTrue(Files.isRegularFile(model.resolve("checkpoints/iteration-000000002/critic-y-adam.bin")));
        assertTrue(Files.isRegularFile(model.resolve("learning-curve.png")));

        CliRunner.Result again = CliRunner.run("train", "slicegan", "--data", imageList(), "--out", model.toString(),
                "--resume", "--iterations", "3", "--json");
        assertEquals(Main.OK, again.exitCode(), again::toString);
        assertEquals(3, JSON.readTree(again.out()).get("iteration").asLong());
        assertEquals(1, JSON.readTree(again.out()).get("sessionIterations").asLong());
        // the model is not a 3D GAN: 'train gan --resume' refuses it by kind
        assertMentions(refused("train", "gan", "--data", volume.toString(), "--out", model.toString(), "--resume",
                "--iterations", "4"), "slicegan model", "train slicegan");
    }

    @Test
    void sliceGanFromAVolumeAndVaeTrain() throws IOException {
        Path sg = dir.resolve("sg");
        CliRunner.Result r = CliRunner.run("train", "slicegan", "--data", volume.toString(), "--out", sg.toString(),
                "--config", sliceConfig.toString(), "--iterations", "1", "--json");
        assertEquals(Main.OK, r.exitCode(), r::toString);
        assertEquals(3, JSON.readTree(sg.resolve("model.json").toFile()).get("architecture").get("critics").asInt());

        Path vae = dir.resolve("vae");
        CliRunner.Result v = CliRunner.run("train", "vae", "--data", volume.toString(), "--out", vae.toString(),
                "--config", vaeConfig.toString(), "--json");
        assertEquals(Main.OK, v.exitCode(), v::toString);
        JsonNode summary = JSON.readTree(v.out());
        assertEquals("vae", summary.get("kind").asText());
        assertTrue(summary.get("losses").get("reconstruction").asDouble() > 0);
        assertTrue(summary.get("losses").get("kl").asDouble() >= 0);
        assertEquals(16, summary.get("metrics").get("sampleEdge").asInt());
        JsonNode manifest = JSON.readTree(vae.resolve("model.json").toFile());
        assertEquals("vae", manifest.get("kind").asText());
        assertEquals(4, manifest.get("architecture").get("latentDimension").asInt());
        assertTrue(Files.isRegularFile(vae.resolve("checkpoints/iteration-000000002/decoder-adam.bin")));
    }

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
        String c = sliceConfig.toString();
        assertMentions(refused("train", "slicegan", "--data", images[0] + "," + images[1], "--out", out),
                "three images", "2 paths");
        assertMentions(refused("train", "slicegan", "--data", images[0] + ",missing.png," + images[2], "--out", out),
                "missing.png", "not found");
        assertMentions(refused("train", "slicegan", "--data", images[0] + "," + volume + "," + images[2], "--out", out,
                "--config", c), "blobs.npy", "must be 2D");
        Path big = Files.writeString(dir.resolve("big.json"), "{\"sliceSize\": 32, \"generatorWidths\": [16, 16]}");
        assertMentions(refused("train", "slicegan", "--data", imageList(), "--out", out, "--config", big.toString()),
                "smaller than the training slices 32");
        Path odd = Files.writeString(dir.resolve("odd.json"), "{\"sliceSize\": 16, \"slicesPerAxis\": 5}");
        assertMentions(refused("train", "slicegan", "--data", imageList(), "--out", out, "--config", odd.toString()),
                "slicesPerAxis");
        Path unknown = Files.writeString(dir.resolve("unknown.json"), "{\"critics\": 2}");
        assertMentions(refused("train", "slicegan", "--data", imageList(), "--out", out, "--config", unknown.toString()),
                "unknown key 'critics'");
        Path small = TestVolumes.npyU8(dir.resolve("small.npy"), Volume.generate(12, 20, 20, (x, y, z) -> (x + y) % 3));
        assertMentions(refused("train", "vae", "--data", small.toString(), "--out", out, "--config",
                vaeConfig.toString()), "smaller than the training patch 16");
        Path badVae = Files.writeString(dir.resolve("badvae.json"), "{\"encoderWidths\": [24]}");
        assertMentions(refused("train", "vae", "--data", volume.toString(), "--out", out, "--config",
                badVae.toString()), "multiples of 16");
        assertMentions(refused("train", "vae", "--data", volume.toString(), "--out", out, "--resume"),
                "no model directory to resume");
    }
}
