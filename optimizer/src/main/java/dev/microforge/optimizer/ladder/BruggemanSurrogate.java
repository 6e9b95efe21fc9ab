package dev.microforge.optimizer.ladder;

import dev.microforge.datasets.PhaseMap;
import dev.microforge.datasets.Volume;
import dev.microforge.evaluator.geometry.SurfaceArea;
import dev.microforge.optimizer.objective.Property;
import dev.microforge.optimizer.objective.PropertyEvaluator;
import dev.microforge.optimizer.objective.PropertySpec;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A physics-informed surrogate that needs no training data to start and refits itself as verified designs accumulate:
 * volume fractions and specific surface areas are measured exactly on the volume (they are cheap), and transport
 * follows a power law of the phase's volume fraction {@code eps},
 * <pre>  tau = eps^-a,  Deff/D0 = eps / tau = eps^(1+a),  N_M = tau / eps,</pre>
 * one exponent {@code a} per phase and axis, starting at Bruggeman's {@code a = 1/2} (Bruggeman, Ann. Phys. 416
 * (1935) 636; Tjaden et al., Curr. Opin. Chem. Eng. 12 (2016) 44) and refitted by least squares on
 * {@code log tau = -a log eps} over the verified designs. Its uncertainty is the residual standard deviation of
 * {@code log tau} (0.3 until three designs are verified, at least 0.02), carried to each property by the delta
 * method. Effective conductivity is not predicted (NaN).
 */
public final class BruggemanSurrogate implements Surrogate {
    private static final double PRIOR_EXPONENT = 0.5;
    private static final double PRIOR_LOG_SD = 0.3;
    private static final double MIN_LOG_SD = 0.02;

    /** Verified (log eps, log tau) pairs per phase/axis key. */
    private final Map<String, List<double[]>> data = new HashMap<>();

    @Override
    public String name() {
        return "bruggeman";
    }

    private static String key(PropertySpec s) {
        return s.phase().trim().toLowerCase(java.util.Locale.ROOT) + "/" + s.axis();
    }

    private static double fraction(Volume volume, PhaseMap phases, String phase) {
        long[] counts = volume.labelCounts();
        long n = 0;
        for (int label : PropertyEvaluator.labels(phase, phases)) {
            n += counts[label];
        }
        return (double) n / volume.voxelCount();
    }

    /** {@code [a, logSd]} of the power law for a key. */
    double[] law(String key) {
        List<double[]> points = data.getOrDefault(key, List.of());
        if (points.isEmpty()) {
            return new double[] {PRIOR_EXPONENT, PRIOR_LOG_SD};
        }
        double sxy = 0;
        double sxx = 0;
        for (double[] p : points) {
            sxy += p[0] * p[1];
            sxx += p[0] * p[0];
        }
        double a = sxx > 0 ? -sxy / sxx : PRIOR_EXPONENT;
        if (points.size() < 3) {
            return new double[] {a, PRIOR_LOG_SD};
        }
        double ss = 0;
        for (double[] p : points) {
            double r = p[1] + a * p[0];
            ss += r * r;
        }
        return new double[] {a, Math.max(MIN_LOG_SD, Math.sqrt(ss / (points.size() - 1)))};
    }

    @Override
    public Prediction predict(Volume volume, PhaseMap phases, List<PropertySpec> specs) {
        double[] mean = new double[specs.size()];
        double[] sd = new double[specs.size()];
        for (int i = 0; i < specs.size(); i++) {
            PropertySpec s = specs.get(i);
            switch (s.property()) {
                case VOLUME_FRACTION:
                    mean[i] = fraction(volume, phases, s.phase());
                    sd[i] = 0;
                    break;
                case SURFACE_AREA:
                    mean[i] = SurfaceArea.of(volume, PropertyEvaluator.labels(s.phase(), phases),
                            SurfaceArea.Options.defaults()).marchingCubesSpecificArea();
                    sd[i] = 0;
                    break;
                case TORTUOSITY:
                case EFFECTIVE_DIFFUSIVITY:
                case MAC_MULLIN: {
                    double eps = fraction(volume, phases, s.phase());
                    double[] law = law(key(s));
                    if (eps <= 0) {
                        mean[i] = s.property() == Property.EFFECTIVE_DIFFUSIVITY ? 0 : Double.POSITIVE_INFINITY;
                        sd[i] = 0;
                        break;
                    }
                    double tau = Math.pow(eps, -law[0]);
                    mean[i] = s.property() == Property.TORTUOSITY ? tau
                            : s.property() == Property.MAC_MULLIN ? tau / eps : eps / tau;
                    sd[i] = Math.abs(mean[i]) * law[1];
                    break;
                }
                default:
                    mean[i] = Double.NaN;
                    sd[i] = Double.NaN;
            }
        }
        return new Prediction(mean, sd);
    }

    @Override
    public void update(Volume volume, PhaseMap phases, List<PropertySpec> specs, double[] physics) {
        Map<String, Boolean> done = new HashMap<>();
        for (int i = 0; i < specs.size(); i++) {
            PropertySpec s = specs.get(i);
            if (s.property() != Property.TORTUOSITY && s.property() != Property.EFFECTIVE_DIFFUSIVITY
                    && s.property() != Property.MAC_MULLIN) {
                continue;
            }
            String k = key(s);
            if (done.containsKey(k)) {
                continue;
            }
            double eps = fraction(volume, phases, s.phase());
            double tau = s.property() == Property.TORTUOSITY ? physics[i]
                    : s.property() == Property.MAC_MULLIN ? physics[i] * eps : eps / physics[i];
            if (eps > 0 && eps < 1 && Double.isFinite(tau) && tau > 0) {
                data.computeIfAbsent(k, x -> new ArrayList<>()).add(new double[] {Math.log(eps), Math.log(tau)});
                done.put(k, true);
            }
        }
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("BruggemanSurrogate");
        for (String k : data.keySet()) {
            sb.append(' ').append(k).append(' ').append(Arrays.toString(law(k)));
        }
        return sb.toString();
    }
}
