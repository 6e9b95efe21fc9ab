package dev.microforge.evaluator.compare;

import dev.microforge.datasets.Axis;
import dev.microforge.datasets.Volume;
import dev.microforge.datasets.VoxelSize;
import dev.microforge.evaluator.correlation.TwoPointCorrelation;
import dev.microforge.evaluator.geometry.Inputs;
import dev.microforge.evaluator.geometry.SurfaceArea;
import dev.microforge.evaluator.morphology.ChordLength;
import dev.microforge.evaluator.transport.EffectiveConductivity;
import dev.microforge.evaluator.transport.Tortuosity;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.TreeSet;

/**
 * Statistical equivalence of two labelled volumes, phase by phase: the test a generated microstructure has to pass
 * against the real one (Gayon-Lombardo et al., npj Comput. Mater. 6 (2020) 82, and Kench and Cooper, Nat. Mach.
 * Intell. 3 (2021) 299, compare generated and real electrodes by volume fraction, two-point correlation, surface
 * area and tortuosity; we add the chord-length distribution).
 *
 * <p>Per phase {@code p} (label value), with {@code ref} the reference and {@code cand} the candidate:
 * <ul>
 *   <li>{@code volumeFractionError = phi_cand - phi_ref} (signed; passes when {@code |.| <= vfTolerance});</li>
 *   <li>{@code s2Rmse} per axis: {@code sqrt(mean_r (S2_cand(r) - S2_ref(r))^2)} over {@code r = 0..R} voxels
 *   along x, y, z, both S2 non-periodic ({@link TwoPointCorrelation}, exact pair-count normalisation, so every lag
 *   is an unbiased average whatever the volume size) and {@code R} the smaller of the two volumes' lag limits
 *   (passes when every axis is {@code <= s2Tolerance});</li>
 *   <li>{@code surfaceAreaRatio}: specific surface area (smoothed marching cubes, {@link SurfaceArea}) of the
 *   candidate over the reference's, and {@code faceCountSurfaceRatio} the same by voxel-face count (biased by
 *   about 1.5 for isotropic surfaces in both volumes, exact for axis-aligned ones);</li>
 *   <li>{@code tortuosityRatio} per axis: {@code tau_cand / tau_ref} of the phase ({@link Tortuosity}, sealed
 *   sides); 1 when neither percolates, {@code +Infinity} when only the reference does, 0 when only the candidate
 *   does (passes when {@code |ratio - 1| <= tauTolerance} on every axis);</li>
 *   <li>{@code chordLengthDistance} per axis: the Kolmogorov-Smirnov distance {@code max_l |F_cand(l) -
 *   F_ref(l)|} between the number-weighted chord-length distributions ({@link ChordLength}, chords touching the
 *   border excluded), 0 for identical distributions and 1 for disjoint ones (0 when neither volume has a chord, 1
 *   when only one has).</li>
 * </ul>
 * Every statistic is intensive, so the two volumes may have different sizes. Everything is measured in voxels: the
 * voxel sizes are ignored (a generated volume usually has none), and {@link Result#voxelSizesDiffer()} says when
 * both were known and differed.
 *
 * <p>Reuse: {@link #statistics} measures one volume once (the costly part: about {@code 2 + 3 * tortuosity solves}
 * per phase); {@link #compare(Statistics, Statistics, Options)} compares two measured volumes in microseconds, and
 * {@link #pool} merges the statistics of several samples into one ensemble (voxel-weighted fractions, S2 and
 * surface; mean tortuosity; summed chord counts), so a training loop or an optimiser measures its reference once.
 *
 * <p>Memory: the S2 FFT buffer (16 bytes per padded voxel, see {@link TwoPointCorrelation}) and the tortuosity
 * solve ({@link EffectiveConductivity#BYTES_PER_VOXEL} per voxel), one phase at a time; each is checked against the
 * heap before it is allocated.
 */
public final class Comparison {
    /** Largest automatic S2 lag, voxels. */
    public static final int MAX_AUTOMATIC_DISTANCE = 64;

    private Comparison() {
    }

