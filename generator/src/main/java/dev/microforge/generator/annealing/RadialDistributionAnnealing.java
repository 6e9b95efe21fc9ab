package dev.microforge.generator.annealing;

import dev.microforge.datasets.Volume;
import dev.microforge.datasets.VolumeBuilder;
import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * Particle-packing reconstruction by Markov-chain Monte Carlo on the radial distribution function of the particle
 * centres, after Stephenson et al. (D. E. Stephenson, B. C. Walker, C. B. Skelton, E. P. Gorzkowski, D. J. Rowenhorst,
 * D. R. Wheeler, "Modeling 3D microstructure and ion transport in porous Li-ion battery electrodes", J. Electrochem.
 * Soc. 158 (2011) A781), who placed particles by Metropolis moves scored against measured statistics. Here the score
 * is the pair-correlation function alone:
 * <pre>  g(r_k) = 2 H_k / (M rho V_k),   rho = M / (nx ny nz),   V_k = 4/3 pi (r_{k+1}^3 - r_k^3)
 *   E = sum_k (g(r_k) - g*(r_k))^2</pre>
 * with {@code H_k} the number of centre pairs whose minimum-image distance lies in bin
 * {@code [k dr, (k+1) dr)} of the periodic box. A move displaces one particle by a uniform step in
 * {@code [-maxStep, maxStep]^3}; its histogram change is found from that particle's M - 1 distances before and after
 * ({@code O(M)} per move, no recomputation), accepted by the Metropolis rule with geometric cooling as in
 * {@link SimulatedAnnealing}. Overlap is not forbidden: the target's empty bins below contact (2 radius for a
 * hard-sphere target) are what keeps particles apart, which is the honest test of the energy.
 *
 * <p>Units: voxel edges; centres are continuous coordinates in {@code [0, n)} per axis, voxel {@code (x, y, z)} has
 * its centre at {@code (x + 0.5, y + 0.5, z + 0.5)}. Output: voxels within {@code radius} of a centre (periodic) get
 * label 1, the rest 0. Bins must end at or before half the smallest box side (minimum image). Memory: 24 bytes per
 * particle; the output volume 1 byte per voxel.
 */
public final class RadialDistributionAnnealing {
    private RadialDistributionAnnealing() {
    }

    /**
     * Target pair-correlation function.
     *
     * @param binWidth dr, voxel edges, > 0
     * @param g g at bins {@code [k dr, (k+1) dr)}, k = 0..bins-1
     */
    public record Target(double binWidth, double[] g) {
        public Target {
            if (!(binWidth > 0) || Double.isInfinite(binWidth)) {
                throw new IllegalArgumentException("binWidth must be a positive number of voxels, got " + binWidth);
            }
            if (g == null || g.length == 0) {
                throw new IllegalArgumentException("g needs at least one bin, got "
                        + (g == null ? "null" : "none"));
            }
        }

        /** g of a configuration of centres ({@code centres[i] = {x, y, z}}) in a periodic box. */
        public static Target fromCentres(double[][] centres, int nx, int ny, int nz, double binWidth, int bins) {
            return new Target(binWidth, rdf(centres, nx, ny, nz, binWidth, bins));
        }
    }

    /**
     * Pair-correlation function g of centres in a periodic {@code nx x ny x nz} box, bins of width {@code binWidth}.
     *
     * @throws IllegalArgumentException when the bins reach past half the smallest side or fewer than 2 centres
     */
    public static double[] rdf(double[][] centres, int nx, int ny, int nz, double binWidth, int bins) {
        if (centres == null || centres.length < 2) {
            throw new IllegalArgumentException("g needs at least 2 centres, got "
                    + (centres == null ? "null" : centres.length));
        }
        checkBins(nx, ny, nz, binWidth, bins);
        Geometry geo = new Geometry(nx, ny, nz, binWidth, bins, centres.length);
        long[] h = new long[bins];
        for (int i = 0; i < centres.length; i++) {
            for (int j = i + 1; j < centres.length; j++) {
                int k = geo.bin(centres[i], centres[j]);
                if (k >= 0) {
                    h[k]++;
                }
            }
        }
        double[] g = new double[bins];
        for (int k = 0; k < bins; k++) {
            g[k] = h[k] * geo.norm[k];
        }
        return g;
    }

    private static void checkBins(int nx, int ny, int nz, double binWidth, int bins) {
        if (nx < 1 || ny < 1 || nz < 1) {
            throw new IllegalArgumentException("box must be at least 1 voxel per side, got " + nx + " x " + ny
                    + " x " + nz);
        }
        double half = 0.5 * Math.min(nx, Math.min(ny, nz));
        if (bins < 1 || !(binWidth > 0) || bins * binWidth > half + 1e-9) {
            throw new IllegalArgumentException("bins x binWidth = " + bins + " x " + binWidth
                    + " must be positive and at most half the smallest box side, " + half + "; use fewer bins");
        }
    }

