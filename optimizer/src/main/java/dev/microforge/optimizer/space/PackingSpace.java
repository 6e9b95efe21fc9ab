package dev.microforge.optimizer.space;

import dev.microforge.datasets.Axis;
import dev.microforge.datasets.PhaseMap;
import dev.microforge.datasets.Volume;
import dev.microforge.datasets.VoxelSize;
import dev.microforge.generator.binder.CarbonBinderGrowth;
import dev.microforge.generator.packing.ParticlePacking;
import dev.microforge.generator.packing.SizeDistribution;
import dev.microforge.generator.presets.ElectrodePreset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * A parametric design space over the classical particle-packing generator ({@link ParticlePacking}: spheres or
 * ellipsoids packed by random sequential addition and relaxation) followed, when {@code cbdFraction > 0}, by
 * carbon-binder growth ({@link CarbonBinderGrowth}, morphology {@code omega}). Labels: 0 pore, 1 active, 2 CBD.
 *
 * <p>Knobs (name in the campaign file: meaning, unit, default). Those marked * may be optimised (given bounds under
 * {@code parameters}); all may be fixed (under {@code fixed}).
 * <ul>
 *   <li>{@code size}: edge in voxels, or {@code [nx, ny, nz]}; 64</li>
 *   <li>{@code voxelSize}*: voxel edge, micrometres; 1 (so lengths are in voxels)</li>
 *   <li>{@code solidFraction}*: target fraction of active (particle) voxels; 0.5</li>
 *   <li>{@code meanRadius}*: mean particle radius (equal-volume sphere), micrometres; 5</li>
 *   <li>{@code radiusSd}*: standard deviation of the radius (lognormal), micrometres; 0 (all equal)</li>
 *   <li>{@code aspectRatio}*: semi-axes {@code a : a : 1} scaled by this {@code a} (1 spheres, 3 flakes); 1</li>
 *   <li>{@code orientation}: {@code random}, {@code aligned} or {@code flakes} (short axis along z); random</li>
 *   <li>{@code fractionGradient}*: slope of the solid fraction through z, in (-2, 2); 0</li>
 *   <li>{@code sizeGradient}*: slope of the particle size through z, in (-2, 2); 0</li>
 *   <li>{@code cbdFraction}*: carbon-binder fraction grown into the pore; 0 (none)</li>
 *   <li>{@code omega}*: CBD morphology, 0 film over the particles to 1 fingers; 0.5</li>
 *   <li>{@code periodic}: wrap particles across the faces; false</li>
 *   <li>{@code relaxationSweeps}: most relaxation sweeps of the packing; 3000</li>
 *   <li>{@code seed}: random seed of packing and growth; 1</li>
 *   <li>{@code preset}: {@code nmc}, {@code graphite}, {@code lfp} or {@code graded}: the defaults above come from
 *       that dataset preset ({@link ElectrodePreset}: voxel size, sizes, shape, gradient, active and CBD fraction,
 *       omega). The generator name may also be the preset's name.</li>
 * </ul>
 * The seed is fixed across the campaign, so two designs differ only by their parameters (common random numbers).
 */
public final class PackingSpace implements DesignSpace {
    /** Knobs that may be optimised. */
    public static final Set<String> CONTINUOUS = Collections.unmodifiableSet(new TreeSet<>(List.of("voxelSize",
            "solidFraction", "meanRadius", "radiusSd", "aspectRatio", "fractionGradient", "sizeGradient",
            "cbdFraction", "omega")));
    /** Knobs that may only be fixed. */
    public static final Set<String> FIXED_ONLY = Collections.unmodifiableSet(new TreeSet<>(List.of("size",
            "orientation", "periodic", "relaxationSweeps", "seed", "preset")));
    private static final PhaseMap PHASES = PhaseMap.of(Map.of(0, PhaseMap.PORE, 1, PhaseMap.ACTIVE, 2,
            PhaseMap.CBD));

    private final List<Parameter> parameters;
    private final Map<String, Double> fixedNumbers;
    private final int[] size;
    private final ParticlePacking.Orientation orientation;
    private final boolean periodic;
    private final int relaxationSweeps;
    private final long seed;
    private final String preset;

