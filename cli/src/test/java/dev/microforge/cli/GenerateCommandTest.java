package dev.microforge.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.microforge.datasets.Volume;
import dev.microforge.datasets.VolumeAssert;
import dev.microforge.datasets.io.VolumeIO;
import dev.microforge.models.ModelDirectory;
import dev.microforge.models.gan.GanArchitecture;
import dev.microforge.models.gan.GanModel;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code microforge generate} on a saved GAN of the default architecture (initial weights, size step 4). */
class GenerateCommandTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path root;
    private static Path model;

    @TempDir
    Path dir;

    @BeforeAll
    static void saveModel() {
        model = root.resolve("model");
        try (GanModel m = GanModel.create(GanArchitecture.defaults(3), List.of("pore", "active", "cbd"), 2)) {
            ModelDirectory.save(model, m);
        }
    }

    private static CliRunner.Result generate(String... args) {
        String[] all = new String[args.length + 3];
        all[0] = "generate";
        all[1] = "--model";
        all[2] = model.toString();
        System.arraycopy(args, 0, all, 3, args.length);
        return CliRunner.run(all);
    }

    @Test
    void writesVolumesOfTheRequestedSizeWithTheirLatentsDeterministically() throws IOException {
        Path a = dir.resolve("a");
        CliRunner.Result r = generate("--out", a.toString(), "--count", "2", "--size", "22,16,9", "--seed", "5",
                "--json");
        assertEquals(Main.OK, r.exitCode(), r::toString);
        JsonNode j = JSON.readTree(r.out());
        assertEquals("gan3d", j.get("kind").asText());
        assertEquals("[22,16,9]", j.get("size").toString());
        assertEquals("[6,4,3]", j.get("latentShape").toString());
        assertEquals(2, j.get("volumes").size());
        assertEquals(5, j.get("volumes").get(0).get("seed").asLong());
        assertEquals(6, j.get("volumes").get(1).get("seed").asLong());
        assertEquals(JSON.readTree(Files.readString(a.resolve("generate.json"))), j);
        Volume v0 = VolumeIO.read(a.resolve("sample-000.tif"));
        VolumeAssert.assertDimensions(22, 16, 9, v0);
        assertTrue(v0.labelHistogram().keySet().stream().allMatch(l -> l <= 2), v0.labelHistogram()::toString);
        assertTrue(Files.isRegularFile(a.resolve("sample-001-latent.npy")));
        // the same seed again gives the same bytes; the next seed another volume
        Path b = dir.resolve("b");
        assertEquals(Main.OK, generate("--out", b.toString(), "--count", "1", "--size", "22,16,9", "--seed", "5")
                .exitCode());
        VolumeAssert.assertVolumeEquals(v0, VolumeIO.read(b.resolve("sample-000.tif")));
        assertNotEquals(v0, VolumeIO.read(a.resolve("sample-001.tif")));
        // the text report names every file
        CliRunner.Result text = generate("--out", b.toString(), "--size", "8", "--force");
        assertTrue(text.out().contains("sample-000.tif") && text.out().contains("from the gan3d model"), text.out());
    }

    @Test
    void aSavedLatentMakesTheSameVolumeAgainAndInterpolationEndsOnBothLatents() throws IOException {
        Path a = dir.resolve("a");
        assertEquals(Main.OK, generate("--out", a.toString(), "--count", "2", "--size", "20,16,12", "--seed", "9",
                "--format", "npy").exitCode());
        Volume v1 = VolumeIO.read(a.resolve("sample-001.npy"));
        Path again = dir.resolve("again");
        CliRunner.Result r = generate("--out", again.toString(), "--latent", a.resolve("sample-001-latent.npy")
                .toString());
        assertEquals(Main.OK, r.exitCode(), r::toString);
        VolumeAssert.assertVolumeEquals(v1, VolumeIO.read(again.resolve("sample-000.tif")));
        // a smaller size from the same latent is the cut of the volume
        Path cut = dir.resolve("cut");
        assertEquals(Main.OK, generate("--out", cut.toString(), "--latent", a.resolve("sample-001-latent.npy")
                .toString(), "--size", "17,9,12").exitCode());
        VolumeAssert.assertVolumeEquals(v1.crop(0, 0, 0, 17, 9, 12), VolumeIO.read(cut.resolve("sample-000.tif")));
        Path path = dir.resolve("path");
        CliRunner.Result p = generate("--out", path.toString(), "--interpolate", a.resolve("sample-000-latent.npy")
                .toString(), a.resolve("sample-001-latent.npy").toString(), "--steps", "3", "--json");
        assertEquals(Main.OK, p.exitCode(), p::toString);
        assertEquals("spherical", JSON.readTree(p.out()).get("interpolation").asText());
        assertEquals(0.5, JSON.readTree(p.out()).get("volumes").get(1).get("t").asDouble());
        VolumeAssert.assertVolumeEquals(VolumeIO.read(a.resolve("sample-000.npy")), VolumeIO.read(path.resolve(
                "interp-000.tif")));
        VolumeAssert.assertVolumeEquals(v1, VolumeIO.read(path.resolve("interp-002.tif")));
    }

    @Test
    void periodicVolumesContinueAcrossTheirFaces() throws IOException {
        Path a = dir.resolve("p");
        assertEquals(Main.OK, generate("--out", a.toString(), "--size", "16,12,8", "--periodic", "--seed", "3")
                .exitCode());
        Volume p = VolumeIO.read(a.resolve("sample-000.tif"));
        // the same latent tiled twice along x, decoded without padding: its middle 16 voxels along x straddle the
        // tile boundary, so they must equal the periodic volume rolled by half a period
        Path latent = a.resolve("sample-000-latent.npy");
        dev.microforge.generator.sampling.Latent z = dev.microforge.generator.sampling.Latent.read(latent);
        float[] twice = new float[2 * z.size()];
        int i = 0;
        for (int c = 0; c < z.channels(); c++) {
            for (int zz = 0; zz < z.nz(); zz++) {
                for (int y = 0; y < z.ny(); y++) {
                    for (int x = 0; x < 2 * z.nx(); x++) {
                        twice[i++] = z.get(c, x % z.nx(), y, zz);
                    }
                }
            }
        }
        Path tiled = dir.resolve("tiled-latent.npy");
        new dev.microforge.generator.sampling.Latent(z.channels(), 2 * z.nx(), z.ny(), z.nz(), twice).write(tiled,
                false);
        Path b = dir.resolve("t");
        assertEquals(Main.OK, generate("--out", b.toString(), "--latent", tiled.toString()).exitCode());
        Volume big = VolumeIO.read(b.resolve("sample-000.tif"));
        // rows away from the y and z faces (which the plain decode pads with zeros) of the straddling window
        Volume middle = big.crop(8, 4, 4, 16, 4, 1);
        Volume rolled = Volume.generate(16, 4, 1, (x, y, zz) -> p.get((x + 8) % 16, y + 4, zz + 4));
        VolumeAssert.assertVolumeEquals(rolled, middle);
    }

    @Test
    void fractionsCutEveryVolumeToThemOrToTheTrainingDatas() throws IOException {
        Path a = dir.resolve("cut");
        CliRunner.Result r = generate("--out", a.toString(), "--count", "2", "--size", "20,16,12", "--fractions",
                "0.3,0.5,0.2", "--json");
        assertEquals(Main.OK, r.exitCode(), r::toString);
        JsonNode j = JSON.readTree(r.out());
        assertEquals("[0.3,0.5,0.2]", j.get("targetFractions").toString());
        double[] target = {0.3, 0.5, 0.2};
        for (String name : List.of("sample-000.tif", "sample-001.tif")) {
            assertCounts(VolumeIO.read(a.resolve(name)), target);
        }
        // the same latent without the cut: other fractions (the untrained generator's), same size
        Path plain = dir.resolve("plain");
        assertEquals(Main.OK, generate("--out", plain.toString(), "--latent", a.resolve("sample-000-latent.npy")
                .toString(), "--size", "20,16,12").exitCode());
        long[] counts = VolumeIO.read(plain.resolve("sample-000.tif")).labelCounts();
        assertTrue(Math.abs(counts[0] - 0.3 * 20 * 16 * 12) > 2, "the untrained generator is not already at 0.3");
        // 'data': the fractions model.json records of the training volume (normalised to sum 1)
        Path trained = root.resolve("trained");
        try (GanModel m = GanModel.create(GanArchitecture.defaults(3), List.of("pore", "active", "cbd"), 2)) {
            ModelDirectory.save(trained, m, new ModelDirectory.TrainingSummary(new ModelDirectory.DataSummary(
                    "electrode.tif", 40, 40, 40, List.of(0.25, 0.6, 0.15)), 10, Map.of()));
        }
        Path d = dir.resolve("data");
        CliRunner.Result fromData = CliRunner.run("generate", "--model", trained.toString(), "--out", d.toString(),
                "--size", "16", "--fractions", "data");
        assertEquals(Main.OK, fromData.exitCode(), fromData::toString);
        assertCounts(VolumeIO.read(d.resolve("sample-000.tif")), new double[] {0.25, 0.6, 0.15});
    }

    private static void assertCounts(Volume v, double[] target) {
        long[] counts = v.labelCounts();
        for (int k = 0; k < target.length; k++) {
            assertEquals(target[k] * v.voxelCount(), counts[k], 1.0, "phase " + k);
        }
    }

    @Test
    void badModelsAndOptionsGiveOneLineAndExitCodeTwo() throws IOException {
        Path empty = Files.createDirectories(dir.resolve("empty"));
        Path corrupt = Files.createDirectories(dir.resolve("corrupt"));
        Files.writeString(corrupt.resolve("model.json"), "{\"schemaVersion\": 1, \"kind\": ");
        Path future = Files.createDirectories(dir.resolve("future"));
        Files.writeString(future.resolve("model.json"), Files.readString(model.resolve("model.json"))
                .replace("\"schemaVersion\" : 1", "\"schemaVersion\" : 2"));
        Path noParams = Files.createDirectories(dir.resolve("params-missing"));
        Files.copy(model.resolve("model.json"), noParams.resolve("model.json"));
        // a model saved before training fractions were recorded: an empty list
        Path noFractions = dir.resolve("no-fractions");
        try (GanModel m = GanModel.create(GanArchitecture.defaults(3), List.of("pore", "active", "cbd"), 2)) {
            ModelDirectory.save(noFractions, m, new ModelDirectory.TrainingSummary(new ModelDirectory.DataSummary(
                    "electrode.tif", 40, 40, 40, List.of()), 10, Map.of()));
        }
        Path out = dir.resolve("out");
        Map<List<String>, String> cases = new LinkedHashMap<>();
        cases.put(List.of("--model", dir.resolve("nowhere").toString()), "no such model directory");
        cases.put(List.of("--model", empty.toString()), "model.json: missing");
        cases.put(List.of("--model", corrupt.toString()), "not valid JSON");
        cases.put(List.of("--model", future.toString()), "schema version 2 of a gan3d model is not supported");
        cases.put(List.of("--model", noParams.toString()), "generator.params is missing");
        cases.put(List.of("--model", model.toString(), "--periodic", "--size", "18"), "use 16 or 20");
        cases.put(List.of("--model", model.toString(), "--latent", "a.npy", "--interpolate", "a.npy", "b.npy"),
                "cannot be used together");
        cases.put(List.of("--model", model.toString(), "--format", "vtk"), "--format must be tif or npy");
        cases.put(List.of("--model", model.toString(), "--latent", dir.resolve("none.npy").toString()), "none.npy");
        cases.put(List.of("--model", model.toString(), "--size", "0"), "--size must be positive");
        cases.put(List.of("--model", model.toString(), "--steps", "1", "--interpolate", "a.npy", "b.npy"),
                "steps must be 2..10000");
        cases.put(List.of("--model", model.toString(), "--fractions", "0.5,0.6,0.1"), "must sum to 1");
        cases.put(List.of("--model", model.toString(), "--fractions", "0.5,0.5"),
                "2 fractions given for a model of 3 phases");
        cases.put(List.of("--model", model.toString(), "--fractions", "pore"), "--fractions must be numbers");
        cases.put(List.of("--model", model.toString(), "--fractions", "data"), "records no training-data fractions");
        cases.put(List.of("--model", noFractions.toString(), "--fractions", "data"),
                "records no training-data fractions");
        for (Map.Entry<List<String>, String> c : cases.entrySet()) {
            String[] args = new String[c.getKey().size() + 3];
            args[0] = "generate";
            args[1] = "--out";
            args[2] = out.toString();
            for (int i = 0; i < c.getKey().size(); i++) {
                args[3 + i] = c.getKey().get(i);
            }
            CliRunner.Result r = CliRunner.run(args);
            assertEquals(Main.BAD_INPUT, r.exitCode(), r::toString);
            assertEquals(1, r.errLines().size(), r::toString);
            assertTrue(r.errLines().get(0).startsWith("microforge: ") && r.err().contains(c.getValue()),
                    c.getKey() + " -> " + r.err());
        }
        // an existing output is kept without --force
        assertEquals(Main.OK, generate("--out", out.toString(), "--size", "8").exitCode());
        CliRunner.Result again = generate("--out", out.toString(), "--size", "8");
        assertEquals(Main.BAD_INPUT, again.exitCode());
        assertTrue(again.err().contains("--force"), again.err());
        assertFalse(Files.exists(out.resolve("sample-001.tif")));
    }
}