    /**
     * Random sequential addition of non-overlapping spheres (centre distance >= 2 radius, periodic): the classic
     * hard-sphere reference configuration.
     *
     * @throws IllegalArgumentException when {@code count} spheres do not fit after {@code 1000 count} attempts
     */
    public static double[][] randomSequentialAddition(int nx, int ny, int nz, int count, double radius, long seed) {
        if (count < 1 || !(radius > 0)) {
            throw new IllegalArgumentException("need count >= 1 and radius > 0, got " + count + " and " + radius);
        }
        Geometry geo = new Geometry(nx, ny, nz, 1, 0, count);
        SplittableRandom random = new SplittableRandom(seed);
        double[][] c = new double[count][];
        int placed = 0;
        double contact = 4 * radius * radius;
        for (long attempt = 0; placed < count; attempt++) {
            if (attempt > 1000L * count) {
                throw new IllegalArgumentException("only " + placed + " of " + count + " spheres of radius " + radius
                        + " fit by random sequential addition in " + nx + " x " + ny + " x " + nz
                        + "; lower the count or the radius");
            }
            double[] p = {random.nextDouble() * nx, random.nextDouble() * ny, random.nextDouble() * nz};
            boolean free = true;
            for (int j = 0; j < placed && free; j++) {
                free = geo.distanceSquared(p, c[j]) >= contact;
            }
            if (free) {
                c[placed++] = p;
            }
        }
        return c;
    }

    /**
     * Options.
     *
     * @param nx box size along x, voxels (likewise ny, nz)
     * @param particles number of particles M, >= 2
     * @param radius sphere radius used for the output volume, voxels, > 0
     * @param maxStep largest displacement per coordinate of a move, voxels, > 0
     * @param targetRmse stop when {@code sqrt(E / bins)} falls to this, >= 0
     * @param maxMoves limit on trial moves, >= 1
     * @param timeLimitSeconds wall-clock limit, > 0
     * @param initialTemperatureScale T0 / mean |dE| of random moves, >= 0
     * @param coolingFactor geometric cooling in (0, 1]
     * @param movesPerTemperature trial moves per temperature, >= 1
     * @param stagnationTemperatures stop after this many temperatures without a 0.1 % gain, >= 1
     * @param seed random seed
     */
    public record Options(int nx, int ny, int nz, int particles, double radius, double maxStep, double targetRmse,
            long maxMoves, double timeLimitSeconds, double initialTemperatureScale, double coolingFactor,
            long movesPerTemperature, int stagnationTemperatures, long seed) {
        public Options {
            if (nx < 1 || ny < 1 || nz < 1) {
                throw new IllegalArgumentException("box must be at least 1 voxel per side, got " + nx + " x " + ny
                        + " x " + nz);
            }
            if (particles < 2) {
                throw new IllegalArgumentException("particles must be >= 2 (g needs pairs), got " + particles);
            }
            if (!(radius > 0) || !(maxStep > 0) || Double.isInfinite(radius) || Double.isInfinite(maxStep)) {
                throw new IllegalArgumentException("radius and maxStep must be positive voxel lengths, got "
                        + radius + " and " + maxStep);
            }
            if (!(targetRmse >= 0) || maxMoves < 1 || !(timeLimitSeconds > 0)) {
                throw new IllegalArgumentException("need targetRmse >= 0, maxMoves >= 1, timeLimitSeconds > 0, got "
                        + targetRmse + ", " + maxMoves + ", " + timeLimitSeconds);
            }
            if (!(initialTemperatureScale >= 0) || !(coolingFactor > 0 && coolingFactor <= 1)) {
                throw new IllegalArgumentException("need initialTemperatureScale >= 0 and coolingFactor in (0, 1], got "
                        + initialTemperatureScale + " and " + coolingFactor + "; typical 0.1 and 0.9");
            }
            if (movesPerTemperature < 1 || stagnationTemperatures < 1) {
                throw new IllegalArgumentException("movesPerTemperature and stagnationTemperatures must be >= 1, got "
                        + movesPerTemperature + " and " + stagnationTemperatures);
            }
        }

        /** 32^3 box, 150 particles of radius 2, steps of 1 voxel, 0.05 RMSE, 10 s, seed 1. */
        public static Options defaults() {
            return new Options(32, 32, 32, 150, 2, 1, 0.05, Long.MAX_VALUE, 10, 0.1, 0.9, 20_000, 20, 1L);
        }
    }

