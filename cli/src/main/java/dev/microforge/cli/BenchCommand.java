package dev.microforge.cli;

import dev.microforge.cli.bench.BenchHarness;
import dev.microforge.cli.bench.BenchReport;
import dev.microforge.cli.bench.Benchmark;
import dev.microforge.cli.bench.Benchmarks;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/**
 * {@code microforge bench NAME}: runs a named benchmark, each case in a child JVM with its own heap limit, and prints
 * a table or ({@code --json}) the report of DESIGN.md §5. With the hidden {@code --case CASE} it is that child: it
 * runs one case and prints its figures as one JSON line.
 */
@Command(name = "bench", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Run a speed and memory benchmark; each case runs in a child JVM with its own -Xmx.",
                "Benchmarks: io (read the 500^3 TauFactor zip under -Xmx1g, target <= 3 s; read the 256^3 NMC "
                        + "electrode TIFF; write and read back TIFF, .npy and raw)."},
        footer = {"", "Default data lie under the repository's datasets/src/test/resources/real (the launcher passes "
                + "-Dmicroforge.home); --data FILE... replaces them in order, the last file standing for any left."})
final class BenchCommand implements Callable<Integer> {
    @ParentCommand
    MicroforgeCommand parent;

    @Parameters(index = "0", paramLabel = "NAME", description = "The benchmark (io).")
    String name;

    @Option(names = "--json", description = "Print the report as JSON on stdout.")
    boolean json;

    @Option(names = "--data", paramLabel = "FILE", arity = "1..*",
            description = "Data files instead of the defaults, in the benchmark's order.")
    List<Path> data = new ArrayList<>();

    @Option(names = "--repeat", paramLabel = "K", defaultValue = "1",
            description = "Run each case K times (fresh JVM each) and report the median seconds (default: 1).")
    int repeat;

    @Option(names = "--minutes", paramLabel = "M",
            description = "Training budget in minutes for benchmarks that train (train; default 5).")
    Double minutes;

    @Option(names = "--config", paramLabel = "JSON",
            description = "Training configuration keys over the defaults, as a JSON object or a file holding one, for "
                    + "benchmarks that train (train: those of `train gan` for nmc, `train slicegan` for slicegan).")
    String config;

    @Option(names = BenchHarness.CASE_OPTION, paramLabel = "CASE",
            description = "Run only this case, in this JVM, and print its figures as one JSON line (what each child "
                    + "JVM of a whole benchmark runs).")
    String childCase;

    @Override
    public Integer call() throws Exception {
        CliContext context = parent.context();
        Benchmark benchmark = Benchmarks.find(name).orElseThrow(() -> new IllegalArgumentException(
                "unknown benchmark '" + name + "' (one of " + String.join(", ", Benchmarks.names()) + ")"));
        if (config != null) {
            System.setProperty(BenchHarness.CONFIG_PROPERTY, ConfigArgument.read(config).text().replace('\n', ' '));
        }
        if (minutes != null) {
            if (!(minutes > 0 && Double.isFinite(minutes))) {
                throw new IllegalArgumentException("--minutes must be a positive number, got " + minutes);
            }
            System.setProperty(BenchHarness.MINUTES_PROPERTY, String.valueOf(minutes));
        }
        if (childCase != null) {
            Map<String, Object> figures = BenchHarness.runCase(benchmark, childCase, files(benchmark));
            context.out().println(BenchHarness.jsonLine(figures));
            context.out().flush();
            return Main.OK;
        }
        if (repeat < 1) {
            throw new IllegalArgumentException("--repeat must be at least 1, not " + repeat);
        }
        BenchReport report = BenchHarness.run(benchmark, files(benchmark), repeat, context.progress());
        context.closeProgress();
        if (json) {
            Json.print(context.out(), report);
        } else {
            report.printText(context.out());
        }
        List<Map<String, Object>> failures = report.failures();
        if (failures.isEmpty()) {
            return Main.OK;
        }
        Map<String, Object> first = failures.get(0);
        context.err().println("microforge: bench " + name + ": " + failures.size() + " of " + report.cases().size()
                + " case(s) failed; " + first.get("name") + ": " + first.get("error"));
        context.err().flush();
        return Integer.valueOf(Main.BAD_INPUT).equals(first.get("exitCode")) ? Main.BAD_INPUT : Main.INTERNAL_ERROR;
    }

    /** The data files: {@code --data}, or the benchmark's defaults under the repository. */
    private List<Path> files(Benchmark benchmark) {
        return BenchHarness.resolveData(benchmark, data, System.getProperty(BenchHarness.HOME_PROPERTY));
    }
}
