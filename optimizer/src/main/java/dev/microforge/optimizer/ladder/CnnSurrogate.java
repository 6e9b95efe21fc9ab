package dev.microforge.optimizer.ladder;

import dev.microforge.datasets.PhaseMap;
import dev.microforge.datasets.Volume;
import dev.microforge.datasets.VoxelSize;
import dev.microforge.optimizer.objective.Property;
import dev.microforge.optimizer.objective.PropertyEvaluator;
import dev.microforge.optimizer.objective.PropertySpec;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The trained CNN property surrogate ({@code microforge train surrogate}) as a rung of the evaluation ladder: the
 * ensemble's mean and standard deviation of each property, mapped to the campaign's property specs.
 *
 * <p>The volume's labels are mapped to the model's (0 pore, 1 active, 2 CBD) through the campaign's phase names. The
 * model predicts phase fractions, the surface areas of the pore and of the active material, log tortuosity of the
 * pore and of the solid (active + CBD) per axis, and log conductivity along z with active 1 and CBD 10; a spec maps
 * to these as follows, anything else (other phases, other conductivities, a volume of another size) is NaN, which
 * leaves that property to the GP:
 * <ul>
 *   <li>{@code volumeFraction}: the sum of the predicted fractions of the phases named (sd: root sum of squares);</li>
 *   <li>{@code surfaceArea} of {@code pore}, {@code active+cbd} (the same interface) or {@code active}: 1/voxel
 *   from the model, divided by the voxel edge when the volume's (isotropic) voxel size is known, as the physics
 *   reports 1/um then;</li>
 *   <li>{@code tortuosity}, {@code effectiveDiffusivity}, {@code macMullin} of {@code pore} or {@code active+cbd}:
 *   {@code tau = exp(m)} from the log-tortuosity mean {@code m} (the median of a log-normal), {@code eps / tau} and
 *   {@code tau / eps} with the predicted fraction; sd {@code value * s} from the log sd {@code s} (delta method);</li>
 *   <li>{@code effectiveConductivity} along z with conductivities active 1, CBD 10 (pore 0 or absent):
 *   {@code exp(m)}.</li>
 * </ul>
 * The CNN is not refitted during a campaign ({@link #update} ignores verified designs): retrain it on the campaign's
 * designs with {@code train surrogate} instead.
 */
public final class CnnSurrogate implements Surrogate {
    private static final String PORE = PhaseMap.PORE;
    private static final String ACTIVE = PhaseMap.ACTIVE;
    private static final String CBD = PhaseMap.CBD;

    private final dev.microforge.models.surrogate.Surrogate model;

    private CnnSurrogate(dev.microforge.models.surrogate.Surrogate model) {
        this.model = model;
    }

    /** Wraps a loaded model. */
    public static CnnSurrogate of(dev.microforge.models.surrogate.Surrogate model) {
        return new CnnSurrogate(model);
    }

    /**
     * Loads a surrogate model directory.
     *
     * @throws IOException when it cannot be read
     * @throws IllegalArgumentException when it is not a surrogate
     */
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
        Volume mapped = remap(volume, phases);
        int n = model.inputSize();
        if (mapped == null || volume.nx() != n || volume.ny() != n || volume.nz() != n) {
            return new Prediction(mean, sd);
        }
        dev.microforge.models.surrogate.Surrogate.Prediction p = model.predict(mapped);
        VoxelSize voxel = volume.voxelSize();
        double edge = voxel != null && voxel.isKnown() && voxel.dx() == voxel.dy() && voxel.dy() == voxel.dz()
                ? voxel.dx() : Double.NaN;
        for (int i = 0; i < specs.size(); i++) {
            double[] v = predict(specs.get(i), phases, p, voxel != null && voxel.isKnown(), edge);
            mean[i] = v[0];
            sd[i] = v[1];
        }
        return new Prediction(mean, sd);
    }

    private double[] predict(PropertySpec s, PhaseMap phases, dev.microforge.models.surrogate.Surrogate.Prediction p,
            boolean voxelKnown, double edge) {
        String set = phaseSet(s.phase(), phases);
        switch (s.property()) {
            case VOLUME_FRACTION: {
                if (set == null) {
                    return nan();
                }
                double m = 0;
                double v = 0;
                for (String phase : set.split("\\+")) {
                    dev.microforge.models.surrogate.Surrogate.Estimate e = estimate(p, "volumeFraction." + phase);
                    if (e == null) {
                        return nan();
                    }
                    m += e.mean();
                    v += e.sd() * e.sd();
                }
                return new double[] {m, Math.sqrt(v)};
            }
            case SURFACE_AREA: {
                String name = PORE.equals(set) || (ACTIVE + "+" + CBD).equals(set) ? "surfaceArea.pore"
                        : ACTIVE.equals(set) ? "surfaceArea.active" : null;
                dev.microforge.models.surrogate.Surrogate.Estimate e = name == null ? null : estimate(p, name);
                if (e == null || (voxelKnown && Double.isNaN(edge))) {
                    return nan();
                }
                double scale = voxelKnown ? 1 / edge : 1;
                return new double[] {e.mean() * scale, e.sd() * scale};
            }
            case TORTUOSITY:
            case EFFECTIVE_DIFFUSIVITY:
            case MAC_MULLIN: {
                String which = PORE.equals(set) ? "pore" : (ACTIVE + "+" + CBD).equals(set) ? "solid" : null;
                dev.microforge.models.surrogate.Surrogate.Estimate e = which == null ? null
                        : estimate(p, "logTortuosity." + which + "." + s.axis().label());
                if (e == null) {
                    return nan();
                }
                double tau = Math.exp(e.mean());
                double eps = 0;
                for (String phase : set.split("\\+")) {
                    dev.microforge.models.surrogate.Surrogate.Estimate f = estimate(p, "volumeFraction." + phase);
                    if (f == null) {
                        return nan();
                    }
                    eps += f.mean();
                }
                double value = s.property() == Property.TORTUOSITY ? tau
                        : s.property() == Property.MAC_MULLIN ? tau / eps : eps / tau;
                return new double[] {value, Math.abs(value) * e.sd()};
            }
            case EFFECTIVE_CONDUCTIVITY: {
                dev.microforge.models.surrogate.Surrogate.Estimate e = estimate(p, "logConductivity.z");
                if (e == null || s.axis() != dev.microforge.datasets.Axis.Z || !trainedConductivity(s, phases)) {
                    return nan();
                }
                double k = Math.exp(e.mean());
                return new double[] {k, k * e.sd()};
            }
            default:
                return nan();
        }
    }

    /** Whether the spec's conductivities are those the model learned: active 1, CBD 10, pore 0. */
    private static boolean trainedConductivity(PropertySpec s, PhaseMap phases) {
        double[] k = new double[256];
        for (Map.Entry<String, Double> e : s.conductivity().entrySet()) {
            for (int label : PropertyEvaluator.labels(e.getKey(), phases)) {
                k[label] = e.getValue();
            }
        }
        int pore = phases.resolve(PORE);
        int active = phases.resolve(ACTIVE);
        int cbd = resolveOrMinus(phases, CBD);
        return k[pore] == 0 && k[active] == 1.0 && (cbd < 0 || k[cbd] == 10.0);
    }

    private static dev.microforge.models.surrogate.Surrogate.Estimate estimate(
            dev.microforge.models.surrogate.Surrogate.Prediction p, String name) {
        return p.properties().get(name);
    }

    private static double[] nan() {
        return new double[] {Double.NaN, Double.NaN};
    }

    /**
     * The phase text as a canonical set of the model's phase names ({@code pore}, {@code active}, {@code cbd},
     * {@code active+cbd}), or null when it names a label outside them.
     */
    private static String phaseSet(String phase, PhaseMap phases) {
        if (phase == null) {
            return null;
        }
        int pore = resolveOrMinus(phases, PORE);
        int active = resolveOrMinus(phases, ACTIVE);
        int cbd = resolveOrMinus(phases, CBD);
        boolean hasPore = false;
        boolean hasActive = false;
        boolean hasCbd = false;
        for (int label : PropertyEvaluator.labels(phase, phases)) {
            if (label == pore) {
                hasPore = true;
            } else if (label == active) {
                hasActive = true;
            } else if (label == cbd && cbd >= 0) {
                hasCbd = true;
            } else {
                return null;
            }
        }
        if (hasPore && !hasActive && !hasCbd) {
            return PORE;
        }
        if (hasPore) {
            return null;
        }
        if (hasActive && hasCbd) {
            return ACTIVE + "+" + CBD;
        }
        return hasActive ? ACTIVE : hasCbd ? CBD : null;
    }

    private static int resolveOrMinus(PhaseMap phases, String name) {
        try {
            return phases.resolve(name);
        } catch (IllegalArgumentException e) {
            return -1;
        }
    }

    /** The volume with labels pore 0, active 1, CBD 2; null when it has a label outside those phases. */
    private static Volume remap(Volume volume, PhaseMap phases) {
        int pore = resolveOrMinus(phases, PORE);
        int active = resolveOrMinus(phases, ACTIVE);
        int cbd = resolveOrMinus(phases, CBD);
        if (pore < 0 || active < 0) {
            return null;
        }
        int[] lookup = new int[256];
        Arrays.fill(lookup, -1);
        lookup[pore] = 0;
        lookup[active] = 1;
        if (cbd >= 0) {
            lookup[cbd] = 2;
        }
        long[] counts = volume.labelCounts();
        for (int label = 0; label < 256; label++) {
            if (counts[label] > 0 && lookup[label] < 0) {
                return null;
            }
        }
        for (int label = 0; label < 256; label++) {
            if (lookup[label] < 0) {
                lookup[label] = 0;
            }
        }
        boolean identity = pore == 0 && active == 1 && (cbd < 0 || cbd == 2);
        return identity ? volume : volume.remap(lookup);
    }

    @Override
    public String toString() {
        return String.format(Locale.ROOT, "CnnSurrogate(%d members, %d^3, %s)", model.memberCount(),
                model.inputSize(), model.propertyNames());
    }
}
