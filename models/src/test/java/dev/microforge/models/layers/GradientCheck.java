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
 * Compares autograd gradients of a block with central finite differences in float32.
 *
 * <p>Loss: {@code L = sum(block(x) * r)} with a fixed standard-normal {@code r} of the output's
 * shape. Finite differences perturb one input voxel or one weight by {@code ±eps}, run two forward
 * passes and evaluate {@code (L+ - L-) / (x+ - x-)} as {@code sum((y+ - y-) * r) / (x+ - x-)},
 * accumulated in double from the float outputs: subtracting the outputs before summing keeps the
 * float32 rounding of the 500k-term loss out of the difference, so the check is accurate to about
 * 1e-4 for linear layers. The relative error of a probe is {@code |g - fd| / max(|g|, |fd|, 1e-3
 * * max|g|)}, so tiny gradients are compared on the gradient's own scale.
 */
final class GradientCheck {

    /** Largest relative errors over the input probes and the weight probes (NaN counts as +inf). */
    record Result(double maxInputError, double maxWeightError, int inputProbes, int weightProbes) {}

    private GradientCheck() {}

    static Result run(Block block, Shape inputShape, int seed, int inputProbes, int weightProbes, float eps) {
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

            x.setRequiresGradient(true);
            try (GradientCollector collector = engine.newGradientCollector()) {
                NDArray y = block.forward(store, new NDList(x), true).singletonOrThrow();
                collector.backward(y.mul(rArray).sum());
            }
            float[] inputGradient = x.getGradient().toFloatArray();
            float[] xv = x.toFloatArray();

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
            NDArray frozenInput = manager.create(xv, inputShape);
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
                    float[] yPlus = forward(block, store, frozenInput);
                    w.set(index, minus);
                    float[] yMinus = forward(block, store, frozenInput);
                    w.set(index, values[i]);
                    double fd = dot(yPlus, yMinus, r) / ((double) plus - minus);
                    maxWeight = Math.max(maxWeight, error(gradient[i], fd, scale));
                    weightCount++;
                }
            }
            return new Result(maxInput, maxWeight, inputProbes, weightCount);
        }
    }

    private static double difference(
            Block block, ParameterStore store, NDManager manager, float[] plus, float[] minus, Shape shape, float[] r) {
        try (NDManager sub = manager.newSubManager()) {
            float[] yPlus = forward(block, store, sub.create(plus, shape));
            float[] yMinus = forward(block, store, sub.create(minus, shape));
            return dot(yPlus, yMinus, r);
        }
    }

    private static float[] forward(Block block, ParameterStore store, NDArray input) {
        try (NDManager sub = input.getManager().newSubManager()) {
            NDArray y = block.forward(store, new NDList(input), false).singletonOrThrow();
            y.attach(sub);
            return y.toFloatArray();
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
