package dev.microforge.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code optimize} and {@code report} end to end on small packing campaigns. */
class OptimizeCommandTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** Maximise porosity with active fraction >= 0.5 (optimum: solidFraction 0.5), screened by the surrogate. */
    static final String SMALL = "{\"designSpace\": {\"type\": \"parametric\", \"generator\": \"packing\", "
            + "\"parameters\": {\"solidFraction\": [0.3, 0.65], \"meanRadius\": [2, 4]}, \"fixed\": {\"size\": 24, "
            + "\"seed\": 3, \"relaxationSweeps\": 200}}, \"objectives\": [{\"property\": \"volumeFraction\", "
            + "\"phase\": \"pore\", \"goal\": \"maximize\"}], \"constraints\": [{\"property\": \"tortuosity\", "
            + "\"phase\": \"pore\", \"axis\": \"z\", \"max\": 10}, {\"property\": \"volumeFraction\", \"phase\": "
            + "\"active\", \"min\": 0.5}], \"budget\": 9, \"initialDesign\": 5, \"seed\": 2, \"screening\": "
            + "{\"surrogate\": \"bruggeman\", \"candidates\": 2}}";

    @TempDir
    Path tmp;

    @Test
    void optimizeStopResumeAndReport() throws IOException {
        Path config = tmp.resolve("c.json");
        Files.writeString(config, SMALL);
        Path out = tmp.resolve("run");
        CliRunner.Result first = CliRunner.run("optimize", "--config", config.toString(), "--out", out.toString(),
                "--stop-after", "6");
        assertEquals(Main.OK, first.exitCode(), first::toString);
        List<String> lines = first.errLines();
        // a start line, one line per evaluation, and a line for the screened batch
        assertEquals(8, lines.size(), first::toString);
        assertTrue(lines.get(0).startsWith("microforge: optimize: packing 24x24x24"), lines.get(0));
        assertTrue(lines.get(6).contains("batch 1: the surrogate screened 2 candidates"), lines.get(6));
        assertTrue(lines.get(7).startsWith("microforge: optimize: 6/9 evaluation 5 [bo] solidFraction = "),
                lines.get(7));
        assertTrue(first.out().contains("6 of 9 evaluations (resume with --resume)"), first.out());

        CliRunner.Result rest = CliRunner.run("optimize", "--out", out.toString(), "--resume", "--json");
        assertEquals(Main.OK, rest.exitCode(), rest::toString);
        JsonNode summary = JSON.readTree(rest.out());
        assertEquals(9, summary.get("evaluations").asInt());
        assertTrue(summary.get("complete").asBoolean());
        assertEquals(List.of("volumeFraction(pore)", "tortuosity(pore,z)", "volumeFraction(active)"),
                JSON.convertValue(summary.get("properties"), List.class));
        JsonNode best = summary.get("best");
        assertTrue(best.get("values").get(2).asDouble() >= 0.5);
        assertTrue(rest.errLines().get(0).contains("6 already journaled"), rest::toString);

        CliRunner.Result report = CliRunner.run("report", out.toString(), "--json");
        assertEquals(Main.OK, report.exitCode(), report::toString);
        JsonNode r = JSON.readTree(report.out());
        assertEquals(9, r.get("evaluations").asInt());
        String html = Files.readString(out.resolve("report.html"));
        assertTrue(html.contains("<h2>Convergence</h2>"), "convergence trace");
        assertTrue(html.contains("Objective against the first constraint"), "trade-off plot");
        assertTrue(html.contains("<h2>Best designs</h2>") && html.contains("class=\"slices\""), "best designs");
        assertTrue(html.contains("Surrogate versus physics"), "surrogate agreement");
        assertTrue(html.contains("tortuosity(pore,z)</td>"), "agreement table");
        assertTrue(html.contains("<h2>All evaluations</h2>"));
        int rows = html.split("<tr><td>|<tr class=\"best\"><td>", -1).length - 1;
        assertEquals(9 + r.get("surrogateAgreement").size(), rows, "a row per evaluation and per agreement line");
        assertFalse(html.contains("src=\"report-"), "pictures are embedded, not linked");
        assertTrue(html.contains("data:image/png;base64,"));
        for (JsonNode p : r.get("pictures")) {
            java.awt.image.BufferedImage image = javax.imageio.ImageIO.read(Path.of(p.asText()).toFile());
            assertTrue(image != null && image.getWidth() >= 24 + 24 + 24, p.asText());
        }
    }

    @Test
    void badInputExitsWithTwoAndOneLine() throws IOException {
        Path config = tmp.resolve("c.json");
        Files.writeString(config, SMALL);
        assertBad(CliRunner.run("optimize", "--out", tmp.resolve("x").toString()), "--config is required");
        assertBad(CliRunner.run("optimize", "--config", tmp.resolve("none.json").toString(), "--out",
                tmp.resolve("x").toString()), "no such campaign file");
        Path used = tmp.resolve("used");
        Files.createDirectories(used);
        Files.writeString(used.resolve("f"), "");
        assertBad(CliRunner.run("optimize", "--config", config.toString(), "--out", used.toString()),
                "is not empty; use --resume");
        assertBad(CliRunner.run("optimize", "--out", tmp.resolve("fresh").toString(), "--resume"),
                "not a campaign folder");
        Path bad = tmp.resolve("bad.json");
        Files.writeString(bad, SMALL.replace("\"budget\"", "\"budegt\""));
        assertBad(CliRunner.run("optimize", "--config", bad.toString(), "--out", tmp.resolve("y").toString()),
                "unknown field \"budegt\"");
        assertBad(CliRunner.run("optimize", "--config", config.toString(), "--out",
                tmp.resolve("no/such/parent").toString()), "neither the folder nor its parent exists");
        assertBad(CliRunner.run("report", tmp.resolve("nothing").toString()), "no such campaign folder");
        assertBad(CliRunner.run("report", used.toString()), "not a campaign folder");
    }

    private static void assertBad(CliRunner.Result r, String fragment) {
        assertEquals(Main.BAD_INPUT, r.exitCode(), r::toString);
        assertEquals(1, r.errLines().size(), r::toString);
        assertTrue(r.errLines().get(0).startsWith("microforge: ") && r.errLines().get(0).contains(fragment),
                r::toString);
    }

    /** The issue's example campaign, exactly as written (64³ packings and tortuosity solves: minutes). */
    @Tag("benchmark")
    @Test
    void theIssuesExampleCampaignRunsAsWritten() throws IOException {
        Path config = tmp.resolve("example.json");
        Files.writeString(config, new String(OptimizeCommandTest.class.getResourceAsStream(
                "/campaigns/issue-example.json").readAllBytes(), java.nio.charset.StandardCharsets.UTF_8));
        Path out = tmp.resolve("example");
        CliRunner.Result r = CliRunner.run("optimize", "--config", config.toString(), "--out", out.toString(),
                "--json");
        assertEquals(Main.OK, r.exitCode(), r::toString);
        JsonNode s = JSON.readTree(r.out());
        assertEquals(20, s.get("evaluations").asInt());
        assertTrue(s.get("best").get("values").get(1).asDouble() >= 0.5);
        assertEquals(Main.OK, CliRunner.run("report", out.toString()).exitCode());
    }
}
