package dev.microforge.models.layers;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import ai.djl.util.Pair;
import dev.microforge.models.Engines;
import java.util.SplittableRandom;

/**
 * Checks the autograd gradients of a block two independent ways: against central finite
 * differences in float32 at a few input voxels and weights, and, for every input voxel, against the
 * same gradient recomputed in float64.
 *
 * <p>Loss: {@code L = sum(block(x) * r)} with a fixed standard-normal {@code r} of the output's
 * shape. Finite differences perturb one input voxel or one weight by {@code ±eps}, run two forward
 * passes and evaluate {@code (L+ - L-) / (x+ - x-)} as {@code sum((y+ - y-) * r) / (x+ - x-)},
 * accumulated in double from the float outputs: subtracting the outputs before summing keeps the
 * float32 rounding of the million-term loss out of the difference. What remains is the rounding of
 * the outputs themselves (about 1e-6 each), divided by {@code 2 eps}: linear layers therefore use
 * a large step (their finite difference has no truncation error). The relative error of a probe is {@code |g - fd| / max(|g|, |fd|, 1e-3
 * * max|g|)}, so tiny gradients are compared on the gradient's own scale.
 */
final class GradientCheck {

    /**
     * Largest relative errors over the input probes and the weight probes (NaN counts as +inf), and
     * the largest difference over every voxel between the float32 input gradient and a float64
     * recomputation, relative to the largest float64 gradient entry.
     */
    record Result(
            double maxInputError,
            double maxWeightError,
            double fullInputGradientError,
            int inputProbes,
            int weightProbes) {}

    /** How many float32 backward passes are compared with the float64 recomputation. */
    static final int FLOAT32_REPEATS = 3;

    private GradientCheck() {}

    private static float[] inputGradient32(Block block, NDManager manager, float[] xv, Shape shape, NDArray r) {
        try (NDManager sub = manager.newSubManager()) {
            NDArray x = sub.create(xv, shape);
            x.setRequiresGradient(true);
            try (GradientCollector collector = Engines.pytorch().newGradientCollector()) {
                NDArray y = block.forward(new ParameterStore(sub, false), new NDList(x), true).singletonOrThrow();
                collector.backward(y.mul(r).sum());
            }
            return x.getGradient().toFloatArray();
        }
    }

    /**
     * Runs the check.
     *
     * @param block the block (uninitialised)
     * @param twin a second, uninitialised block of the same configuration, used for the float64
     *     recomputation (its parameters are overwritten with {@code block}'s)
     */
    static Result run(
            Block block, Block twin, Shape inputShape, int seed, int inputProbes, int weightProbes, float eps) {
        Engine engine = Engines.pytorch();
        engine.setRandomSeed(seed);
        SplittableRandom random = new SplittableRandom(seed);
        try (NDManager manager = engine.newBaseManager()) {
            block.initialize(manager, DataType.FLOAT32, inputShape);
            ParameterStore store = new ParameterStore(manager, false);
            NDArray x = manager.randomNormal(inputShape);
            Shape outShape = block.getOutputShapes(new Shape[] {inputShape})[0];
            float[] r = manager.randomNormal(outShape).toFloatArray();
            NDArray rArray = manager.create(r, outShape);

            float[] xv = x.toFloatArray();
            float[] inputGradient = inputGradient32(block, manager, xv, inputShape, rArray);

            // Input probes: the first and last voxel (padding corners) and random ones.
            double maxInput = 0;
            double inputScale = maxAbs(inputGradient);
            for (int p = 0; p < inputProbes; p++) {
                int i = p == 0 ? 0 : p == 1 ? xv.length - 1 : random.nextInt(xv.length);
                float[] plus = xv.clone();
                float[] minus = xv.clone();
                plus[i] += eps;
                minus[i] -= eps;
                double fd = difference(block, store, manager, plus, minus, inputShape, r) / ((double) plus[i] - minus[i]);
                maxInput = Math.max(maxInput, error(inputGradient[i], fd, inputScale));
            }

            // Weight probes: a few entries of every parameter, perturbed in place (grad mode is off
            // outside the collector) and restored.
            double maxWeight = 0;
            int weightCount = 0;
            for (Pair<String, Parameter> pair : block.getParameters()) {
                NDArray w = pair.getValue().getArray();
                float[] gradient = w.getGradient().toFloatArray();
                float[] values = w.toFloatArray();
                double scale = maxAbs(gradient);
                for (int p = 0; p < weightProbes; p++) {
                    int i = random.nextInt(values.length);
                    NDIndex index = new NDIndex(unravel(i, w.getShape()));
                    float plus = values[i] + eps;
                    float minus = values[i] - eps;
                    w.set(index, plus);
                    float[] yPlus = forward(block, store, manager, xv, inputShape);
                    w.set(index, minus);
                    float[] yMinus = forward(block, store, manager, xv, inputShape);
                    w.set(index, values[i]);
                    double fd = dot(yPlus, yMinus, r) / ((double) plus - minus);
                    maxWeight = Math.max(maxWeight, error(gradient[i], fd, scale));
                    weightCount++;
                }
            }
            // The libtorch bug is intermittent (it showed on the second of two identical runs in one
            // JVM), so the float32 backward pass is repeated and every repetition is compared.
            double full = 0;
            for (int repeat = 0; repeat < FLOAT32_REPEATS; repeat++) {
                float[] g32 = repeat == 0 ? inputGradient : inputGradient32(block, manager, xv, inputShape, rArray);
                full = Math.max(full, float64InputGradientError(block, twin, manager, xv, inputShape, r, g32));
            }
            return new Result(maxInput, maxWeight, full, inputProbes, weightCount);
        }
    }

