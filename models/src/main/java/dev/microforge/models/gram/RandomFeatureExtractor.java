package dev.microforge.models.gram;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.pooling.Pool;
import dev.microforge.models.Engines;
import dev.microforge.models.layers.Convolutions3d;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;

/**
 * A multi-scale convolutional network with random, untrained filters: a texture descriptor that needs no
 * pretrained weights (Ustyuzhaninov, Brendel, Gatys and Bethge, "What does it take to generate natural textures?",
 * ICLR 2017, who showed that Gram matrices of one layer of random multi-scale filters synthesise textures about as
 * well as those of VGG-19).
 *
 * <p>Architecture, for an image {@code (N, phases, H, W)} of phase probabilities: the input is centred (minus
 * {@code 1 / phases}); for every scale {@code s} of {@link Options#scales()} it is averaged over {@code s x s}
 * blocks (stride {@code s}), then passed through {@link Options#depth()} layers of 3x3 convolution (zero padding
 * of one pixel: the centred input is 0 for "no phase preferred") and ReLU, each with {@link Options#filters()}
 * output channels. Every such layer's output is a feature map named {@code s<scale>l<layer>} (e.g. {@code s4l2}).
 * Where Ustyuzhaninov et al. use single layers of large kernels (up to 55 x 55), the image pyramid with 3x3 kernels
 * reaches the same receptive field (3s, 5s pixels) at a fraction of the cost. Scales whose pooled image would have
 * fewer than 3 pixels along an axis are left out for that input.
 *
 * <p>Weights: independent normal, variance {@code 2 / fan-in} (He et al. 2015), no bias, drawn from a Java random
 * stream seeded with {@link Options#seed()} (independent of the engine's random state): same seed, same network on
 * every machine. Output channels are multiples of 16 (libtorch 2.7.1 CPU convolution gradient bug, see {@link
 * Convolutions3d}); the configurations used are gradient-checked at 32² in {@code GradientCheckTest}.
 */
public final class RandomFeatureExtractor implements FeatureExtractor {

    private static final Shape UNIT = new Shape(1, 1);

    /** Pooled images smaller than this along an axis skip that scale. */
    static final int MINIMUM_POOLED_EDGE = 3;

    /**
     * Options.
     *
     * @param channels input channels (phases), 1..255
     * @param scales pooling factors of the image pyramid, each 1..64, distinct, ascending
     * @param filters output channels of every 3x3 convolution, a positive multiple of 16
     * @param depth 3x3 convolution + ReLU layers per scale, 1..4
     * @param seed seed of the random filters
     */
    public record Options(int channels, List<Integer> scales, int filters, int depth, long seed) {

        /** Validates the options. */
        public Options {
            if (channels < 1 || channels > 255) {
                throw new IllegalArgumentException("channels (phases) must be 1..255, got " + channels);
            }
            if (scales == null || scales.isEmpty() || scales.size() > 8) {
                throw new IllegalArgumentException("give 1..8 scales, e.g. [1, 2, 4, 8], got " + scales);
            }
            scales = List.copyOf(scales);
            for (int i = 0; i < scales.size(); i++) {
                int s = scales.get(i);
                if (s < 1 || s > 64 || (i > 0 && s <= scales.get(i - 1))) {
                    throw new IllegalArgumentException(
                            "scales must be ascending pooling factors in 1..64, got " + scales);
                }
            }
            if (filters < Convolutions3d.CHANNEL_MULTIPLE || filters % Convolutions3d.CHANNEL_MULTIPLE != 0) {
                throw new IllegalArgumentException("filters must be a positive multiple of "
                        + Convolutions3d.CHANNEL_MULTIPLE + " (libtorch CPU convolution gradient bug otherwise), got "
                        + filters);
            }
            if (depth < 1 || depth > 4) {
                throw new IllegalArgumentException("depth must be 1..4 layers per scale, got " + depth);
            }
        }

        /**
         * Defaults: scales 1, 2, 4, 8; 32 filters; 1 layer per scale (as in Ustyuzhaninov et al.; a second layer
         * doubled the cost of a step without lowering the S2 error of 48³ NMC reconstructions); seed 0.
         *
         * @param channels input channels (phases)
         * @return the defaults
         */
        public static Options defaults(int channels) {
            return new Options(channels, List.of(1, 2, 4, 8), 32, 1, 0L);
        }

        /**
         * Returns a copy with another seed.
         *
         * @param s the seed
         * @return the copy
         */
        public Options withSeed(long s) {
            return new Options(channels, scales, filters, depth, s);
        }
    }