    /**
     * Options.
     *
     * @param phases label values to compare; null for every label present in either volume
     * @param maxDistance largest S2 lag in voxels; 0 for automatic (a quarter of the smallest dimension, at most
     *     {@value #MAX_AUTOMATIC_DISTANCE}); the comparison uses the smaller of the two volumes' limits
     * @param tortuosity whether to solve tortuosity (3 solves per phase and volume, the costly part)
     * @param volumeFractionTolerance largest accepted {@code |phi_cand - phi_ref|}, e.g. 0.01
     * @param s2Tolerance largest accepted S2 RMSE on any axis, e.g. 0.005
     * @param tortuosityTolerance largest accepted {@code |tau_cand / tau_ref - 1|} on any axis, e.g. 0.05
     * @param conductivity solver options of the tortuosity solves
     */
    public record Options(int[] phases, int maxDistance, boolean tortuosity, double volumeFractionTolerance,
            double s2Tolerance, double tortuosityTolerance, EffectiveConductivity.Options conductivity) {
        public Options {
            if (phases != null) {
                if (phases.length == 0) {
                    throw new IllegalArgumentException("phases must be null (every label) or name at least one label");
                }
                phases = Arrays.stream(phases).map(Inputs::phase).distinct().sorted().toArray();
            }
            if (maxDistance < 0) {
                throw new IllegalArgumentException("maxDistance must be 0 (automatic) or positive, got " + maxDistance);
            }
            requireTolerance("volumeFractionTolerance", volumeFractionTolerance);
            requireTolerance("s2Tolerance", s2Tolerance);
            requireTolerance("tortuosityTolerance", tortuosityTolerance);
            if (conductivity == null) {
                throw new IllegalArgumentException("conductivity options are required; use "
                        + "EffectiveConductivity.Options.defaults()");
            }
        }

        /**
         * Every label, automatic lag, tortuosity on, tolerances 0.01 (volume fraction), 0.005 (S2 RMSE), 0.05
         * (tortuosity ratio): the targets of issue 5.
         */
        public static Options defaults() {
            return new Options(null, 0, true, 0.01, 0.005, 0.05, EffectiveConductivity.Options.defaults());
        }

        public Options withPhases(int... value) {
            return new Options(value, maxDistance, tortuosity, volumeFractionTolerance, s2Tolerance,
                    tortuosityTolerance, conductivity);
        }

        public Options withMaxDistance(int value) {
            return new Options(phases, value, tortuosity, volumeFractionTolerance, s2Tolerance, tortuosityTolerance,
                    conductivity);
        }

        public Options withTortuosity(boolean value) {
            return new Options(phases, maxDistance, value, volumeFractionTolerance, s2Tolerance, tortuosityTolerance,
                    conductivity);
        }

        public Options withTolerances(double volumeFraction, double s2, double tau) {
            return new Options(phases, maxDistance, tortuosity, volumeFraction, s2, tau, conductivity);
        }

        public Options withConductivity(EffectiveConductivity.Options value) {
            return new Options(phases, maxDistance, tortuosity, volumeFractionTolerance, s2Tolerance,
                    tortuosityTolerance, value);
        }

        private static void requireTolerance(String name, double value) {
            if (!(value >= 0) || Double.isInfinite(value)) {
                throw new IllegalArgumentException(name + " must be a finite number >= 0, got " + value);
            }
        }
    }

    /**
     * One number per axis.
     *
     * @param x along x
     * @param y along y
     * @param z along z
     */
    public record PerAxis(double x, double y, double z) {
        /** The value along {@code axis}. */
        public double along(Axis axis) {
            return axis == Axis.X ? x : axis == Axis.Y ? y : z;
        }

        static PerAxis of(double[] v) {
            return new PerAxis(v[0], v[1], v[2]);
        }
    }

    /**
     * What {@link #statistics} measured of one phase of one volume (or of an ensemble, see {@link #pool}).
     *
     * @param phase label value
     * @param volumeFraction phi
     * @param s2 S2 along x, y, z ({@code s2[axis.ordinal()][r]}, r = 0..lag limit of that axis, voxels)
     * @param specificSurface smoothed marching-cubes surface over volume, 1/voxel
     * @param faceCountSurface face-count surface over volume, 1/voxel
     * @param tortuosity tau along x, y, z ({@code +Infinity} when not percolating); null when not solved
     * @param chordCounts chord counts along x, y, z ({@code chordCounts[axis.ordinal()][length]})
     */
    public record PhaseStatistics(int phase, double volumeFraction, double[][] s2, double specificSurface,
            double faceCountSurface, PerAxis tortuosity, long[][] chordCounts) {
        static PhaseStatistics absent(int phase, boolean withTortuosity) {
            double inf = Double.POSITIVE_INFINITY;
            return new PhaseStatistics(phase, 0, new double[][] {{0}, {0}, {0}}, 0, 0,
                    withTortuosity ? new PerAxis(inf, inf, inf) : null, new long[][] {{0}, {0}, {0}});
        }
    }

