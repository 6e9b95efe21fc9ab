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
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReconstructCommandTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    /** Blobs of label 1 on a lattice: a target with a clear S2. */
    private Path target() throws IOException {
        Volume v = Volume.generate(24, 24, 24, (x, y, z) -> ((x / 4) + (y / 4) + (z / 4)) % 2);
        return TestVolumes.npyU8(dir.resolve("target.npy"), v);
    }

    @Test
    void annealMatchesTheTargetFractionAndIsDeterministic() throws IOException {
        Path t = target();
        Path a = dir.resolve("a.tif");
        Path b = dir.resolve("b.tif");
        CliRunner.Result r = CliRunner.run("reconstruct", "anneal", "--target", t.toString(), "--size", "24",
                "--max-lag", "6", "--rmse", "0.01", "--seconds", "20", "--seed", "3", "--out", a.toString(), "--json");
        assertEquals(Main.OK, r.exitCode(), r::toString);
        JsonNode s = JSON.readTree(r.out());
        assertEquals(0.5, s.get("fractions").get("1").asDouble(), 1.0 / 13824);
        assertTrue(s.get("finalRmse").asDouble() <= 0.01, r.out());
        CliRunner.Result again = CliRunner.run("reconstruct", "anneal", "--target", t.toString(), "--size", "24",
                "--max-lag", "6", "--rmse", "0.01", "--seconds", "20", "--seed", "3", "--out", b.toString());
        assertEquals(Main.OK, again.exitCode(), again::toString);
        assertArrayEquals(Files.readAllBytes(a), Files.readAllBytes(b), "same seed, same bytes");
    }

    @Test
    void cbdGrowthHitsTheFractionOnlyInPores() throws IOException {
        Volume in = Volume.generate(32, 32, 32, (x, y, z) -> {
            int dx = x % 16 - 8;
            int dy = y % 16 - 8;
            int dz = z % 16 - 8;
            return dx * dx + dy * dy + dz * dz < 49 ? 1 : 0;
        });
        Path file = TestVolumes.npyU8(dir.resolve("spheres.npy"), in);
        Path out = dir.resolve("cbd.npy");
        CliRunner.Result r = CliRunner.run("reconstruct", "cbd", "--input", file.toString(), "--cbd-fraction",
                "0.08", "--omega", "0", "--out", out.toString(), "--json");
        assertEquals(Main.OK, r.exitCode(), r::toString);
        Volume v = VolumeIO.read(out);
        assertEquals(Math.round(0.08 * v.voxelCount()), v.labelCounts()[2]);
        assertEquals(in.labelCounts()[1], v.labelCounts()[1], "active voxels untouched");
        assertTrue(JSON.readTree(r.out()).get("activeSurfaceCoverage").asDouble() > 0.3);
    }

    @Test
    void fieldMethodsHitTheirFractionsAndAreDeterministic() throws IOException {
        Path exemplar = target();
        String[][] runs = {
            {"reconstruct", "grf", "--size", "24,20,16", "--fractions", "0.3,0.5,0.2", "--seed", "5"},
            {"reconstruct", "grf", "--size", "20", "--fractions", "0.45,0.55", "--method", "waves", "--seed", "5"},
            {"reconstruct", "fourier", "--exemplar", exemplar.toString(), "--size", "20", "--seed", "5"},
            {"reconstruct", "tessellation", "--size", "24", "--fractions", "0.4,0.6", "--radius", "4", "--seed",
                "5"}};
        double[][] expected = {{0.3, 0.5, 0.2}, {0.45, 0.55}, {0.5, 0.5}, {0.4, 0.6}};
        for (int k = 0; k < runs.length; k++) {
            Path a = dir.resolve("f" + k + "a.npy");
            Path b = dir.resolve("f" + k + "b.npy");
            for (Path out : new Path[] {a, b}) {
                String[] args = java.util.Arrays.copyOf(runs[k], runs[k].length + 2);
                args[args.length - 2] = "--out";
                args[args.length - 1] = out.toString();
                CliRunner.Result r = CliRunner.run(args);
                assertEquals(Main.OK, r.exitCode(), r::toString);
            }
            Volume v = VolumeIO.read(a);
            for (int label = 0; label < expected[k].length; label++) {
                assertEquals(expected[k][label], (double) v.labelCounts()[label] / v.voxelCount(), 0.01,
                        String.join(" ", runs[k]));
            }
            assertArrayEquals(Files.readAllBytes(a), Files.readAllBytes(b), "same seed, same bytes");
        }
    }

    @Test
    void packingReachesTheSolidFractionAndGradesAlongZ() throws IOException {
        Path out = dir.resolve("packed.npy");
        CliRunner.Result r = CliRunner.run("reconstruct", "packing", "--size", "48", "--fractions", "0.45,0.55",
                "--diameter", "8", "--grade", "fraction:0.5", "--seed", "2", "--out", out.toString(), "--json");
        assertEquals(Main.OK, r.exitCode(), r::toString);
        Volume v = VolumeIO.read(out);
        assertEquals(0.55, (double) v.labelCounts()[1] / v.voxelCount(), 0.01);
        // the solid fraction of the last third along z exceeds that of the first third
        long low = 0;
        long high = 0;
        for (int z = 0; z < 16; z++) {
            for (int y = 0; y < 48; y++) {
                for (int x = 0; x < 48; x++) {
                    low += v.get(x, y, z);
                    high += v.get(x, y, z + 32);
                }
            }
        }
        assertTrue(high > low * 1.15, "graded: " + low + " -> " + high);
    }

    @Test
    void datasetSynthWritesEveryPresetWithItsFractions() throws IOException {
        Path out = dir.resolve("data");
        CliRunner.Result r = CliRunner.run("dataset", "synth", "--preset", "nmc", "--count", "2", "--size", "48",
                "--out", out.toString(), "--json");
        assertEquals(Main.OK, r.exitCode(), r::toString);
        JsonNode m = JSON.readTree(r.out());
        assertEquals(2, m.get("volumes").size());
        Volume a = VolumeIO.read(out.resolve("nmc-000.tif"));
        Volume b = VolumeIO.read(out.resolve("nmc-001.tif"));
        assertEquals(0.5, (double) a.labelCounts()[1] / a.voxelCount(), 0.01);
        assertEquals(0.12, (double) a.labelCounts()[2] / a.voxelCount(), 0.01);
        assertEquals(0.4, a.voxelSize().dx(), 1e-9);
        assertTrue(!a.equals(b), "different seeds, different volumes");
        assertTrue(Files.exists(out.resolve("nmc.json")));
        CliRunner.Result bad = CliRunner.run("dataset", "synth", "--preset", "cobalt", "--out", out.toString());
        assertEquals(Main.BAD_INPUT, bad.exitCode(), bad::toString);
        CliRunner.Result exists = CliRunner.run("dataset", "synth", "--preset", "nmc", "--size", "48", "--out",
                out.toString());
        assertEquals(Main.BAD_INPUT, exists.exitCode(), "existing volumes need --force");
    }

    @Test
    void rdfArrangesParticlesLikeTheTarget() throws IOException {
        // Given a packing of 10-voxel spheres as the target
        Path packed = dir.resolve("packed.npy");
        assertEquals(Main.OK, CliRunner.run("reconstruct", "packing", "--size", "64", "--fractions", "0.6,0.4",
                "--diameter", "10", "--seed", "4", "--out", packed.toString()).exitCode());
        Path out = dir.resolve("rdf.npy");
        CliRunner.Result r = CliRunner.run("reconstruct", "rdf", "--target", packed.toString(), "--size", "48",
                "--seconds", "5", "--seed", "2", "--out", out.toString(), "--json");
        assertEquals(Main.OK, r.exitCode(), r::toString);
        JsonNode s = JSON.readTree(r.out());
        // the watershed finds the particles' size back (radius 5 voxels) and the g(r) fit ends finite and small
        assertEquals(5.0, s.get("radiusVoxels").asDouble(), 1.0);
        assertTrue(s.get("particles").asInt() > 10);
        assertTrue(s.get("finalRmse").asDouble() < 0.5, r.out());
        assertTrue(VolumeIO.read(out).labelCounts()[1] > 0);
    }

    @Test
    void badRequestsAreOneLineErrorsAndWriteNothing() throws IOException {
        Path t = target();
        for (String[] args : new String[][] {
            {"reconstruct"},
            {"reconstruct", "anneal", "--out", dir.resolve("x.tif").toString()},
            {"reconstruct", "anneal", "--target", t.toString(), "--exemplar", t.toString(), "--out",
                dir.resolve("x.tif").toString()},
            {"reconstruct", "anneal", "--target", t.toString(), "--size", "0", "--out", dir.resolve("x.tif").toString()},
            {"reconstruct", "anneal", "--target", t.toString(), "--out", dir.resolve("x.xyz").toString()},
            {"reconstruct", "cbd", "--input", t.toString(), "--omega", "2", "--out", dir.resolve("x.tif").toString()},
            {"reconstruct", "grf", "--fractions", "0.5,0.6", "--out", dir.resolve("x.tif").toString()},
            {"reconstruct", "grf", "--method", "magic", "--out", dir.resolve("x.tif").toString()},
            {"reconstruct", "grf", "--out", dir.resolve("x.tif").toString(), "--plots", dir.resolve("no").toString()},
            {"reconstruct", "tessellation", "--radius", "-1", "--out", dir.resolve("x.tif").toString()}}) {
            CliRunner.Result r = CliRunner.run(args);
            assertEquals(Main.BAD_INPUT, r.exitCode(), r::toString);
            assertEquals(1, r.err().strip().lines().count(), r::toString);
        }
        try (var files = Files.list(dir)) {
            assertEquals(1, files.count());
        }
    }
}
