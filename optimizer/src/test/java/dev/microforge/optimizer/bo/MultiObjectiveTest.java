package dev.microforge.optimizer.bo;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class MultiObjectiveTest {
    @Test
    void paretoFrontOfAHandExample() {
        double[][] y = {{1, 5}, {2, 4}, {2, 3}, {0, 6}, {3, 1}, {1, 1}, {Double.NaN, 9}, {3, 1}};
        boolean[] eligible = {true, true, true, true, true, true, true, false};
        boolean[] front = MultiObjective.paretoFront(y, eligible);
        assertArrayEquals(new boolean[] {true, true, false, true, true, false, false, false}, front);
        assertTrue(MultiObjective.dominates(new double[] {2, 4}, new double[] {2, 3}));
        assertTrue(!MultiObjective.dominates(new double[] {2, 3}, new double[] {2, 3}));
    }

    @Test
    void hypervolumeOfAStaircase() {
        // points (3,1), (2,4), (1,5) over reference (0,0): 3*1 + 2*(4-1) + 1*(5-4) = 10
        assertEquals(10, MultiObjective.hypervolume2d(List.of(new double[] {1, 5}, new double[] {3, 1},
                new double[] {2, 4}, new double[] {1, 1}), new double[] {0, 0}), 1e-12);
        assertEquals(0, MultiObjective.hypervolume2d(List.of(new double[] {-1, 5}), new double[] {0, 0}), 0);
    }

    @Test
    void parEgoIsTheAugmentedChebyshevCostOfNormalisedObjectives() {
        double[][] y = {{0, 10}, {1, 0}, {0.5, 5}};
        double[] w = {0.25, 0.75};
        double[] s = MultiObjective.parEgo(y, w);
        // costs: row0 (1, 0), row1 (0, 1), row2 (0.5, 0.5)
        assertEquals(-(0.25 + 0.05 * 0.25), s[0], 1e-12);
        assertEquals(-(0.75 + 0.05 * 0.75), s[1], 1e-12);
        assertEquals(-(0.375 + 0.05 * 0.5), s[2], 1e-12);
        double[] r = MultiObjective.randomWeights(3, 4);
        assertEquals(1, Arrays.stream(r).sum(), 1e-12);
        assertTrue(Arrays.stream(r).allMatch(v -> v >= 0));
        assertArrayEquals(r, MultiObjective.randomWeights(3, 4), 0);
    }
}
