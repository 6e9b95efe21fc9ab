package dev.microforge.models.slicegan;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Activation;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.core.Linear;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import dev.microforge.models.Scalars;
import dev.microforge.models.layers.Convolutions2d;
import dev.microforge.models.layers.Convolutions3d;
import java.util.ArrayList;
import java.util.List;

/**
 * SliceGAN's 2D WGAN critic for one-hot / softmax phase slices {@code (N, phases, H, W)}: per level
 * a 4x4 stride-2 convolution (padding 1, halves H and W) and LeakyReLU(0.2); then the global spatial
 * mean and a linear map to one score per slice, {@code (N, 1)}.
 *
 * <p>Slices of a generated volume {@code (N, C, D, H, W)} are fed in the orientation of {@code
 * Volume.slice}: normal to z gives (H = y, W = x), normal to y gives (H = z, W = x), normal to x
 * gives (H = z, W = y). No normalisation layer (the gradient penalty needs per-sample gradients,
 * Gulrajani et al. 2017). H and W must be multiples of {@code 2^levels}.
 */
public final class Critic2d extends AbstractBlock {

    private static final byte VERSION = 1;
    private static final float LEAK = 0.2f;
    private static final Shape STRIDE = new Shape(2, 2);
    private static final Shape PADDING = new Shape(1, 1);
    private static final Shape UNIT_STRIDE = new Shape(1, 1);
    private static final Shape TRANSPOSED_PADDING = new Shape(2, 2);

    private final SliceGanArchitecture architecture;
    private final List<Conv2d> convolutions = new ArrayList<>();
    private final Linear output;

