package dev.microforge.evaluator.morphology;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.microforge.datasets.Axis;
import dev.microforge.datasets.Volume;
import dev.microforge.evaluator.morphology.ConnectedComponents.Connectivity;
import dev.microforge.evaluator.morphology.ConnectedComponents.Options;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ConnectedComponentsTest {

    /** Independent labelling: breadth-first flood fill over the full (wrapped) neighbourhood. */
    private static int[] floodFill(Volume v, int phase, Options o) {
        int nx = v.nx();
        int ny = v.ny();
        int nz = v.nz();
        int[] labels = new int[(int) v.voxelCount()];
        int[][] offsets = ConnectedComponents.allOffsets(o.connectivity());
        int next = 0;
        ArrayDeque<Integer> queue = new ArrayDeque<>();
        for (int start = 0; start < labels.length; start++) {
            if (v.get(start) != phase || labels[start] != 0) {
                continue;
            }
            labels[start] = ++next;
            queue.add(start);
            while (!queue.isEmpty()) {
                int i = queue.poll();
                int x = i % nx;
                int y = (i / nx) % ny;
                int z = i / (nx * ny);
                for (int[] d : offsets) {
                    int xx = x + d[0];
                    int yy = y + d[1];
                    int zz = z + d[2];
                    if (o.periodicX()) {
                        xx = Math.floorMod(xx, nx);
                    }
                    if (o.periodicY()) {
                        yy = Math.floorMod(yy, ny);
                    }
                    if (o.periodicZ()) {
                        zz = Math.floorMod(zz, nz);
                    }
                    if (xx < 0 || yy < 0 || zz < 0 || xx >= nx || yy >= ny || zz >= nz) {
                        continue;
                    }
                    int j = xx + nx * (yy + ny * zz);
                    if (v.get(j) == phase && labels[j] == 0) {
                        labels[j] = next;
                        queue.add(j);
                    }
                }
            }
        }
        return labels;
    }

    @ParameterizedTest
    @CsvSource({"6,false", "18,false", "26,false", "6,true", "18,true", "26,true"})
    void agreesWithAFloodFillOnRandomVolumes(int connectivity, boolean periodic) {
        Random r = new Random(connectivity * 7 + (periodic ? 1 : 0));
        for (int trial = 0; trial < 5; trial++) {
            double p = 0.2 + 0.1 * trial;
            Volume v = Volume.generate(13, 11, 7, (x, y, z) -> r.nextDouble() < p ? 1 : 0);
            Options o = new Options(Connectivity.of(connectivity), periodic, periodic, periodic);
            ConnectedComponents.Result result = ConnectedComponents.label(v, 1, o);
            int[] expected = floodFill(v, 1, o);
            // same partition: a one-to-one map between the two numberings
            Map<Integer, Integer> map = new HashMap<>();
            Map<Integer, Integer> back = new HashMap<>();
            int max = 0;
            for (int i = 0; i < expected.length; i++) {
                int a = expected[i];
                int b = result.labels()[i];
                assertEquals(a == 0, b == 0, "membership at " + i);
                if (a != 0) {
                    assertEquals(b, (int) map.computeIfAbsent(a, k -> b), "partition at " + i);
                    assertEquals(a, (int) back.computeIfAbsent(b, k -> a), "partition at " + i);
                    max = Math.max(max, a);
                }
            }
            assertEquals(max, result.count());
            long total = 0;
            for (int k = 1; k <= result.count(); k++) {
                total += result.sizes()[k];
            }
            assertEquals(v.labelCounts()[1], total);
        }
    }

    @Test
    void diagonalVoxelsJoinOnlyUnderLargerNeighbourhoods() {
        // Given three voxels touching by an edge and then by a corner
        Volume v = Volume.generate(3, 3, 3, (x, y, z) -> (x == 0 && y == 0 && z == 0) || (x == 1 && y == 1 && z == 0)
                || (x == 2 && y == 2 && z == 1) ? 1 : 0);
        assertEquals(3, ConnectedComponents.label(v, 1, new Options(Connectivity.FACES, false, false, false)).count());
        assertEquals(2, ConnectedComponents.label(v, 1, new Options(Connectivity.EDGES, false, false, false)).count());
        assertEquals(1, ConnectedComponents.label(v, 1, new Options(Connectivity.CORNERS, false, false, false))
                .count());
    }

    @Test
    void facesAndPercolationOfAChannelAndAnIsland() {
        // A straight channel along z at (1,1), a blob touching only z = 0 at (4,4), an island in the middle
        Volume v = Volume.generate(6, 6, 8, (x, y, z) -> (x == 1 && y == 1) || (x == 4 && y == 4 && z < 2)
                || (x == 4 && y == 1 && z == 4) ? 1 : 0);
        ConnectedComponents.Result c = ConnectedComponents.label(v, 1, Options.defaults());
        assertEquals(3, c.count());
        int channel = c.labels()[v.index(1, 1, 0)];
        assertTrue(c.spans(channel, Axis.Z));
        assertFalse(c.spans(channel, Axis.X));
        Percolation.Result z = Percolation.along(c, Axis.Z);
        assertEquals(8.0 / 11, z.percolatingFraction(), 1e-12);
        assertEquals(2.0 / 11, z.deadEndFraction(), 1e-12);
        assertEquals(1.0 / 11, z.isolatedFraction(), 1e-12);
        assertTrue(z.percolates());
        Percolation.Result x = Percolation.along(c, Axis.X);
        assertFalse(x.percolates());
        assertEquals(1.0, x.isolatedFraction(), 1e-12);
    }

    @Test
    void periodicWrapJoinsTheTwoEnds() {
        Volume v = Volume.generate(5, 1, 1, (x, y, z) -> x == 0 || x == 4 ? 1 : 0);
        assertEquals(2, ConnectedComponents.label(v, 1, Options.defaults()).count());
        assertEquals(1, ConnectedComponents.label(v, 1, new Options(Connectivity.FACES, true, false, false))
                .count());
    }

    @Test
    void badArgumentsAreRefused() {
        Volume v = Volume.filled(2, 2, 2, 1);
        assertThrows(IllegalArgumentException.class, () -> ConnectedComponents.label(v, new int[0],
                Options.defaults()));
        assertThrows(IllegalArgumentException.class, () -> ConnectedComponents.label(v, 256, Options.defaults()));
        assertThrows(IllegalArgumentException.class, () -> Connectivity.of(8));
        assertThrows(IllegalArgumentException.class, () -> new Options(null, false, false, false));
        assertEquals(0, Percolation.along(ConnectedComponents.label(v, 0, Options.defaults()), Axis.X)
                .phaseVoxels());
    }
}
