package dev.microforge.cli.bench;

import com.fasterxml.jackson.annotation.JsonIgnore;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The result of {@code microforge bench NAME}; its JSON is {@code bench NAME --json}:
 * {@code {"benchmark", "description", "date", "machine": {"cores", "memoryGiB", "java", "cpu", "os"}, "repeat",
 * "cases": [{"name", "seconds", "wallSeconds", "peakRssMiB", "heapPeakMiB", "heapLimitMiB", ...figures}]}}.
 *
 * @param date when the run started, ISO 8601 in UTC
 * @param cases one map per case, in run order (see {@link BenchHarness#summarise})
 */
public record BenchReport(String benchmark, String description, String date, MachineInfo machine, int repeat,
        List<Map<String, Object>> cases) {
    /** Columns of the table; every other figure is listed under it. */
    private static final Set<String> COLUMNS = Set.of("name", "seconds", "wallSeconds", "peakRssMiB", "heapPeakMiB",
            "heapLimitMiB", "meetsTime", "meetsMemory", "targetSeconds", "targetHeapMiB", "error", "exitCode");

    /** The cases that did not complete. */
    @JsonIgnore
    public List<Map<String, Object>> failures() {
        return cases.stream().filter(c -> c.containsKey("error")).toList();
    }

    /** The human report: a header, a table with one row per case, then each case's other figures. */
    public void printText(PrintStream out) {
        out.printf(Locale.ROOT, "bench %s: %s%n", benchmark, description);
        out.printf(Locale.ROOT, "machine  %d cores, %s GiB, %s%sJava %s, %s%n", machine.cores(),
                machine.memoryGiB() == null ? "?" : format(machine.memoryGiB()),
                machine.cpu() == null ? "" : machine.cpu(), machine.cpu() == null ? "" : ", ", machine.java(),
                machine.os());
        out.printf(Locale.ROOT, "date     %s%s%n", date, repeat > 1 ? ", median of " + repeat + " runs" : "");
        out.println();
        int width = Math.max(4, cases.stream().mapToInt(c -> String.valueOf(c.get("name")).length()).max().orElse(4));
        out.printf(Locale.ROOT, "%-" + width + "s  %9s  %8s  %9s  %9s  %9s  %s%n", "case", "seconds", "wall s",
                "RSS MiB", "heap MiB", "Xmx MiB", "targets");
        for (Map<String, Object> c : cases) {
            out.printf(Locale.ROOT, "%-" + width + "s  %9s  %8s  %9s  %9s  %9s  %s%n", c.get("name"),
                    cell(c.get("seconds"), "%.3f"), cell(c.get("wallSeconds"), "%.2f"),
                    cell(c.get("peakRssMiB"), "%.0f"), cell(c.get("heapPeakMiB"), "%.0f"),
                    cell(c.get("heapLimitMiB"), "%.0f"), targets(c));
        }
        out.println();
        for (Map<String, Object> c : cases) {
            List<String> details = new ArrayList<>();
            if (c.containsKey("error")) {
                details.add("FAILED (exit " + c.get("exitCode") + "): " + c.get("error"));
            }
            for (Map.Entry<String, Object> e : c.entrySet()) {
                if (!COLUMNS.contains(e.getKey())) {
                    flatten(e.getKey(), e.getValue(), details);
                }
            }
            out.printf(Locale.ROOT, "%s:%n", c.get("name"));
            for (String d : details) {
                out.println("  " + d);
            }
        }
        out.println();
        out.println("seconds: the measured work inside the child JVM; wall s: the child JVM from start to exit; "
                + "RSS: peak resident set (VmHWM); heap: sum of the heap pools' peaks (an upper bound).");
        out.flush();
    }

    private static String targets(Map<String, Object> c) {
        List<String> parts = new ArrayList<>();
        if (c.containsKey("meetsTime")) {
            parts.add("time " + (Boolean.TRUE.equals(c.get("meetsTime")) ? "ok" : "MISSED") + " (<= "
                    + format(c.get("targetSeconds")) + " s)");
        }
        if (c.containsKey("meetsMemory")) {
            parts.add("memory " + (Boolean.TRUE.equals(c.get("meetsMemory")) ? "ok" : "MISSED") + " (<= "
                    + format(c.get("targetHeapMiB")) + " MiB heap)");
        }
        if (c.containsKey("error")) {
            parts.add("FAILED");
        }
        return parts.isEmpty() ? "-" : String.join(", ", parts);
    }

    @SuppressWarnings("unchecked")
    private static void flatten(String key, Object value, List<String> into) {
        if (value instanceof Map && !((Map<?, ?>) value).isEmpty()
                && ((Map<String, Object>) value).values().stream().anyMatch(v -> v instanceof Map)) {
            ((Map<String, Object>) value).forEach((k, v) -> flatten(key + "." + k, v, into));
        } else {
            into.add(key + " " + format(value));
        }
    }

    private static String cell(Object value, String pattern) {
        return value instanceof Number ? String.format(Locale.ROOT, pattern, ((Number) value).doubleValue()) : "-";
    }

    private static String format(Object value) {
        if (value instanceof Double || value instanceof Float) {
            double d = ((Number) value).doubleValue();
            return d == Math.rint(d) && Math.abs(d) < 1e15 ? String.valueOf((long) d)
                    : String.format(Locale.ROOT, "%.4g", d);
        }
        return String.valueOf(value);
    }
}