    /**
     * The statistics of one volume (or of an ensemble of {@code samples} volumes).
     *
     * @param nx size along x (of the first sample for an ensemble)
     * @param ny size along y
     * @param nz size along z
     * @param voxelCount voxels measured (summed over an ensemble)
     * @param labelCounts voxels of each label value 0..255 (summed over an ensemble)
     * @param voxelSize the volume's voxel size (unknown when not given, or when an ensemble's differ)
     * @param samples number of volumes behind these statistics
     * @param tortuosity whether tortuosity was solved
     * @param phases the measured phases, ascending label value
     */
    public record Statistics(int nx, int ny, int nz, long voxelCount, long[] labelCounts, VoxelSize voxelSize,
            int samples, boolean tortuosity, List<PhaseStatistics> phases) {
        /** The statistics of {@code phase}; a phase without voxels gives those of an empty phase. */
        public PhaseStatistics phase(int phase) {
            for (PhaseStatistics p : phases) {
                if (p.phase() == phase) {
                    return p;
                }
            }
            if (labelCounts[Inputs.phase(phase)] == 0) {
                return PhaseStatistics.absent(phase, tortuosity);
            }
            throw new IllegalArgumentException("phase " + phase + " occurs in the volume (" + labelCounts[phase]
                    + " voxels) but was not measured; include it in Options.phases");
        }

        /** Label values present (non-zero count), ascending. */
        public int[] labelsPresent() {
            return java.util.stream.IntStream.range(0, 256).filter(l -> labelCounts[l] > 0).toArray();
        }
    }

    /**
     * The comparison of one phase.
     *
     * @param phase label value
     * @param referenceFraction phi of the reference
     * @param candidateFraction phi of the candidate
     * @param volumeFractionError {@code candidateFraction - referenceFraction}
     * @param s2Rmse S2 RMSE per axis over {@code r = 0..maxDistance}
     * @param surfaceAreaRatio candidate over reference specific surface (marching cubes); 1 when both are 0
     * @param faceCountSurfaceRatio the same by face count
     * @param tortuosityRatio tau ratio per axis; null when tortuosity was not solved
     * @param referenceTortuosity tau of the reference per axis; null when not solved
     * @param candidateTortuosity tau of the candidate per axis; null when not solved
     * @param chordLengthDistance Kolmogorov-Smirnov distance of the chord-length distributions per axis
     * @param pass whether every checked figure is within its tolerance
     * @param failures one line per figure outside its tolerance, e.g. {@code "volume fraction error +0.0312 outside
     *     +-0.01"}
     */
    public record PhaseResult(int phase, double referenceFraction, double candidateFraction,
            double volumeFractionError, PerAxis s2Rmse, double surfaceAreaRatio, double faceCountSurfaceRatio,
            PerAxis tortuosityRatio, PerAxis referenceTortuosity, PerAxis candidateTortuosity,
            PerAxis chordLengthDistance, boolean pass, List<String> failures) {
    }

    /**
     * The comparison of two volumes.
     *
     * @param pass whether every phase passes
     * @param phases per phase, ascending label value
     * @param maxDistance the largest S2 lag compared, voxels (per axis it may be smaller for a thin volume)
     * @param voxelSizesDiffer whether both volumes had a known voxel size and they differed (the comparison is in
     *     voxels all the same)
     */
    public record Result(boolean pass, List<PhaseResult> phases, int maxDistance, boolean voxelSizesDiffer) {
        /** The failures of every phase, each prefixed by its phase, e.g. {@code "phase 0: ..."}. */
        public List<String> failures() {
            List<String> all = new ArrayList<>();
            for (PhaseResult p : phases) {
                for (String f : p.failures()) {
                    all.add("phase " + p.phase() + ": " + f);
                }
            }
            return all;
        }
    }

    /**
     * Compares {@code candidate} with {@code reference}: {@link #statistics} of each, then
     * {@link #compare(Statistics, Statistics, Options)}.
     *
     * @throws IllegalArgumentException for a null volume or options
     */
    public static Result compare(Volume reference, Volume candidate, Options options) {
        Options o = require(options);
        Inputs.volume(reference);
        Inputs.volume(candidate);
        int[] phases = o.phases() != null ? o.phases() : union(reference.labelCounts(), candidate.labelCounts());
        Options resolved = o.withPhases(phases);
        return compare(statistics(reference, resolved), statistics(candidate, resolved), resolved);
    }

