package dev.microforge.generator.binder;

import dev.microforge.datasets.Volume;
import dev.microforge.datasets.VolumeBuilder;
import java.util.Arrays;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * Grows a carbon-binder domain (CBD) into the pore of an electrode volume by weighted Monte-Carlo attachment, one voxel
 * at a time, until the CBD holds exactly {@code round(targetFraction * nx * ny * nz)} voxels.
 *
 * <p>Physics: after Mistry, Juarez-Robles, Stein, Smith and Mukherjee, "Analysis of long-range interaction in
 * lithium-ion battery electrodes", J. Electrochem. Energy Convers. Storage 13 (2016) 031006, and Mistry, Smith and
 * Mukherjee, "Secondary-phase stochastics in lithium-ion battery electrodes", ACS Appl. Mater. Interfaces 10 (2018)
 * 6317. There, CBD voxels are added where their interaction with the neighbouring phases is most favourable; the
 * morphology parameter {@code omega} in [0, 1] shifts the preference from CBD-active contact ({@code omega = 0}:
 * binder spreads as a film over the particles) to CBD-CBD contact ({@code omega = 1}: binder piles onto binder and
 * forms finger-like protrusions and bridges).
 *
 * <p>Rule implemented (this class's exact model, not a transcription of the papers' acceptance step): every pore
 * voxel {@code v} with at least one active or CBD voxel among its 26 neighbours is a candidate with weight
 * <pre>  w(v) = (1 - omega) * nActive(v) + omega * nCbd(v) + epsilon,</pre>
 * {@code nActive} and {@code nCbd} the numbers of active and CBD voxels among the 26 neighbours (neighbours outside
 * the volume do not exist; no periodicity). Pore voxels touching neither have weight 0 (binder never floats free in
 * the pore). Each step draws one candidate with probability {@code w(v) / sum w} and turns it into CBD; the weights of
 * its 26 neighbours are then updated. The mapping to Mistry's energy picture: {@code -w} plays the role of the
 * interaction energy with per-neighbour affinities {@code 1 - omega} (to active) and {@code omega} (to CBD), sampled
 * with probability linear in {@code w} instead of an energy minimum; {@code epsilon} is a nucleation weight that lets
 * new CBD start on bare active surface when {@code omega = 1} (smaller epsilon: fewer, longer fingers). Optionally
 * {@code nuclei} voxels are first placed uniformly at random among pore voxels that touch active material. Labels
 * other than pore, active and CBD are inert solid (never converted, no weight).
 *
 * <p>Sampling: {@code w} depends only on {@code (nActive, nCbd)} in {0..26}², so candidates sit in 729 buckets of equal
 * weight (index lists with swap-remove); a step draws a bucket by scanning the 729 bucket weights
 * {@code count * w} and a member uniformly. Cost per added voxel: about 1500 flops for the scan plus 26 O(1) bucket
 * moves; 128³ at 10 % CBD (210 000 steps) runs in well under a second of scanning. Memory: 11 bytes per voxel
 * (labels copy, two neighbour-count bytes, bucket position and bucket entry ints). Deterministic: the same volume,
 * options and seed give the same bytes ({@link SplittableRandom}, one draw per step).
 *
 * <p>Layout: index {@code x + nx * (y + ny * z)}, as {@link Volume}; the output keeps the input's voxel size.
 */
public final class CarbonBinderGrowth {
    private static final int SIDE = 27; // neighbour counts 0..26

    private CarbonBinderGrowth() {
    }

