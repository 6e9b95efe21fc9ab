package dev.microforge.models.layers;

import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.core.Linear;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Gradient checks of every layer configuration the SliceGAN critics and the VAE add to those in
 * {@link GradientCheckTest}, at batch 2: 2D layers at 64² (SliceGAN's slice size, above the 32²
 * where a 3D-like libtorch bug would show), 3D layers at a 32³ input. Autograd is compared with
 * central finite differences at random inputs and weights and, for every input voxel, with a float64
 * recomputation (see {@link GradientCheck}). The SliceGAN generator and the VAE decoder reuse the
 * 16->16 resize-convolution already verified there; the decoder's logits are a 1x1x1 convolution.
 */
class SliceGanVaeGradientCheckTest {

    private static final float LINEAR_EPS = 0.5f;
    private static final double TOLERANCE = 1e-2;
    private static final double FULL_TOLERANCE = 1e-4;
    private static final int INPUT_PROBES = 10;
    private static final int WEIGHT_PROBES = 3;

    static Stream<Arguments> configurations() {
        return Stream.of(
                // SliceGAN critic (default widths 16, 32, 64, 64; 2 or 3 phases in)
                config("2D 4x4/2 conv 2->16 at 64^2", () -> Convolutions2d.strided4(16), new Shape(2, 2, 64, 64)),
                config("2D 4x4/2 conv 3->16 at 64^2", () -> Convolutions2d.strided4(16), new Shape(2, 3, 64, 64)),
                config("2D 4x4/2 conv 16->32 at 64^2", () -> Convolutions2d.strided4(32), new Shape(2, 16, 64, 64)),
                config("2D 4x4/2 conv 32->64 at 64^2", () -> Convolutions2d.strided4(64), new Shape(2, 32, 64, 64)),
                config("2D 4x4/2 conv 64->64 at 64^2", () -> Convolutions2d.strided4(64), new Shape(2, 64, 64, 64)),
                // the transposed convolutions of Critic2d.inputGradient (the penalty's backward pass runs
                // through them): 4x4, stride 1, padding 2, from each level's width to its input's (the
                // phase channels padded to 16)
                config("2D 4x4/1 pad-2 conv 16->16 at 64^2", () -> transposedConv(16), new Shape(2, 16, 64, 64)),
                config("2D 4x4/1 pad-2 conv 32->16 at 64^2", () -> transposedConv(16), new Shape(2, 32, 64, 64)),
                config("2D 4x4/1 pad-2 conv 64->32 at 64^2", () -> transposedConv(32), new Shape(2, 64, 64, 64)),
                config("2D 4x4/1 pad-2 conv 64->64 at 64^2", () -> transposedConv(64), new Shape(2, 64, 64, 64)),
                config("critic output linear 64->1", () -> Linear.builder().setUnits(1).build(), new Shape(2, 64)),
                // VAE encoder (default widths 16, 16, 16, 32) and its mean/log-variance head
                config("4^3/2 conv 2->16 at 32^3", () -> Convolutions3d.strided4(16), new Shape(2, 2, 32, 32, 32)),
                config("4^3/2 conv 3->16 at 32^3", () -> Convolutions3d.strided4(16), new Shape(2, 3, 32, 32, 32)),
                config("4^3/2 conv 16->32 at 32^3", () -> Convolutions3d.strided4(32), new Shape(2, 16, 32, 32, 32)),
                config("4^3/2 conv 16->16 at 32^3", () -> Convolutions3d.strided4(16), new Shape(2, 16, 32, 32, 32)),
                config("encoder linear 2048->32", () -> Linear.builder().setUnits(32).build(), new Shape(2, 2048)),
                // VAE decoder input map (latent 16 -> 16 x 4^3) and logits
                config("decoder linear 16->1024", () -> Linear.builder().setUnits(1024).build(), new Shape(2, 16)),
                config("1x1x1 logits 16->3 at 32^3", () -> Convolutions3d.pointwise(3), new Shape(2, 16, 32, 32, 32)));
    }

    private static Block transposedConv(int outputChannels) {
        return Conv2d.builder()
                .setKernelShape(new Shape(4, 4))
                .optPadding(new Shape(2, 2))
                .setFilters(outputChannels)
                .build();
    }

    private static Arguments config(String name, Supplier<Block> block, Shape input) {
        return Arguments.of(name, block, input);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("configurations")
    void autogradMatchesFiniteDifferencesAndFloat64(String name, Supplier<Block> block, Shape input) {
        // Given a freshly initialised block and a fixed random loss weighting
        // When autograd is compared with central differences and a float64 recomputation
        GradientCheck.Result result = GradientCheck.run(block.get(), block.get(), input, 42, INPUT_PROBES, WEIGHT_PROBES, LINEAR_EPS);
        System.out.printf(
                "gradient check %-30s max rel. error input %.2e, weights %.2e (%d + %d probes), all inputs vs float64 %.2e%n",
                name, result.maxInputError(), result.maxWeightError(), result.inputProbes(), result.weightProbes(),
                result.fullInputGradientError());
        // Then they agree to float32 accuracy
        assertTrue(result.maxInputError() < TOLERANCE, name + ": input gradient off by " + result.maxInputError());
        assertTrue(result.maxWeightError() < TOLERANCE, name + ": weight gradient off by " + result.maxWeightError());
        assertTrue(result.fullInputGradientError() < FULL_TOLERANCE,
                name + ": float32 input gradient differs from float64 by " + result.fullInputGradientError());
    }
}
