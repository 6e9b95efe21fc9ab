package dev.microforge.cli.bench;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.microforge.datasets.io.ProgressListener;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalDouble;

/**
 * Runs the cases of a {@link Benchmark}, each in a child JVM: the same {@code java} binary and class path as this
 * one, the offline flags of the launcher, and the case's {@code -Xmx}. The child is this program again
 * ({@code microforge bench NAME --case CASE --data FILE...}); it runs the case with {@link #runCase} and prints its
 * figures as one JSON line on stdout. The parent times the child, collects the figures and checks the targets.
 */
public final class BenchHarness {
    /** System property with the repository root, set by the launcher; the default data lie under it. */
    public static final String HOME_PROPERTY = "microforge.home";
    /** The command-line option that makes {@code bench} run one case in this JVM (the child side). */
    public static final String CASE_OPTION = "--case";

    private static final ObjectMapper MAPPER = new ObjectMapper();
    /** The main class of the child: the program itself. */
    private static final String MAIN_CLASS = "dev.microforge.cli.Main";
    /** System properties passed on to the child when set here. */
    /** The training budget in minutes that {@code bench --minutes} hands to the cases of benchmarks that train. */
    public static final String MINUTES_PROPERTY = "microforge.bench.minutes";
    /** A JSON configuration that {@code bench --config} lays over the defaults of benchmarks that train. */
    public static final String CONFIG_PROPERTY = "microforge.bench.config";
    private static final List<String> PASSED_PROPERTIES = List.of(HOME_PROPERTY, "jna.tmpdir", "java.io.tmpdir",
            MINUTES_PROPERTY, CONFIG_PROPERTY);
    /** How much of a child's stderr is kept for the error message. */
    private static final int STDERR_KEEP = 64 * 1024;

    private BenchHarness() {
    }

    /**
     * The data files of {@code benchmark}: {@code given} in {@link Benchmark#inputs()} order, where a shorter list
     * repeats its last file for the remaining inputs (so that one small file can stand for all); the defaults under
     * {@code home} when nothing is given.
     *
     * @param home the repository root, or null when unknown (then the working folder is tried)
     * @throws IllegalArgumentException a one-line message naming the missing file and {@code --data}
     */
    public static List<Path> resolveData(Benchmark benchmark, List<Path> given, String home) {
        List<Benchmark.DataInput> inputs = benchmark.inputs();
        List<Path> files = new ArrayList<>();
        if (given != null && !given.isEmpty()) {
            if (given.size() > inputs.size()) {
                throw new IllegalArgumentException(String.format(Locale.ROOT,
                        "bench %s reads %d data file(s) but --data names %d", benchmark.name(), inputs.size(),
                        given.size()));
            }
            for (int i = 0; i < inputs.size(); i++) {
                Path file = given.get(Math.min(i, given.size() - 1)).toAbsolutePath().normalize();
                if (!Files.isRegularFile(file)) {
                    throw new IllegalArgumentException(file + ": no such file (--data)");
                }
                files.add(file);
            }
            return files;
        }
        Path root = Path.of(home != null && !home.isBlank() ? home : System.getProperty("user.dir"));
        for (Benchmark.DataInput input : inputs) {
            Path file = root.resolve(input.defaultPath()).toAbsolutePath().normalize();
            if (!Files.isRegularFile(file)) {
                throw new IllegalArgumentException(String.format(Locale.ROOT,
                        "bench %s: data not found: %s (%s)%s; pass it with --data FILE...", benchmark.name(), file,
                        input.name(), home == null ? " and -D" + HOME_PROPERTY + " is not set" : ""));
            }
            files.add(file);
        }
        return files;
    }

    /**
     * The child side: runs one case in this JVM and returns its figures with the memory figures of this process
     * ({@code peakRssMiB}, {@code heapPeakMiB}, {@code heapLimitMiB}) after {@code seconds}.
     */
    public static Map<String, Object> runCase(Benchmark benchmark, String caseName, List<Path> data)
            throws Exception {
        if (benchmark.cases().stream().noneMatch(c -> c.name().equals(caseName))) {
            throw new IllegalArgumentException("benchmark " + benchmark.name() + " has no case '" + caseName + "'");
        }
        long t0 = System.nanoTime();
        Map<String, Object> figures = benchmark.run(caseName, data);
        double elapsed = (System.nanoTime() - t0) / 1e9;
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("seconds", figures.getOrDefault("seconds", elapsed));
        OptionalDouble rss = ProcessMemory.peakRssMiB();
        out.put("peakRssMiB", rss.isPresent() ? rss.getAsDouble() : null);
        out.put("heapPeakMiB", ProcessMemory.heapPeakMiB());
        out.put("heapLimitMiB", ProcessMemory.heapLimitMiB());
        figures.forEach(out::putIfAbsent);
        return round(out);
    }

