package dev.microforge.models.gan;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Activation;
import ai.djl.nn.convolutional.Conv3d;
import ai.djl.nn.core.Linear;
import ai.djl.nn.pooling.Pool;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import dev.microforge.models.Scalars;
import dev.microforge.models.layers.Convolutions3d;
import java.util.ArrayList;
import java.util.List;

/**
 * WGAN critic for one-hot / softmax phase volumes {@code (N, phases, D, H, W)}: per level a 3x3x3
 * convolution (padding 1), LeakyReLU(0.2) and 2x2x2 average pooling (stride 2); then the global
 * spatial mean and a linear map to one score per sample, {@code (N, 1)}.
 *
 * <p>Downsampling by average pooling (not a strided convolution) keeps every convolution a 3x3x3,
 * stride-1 configuration of the gradient-checked kind. No normalisation (a gradient penalty needs
 * per-sample critic gradients, Gulrajani et al. 2017). Spatial sizes must be multiples of
 * {@code 2^levels}.
 */
public final class Critic3d extends AbstractBlock {

    private static final byte VERSION = 1;
    private static final float LEAK = 0.2f;
    private static final Shape POOL = new Shape(2, 2, 2);

    private final GanArchitecture architecture;
    private final List<Conv3d> convolutions = new ArrayList<>();
    private final Linear output;

    /**
     * Creates the (uninitialised) critic.
     *
     * @param architecture the architecture table
     */
    public Critic3d(GanArchitecture architecture) {
        super(VERSION);
        this.architecture = architecture;
        List<Integer> widths = architecture.criticWidths();
        for (int i = 0; i < widths.size(); i++) {
            convolutions.add(addChildBlock("conv" + i, Convolutions3d.kernel3(widths.get(i))));
        }
        this.output = addChildBlock("output", Linear.builder().setUnits(1).build());
    }

    @Override
    protected NDList forwardInternal(
            ParameterStore parameterStore, NDList inputs, boolean training, PairList<String, Object> params) {
        requireInput(inputs.singletonOrThrow().getShape());
        NDArray x = levels(parameterStore, inputs.singletonOrThrow(), training, params, null);
        Shape xs = x.getShape();
        NDArray pooled = x.reshape(xs.get(0), xs.get(1), -1).mean(new int[] {2});
        return output.forward(parameterStore, new NDList(pooled), training, params);
    }

    /**
     * The gradient of the summed scores with respect to the input, {@code d sum_n C(x)_n / d x},
     * built from ordinary differentiable operations, so that a loss of it (the WGAN-GP penalty) is
     * differentiated with respect to the critic's parameters by a plain first-order backward pass.
     *
     * <p>Why not libtorch's {@code backward(create_graph=true)}: it leaves a gradient that carries a
     * graph in every leaf's {@code .grad} (the parameters and the input), and that graph holds the leaf
     * again: a reference cycle that DJL 0.36 cannot break (its {@code zeroGrad} zeroes in place but
     * keeps the graph, and no {@code grad = None} or {@code autograd.grad} is exposed). Each critic step
     * then leaked its activations, about 1.5 MB per iteration at 16³ and batch 2 and tens of MB at the
     * patch sizes we train with.
     *
     * <p>The backward pass written out: with {@code z_l = W_l * h_(l-1) + b_l}, {@code a_l =
     * LeakyReLU(z_l)}, {@code h_l = AvgPool2(a_l)} and {@code s = w . mean(h_L) + b}: {@code g_L = w /
     * (D_L H_L W_L)} broadcast over {@code h_L}; per level from the top, {@code g <- Upsample2(g) / 8}
     * (pooling), {@code g <- g * LeakyReLU'(z_l)} (the slope mask, constant almost everywhere, so the
     * forward pass runs without a graph) and {@code g <- conv(g, flip(W_l)^T)} (the input gradient of
     * a stride-1, padding-1 convolution). The last map has as many output channels as the critic has
     * phases; it is computed with the transposed kernel padded with zero filters to a multiple of 16
     * output channels and then sliced, so that libtorch's 3x3x3 {@code Conv3d} input-gradient bug on
     * this CPU (see {@link Convolutions3d}) cannot touch the penalty's backward pass.
     *
     * <p>Arrays created here live in {@code x}'s manager.
     *
     * @param parameterStore the parameter store
     * @param x input {@code (N, phases, D, H, W)}
     * @return {@code (N, phases, D, H, W)}, differentiable with respect to the critic's weights
     */
    public NDArray inputGradient(ParameterStore parameterStore, NDArray x) {
        return inputGradient(parameterStore, x, x.getDataType());
    }