    /**
     * Creates the (uninitialised) critic.
     *
     * @param architecture the architecture table
     */
    public Critic2d(SliceGanArchitecture architecture) {
        super(VERSION);
        this.architecture = architecture;
        List<Integer> widths = architecture.criticWidths();
        for (int i = 0; i < widths.size(); i++) {
            convolutions.add(addChildBlock("conv" + i, Convolutions2d.strided4(widths.get(i))));
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
     * The activation of every level, after its LeakyReLU, {@code (N, width_l, H / 2^l, W / 2^l)} for level {@code
     * l = 1, 2, ...}, named {@code level1}, {@code level2}, ...: the critic's texture features (e.g. for Gram-matrix
     * reconstruction from a 2D exemplar). Differentiable with respect to {@code input} inside a gradient collector.
     *
     * @param parameterStore the parameter store
     * @param input slices {@code (N, phases, H, W)}, H and W multiples of {@code 2^levels}
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
            x = Activation.leakyRelu(
                    convolutions.get(i).forward(parameterStore, new NDList(x), training, params).singletonOrThrow(),
                    LEAK);
            if (collect != null) {
                x.setName("level" + (i + 1));
                collect.add(x);
            }
        }
        return x;
    }

    /**
     * The gradient of the summed scores with respect to the input, {@code d sum_n C(x)_n / d x},
     * built from ordinary differentiable operations, so that the WGAN-GP penalty of it is
     * differentiated with respect to the critic's parameters by a plain first-order backward pass (no
     * create-graph backward, whose reference cycles leak under DJL 0.36; see {@link
     * dev.microforge.models.gan.Critic3d#inputGradient}, whose scheme this follows).
     *
     * <p>The backward pass written out: with {@code z_l = conv_s2(h_(l-1), W_l) + b_l}, {@code h_l =
     * LeakyReLU(z_l)} and {@code s = w . mean(h_L) + b}: {@code g_L = w / (H_L W_L)} broadcast over
     * {@code h_L}; per level from the top, {@code g <- g * LeakyReLU'(z_l)} (the slope mask, constant
     * almost everywhere, so the forward pass runs without a graph) and {@code g <- the input gradient
     * of the 4x4 stride-2 padding-1 convolution}, a transposed convolution (which DJL's PyTorch engine
     * lacks) computed as: zeros inserted after every entry of {@code g} along both axes, then a
     * stride-1 convolution with padding 2 of the flipped, channel-transposed kernel, keeping the first
     * {@code 2H x 2W} outputs (in 1D, {@code dx[i] = sum_j W[3 - j] g~[i - 2 + j]} with {@code g~[2o] =
     * g[o]}, zero at odd positions). The last map, to the phase channels, is computed with the kernel
     * padded with zero filters to 16 output channels and then sliced, the precaution {@code Critic3d}
     * takes against libtorch's CPU convolution-gradient bug for other channel counts.
     *
     * <p>Arrays created here live in {@code x}'s manager.
     *
     * @param parameterStore the parameter store
     * @param x input {@code (N, phases, H, W)}
     * @return {@code (N, phases, H, W)}, differentiable with respect to the critic's weights
     */
    public NDArray inputGradient(ParameterStore parameterStore, NDArray x) {
        requireInput(x.getShape());
        NDManager local = x.getManager();
        ai.djl.Device device = x.getDevice();
        List<NDArray> masks = new ArrayList<>();
        List<NDArray> kernels = new ArrayList<>();
        NDArray h = local(x.stopGradient(), local);
        for (Conv2d conv : convolutions) {
            NDArray w = parameterStore.getValue(conv.getParameters().get("weight"), device, true);
            NDArray b = parameterStore.getValue(conv.getParameters().get("bias"), device, true);
            NDArray z = Conv2d.conv2d(h, local(w.stopGradient(), local), local(b.stopGradient(), local),
                    STRIDE, PADDING).singletonOrThrow();
            masks.add(z.gt(0f).toType(z.getDataType(), false).mul(1.0 - LEAK).add(LEAK)); // exactly 1 or LEAK
            kernels.add(w);
            h = Activation.leakyRelu(z, LEAK);
        }
        Shape hs = h.getShape();
        long cells = hs.get(2) * hs.get(3);
        NDArray outputWeight = parameterStore.getValue(output.getParameters().get("weight"), device, true);
        NDArray perChannel = local(outputWeight.reshape(1, hs.get(1), 1, 1), local);
        NDArray g = Scalars.over(local.ones(hs, x.getDataType(), device).mul(perChannel), cells);
        for (int l = convolutions.size() - 1; l >= 0; l--) {
            g = g.mul(masks.get(l));
            Shape gs = g.getShape();
            long rows = 2 * gs.get(2);
            long columns = 2 * gs.get(3);
            NDArray even = evenMask(local, rows, columns, g.getDataType(), device);
            NDArray dilated = g.repeat(2, 2).repeat(3, 2).mul(even); // g at (2i, 2j), zero elsewhere
            NDArray w = kernels.get(l); // (out, in, 4, 4)
            long in = w.getShape().get(1);
            NDArray transposed = local(w.transpose(1, 0, 2, 3), local).flip(2, 3); // (in, out, 4, 4)
            long padded = (in + Convolutions3d.CHANNEL_MULTIPLE - 1) / Convolutions3d.CHANNEL_MULTIPLE
                    * Convolutions3d.CHANNEL_MULTIPLE;
            if (padded != in) {
                Shape ws = transposed.getShape();
                transposed = transposed.concat(
                        local.zeros(new Shape(padded - in, ws.get(1), 4, 4), transposed.getDataType(), device), 0);
            }
            NDArray zeroBias = local.zeros(new Shape(padded), transposed.getDataType(), device);
            g = Conv2d.conv2d(dilated, transposed, zeroBias, UNIT_STRIDE, TRANSPOSED_PADDING).singletonOrThrow()
                    .get(new NDIndex(":, 0:" + in + ", 0:" + rows + ", 0:" + columns));
        }
        return g;
    }

    private static NDArray evenMask(NDManager manager, long rows, long columns, DataType type, ai.djl.Device device) {
        float[] mask = new float[Math.toIntExact(rows * columns)];
        for (int r = 0; r < rows; r += 2) {
            for (int c = 0; c < columns; c += 2) {
                mask[(int) (r * columns + c)] = 1f;
            }
        }
        return manager.create(mask, new Shape(1, 1, rows, columns)).toType(type, false).toDevice(device, false);
    }

    private static NDArray local(NDArray array, NDManager manager) {
        array.attach(manager);
        return array;
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
        for (Conv2d conv : convolutions) {
            conv.initialize(manager, dataType, s);
            s = conv.getOutputShapes(new Shape[] {s})[0];
        }
        output.initialize(manager, dataType, new Shape(s.get(0), s.get(1)));
    }

    private void requireInput(Shape s) {
        int step = 1 << architecture.criticWidths().size();
        if (s.dimension() != 4 || s.get(1) != architecture.phases()
                || s.get(2) % step != 0 || s.get(3) % step != 0 || s.get(2) < step || s.get(3) < step) {
            throw new IllegalArgumentException(
                    "expected slices (N, " + architecture.phases() + ", H, W) with H, W positive multiples of "
                            + step + ", got " + s);
        }
    }
}
