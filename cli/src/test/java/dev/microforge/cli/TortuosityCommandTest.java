package dev.microforge.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.microforge.datasets.Volume;
import dev.microforge.datasets.io.Samples;
import dev.microforge.datasets.io.VolumeIO;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TortuosityCommandTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    @Test
    void jsonHasTheContractFieldsPerAxis() throws IOException {
        // Given pore channels along z (label 0) in solid (label 1)
        Volume v = Volume.generate(8, 6, 10, (x, y, z) -> x % 2 == 0 && y % 2 == 0 ? 0 : 1);
        Path file = TestVolumes.npyU8(dir.resolve("channels.npy"), v);
        CliRunner.Result r = CliRunner.run("tortuosity", file.toString(), "--json", "--tol", "1e-8");
        assertEquals(Main.OK, r.exitCode(), r::toString);
        JsonNode results = JSON.readTree(r.out()).get("results");
        assertEquals(3, results.size());
        JsonNode z = results.get(2);
        assertEquals("z", z.get("axis").asText());
        assertEquals(0, z.get("phase").asInt());
        assertEquals(1.0, z.get("tau").asDouble(), 1e-6);
        assertEquals(0.25, z.get("effectiveDiffusivity").asDouble(), 1e-6);
        assertEquals(0.25, z.get("volumeFraction").asDouble(), 1e-12);
        assertTrue(z.get("percolating").asBoolean());
        assertTrue(z.get("converged").asBoolean());
        assertTrue(z.get("iterations").isInt());
        assertTrue(z.get("seconds").asDouble() >= 0);
        // across the channels the pore does not percolate: tau is infinite, written as the string "Infinity"
        JsonNode x = results.get(0);
        assertFalse(x.get("percolating").asBoolean());
        assertEquals("Infinity", x.get("tau").asText());
        assertEquals(0.0, x.get("effectiveDiffusivity").asDouble());
    }

    @Test
    void phaseSetsByNameAndFluxFieldOutput() throws IOException {
        Volume v = Volume.generate(6, 6, 8, (x, y, z) -> x < 2 ? 0 : x < 4 ? 1 : 2);
        Path file = TestVolumes.npyU8(dir.resolve("three.npy"), v);
        Path flux = dir.resolve("flux.npy");
        CliRunner.Result r = CliRunner.run("tortuosity", file.toString(), "--phase", "active+cbd", "--axis", "z",
                "--flux-out", flux.toString(), "--json");
        assertEquals(Main.OK, r.exitCode(), r::toString);
        JsonNode z = JSON.readTree(r.out()).get("results").get(0);
        assertEquals("[1,2]", z.get("phases").toString());
        assertEquals(1.0, z.get("tau").asDouble(), 1e-5);
        Samples field = VolumeIO.readSamples(flux, null);
        assertEquals(6, field.nx());
        assertEquals(8, field.nz());
        assertEquals(0f, field.floats()[0]);
        assertEquals(1.5f, field.floats()[5 + 6 * 3], 1e-4f);
    }

    @Test
    void conductivityModeGivesTheHarmonicMeanOfLayers() throws IOException {
        Volume v = Volume.generate(3, 3, 4, (x, y, z) -> z < 2 ? 0 : 2);
        Path file = TestVolumes.npyU8(dir.resolve("layers.npy"), v);
        CliRunner.Result r = CliRunner.run("tortuosity", file.toString(), "--conductivity", "0:1,2:0.25",
                "--axis", "z", "--json", "--tol", "1e-9");
        assertEquals(Main.OK, r.exitCode(), r::toString);
        JsonNode z = JSON.readTree(r.out()).get("results").get(0);
        assertEquals(0.4, z.get("effectiveConductivity").asDouble(), 1e-6);
    }

    @Test
    void anIsotropicVoxelSizeLeavesTauUnchanged() throws IOException {
        // tau is dimensionless: scaling every voxel edge by the same factor must not move it
        Volume v = Volume.generate(12, 10, 14, (x, y, z) -> (x * 7 + y * 3 + z * 5) % 4 == 0 ? 1 : 0);
        Path file = TestVolumes.npyU8(dir.resolve("v.npy"), v);
        double[] tau = new double[2];
        String[] sizes = {"1", "0.37"};
        for (int k = 0; k < 2; k++) {
            CliRunner.Result r = CliRunner.run("tortuosity", file.toString(), "--axis", "y", "--voxel-size",
                    sizes[k], "--tol", "1e-8", "--json");
            assertEquals(Main.OK, r.exitCode(), r::toString);
            tau[k] = JSON.readTree(r.out()).get("results").get(0).get("tau").asDouble();
        }
        assertTrue(tau[0] > 1);
        assertEquals(tau[0], tau[1], 1e-6 * tau[0]);
    }

    @Test
    void badPhaseAxisAndConductivityAreOneLineErrors() throws IOException {
        Path file = TestVolumes.npyU8(dir.resolve("v.npy"), Volume.filled(3, 3, 3, 0));
        for (String[] args : new String[][] {
            {"tortuosity", file.toString(), "--phase", "binder"},
            {"tortuosity", file.toString(), "--axis", "w"},
            {"tortuosity", file.toString(), "--conductivity", "0:-1"},
            {"tortuosity", file.toString(), "--tol", "0"},
            {"tortuosity", dir.resolve("missing.tif").toString()},
            {"tortuosity", file.toString(), "--flux-out", dir.resolve("no/dir/f.npy").toString()}}) {
            CliRunner.Result r = CliRunner.run(args);
            assertEquals(Main.BAD_INPUT, r.exitCode(), r::toString);
            assertEquals(1, r.err().strip().lines().count(), r::toString);
        }
        try (var files = Files.list(dir)) {
            assertEquals(1, files.count(), "nothing written");
        }
    }
}
