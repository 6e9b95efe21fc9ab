package dev.microforge.optimizer.gp;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;
import smile.math.matrix.Matrix;

class MaternArdKernelTest {
    private final MaternArdKernel kernel = new MaternArdKernel(new double[] {0.5, 2.0}, 1.5);

    @Test
    void valueIsTheMatern52FormulaWithScaledDistance() {
        double[] a = {0.1, 0.2};
        double[] b = {0.4, -0.6};
        double r = Math.sqrt(Math.pow(0.3 / 0.5, 2) + Math.pow(0.8 / 2.0, 2));
        double s = Math.sqrt(5) * r;
        assertEquals(1.5 * (1 + s + s * s / 3) * Math.exp(-s), kernel.k(a, b), 1e-15);
        assertEquals(1.5, kernel.k(a, a), 0);
        // unit length-scale, unit variance, r = 1: (1 + sqrt5 + 5/3) exp(-sqrt5) = 0.52399...
        assertEquals(0.5239941088318203, MaternArdKernel.unit(1).k(new double[] {0}, new double[] {1}), 1e-15);
    }

    @Test
    void hyperparameterGradientMatchesFiniteDifferences() {
        double[] a = {0.1, 0.2};
        double[] b = {0.4, -0.6};
        double[] g = kernel.kg(a, b);
        assertEquals(kernel.k(a, b), g[0], 1e-15);
        double[] theta = kernel.hyperparameters();
        for (int j = 0; j < theta.length; j++) {
            double h = 1e-6;
            double[] up = theta.clone();
            double[] down = theta.clone();
            up[j] += h;
            down[j] -= h;
            double fd = (kernel.of(up).k(a, b) - kernel.of(down).k(a, b)) / (2 * h);
            assertEquals(fd, g[j + 1], 1e-8, "dk/dtheta_" + j);
        }
    }

    @Test
    void inputGradientMatchesFiniteDifferences() {
        double[] a = {0.1, 0.2};
        double[] b = {0.4, -0.6};
        double[] g = new double[2];
        kernel.addInputGradient(a, b, 2.0, g);
        for (int j = 0; j < 2; j++) {
            double h = 1e-6;
            double[] up = a.clone();
            double[] down = a.clone();
            up[j] += h;
            down[j] -= h;
            assertEquals(2 * (kernel.k(up, b) - kernel.k(down, b)) / (2 * h), g[j], 1e-8);
        }
    }

    @Test
    void hyperparametersRoundTripThroughOfAndIgnoreSmilesAppendedNoise() {
        double[] theta = kernel.hyperparameters();
        assertArrayEquals(new double[] {Math.log(0.5), Math.log(2), Math.log(1.5)}, theta, 1e-15);
        double[] withNoise = {theta[0], theta[1], theta[2], Math.log(1e-3)};
        MaternArdKernel back = kernel.of(withNoise);
        assertArrayEquals(new double[] {0.5, 2.0}, back.lengthScales(), 1e-15);
        assertEquals(1.5, back.signalVariance(), 1e-15);
        assertArrayEquals(new double[] {Math.log(0.01), Math.log(0.01), Math.log(0.01)}, kernel.lo(), 1e-15);
        assertArrayEquals(new double[] {Math.log(100), Math.log(100), Math.log(100)}, kernel.hi(), 1e-15);
    }

    @Test
    void smilesGramMatricesUseOurGradientLayout() {
        double[][] x = {{0, 0}, {0.3, 0.1}, {0.9, 0.7}};
        Matrix[] kg = kernel.KG(x);
        assertEquals(4, kg.length); // K and one matrix per hyperparameter
        assertEquals(kernel.k(x[0], x[2]), kg[0].get(0, 2), 1e-15);
        assertEquals(kernel.kg(x[1], x[2])[1], kg[1].get(1, 2), 1e-15);
        assertEquals(kernel.kg(x[1], x[2])[3], kg[3].get(2, 1), 1e-15);
    }

    @Test
    void badInput() {
        assertThrows(IllegalArgumentException.class, () -> new MaternArdKernel(new double[0], 1));
        assertThrows(IllegalArgumentException.class, () -> new MaternArdKernel(new double[] {0}, 1));
        assertThrows(IllegalArgumentException.class, () -> new MaternArdKernel(new double[] {1}, Double.NaN));
        assertThrows(IllegalArgumentException.class, () -> new MaternArdKernel(new double[] {1}, 1, 1, 0.5, 1, 2));
        assertThrows(IllegalArgumentException.class, () -> kernel.of(new double[] {0, 0}));
    }
}
