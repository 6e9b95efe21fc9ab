package dev.microforge.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.microforge.datasets.Volume;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CharacterizeCommandTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    @Test
    void everyDescriptorIsInTheJsonWithPlots() throws IOException {
        // Given slabs normal to z: pore (label 0) 4 voxels thick, then solid (label 1) 4 voxels thick, repeated
        Volume v = Volume.generate(12, 10, 16, (x, y, z) -> (z / 4) % 2);
        Path file = TestVolumes.npyU8(dir.resolve("slabs.npy"), v);
        Path plots = Files.createDirectory(dir.resolve("plots"));
        CliRunner.Result r = CliRunner.run("characterize", file.toString(), "--json", "--plots", plots.toString(),
                "--max-distance", "6");
        assertEquals(Main.OK, r.exitCode(), r::toString);
        JsonNode root = JSON.readTree(r.out());
        assertEquals(0.5, root.get("volumeFractions").get("0").asDouble(), 1e-12);
        JsonNode pore = root.get("phases").get(0);
        assertEquals("pore", pore.get("name").asText());
        // S2 along x stays phi (slabs are uniform along x); along z it drops to 0 at lag 4
        JsonNode s2 = pore.get("twoPointCorrelation");
        assertEquals(0.5, s2.get("x").get("value").get(3).asDouble(), 1e-12);
        assertEquals(0.0, s2.get("z").get("value").get(4).asDouble(), 1e-12);
        // the lineal path along z: runs of 4 pore voxels, so no 5 in a row (L(4) = 0) and 2 placements of 4 in a
        // row in each line's 13 (L(3)); lengths in voxels, as the file has no voxel size
        JsonNode lineal = pore.get("linealPath").get("z");
        assertEquals(2.0 / 13, lineal.get("value").get(3).asDouble(), 1e-12);
        assertEquals(0.0, lineal.get("value").get(4).asDouble(), 1e-12);
        for (int d = 0; d <= 6; d++) {
            assertEquals(d, lineal.get("distance").get(d).asDouble(), 0, "lineal-path distance " + d);
            assertEquals(d, s2.get("z").get("distance").get(d).asDouble(), 0, "S2 distance " + d);
        }
        // chords along z are the slab thickness (border chords excluded): 4 voxels
        JsonNode chordsZ = pore.get("chordLengths").get(2);
        assertEquals("z", chordsZ.get("axis").asText());
        assertEquals(4.0, chordsZ.get("mean").asDouble(), 1e-12);
        // the pore percolates along x and y, not along z
        JsonNode axes = pore.get("connectivity").get("axes");
        assertTrue(axes.get(0).get("percolates").asBoolean());
        assertTrue(!axes.get(2).get("percolates").asBoolean());
        // interfaces: 3 interior planes of 12 x 10 faces over 1920 voxels, exact by face count
        assertEquals(3.0 * 120 / 1920, root.get("interfacialArea").get(0).get("faceCount").asDouble(), 1e-12);
        for (String key : new String[] {"specificSurfaceArea", "clusterFunction", "surfaceSurfaceCorrelation",
            "threePointCorrelation", "linealPath", "poreSizeDistribution", "particles", "spectralDensity"}) {
            assertTrue(pore.has(key), key);
        }
        assertTrue(root.get("plots").size() >= 9);
        for (JsonNode f : root.get("plots")) {
            assertTrue(ImageIO.read(Path.of(f.asText()).toFile()).getWidth() == Plots.WIDTH, f.asText());
        }
    }

    @Test
    void badOptionsAreOneLineErrors() throws IOException {
        Path file = TestVolumes.npyU8(dir.resolve("v.npy"), Volume.filled(4, 4, 4, 0));
        for (String[] args : new String[][] {
            {"characterize", file.toString(), "--only", "s9"},
            {"characterize", file.toString(), "--plots", dir.resolve("missing").toString()},
            {"characterize", file.toString(), "--phase", "cbd"}}) {
            CliRunner.Result r = CliRunner.run(args);
            assertEquals(Main.BAD_INPUT, r.exitCode(), r::toString);
            assertEquals(1, r.err().strip().lines().count(), r::toString);
        }
    }
}
