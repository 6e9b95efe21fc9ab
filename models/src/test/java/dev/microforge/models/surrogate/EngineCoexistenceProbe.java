package dev.microforge.models.surrogate;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.convolutional.Conv3d;
import dev.microforge.models.Engines;
import java.util.Locale;
import java.util.SplittableRandom;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.Convolution3D;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Runs the same 3x3x3 convolution (3 -> 16 channels on a 6³ input, batch 1) in DJL's libtorch and in DL4J/ND4J,
 * in a chosen order within one JVM, and compares both with a direct float64 sum. {@link #main} is the child-JVM
 * entry point of {@link EngineCoexistenceTest}; it prints {@code key=value} lines.
 */
public final class EngineCoexistenceProbe {
    static final int IN = 3;
    static final int OUT = 16;
    static final int N = 6;
    static final int K = 3;
    static final int M = N - K + 1;

    private EngineCoexistenceProbe() {
    }

    /** Input {@code (1, IN, N, N, N)} and weights {@code (OUT, IN, K, K, K)}, flattened in C order. */
    record Problem(float[] input, float[] weights) {
        static Problem random(long seed) {
            SplittableRandom r = new SplittableRandom(seed);
            float[] x = new float[IN * N * N * N];
            float[] w = new float[OUT * IN * K * K * K];
            for (int i = 0; i < x.length; i++) {
                x[i] = (float) (r.nextDouble() * 2 - 1);
            }
            for (int i = 0; i < w.length; i++) {
                w[i] = (float) (r.nextDouble() * 2 - 1);
            }
            return new Problem(x, w);
        }

        /** The valid cross-correlation in float64, {@code (OUT, M, M, M)} flattened. */
        double[] direct() {
            double[] y = new double[OUT * M * M * M];
            for (int o = 0; o < OUT; o++) {
                for (int z = 0; z < M; z++) {
                    for (int yy = 0; yy < M; yy++) {
                        for (int x = 0; x < M; x++) {
                            double s = 0;
                            for (int c = 0; c < IN; c++) {
                                for (int dz = 0; dz < K; dz++) {
                                    for (int dy = 0; dy < K; dy++) {
                                        for (int dx = 0; dx < K; dx++) {
                                            s += (double) weights[(((o * IN + c) * K + dz) * K + dy) * K + dx]
                                                    * input[((c * N + z + dz) * N + yy + dy) * N + x + dx];
                                        }
                                    }
                                }
                            }
                            y[((o * M + z) * M + yy) * M + x] = s;
                        }
                    }
                }
            }
            return y;
        }
    }

    /** libtorch's conv3d through DJL. */
    static float[] djl(Problem p) {
        try (NDManager manager = Engines.pytorch().newBaseManager()) {
            NDArray x = manager.create(p.input(), new Shape(1, IN, N, N, N));
            NDArray w = manager.create(p.weights(), new Shape(OUT, IN, K, K, K));
            return Conv3d.conv3d(x, w, null, new Shape(1, 1, 1), new Shape(0, 0, 0), new Shape(1, 1, 1), 1)
                    .singletonOrThrow().toFloatArray();
        }
    }

    /** DL4J's Convolution3D layer (ND4J native backend). */
    static float[] nd4j(Problem p) {
        Nd4jRuntime.start();
        MultiLayerNetwork net = new MultiLayerNetwork(new NeuralNetConfiguration.Builder().dataType(DataType.FLOAT)
                .list()
                .layer(new Convolution3D.Builder().kernelSize(K, K, K).stride(1, 1, 1).nOut(OUT).hasBias(false)
                        .activation(Activation.IDENTITY).dataFormat(Convolution3D.DataFormat.NCDHW)
                        .convolutionMode(ConvolutionMode.Truncate).build())
                .setInputType(InputType.convolutional3D(Convolution3D.DataFormat.NCDHW, N, N, N, IN))
                .build());
        net.init();
        net.getLayer(0).setParam("W", Nd4j.create(p.weights(), new long[] {OUT, IN, K, K, K}, 'c'));
        INDArray y = net.output(Nd4j.create(p.input(), new long[] {1, IN, N, N, N}, 'c'));
        return y.dup('c').data().asFloat();
    }

    static double maxError(float[] actual, double[] expected) {
        if (actual.length != expected.length) {
            return Double.POSITIVE_INFINITY;
        }
        double max = 0;
        for (int i = 0; i < actual.length; i++) {
            max = Math.max(max, Math.abs(actual[i] - expected[i]));
        }
        return max;
    }

    /** Child JVM: ND4J first, then libtorch, then ND4J again. */
    public static void main(String[] args) {
        Problem p = Problem.random(5);
        double[] expected = p.direct();
        double first = maxError(nd4j(p), expected);
        double torch = maxError(djl(p), expected);
        double again = maxError(nd4j(p), expected);
        System.out.println(String.format(Locale.ROOT, "nd4jFirst=%.3e", first));
        System.out.println(String.format(Locale.ROOT, "djlSecond=%.3e", torch));
        System.out.println(String.format(Locale.ROOT, "nd4jThird=%.3e", again));
        System.out.println("nd4j=" + Nd4jRuntime.describe());
        System.out.println("djl=" + Engines.describe());
    }
}
