package dev.microforge.evaluator.properties;

import dev.microforge.datasets.Axis;
import dev.microforge.datasets.Volume;
import dev.microforge.datasets.VoxelSize;
import dev.microforge.evaluator.geometry.Inputs;
import dev.microforge.evaluator.geometry.SurfaceArea;
import dev.microforge.evaluator.geometry.VolumeFractions;
import dev.microforge.evaluator.transport.EffectiveConductivity;
import dev.microforge.evaluator.transport.Tortuosity;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The property vector of an electrode design that the CNN surrogate learns and the optimiser scores: phase fractions,
 * specific surface areas, log tortuosity of the pore and of the solid along each axis, and the log effective
 * electronic conductivity through the thickness, all computed by the physics evaluator.
 *
 * <p>Labels: 0 pore (electrolyte), 1 active material, 2 carbon-binder domain (CBD); a two-phase volume (0 pore, 1
 * solid) is an electrode without CBD. "Solid" is labels 1 and 2 together. Other labels are refused.
 *
 * <p>The vector, in the order of {@link #NAMES}:
 * <table>
 *   <caption>properties</caption>
 *   <tr><th>name</th><th>what</th><th>unit</th><th>computed by</th></tr>
 *   <tr><td>volumeFraction.pore, .active, .cbd</td><td>fraction of voxels with label 0, 1, 2</td><td>1</td>
 *       <td>{@link VolumeFractions}</td></tr>
 *   <tr><td>surfaceArea.pore</td><td>pore/solid interface area over total volume</td><td>1/voxel</td>
 *       <td>{@link SurfaceArea}, smoothed marching cubes</td></tr>
 *   <tr><td>surfaceArea.active</td><td>surface of the active material (towards pore and CBD) over total
 *       volume</td><td>1/voxel</td><td>the same</td></tr>
 *   <tr><td>logTortuosity.pore.x, .y, .z</td><td>ln tau of the pore phase along each axis</td><td>1</td>
 *       <td>{@link Tortuosity} (TauFactor's definition)</td></tr>
 *   <tr><td>logTortuosity.solid.x, .y, .z</td><td>ln tau of the solid (labels 1 and 2)</td><td>1</td>
 *       <td>the same</td></tr>
 *   <tr><td>logConductivity.z</td><td>ln of the effective conductivity along z (the thickness) with the
 *       conductivities of {@link Options} (relative units: active 1, CBD 10 by default; pore 0)</td><td>1</td>
 *       <td>{@link EffectiveConductivity}</td></tr>
 * </table>
 *
 * <p>Lengths are in voxels whatever the file's voxel size, so that a network that sees voxels only can learn them
 * (divide a surface area by the voxel edge in micrometres to get 1/um). Tortuosity and conductivity are
 * dimensionless. A phase that does not join two opposite faces has tau = +Infinity and conductivity 0: its log is
 * reported as {@link Double#NaN}, "undefined" (the surrogate's training masks it), never as a made-up number.
 *
 * <p>Cost: six tortuosity solves and one conductivity solve (about 0.3 s each at 64³ on 2 cores) plus two surface
 * passes; memory that of one transport solve ({@link EffectiveConductivity#BYTES_PER_VOXEL} bytes per voxel).
 */
public final class ElectrodeProperties {
    /** Property names, in vector order. */
    public static final List<String> NAMES = List.of(
            "volumeFraction.pore", "volumeFraction.active", "volumeFraction.cbd",
            "surfaceArea.pore", "surfaceArea.active",
            "logTortuosity.pore.x", "logTortuosity.pore.y", "logTortuosity.pore.z",
            "logTortuosity.solid.x", "logTortuosity.solid.y", "logTortuosity.solid.z",
            "logConductivity.z");

    /** Label values of the phases. */
    public static final int PORE = 0;
    public static final int ACTIVE = 1;
    public static final int CBD = 2;

    private ElectrodeProperties() {
    }

    /**
     * Options.
     *
     * @param tolerance flux tolerance of the transport solves ({@link EffectiveConductivity.Options#tolerance})
     * @param activeConductivity conductivity of the active material, relative, {@code > 0}
     * @param cbdConductivity conductivity of the CBD, relative, {@code > 0}
     * @param threads worker threads of the transport solves, at least 1
     */
    public record Options(double tolerance, double activeConductivity, double cbdConductivity, int threads) {
        public Options {
            if (!(tolerance > 0 && tolerance < 1)) {
                throw new IllegalArgumentException("tolerance must be in (0, 1), e.g. 1e-3; got " + tolerance);
            }
            if (!(activeConductivity > 0 && Double.isFinite(activeConductivity))
                    || !(cbdConductivity > 0 && Double.isFinite(cbdConductivity))) {
                throw new IllegalArgumentException(String.format(Locale.ROOT,
                        "conductivities must be positive numbers, got active %s and CBD %s", activeConductivity,
                        cbdConductivity));
            }
            if (threads < 1) {
                throw new IllegalArgumentException("threads must be at least 1, got " + threads);
            }
        }

        /** Tolerance 1e-3, active 1, CBD 10 (a carbon-rich binder conducts better than the oxide), all cores. */
        public static Options defaults() {
            return new Options(EffectiveConductivity.Options.DEFAULT_TOLERANCE, 1.0, 10.0,
                    Runtime.getRuntime().availableProcessors());
        }

        public Options withThreads(int value) {
            return new Options(tolerance, activeConductivity, cbdConductivity, value);
        }

        public Options withTolerance(double value) {
            return new Options(value, activeConductivity, cbdConductivity, threads);
        }
    }

    /**
     * The property vector.
     *
     * @param values one value per entry of {@link #NAMES}, in that order; NaN where undefined (not percolating)
     * @param seconds wall time of the computation
     */
    public record Result(double[] values, double seconds) {
        public Result {
            if (values == null || values.length != NAMES.size()) {
                throw new IllegalArgumentException("expected " + NAMES.size() + " values, got "
                        + (values == null ? "null" : values.length));
            }
            values = values.clone();
        }

        @Override
        public double[] values() {
            return values.clone();
        }

        /** The value called {@code name}. */
        public double get(String name) {
            int i = NAMES.indexOf(name);
            if (i < 0) {
                throw new IllegalArgumentException("unknown property '" + name + "'; one of " + NAMES);
            }
            return values[i];
        }

        /** Name to value, in vector order (NaN kept). */
        public Map<String, Double> asMap() {
            Map<String, Double> m = new LinkedHashMap<>();
            for (int i = 0; i < values.length; i++) {
                m.put(NAMES.get(i), values[i]);
            }
            return m;
        }
    }

    /**
     * Computes the property vector of {@code volume}.
     *
     * @throws IllegalArgumentException for a null volume or options, or a label other than 0, 1, 2
     */
    public static Result compute(Volume volume, Options options) {
        long start = System.nanoTime();
        Inputs.volume(volume);
        if (options == null) {
            throw new IllegalArgumentException("options are required; use ElectrodeProperties.Options.defaults()");
        }
        checkLabels(volume);
        Volume v = volume.withVoxelSize(VoxelSize.UNKNOWN);
        List<Double> out = new ArrayList<>(NAMES.size());
        VolumeFractions.Result fractions = VolumeFractions.of(v);
        out.add(fractions.fraction(PORE));
        out.add(fractions.fraction(ACTIVE));
        out.add(fractions.fraction(CBD));
        SurfaceArea.Options surface = SurfaceArea.Options.defaults();
        out.add(SurfaceArea.of(v, PORE, surface).marchingCubesSpecificArea());
        out.add(SurfaceArea.of(v, ACTIVE, surface).marchingCubesSpecificArea());
        EffectiveConductivity.Options transport = EffectiveConductivity.Options.defaults()
                .withTolerance(options.tolerance()).withThreads(options.threads());
        for (int[] phases : new int[][] {{PORE}, {ACTIVE, CBD}}) {
            for (Axis axis : Axis.values()) {
                out.add(log(Tortuosity.solve(v, phases, axis, transport, null).tau()));
            }
        }
        double[] k = new double[256];
        k[ACTIVE] = options.activeConductivity();
        k[CBD] = options.cbdConductivity();
        out.add(log(EffectiveConductivity.solve(v, k, Axis.Z, transport, null).effectiveConductivity()));
        double[] values = out.stream().mapToDouble(Double::doubleValue).toArray();
        return new Result(values, (System.nanoTime() - start) / 1e9);
    }

    /** ln x for a finite positive x, NaN otherwise (infinite tortuosity, zero conductivity). */
    private static double log(double x) {
        return x > 0 && Double.isFinite(x) ? Math.log(x) : Double.NaN;
    }

    private static void checkLabels(Volume volume) {
        long[] counts = volume.labelCounts();
        for (int label = CBD + 1; label < counts.length; label++) {
            if (counts[label] > 0) {
                throw new IllegalArgumentException(String.format(Locale.ROOT,
                        "electrode properties need labels 0 pore, 1 active, 2 CBD, but the volume has %d voxels "
                                + "labelled %d; remap the labels first (microforge convert --map)", counts[label],
                        label));
            }
        }
    }
}
