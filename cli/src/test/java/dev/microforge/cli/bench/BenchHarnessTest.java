package dev.microforge.cli.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The harness without child JVMs: data resolution, summaries of runs, targets and the text report. */
class BenchHarnessTest {
    private static final Benchmark.BenchCase TIMED =
            new Benchmark.BenchCase("timed", "a case with targets", 256, 1.0, 256);

    @TempDir
    Path dir;

    private static BenchHarness.ChildRun run(double seconds, double rss, double heap) {
        Map<String, Object> f = new LinkedHashMap<>();
        f.put("seconds", seconds);
        f.put("peakRssMiB", rss);
        f.put("heapPeakMiB", heap);
        f.put("heapLimitMiB", 256.0);
        f.put("voxels", 1000);
        return new BenchHarness.ChildRun(f, seconds + 0.5, 0, null);
    }

    @Test
    void repeatsReportTheMedianSecondsAndTheLargestMemory() {
        Map<String, Object> c = BenchHarness.summarise(TIMED,
                List.of(run(1.5, 100, 50), run(0.5, 120, 40), run(0.9, 110, 300)));
        assertEquals("timed", c.get("name"));
        assertEquals(0.9, c.get("seconds"));
        assertEquals(1.4, c.get("wallSeconds"));
        assertEquals(120.0, c.get("peakRssMiB"));
        assertEquals(300.0, c.get("heapPeakMiB"));
        assertEquals(3, c.get("runs"));
        assertEquals(1000, c.get("voxels"));
        assertEquals(true, c.get("meetsTime"));
        assertEquals(false, c.get("meetsMemory"), "a heap peak over the target misses it");
        assertEquals(List.of("name", "seconds", "wallSeconds", "peakRssMiB", "heapPeakMiB", "heapLimitMiB"),
                List.copyOf(c.keySet()).subList(0, 6));
    }

    @Test
    void aFailedRunMissesItsTargetsAndSaysWhy() {
        Map<String, Object> c = BenchHarness.summarise(TIMED, List.of(new BenchHarness.ChildRun(null, 2.0, 1,
                "internal error: out of memory (Java heap space)")));
        assertEquals(null, c.get("seconds"));
        assertEquals(false, c.get("meetsTime"));
        assertEquals(false, c.get("meetsMemory"));
        assertTrue(String.valueOf(c.get("error")).contains("out of memory"), c::toString);
        BenchReport report = new BenchReport("x", "test", "2026-01-01T00:00:00Z", MachineInfo.current(), 1,
                List.of(c, BenchHarness.summarise(TIMED, List.of(run(0.5, 100, 50)))));
        assertEquals(1, report.failures().size());
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        report.printText(new PrintStream(out, true, StandardCharsets.UTF_8));
        String text = out.toString(StandardCharsets.UTF_8);
        assertTrue(text.contains("FAILED") && text.contains("time ok (<= 1 s)") && text.contains("time MISSED"), text);
    }

    @Test
    void oneDataFileStandsForAllAndDefaultsLieUnderHome() throws IOException {
        Benchmark io = Benchmarks.find("io").orElseThrow();
        Path a = Files.writeString(dir.resolve("a.tif"), "x");
        assertEquals(List.of(a, a), BenchHarness.resolveData(io, List.of(a), null));
        assertThrows(IllegalArgumentException.class, () -> BenchHarness.resolveData(io, List.of(a, a, a), null));
        for (Benchmark.DataInput input : io.inputs()) {
            Path file = dir.resolve(input.defaultPath());
            Files.createDirectories(file.getParent());
            Files.writeString(file, "x");
        }
        List<Path> defaults = BenchHarness.resolveData(io, List.of(), dir.toString());
        assertEquals(2, defaults.size());
        assertTrue(defaults.get(0).toString().endsWith("TF-500x500x500-1x2x6-v3.tiff.zip"));
    }

    @Test
    void theChildRunsTheSameJavaOfflineWithTheCaseHeap() {
        Benchmark io = Benchmarks.find("io").orElseThrow();
        List<String> cmd = BenchHarness.childCommand(io, io.cases().get(0), List.of(Path.of("/d/a.zip")));
        assertTrue(cmd.contains("-Xmx1024m") && cmd.contains("-Dai.djl.offline=true")
                && cmd.contains("-Djava.awt.headless=true"), cmd::toString);
        assertEquals(System.getProperty("java.class.path"), cmd.get(cmd.indexOf("-cp") + 1));
        assertEquals(List.of("dev.microforge.cli.Main", "bench", "io", "--case", "read-tf500-zip", "--data",
                "/d/a.zip"), cmd.subList(cmd.size() - 7, cmd.size()));
        assertFalse(cmd.stream().anyMatch(s -> s.contains("MaxRAMPercentage")), cmd::toString);
    }
}
