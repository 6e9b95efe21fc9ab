package dev.microforge.models.gram;

import ai.djl.MalformedModelException;
import ai.djl.Model;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.training.ParameterStore;
import dev.microforge.models.Engines;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A user's TorchScript image model (e.g. VGG-19 exported with {@code torch.jit.script} or {@code torch.jit.trace})
 * as a feature extractor, loaded from a {@code .pt} file by DJL's PyTorch engine, offline.
 *
 * <p>Contract with the model: {@code forward(x)} takes phase probabilities {@code x (N, phases, H, W)} (float32;
 * any conversion, e.g. to a grey RGB image normalised for ImageNet, belongs inside the exported module) and returns
 * either a {@code Dict[str, Tensor]} of named feature maps, or a tuple or list of feature maps (named {@code "0"},
 * {@code "1"}, ...), or one tensor (named {@code "0"}). The layers to match are chosen by these names. The module
 * runs as loaded (in eval mode) with autograd on, so that the loss can be differentiated through it; its own
 * parameters are frozen.
 *
 * <p>Note that the CPU convolution gradient of libtorch 2.7.1 is unreliable for some layer shapes (see {@code
 * Convolutions3d}); a model whose gradients were never checked on this machine is the user's responsibility.
 */
public final class TorchScriptFeatures implements FeatureExtractor {

    /** Inputs smaller than this along an axis are refused (a VGG's four poolings need 16 pixels). */
    public static final int MINIMUM_SIZE = 16;

    private final Model model;
    private final Block block;
    private final Path file;
    private final List<String> layers;
    private final int channels;

    private TorchScriptFeatures(Model model, Path file, List<String> layers, int channels) {
        this.model = model;
        this.block = model.getBlock();
        this.file = file;
        this.layers = List.copyOf(layers);
        this.channels = channels;
    }

    /**
     * Loads a TorchScript model and checks, on a probe input of {@code 32 x 32} pixels, that it returns the named
     * layers.
     *
     * @param file the {@code .pt} file
     * @param layers names of the output feature maps to use, at least one
     * @param channels input channels (phases)
     * @return the extractor (close it)
     * @throws IllegalArgumentException if the file is missing or not a TorchScript model, or a layer is not among
     *     the model's outputs (the message lists them)
     */
    public static TorchScriptFeatures load(Path file, List<String> layers, int channels) {
        if (file == null || !Files.isRegularFile(file)) {
            throw new IllegalArgumentException("TorchScript model " + file + " is not a file");
        }
        if (layers == null || layers.isEmpty()) {
            throw new IllegalArgumentException(file + ": name the layers to use (keys of the dict the model returns,"
                    + " or 0, 1, ... for a tuple)");
        }
        if (channels < 1) {
            throw new IllegalArgumentException("channels must be at least 1, got " + channels);
        }
        Engines.pytorch();
        Model model = Model.newInstance("gram-features", Engines.device(), Engines.PYTORCH);
        try {
            model.load(file.toAbsolutePath());
        } catch (IOException | MalformedModelException | RuntimeException e) {
            model.close();
            throw new IllegalArgumentException(file + ": cannot load as a TorchScript model: " + e.getMessage(), e);
        }
        TorchScriptFeatures features = new TorchScriptFeatures(model, file, layers, channels);
        try (NDManager probe = model.getNDManager().newSubManager()) {
            Map<String, NDArray> out = features.run(probe.zeros(new Shape(1, channels, 32, 32)));
            List<String> missing = new ArrayList<>(layers);
            missing.removeAll(out.keySet());
            if (!missing.isEmpty()) {
                throw new IllegalArgumentException(file + ": the model returns no layer " + missing + "; it returns "
                        + out.keySet());
            }
        } catch (RuntimeException e) {
            features.close();
            if (e instanceof IllegalArgumentException) {
                throw e;
            }
            throw new IllegalArgumentException(file + ": running the model on a (1, " + channels + ", 32, 32) input"
                    + " failed: " + e.getMessage(), e);
        }
        return features;
    }

    /** Runs the module and names its outputs. */
    private Map<String, NDArray> run(NDArray input) {
        NDList out = block.forward(new ParameterStore(input.getManager(), false), new NDList(input), true);
        Map<String, NDArray> named = new LinkedHashMap<>();
        for (int i = 0; i < out.size(); i++) {
            NDArray a = out.get(i);
            String name = a.getName() != null && !a.getName().isEmpty() ? a.getName() : String.valueOf(i);
            named.put(name, a);
        }
        return named;
    }

    @Override
    public int spatialDimensions() {
        return 2;
    }

    @Override
    public int channels() {
        return channels;
    }

    @Override
    public List<String> layers() {
        return layers;
    }

    @Override
    public int minimumSize() {
        return MINIMUM_SIZE;
    }

    @Override
    public NDList features(NDArray input) {
        Map<String, NDArray> out = run(input);
        NDList selected = new NDList();
        for (String layer : layers) {
            NDArray a = out.get(layer);
            if (a == null) {
                throw new IllegalStateException(file + " returned no layer " + layer + " for input "
                        + input.getShape() + "; it returned " + out.keySet());
            }
            if (a.getShape().dimension() < 3) {
                throw new IllegalArgumentException(file + ": layer " + layer + " is not a feature map (shape "
                        + a.getShape() + ")");
            }
            a.setName(layer);
            selected.add(a);
        }
        return selected;
    }

    @Override
    public String description() {
        return "TorchScript model " + file.getFileName() + ", layers " + String.join(",", layers);
    }

    @Override
    public void close() {
        model.close();
    }
}
