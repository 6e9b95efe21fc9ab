package dev.microforge.models.surrogate;

import dev.microforge.datasets.Volume;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.commons.math3.linear.Array2DRowRealMatrix;
import org.apache.commons.math3.linear.ArrayRealVector;
import org.apache.commons.math3.linear.CholeskyDecomposition;
import org.apache.commons.math3.linear.RealMatrix;

/**
 * A linear model of each property on global descriptors of the volume, which the CNN members then correct: the
 * members learn the residual {@code y - baseline(x)} (residual learning on a physics-informed baseline, as in
 * "Delta learning"; Ramakrishnan et al., J. Chem. Theory Comput. 11 (2015) 2087).
 *
 * <p>Descriptors ({@link #featureNames}): a constant, the phase fractions {@code phi_k}, their logarithms {@code
 * ln max(phi_k, 1e-3)} (Bruggeman: {@code ln tau = -alpha ln phi}), and the boundary-face densities per phase and
 * axis (faces between phase {@code k} and another phase normal to x, y, z, per voxel: the face-count specific surface
 * by direction) and their logarithms ({@code ln phi_k - ln faces_k,a} is the log mean chord length of phase
 * {@code k} along axis {@code a}, up to a constant: the directional length scale behind anisotropic tortuosity). Why: global averages are what the CNN's last pooling must rebuild from local features, and with
 * 96 training designs it did so poorly (held-out R² of the phase fractions 0.79–0.97, of the surface area
 * 0.27–0.50; README, "Property surrogate"), although both are linear in these descriptors.
 *
 * <p>Fitted by ridge regression on standardised descriptors ({@code (X^T X + lambda n I) b = X^T y}, intercept not
 * penalised), per property on the designs where the property is defined (a non-percolating phase's tortuosity is
 * NaN and skipped).
 *
 * @param phases number of phases
 * @param mean descriptor means used to standardise (constant's entry 0)
 * @param sd descriptor standard deviations (constant's entry 1; a constant descriptor gets 1)
 * @param coefficients {@code [property][descriptor]}, on standardised descriptors
 */
public record DescriptorBaseline(int phases, double[] mean, double[] sd, double[][] coefficients) {

    /** Smallest fraction whose logarithm is taken. */
    public static final double MIN_FRACTION = 1e-3;
    /** Smallest face density (1/voxel) whose logarithm is taken. */
    public static final double MIN_FACES = 1e-4;

    public DescriptorBaseline {
        int k = featureCount(phases);
        if (mean.length != k || sd.length != k) {
            throw new IllegalArgumentException("descriptor baseline for " + phases + " phases needs " + k
                    + " means and sds, got " + mean.length + " and " + sd.length);
        }
        for (double[] c : coefficients) {
            if (c.length != k) {
                throw new IllegalArgumentException("baseline coefficients need " + k + " values, got " + c.length);
            }
        }
        mean = mean.clone();
        sd = sd.clone();
        coefficients = Arrays.stream(coefficients).map(double[]::clone).toArray(double[][]::new);
    }

    /**
     * The baseline that predicts 0 for every property (a surrogate without one).
     *
     * @param phases number of phases
     * @param properties number of properties
     * @return the zero baseline
     */
    public static DescriptorBaseline zero(int phases, int properties) {
        int k = featureCount(phases);
        double[] sd = new double[k];
        Arrays.fill(sd, 1);
        return new DescriptorBaseline(phases, new double[k], sd, new double[properties][k]);
    }

    /**
     * Number of descriptors, {@code 1 + 8 phases}.
     *
     * @param phases number of phases
     * @return the count
     */
    public static int featureCount(int phases) {
        return 1 + 8 * phases;
    }

    /**
     * Descriptor names in order.
     *
     * @param phases number of phases
     * @return names such as {@code fraction.1}, {@code logFraction.1}, {@code faces.1.z}, {@code logFaces.1.z}
     */
    public static List<String> featureNames(int phases) {
        List<String> names = new ArrayList<>();
        names.add("constant");
        for (int k = 0; k < phases; k++) {
            names.add("fraction." + k);
        }
        for (int k = 0; k < phases; k++) {
            names.add("logFraction." + k);
        }
        for (String kind : List.of("faces.", "logFaces.")) {
            for (int k = 0; k < phases; k++) {
                for (String a : List.of("x", "y", "z")) {
                    names.add(kind + k + "." + a);
                }
            }
        }
        return names;
    }

    /**
     * The descriptors of a volume.
     *
     * @param volume a cube with labels {@code 0..phases-1}
     * @param phases number of phases
     * @return {@link #featureCount} values in {@link #featureNames} order
     */
    public static double[] features(Volume volume, int phases) {
        return features(volume, phases, SurrogateInput.faceDensities(volume, phases));
    }

