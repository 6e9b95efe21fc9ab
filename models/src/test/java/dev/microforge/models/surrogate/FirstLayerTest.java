package dev.microforge.models.surrogate;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.microforge.datasets.Volume;
import java.util.List;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.learning.config.NoOp;

/**
 * The members' first layer from the labels against DL4J's 1x1x1 convolution of the dense encoding: two
 * implementations that must agree to float rounding, layer by layer and at the members' outputs.
 */
class FirstLayerTest {

    private static List<MultiLayerNetwork> members(SurrogateArchitecture a, int count, DataType type) {
        return java.util.stream.IntStream.range(0, count)
                .mapToObj(i -> SurrogateNetwork.create(a, 5, 100 + i, new NoOp(), type)).toList();
    }

    private static void assertClose(INDArray expected, INDArray actual, double tolerance, String what) {
        assertArrayEquals(expected.shape(), actual.shape(), what + ": shape");
        double scale = Math.max(1e-3, expected.amaxNumber().doubleValue());
        double diff = expected.castTo(DataType.DOUBLE).sub(actual.castTo(DataType.DOUBLE)).amaxNumber().doubleValue();
        assertEquals(0, diff / scale, tolerance, what + ": largest difference over largest value");
    }

    private static void agrees(SurrogateArchitecture a, DataType type, double tolerance) {
        List<MultiLayerNetwork> nets = members(a, 3, type);
        // a batch of two: random labels, and a volume of slabs (all boundaries along x)
        List<Volume> batch = List.of(SurrogateNetworkTest.randomVolume(a.inputSize(), a.phases(), 7),
                Volume.generate(a.inputSize(), a.inputSize(), a.inputSize(), (x, y, z) -> (x / 3) % a.phases()));
        double[][] faces = new double[2][];
        INDArray[] first = new FirstLayer(nets, a).apply(batch, faces);
        INDArray dense = SurrogateInput.encode(batch, a, null, type);
        for (int m = 0; m < nets.size(); m++) {
            MultiLayerNetwork net = nets.get(m);
            assertEquals(type, first[m].dataType(), "member " + m + ": the member's type");
            assertClose(net.feedForwardToLayer(0, dense, false).get(1), first[m], tolerance, "layer 0, member " + m);
            assertClose(net.output(dense, false), net.activateSelectedLayers(1, net.getnLayers() - 1, first[m]),
                    tolerance, "output, member " + m);
        }
        for (int b = 0; b < batch.size(); b++) {
            // the boundary channels sum 1/p³ per face in float: exact for a patch of 2 or 4, within 4e-6 for 3
            assertArrayEquals(SurrogateInput.faceDensities(batch.get(b), a.phases()), faces[b],
                    Integer.bitCount(a.patch()) == 1 ? 1e-6 : 1e-5, "face densities of volume " + b);
        }
    }

    @Test
    void equalsTheDenseFirstLayerWithBoundaryChannels() {
        agrees(new SurrogateArchitecture(3, 16, 4, 16, 16, 8, true), DataType.FLOAT, 1e-5);
    }

    /** 27 voxels a cell: six groups of four (one pass of four rows, two left) and a partial group of three. */
    @Test
    void equalsTheDenseFirstLayerWithAPartialGroup() {
        agrees(new SurrogateArchitecture(3, 12, 3, 16, 16, 8, true), DataType.FLOAT, 1e-5);
    }

    @Test
    void equalsTheDenseFirstLayerWithoutBoundaryChannelsForDoubleMembersWithTwoPhases() {
        // the gather sums in float whatever the members' type: float rounding, not double's
        agrees(new SurrogateArchitecture(2, 8, 2, 16, 16, 8, false), DataType.DOUBLE, 1e-6);
    }

    @Test
    void aLabelTheArchitectureDoesNotKnowIsRefused() {
        SurrogateArchitecture a = new SurrogateArchitecture(2, 8, 2, 16, 16, 8, true);
        Volume three = SurrogateNetworkTest.randomVolume(8, 3, 1);
        FirstLayer layer = new FirstLayer(members(a, 1, DataType.FLOAT), a);
        assertThrows(IllegalArgumentException.class, () -> layer.apply(List.of(three), null));
    }

    @Test
    void aMemberOfAnotherShapeIsRefused() {
        SurrogateArchitecture a = new SurrogateArchitecture(3, 16, 4, 16, 16, 8, true);
        List<MultiLayerNetwork> wider = members(a.withWidths(32, 16, 8), 1, DataType.FLOAT);
        assertThrows(IllegalStateException.class, () -> new FirstLayer(wider, a));
    }
}