    /**
     * Options of the growth.
     *
     * @param targetFraction CBD volume fraction of the whole volume to reach, in [0, 1] (existing CBD voxels count)
     * @param omega morphology parameter in [0, 1]: 0 film-like (binder prefers active contact), 1 finger-like (binder
     *     prefers binder contact)
     * @param poreLabel label of the pore, the only voxels that may become CBD
     * @param activeLabels label(s) of the active material (at least one)
     * @param cbdLabel label written for CBD
     * @param nuclei number of CBD voxels placed first, uniformly among pore voxels touching active material (0 or more;
     *     counted in the target)
     * @param epsilon nucleation weight added to every candidate, finite and in (0, 1]
     * @param seed random seed
     */
    public record Options(double targetFraction, double omega, int poreLabel, int[] activeLabels, int cbdLabel,
            int nuclei, double epsilon, long seed) {
        public Options {
            BinderLabels.checkFraction(targetFraction);
            if (!(omega >= 0 && omega <= 1)) {
                throw new IllegalArgumentException("omega must be in [0, 1] (0 film-like, 1 finger-like), got " + omega);
            }
            activeLabels = BinderLabels.check(poreLabel, activeLabels, cbdLabel);
            if (nuclei < 0) {
                throw new IllegalArgumentException("nuclei must be 0 or more, got " + nuclei);
            }
            if (!(epsilon > 0 && epsilon <= 1)) {
                throw new IllegalArgumentException("epsilon (nucleation weight) must be in (0, 1], got " + epsilon
                        + "; use e.g. 1e-3");
            }
        }

        /** Target 0.1, omega 0.5, pore 0, active {1}, CBD 2, no nuclei, epsilon 1e-3, seed 0. */
        public static Options defaults() {
            return new Options(0.1, 0.5, 0, new int[] {1}, 2, 0, 1e-3, 0L);
        }

        @Override
        public int[] activeLabels() {
            return activeLabels.clone();
        }

        public Options withTargetFraction(double f) {
            return new Options(f, omega, poreLabel, activeLabels, cbdLabel, nuclei, epsilon, seed);
        }

        public Options withOmega(double w) {
            return new Options(targetFraction, w, poreLabel, activeLabels, cbdLabel, nuclei, epsilon, seed);
        }

        public Options withSeed(long s) {
            return new Options(targetFraction, omega, poreLabel, activeLabels, cbdLabel, nuclei, epsilon, s);
        }

        public Options withNuclei(int n) {
            return new Options(targetFraction, omega, poreLabel, activeLabels, cbdLabel, n, epsilon, seed);
        }

        public Options withEpsilon(double e) {
            return new Options(targetFraction, omega, poreLabel, activeLabels, cbdLabel, nuclei, e, seed);
        }
    }

    /**
     * Outcome of a growth.
     *
     * @param volume the input with {@code iterations} pore voxels turned into the CBD label
     * @param cbdFraction CBD voxels / all voxels
     * @param activeSurfaceCoverage share of active faces touching CBD among those touching pore or CBD
     *     ({@link BinderCoverage})
     * @param iterations voxels added (nuclei included)
     * @param cbdVoxels CBD voxels in the result
     */
    public record Result(Volume volume, double cbdFraction, double activeSurfaceCoverage, int iterations,
            long cbdVoxels) {
    }

