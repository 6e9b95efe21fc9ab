package dev.microforge.generator.sampling;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.microforge.datasets.VolumeAssert;
import dev.microforge.models.LatentDecoder;
import dev.microforge.models.ModelDirectory;
import dev.microforge.models.gan.GanArchitecture;
import dev.microforge.models.gan.GanModel;
import dev.microforge.models.slicegan.SliceGanArchitecture;
import dev.microforge.models.slicegan.SliceGanModel;
import dev.microforge.models.vae.VaeArchitecture;
import dev.microforge.models.vae.VaeModel;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A saved GAN opens and samples like the model it was saved from; every broken directory gives one clear line. */
class ModelKindsTest {
    @TempDir
    static Path root;
    private static Path good;

    @BeforeAll
    static void saveAModel() {
        good = root.resolve("good");
        try (GanModel m = GanModel.create(GanArchitecture.defaults(3), List.of("pore", "active", "cbd"), 4)) {
            ModelDirectory.save(good, m);
        }
    }

    /** A copy of the good directory, changed by {@code edit}. */
    private static Path variant(String name, Edit edit) throws IOException {
        Path dir = root.resolve(name);
        Files.createDirectories(dir);
        try (var files = Files.list(good)) {
            for (Path f : files.toList()) {
                Files.copy(f, dir.resolve(f.getFileName()));
            }
        }
        edit.apply(dir);
        return dir;
    }

    @FunctionalInterface
    private interface Edit {
        void apply(Path dir) throws IOException;
    }

    private static void json(Path dir, String text) throws IOException {
        Files.writeString(dir.resolve("model.json"), text);
    }

    private static String manifest() throws IOException {
        return Files.readString(good.resolve("model.json"));
    }

    @Test
    void aSavedGanOpensAsItsKindAndSamplesLikeTheModel() throws Exception {
        assertEquals("gan3d", ModelKinds.kindOf(good));
        assertTrue(ModelKinds.kinds().contains("gan3d"));
        try (LatentDecoder d = ModelKinds.open(good);
             GanModel original = ModelDirectory.loadGan(good)) {
            assertEquals(List.of("pore", "active", "cbd"), d.phaseLabels());
            ModelSampling.Options o = ModelSampling.Options.defaults(16, 16, 16);
            VolumeAssert.assertVolumeEquals(original.generate(4, 6), ModelSampling.generate(d,
                    ModelSampling.latent(d, o, 6), o));
        }
    }

    @Test
    void sliceGanAndVaeDirectoriesOpenAsTheirKinds() throws Exception {
        Path slice = root.resolve("slicegan");
        Path vae = root.resolve("vae");
        List<String> labels = List.of("pore", "active", "cbd");
        try (SliceGanModel m = SliceGanModel.create(SliceGanArchitecture.defaults(3, 1), labels, 5);
             VaeModel v = VaeModel.create(VaeArchitecture.defaults(3, 16), labels, 6)) {
            ModelDirectory.save(slice, m, null);
            ModelDirectory.save(vae, v);
            try (LatentDecoder d = ModelKinds.open(slice)) {
                assertEquals("slicegan", ModelKinds.kindOf(slice));
                ModelSampling.Options o = ModelSampling.Options.defaults(16, 16, 16);
                VolumeAssert.assertVolumeEquals(m.generate(16 / d.sizeStep(), 3), ModelSampling.generate(d,
                        ModelSampling.latent(d, o, 3), o));
                assertEquals(16, ModelSampling.generate(d, ModelSampling.latent(d, o.withPeriodic(true), 3),
                        o.withPeriodic(true)).nx());
            }
            try (LatentDecoder d = ModelKinds.open(vae)) {
                assertEquals("vae", d.kind());
                ModelSampling.Options o = ModelSampling.Options.defaults(16, 16, 16);
                Latent z = ModelSampling.latent(d, o, 9);
                assertEquals("(16, 1, 1, 1)", z.shapeText());
                VolumeAssert.assertVolumeEquals(v.sample(9), ModelSampling.generate(d, z, o));
                VolumeAssert.assertVolumeEquals(v.sample(9).crop(0, 0, 0, 10, 16, 7), ModelSampling.generate(d, z,
                        ModelSampling.Options.defaults(10, 16, 7)));
                assertThrows(IllegalArgumentException.class, () -> ModelSampling.generate(d, z, o.withPeriodic(true)));
            }
        }
    }

    @Test
    void everyBrokenDirectoryGivesOneLineNamingIt() throws Exception {
        byte[] params = Files.readAllBytes(good.resolve("generator.params"));
        Map<Path, String> cases = new LinkedHashMap<>();
        cases.put(root.resolve("missing"), "no such model directory");
        Path file = root.resolve("a-file");
        Files.writeString(file, "x");
        cases.put(file, "a-file");
        cases.put(variant("no-json", d -> Files.delete(d.resolve("model.json"))), "model.json: missing");
        cases.put(variant("not-json", d -> json(d, "{\"schemaVersion\": 1, kind")), "not valid JSON");
        cases.put(variant("array-json", d -> json(d, "[1, 2]")), "expected a JSON object");
        cases.put(variant("no-kind", d -> json(d, "{\"schemaVersion\": 1}")), "\"kind\" (text) and \"schemaVersion\"");
        cases.put(variant("unknown-kind", d -> json(d, manifest().replace("gan3d", "diffusion"))),
                "model kind 'diffusion' is not known to this microforge (known: gan3d, slicegan, vae");
        cases.put(variant("new-schema", d -> json(d, manifest().replace("\"schemaVersion\" : 1",
                "\"schemaVersion\" : 7"))), "schema version 7 of a gan3d model is not supported (this microforge "
                + "reads version 1)");
        cases.put(variant("no-params", d -> Files.delete(d.resolve("generator.params"))), "generator.params");
        cases.put(variant("truncated-params", d -> Files.write(d.resolve("generator.params"),
                Arrays.copyOf(params, params.length / 2))), "cannot load the gan3d model");
        cases.put(variant("garbage-params", d -> Files.write(d.resolve("generator.params"),
                "not parameters at all".getBytes(StandardCharsets.UTF_8))), "cannot load the gan3d model");
        cases.put(variant("other-architecture", d -> json(d, manifest().replaceFirst(
                "\"generatorWidths\" : \\[ 16, 16 \\]", "\"generatorWidths\" : [ 32, 16 ]"))),
                "cannot load the gan3d model");
        cases.put(variant("bad-architecture", d -> json(d, manifest().replaceFirst(
                "\"generatorWidths\" : \\[ 16, 16 \\]", "\"generatorWidths\" : [ 17 ]"))),
                "multiples of 16");
        for (Map.Entry<Path, String> c : cases.entrySet()) {
            IOException e = assertThrows(IOException.class, () -> {
                try (LatentDecoder d = ModelKinds.open(c.getKey())) {
                    d.kind();
                }
            }, c.getKey().toString());
            String message = e instanceof NoSuchFileException n && n.getReason() != null
                    ? n.getFile() + ": " + n.getReason() : e.getMessage();
            assertTrue(message.contains(c.getValue()), c.getKey().getFileName() + ": " + message);
            assertTrue(message.contains(c.getKey().getFileName().toString()), "names the directory: " + message);
            assertFalse(message.contains("\n"), "one line: " + message);
        }
    }
}
