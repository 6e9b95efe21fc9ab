package dev.microforge.optimizer.acquisition;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Tail-stable normal functions against 50-digit mpmath values (reference/normal_tails.py). */
class StandardNormalTest {
    private static List<String[]> reference() throws IOException {
        List<String[]> rows = new ArrayList<>();
        try (BufferedReader in = new BufferedReader(new InputStreamReader(
                StandardNormalTest.class.getResourceAsStream("/reference/normal_tails.csv"), StandardCharsets.UTF_8))) {
            in.readLine();
            for (String line = in.readLine(); line != null; line = in.readLine()) {
                rows.add(line.split(","));
            }
        }
        return rows;
    }

    @Test
    void logHLogCdfAndErfcxMatchMpmathFromTheCentreToTheFarTail() throws IOException {
        int checked = 0;
        for (String[] row : reference()) {
            double x = Double.parseDouble(row[1]);
            double expected = Double.parseDouble(row[2]);
            double actual;
            switch (row[0]) {
                case "logH":
                    actual = StandardNormal.logH(x);
                    break;
                case "logCdf":
                    actual = StandardNormal.logCdf(x);
                    break;
                default:
                    actual = StandardNormal.erfcx(x);
            }
            double tolerance = 1e-12 * Math.max(1, Math.abs(expected));
            assertEquals(expected, actual, tolerance, row[0] + "(" + row[1] + ")");
            checked++;
        }
        assertEquals(34, checked);
    }

    @Test
    void hIsTheExpectedImprovementOfAUnitNormalByQuadrature() {
        for (double z : new double[] {-3, -1, -0.2, 0, 0.7, 2}) {
            // E[max(Z + z, 0)] for Z ~ N(0, 1), Simpson's rule on [-z, 12]
            int n = 20000;
            double a = -z;
            double b = 12;
            double step = (b - a) / n;
            double sum = 0;
            for (int i = 0; i <= n; i++) {
                double t = a + i * step;
                double f = (t + z) * StandardNormal.pdf(t);
                sum += (i == 0 || i == n ? 1 : i % 2 == 1 ? 4 : 2) * f;
            }
            assertEquals(sum * step / 3, StandardNormal.h(z), 1e-10, "h(" + z + ")");
        }
    }

    @Test
    void logHIsIncreasingAndSmoothAcrossTheBranchPoints() {
        double previous = Double.NEGATIVE_INFINITY;
        for (double z = -50; z <= 5; z += 0.01) {
            double v = StandardNormal.logH(z);
            assertTrue(v > previous, "log h must increase, at z = " + z);
            previous = v;
        }
        // the two branches of log h and of erfcx meet without a jump
        assertEquals(StandardNormal.logH(-1 - 1e-12), StandardNormal.logH(-1 + 1e-12), 1e-10);
        assertEquals(StandardNormal.erfcx(5 - 1e-12), StandardNormal.erfcx(5 + 1e-12), 1e-13);
    }
}
