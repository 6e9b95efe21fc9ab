package dev.microforge.models;

import ai.djl.MalformedModelException;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.util.Pair;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.microforge.models.gan.GanArchitecture;
import dev.microforge.models.gan.GanModel;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * A model directory (DESIGN §4): {@code model.json} (schema version, kind, architecture, phase
 * labels, seed) and the parameters of each network, written with DJL's {@code
 * Block.saveParameters} ({@code generator.params}, {@code critic.params}).
 */
public final class ModelDirectory {

    /** Version of the {@code model.json} layout. */
    public static final int SCHEMA_VERSION = 1;
    /** Kind of a 3D GAN model. */
    public static final String KIND_GAN3D = "gan3d";
    /** File names inside the directory. */
    public static final String MODEL_JSON = "model.json";
    public static final String GENERATOR_PARAMS = "generator.params";
    public static final String CRITIC_PARAMS = "critic.params";

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    /**
     * The content of {@code model.json}.
     *
     * @param schemaVersion layout version
     * @param kind model kind
     * @param architecture the network table
     * @param phaseLabels one name per phase (label value = index)
     * @param seed the seed the model was created and trained with
     * @param training how it was trained, or null for a model that was only created
     */
    public record Manifest(
            int schemaVersion, String kind, GanArchitecture architecture, List<String> phaseLabels, long seed,
            TrainingSummary training) {

        /** A manifest without a training summary. */
        public Manifest(int schemaVersion, String kind, GanArchitecture architecture, List<String> phaseLabels,
                long seed) {
            this(schemaVersion, kind, architecture, phaseLabels, seed, null);
        }
    }

    /**
     * The training volume a model learnt from.
     *
     * @param path the file as given
     * @param nx voxels along x
     * @param ny voxels along y
     * @param nz voxels along z
     * @param phaseFractions volume fraction of labels 0..phases-1
     */
    public record DataSummary(String path, int nx, int ny, int nz, List<Double> phaseFractions) {}

    /**
     * How a model was trained.
     *
     * @param data the training volume
     * @param iterations iterations trained
     * @param config the training configuration used (the trainer's own keys)
     */
    public record TrainingSummary(DataSummary data, long iterations, java.util.Map<String, Object> config) {}

    private ModelDirectory() {}

    /**
     * Writes a GAN into {@code dir} (created if missing; existing files are replaced).
     *
     * @param dir the model directory
     * @param model the model
     */
    public static void save(Path dir, GanModel model) {
        save(dir, model, null);
    }

    /**
     * Writes a GAN with its training summary into {@code dir} (created if missing). Each file goes
     * through a temporary file renamed into place, {@code model.json} last.
     *
     * @param dir the model directory
     * @param model the model
     * @param training how it was trained, or null
     */
    public static void save(Path dir, GanModel model, TrainingSummary training) {
        try {
            Files.createDirectories(dir);
            writeParameters(model.generator(), dir.resolve(GENERATOR_PARAMS));
            writeParameters(model.critic(), dir.resolve(CRITIC_PARAMS));
            Manifest manifest = new Manifest(
                    SCHEMA_VERSION, KIND_GAN3D, model.architecture(), model.phaseLabels(), model.seed(), training);
            Path tmp = dir.resolve(MODEL_JSON + ".tmp");
            JSON.writeValue(tmp.toFile(), manifest);
            Files.move(tmp, dir.resolve(MODEL_JSON), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write model directory " + dir, e);
        }
    }

    /**
     * Reads {@code model.json} only.
     *
     * @param dir the model directory
     * @return the manifest
     * @throws IllegalArgumentException if the schema version or kind is not supported
     */
    public static Manifest readManifest(Path dir) {
        try {
            Manifest m = JSON.readValue(dir.resolve(MODEL_JSON).toFile(), Manifest.class);
            if (m.schemaVersion() != SCHEMA_VERSION) {
                throw new IllegalArgumentException(
                        dir + ": model.json schemaVersion " + m.schemaVersion() + " is not supported (expected "
                                + SCHEMA_VERSION + ")");
            }
            if (!KIND_GAN3D.equals(m.kind())) {
                throw new IllegalArgumentException(dir + ": model kind '" + m.kind() + "' is not " + KIND_GAN3D);
            }
            return m;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + dir.resolve(MODEL_JSON), e);
        }
    }

    /**
     * Loads a GAN: builds the networks from the architecture and restores their parameters.
     *
     * @param dir the model directory
     * @return the model (close it when done)
     */
    public static GanModel loadGan(Path dir) {
        Manifest m = readManifest(dir);
        GanModel model = GanModel.forLoading(m.architecture(), m.phaseLabels(), m.seed());
        try {
            readParameters(model, model.generator(), dir.resolve(GENERATOR_PARAMS));
            readParameters(model, model.critic(), dir.resolve(CRITIC_PARAMS));
            // DJL's Parameter.load gives arrays without gradients; reattach them so training can resume
            for (Block block : List.<Block>of(model.generator(), model.critic())) {
                for (Pair<String, Parameter> p : block.getParameters()) {
                    if (p.getValue().requiresGradient()) {
                        p.getValue().getArray().setRequiresGradient(true);
                    }
                }
            }
            return model;
        } catch (IOException | MalformedModelException | RuntimeException e) {
            model.close();
            if (e instanceof IOException io) {
                throw new UncheckedIOException("cannot read parameters in " + dir, io);
            }
            throw new IllegalArgumentException("cannot read parameters in " + dir + ": " + e.getMessage(), e);
        }
    }

    private static void writeParameters(Block block, Path file) throws IOException {
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        try (DataOutputStream out = new DataOutputStream(new BufferedOutputStream(Files.newOutputStream(tmp)))) {
            block.saveParameters(out);
        }
        Files.move(tmp, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    }

    private static void readParameters(GanModel model, Block block, Path file)
            throws IOException, MalformedModelException {
        // DJL loads arrays of any shape into the parameters: check them against the architecture of model.json
        java.util.Map<String, ai.djl.ndarray.types.Shape> expected = new java.util.LinkedHashMap<>();
        for (Pair<String, Parameter> p : block.getParameters()) {
            expected.put(p.getKey(), p.getValue().getArray().getShape());
        }
        try (DataInputStream in = new DataInputStream(new BufferedInputStream(Files.newInputStream(file)))) {
            block.loadParameters(model.manager(), in);
        }
        for (Pair<String, Parameter> p : block.getParameters()) {
            ai.djl.ndarray.types.Shape found = p.getValue().getArray().getShape();
            if (!found.equals(expected.get(p.getKey()))) {
                throw new MalformedModelException(file.getFileName() + ": parameter " + p.getKey() + " has shape "
                        + found + " but the architecture in " + MODEL_JSON + " needs " + expected.get(p.getKey())
                        + "; the parameters and model.json do not belong together");
            }
        }
    }
}
