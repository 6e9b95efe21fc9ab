package dev.microforge.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.microforge.datasets.Volume;
import dev.microforge.datasets.VoxelSize;
import dev.microforge.datasets.io.SliceImages;
import dev.microforge.datasets.io.VolumeIO;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The commands' success paths, checked on small volumes built here. */
class CommandsTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    private static CliRunner.Result ok(String... args) {
        CliRunner.Result r = CliRunner.run(args);
        assertEquals(Main.OK, r.exitCode(), r::toString);
        assertEquals("", r.err(), () -> "quiet on success\n" + r);
        return r;
    }

    private static JsonNode json(String... args) throws IOException {
        return JSON.readTree(ok(args).out());
    }

    private static void assertSameLabels(Volume expected, Volume actual) {
        assertEquals(expected, actual, () -> expected.firstDifference(actual).orElse(""));
    }

    @Test
    void infoJsonHasTheContractFields() throws IOException {
        // Given a 7 x 5 x 3 volume with labels 0/1/2 (voxel (x, y, z) is (x + 2y + 3z) mod 3)
        Volume v = TestVolumes.threePhase();
        Path file = TestVolumes.npyU8(dir.resolve("v.npy"), v);
        // When
        JsonNode info = json("info", file.toString(), "--json");
        // Then
        assertEquals(file.toString(), info.get("path").asText());
        assertEquals(7, info.get("nx").asInt());
        assertEquals(5, info.get("ny").asInt());
        assertEquals(3, info.get("nz").asInt());
        long[] counts = v.labelCounts();
        assertEquals(3, info.get("labels").size());
        for (int label = 0; label < 3; label++) {
            assertEquals(counts[label], info.get("labels").get(String.valueOf(label)).asLong());
        }
        assertEquals(105, counts[0] + counts[1] + counts[2]);
        assertTrue(info.has("voxelSize") && info.get("voxelSize").isNull(), info.toString());
        assertEquals("uint8", info.get("dtype").asText());
        assertEquals("npy", info.get("format").asText());
        assertTrue(info.get("labelled").asBoolean());
        assertFalse(info.has("valueRange"));
    }

    @Test
    void infoJsonReportsAKnownVoxelSize() throws IOException {
        Path npy = TestVolumes.npyU8(dir.resolve("v.npy"), TestVolumes.threePhase());
        Path tif = dir.resolve("v.tif");
        ok("convert", npy.toString(), tif.toString(), "--voxel-size", "0.4,0.4,0.5");
        JsonNode size = json("info", tif.toString(), "--json").get("voxelSize");
        assertEquals(0.4, size.get("dx").asDouble(), 1e-9);
        assertEquals(0.4, size.get("dy").asDouble(), 1e-9);
        assertEquals(0.5, size.get("dz").asDouble(), 1e-9);
    }

    @Test
    void infoTextNamesDimensionsLabelsAndUnknownVoxelSize() throws IOException {
        Path file = TestVolumes.npyU8(dir.resolve("v.npy"), TestVolumes.threePhase());
        String out = ok("info", file.toString()).out();
        assertTrue(out.contains("7 x 5 x 3"), out);
        assertTrue(out.contains("uint8"), out);
        assertTrue(out.matches("(?s).*voxel size\\s+unknown.*"), out);
        assertTrue(out.matches("(?s).*labels\\s+3.*"), out);
    }

    @Test
    void infoOnFewGreyValuesListsThemAndSuggestsAMap() throws IOException {
        // Given 16-bit values 0, 1000 and 2000: not labels, but few
        int[] values = new int[4 * 3 * 2];
        for (int i = 0; i < values.length; i++) {
            values[i] = 1000 * (i % 3);
        }
        Path file = TestVolumes.npyU16(dir.resolve("g.npy"), 4, 3, 2, values);
        JsonNode info = json("info", file.toString(), "--json");
        assertEquals("uint16", info.get("dtype").asText());
        assertFalse(info.get("labelled").asBoolean());
        assertEquals(8, info.get("labels").get("1000").asLong());
        assertEquals(List.of(0, 2000), List.of(info.get("valueRange").get(0).asInt(),
                info.get("valueRange").get(1).asInt()));
        assertTrue(info.get("hint").asText().contains("--map 0:0,1000:1,2000:2"), info.toString());
    }

    @Test
    void infoOnManyGreyValuesGivesTheRange() throws IOException {
        // Given 1000 distinct float values -0.5, 0.5, ..., 998.5
        float[] values = new float[10 * 10 * 10];
        for (int i = 0; i < values.length; i++) {
            values[i] = i - 0.5f;
        }
        Path file = TestVolumes.npyF32(dir.resolve("f.npy"), 10, 10, 10, values);
        JsonNode info = json("info", file.toString(), "--json");
        assertEquals("float32", info.get("dtype").asText());
        assertTrue(info.get("labels").isNull(), info.toString());
        assertEquals(-0.5, info.get("valueRange").get(0).asDouble());
        assertEquals(998.5, info.get("valueRange").get(1).asDouble());
        assertTrue(info.get("hint").asText().contains("--otsu"), info.toString());
        String text = ok("info", file.toString()).out();
        assertTrue(text.contains("--otsu"), text);
    }

    @Test
    void convertRoundTripThroughEveryWritableFormatKeepsTheLabels() throws IOException {
        // Given a TIFF stack written by the library
        Volume v = TestVolumes.threePhase();
        Path tif = dir.resolve("a.tif");
        VolumeIO.write(v, tif, VolumeIO.WriteOptions.defaults());
        // When it goes tif -> npy -> raw -> tif (LZW) and also -> vtk
        ok("convert", tif.toString(), dir.resolve("b.npy").toString());
        ok("convert", dir.resolve("b.npy").toString(), dir.resolve("c.raw").toString());
        ok("convert", dir.resolve("c.raw").toString(), dir.resolve("d.tif").toString(), "--compression", "lzw");
        ok("convert", dir.resolve("d.tif").toString(), dir.resolve("e.vtk").toString());
        // Then every file holds the same labels
        for (String name : List.of("b.npy", "c.raw", "d.tif", "e.vtk")) {
            assertSameLabels(v, VolumeIO.read(dir.resolve(name)));
        }
    }

    @Test
    void convertCropsRelabelsAndSetsVoxelSize() throws IOException {
        Volume v = TestVolumes.threePhase();
        Path in = TestVolumes.npyU8(dir.resolve("v.npy"), v);
        Path out = dir.resolve("c.raw");
        JsonNode result = json("convert", in.toString(), out.toString(), "--crop", "1,1,1,4,3,2", "--map",
                "0:0,1:128,2:255", "--voxel-size", "0.5", "--json");
        assertEquals(List.of(4, 3, 2), List.of(result.get("nx").asInt(), result.get("ny").asInt(),
                result.get("nz").asInt()));
        assertEquals("raw", result.get("format").asText());
        Volume expected = v.crop(1, 1, 1, 4, 3, 2).remap(lookup(0, 128, 255));
        Volume written = VolumeIO.read(out);
        assertSameLabels(expected, written);
        assertEquals(VoxelSize.isotropic(0.5), written.voxelSize());
    }

    @Test
    void convertThresholdsGreyscaleWithOtsu() throws IOException {
        // Given two well separated grey levels, 100 and 50000, in the two halves along x
        int nx = 6;
        int[] values = new int[nx * 4 * 2];
        for (int i = 0; i < values.length; i++) {
            values[i] = i % nx < nx / 2 ? 100 : 50000;
        }
        Path grey = TestVolumes.npyU16(dir.resolve("g.npy"), nx, 4, 2, values);
        Path out = dir.resolve("g.tif");
        ok("convert", grey.toString(), out.toString(), "--otsu", "2");
        Volume expected = Volume.generate(nx, 4, 2, (x, y, z) -> x < nx / 2 ? 0 : 1);
        assertSameLabels(expected, VolumeIO.read(out));
    }

    @Test
    void sliceWritesOrthogonalViewsByDefault() throws IOException {
        Volume v = TestVolumes.threePhase();
        Path in = TestVolumes.npyU8(dir.resolve("v.npy"), v);
        Path png = dir.resolve("v.png");
        ok("slice", in.toString(), "--out", png.toString());
        BufferedImage image = ImageIO.read(png.toFile());
        // xy (7 x 5), xz (7 x 3), yz (5 x 3) side by side with two gaps
        assertEquals(7 + 7 + 5 + 2 * SliceImages.GAP, image.getWidth());
        assertEquals(5, image.getHeight());
    }

    @Test
    void sliceWritesOneSliceOfTheRightSize() throws IOException {
        Volume v = TestVolumes.threePhase();
        Path in = TestVolumes.npyU8(dir.resolve("v.npy"), v);
        Path z = dir.resolve("z.png");
        JsonNode result = json("slice", in.toString(), "--out", z.toString(), "--axis", "z", "--json");
        assertEquals(1, result.get("index").asInt(), "middle of nz = 3");
        BufferedImage zImage = ImageIO.read(z.toFile());
        assertEquals(7, zImage.getWidth());
        assertEquals(5, zImage.getHeight());

        Path x = dir.resolve("x.png");
        ok("slice", in.toString(), "--out", x.toString(), "--axis", "X", "--index", "0");
        BufferedImage xImage = ImageIO.read(x.toFile());
        assertEquals(5, xImage.getWidth(), "normal to x the picture is y by z");
        assertEquals(3, xImage.getHeight());
        // two voxels with different labels get different colours
        assertTrue(xImage.getRGB(0, 0) != xImage.getRGB(1, 0));
    }

    @Test
    void demoRunsEndToEndOnEmbeddedData() throws IOException {
        Path out = dir.resolve("demo");
        // the demo's sub-steps (training, campaign) report progress on stderr; stdout is the JSON summary
        CliRunner.Result run = CliRunner.run("demo", "--quick", "--train-minutes", "0.1", "--out", out.toString(),
                "--json");
        assertEquals(Main.OK, run.exitCode(), run::toString);
        JsonNode summary = JSON.readTree(run.out());
        assertEquals(4, summary.get("volumes").size());
        assertTrue(java.nio.file.Files.isRegularFile(out.resolve("campaign").resolve("report.html")));
        JsonNode generated = summary.get("volumes").get(0);
        // the nmc preset: active 0.50, CBD 0.12, pore 0.38
        assertEquals(0.50, generated.get("fractions").get("1").asDouble(), 0.01);
        assertEquals(0.12, generated.get("fractions").get("2").asDouble(), 0.01);
        double tauZ = generated.get("poreTau").get("z").asDouble();
        assertTrue(tauZ > 1 && Double.isFinite(tauZ), "pore tortuosity " + tauZ);
        for (String f : new String[] {"electrode.tif", "fourier.tif", "annealed-active.tif", "slices.png",
            "summary.json"}) {
            assertTrue(java.nio.file.Files.exists(out.resolve(f)), f);
        }
        assertEquals(DemoCommand.STEPS.size(), summary.get("steps").size());
        // a second run into the same folder needs --force
        CliRunner.Result again = CliRunner.run("demo", "--quick", "--out", out.toString());
        assertEquals(Main.BAD_INPUT, again.exitCode(), again::toString);
    }

    private static int[] lookup(int... labels) {
        int[] table = new int[256];
        java.util.Arrays.fill(table, -1);
        for (int v = 0; v < labels.length; v++) {
            table[v] = labels[v];
        }
        return table;
    }
}