    /**
     * Grows CBD into the pore of {@code volume}; see the class comment for the rule.
     *
     * @throws IllegalArgumentException when the pore or active labels are absent, the target is below the existing
     *     CBD or above what the pore can hold, or the remaining pore touches no active or CBD voxel
     */
    public static Result grow(Volume volume, Options options) {
        int[] activeLabels = options.activeLabels();
        int pore = options.poreLabel();
        int cbd = options.cbdLabel();
        BinderLabels.Start start = BinderLabels.begin(volume, options.targetFraction(), pore, activeLabels, cbd,
                11, "CBD growth");
        long toAdd = start.toAdd();
        byte[] labels = start.labels();
        boolean[] active = start.active();
        int nx = volume.nx();
        int ny = volume.ny();
        int nz = volume.nz();
        int n = (int) volume.voxelCount();
        int[] offsets = neighbourOffsets(nx, ny);

        // neighbour counts of pore voxels: one 26-neighbour sweep, 26 label reads per pore voxel
        byte[] nActive = new byte[n];
        byte[] nCbd = new byte[n];
        for (int z = 0; z < nz; z++) {
            for (int y = 0; y < ny; y++) {
                for (int x = 0; x < nx; x++) {
                    int i = x + nx * (y + ny * z);
                    if ((labels[i] & 0xFF) != pore) {
                        continue;
                    }
                    int mask = interiorMask(x, y, z, nx, ny, nz);
                    int a = 0;
                    int c = 0;
                    for (int k = 0; k < 26; k++) {
                        if ((mask & (1 << k)) != 0) {
                            int l = labels[i + offsets[k]] & 0xFF;
                            if (active[l]) {
                                a++;
                            } else if (l == cbd) {
                                c++;
                            }
                        }
                    }
                    nActive[i] = (byte) a;
                    nCbd[i] = (byte) c;
                }
            }
        }

        Buckets buckets = new Buckets(n, options.omega(), options.epsilon());
        for (int i = 0; i < n; i++) {
            if ((labels[i] & 0xFF) == pore && (nActive[i] | nCbd[i]) != 0) {
                buckets.add(i, nActive[i] * SIDE + nCbd[i]);
            }
        }

        SplittableRandom random = new SplittableRandom(options.seed());
        int added = 0;
        long nucleiToPlace = Math.min(options.nuclei(), toAdd);
        for (int k = 0; k < nucleiToPlace; k++) {
            int v = buckets.uniformTouchingActive(random);
            if (v < 0) {
                break;
            }
            addCbd(v, labels, nActive, nCbd, buckets, offsets, pore, cbd, nx, ny, nz);
            added++;
        }
        // main loop: toAdd - nuclei steps, each one bucket scan (729 multiply-adds) and <= 26 bucket moves
        while (added < toAdd) {
            int v = buckets.sample(random);
            if (v < 0) {
                throw new IllegalArgumentException(String.format(Locale.ROOT,
                        "after %d of %d CBD voxels no pore voxel touches active material or CBD (pore enclosed by "
                                + "other labels); lower targetFraction", added, toAdd));
            }
            addCbd(v, labels, nActive, nCbd, buckets, offsets, pore, cbd, nx, ny, nz);
            added++;
        }
        Volume out = VolumeBuilder.adopt(nx, ny, nz, labels).build(volume.voxelSize());
        long cbdVoxels = out.labelCounts()[cbd];
        double coverage = BinderCoverage.faces(out, pore, activeLabels, cbd).coverage();
        return new Result(out, cbdVoxels / (double) n, coverage, added, cbdVoxels);
    }

    private static void addCbd(int v, byte[] labels, byte[] nActive, byte[] nCbd, Buckets buckets, int[] offsets,
            int pore, int cbd, int nx, int ny, int nz) {
        buckets.remove(v, nActive[v] * SIDE + nCbd[v]);
        labels[v] = (byte) cbd;
        int x = v % nx;
        int y = (v / nx) % ny;
        int z = v / (nx * ny);
        int mask = interiorMask(x, y, z, nx, ny, nz);
        for (int k = 0; k < 26; k++) {
            if ((mask & (1 << k)) == 0) {
                continue;
            }
            int u = v + offsets[k];
            if ((labels[u] & 0xFF) != pore) {
                continue;
            }
            int before = nActive[u] * SIDE + nCbd[u];
            nCbd[u]++;
            if (before == 0) {
                buckets.add(u, before + 1);
            } else {
                buckets.move(u, before, before + 1);
            }
        }
    }

    /** Linear-index offsets of the 26 neighbours, in the order (dz, dy, dx) from -1 to 1, centre skipped. */
    private static int[] neighbourOffsets(int nx, int ny) {
        int[] off = new int[26];
        int k = 0;
        for (int dz = -1; dz <= 1; dz++) {
            for (int dy = -1; dy <= 1; dy++) {
                for (int dx = -1; dx <= 1; dx++) {
                    if (dx != 0 || dy != 0 || dz != 0) {
                        off[k++] = dx + nx * (dy + ny * dz);
                    }
                }
            }
        }
        return off;
    }