    /** {@code figures} as one line of JSON, as the child prints it. */
    public static String jsonLine(Map<String, Object> figures) {
        try {
            return MAPPER.writeValueAsString(figures);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write figures as JSON: " + e.getOriginalMessage(), e);
        }
    }

    /**
     * The parent side: runs every case of {@code benchmark} {@code repeat} times, each run in a fresh child JVM, and
     * reports the median seconds, the largest memory figures and the figures of the last run.
     *
     * @param data the files of {@link #resolveData}
     * @param progress receives one step per child run
     */
    public static BenchReport run(Benchmark benchmark, List<Path> data, int repeat, ProgressListener progress)
            throws IOException, InterruptedException {
        if (repeat < 1) {
            throw new IllegalArgumentException("--repeat must be at least 1, not " + repeat);
        }
        List<Benchmark.BenchCase> cases = benchmark.cases();
        String task = "bench " + benchmark.name();
        long total = (long) cases.size() * repeat;
        long done = 0;
        progress.progress(task, done, total);
        String date = OffsetDateTime.now(ZoneOffset.UTC).truncatedTo(ChronoUnit.SECONDS)
                .format(DateTimeFormatter.ISO_OFFSET_DATE_TIME);
        List<Map<String, Object>> results = new ArrayList<>();
        for (Benchmark.BenchCase c : cases) {
            List<ChildRun> runs = new ArrayList<>();
            for (int k = 0; k < repeat; k++) {
                ChildRun r = runChild(benchmark, c, data);
                runs.add(r);
                progress.progress(task, ++done, total);
                if (r.error() != null) {
                    break;
                }
            }
            results.add(summarise(c, runs));
        }
        return new BenchReport(benchmark.name(), benchmark.description(), date, MachineInfo.current(), repeat,
                results);
    }

    /**
     * One child run: the figures it printed and its wall time, or its exit code and error line.
     *
     * @param figures the child's JSON line, or null when it failed
     * @param wallSeconds from start to exit of the child JVM, start-up included
     * @param exitCode the child's exit code
     * @param error the last line the child printed on stderr when it failed, else null
     */
    record ChildRun(Map<String, Object> figures, double wallSeconds, int exitCode, String error) {
    }

    /** The command line of the child that runs case {@code c}. */
    static List<String> childCommand(Benchmark benchmark, Benchmark.BenchCase c, List<Path> data) {
        String java = ProcessHandle.current().info().command()
                .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        List<String> cmd = new ArrayList<>(List.of(java, "-Xmx" + c.heapMiB() + "m", "-XX:+UseTransparentHugePages",
                "-cp", System.getProperty("java.class.path"),
                "-Dai.djl.offline=true", "-Djava.awt.headless=true"));
        for (String property : PASSED_PROPERTIES) {
            String value = System.getProperty(property);
            if (value != null) {
                cmd.add("-D" + property + "=" + value);
            }
        }
        cmd.addAll(List.of(MAIN_CLASS, "bench", benchmark.name(), CASE_OPTION, c.name()));
        for (Path file : data) {
            cmd.add("--data");
            cmd.add(file.toString());
        }
        return cmd;
    }

