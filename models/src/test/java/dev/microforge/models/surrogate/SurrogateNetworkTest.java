package dev.microforge.models.surrogate;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.microforge.datasets.Volume;
import java.util.List;
import java.util.SplittableRandom;
import org.deeplearning4j.gradientcheck.GradientCheckUtil;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.Convolution3D;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.learning.config.NoOp;

/** The member network: input encoding, shapes, and DL4J's finite-difference gradient check on a tiny config. */
class SurrogateNetworkTest {
    static Volume randomVolume(int n, int phases, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        return Volume.generate(n, n, n, (x, y, z) -> r.nextInt(phases));
    }

    @Test
    void encodingPutsEachVoxelInItsChannelAndCell() {
        SurrogateArchitecture a = new SurrogateArchitecture(3, 8, 2, 4, 4, 4, false);
        // one voxel of phase 2 at (x, y, z) = (5, 2, 7), everything else pore
        Volume v = Volume.generate(8, 8, 8, (x, y, z) -> x == 5 && y == 2 && z == 7 ? 2 : 0);
        INDArray e = SurrogateInput.encode(List.of(v), a, null);
        assertArrayEquals(new long[] {1, 24, 4, 4, 4}, e.shape());
        // channel = phase * p^3 + (dz * p + dy) * p + dx with (dx, dy, dz) = (1, 0, 1); cell (Z, Y, X) = (3, 1, 2)
        assertEquals(1f, e.getFloat(0, 2 * 8 + (1 * 2 + 0) * 2 + 1, 3, 1, 2));
        assertEquals(0f, e.getFloat(0, (1 * 2 + 0) * 2 + 1, 3, 1, 2), "pore channel of that voxel");
        // every voxel is one-hot: the sum over all channels and cells is the voxel count
        assertEquals(512.0, e.sumNumber().doubleValue(), 0);
        // mirroring x moves the voxel to x = 2: cell X = 1, dx = 0
        INDArray f = SurrogateInput.encode(List.of(v), a, new int[] {1});
        assertEquals(1f, f.getFloat(0, 2 * 8 + (1 * 2 + 0) * 2, 3, 1, 1));
        // mirroring x, y and z: (2, 5, 0) -> cell (0, 2, 1), (dx, dy, dz) = (0, 1, 0)
        INDArray g = SurrogateInput.encode(List.of(v), a, new int[] {7});
        assertEquals(1f, g.getFloat(0, 2 * 8 + (0 * 2 + 1) * 2, 0, 2, 1));
    }

    @Test
    void boundaryChannelsCountTheFacesBetweenPhasesPerAxis() {
        // pore slab x < 3, active for 3 <= x < 6, CBD beyond: 64 pore|active faces at x = 2|3 and 64 active|CBD
        // faces at x = 5|6, all normal to x; none normal to y or z
        SurrogateArchitecture a = new SurrogateArchitecture(3, 8, 2, 4, 4, 4, true);
        Volume v = Volume.generate(8, 8, 8, (x, y, z) -> x < 3 ? 0 : x < 6 ? 1 : 2);
        for (int flips : new int[] {0, 1, 7}) {
            INDArray e = SurrogateInput.encode(List.of(v), a, new int[] {flips});
            assertArrayEquals(new long[] {1, 24 + 9, 4, 4, 4}, e.shape());
            double[] faces = new double[9];
            for (int c = 0; c < 9; c++) {
                // channel sums are face counts over p^3 = 8
                faces[c] = e.get(org.nd4j.linalg.indexing.NDArrayIndex.point(0),
                        org.nd4j.linalg.indexing.NDArrayIndex.point(24 + c)).sumNumber().doubleValue() * 8;
            }
            // channel 3c + axis: pore-x, pore-y, pore-z, active-x, ..., cbd-z
            assertArrayEquals(new double[] {64, 0, 0, 128, 0, 0, 64, 0, 0}, faces, 1e-9, "flips " + flips);
        }
        // a face is counted in the cell of its lower voxel: faces x = 2|3 lie in cells X = 1
        INDArray e = SurrogateInput.encode(List.of(v), a, null);
        assertEquals(4 / 8.0, e.getDouble(0, 24, 0, 0, 1), 1e-12, "cell (0,0,1): 2 x 2 pore faces at x = 2|3, over 8");
        assertEquals(0.0, e.getDouble(0, 24, 0, 0, 0), 0);
    }

