package dev.microforge.models.vae;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import dev.microforge.datasets.Volume;
import dev.microforge.models.Engines;
import dev.microforge.models.GaussianNoise;
import dev.microforge.models.OneHot;
import java.util.List;

/**
 * A 3D VAE (Kingma and Welling 2014; beta-VAE, Higgins et al. 2017): {@link VaeEncoder}, {@link
 * VaeDecoder}, phase labels and the training seed. Owns the NDManager holding the parameters; close
 * it when done.
 *
 * <p>{@link #encode(Volume)} and {@link #decode(double[])} are the engine-free boundary used by the
 * generator and the optimiser: a volume of {@code inputSize³} labels in, the posterior mean vector
 * out (its space serves as the optimiser's design variables), and back. Both are deterministic
 * (inference mode, no sampling).
 */
public final class VaeModel implements AutoCloseable {

    private final VaeArchitecture architecture;
    private final List<String> phaseLabels;
    private final long seed;
    private final NDManager manager;
    private final VaeEncoder encoder;
    private final VaeDecoder decoder;

    private VaeModel(VaeArchitecture architecture, List<String> phaseLabels, long seed) {
        if (phaseLabels.size() != architecture.phases()) {
            throw new IllegalArgumentException(
                    architecture.phases() + " phases but " + phaseLabels.size() + " labels " + phaseLabels);
        }
        this.architecture = architecture;
        this.phaseLabels = List.copyOf(phaseLabels);
        this.seed = seed;
        this.manager = Engines.pytorch().newBaseManager(Engines.device());
        this.encoder = new VaeEncoder(architecture);
        this.decoder = new VaeDecoder(architecture);
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
    public static VaeModel create(VaeArchitecture architecture, List<String> phaseLabels, long seed) {
        Engines.pytorch().setRandomSeed((int) seed);
        VaeModel model = new VaeModel(architecture, phaseLabels, seed);
        model.initialize();
        return model;
    }

    /**
     * Creates a model whose parameters are initialised without reseeding the engine, to be
     * overwritten by {@code ModelDirectory.loadVae}.
     *
     * @param architecture architecture table
     * @param phaseLabels one name per phase
     * @param seed the training seed recorded in the model directory
     * @return the model
     */
    public static VaeModel forLoading(VaeArchitecture architecture, List<String> phaseLabels, long seed) {
        VaeModel model = new VaeModel(architecture, phaseLabels, seed);
        model.initialize();
        return model;
    }

    private void initialize() {
        int n = architecture.inputSize();
        encoder.initialize(manager, DataType.FLOAT32, new Shape(1, architecture.phases(), n, n, n));
        decoder.initialize(manager, DataType.FLOAT32, new Shape(1, architecture.latentDimension()));
    }

    public VaeArchitecture architecture() {
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

    public VaeEncoder encoder() {
        return encoder;
    }

    public VaeDecoder decoder() {
        return decoder;
    }

    /**
     * Returns the number of latent entries (design variables).
     *
     * @return the latent dimension
     */
    public int latentDimension() {
        return architecture.latentDimension();
    }

    /**
     * Returns the edge of the cubic volumes this model encodes and decodes.
     *
     * @return the input size in voxels
     */
    public int inputSize() {
        return architecture.inputSize();
    }

    /**
     * Encodes a volume to the mean of q(z | x).
     *
     * @param volume {@code inputSize³} voxels with labels {@code 0..phases-1}
     * @return the mean vector, {@code latentDimension} entries
     * @throws IllegalArgumentException for another size or a label out of range
     */
    public double[] encode(Volume volume) {
        int n = architecture.inputSize();
        if (volume.nx() != n || volume.ny() != n || volume.nz() != n) {
            throw new IllegalArgumentException(
                    "this VAE encodes " + n + "^3 volumes, got " + volume.nx() + "x" + volume.ny() + "x" + volume.nz()
                            + "; crop a " + n + "^3 block first");
        }
        try (NDManager sub = manager.newSubManager()) {
            NDArray x = sub.create(OneHot.encode(volume, architecture.phases()), new Shape(1, architecture.phases(), n, n, n));
            NDList out = encoder.forward(new ParameterStore(sub, false), new NDList(x), false);
            float[] mean = out.get(0).toFloatArray();
            double[] result = new double[mean.length];
            for (int i = 0; i < mean.length; i++) {
                result[i] = mean[i];
            }
            return result;
        }
    }

    /**
     * Decodes a latent vector to the most probable phase of each voxel.
     *
     * @param latent {@code latentDimension} finite entries
     * @return a volume of {@code inputSize³} labels {@code 0..phases-1}
     * @throws IllegalArgumentException for a wrong length or a non-finite entry
     */
    public Volume decode(double[] latent) {
        try (NDManager sub = manager.newSubManager()) {
            int n = architecture.inputSize();
            byte[] labels = logits(sub, latent).argMax(1).toType(DataType.UINT8, false).toByteArray();
            return Volume.of(n, n, n, labels);
        }
    }

    /**
     * Decodes a latent vector to the phase logits of each voxel (their argmax is {@link #decode}).
     *
     * @param latent {@code latentDimension} finite entries
     * @return C-order {@code (phases, n, n, n)} logits, {@code n = inputSize}, x fastest
     * @throws IllegalArgumentException for a wrong length or a non-finite entry
     */
    public float[] decodeLogits(double[] latent) {
        try (NDManager sub = manager.newSubManager()) {
            return logits(sub, latent).toFloatArray();
        }
    }

    /** The decoder's logits {@code (1, phases, n, n, n)} of a checked latent vector, in {@code sub}. */
    private NDArray logits(NDManager sub, double[] latent) {
        if (latent == null || latent.length != architecture.latentDimension()) {
            throw new IllegalArgumentException(
                    "expected a latent vector of " + architecture.latentDimension() + " entries, got "
                            + (latent == null ? "none" : latent.length));
        }
        float[] z = new float[latent.length];
        for (int i = 0; i < z.length; i++) {
            if (!Double.isFinite(latent[i])) {
                throw new IllegalArgumentException("latent entry " + i + " is not finite: " + latent[i]);
            }
            z[i] = (float) latent[i];
        }
        return decoder.forward(new ParameterStore(sub, false), new NDList(sub.create(z, new Shape(1, z.length))),
                false).singletonOrThrow();
    }

    /**
     * Decodes a latent vector drawn from the standard-normal prior.
     *
     * @param seed latent seed
     * @return a generated volume; deterministic for a seed
     */
    public Volume sample(long seed) {
        float[] z = GaussianNoise.floats(seed, architecture.latentDimension());
        double[] latent = new double[z.length];
        for (int i = 0; i < z.length; i++) {
            latent[i] = z[i];
        }
        return decode(latent);
    }

    @Override
    public void close() {
        manager.close();
    }
}