    /**
     * {@link #inputGradient(ParameterStore, NDArray)} computed in {@code precision}, a type at least as wide as the
     * input's (the input and the weights are widened, differentiably; the result stays in {@code precision}, so that
     * a penalty of it is differentiated back to the float32 weights). {@code FLOAT64} is the fallback for the
     * intermittent libtorch 2.7.1 CPU fault seen here: in float32 the backward pass of these convolutions now and
     * then returns non-finite (or absurdly large) weight gradients, about one first iteration in eight at 16³ and
     * batch 2 with identical inputs and losses (not the thread count, not the oneDNN or MKL instruction set;
     * float64, which libtorch does not run through oneDNN, never showed it in the same test). It costs about four
     * times the float32 step, so the trainers use it only to redo a step whose gradient came out non-finite.
     *
     * @param parameterStore the parameter store
     * @param x input {@code (N, phases, D, H, W)}
     * @param precision {@code FLOAT32} or {@code FLOAT64}
     * @return {@code (N, phases, D, H, W)} in {@code precision}, differentiable with respect to the critic's weights
     */
    public NDArray inputGradient(ParameterStore parameterStore, NDArray x, DataType precision) {
        requireInput(x.getShape());
        NDManager local = x.getManager();
        ai.djl.Device device = x.getDevice();
        boolean cast = precision != x.getDataType();
        List<NDArray> masks = new ArrayList<>();
        List<NDArray> kernels = new ArrayList<>();
        NDArray h = local(x.stopGradient(), local);
        if (cast) {
            h = h.toType(precision, false);
        }
        for (Conv3d conv : convolutions) {
            NDArray w = parameterStore.getValue(conv.getParameters().get("weight"), device, true);
            NDArray b = parameterStore.getValue(conv.getParameters().get("bias"), device, true);
            if (cast) {
                w = promote(w, precision, local);
                b = promote(b, precision, local);
            }
            NDArray z = Conv3d.conv3d(h, local(w.stopGradient(), local), local(b.stopGradient(), local),
                    new Shape(1, 1, 1), new Shape(1, 1, 1)).singletonOrThrow();
            masks.add(z.gt(0f).toType(z.getDataType(), false).mul(1.0 - LEAK).add(LEAK)); // exactly 1 or LEAK
            kernels.add(w);
            h = Pool.avgPool3d(Activation.leakyRelu(z, LEAK), POOL, POOL, new Shape(0, 0, 0), false, true);
        }
        Shape hs = h.getShape();
        long cells = hs.get(2) * hs.get(3) * hs.get(4);
        NDArray outputWeight = parameterStore.getValue(output.getParameters().get("weight"), device, true);
        if (cast) {
            outputWeight = promote(outputWeight, precision, local);
        }
        NDArray perChannel = local(outputWeight.reshape(1, hs.get(1), 1, 1, 1), local);
        NDArray g = Scalars.over(local.ones(hs, precision, device).mul(perChannel), cells);
        for (int l = convolutions.size() - 1; l >= 0; l--) {
            g = Scalars.over(g.repeat(2, 2).repeat(3, 2).repeat(4, 2), 8).mul(masks.get(l));
            NDArray w = kernels.get(l); // (out, in, 3, 3, 3)
            long in = w.getShape().get(1);
            NDArray transposed = local(w.transpose(1, 0, 2, 3, 4), local).flip(2, 3, 4); // (in, out, 3, 3, 3)
            long padded = (in + Convolutions3d.CHANNEL_MULTIPLE - 1) / Convolutions3d.CHANNEL_MULTIPLE
                    * Convolutions3d.CHANNEL_MULTIPLE;
            if (padded != in) {
                Shape ws = transposed.getShape();
                NDArray zeros = local.zeros(new Shape(padded - in, ws.get(1), 3, 3, 3), transposed.getDataType(), device);
                transposed = transposed.concat(zeros, 0);
            }
            NDArray zeroBias = local.zeros(new Shape(padded), transposed.getDataType(), device);
            g = Conv3d.conv3d(g, transposed, zeroBias, new Shape(1, 1, 1), new Shape(1, 1, 1)).singletonOrThrow();
            if (padded != in) {
                g = g.get(new ai.djl.ndarray.index.NDIndex(":, 0:" + in));
            }
        }
        return g;
    }

