package dev.microforge.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.microforge.cli.bench.BenchHarness;
import dev.microforge.datasets.Volume;
import dev.microforge.datasets.io.VolumeIO;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code microforge bench}: the JSON contract on small data (real child JVMs), and its refusals. */
class BenchCommandTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    @Test
    void ioJsonHasTheContractFieldsOnSmallData() throws IOException {
        // Given a 20 x 16 x 8 three-phase Deflate TIFF standing for both data files of the io benchmark
        Volume v = Volume.generate(20, 16, 8, (x, y, z) -> (x / 3 + y / 4 + z) % 3);
        Path tif = dir.resolve("small.tif");
        VolumeIO.write(v, tif, VolumeIO.WriteOptions.defaults());
        // When
        CliRunner.Result r = CliRunner.run("bench", "io", "--json", "--data", tif.toString());
        // Then the report has the DESIGN.md §5 shape, and every case ran in a child JVM that measured itself
        assertEquals(Main.OK, r.exitCode(), r::toString);
        JsonNode report = JSON.readTree(r.out());
        assertEquals("io", report.get("benchmark").asText());
        JsonNode machine = report.get("machine");
        assertTrue(machine.get("cores").asInt() >= 1, machine::toString);
        assertTrue(machine.get("memoryGiB").asDouble() > 0, machine::toString);
        assertTrue(machine.get("java").asText().startsWith(System.getProperty("java.version")), machine::toString);
        JsonNode cases = report.get("cases");
        assertEquals(List.of("read-tf500-zip", "read-nmc-tiff", "write-read-tf500"),
                List.of(cases.get(0).get("name").asText(), cases.get(1).get("name").asText(),
                        cases.get(2).get("name").asText()));
        for (JsonNode c : cases) {
            assertTrue(c.get("seconds").asDouble() > 0, c::toString);
            assertTrue(c.get("wallSeconds").asDouble() >= c.get("seconds").asDouble(), c::toString);
            assertTrue(c.get("peakRssMiB").asDouble() > 0, c::toString);
            assertTrue(c.get("heapPeakMiB").asDouble() > 0, c::toString);
            assertTrue(c.get("heapLimitMiB").asDouble() > 0, c::toString);
            assertEquals(v.voxelCount(), c.get("voxels").asLong(), c::toString);
        }
        JsonNode read = cases.get(0);
        assertTrue(read.get("heapLimitMiB").asDouble() <= 1024, read::toString);
        assertTrue(read.get("meetsTime").isBoolean() && read.get("meetsMemory").isBoolean(), read::toString);
        assertTrue(read.get("meetsMemory").asBoolean(), read::toString);
        assertTrue(read.get("mbPerSecond").asDouble() > 0, read::toString);
        long[] counts = v.labelCounts();
        for (int label = 0; label < 3; label++) {
            assertEquals(counts[label], read.get("labels").get(String.valueOf(label)).asLong(), read::toString);
        }
        JsonNode roundTrip = cases.get(2);
        assertTrue(roundTrip.get("identical").asBoolean(), roundTrip::toString);
        for (String format : new String[] {"tiff", "npy", "raw"}) {
            JsonNode f = roundTrip.get("formats").get(format);
            assertTrue(f.get("identical").asBoolean(), roundTrip::toString);
            assertTrue(f.get("writeSeconds").asDouble() > 0 && f.get("readSeconds").asDouble() > 0, f::toString);
            assertTrue(f.get("bytes").asLong() > 0, f::toString);
        }
    }

    @Test
    void unknownBenchmarkExitsTwoNamingTheBenchmarks() {
        CliRunner.Result r = CliRunner.run("bench", "nosuch", "--json");
        assertEquals(Main.BAD_INPUT, r.exitCode(), r::toString);
        // every registered benchmark is named, the first ones in registration order
        assertTrue(String.join(", ", dev.microforge.cli.bench.Benchmarks.names()).startsWith("io, tortuosity, "
                + "reconstruct"));
        assertEquals(List.of("microforge: unknown benchmark 'nosuch' (one of "
                + String.join(", ", dev.microforge.cli.bench.Benchmarks.names()) + ")"), r.errLines(), r::toString);
        assertEquals("", r.out());
    }

    @Test
    void missingDefaultDataExitsTwoWithTheDataHint() {
        String before = System.getProperty(BenchHarness.HOME_PROPERTY);
        System.setProperty(BenchHarness.HOME_PROPERTY, dir.toString());
        try {
            CliRunner.Result r = CliRunner.run("bench", "io");
            assertEquals(Main.BAD_INPUT, r.exitCode(), r::toString);
            assertEquals(1, r.errLines().size(), r::toString);
            String line = r.errLines().get(0);
            assertTrue(line.contains("TF-500x500x500-1x2x6-v3.tiff.zip") && line.contains("--data"), line);
            assertEquals("", r.out());
            // one case alone resolves the default data the same way (it read an empty list before)
            CliRunner.Result one = CliRunner.run("bench", "train", "--case", "nmc");
            assertEquals(Main.BAD_INPUT, one.exitCode(), one::toString);
            assertEquals(1, one.errLines().size(), one::toString);
            assertTrue(one.errLines().get(0).contains("nmc-1-cal_generatedCBD_bridge.tif")
                    && one.errLines().get(0).contains("--data"), one::toString);
        } finally {
            if (before == null) {
                System.clearProperty(BenchHarness.HOME_PROPERTY);
            } else {
                System.setProperty(BenchHarness.HOME_PROPERTY, before);
            }
        }
    }

    @Test
    void missingDataFileAndBadRepeatExitTwo() {
        String missing = dir.resolve("missing.tif").toString();
        CliRunner.Result r = CliRunner.run("bench", "io", "--data", missing);
        assertEquals(Main.BAD_INPUT, r.exitCode(), r::toString);
        assertEquals(List.of("microforge: " + missing + ": no such file (--data)"), r.errLines(), r::toString);
        CliRunner.Result repeat = CliRunner.run("bench", "io", "--repeat", "0", "--data", missing);
        assertEquals(Main.BAD_INPUT, repeat.exitCode(), repeat::toString);
        assertEquals(1, repeat.errLines().size(), repeat::toString);
        assertTrue(repeat.err().contains("--repeat"), repeat::toString);
    }

    @Test
    void aConfigThatIsNeitherJsonNorAFileIsOneLine() {
        CliRunner.Result r = CliRunner.run("bench", "train", "--case", "nmc", "--config", "no-such-config.json");
        assertEquals(Main.BAD_INPUT, r.exitCode(), r::toString);
        assertEquals(1, r.errLines().size(), r::toString);
        assertTrue(r.err().contains("no-such-config.json: --config is neither a JSON object nor a file"), r::toString);
    }

    @Test
    void helpListsBench() {
        CliRunner.Result r = CliRunner.run("--help");
        assertTrue(r.out().contains("bench"), r::toString);
        CliRunner.Result sub = CliRunner.run("bench", "--help");
        assertEquals(Main.OK, sub.exitCode(), sub::toString);
        assertTrue(sub.out().contains("--repeat") && sub.out().contains("--data"), sub::toString);
        // one case alone (what each child JVM runs) and a training configuration are user options
        assertTrue(sub.out().contains("--case") && sub.out().contains("--config"), sub::toString);
    }
}
