package dev.microforge.models.slicegan;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import dev.microforge.datasets.Volume;
import dev.microforge.models.Engines;
import dev.microforge.models.GaussianNoise;
import dev.microforge.models.gan.Generator3d;
import java.util.ArrayList;
import java.util.List;

/**
 * A SliceGAN (Kench and Cooper 2021): a 3D {@link Generator3d} with a spatial latent and one or
 * three 2D {@link Critic2d}s, plus phase labels and the training seed. Owns the NDManager holding the
 * parameters; close it when done.
 *
 * <p>Generation is the 3D GAN's: a standard-normal latent {@code (1, latentChannels, s, s, s)} from
 * a Java random stream, one forward pass, argmax over phases, giving a volume of edge {@code s *
 * 2^levels} for any latent edge {@code s}.
 */
public final class SliceGanModel implements AutoCloseable {

    private final SliceGanArchitecture architecture;
    private final List<String> phaseLabels;
    private final long seed;
    private final NDManager manager;
    private final Generator3d generator;
    private final List<Critic2d> critics = new ArrayList<>();

    private SliceGanModel(SliceGanArchitecture architecture, List<String> phaseLabels, long seed) {
        if (phaseLabels.size() != architecture.phases()) {
            throw new IllegalArgumentException(
                    architecture.phases() + " phases but " + phaseLabels.size() + " labels " + phaseLabels);
        }
        this.architecture = architecture;
        this.phaseLabels = List.copyOf(phaseLabels);
        this.seed = seed;
        this.manager = Engines.pytorch().newBaseManager(Engines.device());
        this.generator = new Generator3d(architecture.generator());
        for (int i = 0; i < architecture.critics(); i++) {
            critics.add(new Critic2d(architecture));
        }
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
    public static SliceGanModel create(SliceGanArchitecture architecture, List<String> phaseLabels, long seed) {
        Engines.pytorch().setRandomSeed((int) seed);
        SliceGanModel model = new SliceGanModel(architecture, phaseLabels, seed);
        model.initialize();
        return model;
    }

    /**
     * Creates a model whose parameters are initialised without reseeding the engine, to be
     * overwritten by {@code ModelDirectory.loadSliceGan}.
     *
     * @param architecture architecture table
     * @param phaseLabels one name per phase
     * @param seed the training seed recorded in the model directory
     * @return the model
     */
    public static SliceGanModel forLoading(SliceGanArchitecture architecture, List<String> phaseLabels, long seed) {
        SliceGanModel model = new SliceGanModel(architecture, phaseLabels, seed);
        model.initialize();
        return model;
    }

    private void initialize() {
        int step = 1 << architecture.criticWidths().size();
        int e = generator.smallestLatent();
        generator.initialize(manager, DataType.FLOAT32, new Shape(1, architecture.latentChannels(), e, e, e));
        for (Critic2d critic : critics) {
            critic.initialize(manager, DataType.FLOAT32, new Shape(1, architecture.phases(), step, step));
        }
    }

    public SliceGanArchitecture architecture() {
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

    /**
     * Returns the critics: one (isotropic) or three (index 0 = x, 1 = y, 2 = z).
     *
     * @return unmodifiable list of critics
     */
    public List<Critic2d> critics() {
        return List.copyOf(critics);
    }

    /**
     * Returns the critic that judges slices normal to {@code axis}.
     *
     * @param axis the slice normal
     * @return the shared critic (isotropic) or the axis's own
     */
    public Critic2d critic(dev.microforge.datasets.Axis axis) {
        return critics.size() == 1 ? critics.get(0) : critics.get(axis.ordinal());
    }

    /**
     * Draws a standard-normal spatial latent from a Java random stream.
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
     * Generates one labelled volume of edge {@code latentSize * 2^levels}, the latent padded by {@link
     * Generator3d#latentMargin()} voxels of its mirror image and the margin cut ({@link Generator3d#generate}, as {@code microforge generate}); deterministic
     * for a seed.
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
