package dev.microforge.models.gan;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import dev.microforge.datasets.Volume;
import dev.microforge.models.Engines;
import dev.microforge.models.GaussianNoise;
import java.util.List;

/**
 * A 3D GAN: architecture, initialised generator and critic, phase labels and the training seed. Owns
 * the NDManager holding the parameters; close it when done.
 */
public final class GanModel implements AutoCloseable {

    private final GanArchitecture architecture;
    private final List<String> phaseLabels;
    private final long seed;
    private final NDManager manager;
    private final Generator3d generator;
    private final Critic3d critic;

    private GanModel(GanArchitecture architecture, List<String> phaseLabels, long seed) {
        if (phaseLabels.size() != architecture.phases()) {
            throw new IllegalArgumentException(
                    architecture.phases() + " phases but " + phaseLabels.size() + " labels " + phaseLabels);
        }
        this.architecture = architecture;
        this.phaseLabels = List.copyOf(phaseLabels);
        this.seed = seed;
        this.manager = Engines.pytorch().newBaseManager(Engines.device());
        this.generator = new Generator3d(architecture);
        this.critic = new Critic3d(architecture);
    }

    /**
     * Creates a model with freshly initialised parameters; the engine's random seed is set to
     * {@code seed} first, so the same seed gives the same initial parameters.
     *
     * @param architecture architecture table
     * @param phaseLabels one name per phase (label value = index)
     * @param seed random seed
     * @return the new model
     */
    public static GanModel create(GanArchitecture architecture, List<String> phaseLabels, long seed) {
        Engines.pytorch().setRandomSeed((int) seed);
        GanModel model = new GanModel(architecture, phaseLabels, seed);
        model.initialize();
        return model;
    }

    /**
     * Creates a model whose parameters are initialised without reseeding the engine, to be
     * overwritten by {@code ModelDirectory.loadGan}.
     *
     * @param architecture architecture table
     * @param phaseLabels one name per phase
     * @param seed the training seed recorded in the model directory
     * @return the model
     */
    public static GanModel forLoading(GanArchitecture architecture, List<String> phaseLabels, long seed) {
        GanModel model = new GanModel(architecture, phaseLabels, seed);
        model.initialize();
        return model;
    }

    private void initialize() {
        int step = 1 << architecture.criticWidths().size();
        int e = generator.smallestLatent();
        generator.initialize(manager, DataType.FLOAT32, new Shape(1, architecture.latentChannels(), e, e, e));
        critic.initialize(manager, DataType.FLOAT32, new Shape(1, architecture.phases(), step, step, step));
    }

    public GanArchitecture architecture() {
        return architecture;
    }

    public List<String> phaseLabels() {
        return phaseLabels;
    }

    public long seed() {
        return seed;
    }

    public NDManager manager() {
        return manager;
    }

    public Generator3d generator() {
        return generator;
    }

    public Critic3d critic() {
        return critic;
    }

    /**
     * Draws a standard-normal spatial latent from a Java random stream (independent of the engine's
     * global random state, so the same seed gives the same latent everywhere).
     *
     * @param manager where the array lives
     * @param batch samples
     * @param latentSize spatial edge
     * @param seed random seed
     * @return array {@code (batch, latentChannels, s, s, s)}
     */
    public NDArray latent(NDManager manager, int batch, int latentSize, long seed) {
        architecture.outputSize(latentSize);
        Shape shape = new Shape(batch, architecture.latentChannels(), latentSize, latentSize, latentSize);
        return manager.create(GaussianNoise.floats(seed, Math.toIntExact(shape.size())), shape);
    }

    /**
     * Generates one labelled volume of edge {@code latentSize * 2^levels}: latent from {@code seed}, padded by {@link
     * GanArchitecture#latentMargin()} latent voxels of its mirror image ({@link Generator3d#generate}), generator forward pass (inference mode),
     * {@code 2^levels} output voxels cut off each side (the reach of the zero padding, see {@link GanDecoder}),
     * argmax over phases. Deterministic for a given seed; the same volume as {@code microforge generate} makes from
     * that latent.
     *
     * @param latentSize spatial latent edge
     * @param seed latent seed
     * @return a volume with labels {@code 0..phases-1}
     */
    public Volume generate(int latentSize, long seed) {
        architecture.outputSize(latentSize);
        int c = architecture.latentChannels();
        try (NDManager sub = manager.newSubManager()) {
            return generator.generate(sub, GaussianNoise.floats(seed, c * latentSize * latentSize * latentSize),
                    latentSize);
        }
    }

    @Override
    public void close() {
        manager.close();
    }
}
