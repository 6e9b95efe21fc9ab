package dev.microforge.models.gram;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.microforge.models.ModelDirectory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * Opens the feature extractor a user names: {@code random} (the multi-scale random network, {@link
 * RandomFeatureExtractor}), a model directory of ours ({@code model.json}: the critic of a {@code gan3d} model; the
 * encoder of a VAE or the critics of a SliceGAN join here as those kinds arrive), or a TorchScript file ({@code
 * .pt}, {@code .pth}, {@code .torchscript}, with the layers named).
 */
public final class FeatureExtractors {

    /** The name of the built-in random extractor. */
    public static final String RANDOM = "random";

    private static final ObjectMapper JSON = new ObjectMapper();

    private FeatureExtractors() {}

    /**
     * Opens an extractor.
     *
     * @param spec {@code random}, a model directory, or a TorchScript file
     * @param phases the number of phases of the exemplar
     * @param layers layer names for a TorchScript model (ignored otherwise; may be empty then)
     * @param seed seed of the random extractor
     * @return the extractor (close it)
     * @throws IllegalArgumentException when the spec names nothing usable, saying what was expected
     */
    public static FeatureExtractor open(String spec, int phases, List<String> layers, long seed) {
        if (spec == null || spec.isBlank() || RANDOM.equals(spec.toLowerCase(Locale.ROOT))) {
            return RandomFeatureExtractor.create(RandomFeatureExtractor.Options.defaults(phases).withSeed(seed));
        }
        Path path = Path.of(spec);
        if (Files.isDirectory(path)) {
            return openModelDirectory(path, phases);
        }
        String name = path.getFileName().toString().toLowerCase(Locale.ROOT);
        if (name.endsWith(".pt") || name.endsWith(".pth") || name.endsWith(".torchscript")) {
            return TorchScriptFeatures.load(path, layers, phases);
        }
        if (!Files.exists(path)) {
            throw new IllegalArgumentException("extractor '" + spec + "' is neither 'random', a model directory nor"
                    + " a TorchScript file (.pt)");
        }
        throw new IllegalArgumentException("extractor " + spec + " is not a model directory (no model.json) or a"
                + " TorchScript file ending in .pt, .pth or .torchscript");
    }

    private static FeatureExtractor openModelDirectory(Path dir, int phases) {
        Path json = dir.resolve(ModelDirectory.MODEL_JSON);
        if (!Files.isRegularFile(json)) {
            throw new IllegalArgumentException(dir + " is not a model directory: it has no " + ModelDirectory.MODEL_JSON);
        }
        String kind;
        try {
            JsonNode node = JSON.readTree(json.toFile());
            kind = node.path("kind").asText("");
        } catch (IOException e) {
            throw new IllegalArgumentException(json + ": not readable JSON: " + e.getMessage(), e);
        }
        FeatureExtractor extractor;
        switch (kind) {
            case ModelDirectory.KIND_GAN3D:
                extractor = new CriticFeatures(ModelDirectory.loadGan(dir), dir.toString());
                break;
            default:
                throw new IllegalArgumentException(dir + ": model kind '" + kind + "' has no feature extractor (usable"
                        + " now: " + ModelDirectory.KIND_GAN3D + " critics)");
        }
        if (extractor.channels() != phases) {
            extractor.close();
            throw new IllegalArgumentException(dir + " was trained on " + extractor.channels()
                    + " phases but the exemplar has " + phases);
        }
        return extractor;
    }
}