    /** Bit k set when neighbour k (order of {@link #neighbourOffsets}) lies inside the volume. */
    private static int interiorMask(int x, int y, int z, int nx, int ny, int nz) {
        int mask = 0;
        int k = 0;
        for (int dz = -1; dz <= 1; dz++) {
            boolean okz = z + dz >= 0 && z + dz < nz;
            for (int dy = -1; dy <= 1; dy++) {
                boolean oky = okz && y + dy >= 0 && y + dy < ny;
                for (int dx = -1; dx <= 1; dx++) {
                    if (dx == 0 && dy == 0 && dz == 0) {
                        continue;
                    }
                    if (oky && x + dx >= 0 && x + dx < nx) {
                        mask |= 1 << k;
                    }
                    k++;
                }
            }
        }
        return mask;
    }

    /**
     * Candidates grouped by {@code (nActive, nCbd)}: bucket {@code b = nActive * 27 + nCbd} holds the voxels of
     * weight {@code weight[b]} in an index list; {@code position[v]} is v's slot in its list (swap-remove keeps O(1)).
     * Memory: 8 bytes per voxel (entries and positions).
     */
    private static final class Buckets {
        final double[] weight = new double[SIDE * SIDE];
        final int[] size = new int[SIDE * SIDE];
        final int[][] members = new int[SIDE * SIDE][];
        final int[] position;

        Buckets(int n, double omega, double epsilon) {
            position = new int[n];
            for (int a = 0; a < SIDE; a++) {
                for (int c = 0; c < SIDE; c++) {
                    int b = a * SIDE + c;
                    weight[b] = b == 0 ? 0.0 : (1 - omega) * a + omega * c + epsilon;
                    members[b] = new int[16];
                }
            }
        }

        void add(int v, int b) {
            if (size[b] == members[b].length) {
                members[b] = Arrays.copyOf(members[b], members[b].length * 2);
            }
            position[v] = size[b];
            members[b][size[b]++] = v;
        }

        void remove(int v, int b) {
            int p = position[v];
            int last = members[b][--size[b]];
            members[b][p] = last;
            position[last] = p;
        }

        void move(int v, int from, int to) {
            remove(v, from);
            add(v, to);
        }

        /** A candidate drawn with probability proportional to its weight, or -1 when none has weight. */
        int sample(SplittableRandom random) {
            double total = 0;
            for (int b = 1; b < weight.length; b++) {
                total += size[b] * weight[b];
            }
            if (total <= 0) {
                return -1;
            }
            double r = random.nextDouble() * total;
            int lastNonEmpty = -1;
            for (int b = 1; b < weight.length; b++) {
                if (size[b] == 0) {
                    continue;
                }
                lastNonEmpty = b;
                double bucketWeight = size[b] * weight[b];
                if (r < bucketWeight) {
                    int j = Math.min(size[b] - 1, (int) (r / weight[b]));
                    return members[b][j];
                }
                r -= bucketWeight;
            }
            // rounding left r at the very top: take the last member of the last non-empty bucket
            return members[lastNonEmpty][size[lastNonEmpty] - 1];
        }

        /** A candidate drawn uniformly among those with at least one active neighbour, or -1 when none. */
        int uniformTouchingActive(SplittableRandom random) {
            long total = 0;
            for (int b = SIDE; b < size.length; b++) {
                total += size[b];
            }
            if (total == 0) {
                return -1;
            }
            long r = random.nextLong(total);
            for (int b = SIDE; b < size.length; b++) {
                if (r < size[b]) {
                    return members[b][(int) r];
                }
                r -= size[b];
            }
            throw new AssertionError("unreachable");
        }
    }
}
