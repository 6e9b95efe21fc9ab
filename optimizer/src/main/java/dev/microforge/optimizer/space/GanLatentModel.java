package dev.microforge.optimizer.space;

import dev.microforge.datasets.PhaseMap;
import dev.microforge.datasets.Volume;
import dev.microforge.models.ModelDirectory;
import dev.microforge.models.gan.GanLatents;
import dev.microforge.models.gan.GanModel;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * A trained 3D GAN as a {@link LatentModel}: the spatial latent of shape {@code (channels, s, s, s)} that makes a
 * volume of edge {@code size = s * 2^levels}, flattened in C order into a vector of {@code channels * s^3} values;
 * its prior is the standard normal the GAN was trained with. Owns the model.
 */
public final class GanLatentModel implements LatentModel {
    private final GanModel model;
    private final Path directory;
    private final int latentSize;
    private final int size;
    private final PhaseMap phases;

    private GanLatentModel(GanModel model, Path directory, int size) {
        this.model = model;
        this.directory = directory;
        this.size = size;
        this.latentSize = model.architecture().latentSizeFor(size);
        Map<Integer, String> names = new TreeMap<>();
        for (int i = 0; i < model.phaseLabels().size(); i++) {
            names.put(i, model.phaseLabels().get(i));
        }
        PhaseMap map;
        try {
            map = PhaseMap.of(names);
        } catch (IllegalArgumentException e) {
            map = PhaseMap.electrode(names.keySet());
        }
        this.phases = map;
    }

    /**
     * Loads the GAN of a model directory ({@link ModelDirectory#loadGan}) for volumes of edge {@code size}.
     *
     * @throws IllegalArgumentException when size is not a multiple of the generator's {@code 2^levels}
     */
    public static GanLatentModel load(Path directory, int size) {
        GanModel model = ModelDirectory.loadGan(directory);
        try {
            return new GanLatentModel(model, directory, size);
        } catch (RuntimeException e) {
            model.close();
            throw e;
        }
    }

    /** Wraps a model already in memory (the latent model owns it from now on). */
    public static GanLatentModel of(GanModel model, int size) {
        return new GanLatentModel(model, null, size);
    }

    @Override
    public int dimension() {
        return model.architecture().latentChannels() * latentSize * latentSize * latentSize;
    }

    @Override
    public Volume decode(double[] latent) {
        if (latent.length != dimension()) {
            throw new IllegalArgumentException("latent of length " + latent.length + ", expected " + dimension());
        }
        float[] z = new float[latent.length];
        for (int i = 0; i < z.length; i++) {
            z[i] = (float) latent[i];
        }
        return Volume.of(size, size, size, GanLatents.decode(model, z, latentSize));
    }

    @Override
    public PhaseMap phases() {
        return phases;
    }

    @Override
    public String describe() {
        return String.format(Locale.ROOT, "GAN %s, latent %d x %d^3 for %d^3 volumes",
                directory == null ? "(in memory)" : directory.toString(), model.architecture().latentChannels(),
                latentSize, size);
    }

    @Override
    public void close() {
        model.close();
    }
}
