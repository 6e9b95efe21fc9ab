package dev.microforge.cli;

import dev.microforge.datasets.Volume;
import dev.microforge.datasets.VoxelSize;
import dev.microforge.datasets.io.VolumeIO;
import dev.microforge.evaluator.correlation.SpectralDensity;
import dev.microforge.generator.field.FourierReconstruction;
import dev.microforge.generator.field.GaussianRandomField;
import dev.microforge.generator.tessellation.HierarchicalReconstruction;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/** The field-based reconstruction methods of {@code microforge reconstruct}. */
final class ReconstructFieldCommands {
    private ReconstructFieldCommands() {
    }

    /** What every field method prints. */
    record SummaryJson(String method, List<String> files, int nx, int ny, int nz, Map<String, Double> fractions,
            double[] targetFractions, double seconds) {
    }

    static Integer finish(CliContext context, GeneratedOutput output, String method, Volume volume, double[] target,
            long t0) throws java.io.IOException {
        double seconds = (System.nanoTime() - t0) / 1e9;
        List<String> files = output.write(volume, context);
        SummaryJson s = new SummaryJson(method, files, volume.nx(), volume.ny(), volume.nz(),
                GeneratedOutput.fractionsOf(volume), target, seconds);
        if (output.json) {
            Json.print(context.out(), s);
        } else {
            context.out().printf(Locale.ROOT, "%s: %s (%.1f s)%n", method, GeneratedOutput.describe(volume), seconds);
            files.forEach(f -> context.out().println("wrote " + f));
            context.out().flush();
        }
        return Main.OK;
    }

    /** {@code reconstruct grf}. */
    @Command(name = "grf", mixinStandardHelpOptions = true, sortOptions = false,
            description = {"Gaussian random field with a given spectral density, level-cut to the target fractions "
                    + "(2 or 3 phases): Cahn's wave-form method (--method waves) or white noise filtered by the "
                    + "square root of the spectral density (--method fft, default).",
                "Spectrum: --spectrum-from VOLUME (the phase's measured radial spectral density), or a Debye "
                    + "spectrum with --correlation-length (default), or a peak with --peak K0 --width W."})
    static final class Grf implements Callable<Integer> {
        @ParentCommand
        ReconstructCommand parent;

        @Mixin
        GeneratedOutput output;

        @Option(names = "--method", paramLabel = "fft|waves", description = "Synthesis method (default fft).")
        String method = "fft";

        @Option(names = "--correlation-length", paramLabel = "VOXELS",
                description = "Debye correlation length in voxels (default 4).")
        double correlationLength = 4;

        @Option(names = "--peak", paramLabel = "K0", description = "Peak wavenumber, rad/voxel (Gaussian spectrum).")
        Double peak;

        @Option(names = "--width", paramLabel = "W", description = "Peak width, rad/voxel (default 0.1).")
        double width = 0.1;

        @Option(names = "--spectrum-from", paramLabel = "VOLUME", description = "Measure the target spectrum here.")
        Path spectrumFrom;

        @Option(names = "--phase", paramLabel = "P", description = "Phase of --spectrum-from (default: lowest).")
        String phase;

        @Option(names = "--anisotropy", paramLabel = "SX,SY,SZ",
                description = "Stretch of the structure along x, y, z (default 1,1,1).")
        String anisotropy = "1,1,1";

        @Override
        public Integer call() throws Exception {
            CliContext context = parent.context();
            output.checkWritable();
            int[] d = output.dimensions();
            double[] fractions = output.fractions(new double[] {0.5, 0.5});
            GaussianRandomField.Target target;
            if (spectrumFrom != null) {
                Volume v = VolumeIO.read(spectrumFrom).withVoxelSize(VoxelSize.UNKNOWN); // rad/voxel
                int p = phase == null ? v.labelHistogram().firstKey() : PhaseArgument.resolve(phase, v)[0];
                SpectralDensity.Result sd = SpectralDensity.compute(v, p, SpectralDensity.Options.defaults());
                target = GaussianRandomField.Target.measured(sd.radial().k(), sd.radial().density());
            } else if (peak != null) {
                target = GaussianRandomField.Target.gaussian(peak, width);
            } else {
                target = GaussianRandomField.Target.debye(correlationLength);
            }
            double[] s = parseTriple(anisotropy, "--anisotropy");
            GaussianRandomField.Method m;
            try {
                m = GaussianRandomField.Method.valueOf(method.trim().toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("--method must be fft or waves, got '" + method + "'");
            }
            GaussianRandomField.Options options = GaussianRandomField.Options.defaults().withMethod(m)
                    .withScale(s[0], s[1], s[2]);
            long t0 = System.nanoTime();
            GaussianRandomField.Result r = GaussianRandomField.generate(d[0], d[1], d[2], fractions, target, options,
                    output.voxelSize(), output.seed);
            return finish(context, output, "grf", r.phases(), fractions, t0);
        }
    }

