package dev.microforge.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Progress without a terminal: silent for short tasks, then at most one line every few seconds. */
class ConsoleProgressTest {
    private long now;

    private List<String> drive(long[] times, long total) {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        try (ConsoleProgress p = new ConsoleProgress(new PrintStream(err, true, StandardCharsets.UTF_8), false,
                () -> now)) {
            for (int i = 0; i < times.length; i++) {
                now = times[i];
                p.progress("reading v.tif", i + 1, total);
            }
        }
        return err.toString(StandardCharsets.UTF_8).lines().toList();
    }

    @Test
    void shortTasksPrintNothing() {
        assertEquals(List.of(), drive(new long[] {0, 100_000_000L, 900_000_000L}, 3));
    }

    @Test
    void longTasksLogAtMostEveryFewSeconds() {
        // 21 pages, one every half second: 10 s in all
        long[] times = new long[21];
        for (int i = 0; i < times.length; i++) {
            times[i] = i * 500_000_000L;
        }
        List<String> lines = drive(times, 21);
        // first line after 1 s, then at 6 s, then the final one at 10 s
        assertEquals(3, lines.size(), lines::toString);
        assertTrue(lines.get(0).startsWith("microforge: reading v.tif: 3/21"), lines::toString);
        assertTrue(lines.get(2).contains("21/21 (100%)"), lines::toString);
    }
}