    /**
     * Result.
     *
     * @param volume voxelised spheres, label 1 inside
     * @param centres final centres {x, y, z}, voxel edges
     * @param g their pair-correlation function on the target's bins
     * @param errorCurveSeconds wall time of each curve point
     * @param errorCurve best-so-far RMSE of g at those times (non-increasing)
     * @param finalRmse {@code sqrt(mean_k (g - g*)^2)} of the returned centres
     */
    public record Result(Volume volume, double[][] centres, double[] g, double[] errorCurveSeconds,
            double[] errorCurve, long movesTried, long movesAccepted, double seconds, double finalRmse,
            SimulatedAnnealing.Stop stop) {
    }

    /** Anneals uniformly random centres toward the target g. */
    public static Result reconstruct(Target target, Options o, SimulatedAnnealing.Listener listener) {
        if (target == null || o == null) {
            throw new IllegalArgumentException("target and options are required; use Options.defaults()");
        }
        SimulatedAnnealing.Listener out = listener == null ? SimulatedAnnealing.Listener.NONE : listener;
        int bins = target.g().length;
        checkBins(o.nx(), o.ny(), o.nz(), target.binWidth(), bins);
        Geometry geo = new Geometry(o.nx(), o.ny(), o.nz(), target.binWidth(), bins, o.particles());
        SplittableRandom random = new SplittableRandom(o.seed());
        int m = o.particles();
        double[][] c = new double[m][];
        for (int i = 0; i < m; i++) {
            c[i] = new double[] {random.nextDouble() * o.nx(), random.nextDouble() * o.ny(),
                random.nextDouble() * o.nz()};
        }
        long[] h = new long[bins];
        for (int i = 0; i < m; i++) {
            for (int j = i + 1; j < m; j++) {
                int k = geo.bin(c[i], c[j]);
                if (k >= 0) {
                    h[k]++;
                }
            }
        }
        double[] gt = target.g();
        long[] delta = new long[bins];
        double[] trial = new double[3];
        int[] size = {o.nx(), o.ny(), o.nz()};
        double e = energy(h, delta, geo.norm, gt);
        // initial temperature from random moves (not kept)
        double sum = 0;
        int probes = 500;
        for (int t = 0; t < probes; t++) {
            int i = random.nextInt(m);
            propose(c[i], trial, o.maxStep(), size, random);
            moveDelta(c, i, trial, geo, delta);
            sum += Math.abs(energy(h, delta, geo.norm, gt) - e);
        }
        double temperature = o.initialTemperatureScale() * sum / probes;
        long start = System.nanoTime();
        double[][] best = copy(c);
        double bestE = e;
        double[] times = {0};
        double[] curve = {Math.sqrt(e / bins)};
        int points = 1;
        long tried = 0;
        long accepted = 0;
        double staleRef = e;
        int stale = 0;
        SimulatedAnnealing.Stop stop = null;
        double targetE = o.targetRmse() * o.targetRmse() * bins;
        while (stop == null) {
            for (long k = 0; k < o.movesPerTemperature(); k++) {
                int i = random.nextInt(m);
                propose(c[i], trial, o.maxStep(), size, random);
                moveDelta(c, i, trial, geo, delta);
                double eNew = energy(h, delta, geo.norm, gt);
                tried++;
                double d = eNew - e;
                if (d <= 0 || (temperature > 0 && random.nextDouble() < Math.exp(-d / temperature))) {
                    for (int b = 0; b < bins; b++) {
                        h[b] += delta[b];
                    }
                    System.arraycopy(trial, 0, c[i], 0, 3);
                    e = eNew;
                    accepted++;
                    if (e <= targetE) {
                        stop = SimulatedAnnealing.Stop.TARGET_REACHED;
                        break;
                    }
                }
                if (tried >= o.maxMoves()) {
                    stop = SimulatedAnnealing.Stop.SWAP_LIMIT;
                    break;
                }
            }
            if (e < bestE) {
                bestE = e;
                best = copy(c);
            }
            double elapsed = (System.nanoTime() - start) * 1e-9;
            if (points == times.length) {
                times = Arrays.copyOf(times, 2 * points);
                curve = Arrays.copyOf(curve, 2 * points);
            }
            times[points] = elapsed;
            curve[points++] = Math.sqrt(bestE / bins);
            out.onProgress(tried, Math.sqrt(bestE / bins), elapsed);
            if (bestE < staleRef * 0.999) {
                staleRef = bestE;
                stale = 0;
            } else if (++stale >= o.stagnationTemperatures() && stop == null) {
                stop = SimulatedAnnealing.Stop.STAGNATION;
            }
            if (stop == null && elapsed >= o.timeLimitSeconds()) {
                stop = SimulatedAnnealing.Stop.TIME_LIMIT;
            }
            if (stop == null && Thread.currentThread().isInterrupted()) {
                stop = SimulatedAnnealing.Stop.INTERRUPTED;
            }
            temperature *= o.coolingFactor();
        }
        double[] g = rdf(best, o.nx(), o.ny(), o.nz(), target.binWidth(), bins);
        return new Result(voxelise(best, o.nx(), o.ny(), o.nz(), o.radius()), best, g, Arrays.copyOf(times, points),
                Arrays.copyOf(curve, points), tried, accepted, (System.nanoTime() - start) * 1e-9,
                Math.sqrt(bestE / bins), stop);
    }

