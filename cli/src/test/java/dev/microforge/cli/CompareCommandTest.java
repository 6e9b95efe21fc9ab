package dev.microforge.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.microforge.datasets.Volume;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code microforge compare}: the JSON contract of DESIGN.md section 5, PASS/FAIL, label matching, errors. */
class CompareCommandTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    /** Solid cubes (label {@code solid}) of side {@code side} on a lattice of period 8 in pore (label 0). */
    private static Volume cubes(int n, int side, int solid) {
        return Volume.generate(n, n, n, (x, y, z) -> x % 8 < side && y % 8 < side && z % 8 < side ? solid : 0);
    }

    @Test
    void identicalVolumesPassWithZeroErrorsAndRatiosOne() throws IOException {
        Path a = TestVolumes.npyU8(dir.resolve("a.npy"), TestVolumes.threePhase());
        CliRunner.Result r = CliRunner.run("compare", a.toString(), a.toString(), "--json");
        assertEquals(Main.OK, r.exitCode(), r::toString);
        JsonNode j = JSON.readTree(r.out());
        assertTrue(j.get("pass").asBoolean());
        JsonNode phases = j.get("phases");
        assertEquals(3, phases.size());
        for (JsonNode p : phases) {
            for (String field : List.of("phase", "volumeFractionError", "s2Rmse", "surfaceAreaRatio",
                    "tortuosityRatio", "chordLengthDistance", "pass", "failures")) {
                assertTrue(p.has(field), field + " missing in " + p);
            }
            assertEquals(0.0, p.get("volumeFractionError").asDouble());
            for (String axis : List.of("x", "y", "z")) {
                assertEquals(0.0, p.get("s2Rmse").get(axis).asDouble());
                assertEquals(1.0, p.get("tortuosityRatio").get(axis).asDouble());
            }
            assertEquals(1.0, p.get("surfaceAreaRatio").asDouble());
        }
        assertEquals(List.of("pore", "active", "cbd"), List.of(phases.get(0).get("name").asText(),
                phases.get(1).get("name").asText(), phases.get(2).get("name").asText()));
        assertEquals(1, j.get("candidates").size());
        CliRunner.Result text = CliRunner.run("compare", a.toString(), a.toString(), "--no-tortuosity");
        List<String> lines = text.out().lines().toList();
        assertTrue(lines.get(lines.size() - 1).startsWith("PASS (|vf error| <= 0.01, S2 RMSE <= 0.005)"),
                text.out());
    }

    @Test
    void aDifferentPairFailsWithTheExactFractionError() throws IOException {
        Path ref = TestVolumes.npyU8(dir.resolve("ref.npy"), cubes(32, 4, 1)); // solid 8/64
        Path cand = TestVolumes.npyU8(dir.resolve("cand.npy"), cubes(32, 6, 1)); // solid 27/64
        CliRunner.Result r = CliRunner.run("compare", ref.toString(), cand.toString(), "--json", "--no-tortuosity");
        assertEquals(Main.OK, r.exitCode(), r::toString);
        JsonNode j = JSON.readTree(r.out());
        assertFalse(j.get("pass").asBoolean());
        assertEquals(19.0 / 64, j.get("phases").get(1).get("volumeFractionError").asDouble(), 1e-15);
        assertEquals(-19.0 / 64, j.get("phases").get(0).get("volumeFractionError").asDouble(), 1e-15);
        assertTrue(j.get("phases").get(1).get("tortuosityRatio").isNull());
        CliRunner.Result text = CliRunner.run("compare", ref.toString(), cand.toString(), "--no-tortuosity",
                "--vf-tol", "0.3", "--s2-tol", "1");
        List<String> lines = text.out().lines().toList();
        assertTrue(lines.get(lines.size() - 1).startsWith("PASS (|vf error| <= 0.3, S2 RMSE <= 1)"), text.out());
        CliRunner.Result fail = CliRunner.run("compare", ref.toString(), cand.toString(), "--no-tortuosity");
        String last = fail.out().lines().reduce((x, y) -> y).orElse("");
        assertTrue(last.startsWith("FAIL") && last.contains("active (1): volume fraction error +0.2969"), last);
    }

    @Test
    void labelsAreMatchedByRankAndCandidatesPooled() throws IOException {
        // the reference labels its solid 170 (TauFactor style), the candidates 1 (a generator's phase index)
        Path ref = TestVolumes.npyU8(dir.resolve("ref.npy"), cubes(32, 4, 170));
        Path c1 = TestVolumes.npyU8(dir.resolve("c1.npy"), cubes(32, 4, 1));
        Path c2 = TestVolumes.npyU8(dir.resolve("c2.npy"), cubes(16, 6, 1)); // 27/64 solid, another size
        CliRunner.Result r = CliRunner.run("compare", ref.toString(), c1.toString(), c2.toString(), "--json",
                "--no-tortuosity", "--phase", "active");
        assertEquals(Main.OK, r.exitCode(), r::toString);
        JsonNode j = JSON.readTree(r.out());
        assertEquals("rank: 0->0, 1->170", j.get("candidates").get(0).get("labelMatch").asText());
        assertTrue(j.get("candidates").get(0).get("pass").asBoolean());
        assertFalse(j.get("candidates").get(1).get("pass").asBoolean());
        assertEquals(1, j.get("phases").size());
        assertEquals(170, j.get("phases").get(0).get("phase").asInt());
        // the ensemble's fraction is the voxel-weighted mean: (32768 * 8/64 + 4096 * 27/64) / 36864
        double pooled = (32768 * 8.0 / 64 + 4096 * 27.0 / 64) / 36864;
        assertEquals(pooled - 8.0 / 64, j.get("phases").get(0).get("volumeFractionError").asDouble(), 1e-15);
    }

    @Test
    void missingFilesAndBadOptionsExitTwo() throws IOException {
        Path a = TestVolumes.npyU8(dir.resolve("a.npy"), TestVolumes.threePhase());
        CliRunner.Result missing = CliRunner.run("compare", a.toString(), dir.resolve("none.tif").toString());
        assertEquals(Main.BAD_INPUT, missing.exitCode(), missing::toString);
        assertTrue(missing.err().contains("none.tif"), missing.err());
        CliRunner.Result noCandidate = CliRunner.run("compare", a.toString());
        assertEquals(Main.BAD_INPUT, noCandidate.exitCode(), noCandidate::toString);
        CliRunner.Result badTol = CliRunner.run("compare", a.toString(), a.toString(), "--vf-tol", "-1");
        assertEquals(Main.BAD_INPUT, badTol.exitCode(), badTol::toString);
        assertTrue(badTol.err().contains("-1"), badTol.err());
        CliRunner.Result badPhase = CliRunner.run("compare", a.toString(), a.toString(), "--phase", "electrolyte");
        assertEquals(Main.BAD_INPUT, badPhase.exitCode(), badPhase::toString);
    }
}
