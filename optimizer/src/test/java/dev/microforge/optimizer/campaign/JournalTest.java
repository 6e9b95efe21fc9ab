package dev.microforge.optimizer.campaign;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JournalTest {
    @TempDir
    Path dir;

    static JournalEntry entry(int i, double value) {
        Map<String, Double> p = new LinkedHashMap<>();
        p.put("solidFraction", 0.5 + i * 0.01);
        return new JournalEntry(i, i / 2, "bo", p, new double[] {0.25, 0.75}, "designs/eval-" + i + ".tif", "ok",
                null, new double[] {value, Double.NaN}, null, null, true, Double.NaN, 0.1, -3, 0, 0.5, 0.25,
                "2026-01-01T00:00:00Z");
    }

    @Test
    void entriesRoundTripIncludingNonFiniteValues() throws IOException {
        Path file = dir.resolve(Journal.FILE);
        try (Journal j = Journal.openForAppend(file, 0)) {
            j.append(entry(0, 1.5));
            j.append(entry(1, Double.POSITIVE_INFINITY));
        }
        Journal.Contents c = Journal.read(file);
        assertEquals(2, c.entries().size());
        assertFalse(c.tornTail());
        assertEquals(Files.size(file), c.validBytes());
        JournalEntry back = c.entries().get(1);
        assertEquals(Double.POSITIVE_INFINITY, back.values()[0]);
        assertTrue(Double.isNaN(back.values()[1]));
        assertTrue(Double.isNaN(back.predictedMean()));
        assertEquals(0.51, back.parameters().get("solidFraction"), 1e-15);
        assertArrayEquals(new double[] {0.25, 0.75}, back.unit());
        assertEquals(2, Files.readAllLines(file).size());
    }

    @Test
    void aTornLastLineIsIgnoredAndCutOffBeforeTheNextAppend() throws IOException {
        Path file = dir.resolve(Journal.FILE);
        try (Journal j = Journal.openForAppend(file, 0)) {
            j.append(entry(0, 1.5));
        }
        long complete = Files.size(file);
        byte[] next = Journal.line(entry(1, 2.5));
        Files.write(file, java.util.Arrays.copyOf(next, next.length / 2), StandardOpenOption.APPEND);
        Journal.Contents c = Journal.read(file);
        assertEquals(1, c.entries().size());
        assertTrue(c.tornTail());
        assertEquals(complete, c.validBytes());
        try (Journal j = Journal.openForAppend(file, c.validBytes())) {
            j.append(entry(1, 2.5));
        }
        Journal.Contents again = Journal.read(file);
        assertEquals(2, again.entries().size());
        assertFalse(again.tornTail());
        assertEquals(2.5, again.entries().get(1).values()[0]);
    }

    @Test
    void aDamagedOrOutOfOrderLineIsAnError() throws IOException {
        Path file = dir.resolve(Journal.FILE);
        Files.write(file, Journal.line(entry(0, 1)));
        Files.write(file, "garbage\n".getBytes(StandardCharsets.UTF_8), StandardOpenOption.APPEND);
        IOException e = assertThrows(IOException.class, () -> Journal.read(file));
        assertTrue(e.getMessage().contains("line 2"), e.getMessage());
        Files.write(file, Journal.line(entry(0, 1)));
        Files.write(file, Journal.line(entry(2, 1)), StandardOpenOption.APPEND);
        e = assertThrows(IOException.class, () -> Journal.read(file));
        assertTrue(e.getMessage().contains("evaluation 2, expected 1"), e.getMessage());
        assertEquals(0, Journal.read(dir.resolve("missing.jsonl")).entries().size());
    }
}