    /**
     * Measures a volume: for each phase of {@code options.phases()} (every label present when null) its fraction,
     * non-periodic S2 along x, y, z up to the lag limit, specific surface, tortuosity along x, y, z (when
     * {@code options.tortuosity()}) and chord-length counts along x, y, z.
     *
     * @throws IllegalArgumentException for a null volume or options
     * @throws dev.microforge.datasets.VolumeTooLargeException when a buffer does not fit the heap
     */
    public static Statistics statistics(Volume volume, Options options) {
        Options o = require(options);
        Volume v = Inputs.volume(volume).withVoxelSize(VoxelSize.UNKNOWN);
        long[] counts = v.labelCounts();
        int[] phases = o.phases() != null ? o.phases() : union(counts, new long[256]);
        int lag = o.maxDistance() > 0 ? o.maxDistance() : automaticDistance(v);
        List<PhaseStatistics> list = new ArrayList<>();
        for (int p : phases) {
            list.add(measure(v, p, lag, o));
        }
        return new Statistics(v.nx(), v.ny(), v.nz(), v.voxelCount(), counts, volume.voxelSize(), 1,
                o.tortuosity(), List.copyOf(list));
    }

    /** The automatic S2 lag of a volume: a quarter of its smallest dimension, at least 1, at most 64. */
    public static int automaticDistance(Volume volume) {
        int smallest = Math.min(volume.nx(), Math.min(volume.ny(), volume.nz()));
        return Math.max(1, Math.min(MAX_AUTOMATIC_DISTANCE, smallest / 4));
    }

    private static PhaseStatistics measure(Volume v, int phase, int lag, Options o) {
        double phi = v.labelCounts()[phase] / (double) v.voxelCount();
        double[][] s2 = new double[3][];
        if (phi == 0) {
            // S2 of an absent phase is 0 at every lag (limits as TwoPointCorrelation's); no FFT needed
            for (Axis a : Axis.values()) {
                s2[a.ordinal()] = new double[Math.min(lag, v.size(a) - 1) + 1];
            }
        } else {
            TwoPointCorrelation.Result r = TwoPointCorrelation.compute(v, phase,
                    new TwoPointCorrelation.Options(false, lag));
            for (Axis a : Axis.values()) {
                s2[a.ordinal()] = r.along(a).value().clone();
            }
        }
        SurfaceArea.Result surface = SurfaceArea.of(v, phase, SurfaceArea.Options.defaults());
        PerAxis tau = null;
        if (o.tortuosity()) {
            double[] t = new double[3];
            for (Axis a : Axis.values()) {
                t[a.ordinal()] = phi == 0 ? Double.POSITIVE_INFINITY
                        : Tortuosity.solve(v, phase, a, o.conductivity()).tau();
            }
            tau = PerAxis.of(t);
        }
        long[][] chords = new long[3][];
        for (Axis a : Axis.values()) {
            chords[a.ordinal()] = ChordLength.distribution(v, phase, a, ChordLength.Options.defaults()).counts();
        }
        return new PhaseStatistics(phase, phi, s2, surface.marchingCubesSpecificArea(),
                surface.faceCountSpecificArea(), tau, chords);
    }

    /**
     * Compares measured statistics. The phases compared are {@code options.phases()}, or when null every phase
     * measured in either; S2 curves are compared over the lags both hold.
     *
     * @throws IllegalArgumentException when a phase present in a volume was not measured, or tortuosity is asked
     *     for but was not solved
     */
    public static Result compare(Statistics reference, Statistics candidate, Options options) {
        Options o = require(options);
        if (reference == null || candidate == null) {
            throw new IllegalArgumentException("reference and candidate statistics are required; measure them with "
                    + "Comparison.statistics");
        }
        TreeSet<Integer> phases = new TreeSet<>();
        if (o.phases() != null) {
            Arrays.stream(o.phases()).forEach(phases::add);
        } else {
            reference.phases().forEach(p -> phases.add(p.phase()));
            candidate.phases().forEach(p -> phases.add(p.phase()));
        }
        List<PhaseResult> results = new ArrayList<>();
        int maxDistance = 0;
        boolean pass = true;
        for (int p : phases) {
            PhaseStatistics r = reference.phase(p);
            PhaseStatistics c = candidate.phase(p);
            if (o.tortuosity() && (!reference.tortuosity() || !candidate.tortuosity())) {
                throw new IllegalArgumentException("tortuosity of phase " + p + " was not solved; measure with "
                        + "Options.tortuosity() true or compare with withTortuosity(false)");
            }
            PhaseResult result = comparePhase(r, c, o);
            for (int i = 0; i < 3; i++) {
                maxDistance = Math.max(maxDistance, Math.min(r.s2()[i].length, c.s2()[i].length) - 1);
            }
            pass &= result.pass();
            results.add(result);
        }
        boolean differ = reference.voxelSize().isKnown() && candidate.voxelSize().isKnown()
                && !reference.voxelSize().equals(candidate.voxelSize());
        return new Result(pass, List.copyOf(results), maxDistance, differ);
    }

