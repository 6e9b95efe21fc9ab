package dev.microforge.training;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.util.Pair;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Adam (Kingma and Ba, "Adam: A Method for Stochastic Optimization", ICLR 2015) on the trainable
 * parameters of one block, with its state (step count and both moment estimates) open to saving
 * and restoring, which DJL's own optimiser does not offer: a resumed run must continue with the same
 * moments to continue exactly.
 *
 * <p>Per step {@code t} and parameter {@code w} with gradient {@code g} (float32, in place):
 * <pre>
 *   m = beta1 m + (1 - beta1) g
 *   v = beta2 v + (1 - beta2) g^2
 *   w = w - lr (m / (1 - beta1^t)) / (sqrt(v / (1 - beta2^t)) + eps)
 * </pre>
 * as in PyTorch's {@code torch.optim.Adam} (no weight decay, no AMSGrad). Moments start at zero on
 * the first step.
 *
 * <p>With an average decay {@code d > 0} the optimiser also keeps an exponential moving average of the
 * iterates, {@code a = d a + (1 - d) w} after every step ({@code a = w} after the first): the averaged
 * generator of Yazıcı et al., "The Unusual Effectiveness of Averaging in GAN Training", ICLR 2019, which
 * damps the oscillation of adversarial training around its equilibrium. {@link #swapAverage()} exchanges
 * the weights with their averages in place (twice restores them), so a trainer can sample or save the
 * averaged network and continue training the raw one.
 *
 * <p>State file: magic, version, step count, then per parameter its name and the two moments as
 * DJL-encoded arrays, then (version 2) the number of averaged parameters and per parameter its name and
 * average; loading checks names and shapes and reads version 1 files (no averages: averaging then starts
 * at the next step).
 */
public final class Adam implements AutoCloseable {

    private static final int MAGIC = 0x4D464144; // "MFAD"
    private static final int VERSION = 2;

    /**
     * Adam's hyperparameters.
     *
     * @param learningRate step size, > 0
     * @param beta1 first-moment decay in [0, 1)
     * @param beta2 second-moment decay in [0, 1)
     * @param epsilon denominator guard, > 0
     */
    public record Options(double learningRate, double beta1, double beta2, double epsilon) {

        /** Validates the options. */
        public Options {
            if (!(learningRate > 0) || !Double.isFinite(learningRate)) {
                throw new IllegalArgumentException("learning rate must be a finite number > 0, got " + learningRate);
            }
            if (!(beta1 >= 0 && beta1 < 1)) {
                throw new IllegalArgumentException("beta1 must be in [0, 1), got " + beta1);
            }
            if (!(beta2 >= 0 && beta2 < 1)) {
                throw new IllegalArgumentException("beta2 must be in [0, 1), got " + beta2);
            }
            if (!(epsilon > 0)) {
                throw new IllegalArgumentException("epsilon must be > 0, got " + epsilon);
            }
        }

        /**
         * The WGAN-GP defaults of Gulrajani et al.: learning rate 1e-4, betas 0.5 and 0.9, eps 1e-8.
         *
         * @return the defaults
         */
        public static Options defaults() {
            return new Options(1e-4, 0.5, 0.9, 1e-8);
        }
    }

    private final Block block;
    private final Options options;
    private final NDManager state;
    private final Map<String, NDArray[]> moments = new LinkedHashMap<>();
    private final Map<String, NDArray> averages = new LinkedHashMap<>();
    private final double averageDecay;
    private long steps;

    /**
     * Creates the optimiser; its state lives in a sub-manager of {@code manager}.
     *
     * @param block the block whose parameters it updates
     * @param manager the manager that owns the block's parameters
     * @param options hyperparameters
     */
    public Adam(Block block, NDManager manager, Options options) {
        this(block, manager, options, 0);
    }

    /**
     * Creates the optimiser with an exponential moving average of the iterates.
     *
     * @param block the block whose parameters it updates
     * @param manager the manager that owns the block's parameters
     * @param options hyperparameters
     * @param averageDecay {@code d} in [0, 1); 0 keeps no average
     */
    public Adam(Block block, NDManager manager, Options options, double averageDecay) {
        if (!(averageDecay >= 0 && averageDecay < 1)) {
            throw new IllegalArgumentException("average decay must be in [0, 1), got " + averageDecay);
        }
        this.block = block;
        this.options = options;
        this.averageDecay = averageDecay;
        this.state = manager.newSubManager();
    }

    /**
     * Returns the number of steps taken.
     *
     * @return steps since creation (or since the restored state's creation)
     */
    public long steps() {
        return steps;
    }

    /**
     * Returns the hyperparameters.
     *
     * @return the options
     */
    public Options options() {
        return options;
    }

    /**
     * Updates every trainable parameter from its gradient.
     *
     * @return the L2 norm of all gradients together (before the update), for divergence checks
     */
    public double step() {
        steps++;
        float b1 = (float) options.beta1();
        float b2 = (float) options.beta2();
        double c1 = 1 - Math.pow(options.beta1(), steps);
        double c2 = 1 - Math.pow(options.beta2(), steps);
        float stepSize = (float) (options.learningRate() / c1);
        float sqrtC2 = (float) Math.sqrt(c2);
        double squares = 0;
        try (NDManager scratch = state.newSubManager()) {
            for (Pair<String, Parameter> p : block.getParameters()) {
                Parameter parameter = p.getValue();
                if (!parameter.requiresGradient()) {
                    continue;
                }
                NDArray weight = parameter.getArray();
                NDArray grad = scoped(weight.getGradient(), scratch);
                NDArray[] mv = moments.computeIfAbsent(p.getKey(), k -> new NDArray[] {
                    state.zeros(weight.getShape(), weight.getDataType(), weight.getDevice()),
                    state.zeros(weight.getShape(), weight.getDataType(), weight.getDevice())});
                squares += scoped(grad.square().sum(), scratch).getFloat();
                mv[0].muli(b1).addi(scoped(grad.mul(1 - b1), scratch));
                mv[1].muli(b2).addi(scoped(grad.square().muli(1 - b2), scratch));
                NDArray denominator = scoped(mv[1].sqrt(), scratch).divi(sqrtC2).addi((float) options.epsilon());
                NDArray update = scoped(mv[0].mul(stepSize), scratch).divi(denominator);
                weight.subi(update);
                if (averageDecay > 0) {
                    NDArray average = averages.get(p.getKey());
                    if (average == null) {
                        average = weight.duplicate();
                        average.attach(state);
                        averages.put(p.getKey(), average);
                    } else {
                        average.muli((float) averageDecay).addi(scoped(weight.mul((float) (1 - averageDecay)),
                                scratch));
                    }
                }
            }
        }
        return Math.sqrt(squares);
    }

    /**
     * Whether this optimiser keeps an average of the iterates.
     *
     * @return true when its average decay is above 0
     */
    public boolean averaging() {
        return averageDecay > 0;
    }

    /**
     * Exchanges every averaged parameter's weights with its average, in place (exact copies: calling it twice
     * restores the weights bit for bit). Nothing happens before the first step or without averaging.
     */
    public void swapAverage() {
        try (NDManager scratch = state.newSubManager()) {
            for (Pair<String, Parameter> p : block.getParameters()) {
                NDArray average = averages.get(p.getKey());
                if (average == null) {
                    continue;
                }
                NDArray weight = p.getValue().getArray();
                NDArray held = scoped(weight.duplicate(), scratch);
                weight.muli(0f).addi(average);
                average.muli(0f).addi(held);
            }
        }
    }

    /**
     * Returns the L2 norm of all trainable parameters' current gradients, what {@link #step()} would
     * report, without updating anything (for {@link GradientGuard}).
     *
     * @return the norm
     */
    public double gradientNorm() {
        double squares = 0;
        try (NDManager scratch = state.newSubManager()) {
            for (Pair<String, Parameter> p : block.getParameters()) {
                if (p.getValue().requiresGradient()) {
                    NDArray grad = scoped(p.getValue().getArray().getGradient(), scratch);
                    squares += scoped(grad.square().sum(), scratch).getFloat();
                }
            }
        }
        return Math.sqrt(squares);
    }

    private static NDArray scoped(NDArray array, NDManager scratch) {
        array.attach(scratch);
        return array;
    }

    /**
     * Writes the step count and moments.
     *
     * @param out the stream
     * @throws IOException if writing fails
     */
    public void save(DataOutputStream out) throws IOException {
        out.writeInt(MAGIC);
        out.writeInt(VERSION);
        out.writeLong(steps);
        out.writeInt(moments.size());
        for (Map.Entry<String, NDArray[]> e : moments.entrySet()) {
            out.writeUTF(e.getKey());
            for (NDArray a : e.getValue()) {
                byte[] bytes = a.encode();
                out.writeInt(bytes.length);
                out.write(bytes);
            }
        }
        out.writeInt(averages.size());
        for (Map.Entry<String, NDArray> e : averages.entrySet()) {
            out.writeUTF(e.getKey());
            byte[] bytes = e.getValue().encode();
            out.writeInt(bytes.length);
            out.write(bytes);
        }
    }

    /**
     * Restores a state written by {@link #save}, replacing the current one.
     *
     * @param in the stream
     * @throws IOException if reading fails or the state does not fit this block
     */
    public void load(DataInputStream in) throws IOException {
        if (in.readInt() != MAGIC) {
            throw new IOException("not an optimiser state file (bad magic number)");
        }
        int version = in.readInt();
        if (version != 1 && version != VERSION) {
            throw new IOException("optimiser state version " + version + " is not supported (expected 1 or "
                    + VERSION + ")");
        }
        long restoredSteps = in.readLong();
        int count = in.readInt();
        Map<String, Parameter> parameters = new LinkedHashMap<>();
        for (Pair<String, Parameter> p : block.getParameters()) {
            parameters.put(p.getKey(), p.getValue());
        }
        Map<String, NDArray[]> restored = new LinkedHashMap<>();
        Map<String, NDArray> restoredAverages = new LinkedHashMap<>();
        List<NDArray> created = new ArrayList<>();
        try {
            for (int i = 0; i < count; i++) {
                String name = in.readUTF();
                NDArray[] mv = new NDArray[2];
                for (int k = 0; k < 2; k++) {
                    mv[k] = readArray(in, name, parameters, created);
                }
                restored.put(name, mv);
            }
            int averaged = version == 1 ? 0 : in.readInt();
            for (int i = 0; i < averaged; i++) {
                String name = in.readUTF();
                restoredAverages.put(name, readArray(in, name, parameters, created));
            }
        } catch (IOException | RuntimeException e) {
            created.forEach(NDArray::close);
            throw e;
        }
        moments.values().forEach(mv -> {
            mv[0].close();
            mv[1].close();
        });
        moments.clear();
        moments.putAll(restored);
        averages.values().forEach(NDArray::close);
        averages.clear();
        averages.putAll(restoredAverages);
        steps = restoredSteps;
    }

    /** One array of parameter {@code name}'s state, checked against the parameter's shape. */
    private NDArray readArray(DataInputStream in, String name, Map<String, Parameter> parameters,
            List<NDArray> created) throws IOException {
        Parameter parameter = parameters.get(name);
        if (parameter == null) {
            throw new IOException("optimiser state names parameter '" + name + "', which this network lacks");
        }
        byte[] bytes = new byte[in.readInt()];
        in.readFully(bytes);
        NDArray a = NDArray.decode(state, bytes);
        created.add(a);
        if (!a.getShape().equals(parameter.getArray().getShape())) {
            throw new IOException("optimiser state of '" + name + "' has shape " + a.getShape()
                    + ", the parameter " + parameter.getArray().getShape());
        }
        return a;
    }

    /**
     * Writes the state to a file through a temporary file renamed into place.
     *
     * @param file the file
     * @throws IOException if writing fails
     */
    public void save(Path file) throws IOException {
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        try (DataOutputStream out = new DataOutputStream(new BufferedOutputStream(Files.newOutputStream(tmp)))) {
            save(out);
        }
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
    }

    /**
     * Restores the state from a file written by {@link #save(Path)}.
     *
     * @param file the file
     * @throws NoSuchFileException if it is missing (a checkpoint without optimiser state)
     * @throws IOException if reading fails or the state does not fit this block, naming the file
     */
    public void load(Path file) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new NoSuchFileException(file.toString(), null, "checkpoint has no optimiser state");
        }
        try (DataInputStream in = new DataInputStream(new BufferedInputStream(Files.newInputStream(file)))) {
            load(in);
        } catch (IOException e) {
            throw new IOException(file + ": " + e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        state.close();
    }
}