    @Test
    void firstLayerOnEncodedInputEqualsStridedConvolutionOfTheOneHotVolume() {
        // two implementations: DL4J's p^3 stride-p Conv3D on the plain one-hot volume, and the 1x1x1 Conv3D on the
        // space-to-depth encoding with the same weights rearranged; they must agree to float rounding
        int p = 2;
        int n = 8;
        int phases = 3;
        int out = 16;
        SurrogateArchitecture a = new SurrogateArchitecture(phases, n, p, out, 16, 16, false);
        Volume v = randomVolume(n, phases, 11);
        MultiLayerNetwork strided = oneLayer(phases, n, p, out);
        MultiLayerNetwork pointwise = oneLayer(phases * p * p * p, n / p, 1, out);
        SplittableRandom r = new SplittableRandom(3);
        INDArray w = Nd4j.create(DataType.FLOAT, out, phases, p, p, p);
        INDArray w1 = Nd4j.create(DataType.FLOAT, out, phases * p * p * p, 1, 1, 1);
        for (int o = 0; o < out; o++) {
            for (int c = 0; c < phases; c++) {
                for (int dz = 0; dz < p; dz++) {
                    for (int dy = 0; dy < p; dy++) {
                        for (int dx = 0; dx < p; dx++) {
                            float value = (float) (r.nextDouble() - 0.5);
                            w.putScalar(new long[] {o, c, dz, dy, dx}, value);
                            w1.putScalar(new long[] {o, c * p * p * p + (dz * p + dy) * p + dx, 0, 0, 0}, value);
                        }
                    }
                }
            }
        }
        strided.getLayer(0).setParam("W", w);
        pointwise.getLayer(0).setParam("W", w1);
        INDArray oneHot = Nd4j.create(DataType.FLOAT, 1, phases, n, n, n);
        for (int z = 0; z < n; z++) {
            for (int y = 0; y < n; y++) {
                for (int x = 0; x < n; x++) {
                    oneHot.putScalar(new long[] {0, v.get(x, y, z), z, y, x}, 1f);
                }
            }
        }
        INDArray expected = strided.output(oneHot);
        INDArray actual = pointwise.output(SurrogateInput.encode(List.of(v), a, null));
        assertArrayEquals(expected.shape(), actual.shape());
        assertTrue(expected.equalsWithEps(actual, 1e-5), "max difference "
                + expected.sub(actual).amaxNumber());
    }

    private static MultiLayerNetwork oneLayer(int channels, int n, int kernel, int out) {
        MultiLayerNetwork net = new MultiLayerNetwork(new NeuralNetConfiguration.Builder().dataType(DataType.FLOAT)
                .list()
                .layer(new Convolution3D.Builder().kernelSize(kernel, kernel, kernel).stride(kernel, kernel, kernel)
                        .nOut(out).hasBias(false).activation(Activation.IDENTITY)
                        .dataFormat(Convolution3D.DataFormat.NCDHW).convolutionMode(ConvolutionMode.Truncate)
                        .build())
                .setInputType(InputType.convolutional3D(Convolution3D.DataFormat.NCDHW, n, n, n, channels))
                .build());
        Nd4jRuntime.start();
        net.init();
        return net;
    }