    /** {@code reconstruct fourier}. */
    @Command(name = "fourier", mixinStandardHelpOptions = true, sortOptions = false,
            description = {"Fourier (linear time-invariant filter) reconstruction from an exemplar (Iyer et al.): "
                    + "white noise filtered to the exemplar's two-point statistics and level-cut to its fractions, "
                    + "with the level-cut correction of the target covariance (Quiblier). A 2D exemplar is treated "
                    + "as a section of an isotropic material."})
    static final class Fourier implements Callable<Integer> {
        @ParentCommand
        ReconstructCommand parent;

        @Mixin
        GeneratedOutput output;

        @Option(names = "--exemplar", paramLabel = "IMAGE|VOLUME", required = true,
                description = "2D image or 3D volume to imitate.")
        Path exemplar;

        @Option(names = "--anisotropic", description = "Keep the exemplar's directions (3D exemplars).")
        boolean anisotropic;

        @Option(names = "--no-correction", description = "Iyer's plain filter, without the level-cut correction.")
        boolean noCorrection;

        @Override
        public Integer call() throws Exception {
            CliContext context = parent.context();
            output.checkWritable();
            int[] d = output.dimensions();
            Volume e = VolumeIO.read(exemplar).compactLabels(); // labels 0..P-1 in order of value
            FourierReconstruction.Options options = new FourierReconstruction.Options(anisotropic
                    ? FourierReconstruction.Mode.ANISOTROPIC : FourierReconstruction.Mode.ISOTROPIC, !noCorrection,
                    output.fractions == null ? null : output.fractions(null));
            long t0 = System.nanoTime();
            FourierReconstruction.Result r = FourierReconstruction.reconstruct(e, d[0], d[1], d[2], options,
                    e.voxelSize().isKnown() ? e.voxelSize() : output.voxelSize(), output.seed);
            return finish(context, output, "fourier", r.phases(), r.fractions(), t0);
        }
    }

    /** {@code reconstruct tessellation}. */
    @Command(name = "tessellation", mixinStandardHelpOptions = true, sortOptions = false,
            description = {"Hierarchical reconstruction (Hein et al.): Laguerre (power) tessellation of random "
                    + "seeds with radii, particles grown in their cells with boundaries perturbed by a Gaussian "
                    + "random field, cut to the solid fraction; with three fractions the CBD goes to the gaps "
                    + "between two particles."})
    static final class Tessellation implements Callable<Integer> {
        @ParentCommand
        ReconstructCommand parent;

        @Mixin
        GeneratedOutput output;

        @Option(names = "--particles", paramLabel = "N", description = "Number of seeds (default: fills the box).")
        Integer particles;

        @Option(names = "--radius", paramLabel = "VOXELS", description = "Mean particle radius (default 6).")
        double radius = 6;

        @Option(names = "--radius-sd", paramLabel = "VOXELS", description = "Radius deviation (default 1.5).")
        double radiusSd = 1.5;

        @Option(names = "--amplitude", paramLabel = "VOXELS", description = "Boundary roughness (default 2).")
        double amplitude = 2;

        @Option(names = "--roughness-length", paramLabel = "VOXELS",
                description = "Correlation length of the roughness (default 3).")
        double roughnessLength = 3;

        @Override
        public Integer call() throws Exception {
            CliContext context = parent.context();
            output.checkWritable();
            int[] d = output.dimensions();
            double[] fractions = output.fractions(new double[] {0.4, 0.6});
            int count = particles != null ? particles
                    : (int) Math.max(1, Math.round((double) d[0] * d[1] * d[2] / (4.0 / 3 * Math.PI * Math.pow(
                            radius, 3))));
            long t0 = System.nanoTime();
            double[][] seeds = HierarchicalReconstruction.randomSeeds(d[0], d[1], d[2], count, radius, radiusSd,
                    output.seed);
            HierarchicalReconstruction.Result r = HierarchicalReconstruction.generate(d[0], d[1], d[2], seeds,
                    fractions, new HierarchicalReconstruction.Options(amplitude, roughnessLength, true),
                    output.voxelSize(), output.seed);
            return finish(context, output, "tessellation", r.phases(), fractions, t0);
        }
    }

    static double[] parseTriple(String text, String option) {
        String[] p = text.split(",");
        if (p.length != 3) {
            throw new IllegalArgumentException(option + " must be three numbers a,b,c, got '" + text + "'");
        }
        try {
            return new double[] {Double.parseDouble(p[0].trim()), Double.parseDouble(p[1].trim()),
                Double.parseDouble(p[2].trim())};
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(option + " must be three numbers a,b,c, got '" + text + "'");
        }
    }
}