    private static PhaseResult comparePhase(PhaseStatistics r, PhaseStatistics c, Options o) {
        List<String> failures = new ArrayList<>();
        double vfError = c.volumeFraction() - r.volumeFraction();
        if (!(Math.abs(vfError) <= o.volumeFractionTolerance())) {
            failures.add(String.format(Locale.ROOT, "volume fraction error %+.4f outside +-%s", vfError,
                    plain(o.volumeFractionTolerance())));
        }
        double[] s2 = new double[3];
        double[] chord = new double[3];
        for (Axis a : Axis.values()) {
            int i = a.ordinal();
            s2[i] = rmse(r.s2()[i], c.s2()[i]);
            if (!(s2[i] <= o.s2Tolerance())) {
                failures.add(String.format(Locale.ROOT, "S2 RMSE along %s %.5f above %s", a.label(), s2[i],
                        plain(o.s2Tolerance())));
            }
            chord[i] = kolmogorovSmirnov(r.chordCounts()[i], c.chordCounts()[i]);
        }
        PerAxis tauRatio = null;
        if (o.tortuosity()) {
            double[] t = new double[3];
            for (Axis a : Axis.values()) {
                t[a.ordinal()] = tortuosityRatio(r.tortuosity().along(a), c.tortuosity().along(a));
                if (!(Math.abs(t[a.ordinal()] - 1) <= o.tortuosityTolerance())) {
                    failures.add(String.format(Locale.ROOT, "tortuosity ratio along %s %.4f outside 1+-%s "
                            + "(tau %.4f vs %.4f)", a.label(), t[a.ordinal()], plain(o.tortuosityTolerance()),
                            c.tortuosity().along(a), r.tortuosity().along(a)));
                }
            }
            tauRatio = PerAxis.of(t);
        }
        return new PhaseResult(r.phase(), r.volumeFraction(), c.volumeFraction(), vfError, PerAxis.of(s2),
                ratio(c.specificSurface(), r.specificSurface()), ratio(c.faceCountSurface(), r.faceCountSurface()),
                tauRatio, o.tortuosity() ? r.tortuosity() : null, o.tortuosity() ? c.tortuosity() : null,
                PerAxis.of(chord), failures.isEmpty(), List.copyOf(failures));
    }