    /**
     * {@code a} in the wider floating type {@code type}, differentiably: multiplied by a one-element array of that
     * type, which type promotion widens (DJL's {@code toType} is not recorded by autograd).
     */
    private static NDArray promote(NDArray a, DataType type, NDManager manager) {
        return a.mul(manager.ones(new Shape(1), type, a.getDevice()));
    }

    private static NDArray local(NDArray array, NDManager manager) {
        array.attach(manager);
        return array;
    }

    /**
     * The activations of every level after its LeakyReLU and before its pooling, {@code (N, width_l, D / 2^l, H /
     * 2^l, W / 2^l)} for level {@code l = 0, 1, ...}, named {@code level1}, {@code level2}, ...: the critic's
     * texture features (e.g. for Gram-matrix reconstruction). Differentiable with respect to {@code input} when
     * run inside a gradient collector.
     *
     * @param parameterStore the parameter store
     * @param input phase volumes {@code (N, phases, D, H, W)}, D, H, W multiples of {@code 2^levels}
     * @param training whether to run in training mode
     * @return one array per level
     */
    public NDList features(ParameterStore parameterStore, NDArray input, boolean training) {
        requireInput(input.getShape());
        NDList out = new NDList();
        levels(parameterStore, input, training, null, out);
        return out;
    }

    /** Runs the levels; adds each level's activation (named) to {@code collect} when it is not null. */
    private NDArray levels(ParameterStore parameterStore, NDArray input, boolean training,
            PairList<String, Object> params, NDList collect) {
        NDArray x = input;
        for (int i = 0; i < convolutions.size(); i++) {
            NDArray y = convolutions.get(i).forward(parameterStore, new NDList(x), training, params).singletonOrThrow();
            NDArray a = Activation.leakyRelu(y, LEAK);
            if (collect != null) {
                a.setName("level" + (i + 1));
                collect.add(a);
            }
            x = Pool.avgPool3d(a, POOL, POOL, new Shape(0, 0, 0), false, true);
        }
        return x;
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        requireInput(inputShapes[0]);
        return new Shape[] {new Shape(inputShapes[0].get(0), 1)};
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        Shape s = inputShapes[0];
        requireInput(s);
        for (Conv3d conv : convolutions) {
            conv.initialize(manager, dataType, s);
            Shape c = conv.getOutputShapes(new Shape[] {s})[0];
            s = new Shape(c.get(0), c.get(1), c.get(2) / 2, c.get(3) / 2, c.get(4) / 2);
        }
        output.initialize(manager, dataType, new Shape(s.get(0), s.get(1)));
    }

    private void requireInput(Shape s) {
        int step = 1 << architecture.criticWidths().size();
        if (s.dimension() != 5 || s.get(1) != architecture.phases()
                || s.get(2) % step != 0 || s.get(3) % step != 0 || s.get(4) % step != 0 || s.get(2) < step) {
            throw new IllegalArgumentException(
                    "expected (N, " + architecture.phases() + ", D, H, W) with D, H, W multiples of " + step
                            + ", got " + s);
        }
    }
}