    private static ChildRun runChild(Benchmark benchmark, Benchmark.BenchCase c, List<Path> data)
            throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(childCommand(benchmark, c, data));
        pb.environment().put("DJL_OFFLINE", "true");
        pb.environment().put("OPT_OUT_TRACKING", "true");
        long t0 = System.nanoTime();
        Process p = pb.start();
        p.getOutputStream().close();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        Thread errReader = new Thread(() -> drain(p.getErrorStream(), err), "bench-stderr");
        errReader.setDaemon(true);
        errReader.start();
        byte[] out;
        try {
            out = p.getInputStream().readAllBytes();
            p.waitFor();
        } finally {
            p.destroyForcibly();
        }
        double wall = (System.nanoTime() - t0) / 1e9;
        errReader.join(5_000);
        String stderr;
        synchronized (err) {
            stderr = err.toString(StandardCharsets.UTF_8);
        }
        int code = p.exitValue();
        if (code != 0) {
            return new ChildRun(null, wall, code, lastLine(stderr, "child JVM exited with code " + code));
        }
        String line = lastLine(new String(out, StandardCharsets.UTF_8), null);
        if (line == null || !line.startsWith("{")) {
            return new ChildRun(null, wall, 1, "child JVM printed no figures" + (stderr.isBlank() ? ""
                    : ": " + lastLine(stderr, "")));
        }
        Map<String, Object> figures = MAPPER.readValue(line, new TypeReference<LinkedHashMap<String, Object>>() { });
        return new ChildRun(figures, wall, 0, null);
    }

    private static void drain(InputStream in, ByteArrayOutputStream sink) {
        byte[] buf = new byte[8192];
        try (in) {
            int n;
            while ((n = in.read(buf)) >= 0) {
                synchronized (sink) {
                    if (sink.size() > STDERR_KEEP) {
                        byte[] tail = sink.toByteArray();
                        sink.reset();
                        sink.write(tail, tail.length - STDERR_KEEP / 2, STDERR_KEEP / 2);
                    }
                    sink.write(buf, 0, n);
                }
            }
        } catch (IOException e) {
            // the child is gone; what was read is kept
        }
    }

    private static String lastLine(String text, String fallback) {
        List<String> lines = text.lines().map(String::strip).filter(l -> !l.isEmpty()).toList();
        if (lines.isEmpty()) {
            return fallback;
        }
        String last = lines.get(lines.size() - 1);
        return last.startsWith("microforge: ") ? last.substring("microforge: ".length()) : last;
    }

    /** One case's entry of the report: name, seconds, wallSeconds, memory, the figures, then the targets. */
    static Map<String, Object> summarise(Benchmark.BenchCase c, List<ChildRun> runs) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("name", c.name());
        ChildRun failed = runs.stream().filter(r -> r.error() != null).findFirst().orElse(null);
        List<ChildRun> ok = runs.stream().filter(r -> r.error() == null).toList();
        boolean completed = failed == null && !ok.isEmpty();
        Double seconds = completed ? median(ok.stream().map(r -> number(r.figures().get("seconds"))).toList())
                : null;
        Double heapPeak = completed ? max(ok, "heapPeakMiB") : null;
        out.put("seconds", seconds);
        out.put("wallSeconds", median(runs.stream().map(ChildRun::wallSeconds).toList()));
        out.put("peakRssMiB", completed ? max(ok, "peakRssMiB") : null);
        out.put("heapPeakMiB", heapPeak);
        out.put("heapLimitMiB", completed ? number(ok.get(ok.size() - 1).figures().get("heapLimitMiB"))
                : (double) c.heapMiB());
        if (runs.size() > 1) {
            out.put("runs", runs.size());
            out.put("secondsRuns", ok.stream().map(r -> r.figures().get("seconds")).toList());
        }
        if (completed) {
            ok.get(ok.size() - 1).figures().forEach(out::putIfAbsent);
        } else {
            out.put("error", failed.error());
            out.put("exitCode", failed.exitCode());
        }
        if (c.targetSeconds() != null) {
            out.put("targetSeconds", c.targetSeconds());
            out.put("meetsTime", seconds != null && seconds <= c.targetSeconds());
        }
        if (c.targetHeapMiB() != null) {
            out.put("targetHeapMiB", c.targetHeapMiB());
            out.put("meetsMemory", completed && heapPeak != null && heapPeak <= c.targetHeapMiB()
                    && c.heapMiB() <= c.targetHeapMiB());
        }
        return round(out);
    }

    private static Double max(List<ChildRun> runs, String key) {
        Double best = null;
        for (ChildRun r : runs) {
            Double v = number(r.figures().get(key));
            if (v != null && (best == null || v > best)) {
                best = v;
            }
        }
        return best;
    }

    private static Double median(List<Double> values) {
        List<Double> v = values.stream().filter(x -> x != null).sorted().toList();
        if (v.isEmpty()) {
            return null;
        }
        int n = v.size();
        return n % 2 == 1 ? v.get(n / 2) : (v.get(n / 2 - 1) + v.get(n / 2)) / 2;
    }

    private static Double number(Object o) {
        return o instanceof Number ? ((Number) o).doubleValue() : null;
    }

    /**
     * Rounds every double (nested ones too) so that reports read well: MiB to one decimal, anything else (seconds,
     * rates, tau, tolerances) to six significant digits, so that small values and convergence studies keep
     * their information.
     */
    static <T> T round(T value) {
        return round(value, "");
    }

    @SuppressWarnings("unchecked")
    private static <T> T round(T value, String key) {
        if (value instanceof Double) {
            double d = (Double) value;
            if (!Double.isFinite(d) || d == 0) {
                return value;
            }
            if (key.endsWith("MiB")) {
                return (T) Double.valueOf(Math.round(d * 10) / 10.0);
            }
            return (T) Double.valueOf(new java.math.BigDecimal(d).round(new java.math.MathContext(6)).doubleValue());
        }
        if (value instanceof Map) {
            Map<String, Object> out = new LinkedHashMap<>();
            ((Map<String, Object>) value).forEach((k, v) -> out.put(k, round(v, k)));
            return (T) out;
        }
        if (value instanceof List) {
            List<Object> out = new ArrayList<>();
            for (Object o : (List<Object>) value) {
                out.add(round(o, key));
            }
            return (T) out;
        }
        return value;
    }
}