    private final Options options;
    private final NDManager manager;
    /** weights.get(scale index).get(layer): {@code (filters, in, 3, 3)}. */
    private final List<List<NDArray>> weights = new ArrayList<>();
    private final List<String> layers = new ArrayList<>();
    private final Map<String, NDArray> converted = new ConcurrentHashMap<>();

    private RandomFeatureExtractor(Options options) {
        this.options = options;
        this.manager = Engines.pytorch().newBaseManager(Engines.device());
        SplittableRandom random = new SplittableRandom(options.seed());
        for (int s : options.scales()) {
            List<NDArray> perScale = new ArrayList<>();
            int in = options.channels();
            for (int l = 1; l <= options.depth(); l++) {
                int n = options.filters() * in * 9;
                float[] w = new float[n];
                double sd = Math.sqrt(2.0 / (in * 9));
                for (int i = 0; i < n; i++) {
                    w[i] = (float) (sd * gaussian(random));
                }
                perScale.add(manager.create(w, new Shape(options.filters(), in, 3, 3)));
                layers.add("s" + s + "l" + l);
                in = options.filters();
            }
            weights.add(perScale);
        }
    }

    /**
     * Builds the network.
     *
     * @param options the options
     * @return the extractor (close it when done)
     */
    public static RandomFeatureExtractor create(Options options) {
        if (options == null) {
            throw new IllegalArgumentException("options are required; use Options.defaults(phases)");
        }
        return new RandomFeatureExtractor(options);
    }

    /**
     * Returns the options.
     *
     * @return the options
     */
    public Options options() {
        return options;
    }

    @Override
    public int spatialDimensions() {
        return 2;
    }

    @Override
    public int channels() {
        return options.channels();
    }

    @Override
    public List<String> layers() {
        return List.copyOf(layers);
    }

    @Override
    public int minimumSize() {
        return MINIMUM_POOLED_EDGE;
    }

    @Override
    public NDList features(NDArray input) {
        Shape shape = input.getShape();
        if (shape.dimension() != 4 || shape.get(1) != options.channels()) {
            throw new IllegalArgumentException(
                    "expected images (N, " + options.channels() + ", H, W), got " + shape);
        }
        long h = shape.get(2);
        long w = shape.get(3);
        if (h < MINIMUM_POOLED_EDGE || w < MINIMUM_POOLED_EDGE) {
            throw new IllegalArgumentException("images must be at least " + MINIMUM_POOLED_EDGE + " x "
                    + MINIMUM_POOLED_EDGE + " pixels, got " + w + " x " + h);
        }
        NDArray centred = input.sub(1f / options.channels());
        NDList out = new NDList();
        for (int i = 0; i < options.scales().size(); i++) {
            int s = options.scales().get(i);
            if (h / s < MINIMUM_POOLED_EDGE || w / s < MINIMUM_POOLED_EDGE) {
                continue;
            }
            NDArray a = s == 1 ? centred
                    : Pool.avgPool2d(centred, new Shape(s, s), new Shape(s, s), new Shape(0, 0), false, true);
            for (int l = 0; l < options.depth(); l++) {
                NDArray conv = Conv2d.conv2d(a, weight(i, l, input.getDataType()), null, UNIT, UNIT)
                        .singletonOrThrow();
                a = Activation.relu(conv);
                a.setName("s" + s + "l" + (l + 1));
                out.add(a);
            }
        }
        return out;
    }

    /** The weights in the input's data type (float64 copies are made once, for finite-difference checks). */
    private NDArray weight(int scale, int layer, DataType type) {
        NDArray w = weights.get(scale).get(layer);
        if (w.getDataType() == type) {
            return w;
        }
        return converted.computeIfAbsent(type + "/" + scale + "/" + layer, k -> w.toType(type, true));
    }

    @Override
    public String description() {
        return String.format(Locale.ROOT, "random multi-scale CNN (Ustyuzhaninov et al. 2017): scales %s, %d filters"
                        + " x %d layers of 3x3, seed %d",
                options.scales().stream().map(String::valueOf).collect(Collectors.joining(",")), options.filters(),
                options.depth(), options.seed());
    }

    @Override
    public void close() {
        manager.close();
    }

    private static double gaussian(SplittableRandom random) {
        double u1 = random.nextDouble();
        double u2 = random.nextDouble();
        return Math.sqrt(-2 * Math.log(1 - u1)) * Math.cos(2 * Math.PI * u2);
    }
}