    /**
     * The descriptors of a volume whose face densities are known ({@link SurrogateInput#faceDensities}, or summed
     * from the encoded boundary channels).
     */
    static double[] features(Volume volume, int phases, double[] faces) {
        long[] counts = volume.labelCounts();
        double n = (double) volume.nx() * volume.ny() * volume.nz();
        double[] f = new double[featureCount(phases)];
        f[0] = 1;
        for (int k = 0; k < phases; k++) {
            double phi = k < counts.length ? counts[k] / n : 0;
            f[1 + k] = phi;
            f[1 + phases + k] = Math.log(Math.max(phi, MIN_FRACTION));
        }
        System.arraycopy(faces, 0, f, 1 + 2 * phases, faces.length);
        for (int i = 0; i < faces.length; i++) {
            f[1 + 5 * phases + i] = Math.log(Math.max(faces[i], MIN_FACES));
        }
        return f;
    }

    /**
     * Fits the baseline.
     *
     * @param phases number of phases
     * @param features one descriptor vector per design ({@link #features})
     * @param targets one property vector per design, NaN where undefined
     * @param ridge {@code lambda}, at least 0 (relative to the number of designs; on standardised descriptors)
     * @return the fitted baseline; a property defined on fewer than two designs gets its mean alone (with fewer
     *     designs than descriptors the ridge keeps the system solvable)
     */
    public static DescriptorBaseline fit(int phases, List<double[]> features, List<double[]> targets, double ridge) {
        if (features.size() != targets.size() || features.isEmpty()) {
            throw new IllegalArgumentException("need as many descriptor vectors as target vectors, at least one; got "
                    + features.size() + " and " + targets.size());
        }
        int k = featureCount(phases);
        int properties = targets.get(0).length;
        double[] mean = new double[k];
        double[] sd = new double[k];
        sd[0] = 1;
        for (int j = 1; j < k; j++) {
            double s = 0;
            for (double[] f : features) {
                s += f[j];
            }
            mean[j] = s / features.size();
            double ss = 0;
            for (double[] f : features) {
                ss += (f[j] - mean[j]) * (f[j] - mean[j]);
            }
            double d = Math.sqrt(ss / features.size());
            sd[j] = d > 1e-12 ? d : 1;
        }
        double[][] coefficients = new double[properties][k];
        for (int p = 0; p < properties; p++) {
            List<double[]> rows = new ArrayList<>();
            List<Double> ys = new ArrayList<>();
            for (int i = 0; i < features.size(); i++) {
                double y = targets.get(i)[p];
                if (Double.isFinite(y)) {
                    rows.add(standardise(features.get(i), mean, sd));
                    ys.add(y);
                }
            }
            if (rows.isEmpty()) {
                continue;
            }
            if (rows.size() < 2) {
                coefficients[p][0] = ys.stream().mapToDouble(Double::doubleValue).average().orElse(0);
                continue;
            }
            RealMatrix xtx = new Array2DRowRealMatrix(k, k);
            double[] xty = new double[k];
            for (int i = 0; i < rows.size(); i++) {
                double[] x = rows.get(i);
                for (int a = 0; a < k; a++) {
                    xty[a] += x[a] * ys.get(i);
                    for (int b = 0; b < k; b++) {
                        xtx.addToEntry(a, b, x[a] * x[b]);
                    }
                }
            }
            for (int a = 1; a < k; a++) {
                // ridge on the standardised descriptors (never the intercept), and a floor that keeps the system
                // positive definite when a descriptor is constant (an absent phase)
                xtx.addToEntry(a, a, ridge * rows.size() + 1e-9 * rows.size());
            }
            coefficients[p] = new CholeskyDecomposition(xtx, 1e-14, 1e-14).getSolver()
                    .solve(new ArrayRealVector(xty)).toArray();
        }
        return new DescriptorBaseline(phases, mean, sd, coefficients);
    }

    /**
     * The baseline's value of every property.
     *
     * @param features a descriptor vector ({@link #features})
     * @return one value per property
     */
    public double[] predict(double[] features) {
        double[] x = standardise(features, mean, sd);
        double[] out = new double[coefficients.length];
        for (int p = 0; p < out.length; p++) {
            double s = 0;
            for (int j = 0; j < x.length; j++) {
                s += coefficients[p][j] * x[j];
            }
            out[p] = s;
        }
        return out;
    }

    private static double[] standardise(double[] f, double[] mean, double[] sd) {
        double[] x = new double[f.length];
        x[0] = 1;
        for (int j = 1; j < f.length; j++) {
            x[j] = (f[j] - mean[j]) / sd[j];
        }
        return x;
    }
}
