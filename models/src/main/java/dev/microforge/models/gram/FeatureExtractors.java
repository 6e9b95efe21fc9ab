package dev.microforge.models.gram;

import dev.microforge.models.ModelDirectory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * Opens the feature extractor a user names: {@code random} (the multi-scale random network, {@link
 * RandomFeatureExtractor}), a model directory of ours ({@code model.json}: the critic of a {@code gan3d} model, the
 * critic(s) of a {@code slicegan} model; a VAE encoder would join here), or a TorchScript file ({@code
 * .pt}, {@code .pth}, {@code .torchscript}, with the layers named).
 */
public final class FeatureExtractors {

    /** The name of the built-in random extractor. */
    public static final String RANDOM = "random";

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
        if (!Files.isRegularFile(dir.resolve(ModelDirectory.MODEL_JSON))) {
            throw new IllegalArgumentException(dir + " is not a model directory: it has no " + ModelDirectory.MODEL_JSON);
        }
        String kind = ModelDirectory.readKind(dir);
        FeatureExtractor extractor;
        switch (kind) {
            case ModelDirectory.KIND_GAN3D:
                extractor = new CriticFeatures(ModelDirectory.loadGan(dir), dir.toString());
                break;
            case ModelDirectory.KIND_SLICEGAN:
                extractor = new SliceGanCriticFeatures(ModelDirectory.loadSliceGan(dir), dir.toString());
                break;
            default:
                // a VAE encoder takes volumes of one fixed size and ends in a dense layer: it needs volume windows
                // of that size (GramLoss crops whole volumes only to the output size); not wired yet
                throw new IllegalArgumentException(dir + ": model kind '" + kind + "' has no feature extractor yet"
                        + " (usable: " + ModelDirectory.KIND_GAN3D + " and " + ModelDirectory.KIND_SLICEGAN
                        + " critics)");
        }
        if (extractor.channels() != phases) {
            extractor.close();
            throw new IllegalArgumentException(dir + " was trained on " + extractor.channels()
                    + " phases but the exemplar has " + phases);
        }
        return extractor;
    }
}
