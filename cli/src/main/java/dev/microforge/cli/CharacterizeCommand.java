package dev.microforge.cli;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.microforge.datasets.Axis;
import dev.microforge.datasets.PhaseMap;
import dev.microforge.datasets.Volume;
import dev.microforge.datasets.io.VolumeIO;
import dev.microforge.evaluator.correlation.Curve;
import dev.microforge.evaluator.correlation.SpectralDensity;
import dev.microforge.evaluator.correlation.SurfaceSurfaceCorrelation;
import dev.microforge.evaluator.correlation.ThreePointCorrelation;
import dev.microforge.evaluator.correlation.TwoPointClusterFunction;
import dev.microforge.evaluator.correlation.TwoPointCorrelation;
import dev.microforge.evaluator.geometry.InterfacialArea;
import dev.microforge.evaluator.geometry.LengthUnit;
import dev.microforge.evaluator.geometry.SurfaceArea;
import dev.microforge.evaluator.geometry.TriplePhaseBoundary;
import dev.microforge.evaluator.geometry.VolumeFractions;
import dev.microforge.evaluator.morphology.ChordLength;
import dev.microforge.evaluator.morphology.ConnectedComponents;
import dev.microforge.evaluator.morphology.LinealPath;
import dev.microforge.evaluator.morphology.LocalThickness;
import dev.microforge.evaluator.morphology.ParticleSeparation;
import dev.microforge.evaluator.morphology.ParticleSizeDistribution;
import dev.microforge.evaluator.morphology.ParticleStatistics;
import dev.microforge.evaluator.morphology.Percolation;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/**
 * {@code microforge characterize VOLUME}: every statistical descriptor of the evaluator, per phase, in one JSON,
 * with PNG plots of the curves and distributions.
 */
@Command(name = "characterize", aliases = "characterise", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Statistical descriptors of each phase: volume fractions, specific surface area (face count "
                + "and marching cubes), interfacial areas, triple-phase boundary, two-point correlation S2, cluster "
                + "function C2, surface-surface correlation, three-point correlation, lineal path, chord lengths, "
                + "connectivity and percolation per axis, pore-size (local thickness) and particle-size "
                + "(watershed) distributions, spectral density and correlation length.",
            "Lengths are in micrometres when the voxel size is known, otherwise in voxels."})
final class CharacterizeCommand implements Callable<Integer> {
    /** The descriptors, selectable with {@code --only}. */
    enum Descriptor {
        FRACTIONS, SURFACE, TPB, S2, CLUSTER, FSS, S3, LINEAL, CHORDS, CONNECTIVITY, PORES, PARTICLES, SPECTRAL;

