package dev.microforge.models.surrogate;

import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.Convolution3D;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.GlobalPoolingLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.PoolingType;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.weights.WeightInit;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.learning.config.IUpdater;
import org.nd4j.linalg.lossfunctions.LossFunctions;

/**
 * One member of the CNN surrogate: a DL4J {@link MultiLayerNetwork} regressing standardised properties from a
 * space-to-depth one-hot volume ({@link SurrogateInput}).
 *
 * <p>Layers for the default architecture (64³ input, 3 phases, patch 4), in NCDHW order:
 * <table>
 *   <caption>layers</caption>
 *   <tr><th>#</th><th>layer</th><th>output</th></tr>
 *   <tr><td>0</td><td>conv 1x1x1, 201 -> 16, leaky ReLU (= conv 4³ stride 4 on the one-hot volume, plus the 9
 *       boundary-density channels)</td><td>16 x 16³</td></tr>
 *   <tr><td>1</td><td>conv 3x3x3 "same", 16 -> 16, leaky ReLU</td><td>16 x 16³</td></tr>
 *   <tr><td>2</td><td>conv 2x2x2 stride 2, 16 -> 32, leaky ReLU</td><td>32 x 8³</td></tr>
 *   <tr><td>3</td><td>conv 3x3x3 "same", 32 -> 32, leaky ReLU</td><td>32 x 8³</td></tr>
 *   <tr><td>4</td><td>global average pooling</td><td>32</td></tr>
 *   <tr><td>5</td><td>dense 32 -> 64, leaky ReLU</td><td>64</td></tr>
 *   <tr><td>6</td><td>dense 64 -> properties, identity; loss: mean squared error (masked where a label is
 *       undefined)</td><td>properties</td></tr>
 * </table>
 * The receptive field of a pooled feature is 32 voxels. There is no normalisation layer: DL4J's
 * {@code BatchNormalization} refuses rank-5 activations, so the targets are standardised instead and the weights
 * start from He initialisation (He et al. 2015), which keeps the activations' scale through the leaky ReLUs.
 * Global pooling makes the pooled features averages over the volume, as the properties are for a statistically
 * homogeneous electrode.
 */
public final class SurrogateNetwork {
    private SurrogateNetwork() {
    }

    /**
     * The configuration of one member.
     *
     * @param outputs number of properties
     * @param seed seed of the weight initialisation
     * @param updater the optimiser, e.g. {@code new Adam(1e-3)} (the trainer may change its learning rate per
     *     epoch); {@code new NoOp()} for gradient checks
     * @param type parameter and activation type ({@code FLOAT}; {@code DOUBLE} for gradient checks)
     */
    public static MultiLayerConfiguration configuration(SurrogateArchitecture a, int outputs, long seed,
            IUpdater updater, DataType type) {
        if (outputs < 1) {
            throw new IllegalArgumentException("outputs must be at least 1, got " + outputs);
        }
        int g = a.embeddedSize();
        return new NeuralNetConfiguration.Builder()
                .seed(seed)
                .dataType(type)
                .weightInit(WeightInit.RELU)
                .updater(updater)
                .list()
                .layer(conv(1, 1, a.embedWidth(), ConvolutionMode.Truncate))
                .layer(conv(3, 1, a.embedWidth(), ConvolutionMode.Same))
                .layer(conv(2, 2, a.width(), ConvolutionMode.Truncate))
                .layer(conv(3, 1, a.width(), ConvolutionMode.Same))
                .layer(new GlobalPoolingLayer.Builder(PoolingType.AVG).build())
                .layer(new DenseLayer.Builder().nOut(a.denseWidth()).activation(Activation.LEAKYRELU).build())
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MSE).nOut(outputs)
                        .activation(Activation.IDENTITY).weightInit(WeightInit.XAVIER).build())
                .setInputType(InputType.convolutional3D(Convolution3D.DataFormat.NCDHW, g, g, g,
                        a.embeddedChannels()))
                .build();
    }

    /** A member with freshly initialised weights (seeded by {@code seed}). */
    public static MultiLayerNetwork create(SurrogateArchitecture a, int outputs, long seed, IUpdater updater,
            DataType type) {
        Nd4jRuntime.start();
        MultiLayerNetwork net = new MultiLayerNetwork(configuration(a, outputs, seed, updater, type));
        net.init();
        return net;
    }

    private static Convolution3D conv(int kernel, int stride, int out, ConvolutionMode mode) {
        return new Convolution3D.Builder()
                .kernelSize(kernel, kernel, kernel)
                .stride(stride, stride, stride)
                .nOut(out)
                .activation(Activation.LEAKYRELU)
                .dataFormat(Convolution3D.DataFormat.NCDHW)
                .convolutionMode(mode)
                .build();
    }
}
