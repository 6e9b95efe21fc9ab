package dev.microforge.models.layers;

import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Verifies the gradients of every layer configuration Microforge ships at 32³, where libtorch
 * 2.7.1's CPU 3x3x3 {@code Conv3d} input gradient is known to go wrong for output channel counts
 * that are not multiples of 16 (see {@link Convolutions3d}). A new layer configuration must be added
 * here before a model uses it, so that a wrong gradient can never silently train a model.
 */
class GradientCheckTest {

    private static final float LINEAR_EPS = 0.5f;
    private static final float SOFTMAX_EPS = 1e-2f;
    private static final double TOLERANCE = 1e-2;
    /** float32 against float64 over every voxel, relative to the largest gradient entry. */
    private static final double FULL_TOLERANCE = 1e-4;
    private static final int INPUT_PROBES = 10;
    private static final int WEIGHT_PROBES = 3;

    /**
     * Every configuration the models use, at batch 2 (the bug showed at batch 2 and not at batch 1
     * here). Linear layers use a large step: their finite difference has no truncation error, and a
     * small step amplifies the float32 rounding of two million outputs (eps = 1e-2 gave 1e-2 errors
     * for a correct 16->32 layer). The softmax head is nonlinear and uses a small step.
     */
    static Stream<Arguments> shippedConfigurations() {
        return Stream.of(
                config("3x3x3 conv 1->16 at 32^3", () -> Convolutions3d.kernel3(16), new Shape(2, 1, 32, 32, 32), LINEAR_EPS),
                config("3x3x3 conv 3->16 at 32^3 (critic input, 3 phases)", () -> Convolutions3d.kernel3(16), new Shape(2, 3, 32, 32, 32), LINEAR_EPS),
                config("3x3x3 conv 1->32 at 32^3", () -> Convolutions3d.kernel3(32), new Shape(2, 1, 32, 32, 32), LINEAR_EPS),
                config("3x3x3 conv 16->16 at 32^3", () -> Convolutions3d.kernel3(16), new Shape(2, 16, 32, 32, 32), LINEAR_EPS),
                config("3x3x3 conv 16->32 at 32^3", () -> Convolutions3d.kernel3(32), new Shape(2, 16, 32, 32, 32), LINEAR_EPS),
                config("resize-conv 16->16, 16^3 to 32^3", () -> new ResizeConvolution3d(16), new Shape(2, 16, 16, 16, 16), LINEAR_EPS),
                config("3x3x3 conv, no padding, 16->64 at 34^3 (generator latent level)", () -> Convolutions3d.kernel3Valid(64), new Shape(2, 16, 34, 34, 34), LINEAR_EPS),
                config("3x3x3 conv, no padding, 64->64 at 18^3 (generator latent level)", () -> Convolutions3d.kernel3Valid(64), new Shape(2, 64, 18, 18, 18), LINEAR_EPS),
                config("resize-conv 64->16, 16^3 to 32^3 (first level after latent convolutions)", () -> new ResizeConvolution3d(16), new Shape(2, 64, 16, 16, 16), LINEAR_EPS),
                config("phase head 16->3 at 32^3", () -> new PhaseHead(3), new Shape(2, 16, 32, 32, 32), SOFTMAX_EPS),
                config("3x3 conv2d 2->32 at 32^2 (random Gram features, 2 phases)", () -> conv2d(32), new Shape(2, 2, 32, 32), LINEAR_EPS),
                config("3x3 conv2d 3->32 at 32^2 (random Gram features, 3 phases)", () -> conv2d(32), new Shape(2, 3, 32, 32), LINEAR_EPS),
                config("3x3 conv2d 32->32 at 32^2 (random Gram features, second layer)", () -> conv2d(32), new Shape(2, 32, 32, 32), LINEAR_EPS),
                config("3x3 conv2d 3->16 at 32^2 (random Gram features, 16 filters)", () -> conv2d(16), new Shape(2, 3, 32, 32), LINEAR_EPS));
    }

    /** The 2D layer of {@code RandomFeatureExtractor}: 3x3, zero padding 1, no bias. */
    private static Block conv2d(int filters) {
        return ai.djl.nn.convolutional.Conv2d.builder().setKernelShape(new Shape(3, 3)).optPadding(new Shape(1, 1))
                .setFilters(filters).optBias(false).build();
    }

    private static Arguments config(String name, Supplier<Block> block, Shape input, float eps) {
        return Arguments.of(name, block, input, eps);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("shippedConfigurations")
    void autogradMatchesFiniteDifferences(String name, Supplier<Block> block, Shape input, float eps) {
        // Given a freshly initialised block and a fixed random loss weighting
        // When autograd and central differences are compared at random inputs and weights
        GradientCheck.Result result = GradientCheck.run(block.get(), block.get(), input, 42, INPUT_PROBES, WEIGHT_PROBES, eps);
        // Then both agree to float32 accuracy
        System.out.printf(
                "gradient check %-36s max rel. error input %.2e, weights %.2e (%d + %d probes),"
                        + " all voxels vs float64 %.2e%n",
                name, result.maxInputError(), result.maxWeightError(), result.inputProbes(),
                result.weightProbes(), result.fullInputGradientError());
        assertTrue(result.maxInputError() < TOLERANCE, name + ": input gradient off by " + result.maxInputError());
        assertTrue(result.maxWeightError() < TOLERANCE, name + ": weight gradient off by " + result.maxWeightError());
        assertTrue(
                result.fullInputGradientError() < FULL_TOLERANCE,
                name + ": float32 input gradient differs from float64 by " + result.fullInputGradientError());
    }

    /**
     * Negative control documenting the libtorch bug: 3x3x3 convolutions with 8 and 17 output
     * channels (built directly, bypassing {@link Convolutions3d}'s check) at batch 2, 16 input
     * channels, 32³. Nothing is asserted, since the bug depends on the CPU's oneDNN code path and is
     * intermittent. On the AMD EPYC (AVX-512) development machine, 16->8 gave a correct input
     * gradient in one run and, in later runs in the same JVM, one off by 17-27 % (largest difference
     * over all voxels relative to the largest float64 entry) or with non-finite entries; 16->17 was
     * off by 14 % or non-finite; batch 1 showed no error in our runs, which is why the shipped
     * configurations are checked at batch 2. Run with {@code -Dgroups=benchmark
     * -Dmicroforge.excludedGroups=none} to see what a given machine does.
     */
    @ParameterizedTest(name = "3x3x3 conv 16->{0} at batch 2, 32^3")
    @ValueSource(ints = {8, 17, 8, 17})
    @Tag("benchmark")
    void negativeControlOutputChannelsNotMultipleOf16(int outputChannels) {
        Supplier<Block> conv = () -> ai.djl.nn.convolutional.Conv3d.builder()
                .setKernelShape(new Shape(3, 3, 3))
                .optPadding(new Shape(1, 1, 1))
                .setFilters(outputChannels)
                .build();
        GradientCheck.Result result = GradientCheck.run(
                conv.get(), conv.get(), new Shape(2, 16, 32, 32, 32), 42, INPUT_PROBES, WEIGHT_PROBES, LINEAR_EPS);
        System.out.printf(
                "negative control 3x3x3 conv 16->%d at batch 2, 32^3: max rel. error input %.2e,"
                        + " weights %.2e, all voxels vs float64 %.2e%n",
                outputChannels, result.maxInputError(), result.maxWeightError(), result.fullInputGradientError());
    }
}