    @Test
    void memberMapsABatchToOneRowOfPropertiesPerVolume() {
        SurrogateArchitecture a = SurrogateArchitecture.defaults().withInputSize(16);
        MultiLayerNetwork net = SurrogateNetwork.create(a, 5, 1, new Adam(1e-3), DataType.FLOAT);
        INDArray x = SurrogateInput.encode(List.of(randomVolume(16, 3, 1), randomVolume(16, 3, 2),
                randomVolume(16, 3, 3)), a, null);
        assertArrayEquals(new long[] {3, 192 + 9, 4, 4, 4}, x.shape());
        assertArrayEquals(new long[] {3, 5}, net.output(x).shape());
        // parameters: 201*16+16, 27*16*16+16, 8*16*32+32, 27*32*32+32, 32*64+64, 64*5+5
        long expected = 201 * 16 + 16 + 27 * 16 * 16 + 16 + 8 * 16 * 32 + 32 + 27 * 32 * 32 + 32 + 32 * 64 + 64
                + 64 * 5 + 5;
        assertEquals(expected, net.numParams());
    }

    @Test
    void gradientsOfEveryLayerAgreeWithFiniteDifferences() {
        // the shipped layer stack at a tiny size, float64, masked labels (as in training); DL4J's GradientCheckUtil
        // compares each parameter's backprop gradient with a central difference
        SurrogateArchitecture a = new SurrogateArchitecture(3, 8, 2, 4, 6, 5, true);
        Nd4jRuntime.start();
        DataType previous = Nd4j.dataType();
        DataType previousFloat = Nd4j.defaultFloatingPointType();
        Nd4j.setDefaultDataTypes(DataType.DOUBLE, DataType.DOUBLE); // GradientCheckUtil insists
        try {
            checkGradients(a);
        } finally {
            Nd4j.setDefaultDataTypes(previous, previousFloat);
        }
    }

    private static void checkGradients(SurrogateArchitecture a) {
        MultiLayerNetwork net = SurrogateNetwork.create(a, 3, 42, new NoOp(), DataType.DOUBLE);
        INDArray x = SurrogateInput.encode(List.of(randomVolume(8, 3, 5), randomVolume(8, 3, 6)), a, null,
                DataType.DOUBLE);
        INDArray y = Nd4j.rand(DataType.DOUBLE, 2, 3);
        INDArray mask = Nd4j.createFromArray(new double[][] {{1, 1, 0}, {1, 0, 1}});
        boolean ok = GradientCheckUtil.checkGradients(new GradientCheckUtil.MLNConfig().net(net).input(x).labels(y)
                .labelMask(mask).epsilon(1e-6).maxRelError(1e-5).minAbsoluteError(1e-9)
                .subset(true).maxPerParam(60) // every weight and bias array, 60 entries each: CI time
                .print(GradientCheckUtil.PrintMode.FAILURES_ONLY).exitOnFirstError(false));
        assertTrue(ok, "gradient check failed (see the log for the parameters)");
    }

    @Test
    void architectureAndInputRefuseWhatDoesNotFit() {
        assertThrows(IllegalArgumentException.class, () -> new SurrogateArchitecture(3, 60, 4, 32, 64, 64, true));
        assertThrows(IllegalArgumentException.class, () -> new SurrogateArchitecture(1, 64, 4, 32, 64, 64, true));
        assertThrows(IllegalArgumentException.class, () -> new SurrogateArchitecture(3, 64, 0, 32, 64, 64, true));
        assertThrows(IllegalArgumentException.class, () -> new SurrogateArchitecture(3, 64, 4, 0, 64, 64, true));
        SurrogateArchitecture a = SurrogateArchitecture.defaults().withInputSize(16);
        IllegalArgumentException size = assertThrows(IllegalArgumentException.class,
                () -> SurrogateInput.check(randomVolume(8, 3, 1), a));
        assertTrue(size.getMessage().contains("16 x 16 x 16") && size.getMessage().contains("8 x 8 x 8"),
                size.getMessage());
        IllegalArgumentException label = assertThrows(IllegalArgumentException.class,
                () -> SurrogateInput.check(randomVolume(16, 4, 1), a));
        assertTrue(label.getMessage().contains("labelled 3"), label.getMessage());
        assertThrows(IllegalArgumentException.class, () -> SurrogateInput.check(null, a));
        assertThrows(IllegalArgumentException.class, () -> SurrogateInput.encode(List.of(randomVolume(16, 3, 1)), a,
                new int[] {0, 1}));
    }
}
