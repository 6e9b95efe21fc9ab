package dev.microforge.optimizer.ladder;

import dev.microforge.datasets.PhaseMap;
import dev.microforge.datasets.Volume;
import dev.microforge.optimizer.objective.Property;
import dev.microforge.optimizer.objective.PropertyEvaluator;
import dev.microforge.optimizer.objective.PropertySpec;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Locale;
import java.util.Set;

/**
 * The trained CNN ensemble ({@link dev.microforge.models.surrogate.Surrogate}, {@code microforge train surrogate}) as
 * the screening rung of the evaluation ladder. The network predicts a fixed property vector
 * ({@code dev.microforge.evaluator.properties.ElectrodeProperties}: fractions, surface areas in 1/voxel, natural logs
 * of tortuosity); this class maps a campaign's specs onto it:
 * <ul>
 *   <li>{@code volumeFraction} of {@code pore}, {@code active} or {@code cbd} (labels 0, 1, 2), or of a union of them
 *       (means added, variances added);</li>
 *   <li>{@code surfaceArea} of the pore, of the solid ({@code active+cbd}: the same interface) or of the active
 *       material, divided by the voxel edge when the volume's voxel size is known (1/um, as the physics reports
 *       it);</li>
 *   <li>{@code tortuosity} of the pore or of the solid along an axis: the ensemble's {@code ln tau} taken as normal,
 *       so {@code tau} is lognormal with mean {@code exp(m + s^2/2)} and sd {@code mean sqrt(exp(s^2) - 1)};
 *       {@code effectiveDiffusivity = eps / tau} and {@code macMullin = tau / eps} with {@code eps} measured on the
 *       volume;</li>
 *   <li>anything else ({@code effectiveConductivity}, other phases), and volumes that are not cubes of the edge the
 *       model was trained on: NaN (the campaign then relies on its GP).</li>
 * </ul>
 * Every verified design refits the surrogate ({@link #update}): the measured values are mapped back onto the
 * property vector (a fraction of one phase, a surface area times the voxel edge, {@code ln} of a tortuosity, also
 * from {@code effectiveDiffusivity} or {@code macMullin} with {@code eps} measured on the volume) and handed to
 * {@link dev.microforge.models.surrogate.Surrogate#observe}, which updates the descriptor baseline exactly as a refit
 * with that design added (the member networks are not retrained: that lives in the {@code training} module, which
 * the optimiser does not depend on; retrain with {@code microforge train surrogate} on the campaign's designs). A
 * resumed campaign replays its verified designs, so the refit survives a kill.
 */
public final class CnnSurrogate implements Surrogate {
    private final dev.microforge.models.surrogate.Surrogate model;
    private final Set<String> names;

    /** Wraps a loaded ensemble. */
    public CnnSurrogate(dev.microforge.models.surrogate.Surrogate model) {
        this.model = model;
        this.names = Set.copyOf(model.propertyNames());
    }

    /** Loads a surrogate model directory. */
    public static CnnSurrogate load(Path dir) throws IOException {
        return new CnnSurrogate(dev.microforge.models.surrogate.Surrogate.load(dir));
    }

    @Override
    public String name() {
        return "cnn";
    }

    @Override
    public Prediction predict(Volume volume, PhaseMap phases, List<PropertySpec> specs) {
        double[] mean = new double[specs.size()];
        double[] sd = new double[specs.size()];
        Arrays.fill(mean, Double.NaN);
        Arrays.fill(sd, Double.NaN);
        if (!takes(volume)) {
            return new Prediction(mean, sd);
        }
        long[] counts = volume.labelCounts();
        dev.microforge.models.surrogate.Surrogate.Prediction p = model.predict(volume);
        double voxel = volume.voxelSize() != null && volume.voxelSize().isKnown() ? volume.voxelSize().dx() : 1;
        for (int i = 0; i < specs.size(); i++) {
            PropertySpec s = specs.get(i);
            int[] labels = s.phase() == null ? new int[0] : PropertyEvaluator.labels(s.phase(), phases);
            switch (s.property()) {
                case VOLUME_FRACTION: {
                    double m = 0;
                    double v = 0;
                    boolean ok = labels.length > 0;
                    for (int label : labels) {
                        String key = "volumeFraction." + phaseName(label);
                        ok &= label <= 2 && names.contains(key);
                        if (ok) {
                            m += p.get(key).mean();
                            v += p.get(key).sd() * p.get(key).sd();
                        }
                    }
                    if (ok) {
                        mean[i] = m;
                        sd[i] = Math.sqrt(v);
                    }
                    break;
                }
                case SURFACE_AREA: {
                    String key = surfaceKey(labels);
                    if (key != null) {
                        mean[i] = p.get(key).mean() / voxel;
                        sd[i] = p.get(key).sd() / voxel;
                    }
                    break;
                }
                case TORTUOSITY:
                case EFFECTIVE_DIFFUSIVITY:
                case MAC_MULLIN: {
                    String key = tortuosityKey(labels, s);
                    if (key == null) {
                        break;
                    }
                    double m = p.get(key).mean();
                    double v = p.get(key).sd() * p.get(key).sd();
                    double tau = Math.exp(m + v / 2);
                    double tauSd = tau * Math.sqrt(Math.expm1(v));
                    double eps = fraction(counts, labels, volume);
                    switch (s.property()) {
                        case TORTUOSITY:
                            mean[i] = tau;
                            sd[i] = tauSd;
                            break;
                        case MAC_MULLIN:
                            mean[i] = eps > 0 ? tau / eps : Double.NaN;
                            sd[i] = eps > 0 ? tauSd / eps : Double.NaN;
                            break;
                        default:
                            // Deff/D0 = eps / tau: lognormal too, mean eps exp(-m + v/2)
                            mean[i] = eps * Math.exp(-m + v / 2);
                            sd[i] = mean[i] * Math.sqrt(Math.expm1(v));
                    }
                    break;
                }
                default:
                    break;
            }
        }
        return new Prediction(mean, sd);
    }