    /**
     * Recomputes the input gradient of every voxel in float64 (libtorch's native double convolution,
     * not the oneDNN float32 kernels) and returns {@code max|g32 - g64| / max|g64|}; +inf if any
     * float32 entry is not finite.
     */
    private static double float64InputGradientError(
            Block block, Block twin, NDManager manager, float[] xv, Shape shape, float[] r, float[] g32) {
        try (NDManager sub = manager.newSubManager()) {
            if (!twin.isInitialized()) {
                twin.initialize(manager, DataType.FLOAT64, shape);
            }
            var source = block.getParameters();
            var target = twin.getParameters();
            for (int i = 0; i < source.size(); i++) {
                NDArray w = target.get(i).getValue().getArray();
                w.set(new NDIndex(":"), source.get(i).getValue().getArray().toType(DataType.FLOAT64, true));
            }
            NDArray x = sub.create(xv, shape).toType(DataType.FLOAT64, true);
            NDArray weights = sub.create(r, twin.getOutputShapes(new Shape[] {shape})[0]).toType(DataType.FLOAT64, true);
            x.setRequiresGradient(true);
            try (GradientCollector collector = Engines.pytorch().newGradientCollector()) {
                NDArray y = twin.forward(new ParameterStore(sub, false), new NDList(x), true).singletonOrThrow();
                collector.backward(y.mul(weights).sum());
            }
            double[] g64 = x.getGradient().toDoubleArray();
            double scale = 0;
            double worst = 0;
            for (int i = 0; i < g64.length; i++) {
                if (!Float.isFinite(g32[i])) {
                    return Double.POSITIVE_INFINITY;
                }
                scale = Math.max(scale, Math.abs(g64[i]));
                worst = Math.max(worst, Math.abs(g32[i] - g64[i]));
            }
            return worst / scale;
        }
    }

    private static double difference(
            Block block, ParameterStore store, NDManager manager, float[] plus, float[] minus, Shape shape, float[] r) {
        return dot(forward(block, store, manager, plus, shape), forward(block, store, manager, minus, shape), r);
    }

    /** One inference forward pass; every array it creates is freed on return. */
    private static float[] forward(Block block, ParameterStore store, NDManager manager, float[] input, Shape shape) {
        try (NDManager sub = manager.newSubManager()) {
            return block.forward(store, new NDList(sub.create(input, shape)), false)
                    .singletonOrThrow()
                    .toFloatArray();
        }
    }

    private static double dot(float[] yPlus, float[] yMinus, float[] r) {
        double sum = 0;
        for (int j = 0; j < r.length; j++) {
            sum += ((double) yPlus[j] - yMinus[j]) * r[j];
        }
        return sum;
    }

    private static double error(double gradient, double fd, double scale) {
        double e = Math.abs(gradient - fd) / Math.max(Math.max(Math.abs(gradient), Math.abs(fd)), 1e-3 * scale);
        return Double.isNaN(e) ? Double.POSITIVE_INFINITY : e;
    }

    private static double maxAbs(float[] values) {
        double m = 0;
        for (float v : values) {
            m = Math.max(m, Math.abs(v));
        }
        return m;
    }

    private static long[] unravel(int flat, Shape shape) {
        long[] index = new long[shape.dimension()];
        long rest = flat;
        for (int d = shape.dimension() - 1; d >= 0; d--) {
            index[d] = rest % shape.get(d);
            rest /= shape.get(d);
        }
        return index;
    }
}