    /** Voxels whose centre lies within {@code radius} of a sphere centre (periodic) get label 1. */
    public static Volume voxelise(double[][] centres, int nx, int ny, int nz, double radius) {
        VolumeBuilder b = VolumeBuilder.create(nx, ny, nz);
        byte[] v = b.array();
        int reach = (int) Math.ceil(radius) + 1;
        double r2 = radius * radius;
        for (double[] p : centres) {
            int cx = (int) Math.floor(p[0]);
            int cy = (int) Math.floor(p[1]);
            int cz = (int) Math.floor(p[2]);
            for (int dz = -reach; dz <= reach; dz++) {
                for (int dy = -reach; dy <= reach; dy++) {
                    for (int dx = -reach; dx <= reach; dx++) {
                        double ex = cx + dx + 0.5 - p[0];
                        double ey = cy + dy + 0.5 - p[1];
                        double ez = cz + dz + 0.5 - p[2];
                        if (ex * ex + ey * ey + ez * ez <= r2) {
                            v[Math.floorMod(cx + dx, nx) + nx * (Math.floorMod(cy + dy, ny)
                                    + ny * Math.floorMod(cz + dz, nz))] = 1;
                        }
                    }
                }
            }
        }
        return b.build();
    }

    private static void propose(double[] from, double[] to, double step, int[] size, SplittableRandom random) {
        for (int a = 0; a < 3; a++) {
            double v = from[a] + (2 * random.nextDouble() - 1) * step;
            v = v - Math.floor(v / size[a]) * size[a];
            to[a] = v >= size[a] ? 0 : v;
        }
    }

    /** Histogram change when particle i moves to {@code to}: O(M). */
    private static void moveDelta(double[][] c, int i, double[] to, Geometry geo, long[] delta) {
        Arrays.fill(delta, 0);
        for (int j = 0; j < c.length; j++) {
            if (j == i) {
                continue;
            }
            int before = geo.bin(c[i], c[j]);
            int after = geo.bin(to, c[j]);
            if (before != after) {
                if (before >= 0) {
                    delta[before]--;
                }
                if (after >= 0) {
                    delta[after]++;
                }
            }
        }
    }

    private static double energy(long[] h, long[] delta, double[] norm, double[] gt) {
        double e = 0;
        for (int k = 0; k < h.length; k++) {
            double d = (h[k] + delta[k]) * norm[k] - gt[k];
            e += d * d;
        }
        return e;
    }

    private static double[][] copy(double[][] c) {
        double[][] out = new double[c.length][];
        for (int i = 0; i < c.length; i++) {
            out[i] = c[i].clone();
        }
        return out;
    }

    /** Periodic minimum-image distances and the bin normalisation. */
    private static final class Geometry {
        final double lx;
        final double ly;
        final double lz;
        final double dr;
        final int bins;
        final double[] norm;

        Geometry(int nx, int ny, int nz, double dr, int bins, int particles) {
            this.lx = nx;
            this.ly = ny;
            this.lz = nz;
            this.dr = dr;
            this.bins = bins;
            this.norm = new double[bins];
            double rho = particles / ((double) nx * ny * nz);
            for (int k = 0; k < bins; k++) {
                double shell = 4.0 / 3.0 * Math.PI * (Math.pow((k + 1) * dr, 3) - Math.pow(k * dr, 3));
                norm[k] = 2.0 / (particles * rho * shell);
            }
        }

        double distanceSquared(double[] a, double[] b) {
            double dx = image(a[0] - b[0], lx);
            double dy = image(a[1] - b[1], ly);
            double dz = image(a[2] - b[2], lz);
            return dx * dx + dy * dy + dz * dz;
        }

        int bin(double[] a, double[] b) {
            int k = (int) (Math.sqrt(distanceSquared(a, b)) / dr);
            return k < bins ? k : -1;
        }

        private static double image(double d, double l) {
            d = Math.abs(d);
            return d > 0.5 * l ? l - d : d;
        }
    }
}
