package dev.microforge.cli.bench;

import dev.microforge.datasets.Volume;
import dev.microforge.datasets.io.RawCodec;
import dev.microforge.datasets.io.VolumeIO;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.stream.Stream;

/**
 * {@code bench io}: reading and writing volumes. Cases: the 500³ TauFactor benchmark volume from its zip under a
 * 1 GiB heap (targets: at most 3 s, at most 1 GiB heap), the 256³ TauFactor NMC electrode TIFF (Deflate), and a
 * write plus read-back of the first volume as Deflate TIFF, {@code .npy} and raw, checked label for label.
 */
final class IoBenchmark implements Benchmark {
    static final String READ_ZIP = "read-tf500-zip";
    static final String READ_TIFF = "read-nmc-tiff";
    static final String ROUND_TRIP = "write-read-tf500";
    private static final double MB = 1e6;

    @Override
    public String name() {
        return "io";
    }

    @Override
    public String description() {
        return "read and write volumes: zipped TIFF, Deflate TIFF, .npy and raw";
    }

    @Override
    public List<DataInput> inputs() {
        return List.of(RealData.TF500, RealData.NMC256);
    }

    @Override
    public List<BenchCase> cases() {
        return List.of(
                new BenchCase(READ_ZIP, "read the 500^3 TauFactor benchmark volume from its zip (-Xmx1g)", 1024,
                        3.0, 1024),
                BenchCase.of(READ_TIFF, "read the 256^3 TauFactor NMC electrode TIFF (Deflate)", 512),
                BenchCase.of(ROUND_TRIP, "write and read back the 500^3 volume as Deflate TIFF, .npy and raw",
                        1024));
    }

    @Override
    public Map<String, Object> run(String caseName, List<Path> data) throws IOException {
        switch (caseName) {
            case READ_ZIP:
                return read(data.get(0));
            case READ_TIFF:
                return read(data.get(1));
            case ROUND_TRIP:
                return roundTrip(data.get(0));
            default:
                throw new IllegalArgumentException("benchmark io has no case '" + caseName + "'");
        }
    }

    /** Times one read; figures: seconds, file, fileBytes, nx, ny, nz, voxels, mbPerSecond, labels. */
    private static Map<String, Object> read(Path file) throws IOException {
        long t0 = System.nanoTime();
        Volume v = VolumeIO.read(file);
        double seconds = (System.nanoTime() - t0) / 1e9;
        Map<String, Object> f = new LinkedHashMap<>();
        f.put("seconds", seconds);
        f.put("file", file.toString());
        f.put("fileBytes", Files.size(file));
        f.put("nx", v.nx());
        f.put("ny", v.ny());
        f.put("nz", v.nz());
        f.put("voxels", v.voxelCount());
        f.put("mbPerSecond", v.voxelCount() / MB / seconds);
        f.put("labels", labels(v));
        return f;
    }

    /**
     * Writes the volume in each format to a fresh temporary folder and reads it back; {@code seconds} is the sum of
     * the writes and reads (the first read of the input is setup and not timed). The files are read back right
     * after they were written, so mostly from the page cache.
     */
    private static Map<String, Object> roundTrip(Path file) throws IOException {
        Volume v = VolumeIO.read(file);
        Path dir = Files.createTempDirectory("microforge-bench-io-");
        Map<String, Object> formats = new LinkedHashMap<>();
        double total = 0;
        boolean allIdentical = true;
        try {
            for (String ext : new String[] {"tif", "npy", "raw"}) {
                Path out = dir.resolve("volume." + ext);
                long t0 = System.nanoTime();
                VolumeIO.write(v, out, VolumeIO.WriteOptions.defaults());
                long t1 = System.nanoTime();
                Volume back = VolumeIO.read(out);
                long t2 = System.nanoTime();
                boolean identical = v.equals(back);
                back = null;
                List<Path> written = "raw".equals(ext) ? List.of(out, RawCodec.defaultSidecar(out)) : List.of(out);
                long bytes = 0;
                for (Path p : written) {
                    bytes += Files.size(p);
                }
                Map<String, Object> f = new LinkedHashMap<>();
                f.put("writeSeconds", (t1 - t0) / 1e9);
                f.put("readSeconds", (t2 - t1) / 1e9);
                f.put("bytes", bytes);
                f.put("identical", identical);
                formats.put("tif".equals(ext) ? "tiff" : ext, f);
                total += (t2 - t0) / 1e9;
                allIdentical &= identical;
                for (Path p : written) {
                    Files.delete(p);
                }
            }
        } finally {
            deleteTree(dir);
        }
        Map<String, Object> f = new LinkedHashMap<>();
        f.put("seconds", total);
        f.put("file", file.toString());
        f.put("nx", v.nx());
        f.put("ny", v.ny());
        f.put("nz", v.nz());
        f.put("voxels", v.voxelCount());
        f.put("identical", allIdentical);
        f.put("formats", formats);
        return f;
    }

    private static Map<String, Long> labels(Volume v) {
        SortedMap<Integer, Long> h = v.labelHistogram();
        Map<String, Long> out = new LinkedHashMap<>();
        h.forEach((label, count) -> out.put(String.valueOf(label), count));
        return out;
    }

    private static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
