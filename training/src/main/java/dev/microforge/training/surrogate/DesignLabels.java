package dev.microforge.training.surrogate;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.microforge.datasets.Volume;
import dev.microforge.datasets.io.AtomicFile;
import dev.microforge.datasets.io.VolumeIO;
import dev.microforge.evaluator.properties.ElectrodeProperties;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Labels a folder of electrode designs with the physics evaluator ({@link ElectrodeProperties}) and caches one
 * record per design on disk, so that a second run (or a run after Ctrl-C or a crash) computes only what is missing.
 *
 * <p>Designs are the volume files directly inside the folder ({@code .tif}, {@code .tiff}, {@code .npy},
 * {@code .raw}, {@code .vtk}; hidden files skipped), in name order: whatever made them — {@code dataset synth},
 * {@code dataset designs}, {@code reconstruct}, a trained generative model. The record of {@code DIR/NAME} is
 * {@code DIR/labels/NAME.json}, written through a temporary file and renamed, holding the property values (JSON
 * {@code null} where a property is undefined, e.g. the tortuosity of a phase that does not percolate), the size
 * and modification time of the design file it was computed from, and the seconds it took. A record is reused
 * when its version, property names, and the design's size and modification time still match; otherwise the design
 * is labelled again.
 */
public final class DesignLabels {
    /** Sub-folder of the design folder holding the records. */
    public static final String LABEL_FOLDER = "labels";
    /** Version of the record layout. */
    public static final int RECORD_VERSION = 1;
    private static final List<String> EXTENSIONS = List.of(".tif", ".tiff", ".npy", ".raw", ".vtk");
    private static final Logger LOG = LoggerFactory.getLogger(DesignLabels.class);
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    private DesignLabels() {
    }

    /**
     * The record of one design.
     *
     * @param version {@link #RECORD_VERSION}
     * @param design file name of the design, relative to its folder
     * @param bytes size of the design file when it was labelled
     * @param modifiedMillis modification time of the design file when it was labelled
     * @param size dimensions {@code [nx, ny, nz]}
     * @param properties property name to value, null where undefined, in {@link ElectrodeProperties#NAMES} order
     * @param seconds time the evaluator took
     */
    public record Record(int version, String design, long bytes, long modifiedMillis, int[] size,
            Map<String, Double> properties, double seconds) {
        /** The values in {@code names} order, NaN where undefined or absent. */
        public double[] values(List<String> names) {
            double[] v = new double[names.size()];
            for (int i = 0; i < v.length; i++) {
                Double d = properties == null ? null : properties.get(names.get(i));
                v[i] = d == null ? Double.NaN : d;
            }
            return v;
        }
    }

    /**
     * A labelled design.
     *
     * @param file the design file
     * @param record its record
     * @param cached whether the record was reused rather than computed in this run
     */
    public record LabelledDesign(Path file, Record record, boolean cached) {
    }

    /**
     * Options.
     *
     * @param properties evaluator options
     * @param relabel compute every record again, ignoring the cache
     */
    public record Options(ElectrodeProperties.Options properties, boolean relabel) {
        public Options {
            if (properties == null) {
                throw new IllegalArgumentException("properties options are required; use defaults()");
            }
        }

        /** Evaluator defaults, cache on. */
        public static Options defaults() {
            return new Options(ElectrodeProperties.Options.defaults(), false);
        }

        public Options withThreads(int threads) {
            return new Options(properties.withThreads(threads), relabel);
        }
    }

    /** Receives progress: called after each design. */
    @FunctionalInterface
    public interface Listener {
        Listener NONE = (done, total, design) -> { };

        /**
         * @param done designs finished so far (cached or computed)
         * @param total designs in the folder
         * @param design the design just finished
         */
        void onDesign(int done, int total, LabelledDesign design);
    }

    /**
     * Outcome of a labelling run.
     *
     * @param designs the labelled designs, in name order (all of them unless interrupted)
     * @param computed records computed in this run
     * @param cached records reused
     * @param seconds wall time
     * @param interrupted whether {@code stop} ended the run early
     */
    public record Result(List<LabelledDesign> designs, int computed, int cached, double seconds,
            boolean interrupted) {
    }

