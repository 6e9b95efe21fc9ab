package dev.microforge.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.microforge.datasets.Volume;
import dev.microforge.datasets.io.VolumeIO;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code microforge reconstruct gram} on tiny exemplars: outputs, exact fractions, determinism, refusals. */
class ReconstructGramCommandTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    /** Discs of label 255 on 0, 40 x 40: 2D, two phases with the file's own label values. */
    private Path discs(String name) throws IOException {
        Volume v = Volume.generate(40, 40, 1, (x, y, z) -> {
            int dx = x % 10 - 5;
            int dy = y % 10 - 5;
            return dx * dx + dy * dy < 10 ? 255 : 0;
        });
        return TestVolumes.npyU8(dir.resolve(name), v);
    }

    private static String[] args(String... a) {
        return a;
    }

    @Test
    void writesTheVolumeAtTheExemplarFractionsWithItsLabelsAndALossPlotDeterministically() throws IOException {
        Path ex = discs("discs.npy");
        Volume exemplar = VolumeIO.read(ex);
        double phi = (double) exemplar.labelCounts()[255] / exemplar.voxelCount();
        Path plots = Files.createDirectories(dir.resolve("plots"));
        Path a = dir.resolve("a.tif");
        CliRunner.Result r = CliRunner.run("reconstruct", "gram", "--exemplar", ex.toString(), "--size", "16",
                "--levels", "1", "--iterations", "12", "--slices", "4", "--seed", "2", "--out", a.toString(),
                "--plots", plots.toString(), "--json");
        assertEquals(Main.OK, r.exitCode(), r::toString);
        JsonNode s = JSON.readTree(r.out());
        assertEquals("gram", s.get("method").asText());
        assertEquals(12, s.get("steps").asInt(), r.out());
        assertEquals("completed", s.get("stop").asText());
        assertTrue(s.get("extractor").asText().startsWith("random multi-scale CNN"), r.out());
        Volume v = VolumeIO.read(a);
        assertEquals(16, v.nx());
        assertEquals(16, v.nz());
        assertEquals(List.of(0, 255), List.copyOf(v.labelHistogram().keySet()));
        assertEquals(phi * v.voxelCount(), v.labelCounts()[255], 1.0, "fraction of label 255");
        assertTrue(Files.size(plots.resolve("a-loss.png")) > 0);
        assertTrue(Files.size(plots.resolve("a-slices.png")) > 0);
        // same seed, same bytes
        Path b = dir.resolve("b.tif");
        CliRunner.Result again = CliRunner.run("reconstruct", "gram", "--exemplar", ex.toString(), "--size", "16",
                "--levels", "1", "--iterations", "12", "--slices", "4", "--seed", "2", "--out", b.toString());
        assertEquals(Main.OK, again.exitCode(), again::toString);
        assertArrayEquals(Files.readAllBytes(a), Files.readAllBytes(b), "same seed, same bytes");
        assertTrue(Files.exists(dir.resolve("b-loss.png")), "without --plots the loss plot lies beside the output");
    }

    @Test
    void threeOrthogonalExemplarsAndGivenFractionsMakeA2dOr3dOutput() throws IOException {
        Path x = discs("x.npy");
        Path y = TestVolumes.npyU8(dir.resolve("y.npy"), Volume.generate(32, 24, 1, (i, j, k) -> (i / 3) % 2 * 255));
        Path z = discs("z.npy");
        Path out = dir.resolve("aniso.npy");
        CliRunner.Result r = CliRunner.run("reconstruct", "gram", "--exemplar", x.toString(), "--exemplar-y",
                y.toString(), "--exemplar-z", z.toString(), "--size", "16,12,16", "--levels", "1", "--iterations", "4",
                "--slices", "2", "--fractions", "0.7,0.3", "--out", out.toString());
        assertEquals(Main.OK, r.exitCode(), r::toString);
        Volume v = VolumeIO.read(out);
        assertEquals(12, v.ny());
        assertEquals(0.3 * v.voxelCount(), v.labelCounts()[255], 1.0);
        Path flat = dir.resolve("flat.tif");
        CliRunner.Result r2 = CliRunner.run("reconstruct", "gram", "--exemplar", x.toString(), "--size", "24,20,1",
                "--levels", "2", "--iterations", "4", "--out", flat.toString());
        assertEquals(Main.OK, r2.exitCode(), r2::toString);
        Volume image = VolumeIO.read(flat);
        assertEquals(1, image.nz());
        assertEquals(20, image.ny());
    }

    @Test
    void badInputExitsWithTwoAndOneLine() throws IOException {
        Path ex = discs("discs.npy");
        Path out = dir.resolve("o.tif");
        Path flat = TestVolumes.npyU8(dir.resolve("flat.npy"), Volume.filled(20, 20, 1, 7));
        for (String[] bad : List.of(
                args("--exemplar", ex.toString(), "--exemplar-y", ex.toString()),
                args("--exemplar", flat.toString()),
                args("--exemplar", ex.toString(), "--fractions", "0.2,0.3,0.5"),
                args("--exemplar", ex.toString(), "--extractor", dir.resolve("nothing.pt").toString(), "--layers",
                        "a"),
                args("--exemplar", ex.toString(), "--extractor", dir.toString()),
                args("--exemplar", ex.toString(), "--minutes", "0"),
                args("--exemplar", dir.resolve("missing.png").toString()))) {
            String[] line = new String[bad.length + 8];
            line[0] = "reconstruct";
            line[1] = "gram";
            System.arraycopy(bad, 0, line, 2, bad.length);
            System.arraycopy(new String[] {"--size", "8", "--iterations", "2", "--out", out.toString()}, 0, line,
                    bad.length + 2, 6);
            CliRunner.Result r = CliRunner.run(line);
            assertEquals(Main.BAD_INPUT, r.exitCode(), () -> String.join(" ", bad) + "\n" + r);
            assertEquals(1, r.errLines().size(), r::toString);
            assertTrue(r.errLines().get(0).startsWith("microforge: "), r::toString);
        }
        assertTrue(!Files.exists(out), "a refused run writes nothing");
    }
}