        static Set<Descriptor> parse(String text) {
            if (text == null || text.isBlank() || text.equalsIgnoreCase("all")) {
                return EnumSet.allOf(Descriptor.class);
            }
            Set<Descriptor> set = EnumSet.noneOf(Descriptor.class);
            for (String part : text.split(",")) {
                try {
                    set.add(valueOf(part.trim().toUpperCase(Locale.ROOT).replace('-', '_')));
                } catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException("--only: unknown descriptor '" + part + "'; choose from "
                            + EnumSet.allOf(Descriptor.class).toString().toLowerCase(Locale.ROOT));
                }
            }
            return set;
        }
    }

    @ParentCommand
    MicroforgeCommand parent;

    @Parameters(index = "0", paramLabel = "VOLUME", description = "Labelled volume (any readable format).")
    Path volume;

    @Option(names = "--phase", paramLabel = "P",
            description = "Only this phase (label value or name: pore, active, cbd). Default: every label present.")
    String phase;

    @Option(names = "--only", paramLabel = "LIST",
            description = "Comma-separated subset of: fractions, surface, tpb, s2, cluster, fss, s3, lineal, chords, "
                    + "connectivity, pores, particles, spectral (default all).")
    String only;

    @Option(names = "--max-distance", paramLabel = "R",
            description = "Largest lag of the correlation functions and lineal path, in voxels (default: a quarter "
                    + "of the smallest dimension, at most 64).")
    Integer maxDistance;

    @Option(names = "--periodic", description = "Treat the volume as periodic (correlations, surfaces, clusters).")
    boolean periodic;

    @Option(names = "--voxel-size", paramLabel = "UM|DX,DY,DZ", converter = VoxelSizeConverter.class,
            description = "Voxel size in micrometres, overriding the file's (lengths are in voxels otherwise).")
    dev.microforge.datasets.VoxelSize voxelSize;

    @Option(names = "--seed", paramLabel = "S", description = "Seed of the sampled three-point correlation.")
    long seed = 1;

    @Option(names = "--plots", paramLabel = "DIR", description = "Write PNG plots of every curve into DIR.")
    Path plots;

    @Option(names = "--force", description = "Overwrite existing plot files.")
    boolean force;

    @Option(names = "--json", description = "Print the results as JSON on stdout.")
    boolean json;

    @Mixin
    LabelOptions labels;

    record CurveJson(double[] distance, double[] value) {
        static CurveJson of(Curve c) {
            return c == null ? null : new CurveJson(c.distance(), c.value());
        }

        /** The lineal path with its segment lengths in micrometres, or in voxels when the voxel size is unknown. */
        static CurveJson of(LinealPath.AxisResult a) {
            double[] d = new double[a.probability().length];
            for (int r = 0; r < d.length; r++) {
                d[r] = Double.isNaN(a.voxelEdge()) ? r : a.distance(r);
            }
            return new CurveJson(d, a.probability());
        }
    }

    record DirectionalJson(CurveJson x, CurveJson y, CurveJson z, CurveJson radial) {
    }

    record SurfaceJson(double faceCount, double marchingCubes, double binaryMarchingCubes, double faceCountBias) {
    }

    record ChordJson(String axis, long chords, double mean, double lengthWeightedMean, long[] counts) {
    }

    record PercolationJson(String axis, double percolatingFraction, double deadEndFraction, double isolatedFraction,
            boolean percolates) {
    }

    record ConnectivityJson(int components, long largestComponent, List<PercolationJson> axes) {
    }

    record PoreSizeJson(double mean, double d10, double d50, double d90, double[] diameters,
            double[] volumeFractions, double[] cumulative) {
    }

    record ParticlesJson(int count, double meanEquivalentDiameter, double meanSphericity, double meanAspectRatio,
            double volumeD10, double volumeD50, double volumeD90, double[] binEdges, double[] numberFractions,
            double[] volumeFractions) {
    }

    record SpectralJson(CurveJson radial, CurveJson x, CurveJson y, CurveJson z, double peakWavenumber,
            double correlationLength) {
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    record PhaseJson(int phase, String name, double volumeFraction, SurfaceJson specificSurfaceArea,
            DirectionalJson twoPointCorrelation, DirectionalJson clusterFunction,
            DirectionalJson surfaceSurfaceCorrelation, Map<String, CurveJson> threePointCorrelation,
            Map<String, CurveJson> linealPath, List<ChordJson> chordLengths, ConnectivityJson connectivity,
            PoreSizeJson poreSizeDistribution, ParticlesJson particles, SpectralJson spectralDensity,
            Map<String, Double> seconds) {
    }

    record InterfaceJson(int a, int b, double faceCount, double marchingCubes) {
    }

    record TpbJson(int a, int b, int c, double lengthDensity) {
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    record OutputJson(String path, int nx, int ny, int nz, Json.VoxelSizeJson voxelSize, String lengthUnit,
            Map<String, Double> volumeFractions, List<InterfaceJson> interfacialArea, TpbJson triplePhaseBoundary,
            List<PhaseJson> phases, List<String> plots) {
    }

    @Override
    public Integer call() throws Exception {
        CliContext context = parent.context();
        Set<Descriptor> wanted = Descriptor.parse(only);
        if (plots != null) {
            OutputFolders.requireExisting(plots, "plot folder");
        }
        Volume read = VolumeIO.read(volume, labels.conversion(), context.progress());
        Volume v = voxelSize == null ? read : read.withVoxelSize(voxelSize);
        context.closeProgress();
        PhaseMap names = PhaseMap.electrode(v.labelHistogram().keySet());
        int[] phases = phase == null ? v.labelHistogram().keySet().stream().mapToInt(Integer::intValue).toArray()
                : PhaseArgument.resolve(phase, v);
        int smallest = Math.min(v.nx(), Math.min(v.ny(), v.nz()));
        int lag = maxDistance != null ? maxDistance : Math.max(1, Math.min(64, smallest / 4));
        if (lag < 1) {
            throw new IllegalArgumentException("--max-distance must be at least 1, got " + lag);
        }
        String unit = LengthUnit.of(v).symbol();
        List<String> written = new ArrayList<>();

        VolumeFractions.Result fractions = VolumeFractions.of(v);
        Map<String, Double> fractionMap = new LinkedHashMap<>();
        for (int i = 0; i < fractions.labels().length; i++) {
            fractionMap.put(String.valueOf(fractions.labels()[i]), fractions.fractions()[i]);
        }
        SurfaceArea.Options surfaceOptions = new SurfaceArea.Options(periodic);
        List<InterfaceJson> interfaces = null;
        if (wanted.contains(Descriptor.SURFACE) && fractions.labels().length > 1) {
            interfaces = new ArrayList<>();
            for (InterfacialArea.Result r : InterfacialArea.allPairs(v, surfaceOptions)) {
                interfaces.add(new InterfaceJson(r.a(), r.b(), r.faceCountSpecificArea(),
                        r.marchingCubesSpecificArea()));
            }
        }
        TpbJson tpb = null;
        if (wanted.contains(Descriptor.TPB) && fractions.labels().length == 3) {
            int[] l = fractions.labels();
            TriplePhaseBoundary.Result t = TriplePhaseBoundary.lengthDensity(v, l[0], l[1], l[2],
                    new TriplePhaseBoundary.Options(periodic));
            tpb = new TpbJson(l[0], l[1], l[2], t.lengthDensity());
        }
        List<PhaseJson> results = new ArrayList<>();
        int step = 0;
        int steps = phases.length * wanted.size();
        for (int p : phases) {
            Map<String, Double> seconds = new LinkedHashMap<>();
            PhaseBuilder b = new PhaseBuilder(p, names.nameOf(p), VolumeFractions.of(v, p));
            for (Descriptor d : wanted) {
                context.progress().progress("characterizing " + names.nameOf(p) + " (" + p + ")", step++, steps);
                long t0 = System.nanoTime();
                compute(d, v, p, lag, b, surfaceOptions);
                seconds.put(d.name().toLowerCase(Locale.ROOT), (System.nanoTime() - t0) / 1e9);
            }
            PhaseJson pj = b.build(seconds);
            results.add(pj);
            if (plots != null) {
                written.addAll(plot(pj, unit));
            }
        }
        context.progress().progress("characterizing", steps, steps);
        context.closeProgress();
        OutputJson output = new OutputJson(volume.toString(), v.nx(), v.ny(), v.nz(),
                Json.VoxelSizeJson.of(v.voxelSize()), unit, fractionMap, interfaces, tpb, results,
                plots == null ? null : written);
        if (json) {
            Json.print(context.out(), output);
        } else {
            printText(context.out(), output);
        }
        return Main.OK;
    }

    /** Collects one phase's results. */
    private static final class PhaseBuilder {
        final int phase;
        final String name;
        final double fraction;
        SurfaceJson surface;
        DirectionalJson s2;
        DirectionalJson c2;
        DirectionalJson fss;
        Map<String, CurveJson> s3;
        Map<String, CurveJson> lineal;
        List<ChordJson> chords;
        ConnectivityJson connectivity;
        PoreSizeJson pores;
        ParticlesJson particles;
        SpectralJson spectral;

        PhaseBuilder(int phase, String name, double fraction) {
            this.phase = phase;
            this.name = name;
            this.fraction = fraction;
        }

        PhaseJson build(Map<String, Double> seconds) {
            return new PhaseJson(phase, name, fraction, surface, s2, c2, fss, s3, lineal, chords, connectivity, pores,
                    particles, spectral, seconds);
        }
    }

    private void compute(Descriptor d, Volume v, int p, int lag, PhaseBuilder b, SurfaceArea.Options surfaceOptions) {
        switch (d) {
            case SURFACE: {
                SurfaceArea.Result s = SurfaceArea.of(v, p, surfaceOptions);
                b.surface = new SurfaceJson(s.faceCountSpecificArea(), s.marchingCubesSpecificArea(),
                        s.binaryMarchingCubesSpecificArea(), s.faceCountBias());
                break;
            }
            case S2: {
                TwoPointCorrelation.Result r = TwoPointCorrelation.compute(v, p,
                        new TwoPointCorrelation.Options(periodic, lag));
                b.s2 = new DirectionalJson(CurveJson.of(r.x()), CurveJson.of(r.y()), CurveJson.of(r.z()),
                        CurveJson.of(r.radial()));
                break;
            }
            case CLUSTER: {
                TwoPointClusterFunction.Result r = TwoPointClusterFunction.compute(v, p,
                        new TwoPointClusterFunction.Options(periodic, lag, ConnectedComponents.Connectivity.FACES));
                b.c2 = new DirectionalJson(CurveJson.of(r.x()), CurveJson.of(r.y()), CurveJson.of(r.z()),
                        CurveJson.of(r.radial()));
                break;
            }
            case FSS: {
                SurfaceSurfaceCorrelation.Result r = SurfaceSurfaceCorrelation.compute(v, p,
                        new SurfaceSurfaceCorrelation.Options(periodic, lag));
                b.fss = new DirectionalJson(CurveJson.of(r.x()), CurveJson.of(r.y()), CurveJson.of(r.z()),
                        CurveJson.of(r.radial()));
                break;
            }
            case S3: {
                ThreePointCorrelation.Options o = ThreePointCorrelation.Options.defaults();
                ThreePointCorrelation.Result r = ThreePointCorrelation.equilateral(v, p,
                        new ThreePointCorrelation.Options(periodic, Math.min(lag, 32), o.anglesPerPlane(),
                                o.samples(), seed));
                b.s3 = new LinkedHashMap<>();
                b.s3.put("xy", CurveJson.of(r.xy()));
                b.s3.put("xz", CurveJson.of(r.xz()));
                b.s3.put("yz", CurveJson.of(r.yz()));
                b.s3.put("all", CurveJson.of(r.all()));
                break;
            }
            case LINEAL: {
                LinealPath.Result r = LinealPath.compute(v, p, new LinealPath.Options(lag, periodic));
                b.lineal = new LinkedHashMap<>();
                for (Axis a : Axis.values()) {
                    b.lineal.put(a.label(), CurveJson.of(r.along(a)));
                }
                break;
            }
            case CHORDS: {
                b.chords = new ArrayList<>();
                for (Axis a : Axis.values()) {
                    ChordLength.Result r = ChordLength.distribution(v, p, a, ChordLength.Options.defaults());
                    // lengths in micrometres when the voxel size is known, otherwise in voxels
                    double edge = Double.isNaN(r.voxelEdge()) ? 1 : r.voxelEdge();
                    b.chords.add(new ChordJson(a.label(), r.chords(), r.meanVoxels() * edge,
                            r.lengthWeightedMeanVoxels() * edge, r.counts()));
                }
                break;
            }
            case CONNECTIVITY: {
                ConnectedComponents.Result c = ConnectedComponents.label(v, p, new ConnectedComponents.Options(
                        ConnectedComponents.Connectivity.FACES, periodic, periodic, periodic));
                List<PercolationJson> axes = new ArrayList<>();
                for (Axis a : Axis.values()) {
                    Percolation.Result r = Percolation.along(c, a);
                    axes.add(new PercolationJson(a.label(), r.percolatingFraction(), r.deadEndFraction(),
                            r.isolatedFraction(), r.percolates()));
                }
                b.connectivity = new ConnectivityJson(c.count(), c.largest(), axes);
                break;
            }
            case PORES: {
                LocalThickness.Result r = LocalThickness.poreSizeDistribution(v, p, LocalThickness.Options.defaults());
                b.pores = new PoreSizeJson(r.mean(), r.d10(), r.d50(), r.d90(), r.diameters(), r.volumeFractions(),
                        r.cumulative());
                break;
            }
            case PARTICLES: {
                ParticleSeparation.Result sep = ParticleSeparation.watershed(v, p,
                        ParticleSeparation.Options.defaults());
                ParticleStatistics.Result stats = ParticleStatistics.of(sep, ParticleStatistics.Options.defaults());
                ParticleSizeDistribution.Result psd = ParticleSizeDistribution.of(stats,
                        ParticleSizeDistribution.Options.defaults());
                double sph = 0;
                double aspect = 0;
                double diameter = 0;
                for (ParticleStatistics.Particle particle : stats.particles()) {
                    sph += particle.sphericity();
                    aspect += particle.aspectRatio();
                    diameter += particle.equivalentDiameter();
                }
                int n = Math.max(1, stats.count());
                b.particles = new ParticlesJson(stats.count(), diameter / n, sph / n, aspect / n, psd.volumeD10(),
                        psd.volumeD50(), psd.volumeD90(), psd.binEdges(), psd.numberFractions(),
                        psd.volumeFractions());
                break;
            }
            case SPECTRAL: {
                SpectralDensity.Result r = SpectralDensity.compute(v, p, SpectralDensity.Options.defaults());
                b.spectral = new SpectralJson(spectrum(r.radial()), spectrum(r.x()), spectrum(r.y()), spectrum(r.z()),
                        r.peakWavenumber(), r.correlationLength());
                break;
            }
            default:
                break; // FRACTIONS and TPB are volume-wide, computed once above
        }
    }

    private static CurveJson spectrum(dev.microforge.evaluator.correlation.Spectrum s) {
        return s == null ? null : new CurveJson(s.k(), s.density());
    }

    private List<String> plot(PhaseJson p, String unit) throws IOException {
        List<String> files = new ArrayList<>();
        String tag = p.name() + "-" + p.phase();
        String length = "distance (" + unit + ")";
        if (p.twoPointCorrelation() != null) {
            files.add(directional(p.twoPointCorrelation(), "s2-" + tag, "Two-point correlation S2, " + p.name(),
                    length, "S2"));
        }
        if (p.clusterFunction() != null) {
            files.add(directional(p.clusterFunction(), "c2-" + tag, "Two-point cluster function C2, " + p.name(),
                    length, "C2"));
        }
        if (p.surfaceSurfaceCorrelation() != null) {
            files.add(directional(p.surfaceSurfaceCorrelation(), "fss-" + tag, "Surface-surface correlation, "
                    + p.name(), length, "Fss"));
        }
        if (p.threePointCorrelation() != null) {
            Plots.Series s = new Plots.Series();
            p.threePointCorrelation().forEach((k, c) -> s.add(k, c.distance(), c.value()));
            files.add(write("s3-" + tag, f -> Plots.lines(f, "Three-point correlation (equilateral), " + p.name(),
                    "triangle side (" + unit + ")", "S3", s, false, force)));
        }
        if (p.linealPath() != null) {
            Plots.Series s = new Plots.Series();
            p.linealPath().forEach((k, c) -> s.add(k, c.distance(), c.value()));
            files.add(write("lineal-path-" + tag, f -> Plots.lines(f, "Lineal path L, " + p.name(), length, "L",
                    s, false, force)));
        }
        if (p.chordLengths() != null) {
            Plots.Series s = new Plots.Series();
            for (ChordJson c : p.chordLengths()) {
                double[] x = new double[c.counts().length];
                double[] y = new double[c.counts().length];
                double edge = c.chords() == 0 ? 1 : c.mean() / Math.max(1e-300, meanVoxels(c.counts()));
                for (int i = 0; i < x.length; i++) {
                    x[i] = i * edge;
                    y[i] = c.chords() == 0 ? 0 : (double) c.counts()[i] / c.chords();
                }
                s.add(c.axis(), x, y);
            }
            files.add(write("chord-length-" + tag, f -> Plots.lines(f, "Chord-length distribution, " + p.name(),
                    "chord length (" + unit + ")", "probability", s, false, force)));
        }
        if (p.poreSizeDistribution() != null) {
            PoreSizeJson ps = p.poreSizeDistribution();
            Plots.Series s = new Plots.Series().add("volume fraction", ps.diameters(), ps.volumeFractions());
            files.add(write("local-thickness-" + tag, f -> Plots.bars(f, "Size distribution by local thickness, "
                    + p.name(), "diameter (" + unit + ")", "volume fraction", s, force)));
        }
        if (p.particles() != null && p.particles().count() > 0) {
            ParticlesJson pj = p.particles();
            double[] centres = new double[pj.numberFractions().length];
            for (int i = 0; i < centres.length; i++) {
                centres[i] = 0.5 * (pj.binEdges()[i] + pj.binEdges()[i + 1]);
            }
            Plots.Series s = new Plots.Series().add("by number", centres, pj.numberFractions())
                    .add("by volume", centres, pj.volumeFractions());
            files.add(write("particle-size-" + tag, f -> Plots.lines(f, "Particle-size distribution (watershed), "
                    + p.name(), "equivalent diameter (" + unit + ")", "fraction", s, false, force)));
        }
        if (p.spectralDensity() != null) {
            SpectralJson sd = p.spectralDensity();
            Plots.Series s = new Plots.Series();
            if (sd.radial() != null) {
                s.add("radial", sd.radial().distance(), sd.radial().value());
            }
            files.add(write("spectral-density-" + tag, f -> Plots.lines(f, "Spectral density, " + p.name(),
                    "wavenumber (rad/" + unit + ")", "spectral density", s, true, force)));
        }
        return files;
    }

    private static double meanVoxels(long[] counts) {
        long n = 0;
        double s = 0;
        for (int i = 0; i < counts.length; i++) {
            n += counts[i];
            s += (double) i * counts[i];
        }
        return n == 0 ? 1 : s / n;
    }

    private interface PlotWriter {
        void write(Path file) throws IOException;
    }

    private String write(String name, PlotWriter writer) throws IOException {
        Path file = plots.resolve(name + ".png");
        writer.write(file);
        return file.toString();
    }

    private String directional(DirectionalJson d, String name, String title, String xLabel, String yLabel)
            throws IOException {
        Plots.Series s = new Plots.Series();
        if (d.x() != null) {
            s.add("x", d.x().distance(), d.x().value());
        }
        if (d.y() != null) {
            s.add("y", d.y().distance(), d.y().value());
        }
        if (d.z() != null) {
            s.add("z", d.z().distance(), d.z().value());
        }
        if (d.radial() != null) {
            s.add("radial", d.radial().distance(), d.radial().value());
        }
        return write(name, f -> Plots.lines(f, title, xLabel, yLabel, s, false, force));
    }

    private static void printText(PrintStream out, OutputJson o) {
        out.printf(Locale.ROOT, "file %s (%d x %d x %d), lengths in %s%n", o.path(), o.nx(), o.ny(), o.nz(),
                o.lengthUnit());
        out.println("volume fractions " + o.volumeFractions());
        if (o.interfacialArea() != null) {
            for (InterfaceJson i : o.interfacialArea()) {
                out.printf(Locale.ROOT, "interface %d|%d: %.4g (face count), %.4g (marching cubes) per %s%n", i.a(),
                        i.b(), i.faceCount(), i.marchingCubes(), o.lengthUnit());
            }
        }
        if (o.triplePhaseBoundary() != null) {
            out.printf(Locale.ROOT, "triple-phase boundary density %.4g %s^-2%n",
                    o.triplePhaseBoundary().lengthDensity(), o.lengthUnit());
        }
        for (PhaseJson p : o.phases()) {
            out.printf(Locale.ROOT, "%nphase %d (%s): volume fraction %.4f%n", p.phase(), p.name(), p.volumeFraction());
            if (p.specificSurfaceArea() != null) {
                out.printf(Locale.ROOT, "  specific surface area %.4g (marching cubes), %.4g (face count) per %s%n",
                        p.specificSurfaceArea().marchingCubes(), p.specificSurfaceArea().faceCount(), o.lengthUnit());
            }
            if (p.connectivity() != null) {
                for (PercolationJson a : p.connectivity().axes()) {
                    out.printf(Locale.ROOT, "  along %s: percolating %.4f, dead-end %.4f, isolated %.4f%n", a.axis(),
                            a.percolatingFraction(), a.deadEndFraction(), a.isolatedFraction());
                }
            }
            if (p.chordLengths() != null) {
                for (ChordJson c : p.chordLengths()) {
                    out.printf(Locale.ROOT, "  mean chord along %s: %.4g %s (%d chords)%n", c.axis(), c.mean(),
                            o.lengthUnit(), c.chords());
                }
            }
            if (p.poreSizeDistribution() != null) {
                PoreSizeJson ps = p.poreSizeDistribution();
                out.printf(Locale.ROOT, "  local thickness d10/d50/d90 %.4g / %.4g / %.4g %s%n", ps.d10(), ps.d50(),
                        ps.d90(), o.lengthUnit());
            }
            if (p.particles() != null) {
                out.printf(Locale.ROOT, "  particles %d, mean equivalent diameter %.4g %s, mean sphericity %.3f%n",
                        p.particles().count(), p.particles().meanEquivalentDiameter(), o.lengthUnit(),
                        p.particles().meanSphericity());
            }
            if (p.spectralDensity() != null) {
                out.printf(Locale.ROOT, "  correlation length %.4g %s%n", p.spectralDensity().correlationLength(),
                        o.lengthUnit());
            }
        }
        if (o.plots() != null) {
            out.println();
            out.println("plots:");
            o.plots().forEach(f -> out.println("  " + f));
        }
        out.flush();
    }
}
