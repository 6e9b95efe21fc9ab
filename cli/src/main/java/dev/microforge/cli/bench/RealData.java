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

    /** NREL/MATBOX NMC cathode with generated CBD: 301 x 301 x 251 uint8 {0, 1, 2} (pore, NMC, CBD), 0.398 um. */
    static final Benchmark.DataInput NMC_NREL = new Benchmark.DataInput(
            "301x301x251 NREL NMC cathode with CBD (TIFF)",
            "datasets/src/test/resources/real/nrel-nmc-cbd-bridge/nmc-1-cal_generatedCBD_bridge.tif");
    /** SuperRes large 2D NMC slice: 1024² int8 {0, 1, 2} (pore, NMC, CBD), uncompressed TIFF. */
    static final Benchmark.DataInput NMC_SLICE = new Benchmark.DataInput(
            "1024^2 2D NMC slice, 3 phases (SuperRes large_slice_nmc.tif)",
            "datasets/src/test/resources/real/superres-nmc/large_slice_nmc.tif");
    /** SuperRes high-resolution 2D SOFC anode slice: 1024² int8 {0, 1, 2}, uncompressed TIFF. */
    static final Benchmark.DataInput SOFC_SLICE = new Benchmark.DataInput(
            "1024^2 2D SOFC anode slice, 3 phases (SuperRes SOFC_hr_input.tif)",
            "datasets/src/test/resources/real/superres-sofc/SOFC_hr_input.tif");

    private RealData() {
    }
}