    /**
     * The design files of {@code dir}, in name order.
     *
     * @throws NoSuchFileException when the folder does not exist
     * @throws NotDirectoryException when it is a file
     */
    public static List<Path> designFiles(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            throw new NoSuchFileException(dir.toString(), null, "no such design folder");
        }
        if (!Files.isDirectory(dir)) {
            throw new NotDirectoryException(dir.toString());
        }
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(Files::isRegularFile)
                    .filter(f -> !f.getFileName().toString().startsWith("."))
                    .filter(f -> EXTENSIONS.stream().anyMatch(e -> f.getFileName().toString()
                            .toLowerCase(Locale.ROOT).endsWith(e)))
                    .sorted()
                    .toList();
        }
    }

    /** Where the record of {@code design} lies. */
    public static Path recordFile(Path design) {
        return design.toAbsolutePath().getParent().resolve(LABEL_FOLDER)
                .resolve(design.getFileName().toString() + ".json");
    }

    /**
     * The cached record of {@code design} if it is still valid (same version, names, file size and time).
     */
    public static Optional<Record> cached(Path design) throws IOException {
        Path file = recordFile(design);
        if (!Files.isRegularFile(file)) {
            return Optional.empty();
        }
        Record r;
        try {
            r = JSON.readValue(file.toFile(), Record.class);
        } catch (com.fasterxml.jackson.core.JacksonException e) {
            LOG.warn("ignoring unreadable label record {}: {}", file, e.getOriginalMessage());
            return Optional.empty();
        }
        boolean valid = r.version() == RECORD_VERSION && r.properties() != null
                && r.properties().keySet().containsAll(ElectrodeProperties.NAMES)
                && r.bytes() == Files.size(design)
                && r.modifiedMillis() == Files.getLastModifiedTime(design).toMillis();
        return valid ? Optional.of(r) : Optional.empty();
    }

    /**
     * Labels every design of {@code dir} that has no valid record, and returns all records.
     *
     * @param stop polled before each design; when it returns true the run ends with what is done
     * @throws IOException when a design cannot be read (the message names it) or a record cannot be written
     * @throws IllegalArgumentException when a design has labels other than 0, 1, 2 (naming the design)
     */
    public static Result label(Path dir, Options options, Listener listener, BooleanSupplier stop)
            throws IOException {
        long start = System.nanoTime();
        List<Path> files = designFiles(dir);
        Files.createDirectories(dir.resolve(LABEL_FOLDER));
        List<LabelledDesign> out = new ArrayList<>();
        int computed = 0;
        int cached = 0;
        boolean interrupted = false;
        for (Path file : files) {
            if (stop != null && stop.getAsBoolean()) {
                interrupted = true;
                break;
            }
            Optional<Record> hit = options.relabel() ? Optional.empty() : cached(file);
            LabelledDesign d;
            if (hit.isPresent()) {
                d = new LabelledDesign(file, hit.get(), true);
                cached++;
            } else {
                d = new LabelledDesign(file, compute(file, options.properties()), false);
                computed++;
            }
            out.add(d);
            listener.onDesign(out.size(), files.size(), d);
        }
        return new Result(out, computed, cached, (System.nanoTime() - start) / 1e9, interrupted);
    }

    /**
     * Reads the volumes of labelled designs as training examples, targets in {@link ElectrodeProperties#NAMES}
     * order.
     *
     * @throws IOException when a design cannot be read
     */
    public static List<SurrogateTrainer.Example> examples(List<LabelledDesign> designs) throws IOException {
        List<SurrogateTrainer.Example> out = new ArrayList<>(designs.size());
        for (LabelledDesign d : designs) {
            out.add(new SurrogateTrainer.Example(d.file().getFileName().toString(), VolumeIO.read(d.file()),
                    d.record().values(ElectrodeProperties.NAMES)));
        }
        return out;
    }

    /** Labels one design and writes its record. */
    static Record compute(Path file, ElectrodeProperties.Options options) throws IOException {
        long bytes = Files.size(file);
        long modified = Files.getLastModifiedTime(file).toMillis();
        Volume v = VolumeIO.read(file);
        ElectrodeProperties.Result r;
        try {
            r = ElectrodeProperties.compute(v, options);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(file + ": " + e.getMessage(), e);
        }
        Map<String, Double> properties = new LinkedHashMap<>();
        r.asMap().forEach((k, value) -> properties.put(k, Double.isNaN(value) ? null : value));
        Record record = new Record(RECORD_VERSION, file.getFileName().toString(), bytes, modified,
                new int[] {v.nx(), v.ny(), v.nz()}, properties, r.seconds());
        AtomicFile.write(recordFile(file), true, o -> o.write(JSON.writeValueAsBytes(record)));
        LOG.debug("labelled {} in {} s", file, r.seconds());
        return record;
    }
}