    /**
     * A packing space.
     *
     * @param generator {@code packing} or a preset name ({@code nmc}, {@code graphite}, {@code lfp}, {@code graded})
     * @param parameters optimised knobs and their bounds {@code [lower, upper]}, in order
     * @param fixed fixed knobs: numbers, or a string ({@code orientation}, {@code preset}), a boolean
     *     ({@code periodic}) or a list of three integers ({@code size})
     * @throws IllegalArgumentException naming an unknown knob, a fixed-only knob given bounds, a knob both fixed
     *     and optimised, or a bad value
     */
    public PackingSpace(String generator, Map<String, double[]> parameters, Map<String, Object> fixed) {
        Map<String, Object> f = new LinkedHashMap<>(fixed == null ? Map.of() : fixed);
        String gen = generator == null ? "" : generator.trim().toLowerCase(Locale.ROOT);
        if (!gen.equals("packing")) {
            if (f.containsKey("preset")) {
                throw new IllegalArgumentException("generator '" + generator + "' names a preset and fixed.preset "
                        + "names another; use \"generator\": \"packing\" with fixed.preset");
            }
            f.put("preset", gen);
        }
        if (parameters == null || parameters.isEmpty()) {
            throw new IllegalArgumentException("designSpace.parameters is empty; give at least one of "
                    + CONTINUOUS + " with bounds [lower, upper]");
        }
        for (String k : f.keySet()) {
            if (!CONTINUOUS.contains(k) && !FIXED_ONLY.contains(k)) {
                throw new IllegalArgumentException("designSpace.fixed: unknown packing knob '" + k + "'; known: "
                        + union());
            }
        }
        List<Parameter> list = new ArrayList<>();
        for (Map.Entry<String, double[]> e : parameters.entrySet()) {
            String k = e.getKey();
            if (FIXED_ONLY.contains(k)) {
                throw new IllegalArgumentException("designSpace.parameters: '" + k + "' cannot be optimised; give it"
                        + " under \"fixed\" (optimisable: " + CONTINUOUS + ")");
            }
            if (!CONTINUOUS.contains(k)) {
                throw new IllegalArgumentException("designSpace.parameters: unknown packing knob '" + k
                        + "'; optimisable: " + CONTINUOUS);
            }
            if (f.containsKey(k)) {
                throw new IllegalArgumentException("designSpace: '" + k + "' is both a parameter and fixed");
            }
            double[] b = e.getValue();
            if (b == null || b.length != 2) {
                throw new IllegalArgumentException("designSpace.parameters." + k + " must be [lower, upper]");
            }
            list.add(new Parameter(k, b[0], b[1]));
        }
        this.parameters = List.copyOf(list);

        this.preset = f.containsKey("preset") ? text(f, "preset") : null;
        Map<String, Double> numbers = new LinkedHashMap<>(defaults(preset));
        for (String k : CONTINUOUS) {
            if (f.containsKey(k)) {
                numbers.put(k, number(f, k));
            }
        }
        this.fixedNumbers = numbers;
        this.size = f.containsKey("size") ? size(f.get("size")) : new int[] {64, 64, 64};
        String o = f.containsKey("orientation") ? text(f, "orientation")
                : preset != null && preset.equals("graphite") ? "flakes" : "random";
        try {
            this.orientation = ParticlePacking.Orientation.valueOf(o.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("designSpace.fixed.orientation must be random, aligned or flakes, "
                    + "got '" + o + "'");
        }
        if (f.containsKey("periodic") && !(f.get("periodic") instanceof Boolean)) {
            throw new IllegalArgumentException("designSpace.fixed.periodic must be true or false, got "
                    + f.get("periodic"));
        }
        this.periodic = f.containsKey("periodic") && (Boolean) f.get("periodic");
        this.relaxationSweeps = f.containsKey("relaxationSweeps") ? integer(f, "relaxationSweeps") : 3000;
        this.seed = f.containsKey("seed") ? (long) number(f, "seed") : 1L;
        // fail now, not at the first evaluation: build the options at every corner's midpoint
        double[] mid = new double[this.parameters.size()];
        for (int i = 0; i < mid.length; i++) {
            mid[i] = 0.5 * (this.parameters.get(i).lower() + this.parameters.get(i).upper());
        }
        for (int corner = 0; corner < (1 << Math.min(mid.length, 10)); corner++) {
            double[] x = mid.clone();
            for (int i = 0; i < Math.min(mid.length, 10); i++) {
                x[i] = (corner >> i & 1) == 0 ? this.parameters.get(i).lower() : this.parameters.get(i).upper();
            }
            options(x);
        }
        options(mid);
    }

    private static String union() {
        Set<String> all = new TreeSet<>(CONTINUOUS);
        all.addAll(FIXED_ONLY);
        return all.toString();
    }

    private static Map<String, Double> defaults(String preset) {
        Map<String, Double> d = new LinkedHashMap<>();
        d.put("voxelSize", 1.0);
        d.put("solidFraction", 0.5);
        d.put("meanRadius", 5.0);
        d.put("radiusSd", 0.0);
        d.put("aspectRatio", 1.0);
        d.put("fractionGradient", 0.0);
        d.put("sizeGradient", 0.0);
        d.put("cbdFraction", 0.0);
        d.put("omega", 0.5);
        if (preset != null) {
            ElectrodePreset p;
            try {
                p = ElectrodePreset.parse(preset);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("designSpace: unknown generator or preset '" + preset
                        + "'; one of packing, nmc, graphite, lfp, graded");
            }
            if (p == ElectrodePreset.SEPARATOR) {
                throw new IllegalArgumentException("designSpace: preset 'separator' is a Gaussian random field, not "
                        + "a particle packing; one of packing, nmc, graphite, lfp, graded");
            }
            ParticlePacking.Options o = p.packingOptions(64, 1);
            d.put("voxelSize", o.voxelSizeUm());
            d.put("solidFraction", o.targetSolidFraction());
            if (o.sizes() instanceof SizeDistribution.Lognormal ln) {
                d.put("meanRadius", ln.meanDiameterUm() / 2);
                d.put("radiusSd", ln.sdUm() / 2);
            } else if (o.sizes() instanceof SizeDistribution.Fixed fx) {
                d.put("meanRadius", fx.diameterUm() / 2);
            }
            d.put("aspectRatio", o.shape().a() / o.shape().c());
            if (o.gradient().kind() == ParticlePacking.Gradient.Kind.FRACTION) {
                d.put("fractionGradient", o.gradient().slope());
            } else if (o.gradient().kind() == ParticlePacking.Gradient.Kind.SIZE) {
                d.put("sizeGradient", o.gradient().slope());
            }
            d.put("cbdFraction", p.cbdFraction());
            d.put("omega", p.omega());
        }
        return d;
    }

    private static String text(Map<String, Object> f, String key) {
        Object v = f.get(key);
        if (!(v instanceof String)) {
            throw new IllegalArgumentException("designSpace.fixed." + key + " must be text, got " + v);
        }
        return ((String) v).trim().toLowerCase(Locale.ROOT);
    }

    private static double number(Map<String, Object> f, String key) {
        Object v = f.get(key);
        if (!(v instanceof Number) || !Double.isFinite(((Number) v).doubleValue())) {
            throw new IllegalArgumentException("designSpace.fixed." + key + " must be a number, got " + v);
        }
        return ((Number) v).doubleValue();
    }

    private static int integer(Map<String, Object> f, String key) {
        double v = number(f, key);
        if (v != Math.rint(v) || v < 0 || v > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("designSpace.fixed." + key + " must be a whole number >= 0, got "
                    + f.get(key));
        }
        return (int) v;
    }

    private static int[] size(Object v) {
        List<?> list = v instanceof List<?> l ? l : List.of(v);
        if (list.size() != 1 && list.size() != 3) {
            throw new IllegalArgumentException("designSpace.fixed.size must be N or [nx, ny, nz], got " + v);
        }
        int[] n = new int[3];
        for (int i = 0; i < 3; i++) {
            Object e = list.get(list.size() == 1 ? 0 : i);
            if (!(e instanceof Number) || ((Number) e).doubleValue() != Math.rint(((Number) e).doubleValue())
                    || ((Number) e).intValue() < 8 || ((Number) e).intValue() > 1024) {
                throw new IllegalArgumentException("designSpace.fixed.size: edges must be whole numbers in 8..1024,"
                        + " got " + v);
            }
            n[i] = ((Number) e).intValue();
        }
        return n;
    }

    /** Value of knob {@code name} at {@code x}: the parameter's coordinate, or the fixed/default value. */
    private double knob(String name, double[] x) {
        for (int i = 0; i < parameters.size(); i++) {
            if (parameters.get(i).name().equals(name)) {
                return x[i];
            }
        }
        return fixedNumbers.get(name);
    }

    /**
     * The packing options at {@code x}.
     *
     * @throws IllegalArgumentException when the knobs give options the packing refuses (the message names them)
     */
    public ParticlePacking.Options options(double[] x) {
        double voxel = knob("voxelSize", x);
        double radius = knob("meanRadius", x);
        double sd = knob("radiusSd", x);
        double aspect = knob("aspectRatio", x);
        double fg = knob("fractionGradient", x);
        double sg = knob("sizeGradient", x);
        if (fg != 0 && sg != 0) {
            throw new IllegalArgumentException("designSpace: fractionGradient and sizeGradient cannot both be "
                    + "non-zero");
        }
        try {
            SizeDistribution sizes = sd > 0 ? new SizeDistribution.Lognormal(2 * radius, 2 * sd)
                    : new SizeDistribution.Fixed(2 * radius);
            ParticlePacking.Gradient gradient = fg != 0 ? ParticlePacking.Gradient.fraction(fg)
                    : sg != 0 ? ParticlePacking.Gradient.size(sg) : ParticlePacking.Gradient.NONE;
            ParticlePacking.Shape shape = aspect == 1 ? ParticlePacking.Shape.SPHERE
                    : new ParticlePacking.Shape(aspect, aspect, 1);
            return new ParticlePacking.Options(size[0], size[1], size[2], voxel, knob("solidFraction", x), sizes,
                    shape, orientation, Axis.Z, periodic, 0.01, relaxationSweeps, Axis.Z, gradient, seed, 1, 0);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("designSpace at " + describe(x) + ": " + e.getMessage(), e);
        }
    }

    /** {@code name=value, ...} of the parameters at {@code x}. */
    public String describe(double[] x) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < parameters.size(); i++) {
            sb.append(i == 0 ? "" : ", ").append(parameters.get(i).name()).append('=')
                    .append(String.format(Locale.ROOT, "%.4g", x[i]));
        }
        return sb.toString();
    }

    @Override
    public List<Parameter> parameters() {
        return parameters;
    }

    @Override
    public Volume build(double[] x) {
        ParticlePacking.Options o = options(x);
        VoxelSize voxel = VoxelSize.isotropic(o.voxelSizeUm());
        Volume v = ParticlePacking.pack(o).volume().withVoxelSize(voxel);
        double cbd = knob("cbdFraction", x);
        if (cbd > 0) {
            v = CarbonBinderGrowth.grow(v, CarbonBinderGrowth.Options.defaults().withTargetFraction(cbd)
                    .withOmega(Math.min(1, Math.max(0, knob("omega", x)))).withSeed(seed)).volume()
                    .withVoxelSize(voxel);
        }
        return v;
    }

    @Override
    public PhaseMap phases() {
        return PHASES;
    }

    @Override
    public String describe() {
        return String.format(Locale.ROOT, "packing%s %dx%dx%d, seed %d, parameters %s",
                preset == null ? "" : " (preset " + preset + ")", size[0], size[1], size[2], seed,
                parameters.stream().map(p -> p.name() + " [" + p.lower() + ", " + p.upper() + "]").toList());
    }
}
