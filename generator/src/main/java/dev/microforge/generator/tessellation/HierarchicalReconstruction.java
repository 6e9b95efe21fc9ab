package dev.microforge.generator.tessellation;

import dev.microforge.datasets.FloatVolume;
import dev.microforge.datasets.Volume;
import dev.microforge.datasets.VoxelSize;
import dev.microforge.generator.LevelCut;
import dev.microforge.generator.field.GaussianRandomField;
import java.util.Arrays;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * Hierarchical particle reconstruction: a Laguerre tessellation of seed spheres gives each voxel its particle; the
 * particle's surface is perturbed by a Gaussian random field and the solid fraction is hit exactly by a level cut
 * (after Hein, Feinauer, Westhoff, Neumann, Schmidt and Latz, "Stochastic microstructure modeling and
 * electrochemical simulation of lithium-ion cell anodes in 3D", J. Power Sources 336 (2016) 161, and Westhoff,
 * Finegan, Shearing and Schmidt, "Algorithmic structural segmentation of defective particle systems", Comput.
 * Mater. Sci. 2018: particles as Laguerre cells whose boundaries are deformed by a random field).
 *
 * <p>Field: {@code F(x) = -(d_i(x) - r_i) + a g(x)}, {@code i} the power-nearest seed, {@code d_i - r_i} the signed
 * distance to its sphere (voxels; {@code d_i^2 = pd_i + r_i^2}), {@code g} a unit-variance periodic GRF with
 * Gaussian covariance {@code exp(-|r|^2 / (2 l^2))} ({@link GaussianRandomField}, spectrum {@code exp(-k^2 l^2 / 2)}),
 * {@code a} the amplitude in voxels. Solid (label 1) is the top {@code fractions[1]} of F, pore (label 0) the rest:
 * {@link LevelCut#toFractions}, exact to one voxel. A shared power-cell boundary keeps neighbouring particles apart
 * in the sense that each voxel belongs to exactly one particle ({@link Result#particle()}).
 *
 * <p>Three phases (pore 0, active 1, CBD 2): after the solid cut, CBD fills the pore voxels of smallest neck score
 * {@code max(d_1 - r_1, d_2 - r_2)} over the nearest and second-nearest particle, i.e. the pore between two close
 * particles (bridges), exactly to {@code fractions[2]}. This is a cheap stand-in for "narrowest pore regions" (a
 * local-thickness criterion would be closer); it does not model CBD porosity.
 *
 * <p>Units: voxels; layout x fastest. Memory: about 28 bytes per voxel (tessellation 16, field 4, GRF buffer 16
 * transiently).
 */
public final class HierarchicalReconstruction {
    private HierarchicalReconstruction() {
    }

    /**
     * Options.
     *
     * @param amplitude standard deviation of the boundary perturbation, voxels (0 = spheres cut by power cells)
     * @param correlationLength correlation length l of the perturbation, voxels
     * @param periodic periodic tessellation (the GRF is always periodic)
     */
    public record Options(double amplitude, double correlationLength, boolean periodic) {
        public Options {
            if (!(amplitude >= 0) || Double.isInfinite(amplitude)) {
                throw new IllegalArgumentException("amplitude must be finite and >= 0 voxels, got " + amplitude);
            }
            if (!(correlationLength >= 0.5) || Double.isInfinite(correlationLength)) {
                throw new IllegalArgumentException("correlationLength must be finite and >= 0.5 voxels, got "
                        + correlationLength);
            }
        }

        /** Amplitude 2 voxels, correlation length 3 voxels, periodic. */
        public static Options defaults() {
            return new Options(2, 3, true);
        }
    }

    /**
     * A reconstruction.
     *
     * @param phases pore 0, active 1 (and CBD 2)
     * @param particle seed index of each voxel's power cell (x fastest)
     * @param field the combined field F before the cut
     * @param level the solid cut level (smallest F among solid voxels)
     * @param seed the seed used
     */
    public record Result(Volume phases, int[] particle, FloatVolume field, double level, long seed) {
    }

    /**
     * Builds the structure.
     *
     * @param seeds {@code {x, y, z, r}} per particle, voxels (see {@link LaguerreTessellation})
     * @param fractions {pore, active} or {pore, active, CBD}
     * @throws IllegalArgumentException for bad fractions, options, seeds or dimensions (each at least 2)
     */
    public static Result generate(int nx, int ny, int nz, double[][] seeds, double[] fractions, Options options,
            VoxelSize voxelSize, long seed) {
        LevelCut.checkFractions(fractions);
        if (fractions.length > 3) {
            throw new IllegalArgumentException("give 2 or 3 fractions (pore, active[, CBD]), got "
                    + Arrays.toString(fractions));
        }
        if (options == null) {
            throw new IllegalArgumentException("options are required; use Options.defaults()");
        }
        VoxelSize vs = voxelSize == null ? VoxelSize.UNKNOWN : voxelSize;
        LaguerreTessellation.Result t = LaguerreTessellation.compute(nx, ny, nz, seeds,
                new LaguerreTessellation.Options(options.periodic()));
        float[] g = options.amplitude() > 0 ? GaussianRandomField.field(nx, ny, nz,
                GaussianRandomField.Target.gaussian(0, 1 / options.correlationLength()),
                GaussianRandomField.Options.defaults(), seed).toArray() : null;
        int n = t.cell().length;
        float[] f = new float[n];
        for (int i = 0; i < n; i++) {
            double r = seeds[t.cell()[i]][3];
            double d = Math.sqrt(Math.max(0, t.powerDistance()[i] + r * r));
            f[i] = (float) (-(d - r) + (g == null ? 0 : options.amplitude() * g[i]));
        }
        double solid = fractions[1];
        Volume two = LevelCut.toFractions(f, nx, ny, nz, new double[] {1 - solid, solid}, vs);
        double level = Double.POSITIVE_INFINITY;
        for (int i = 0; i < n; i++) {
            if (two.get(i) == 1) {
                level = Math.min(level, f[i]);
            }
        }
        Volume phases = two;
        if (fractions.length == 3 && fractions[2] > 0) {
            phases = placeCbd(two, t, seeds, fractions, vs);
        }
        return new Result(phases, t.cell(), FloatVolume.of(nx, ny, nz, f, vs), level, seed);
    }

    private static Volume placeCbd(Volume two, LaguerreTessellation.Result t, double[][] seeds, double[] fractions,
            VoxelSize vs) {
        int n = t.cell().length;
        int[] pore = new int[n];
        int m = 0;
        for (int i = 0; i < n; i++) {
            if (two.get(i) == 0) {
                pore[m++] = i;
            }
        }
        byte[] labels = two.toArray();
        if (m == 0) {
            return two;
        }
        float[] score = new float[m];
        for (int k = 0; k < m; k++) {
            int i = pore[k];
            double r1 = seeds[t.cell()[i]][3];
            double s1 = Math.sqrt(Math.max(0, t.powerDistance()[i] + r1 * r1)) - r1;
            double s2 = s1;
            if (t.second()[i] >= 0) {
                double r2 = seeds[t.second()[i]][3];
                s2 = Math.sqrt(Math.max(0, t.secondPowerDistance()[i] + r2 * r2)) - r2;
            }
            score[k] = (float) Math.max(s1, s2);
        }
        // share of the pore voxels that becomes CBD, rounded to whole voxels of the full volume
        long cbd = Math.min(m, Math.round(fractions[2] * n));
        double cbdShare = cbd / (double) m;
        Volume cut = LevelCut.toFractions(score, m, 1, 1, new double[] {cbdShare, 1 - cbdShare}, vs);
        for (int k = 0; k < m; k++) {
            if (cut.get(k) == 0) {
                labels[pore[k]] = 2;
            }
        }
        return Volume.of(two.nx(), two.ny(), two.nz(), labels, vs);
    }

    /**
     * Random seeds for a quick structure: {@code count} centres uniform in the box, radii normal with the given mean
     * and standard deviation, truncated to at least 0.5 voxel.
     *
     * @return {@code {x, y, z, r}} per seed, voxels
     * @throws IllegalArgumentException for a non-positive count or mean radius, or a negative deviation
     */
    public static double[][] randomSeeds(int nx, int ny, int nz, int count, double meanRadius, double sdRadius,
            long seed) {
        if (count < 1 || !(meanRadius > 0) || !(sdRadius >= 0) || Double.isInfinite(meanRadius + sdRadius)) {
            throw new IllegalArgumentException(String.format(Locale.ROOT,
                    "random seeds need count >= 1, mean radius > 0 and sd >= 0, got %d, %s, %s", count, meanRadius,
                    sdRadius));
        }
        SplittableRandom rng = new SplittableRandom(seed);
        double[][] s = new double[count][];
        for (int i = 0; i < count; i++) {
            s[i] = new double[] {nx * rng.nextDouble(), ny * rng.nextDouble(), nz * rng.nextDouble(),
                Math.max(0.5, meanRadius + sdRadius * rng.nextGaussian())};
        }
        return s;
    }
}