    /**
     * Merges the statistics of several samples into one ensemble: fractions, S2 and surfaces weighted by voxel
     * count, tortuosity the plain mean over samples ({@code +Infinity} when any sample does not percolate), chord
     * counts summed. S2 curves are cut to the shortest sample's lag limit. Every sample must hold the same phases.
     *
     * @throws IllegalArgumentException for an empty list or samples measured with different phases
     */
    public static Statistics pool(List<Statistics> samples) {
        if (samples == null || samples.isEmpty()) {
            throw new IllegalArgumentException("pool needs at least one sample's statistics, got none");
        }
        if (samples.size() == 1) {
            return samples.get(0);
        }
        Statistics first = samples.get(0);
        long voxels = 0;
        long[] counts = new long[256];
        int n = 0;
        VoxelSize size = first.voxelSize();
        for (Statistics s : samples) {
            if (s.phases().size() != first.phases().size() || s.tortuosity() != first.tortuosity()) {
                throw new IllegalArgumentException("samples measured with different phases: " + phasesOf(first)
                        + " and " + phasesOf(s));
            }
            voxels += s.voxelCount();
            for (int l = 0; l < 256; l++) {
                counts[l] += s.labelCounts()[l];
            }
            n += s.samples();
            if (!s.voxelSize().equals(size)) {
                size = VoxelSize.UNKNOWN;
            }
        }
        List<PhaseStatistics> phases = new ArrayList<>();
        for (int k = 0; k < first.phases().size(); k++) {
            int phase = first.phases().get(k).phase();
            double phi = 0;
            double surface = 0;
            double faces = 0;
            double[][] s2 = new double[3][];
            long[][] chords = new long[3][];
            boolean tau = first.phases().get(k).tortuosity() != null;
            double[] tauSum = new double[3];
            for (Axis a : Axis.values()) {
                int len = Integer.MAX_VALUE;
                int chordLen = 0;
                for (Statistics s : samples) {
                    len = Math.min(len, s.phases().get(k).s2()[a.ordinal()].length);
                    chordLen = Math.max(chordLen, s.phases().get(k).chordCounts()[a.ordinal()].length);
                }
                s2[a.ordinal()] = new double[len];
                chords[a.ordinal()] = new long[chordLen];
            }
            for (Statistics s : samples) {
                PhaseStatistics p = s.phases().get(k);
                if (p.phase() != phase || (p.tortuosity() != null) != tau) {
                    throw new IllegalArgumentException("samples measured with different phases or options: "
                            + phasesOf(first) + " and " + phasesOf(s));
                }
                double w = s.voxelCount() / (double) voxels;
                phi += w * p.volumeFraction();
                surface += w * p.specificSurface();
                faces += w * p.faceCountSurface();
                for (Axis a : Axis.values()) {
                    int i = a.ordinal();
                    for (int r = 0; r < s2[i].length; r++) {
                        s2[i][r] += w * p.s2()[i][r];
                    }
                    for (int l = 0; l < p.chordCounts()[i].length; l++) {
                        chords[i][l] += p.chordCounts()[i][l];
                    }
                    if (tau) {
                        tauSum[i] += p.tortuosity().along(a) * s.samples();
                    }
                }
            }
            PerAxis meanTau = null;
            if (tau) {
                meanTau = new PerAxis(tauSum[0] / n, tauSum[1] / n, tauSum[2] / n);
            }
            phases.add(new PhaseStatistics(phase, phi, s2, surface, faces, meanTau, chords));
        }
        return new Statistics(first.nx(), first.ny(), first.nz(), voxels, counts, size, n, first.tortuosity(),
                List.copyOf(phases));
    }

    /** Root-mean-square difference over the lags both curves hold. */
    static double rmse(double[] a, double[] b) {
        int n = Math.min(a.length, b.length);
        double s = 0;
        for (int i = 0; i < n; i++) {
            double d = a[i] - b[i];
            s += d * d;
        }
        return n == 0 ? 0 : Math.sqrt(s / n);
    }

    /** {@code max_l |F_a(l) - F_b(l)|} of two histograms taken as distributions; 0 when both are empty. */
    static double kolmogorovSmirnov(long[] a, long[] b) {
        long na = Arrays.stream(a).sum();
        long nb = Arrays.stream(b).sum();
        if (na == 0 || nb == 0) {
            return na == nb ? 0 : 1;
        }
        double fa = 0;
        double fb = 0;
        double worst = 0;
        for (int l = 0; l < Math.max(a.length, b.length); l++) {
            fa += l < a.length ? a[l] : 0;
            fb += l < b.length ? b[l] : 0;
            worst = Math.max(worst, Math.abs(fa / na - fb / nb));
        }
        return worst;
    }

    /** Candidate over reference tortuosity: 1 when neither percolates. */
    static double tortuosityRatio(double reference, double candidate) {
        boolean ri = Double.isInfinite(reference);
        boolean ci = Double.isInfinite(candidate);
        if (ri && ci) {
            return 1;
        }
        if (ri) {
            return 0;
        }
        return ci ? Double.POSITIVE_INFINITY : candidate / reference;
    }

    private static double ratio(double candidate, double reference) {
        if (reference == 0) {
            return candidate == 0 ? 1 : Double.POSITIVE_INFINITY;
        }
        return candidate / reference;
    }

    private static int[] union(long[] a, long[] b) {
        return java.util.stream.IntStream.range(0, 256).filter(l -> a[l] > 0 || b[l] > 0).toArray();
    }

    private static String phasesOf(Statistics s) {
        return s.phases().stream().map(p -> String.valueOf(p.phase())).toList().toString();
    }

    private static String plain(double v) {
        return java.math.BigDecimal.valueOf(v).stripTrailingZeros().toPlainString();
    }

    private static Options require(Options options) {
        if (options == null) {
            throw new IllegalArgumentException("options are required; use Comparison.Options.defaults()");
        }
        return options;
    }
}
