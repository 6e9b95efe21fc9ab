package dev.microforge.cli.bench;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** The registry of benchmarks that {@code microforge bench NAME} knows, by name, in listing order. */
public final class Benchmarks {
    private static final Map<String, Benchmark> ALL = new LinkedHashMap<>();

    static {
        register(new IoBenchmark());
        register(new TortuosityBenchmark());
        register(new ReconstructBenchmark());
        register(new TrainBenchmark());
        register(new GenerateBenchmark());
        register(new BoBenchmark());
        register(new SurrogateBenchmark());
        register(new GramBenchmark());
    }

    private Benchmarks() {
    }

    private static void register(Benchmark b) {
        if (ALL.putIfAbsent(b.name(), b) != null) {
            throw new IllegalStateException("two benchmarks named " + b.name());
        }
    }

    /** The benchmark called {@code name}, if any. */
    public static Optional<Benchmark> find(String name) {
        return Optional.ofNullable(ALL.get(name));
    }

    /** Every name, in listing order. */
    public static Set<String> names() {
        return ALL.keySet();
    }

    /** Every benchmark, in listing order. */
    public static Iterable<Benchmark> all() {
        return ALL.values();
    }
}