    /**
     * Refits the surrogate with a verified design ({@link dev.microforge.models.surrogate.Surrogate#observe}): each
     * finite physics value that maps onto one of the ensemble's properties (see the class comment); the rest, and
     * volumes the model does not take, are skipped.
     */
    @Override
    public void update(Volume volume, PhaseMap phases, List<PropertySpec> specs, double[] physics) {
        if (!takes(volume)) {
            return;
        }
        double voxel = volume.voxelSize() != null && volume.voxelSize().isKnown() ? volume.voxelSize().dx() : 1;
        long[] counts = volume.labelCounts();
        Map<String, Double> measured = new LinkedHashMap<>();
        for (int i = 0; i < specs.size(); i++) {
            PropertySpec s = specs.get(i);
            double v = physics[i];
            if (!Double.isFinite(v) || s.phase() == null) {
                continue;
            }
            int[] labels = PropertyEvaluator.labels(s.phase(), phases);
            switch (s.property()) {
                case VOLUME_FRACTION:
                    if (labels.length == 1 && labels[0] <= 2 && names.contains("volumeFraction." + phaseName(labels[0]))) {
                        measured.put("volumeFraction." + phaseName(labels[0]), v);
                    }
                    break;
                case SURFACE_AREA: {
                    String key = surfaceKey(labels);
                    if (key != null) {
                        measured.put(key, v * voxel);
                    }
                    break;
                }
                case TORTUOSITY:
                case EFFECTIVE_DIFFUSIVITY:
                case MAC_MULLIN: {
                    String key = tortuosityKey(labels, s);
                    double eps = fraction(counts, labels, volume);
                    double tau = s.property() == Property.TORTUOSITY ? v
                            : s.property() == Property.MAC_MULLIN ? v * eps : eps / v;
                    if (key != null && tau > 0 && Double.isFinite(tau)) {
                        measured.put(key, Math.log(tau));
                    }
                    break;
                }
                default:
                    break;
            }
        }
        model.observe(volume, measured);
    }

    /** The fraction of the volume's voxels that carry one of {@code labels}. */
    private static double fraction(long[] counts, int[] labels, Volume volume) {
        long inPhase = 0;
        for (int label : labels) {
            inPhase += counts[label];
        }
        return (double) inPhase / volume.voxelCount();
    }

    /** Whether the model takes this volume: a cube of its edge with labels 0..2 only. */
    private boolean takes(Volume volume) {
        int n = model.inputSize();
        long[] counts = volume.labelCounts();
        for (int label = 3; label < 256; label++) {
            if (counts[label] != 0) {
                return false;
            }
        }
        return volume.nx() == n && volume.ny() == n && volume.nz() == n;
    }

    /** The ensemble's surface-area property for these labels, or null. */
    private String surfaceKey(int[] labels) {
        String key = Arrays.equals(labels, new int[] {0}) || Arrays.equals(labels, new int[] {1, 2})
                ? "surfaceArea.pore" : Arrays.equals(labels, new int[] {1}) ? "surfaceArea.active" : null;
        return key != null && names.contains(key) ? key : null;
    }

    /** The ensemble's log-tortuosity property for these labels along the spec's axis, or null. */
    private String tortuosityKey(int[] labels, PropertySpec s) {
        String set = Arrays.equals(labels, new int[] {0}) ? "pore"
                : Arrays.equals(labels, new int[] {1, 2}) ? "solid" : null;
        String key = set == null || s.axis() == null ? null : "logTortuosity." + set + "." + s.axis().label();
        return key != null && names.contains(key) ? key : null;
    }

    private static String phaseName(int label) {
        return label == 0 ? "pore" : label == 1 ? "active" : label == 2 ? "cbd" : "label" + label;
    }

    @Override
    public String toString() {
        return String.format(Locale.ROOT, "CnnSurrogate(%d members, %d^3, %s)", model.memberCount(),
                model.inputSize(), model.propertyNames());
    }
}
