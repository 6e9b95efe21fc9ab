package dev.microforge.cli.bench;

/** The real volumes the benchmarks read by default, as copied into the repository's test resources. */
final class RealData {
    /** TauFactor 2 paper benchmark: 500³ uint8 {0, 255}, zipped uncompressed TIFF. */
    static final Benchmark.DataInput TF500 = new Benchmark.DataInput(
            "500^3 TauFactor benchmark volume (zipped TIFF)",
            "datasets/src/test/resources/real/taufactor-tf500-benchmark/TF-500x500x500-1x2x6-v3.tiff.zip");
    /** TauFactor's NMC electrode: 256³ uint8 {0, 85, 170} (pore, NMC, CBD), Deflate TIFF. */
    static final Benchmark.DataInput NMC256 = new Benchmark.DataInput(
            "256^3 TauFactor NMC electrode (Deflate TIFF)",
            "datasets/src/test/resources/real/taufactor-nmc-electrode/electrode.tiff");

    private RealData() {
    }
}
