package dev.microforge.models.surrogate;

import dev.microforge.datasets.Volume;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Callable;
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
 * {@code k} along axis {@code a}, up to a constant: the directional length scale behind anisotropic tortuosity),
 * and the logarithms of the pore's and the solid's geodesic tortuosity along x, y and z ({@link GeodesicTortuosity};
 * Stenzel et al., AIChE J. 62 (2016) 1834, predict effective conductivity from the volume fraction and the geodesic
 * tortuosity), and the logarithms of the pore's and the solid's critical radius along x, y and z ({@link
 * CriticalRadius}: the widest sphere that passes from face to face, the bottleneck that Stenzel et al.'s
 * constrictivity and Katz and Thompson's critical length measure), and the logarithms of the pore's renormalised
 * conductivity along x, y and z ({@link RenormalizedConductivity}: layers in series of cells in parallel, 2×2×2 blocks
 * at a time), and the logarithms of the solid's minimum cut along x, y and z over the cross-section ({@link
 * MinimumCut}: the fewest faces whose removal separates the two faces, a max flow, capped at an eighth of the
 * section). Why: global averages are what the CNN's last pooling must rebuild from local features, and with 96
 * training designs it did so poorly (held-out R² of the phase fractions 0.79–0.97, of the surface area 0.27–0.50;
 * README, "Property surrogate"), although both are linear in these descriptors; the connectivity of a phase is not
 * an average and was what the log tortuosities missed (held-out R² 0.86–0.94 without the geodesic terms); a solid
 * that barely percolates through narrow necks was what the geodesic terms still missed (README, "Property
 * surrogate"); the renormalised conductivity weighs how much of each layer conducts at every scale, which lifted
 * the pore's (README, "Renormalised conductivity"); the solid's contacts, which all of these miss and its cut counts,
 * lifted the solid's from 0.94-0.96 to 0.98 (README, "Minimum cut").
 *
 * <p>Baselines stored before the geodesic terms ({@code 1 + 8 phases} descriptors), before the critical radii
 * ({@code 1 + 8 phases + 6}), before the renormalised conductivities ({@code 1 + 8 phases + 12}) or before the
 * minimum cuts ({@code 1 + 8 phases + 15}) load and predict with their own descriptors ({@link #descriptors}).
 *
 * <p>Fitted by ridge regression on standardised descriptors ({@code (X^T X + lambda n I) b = X^T y}, intercept not
 * penalised), per property on the designs where the property is defined (a non-percolating phase's tortuosity is
 * NaN and skipped).
 *
 * <p>Uncertainty and refitting: ridge regression is the posterior mean of Bayesian linear regression with a Gaussian
 * prior of precision {@code lambda n / sigma^2} on the coefficients (Bishop, "Pattern Recognition and Machine
 * Learning", 2006, §3.3). Each property keeps {@code C = (X^T X + lambda n I)^-1} and the residual variance {@code
 * sigma^2 = RSS / (n - tr(C X^T X))} (the ridge's effective degrees of freedom, Hastie et al., "The Elements of
 * Statistical Learning", §3.4.1), so that {@link #variance} gives the predictive variance {@code sigma^2 (1 + x^T C x)}
 * (large where a design's descriptors lie far from the training designs'), and {@link #updated} adds one verified
 * design by the rank-one (recursive least squares, Sherman-Morrison) update of {@code b} and {@code C}: the same
 * coefficients as a refit with that design's row added, in O(k²). Baselines stored before these terms have neither
 * ({@code noise} and {@code covariance} null): variance 0, no update.
 *
 * @param phases number of phases
 * @param mean descriptor means used to standardise (constant's entry 0)
 * @param sd descriptor standard deviations (constant's entry 1; a constant descriptor gets 1)
 * @param coefficients {@code [property][descriptor]}, on standardised descriptors
 * @param noise per property the residual variance {@code sigma^2} in the property's units squared; null in baselines
 *     stored before it
 * @param covariance per property {@code C = (X^T X + lambda n I)^-1} on standardised descriptors ({@code [property][k][k]},
 *     the coefficients' posterior covariance over {@code sigma^2}); null in baselines stored before it
 */
public record DescriptorBaseline(int phases, double[] mean, double[] sd, double[][] coefficients, double[] noise,
        double[][][] covariance) {

    /** Smallest fraction whose logarithm is taken. */
    public static final double MIN_FRACTION = 1e-3;
    /** Smallest face density (1/voxel) whose logarithm is taken. */
    public static final double MIN_FACES = 1e-4;

    public DescriptorBaseline {
        int k = mean.length;
        if (!knownCount(phases, k) || sd.length != k) {
            throw new IllegalArgumentException("descriptor baseline for " + phases + " phases needs "
                    + featureCount(phases) + " (or " + renormalizedFeatureCount(phases) + ", "
                    + criticalFeatureCount(phases) + ", "
                    + geodesicFeatureCount(phases) + " or " + legacyFeatureCount(phases)
                    + ") means and as many sds, got " + mean.length + " and " + sd.length);
        }
        for (double[] c : coefficients) {
            if (c.length != k) {
                throw new IllegalArgumentException("baseline coefficients need " + k + " values, got " + c.length);
            }
        }
        if ((noise == null) != (covariance == null)) {
            throw new IllegalArgumentException("a baseline's noise and covariance come together, or neither");
        }
        if (noise != null) {
            if (noise.length != coefficients.length || covariance.length != coefficients.length) {
                throw new IllegalArgumentException("baseline noise and covariance need one entry per property ("
                        + coefficients.length + "), got " + noise.length + " and " + covariance.length);
            }
            for (double[][] c : covariance) {
                if (c.length != k || Arrays.stream(c).anyMatch(row -> row.length != k)) {
                    throw new IllegalArgumentException("baseline covariance must be " + k + "x" + k + " per property");
                }
            }
            noise = noise.clone();
            covariance = Arrays.stream(covariance).map(c -> Arrays.stream(c).map(double[]::clone)
                    .toArray(double[][]::new)).toArray(double[][][]::new);
        }
        mean = mean.clone();
        sd = sd.clone();
        coefficients = Arrays.stream(coefficients).map(double[]::clone).toArray(double[][]::new);
    }

    /**
     * A baseline without uncertainty (as stored before it): {@link #variance} 0, {@link #updated} changes nothing.
     *
     * @param phases number of phases
     * @param mean descriptor means
     * @param sd descriptor standard deviations
     * @param coefficients {@code [property][descriptor]}
     */
    public DescriptorBaseline(int phases, double[] mean, double[] sd, double[][] coefficients) {
        this(phases, mean, sd, coefficients, null, null);
    }

    /**
     * The baseline that predicts 0 for every property (a surrogate without one).
     *
     * @param phases number of phases
     * @param properties number of properties
     * @return the zero baseline
     */
    public static DescriptorBaseline zero(int phases, int properties) {
        int k = legacyFeatureCount(phases); // nothing to weigh: no geodesic search per prediction
        double[] sd = new double[k];
        Arrays.fill(sd, 1);
        return new DescriptorBaseline(phases, new double[k], sd, new double[properties][k]);
    }

    /**
     * Number of descriptors, {@code 1 + 8 phases + 18}.
     *
     * @param phases number of phases
     * @return the count
     */
    public static int featureCount(int phases) {
        return renormalizedFeatureCount(phases) + CUT_SET;
    }

    /** The six values of each connectivity descriptor set (pore and solid, x, y, z). */
    private static final int CONNECTIVITY_SET = 6;
    /** The three renormalised conductivities (pore, x, y, z). */
    private static final int RENORMALIZED_SET = 3;
    /** The three minimum cuts (solid, x, y, z). */
    private static final int CUT_SET = 3;
    /** The connectivity descriptors before the minimum cuts: geodesic, critical, renormalised. */
    private static final int SEARCHED = 2 * CONNECTIVITY_SET + RENORMALIZED_SET;

    /** Number of descriptors of a baseline stored before the geodesic terms, {@code 1 + 8 phases}. */
    static int legacyFeatureCount(int phases) {
        return 1 + 8 * phases;
    }

    /** Number of descriptors of a baseline stored before the critical radii, {@code 1 + 8 phases + 6}. */
    static int geodesicFeatureCount(int phases) {
        return legacyFeatureCount(phases) + CONNECTIVITY_SET;
    }

    /** Number of descriptors of a baseline stored before the renormalised conductivities, {@code 1 + 8 phases + 12}. */
    static int criticalFeatureCount(int phases) {
        return geodesicFeatureCount(phases) + CONNECTIVITY_SET;
    }

    /** Number of descriptors of a baseline stored before the minimum cuts, {@code 1 + 8 phases + 15}. */
    static int renormalizedFeatureCount(int phases) {
        return criticalFeatureCount(phases) + RENORMALIZED_SET;
    }

    /** Whether {@code k} descriptors is what a baseline of some version weighs. */
    private static boolean knownCount(int phases, int k) {
        return k == featureCount(phases) || k == renormalizedFeatureCount(phases) || k == criticalFeatureCount(phases)
                || k == geodesicFeatureCount(phases) || k == legacyFeatureCount(phases);
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
        for (String kind : List.of("logGeodesicTortuosity.", "logCriticalRadius.")) {
            for (String set : List.of("pore", "solid")) {
                for (String a : List.of("x", "y", "z")) {
                    names.add(kind + set + "." + a);
                }
            }
        }
        for (String a : List.of("x", "y", "z")) {
            names.add("logRenormalizedConductivity.pore." + a);
        }
        for (String a : List.of("x", "y", "z")) {
            names.add("logMinimumCut.solid." + a);
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
        return features(volume, phases, faces,
                connectivity(volume, featureCount(phases) - legacyFeatureCount(phases)));
    }

    /**
     * This baseline's descriptors of a volume (what {@link #predict} takes): all of {@link #features}, or those of a
     * baseline stored before the geodesic terms or the critical radii.
     *
     * @param volume a cube with labels {@code 0..phases-1}
     * @return as many values as the baseline has coefficients per property
     */
    public double[] descriptors(Volume volume) {
        return descriptors(volume, SurrogateInput.faceDensities(volume, phases));
    }

    /**
     * This baseline's descriptors of a volume: all of {@link #features}, or those of a baseline stored before the
     * geodesic terms or the critical radii.
     *
     * @param volume a cube with labels {@code 0..phases-1}
     * @param faces its face densities ({@link SurrogateInput#faceDensities})
     * @return as many values as the baseline has coefficients per property
     */
    double[] descriptors(Volume volume, double[] faces) {
        return features(volume, phases, faces, connectivity(volume));
    }

    /**
     * As {@link #descriptors(Volume, double[])} with the connectivity descriptors already computed ({@link
     * #connectivity(Volume)}).
     */
    double[] descriptors(Volume volume, double[] faces, double[] connectivity) {
        if (connectivity.length != connectivityCount()) {
            throw new IllegalArgumentException("this baseline weighs " + connectivityCount()
                    + " connectivity descriptors, got " + connectivity.length);
        }
        return features(volume, phases, faces, connectivity);
    }

    /**
     * How many connectivity descriptors this baseline weighs: 0, 6 (geodesic), 12 (and the critical radii), 15
     * (and the renormalised conductivities) or 18 (and the minimum cuts).
     */
    int connectivityCount() {
        return mean.length - legacyFeatureCount(phases);
    }

    /**
     * The connectivity descriptors this baseline weighs (the dear ones: searches and flows; a surrogate computes them
     * beside its members): the geodesic tortuosities ({@link GeodesicTortuosity#poreAndSolid}), then the critical
     * radii ({@link CriticalRadius#poreAndSolid}), then the pore's renormalised conductivities ({@link
     * RenormalizedConductivity#pore}), then the solid's minimum cuts ({@link MinimumCut#solid}), as many as {@link
     * #connectivityCount} (also as separate tasks: {@link #connectivityTasks}).
     *
     * @param volume a cube
     * @return the values, not yet logarithms
     */
    double[] connectivity(Volume volume) {
        return connectivity(volume, connectivityCount());
    }

    /**
     * {@link #connectivity} as tasks for several threads: their results, concatenated in order ({@link #joined}), are
     * its values. The searches (geodesic tortuosities, critical radii, renormalised conductivities) are one task, the
     * minimum cut along each axis one more each ({@link MinimumCut.SolidCuts}; none for a baseline stored before
     * them): the cuts are the dearest part, about half of the work.
     *
     * @param volume a cube
     * @return one to four tasks
     */
    List<Callable<double[]>> connectivityTasks(Volume volume) {
        int count = connectivityCount();
        List<Callable<double[]>> tasks = new ArrayList<>();
        tasks.add(() -> searches(volume, Math.min(count, SEARCHED)));
        if (count > SEARCHED) {
            MinimumCut.SolidCuts cuts = new MinimumCut.SolidCuts(volume);
            for (int a = 0; a < 3; a++) {
                int axis = a;
                tasks.add(() -> new double[] {cuts.along(axis)});
            }
        }
        return tasks;
    }

    /**
     * The tasks' results of {@link #connectivityTasks} in one array, what {@link #descriptors(Volume, double[],
     * double[])} takes.
     */
    static double[] joined(List<double[]> parts) {
        int length = 0;
        for (double[] p : parts) {
            length += p.length;
        }
        double[] out = new double[length];
        int at = 0;
        for (double[] p : parts) {
            System.arraycopy(p, 0, out, at, p.length);
            at += p.length;
        }
        return out;
    }

    private static double[] connectivity(Volume volume, int count) {
        return joined(List.of(searches(volume, Math.min(count, SEARCHED)),
                count > SEARCHED ? MinimumCut.solid(volume) : new double[0]));
    }

    private static double[] searches(Volume volume, int count) {
        double[] out = new double[count];
        if (count > 0) {
            int n = SurrogateInput.cubeEdge(volume);
            double[] geodesic;
            double[] radii = null;
            if (BitRows.fits(n)) { // the bit-parallel searches: the same values, faster
                BitRows[] sets = BitRows.poreAndSolid(volume);
                geodesic = GeodesicTortuosity.poreAndSolid(sets);
                if (count > CONNECTIVITY_SET) {
                    radii = CriticalRadius.poreAndSolid(sets, geodesic);
                }
            } else {
                int[][] masks = GeodesicTortuosity.poreAndSolidMasks(volume);
                // the geodesic searches read the masks, the critical radii then overwrite them: this order only
                geodesic = GeodesicTortuosity.poreAndSolid(masks, n);
                if (count > CONNECTIVITY_SET) {
                    radii = CriticalRadius.poreAndSolid(masks, n, geodesic);
                }
            }
            System.arraycopy(geodesic, 0, out, 0, CONNECTIVITY_SET);
            if (radii != null) {
                System.arraycopy(radii, 0, out, CONNECTIVITY_SET, CONNECTIVITY_SET);
            }
            if (count > 2 * CONNECTIVITY_SET) {
                System.arraycopy(RenormalizedConductivity.pore(volume), 0, out, 2 * CONNECTIVITY_SET,
                        RENORMALIZED_SET);
            }
        }
        return out;
    }

    /** The descriptors: the legacy ones, then the logarithms of the connectivity descriptors given. */
    private static double[] features(Volume volume, int phases, double[] faces, double[] connectivity) {
        long[] counts = volume.labelCounts();
        double n = (double) volume.nx() * volume.ny() * volume.nz();
        double[] f = new double[legacyFeatureCount(phases) + connectivity.length];
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
        for (int i = 0; i < connectivity.length; i++) {
            f[legacyFeatureCount(phases) + i] = Math.log(connectivity[i]);
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
        return fit(phases, features, targets, new double[] {ridge}, 1);
    }

    /**
     * Fits the baseline with each property's ridge chosen from {@code ridges} by {@code folds}-fold cross-validation
     * on the given designs (fold of design {@code i}: {@code i mod folds}; the ridge with the least mean squared
     * error over the held-out folds wins, ties to the first), then refitted on all of them.
     *
     * @param phases number of phases
     * @param features one descriptor vector per design ({@link #features})
     * @param targets one property vector per design, NaN where undefined
     * @param ridges candidate {@code lambda}s, each at least 0; one candidate is used as it is
     * @param folds at least 2 when there are several candidates (a property defined on fewer designs than folds
     *     gets the first candidate)
     * @return the fitted baseline
     */
    public static DescriptorBaseline fit(int phases, List<double[]> features, List<double[]> targets, double[] ridges,
            int folds) {
        if (ridges.length == 0 || (ridges.length > 1 && folds < 2)) {
            throw new IllegalArgumentException("need at least one ridge and, to choose among several, 2 or more folds; "
                    + "got " + ridges.length + " ridges and " + folds + " folds");
        }
        for (double r : ridges) {
            if (!(r >= 0) || !Double.isFinite(r)) {
                throw new IllegalArgumentException("ridge must be finite and >= 0, got " + r);
            }
        }
        if (features.size() != targets.size() || features.isEmpty()) {
            throw new IllegalArgumentException("need as many descriptor vectors as target vectors, at least one; got "
                    + features.size() + " and " + targets.size());
        }
        int k = features.get(0).length;
        if (!knownCount(phases, k)) {
            throw new IllegalArgumentException("descriptor vectors for " + phases + " phases have " + featureCount(phases)
                    + " values, got " + k);
        }
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
        double[] noise = new double[properties];
        double[][][] covariance = new double[properties][k][k];
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
                coefficients[p][0] = ys.get(0);
                continue;
            }
            RidgeFit fit = ridgeFit(rows, ys, ridges.length == 1 ? ridges[0] : crossValidated(rows, ys, ridges, folds));
            coefficients[p] = fit.coefficients();
            noise[p] = fit.noise();
            covariance[p] = fit.covariance();
        }
        return new DescriptorBaseline(phases, mean, sd, coefficients, noise, covariance);
    }

    /** The ridge of {@code ridges} with the least cross-validated squared error on these rows. */
    private static double crossValidated(List<double[]> rows, List<Double> ys, double[] ridges, int folds) {
        if (rows.size() < folds) {
            return ridges[0];
        }
        double best = ridges[0];
        double bestError = Double.POSITIVE_INFINITY;
        for (double ridge : ridges) {
            double error = 0;
            for (int fold = 0; fold < folds; fold++) {
                List<double[]> trainRows = new ArrayList<>();
                List<Double> trainYs = new ArrayList<>();
                for (int i = 0; i < rows.size(); i++) {
                    if (i % folds != fold) {
                        trainRows.add(rows.get(i));
                        trainYs.add(ys.get(i));
                    }
                }
                double[] b = solve(trainRows, trainYs, ridge);
                for (int i = fold; i < rows.size(); i += folds) {
                    double d = dot(b, rows.get(i)) - ys.get(i);
                    error += d * d;
                }
            }
            if (error < bestError) {
                bestError = error;
                best = ridge;
            }
        }
        return best;
    }

    /** Ridge regression on standardised rows (first entry the constant, never penalised). */
    private static double[] solve(List<double[]> rows, List<Double> ys, double ridge) {
        return cholesky(gram(rows), ridge, rows.size()).getSolver().solve(new ArrayRealVector(xty(rows, ys))).toArray();
    }

    /** A property's ridge fit: coefficients, {@code C = (X^T X + lambda n I)^-1} and the residual variance. */
    private record RidgeFit(double[] coefficients, double[][] covariance, double noise) {
    }

    /** {@link #solve} plus the inverse and the residual variance over the ridge's effective degrees of freedom. */
    private static RidgeFit ridgeFit(List<double[]> rows, List<Double> ys, double ridge) {
        RealMatrix xtx = gram(rows);
        CholeskyDecomposition ch = cholesky(xtx, ridge, rows.size());
        double[] b = ch.getSolver().solve(new ArrayRealVector(xty(rows, ys))).toArray();
        RealMatrix c = ch.getSolver().getInverse();
        double rss = 0;
        for (int i = 0; i < rows.size(); i++) {
            double d = dot(b, rows.get(i)) - ys.get(i);
            rss += d * d;
        }
        double df = c.multiply(xtx).getTrace(); // tr of the hat matrix X C X^T
        return new RidgeFit(b, c.getData(), rss / Math.max(1, rows.size() - df));
    }

    private static RealMatrix gram(List<double[]> rows) {
        int k = rows.get(0).length;
        double[][] g = new double[k][k];
        for (double[] x : rows) {
            for (int a = 0; a < k; a++) {
                for (int b = 0; b < k; b++) {
                    g[a][b] += x[a] * x[b];
                }
            }
        }
        return new Array2DRowRealMatrix(g, false);
    }

    private static double[] xty(List<double[]> rows, List<Double> ys) {
        double[] out = new double[rows.get(0).length];
        for (int i = 0; i < rows.size(); i++) {
            double[] x = rows.get(i);
            for (int a = 0; a < out.length; a++) {
                out[a] += x[a] * ys.get(i);
            }
        }
        return out;
    }

    /** The Cholesky factor of {@code X^T X + lambda n I} (a copy of {@code xtx} is penalised). */
    private static CholeskyDecomposition cholesky(RealMatrix xtx, double ridge, int n) {
        RealMatrix a = xtx.copy();
        for (int j = 1; j < a.getRowDimension(); j++) {
            // ridge on the standardised descriptors (never the intercept), and a floor that keeps the system
            // positive definite when a descriptor is constant (an absent phase)
            a.addToEntry(j, j, ridge * n + 1e-9 * n);
        }
        return new CholeskyDecomposition(a, 1e-14, 1e-14);
    }

    private static double dot(double[] a, double[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            s += a[i] * b[i];
        }
        return s;
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

    /**
     * The predictive variance of every property at a descriptor vector, {@code sigma^2 (1 + x^T C x)} with {@code x}
     * standardised: the residual scatter of the training designs plus the coefficients' uncertainty there.
     *
     * @param features a descriptor vector ({@link #descriptors})
     * @return one variance per property, in the property's units squared; all 0 for a baseline without uncertainty
     */
    public double[] variance(double[] features) {
        double[] out = new double[coefficients.length];
        if (noise == null) {
            return out;
        }
        double[] x = standardise(features, mean, sd);
        for (int p = 0; p < out.length; p++) {
            out[p] = noise[p] * (1 + dot(x, times(covariance[p], x)));
        }
        return out;
    }

    /**
     * This baseline with one more design: for each property whose target is finite, the recursive least-squares
     * update {@code b += C x (y - x^T b) / (1 + x^T C x)}, {@code C -= C x x^T C / (1 + x^T C x)} (Sherman-Morrison),
     * which gives exactly the ridge solution with the design's row added to the training rows (the penalty and the
     * standardisation stay those of the training designs); {@code sigma^2} is kept.
     *
     * @param features the design's descriptor vector ({@link #descriptors})
     * @param targets one value per property, NaN where nothing was measured
     * @return the updated baseline; this one when it has no covariance (stored before it)
     */
    public DescriptorBaseline updated(double[] features, double[] targets) {
        if (targets.length != coefficients.length) {
            throw new IllegalArgumentException("need one target per property (" + coefficients.length + "), got "
                    + targets.length);
        }
        if (covariance == null) {
            return this;
        }
        double[] x = standardise(features, mean, sd);
        double[][] b = coefficients.clone();
        double[][][] c = covariance.clone();
        for (int p = 0; p < b.length; p++) {
            if (!Double.isFinite(targets[p])) {
                continue;
            }
            double[] cx = times(covariance[p], x);
            double s = 1 + dot(x, cx);
            double e = (targets[p] - dot(coefficients[p], x)) / s;
            b[p] = coefficients[p].clone();
            c[p] = new double[x.length][x.length];
            for (int i = 0; i < x.length; i++) {
                b[p][i] += cx[i] * e;
                for (int j = 0; j < x.length; j++) {
                    c[p][i][j] = covariance[p][i][j] - cx[i] * cx[j] / s;
                }
            }
        }
        return new DescriptorBaseline(phases, mean, sd, b, noise, c);
    }

    private static double[] times(double[][] m, double[] x) {
        double[] out = new double[m.length];
        for (int i = 0; i < m.length; i++) {
            out[i] = dot(m[i], x);
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
