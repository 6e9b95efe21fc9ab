package dev.microforge.generator.sampling;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.microforge.models.LatentDecoder;
import dev.microforge.models.ModelDirectory;
import dev.microforge.models.gan.GanDecoder;
import dev.microforge.models.vae.VaeLatentDecoder;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

/**
 * Opens the model of a model directory for sampling, whatever its kind: reads {@code model.json}'s {@code kind}
 * and {@code schemaVersion} and hands the directory to the loader registered for that kind. A new kind (SliceGAN,
 * VAE, ...) is one {@link #register} line giving its kind, its schema version and a function from the directory to
 * a {@link LatentDecoder}.
 *
 * <p>Every way a directory can fail to load (missing folder or {@code model.json}, malformed JSON, unknown kind,
 * schema mismatch, missing, truncated or mismatched parameter files) ends in an {@link InvalidModelException}, an
 * {@link IOException} whose one-line message names the directory or file and says what to do (SliceGAN issue 17:
 * trained models that will not load must say why, never crash).
 */
public final class ModelKinds {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Map<String, Entry> KINDS = new LinkedHashMap<>();

    static {
        register(ModelDirectory.KIND_GAN3D, ModelDirectory.SCHEMA_VERSION, GanDecoder::load);
        register(ModelDirectory.KIND_SLICEGAN, ModelDirectory.SCHEMA_VERSION, GanDecoder::loadSliceGan);
        register(ModelDirectory.KIND_VAE, ModelDirectory.SCHEMA_VERSION, VaeLatentDecoder::load);
    }

    private ModelKinds() {
    }

    /** Loads a model directory of one kind (its {@code model.json} has already been checked for kind and schema). */
    @FunctionalInterface
    public interface Loader {
        LatentDecoder load(Path dir) throws Exception;
    }

    private record Entry(int schemaVersion, Loader loader) {
    }

    /** A model directory that cannot be loaded; the message is one line naming the directory or file. */
    public static final class InvalidModelException extends IOException {
        private static final long serialVersionUID = 1L;

        public InvalidModelException(String message, Throwable cause) {
            super(message, cause);
        }
    }

    /**
     * Registers the loader of {@code kind}.
     *
     * @param schemaVersion the {@code model.json} schema version the loader reads
     * @throws IllegalStateException when the kind is already registered
     */
    public static synchronized void register(String kind, int schemaVersion, Loader loader) {
        if (kind == null || kind.isBlank() || loader == null) {
            throw new IllegalArgumentException("a kind name and a loader are required");
        }
        if (KINDS.putIfAbsent(kind, new Entry(schemaVersion, loader)) != null) {
            throw new IllegalStateException("model kind " + kind + " is registered twice");
        }
    }

    /** The registered kinds, in registration order. */
    public static synchronized Set<String> kinds() {
        return new LinkedHashSet<>(KINDS.keySet());
    }

    /**
     * The kind named by {@code dir/model.json}, checked against the registry and its schema version.
     *
     * @throws NoSuchFileException when the folder or its {@code model.json} is missing
     * @throws InvalidModelException for malformed JSON, an unknown kind or another schema version
     */
    public static String kindOf(Path dir) throws IOException {
        Path json = manifestFile(dir);
        JsonNode root;
        try {
            root = JSON.readTree(json.toFile());
        } catch (JsonProcessingException e) {
            throw new InvalidModelException(json + ": not valid JSON (" + e.getOriginalMessage().lines().findFirst()
                    .orElse("") + " at line " + e.getLocation().getLineNr() + ", column "
                    + e.getLocation().getColumnNr() + "); the file is damaged — retrain or restore it", e);
        }
        if (root == null || !root.isObject()) {
            throw new InvalidModelException(json + ": expected a JSON object with \"schemaVersion\" and \"kind\"",
                    null);
        }
        JsonNode kindNode = root.get("kind");
        JsonNode versionNode = root.get("schemaVersion");
        if (kindNode == null || !kindNode.isTextual() || versionNode == null || !versionNode.canConvertToInt()) {
            throw new InvalidModelException(json + ": \"kind\" (text) and \"schemaVersion\" (integer) are required, "
                    + "found kind " + kindNode + " and schemaVersion " + versionNode + "; is this a model directory "
                    + "written by 'microforge train'?", null);
        }
        String kind = kindNode.asText();
        Entry entry;
        synchronized (ModelKinds.class) {
            entry = KINDS.get(kind);
        }
        if (entry == null) {
            throw new InvalidModelException(json + ": model kind '" + kind + "' is not known to this microforge "
                    + "(known: " + String.join(", ", kinds()) + ")", null);
        }
        int version = versionNode.asInt();
        if (version != entry.schemaVersion()) {
            throw new InvalidModelException(json + ": schema version " + version + " of a " + kind + " model is not "
                    + "supported (this microforge reads version " + entry.schemaVersion() + "); use the microforge "
                    + "version that wrote it, or retrain", null);
        }
        return kind;
    }

    /**
     * Loads the model of {@code dir} for sampling. Close the decoder when done.
     *
     * @throws NoSuchFileException when the folder or its {@code model.json} is missing
     * @throws InvalidModelException for anything else that keeps the model from loading
     */
    public static LatentDecoder open(Path dir) throws IOException {
        String kind = kindOf(dir);
        Entry entry;
        synchronized (ModelKinds.class) {
            entry = KINDS.get(kind);
        }
        try {
            return entry.loader().load(dir);
        } catch (NoSuchFileException e) {
            throw e;
        } catch (Exception | LinkageError e) {
            throw new InvalidModelException(dir + ": cannot load the " + kind + " model: " + causes(e)
                    + " — the directory is incomplete or damaged, or was written for another architecture; "
                    + "retrain or restore it", e);
        }
    }

    private static Path manifestFile(Path dir) throws IOException {
        if (dir == null) {
            throw new IllegalArgumentException("a model directory is required");
        }
        if (!Files.exists(dir)) {
            throw new NoSuchFileException(dir.toString(), null, "no such model directory");
        }
        if (!Files.isDirectory(dir)) {
            throw new NotDirectoryException(dir.toString());
        }
        Path json = dir.resolve(ModelDirectory.MODEL_JSON);
        if (!Files.isRegularFile(json)) {
            throw new NoSuchFileException(json.toString(), null, "missing: not a model directory (one written by "
                    + "'microforge train' holds model.json and the parameter files)");
        }
        return json;
    }

    /** The distinct messages of an exception and its causes, on one line. */
    static String causes(Throwable e) {
        Set<String> parts = new LinkedHashSet<>();
        for (Throwable t = e; t != null && parts.size() < 4; t = t.getCause()) {
            String m = t.getMessage();
            String text;
            if (t instanceof java.io.EOFException) {
                text = "a file ends early (truncated)";
            } else if (t instanceof NoSuchFileException n) {
                text = n.getFile() + " is missing";
            } else {
                text = m == null || m.isBlank() ? t.getClass().getSimpleName() : m.strip();
            }
            text = text.lines().findFirst().orElse(text);
            boolean contained = false;
            for (String p : parts) {
                contained |= p.contains(text);
            }
            if (!contained) {
                parts.add(text);
            }
        }
        return String.join(": ", parts);
    }
}
