package dev.microforge.optimizer.objective;

import dev.microforge.datasets.PhaseMap;
import dev.microforge.datasets.Volume;
import dev.microforge.evaluator.geometry.SurfaceArea;
import dev.microforge.evaluator.transport.EffectiveConductivity;
import dev.microforge.evaluator.transport.Tortuosity;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Measures a list of {@link PropertySpec}s on one volume with the physics evaluator — the expensive, trusted rung of
 * the evaluation ladder. Transport solves are shared: tortuosity, effective diffusivity and MacMullin number of the
 * same phase and axis come from one {@link Tortuosity} solve.
 */
public final class PropertyEvaluator {
    private PropertyEvaluator() {
    }

    /**
     * Settings.
     *
     * @param transport options of every transport solve (tolerance, threads)
     */
    public record Options(EffectiveConductivity.Options transport) {
        public Options {
            if (transport == null) {
                throw new IllegalArgumentException("transport options are required");
            }
        }

        /** The evaluator's default transport options (flux tolerance 1e-3, all cores). */
        public static Options defaults() {
            return new Options(EffectiveConductivity.Options.defaults());
        }
    }

    /**
     * Values of the specs, in order.
     *
     * @param values one per spec ({@code +Infinity} tortuosity for a phase that does not percolate)
     * @param seconds wall time of all the measurements
     */
    public record Result(double[] values, double seconds) {
    }

    /**
     * The label values of phase text such as {@code pore}, {@code active+cbd} or {@code 0,2}.
     *
     * @throws IllegalArgumentException for an unknown phase name
     */
    public static int[] labels(String phase, PhaseMap phases) {
        String[] parts = phase.split("[,+]");
        int[] labels = new int[parts.length];
        for (int i = 0; i < parts.length; i++) {
            labels[i] = phases.resolve(parts[i]);
        }
        return Arrays.stream(labels).distinct().sorted().toArray();
    }

    /**
     * Measures {@code specs} on {@code volume}.
     *
     * @param phases names of the volume's labels
     * @throws IllegalArgumentException for a phase the phase map does not know
     */
    public static Result evaluate(Volume volume, PhaseMap phases, List<PropertySpec> specs, Options options) {
        long t0 = System.nanoTime();
        double[] values = new double[specs.size()];
        Map<String, Tortuosity.Result> solves = new HashMap<>();
        long[] counts = volume.labelCounts();
        for (int i = 0; i < specs.size(); i++) {
            PropertySpec s = specs.get(i);
            switch (s.property()) {
                case VOLUME_FRACTION: {
                    long n = 0;
                    for (int label : labels(s.phase(), phases)) {
                        n += counts[label];
                    }
                    values[i] = (double) n / volume.voxelCount();
                    break;
                }
                case SURFACE_AREA:
                    values[i] = SurfaceArea.of(volume, labels(s.phase(), phases), SurfaceArea.Options.defaults())
                            .marchingCubesSpecificArea();
                    break;
                case TORTUOSITY:
                case EFFECTIVE_DIFFUSIVITY:
                case MAC_MULLIN: {
                    int[] labels = labels(s.phase(), phases);
                    Tortuosity.Result r = solves.computeIfAbsent(Arrays.toString(labels) + s.axis(),
                            key -> Tortuosity.solve(volume, labels, s.axis(), options.transport(), null));
                    values[i] = s.property() == Property.TORTUOSITY ? r.tau()
                            : s.property() == Property.MAC_MULLIN ? r.macMullin() : r.effectiveDiffusivity();
                    break;
                }
                case EFFECTIVE_CONDUCTIVITY: {
                    double[] k = new double[256];
                    for (Map.Entry<String, Double> e : s.conductivity().entrySet()) {
                        for (int label : labels(e.getKey(), phases)) {
                            k[label] = e.getValue();
                        }
                    }
                    values[i] = EffectiveConductivity.solve(volume, k, s.axis(), options.transport(), null)
                            .effectiveConductivity();
                    break;
                }
                default:
                    throw new IllegalStateException("unhandled property " + s.property());
            }
        }
        return new Result(values, (System.nanoTime() - t0) / 1e9);
    }
}
