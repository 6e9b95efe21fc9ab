package dev.microforge.models;

import ai.djl.MalformedModelException;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.util.Pair;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import dev.microforge.models.gan.GanArchitecture;
import dev.microforge.models.gan.GanModel;
import dev.microforge.models.slicegan.SliceGanArchitecture;
import dev.microforge.models.slicegan.SliceGanModel;
import dev.microforge.models.vae.VaeArchitecture;
import dev.microforge.models.vae.VaeModel;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A model directory (DESIGN §4): {@code model.json} (schema version, kind, architecture, phase
 * labels, seed) and the parameters of each network, written with DJL's {@code
 * Block.saveParameters}. Kinds and their parameter files: {@code gan3d} ({@code generator.params},
 * {@code critic.params}); {@code slicegan} ({@code generator.params} and {@code critic.params} for one
 * isotropic critic or {@code critic-x.params}, {@code critic-y.params}, {@code critic-z.params});
 * {@code vae} ({@code encoder.params}, {@code decoder.params}).
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
    /** Kind of a SliceGAN model (3D generator, 2D critics). */
    public static final String KIND_SLICEGAN = "slicegan";
    /** Kind of a 3D VAE model. */
    public static final String KIND_VAE = "vae";
    public static final String ENCODER_PARAMS = "encoder.params";
    public static final String DECODER_PARAMS = "decoder.params";

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

    /**
     * The content of a SliceGAN's {@code model.json} (fields as in {@link Manifest}).
     *
     * @param schemaVersion layout version
     * @param kind {@value #KIND_SLICEGAN}
     * @param architecture the network table
     * @param phaseLabels one name per phase (label value = index)
     * @param seed the seed the model was created and trained with
     * @param training how it was trained, or null
     */
    public record SliceGanManifest(int schemaVersion, String kind, SliceGanArchitecture architecture,
            List<String> phaseLabels, long seed, TrainingSummary training) {}

    /**
     * The content of a VAE's {@code model.json} (fields as in {@link Manifest}).
     *
     * @param schemaVersion layout version
     * @param kind {@value #KIND_VAE}
     * @param architecture the network table
     * @param phaseLabels one name per phase (label value = index)
     * @param seed the seed the model was created and trained with
     * @param training how it was trained, or null
     */
    public record VaeManifest(int schemaVersion, String kind, VaeArchitecture architecture, List<String> phaseLabels,
            long seed, TrainingSummary training) {}

    /**
     * What the {@code model.json} of every kind holds besides its architecture.
     *
     * @param kind the model kind
     * @param seed the seed the model was created and trained with
     * @param phases number of phases (the architecture's)
     * @param phaseLabels one name per phase
     * @param training how it was trained, or null
     */
    public record Summary(String kind, long seed, int phases, List<String> phaseLabels, TrainingSummary training) {}

    private ModelDirectory() {}

    /**
     * Reads the kind-independent part of {@code model.json} (for commands that handle every kind, such
     * as resuming a training run).
     *
     * @param dir the model directory
     * @return the summary
     * @throws IllegalArgumentException if the schema version or kind is not supported or a field is
     *     malformed
     */
    public static Summary readSummary(Path dir) {
        String kind = readKind(dir);
        JsonNode tree = readTree(dir);
        try {
            List<String> labels = new ArrayList<>();
            tree.path("phaseLabels").forEach(n -> labels.add(n.asText()));
            JsonNode training = tree.get("training");
            return new Summary(kind, tree.path("seed").asLong(), tree.path("architecture").path("phases").asInt(),
                    labels, training == null || training.isNull() ? null
                    : JSON.treeToValue(training, TrainingSummary.class));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalArgumentException(dir + ": model.json has a malformed training summary: "
                    + e.getOriginalMessage(), e);
        }
    }

    /**
     * Reads the kind of the model in {@code dir} ({@value #KIND_GAN3D}, {@value #KIND_SLICEGAN} or
     * {@value #KIND_VAE}) after checking the schema version.
     *
     * @param dir the model directory
     * @return the kind
     * @throws IllegalArgumentException if the schema version or kind is not supported
     */
    public static String readKind(Path dir) {
        String kind = readTree(dir).path("kind").asText("");
        if (!List.of(KIND_GAN3D, KIND_SLICEGAN, KIND_VAE).contains(kind)) {
            throw new IllegalArgumentException(
                    dir + ": model kind '" + kind + "' is not one of " + KIND_GAN3D + ", " + KIND_SLICEGAN + ", "
                            + KIND_VAE);
        }
        return kind;
    }

    /**
     * Writes a SliceGAN into {@code dir} (created if missing; existing files are replaced).
     *
     * @param dir the model directory
     * @param model the model
     */
    public static void save(Path dir, SliceGanModel model) {
        save(dir, model, null);
    }

    /**
     * Writes a SliceGAN with its training summary into {@code dir} (created if missing). Each file goes
     * through a temporary file renamed into place, {@code model.json} last.
     *
     * @param dir the model directory
     * @param model the model
     * @param training how it was trained, or null
     */
    public static void save(Path dir, SliceGanModel model, TrainingSummary training) {
        List<Block> blocks = new ArrayList<>(List.of(model.generator()));
        blocks.addAll(model.critics());
        write(dir, blocks, sliceGanFiles(model.architecture()), new SliceGanManifest(
                SCHEMA_VERSION, KIND_SLICEGAN, model.architecture(), model.phaseLabels(), model.seed(), training));
    }

    /**
     * Writes a VAE into {@code dir} (created if missing; existing files are replaced).
     *
     * @param dir the model directory
     * @param model the model
     */
    public static void save(Path dir, VaeModel model) {
        save(dir, model, null);
    }

    /**
     * Writes a VAE with its training summary into {@code dir} (created if missing). Each file goes
     * through a temporary file renamed into place, {@code model.json} last.
     *
     * @param dir the model directory
     * @param model the model
     * @param training how it was trained, or null
     */
    public static void save(Path dir, VaeModel model, TrainingSummary training) {
        write(dir, List.of(model.encoder(), model.decoder()), List.of(ENCODER_PARAMS, DECODER_PARAMS),
                new VaeManifest(SCHEMA_VERSION, KIND_VAE, model.architecture(), model.phaseLabels(), model.seed(),
                        training));
    }

    /**
     * Reads a SliceGAN's {@code model.json} only.
     *
     * @param dir the model directory
     * @return the manifest
     * @throws IllegalArgumentException if the schema version or kind is not supported
     */
    public static SliceGanManifest readSliceGanManifest(Path dir) {
        return readAs(dir, KIND_SLICEGAN, SliceGanManifest.class);
    }

    /**
     * Reads a VAE's {@code model.json} only.
     *
     * @param dir the model directory
     * @return the manifest
     * @throws IllegalArgumentException if the schema version or kind is not supported
     */
    public static VaeManifest readVaeManifest(Path dir) {
        return readAs(dir, KIND_VAE, VaeManifest.class);
    }

    /**
     * Loads a SliceGAN: builds the networks from the architecture and restores their parameters.
     *
     * @param dir the model directory
     * @return the model (close it when done)
     */
    public static SliceGanModel loadSliceGan(Path dir) {
        SliceGanManifest m = readSliceGanManifest(dir);
        SliceGanModel model = SliceGanModel.forLoading(m.architecture(), m.phaseLabels(), m.seed());
        List<Block> blocks = new ArrayList<>(List.of(model.generator()));
        blocks.addAll(model.critics());
        restore(dir, model.manager(), blocks, sliceGanFiles(m.architecture()), model);
        return model;
    }

    /**
     * Loads a VAE: builds the networks from the architecture and restores their parameters.
     *
     * @param dir the model directory
     * @return the model (close it when done)
     */
    public static VaeModel loadVae(Path dir) {
        VaeManifest m = readVaeManifest(dir);
        VaeModel model = VaeModel.forLoading(m.architecture(), m.phaseLabels(), m.seed());
        restore(dir, model.manager(), List.of(model.encoder(), model.decoder()),
                List.of(ENCODER_PARAMS, DECODER_PARAMS), model);
        return model;
    }

    private static List<String> sliceGanFiles(SliceGanArchitecture architecture) {
        return architecture.critics() == 1
                ? List.of(GENERATOR_PARAMS, CRITIC_PARAMS)
                : List.of(GENERATOR_PARAMS, "critic-x.params", "critic-y.params", "critic-z.params");
    }

    private static void write(Path dir, List<Block> blocks, List<String> files, Object manifest) {
        try {
            Files.createDirectories(dir);
            for (int i = 0; i < blocks.size(); i++) {
                writeParameters(blocks.get(i), dir.resolve(files.get(i)));
            }
            Path tmp = dir.resolve(MODEL_JSON + ".tmp");
            JSON.writeValue(tmp.toFile(), manifest);
            Files.move(tmp, dir.resolve(MODEL_JSON), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write model directory " + dir, e);
        }
    }

    private static JsonNode readTree(Path dir) {
        JsonNode tree;
        try {
            tree = JSON.readTree(dir.resolve(MODEL_JSON).toFile());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + dir.resolve(MODEL_JSON), e);
        }
        int version = tree.path("schemaVersion").asInt(-1);
        if (version != SCHEMA_VERSION) {
            throw new IllegalArgumentException(
                    dir + ": model.json schemaVersion " + version + " is not supported (expected " + SCHEMA_VERSION
                            + ")");
        }
        return tree;
    }

    private static <M> M readAs(Path dir, String kind, Class<M> type) {
        JsonNode tree = readTree(dir);
        String found = tree.path("kind").asText("");
        if (!kind.equals(found)) {
            throw new IllegalArgumentException(dir + ": model kind '" + found + "' is not " + kind);
        }
        try {
            return JSON.treeToValue(tree, type);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalArgumentException(dir + ": model.json does not describe a " + kind + " model: "
                    + e.getOriginalMessage(), e);
        }
    }

    private static void restore(Path dir, ai.djl.ndarray.NDManager manager, List<Block> blocks, List<String> files,
            AutoCloseable model) {
        try {
            for (int i = 0; i < blocks.size(); i++) {
                loadChecked(manager, blocks.get(i), dir.resolve(files.get(i)));
                // DJL's Parameter.load gives arrays without gradients; reattach them so training can resume
                for (Pair<String, Parameter> p : blocks.get(i).getParameters()) {
                    if (p.getValue().requiresGradient()) {
                        p.getValue().getArray().setRequiresGradient(true);
                    }
                }
            }
        } catch (IOException | MalformedModelException | RuntimeException e) {
            try {
                model.close();
            } catch (Exception ignored) {
                // closing only frees native memory; the load error is the one to report
            }
            if (e instanceof IOException io) {
                throw new UncheckedIOException("cannot read parameters in " + dir + ": " + io.getMessage(), io);
            }
            throw new IllegalArgumentException("cannot read parameters in " + dir + ": " + e.getMessage(), e);
        }
    }

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
        // the kind is checked before the architecture is mapped, so a SliceGAN or VAE directory gets a
        // message about its kind, not about its architecture's fields
        return readAs(dir, KIND_GAN3D, Manifest.class);
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
        loadChecked(model.manager(), block, file);
    }

    /** Loads a block's parameters and refuses arrays whose shapes the architecture in model.json does not give. */
    private static void loadChecked(ai.djl.ndarray.NDManager manager, Block block, Path file)
            throws IOException, MalformedModelException {
        // DJL loads arrays of any shape into the parameters: check them against the architecture of model.json
        java.util.Map<String, ai.djl.ndarray.types.Shape> expected = new java.util.LinkedHashMap<>();
        for (Pair<String, Parameter> p : block.getParameters()) {
            expected.put(p.getKey(), p.getValue().getArray().getShape());
        }
        try (DataInputStream in = new DataInputStream(new BufferedInputStream(Files.newInputStream(file)))) {
            block.loadParameters(manager, in);
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
