package dev.microforge.cli.bench;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * One named benchmark of {@code microforge bench NAME}: a list of cases, each run by the harness in a child JVM of
 * its own with the case's heap limit, so that a memory figure is a real limit and not what is left over from an
 * earlier case. Add a benchmark by implementing this interface and listing it in {@link Benchmarks}.
 *
 * <p>The harness ({@link BenchHarness}) resolves the data files, starts one child per case (and per repeat), and in
 * the child calls {@link #run} and prints the figures it returns as one JSON line, adding the child's peak RSS and
 * heap figures. The parent adds the child's wall time and checks the case's targets.
 */
public interface Benchmark {
    /** The NAME on the command line, lower case, e.g. {@code io}. */
    String name();

    /** One line for the help and the human report. */
    String description();

    /**
     * The data files the cases read, in the order of {@code --data FILE...}; each has a default under the
     * repository root. Empty when the benchmark generates its own data.
     */
    List<DataInput> inputs();

    /** The cases, in the order they run and are reported. */
    List<BenchCase> cases();

    /**
     * Runs {@code caseName} in this JVM (the child) and returns its figures, in report order. The map must hold
     * {@code "seconds"}: the time of the measured work alone (setup excluded). Values are numbers, booleans,
     * strings, lists or maps, written to JSON as they are.
     *
     * @param data one path per {@link #inputs()} entry, existing files
     * @throws IllegalArgumentException for a case name this benchmark does not have
     */
    Map<String, Object> run(String caseName, List<Path> data) throws Exception;

    /**
     * A data file a benchmark reads.
     *
     * @param name what it is, for messages (e.g. "500^3 TauFactor benchmark volume")
     * @param defaultPath where it lies relative to the repository root ({@code microforge.home})
     */
    record DataInput(String name, String defaultPath) {
    }

    /**
     * One case.
     *
     * @param name identifier, unique within the benchmark (e.g. {@code read-tf500-zip})
     * @param description one line saying what is measured
     * @param heapMiB the child JVM's {@code -Xmx}, in MiB
     * @param targetSeconds the case meets its time target when {@code seconds <= targetSeconds}; null for none
     * @param targetHeapMiB the case meets its memory target when it completes within {@code -Xmx} and its heap peak
     *     is at most this; null for none
     */
    record BenchCase(String name, String description, int heapMiB, Double targetSeconds, Integer targetHeapMiB) {
        public BenchCase {
            if (heapMiB < 16) {
                throw new IllegalArgumentException("heap of case " + name + " too small: " + heapMiB + " MiB");
            }
        }

        /** A case without targets. */
        public static BenchCase of(String name, String description, int heapMiB) {
            return new BenchCase(name, description, heapMiB, null, null);
        }
    }
}
