package dev.microforge.generator.packing;

import dev.microforge.datasets.Axis;
import dev.microforge.datasets.Volume;
import dev.microforge.datasets.VolumeBuilder;
import dev.microforge.datasets.VoxelSize;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * Packs spheres or ellipsoids into a box and voxelises them: the classical particle model of battery electrodes
 * (active-material grains in a pore space).
 *
 * <p><b>Method.</b>
 * <ol>
 *   <li><i>Particles.</i> Diameters (of the sphere of equal volume, micrometres) are drawn from the
 *       {@link SizeDistribution} until their summed volume reaches {@code targetSolidFraction x box volume}. Semi-axes follow the {@link Shape} ratios at equal volume. Orientations follow
 *       {@link Orientation}.</li>
 *   <li><i>Random sequential addition</i> (Widom 1966; Feder 1980) at a reduced radius scale {@code s0} at which
 *       the analytic fraction is 0.25, below the RSA jamming limit (0.38 for spheres): largest particles first, up to
 *       64 random trial positions each, accepting the first whose overlap with placed neighbours is within the
 *       tolerance, else the least-overlapping trial.</li>
 *   <li><i>Relaxation with growth</i>: a collective-rearrangement scheme in the spirit of the Lubachevsky-Stillinger
 *       compression (Lubachevsky &amp; Stillinger, J. Stat. Phys. 60, 561, 1990) and the force-biased algorithm
 *       (Jodrey &amp; Tory, Phys. Rev. A 32, 2347, 1985): each sweep moves every overlapping pair apart along the line
 *       of centres to contact (displacement shared in inverse proportion to volume, applied simultaneously), and
 *       when the largest overlap is within the tolerance the radius scale grows by 0.5 % until it reaches 1. Monodisperse
 *       spheres reach 0.60 (the random-close-packing limit is about 0.64).</li>
 *   <li><i>Overlap measure.</i> Pairs are tested with the Perram-Wertheim contact function
 *       (Perram &amp; Wertheim, J. Comput. Phys. 58, 409, 1985) {@code F = max_l l(1-l) r^T [(1-l) A^-1 + l B^-1]^-1 r}
 *       (maximised by golden-section search; closed form {@code |r|^2 / (ra+rb)^2} for two spheres), with
 *       {@code A^-1 = R diag(a^2, b^2, c^2) R^T}. {@code F < 1} means overlap; scaling the centre distance by
 *       {@code 1/sqrt(F)} brings the pair to contact, so {@code 1 - sqrt(F)} is the fractional overlap that
 *       {@code overlapTolerance} bounds. A uniform cell list (cells of the largest particle's diameter) finds
 *       neighbours: a sweep costs O(N).</li>
 *   <li><i>Voxelisation.</i> A voxel is solid when its centre lies inside any particle
 *       ({@code d^T R diag(1/a^2, 1/b^2, 1/c^2) R^T d <= 1}). To hit the target fraction, all particles are then scaled by
 *       one factor found by bisection on the voxel count (a uniform dilation, so no voxel-level artefacts); the
 *       achieved fraction is measured and reported.</li>
 * </ol>
 *
 * <p><b>Frame and units.</b> Lengths in micrometres; voxels are cubes of side {@code voxelSizeUm}; voxel
 * {@code (i, j, k)} is centred at {@code ((i+0.5), (j+0.5), (k+0.5)) x voxel}; labels are stored x fastest,
 * index {@code x + nx * (y + ny * z)}. The packing is always done in a periodic box (minimum-image distances,
 * wrapped voxels). With {@code periodic} that box is the output and particles crossing a face reappear at the
 * opposite one; otherwise the box is enlarged by a margin of one (elongated) particle diameter on every side and the
 * output is its centre, so particles are cut by the faces with the bulk density right up to them (no wall layer, no
 * pile-up), as in a sample cut out of an electrode.
 *
 * <p><b>Gradients</b> vary along {@code thicknessAxis} with the normalised coordinate {@code t in [0, 1]}:
 * {@link Gradient.Kind#SIZE} multiplies diameters by {@code 1 + slope (t - 1/2)}; {@link Gradient.Kind#FRACTION}
 * draws particle positions along the axis with density {@code 1 + slope (t - 1/2)} so the local solid fraction
 * follows that profile (at high fractions the relaxation flattens it somewhat).
 *
 * <p><b>Cost.</b> Memory: about 200 bytes per particle plus one byte per voxel; time: O(N) per sweep, up to
 * {@code relaxationSweeps} sweeps, plus about 25 voxelisations (each touching the bounding boxes of all particles).
 * Deterministic: one {@link SplittableRandom} seeded with {@code seed}, single-threaded.
 */
public final class ParticlePacking {
    private ParticlePacking() {
    }

    /** How particle axes are oriented. */
    public enum Orientation {
        /** Uniformly random rotations (Shoemake quaternions). */
        RANDOM,
        /** Semi-axis A along {@link Options#alignAxis()}, random spin about it. */
        ALIGNED,
        /** Graphite-like flakes: the shortest semi-axis along the thickness axis, random in-plane rotation. */
        FLAKES
    }

    /** Aspect ratios {@code a : b : c} of the semi-axes (scaled so the volume equals the drawn sphere's). */
    public record Shape(double a, double b, double c) {
        public static final Shape SPHERE = new Shape(1, 1, 1);

        public Shape {
            if (!(a > 0 && b > 0 && c > 0) || !Double.isFinite(a + b + c)
                    || Math.max(a, Math.max(b, c)) / Math.min(a, Math.min(b, c)) > 20) {
                throw new IllegalArgumentException(String.format(Locale.ROOT,
                        "shape ratios must be positive with max/min <= 20, got %s:%s:%s; e.g. 1:1:1 (sphere), "
                                + "2:1:1 (prolate), 3:3:1 (flake)", a, b, c));
            }
        }

        boolean isSphere() {
            return a == b && b == c;
        }
    }

    /**
     * A linear change through the thickness: factor {@code 1 + slope (t - 1/2)} at normalised depth {@code t}.
     *
     * @param kind  NONE, SIZE (particle diameters) or FRACTION (local solid fraction)
     * @param slope relative change from the face t = 0 to the face t = 1, in (-2, 2)
     */
    public record Gradient(Kind kind, double slope) {
        public static final Gradient NONE = new Gradient(Kind.NONE, 0);

        public enum Kind { NONE, SIZE, FRACTION }

        public Gradient {
            if (kind == null) {
                throw new IllegalArgumentException("gradient kind is null; use Gradient.NONE for none");
            }
            if (!(Math.abs(slope) < 2)) {
                throw new IllegalArgumentException("gradient slope must lie in (-2, 2) so the factor 1 + slope (t - 1/2)"
                        + " stays positive, got " + slope);
            }
        }

        public static Gradient size(double slope) {
            return new Gradient(Kind.SIZE, slope);
        }

        public static Gradient fraction(double slope) {
            return new Gradient(Kind.FRACTION, slope);
        }

        /** The factor at normalised depth {@code t}. */
        public double factor(double t) {
            return kind == Kind.NONE ? 1 : 1 + slope * (t - 0.5);
        }
    }

    /** Progress of the relaxation, called once per sweep on the calling thread. */
    @FunctionalInterface
    public interface Listener {
        void onSweep(int sweep, int maxSweeps, double radiusScale, double maxOverlap);
    }

    /**
     * Settings.
     *
     * @param nx                  box size in voxels along x (likewise ny, nz)
     * @param voxelSizeUm         edge of a cubic voxel, micrometres
     * @param targetSolidFraction wanted fraction of solid voxels, in (0, 0.74]
     * @param sizes               particle diameters in micrometres (equal-volume sphere)
     * @param shape               semi-axis ratios
     * @param orientation         RANDOM, ALIGNED (along alignAxis) or FLAKES (normal along thicknessAxis)
     * @param alignAxis           axis for ALIGNED
     * @param periodic            wrap particles across faces
     * @param overlapTolerance    allowed fractional overlap {@code 1 - sqrt(F)} of a pair, in [0, 0.5)
     * @param relaxationSweeps    maximum relaxation sweeps (0 = RSA only)
     * @param thicknessAxis       electrode thickness axis (gradients, flakes), default Z
     * @param gradient            change of size or solid fraction along the thickness axis
     * @param seed                random seed: same seed, same bytes
     * @param solidLabel          label of solid voxels (0..255)
     * @param poreLabel           label of pore voxels (0..255), different from solidLabel
     */
    public record Options(int nx, int ny, int nz, double voxelSizeUm, double targetSolidFraction,
                          SizeDistribution sizes, Shape shape, Orientation orientation, Axis alignAxis,
                          boolean periodic, double overlapTolerance, int relaxationSweeps, Axis thicknessAxis,
                          Gradient gradient, long seed, int solidLabel, int poreLabel) {
        static final double MAX_FRACTION = 0.74;
        static final long MAX_PARTICLES = 5_000_000;

        public Options {
            if (nx < 1 || ny < 1 || nz < 1) {
                throw new IllegalArgumentException(String.format(Locale.ROOT,
                        "box must be at least 1 voxel per axis, got %d x %d x %d", nx, ny, nz));
            }
            if (!(voxelSizeUm > 0 && Double.isFinite(voxelSizeUm))) {
                throw new IllegalArgumentException("voxelSizeUm must be a positive number of micrometres, got "
                        + voxelSizeUm);
            }
            if (!(targetSolidFraction > 0 && targetSolidFraction <= MAX_FRACTION)) {
                throw new IllegalArgumentException("targetSolidFraction must lie in (0, " + MAX_FRACTION + "], got "
                        + targetSolidFraction + "; monodisperse spheres jam near 0.64");
            }
            if (sizes == null || shape == null || orientation == null || alignAxis == null || thicknessAxis == null
                    || gradient == null) {
                throw new IllegalArgumentException("sizes, shape, orientation, alignAxis, thicknessAxis and gradient "
                        + "must not be null (use Shape.SPHERE, Orientation.RANDOM, Axis.Z, Gradient.NONE)");
            }
            if (!(overlapTolerance >= 0 && overlapTolerance < 0.5)) {
                throw new IllegalArgumentException("overlapTolerance must lie in [0, 0.5), got " + overlapTolerance
                        + "; 0.01 allows 1 % interpenetration");
            }
            if (relaxationSweeps < 0) {
                throw new IllegalArgumentException("relaxationSweeps must be >= 0, got " + relaxationSweeps);
            }
            if (solidLabel < 0 || solidLabel > 255 || poreLabel < 0 || poreLabel > 255 || solidLabel == poreLabel) {
                throw new IllegalArgumentException(String.format(Locale.ROOT,
                        "labels must be distinct values in 0..255, got solid %d and pore %d", solidLabel, poreLabel));
            }
            if (gradient.kind() == Gradient.Kind.FRACTION
                    && targetSolidFraction * (1 + Math.abs(gradient.slope()) / 2) > MAX_FRACTION) {
                throw new IllegalArgumentException(String.format(Locale.ROOT,
                        "a fraction gradient of slope %s around %s asks for %.3f at the dense face, above %s; "
                                + "lower the slope or the target", gradient.slope(), targetSolidFraction,
                        targetSolidFraction * (1 + Math.abs(gradient.slope()) / 2), MAX_FRACTION));
            }
            double d3 = Math.cbrt(sizes.meanCubedDiameter());
            double minBox = Math.min(nx, Math.min(ny, nz)) * voxelSizeUm;
            if (d3 < voxelSizeUm || d3 > minBox / 2) {
                throw new IllegalArgumentException(String.format(Locale.ROOT,
                        "particle size (cube-mean diameter %.4g um) must lie between one voxel (%.4g um) and half "
                                + "the smallest box edge (%.4g um); change the voxel size, the box or the sizes",
                        d3, voxelSizeUm, minBox / 2));
            }
            double boxVolume = (double) nx * ny * nz * Math.pow(voxelSizeUm, 3);
            double expected = targetSolidFraction * boxVolume / (Math.PI / 6 * sizes.meanCubedDiameter());
            if (expected > MAX_PARTICLES) {
                throw new IllegalArgumentException(String.format(Locale.ROOT,
                        "about %.3g particles would be needed, more than %d; use larger particles or a smaller box",
                        expected, MAX_PARTICLES));
            }
        }

        /** 64^3 voxels of 0.5 um, spheres of 5 um (10 voxels), solid fraction 0.5, periodic, tolerance 0.01. */
        public static Options defaults() {
            return new Options(64, 64, 64, 0.5, 0.5, new SizeDistribution.Fixed(5), Shape.SPHERE,
                    Orientation.RANDOM, Axis.Z, true, 0.01, 3000, Axis.Z, Gradient.NONE, 1L, 1, 0);
        }

        public Options withBox(int nx, int ny, int nz) {
            return new Options(nx, ny, nz, voxelSizeUm, targetSolidFraction, sizes, shape, orientation, alignAxis,
                    periodic, overlapTolerance, relaxationSweeps, thicknessAxis, gradient, seed, solidLabel, poreLabel);
        }

        public Options withVoxelSize(double um) {
            return new Options(nx, ny, nz, um, targetSolidFraction, sizes, shape, orientation, alignAxis,
                    periodic, overlapTolerance, relaxationSweeps, thicknessAxis, gradient, seed, solidLabel, poreLabel);
        }

        public Options withTarget(double fraction) {
            return new Options(nx, ny, nz, voxelSizeUm, fraction, sizes, shape, orientation, alignAxis,
                    periodic, overlapTolerance, relaxationSweeps, thicknessAxis, gradient, seed, solidLabel, poreLabel);
        }

        public Options withSizes(SizeDistribution s) {
            return new Options(nx, ny, nz, voxelSizeUm, targetSolidFraction, s, shape, orientation, alignAxis,
                    periodic, overlapTolerance, relaxationSweeps, thicknessAxis, gradient, seed, solidLabel, poreLabel);
        }

        public Options withShape(Shape s, Orientation o, Axis align) {
            return new Options(nx, ny, nz, voxelSizeUm, targetSolidFraction, sizes, s, o, align,
                    periodic, overlapTolerance, relaxationSweeps, thicknessAxis, gradient, seed, solidLabel, poreLabel);
        }

        public Options withPeriodic(boolean p) {
            return new Options(nx, ny, nz, voxelSizeUm, targetSolidFraction, sizes, shape, orientation, alignAxis,
                    p, overlapTolerance, relaxationSweeps, thicknessAxis, gradient, seed, solidLabel, poreLabel);
        }

        public Options withRelaxation(double tolerance, int sweeps) {
            return new Options(nx, ny, nz, voxelSizeUm, targetSolidFraction, sizes, shape, orientation, alignAxis,
                    periodic, tolerance, sweeps, thicknessAxis, gradient, seed, solidLabel, poreLabel);
        }

        public Options withGradient(Axis thickness, Gradient g) {
            return new Options(nx, ny, nz, voxelSizeUm, targetSolidFraction, sizes, shape, orientation, alignAxis,
                    periodic, overlapTolerance, relaxationSweeps, thickness, g, seed, solidLabel, poreLabel);
        }

        public Options withSeed(long s) {
            return new Options(nx, ny, nz, voxelSizeUm, targetSolidFraction, sizes, shape, orientation, alignAxis,
                    periodic, overlapTolerance, relaxationSweeps, thicknessAxis, gradient, s, solidLabel, poreLabel);
        }

        public Options withLabels(int solid, int pore) {
            return new Options(nx, ny, nz, voxelSizeUm, targetSolidFraction, sizes, shape, orientation, alignAxis,
                    periodic, overlapTolerance, relaxationSweeps, thicknessAxis, gradient, seed, solid, pore);
        }
    }

    /**
     * The packing.
     *
     * @param particles        the particles at their final size; when periodic, centres lie in the box; otherwise
     *                         every particle that meets the box, some centred outside it
     * @param solidFraction    measured fraction of solid voxels
     * @param analyticFraction summed particle volume over the (periodic work) box volume, before the final
     *                         scaling, ignoring overlaps (the packing density the relaxation reached)
     * @param radiusScale      factor applied to all drawn semi-axes at the end (1 = drawn sizes)
     * @param maxOverlap       largest pair overlap {@code 1 - sqrt(F)} at the final size
     * @param sweeps           relaxation sweeps run
     * @param converged        whether the relaxation reached full size with all overlaps within tolerance
     * @param volume           the voxelised packing, voxel size {@code voxelSizeUm}
     */
    public record Result(List<Particle> particles, double solidFraction, double analyticFraction, double radiusScale,
                         double maxOverlap, int sweeps, boolean converged, Volume volume) {
        public Result {
            particles = List.copyOf(particles);
        }
    }

    /** Packs with no progress listener. */
    public static Result pack(Options options) {
        return pack(options, null);
    }

    /**
     * Packs particles as described in the class comment.
     *
     * @param listener told after every relaxation sweep; may be null
     * @throws IllegalArgumentException when options is null
     */
    public static Result pack(Options options, Listener listener) {
        if (options == null) {
            throw new IllegalArgumentException("options is null; use ParticlePacking.Options.defaults()");
        }
        Volume.checkDimensions(options.nx(), options.ny(), options.nz(), 1);
        return new Packer(options, listener).run();
    }

    /** The mutable state of one packing run. */
    private static final class Packer {
        private static final int RSA_TRIES = 64;
        private static final double GROWTH = 0.005;
        private static final double RSA_FRACTION = 0.25;

        private final Options o;
        private final Listener listener;
        private final SplittableRandom rng;
        private final double[] len = new double[3];
        private final int thick;
        /** Voxels added on every side when the output is not periodic: the packing is periodic in the larger
         * work box and the output is its centre, so faces cut particles without wall effects. */
        private final int margin;
        private final int[] out = new int[3];
        private final int[] work = new int[3];
        private int n;
        private double[] px, py, pz, sa, sb, sc, vol, br, home;
        private double[] rot; // 9 per particle, row-major, columns = semi-axis directions
        private double[] m;   // 6 per particle: R diag(s^2) R^T (xx, xy, xz, yy, yz, zz)
        private boolean[] sphere;
        private double maxBr;
        // cell list
        private int[] ncell = new int[3];
        private double[] cellLen = new double[3];
        private int[] head;
        private int[] next;
        private int[] buf = new int[64];

        Packer(Options o, Listener listener) {
            this.o = o;
            this.listener = listener;
            this.rng = new SplittableRandom(o.seed());
            thick = o.thicknessAxis().ordinal();
            Shape sh = o.shape();
            double elongation = Math.max(sh.a(), Math.max(sh.b(), sh.c())) / Math.cbrt(sh.a() * sh.b() * sh.c());
            margin = o.periodic() ? 0
                    : (int) Math.ceil(Math.cbrt(o.sizes().meanCubedDiameter()) * elongation / o.voxelSizeUm());
            out[0] = o.nx();
            out[1] = o.ny();
            out[2] = o.nz();
            for (int a = 0; a < 3; a++) {
                work[a] = out[a] + 2 * margin;
                len[a] = work[a] * o.voxelSizeUm();
            }
            Volume.checkDimensions(work[0], work[1], work[2], 1);
        }

        Result run() {
            drawParticles();
            double boxVolume = len[0] * len[1] * len[2];
            double analytic = 0;
            for (int i = 0; i < n; i++) {
                analytic += vol[i];
            }
            analytic /= boxVolume;
            double s = Math.min(1, Math.cbrt(RSA_FRACTION / analytic));
            setUpCells();
            randomSequentialAddition(s);
            sortByCell();
            int sweep = 0;
            boolean converged = false;
            double[] disp = new double[3 * n];
            for (; sweep < o.relaxationSweeps(); sweep++) {
                double worst = relaxSweep(s, disp);
                if (listener != null) {
                    listener.onSweep(sweep, o.relaxationSweeps(), s, worst);
                }
                if (worst <= o.overlapTolerance()) {
                    if (s >= 1) {
                        converged = true;
                        break;
                    }
                    s = Math.min(1, s * (1 + GROWTH));
                }
                applyMoves(disp);
            }
            if (o.relaxationSweeps() == 0 || !converged) {
                s = 1; // the drawn size is the reference for the final scaling either way
            }
            // final uniform scaling so the voxel fraction meets the target
            byte[] mask = new byte[(int) ((long) work[0] * work[1] * work[2])];
            double total = (double) out[0] * out[1] * out[2];
            double target = o.targetSolidFraction();
            double scale = 1;
            double f = voxelise(scale, mask) / total;
            if (Math.abs(f - target) > 0.5 / total + 1e-4) {
                double lo = 0.7;
                double hi = 1.3;
                double flo = voxelise(lo, mask) / total;
                double fhi = voxelise(hi, mask) / total;
                if (target <= flo) {
                    scale = lo;
                } else if (target >= fhi) {
                    scale = hi;
                } else {
                    for (int it = 0; it < 40; it++) {
                        double mid = 0.5 * (lo + hi);
                        double fm = voxelise(mid, mask) / total;
                        if (fm < target) {
                            lo = mid;
                        } else {
                            hi = mid;
                        }
                        if (Math.abs(fm - target) <= 1e-4) {
                            break;
                        }
                    }
                    double flo2 = voxelise(lo, mask) / total;
                    double fhi2 = voxelise(hi, mask) / total;
                    scale = Math.abs(flo2 - target) <= Math.abs(fhi2 - target) ? lo : hi;
                }
            }
            long solid = voxelise(scale, mask);
            byte solidB = (byte) o.solidLabel();
            byte poreB = (byte) o.poreLabel();
            VolumeBuilder builder = VolumeBuilder.create(out[0], out[1], out[2]);
            byte[] labels = builder.array();
            for (int z = 0; z < out[2]; z++) {
                for (int y = 0; y < out[1]; y++) {
                    int from = margin + work[0] * (y + margin + work[1] * (z + margin));
                    int to = out[0] * (y + out[1] * z);
                    for (int x = 0; x < out[0]; x++) {
                        labels[to + x] = mask[from + x] != 0 ? solidB : poreB;
                    }
                }
            }
            Volume volume = builder.build(VoxelSize.isotropic(o.voxelSizeUm()));
            double worst = maxOverlap(scale);
            return new Result(Collections.unmodifiableList(outputParticles(scale)), solid / total, analytic, scale,
                    worst, sweep, converged, volume);
        }

        /**
         * The particles at scale s in output coordinates: as they are when periodic; otherwise every periodic image
         * whose bounding box meets the output box, shifted by the margin (centres may then lie outside the box).
         */
        private List<Particle> outputParticles(double s) {
            List<Particle> list = new ArrayList<>(n);
            double h = o.voxelSizeUm();
            double shift = margin * h;
            for (int i = 0; i < n; i++) {
                double[] r = Arrays.copyOfRange(rot, 9 * i, 9 * i + 9);
                if (margin == 0) {
                    list.add(new Particle(px[i], py[i], pz[i], sa[i] * s, sb[i] * s, sc[i] * s, r));
                    continue;
                }
                double[] c = {px[i], py[i], pz[i]};
                double[] half = {s * Math.sqrt(m[6 * i]), s * Math.sqrt(m[6 * i + 3]), s * Math.sqrt(m[6 * i + 5])};
                for (int iz = -1; iz <= 1; iz++) {
                    for (int iy = -1; iy <= 1; iy++) {
                        for (int ix = -1; ix <= 1; ix++) {
                            double[] q = {c[0] + ix * len[0] - shift, c[1] + iy * len[1] - shift,
                                    c[2] + iz * len[2] - shift};
                            boolean meets = true;
                            for (int a = 0; a < 3; a++) {
                                meets &= q[a] + half[a] > 0 && q[a] - half[a] < out[a] * h;
                            }
                            if (meets) {
                                list.add(new Particle(q[0], q[1], q[2], sa[i] * s, sb[i] * s, sc[i] * s, r));
                            }
                        }
                    }
                }
            }
            return list;
        }

        /**
         * Normalised depth t of a new particle along the thickness axis (0 and 1 at the output faces; beyond them in
         * the margin), uniform or, for a fraction gradient, with density proportional to the gradient factor
         * (rejection sampling).
         */
        private double depth() {
            double lo = -(double) margin / out[thick];
            double hi = 1 - lo;
            Gradient g = o.gradient();
            double top = Math.max(g.factor(lo), g.factor(hi));
            while (true) {
                double t = lo + (hi - lo) * rng.nextDouble();
                if (g.kind() != Gradient.Kind.FRACTION || rng.nextDouble() * top <= Math.max(0.05, g.factor(t))) {
                    return t;
                }
            }
        }

        private void drawParticles() {
            double budget = o.targetSolidFraction() * len[0] * len[1] * len[2];
            Shape shape = o.shape();
            double shapeNorm = Math.cbrt(shape.a() * shape.b() * shape.c());
            Gradient g = o.gradient();
            List<double[]> drawn = new ArrayList<>();
            double sum = 0;
            while (true) {
                double t = depth();
                double d = o.sizes().sample(rng) * (g.kind() == Gradient.Kind.SIZE ? Math.max(0.05, g.factor(t)) : 1);
                double v = Math.PI / 6 * d * d * d;
                double eff = v;
                if (budget - sum < eff / 2 || drawn.size() >= Options.MAX_PARTICLES) {
                    break;
                }
                sum += eff;
                double k = d / 2 / shapeNorm;
                double[] p = new double[15];
                p[0] = shape.a() * k;
                p[1] = shape.b() * k;
                p[2] = shape.c() * k;
                p[3] = v;
                p[4] = (margin + t * out[thick]) * o.voxelSizeUm(); // home coordinate in the work box
                rotation(shape, p, 6);
                drawn.add(p);
            }
            if (drawn.isEmpty()) {
                throw new IllegalArgumentException(String.format(Locale.ROOT,
                        "not one particle fits the solid volume %.4g um^3 of the target; enlarge the box or the target",
                        budget));
            }
            // largest first: RSA places big particles while space is still free
            drawn.sort((p, q) -> Double.compare(q[3], p[3]));
            n = drawn.size();
            px = new double[n];
            py = new double[n];
            pz = new double[n];
            sa = new double[n];
            sb = new double[n];
            sc = new double[n];
            vol = new double[n];
            br = new double[n];
            home = new double[n];
            rot = new double[9 * n];
            m = new double[6 * n];
            sphere = new boolean[n];
            for (int i = 0; i < n; i++) {
                double[] p = drawn.get(i);
                sa[i] = p[0];
                sb[i] = p[1];
                sc[i] = p[2];
                vol[i] = p[3];
                home[i] = p[4];
                System.arraycopy(p, 6, rot, 9 * i, 9);
                br[i] = Math.max(sa[i], Math.max(sb[i], sc[i]));
                maxBr = Math.max(maxBr, br[i]);
                sphere[i] = shape.isSphere();
                double[] s2 = {sa[i] * sa[i], sb[i] * sb[i], sc[i] * sc[i]};
                int r = 9 * i;
                int q = 6 * i;
                int w = 0;
                for (int a = 0; a < 3; a++) {
                    for (int b = a; b < 3; b++) {
                        double acc = 0;
                        for (int k = 0; k < 3; k++) {
                            acc += rot[r + 3 * a + k] * s2[k] * rot[r + 3 * b + k];
                        }
                        m[q + w++] = acc;
                    }
                }
            }
        }

        /** Writes the rotation (row-major, columns = semi-axis directions) into p[off..off+8]. */
        private void rotation(Shape shape, double[] p, int off) {
            double[] r = new double[9];
            if (shape.isSphere()) {
                r[0] = r[4] = r[8] = 1;
            } else if (o.orientation() == Orientation.RANDOM) {
                // uniform random unit quaternion (Shoemake 1992)
                double u1 = rng.nextDouble();
                double u2 = 2 * Math.PI * rng.nextDouble();
                double u3 = 2 * Math.PI * rng.nextDouble();
                double a = Math.sqrt(1 - u1);
                double b = Math.sqrt(u1);
                double qx = a * Math.sin(u2);
                double qy = a * Math.cos(u2);
                double qz = b * Math.sin(u3);
                double qw = b * Math.cos(u3);
                r[0] = 1 - 2 * (qy * qy + qz * qz);
                r[1] = 2 * (qx * qy - qz * qw);
                r[2] = 2 * (qx * qz + qy * qw);
                r[3] = 2 * (qx * qy + qz * qw);
                r[4] = 1 - 2 * (qx * qx + qz * qz);
                r[5] = 2 * (qy * qz - qx * qw);
                r[6] = 2 * (qx * qz - qy * qw);
                r[7] = 2 * (qy * qz + qx * qw);
                r[8] = 1 - 2 * (qx * qx + qy * qy);
            } else {
                int fixedAxis; // box axis the special semi-axis points along
                int special;   // which semi-axis (0 = A, 1 = B, 2 = C)
                if (o.orientation() == Orientation.ALIGNED) {
                    fixedAxis = o.alignAxis().ordinal();
                    special = 0;
                } else {
                    fixedAxis = thick;
                    double[] s = {shape.a(), shape.b(), shape.c()};
                    special = s[0] <= s[1] && s[0] <= s[2] ? 0 : (s[1] <= s[2] ? 1 : 2);
                }
                int u = (fixedAxis + 1) % 3;
                int v = (fixedAxis + 2) % 3;
                double th = 2 * Math.PI * rng.nextDouble();
                double cs = Math.cos(th);
                double sn = Math.sin(th);
                int c1 = (special + 1) % 3;
                int c2 = (special + 2) % 3;
                r[3 * fixedAxis + special] = 1;
                r[3 * u + c1] = cs;
                r[3 * v + c1] = sn;
                r[3 * u + c2] = -sn;
                r[3 * v + c2] = cs;
            }
            System.arraycopy(r, 0, p, off, 9);
        }

        private void setUpCells() {
            double cell = 2 * maxBr;
            int total = 1;
            for (int a = 0; a < 3; a++) {
                ncell[a] = (int) Math.max(1, Math.min(256, Math.floor(len[a] / cell)));
                cellLen[a] = len[a] / ncell[a];
                total *= ncell[a];
            }
            head = new int[total];
            next = new int[n];
        }

        private int cellOf(double v, int a) {
            int c = (int) Math.floor(v / cellLen[a]);
            return c < 0 ? 0 : (c >= ncell[a] ? ncell[a] - 1 : c);
        }

        private void clearCells() {
            Arrays.fill(head, -1);
        }

        private void insert(int i) {
            int c = cellOf(px[i], 0) + ncell[0] * (cellOf(py[i], 1) + ncell[1] * cellOf(pz[i], 2));
            next[i] = head[c];
            head[c] = i;
        }

        /** Neighbour cells of cell c along axis a (deduplicated; wrapped when periodic). Returns the count. */
        private int neighbourCells(int c, int a, int[] out) {
            int k = 0;
            for (int d = -1; d <= 1; d++) {
                int q = Math.floorMod(c + d, ncell[a]);
                boolean seen = false;
                for (int e = 0; e < k; e++) {
                    seen |= out[e] == q;
                }
                if (!seen) {
                    out[k++] = q;
                }
            }
            return k;
        }

        private final int[] cx = new int[3];
        private final int[] cy = new int[3];
        private final int[] cz = new int[3];

        /** Collects into buf the particles in the cells around (x, y, z); returns the count. */
        private int gather(double x, double y, double z) {
            int kx = neighbourCells(cellOf(x, 0), 0, cx);
            int ky = neighbourCells(cellOf(y, 1), 1, cy);
            int kz = neighbourCells(cellOf(z, 2), 2, cz);
            int count = 0;
            for (int c = 0; c < kz; c++) {
                for (int b = 0; b < ky; b++) {
                    for (int a = 0; a < kx; a++) {
                        for (int j = head[cx[a] + ncell[0] * (cy[b] + ncell[1] * cz[c])]; j >= 0; j = next[j]) {
                            if (count == buf.length) {
                                buf = Arrays.copyOf(buf, 2 * count);
                            }
                            buf[count++] = j;
                        }
                    }
                }
            }
            return count;
        }

        /** Minimum-image difference (centres lie in [0, L), so one shift suffices). */
        private double minImage(double d, int a) {
            double l = len[a];
            if (d > 0.5 * l) {
                return d - l;
            }
            if (d < -0.5 * l) {
                return d + l;
            }
            return d;
        }

        /** Wraps a coordinate into [0, L). */
        private double place(double v, int a) {
            double w = v - len[a] * Math.floor(v / len[a]);
            return w >= len[a] ? 0 : w;
        }

        private void randomSequentialAddition(double s) {
            clearCells();
            double[] pos = new double[3];
            double[] best = new double[3];
            for (int i = 0; i < n; i++) {
                double bestOverlap = Double.POSITIVE_INFINITY;
                for (int t = 0; t < RSA_TRIES && bestOverlap > o.overlapTolerance(); t++) {
                    for (int a = 0; a < 3; a++) {
                        pos[a] = len[a] * rng.nextDouble();
                    }
                    if (o.gradient().kind() != Gradient.Kind.NONE) {
                        pos[thick] = place(home[i] + (2 * rng.nextDouble() - 1) * br[i], thick);
                    }
                    double worst = 0;
                    int count = gather(pos[0], pos[1], pos[2]);
                    for (int q = 0; q < count && worst < bestOverlap; q++) {
                        int j = buf[q];
                        double f = contact(i, j, minImage(px[j] - pos[0], 0), minImage(py[j] - pos[1], 1),
                                minImage(pz[j] - pos[2], 2), s);
                        if (f < 1) {
                            worst = Math.max(worst, 1 - Math.sqrt(f));
                        }
                    }
                    if (worst < bestOverlap) {
                        bestOverlap = worst;
                        System.arraycopy(pos, 0, best, 0, 3);
                    }
                }
                px[i] = best[0];
                py[i] = best[1];
                pz[i] = best[2];
                insert(i);
            }
        }

        /**
         * Renumbers particles in cell order (x fastest) so neighbours sit close in memory: the relaxation then reads
         * mostly cached data (about twice as fast for 10^5 particles).
         */
        private void sortByCell() {
            Integer[] order = new Integer[n];
            int[] key = new int[n];
            for (int i = 0; i < n; i++) {
                order[i] = i;
                key[i] = cellOf(px[i], 0) + ncell[0] * (cellOf(py[i], 1) + ncell[1] * cellOf(pz[i], 2));
            }
            Arrays.sort(order, (a, b) -> Integer.compare(key[a], key[b]));
            px = permute(px, order, 1);
            py = permute(py, order, 1);
            pz = permute(pz, order, 1);
            sa = permute(sa, order, 1);
            sb = permute(sb, order, 1);
            sc = permute(sc, order, 1);
            vol = permute(vol, order, 1);
            br = permute(br, order, 1);
            home = permute(home, order, 1);
            rot = permute(rot, order, 9);
            m = permute(m, order, 6);
            boolean[] sp = new boolean[n];
            for (int i = 0; i < n; i++) {
                sp[i] = sphere[order[i]];
            }
            sphere = sp;
        }

        private static double[] permute(double[] a, Integer[] order, int stride) {
            double[] out = new double[a.length];
            for (int i = 0; i < order.length; i++) {
                System.arraycopy(a, stride * order[i], out, stride * i, stride);
            }
            return out;
        }

        /**
         * Contact function F of particles i and j at radius scale s, with r = c_j - c_i; F &lt; 1 means overlap,
         * returns +infinity when the bounding spheres are apart.
         */
        private double contact(int i, int j, double dx, double dy, double dz, double s) {
            double r2 = dx * dx + dy * dy + dz * dz;
            double reach = s * (br[i] + br[j]);
            if (r2 >= reach * reach) {
                return Double.POSITIVE_INFINITY;
            }
            if (sphere[i] && sphere[j]) {
                double sum = s * (sa[i] + sa[j]);
                return r2 / (sum * sum);
            }
            // Perram-Wertheim: maximise the concave f(l) by golden-section search (22 steps: |dl| < 3e-5)
            int p = 6 * i;
            int q = 6 * j;
            double lo = 0;
            double hi = 1;
            final double g = 0.6180339887498949;
            double l1 = hi - g * (hi - lo);
            double l2 = lo + g * (hi - lo);
            double f1 = pw(p, q, l1, dx, dy, dz);
            double f2 = pw(p, q, l2, dx, dy, dz);
            for (int it = 0; it < 22; it++) {
                if (f1 < f2) {
                    lo = l1;
                    l1 = l2;
                    f1 = f2;
                    l2 = lo + g * (hi - lo);
                    f2 = pw(p, q, l2, dx, dy, dz);
                } else {
                    hi = l2;
                    l2 = l1;
                    f2 = f1;
                    l1 = hi - g * (hi - lo);
                    f1 = pw(p, q, l1, dx, dy, dz);
                }
            }
            return Math.max(f1, f2) / (s * s);
        }

        /** l (1-l) r^T C^-1 r with C = (1-l) M_i + l M_j (symmetric 3 x 3 inverse by cofactors). */
        private double pw(int p, int q, double l, double x, double y, double z) {
            double k = 1 - l;
            double a = k * m[p] + l * m[q];
            double b = k * m[p + 1] + l * m[q + 1];
            double c = k * m[p + 2] + l * m[q + 2];
            double d = k * m[p + 3] + l * m[q + 3];
            double e = k * m[p + 4] + l * m[q + 4];
            double f = k * m[p + 5] + l * m[q + 5];
            double c11 = d * f - e * e;
            double c12 = c * e - b * f;
            double c13 = b * e - c * d;
            double c22 = a * f - c * c;
            double c23 = b * c - a * e;
            double c33 = a * d - b * b;
            double det = a * c11 + b * c12 + c * c13;
            double quad = c11 * x * x + c22 * y * y + c33 * z * z + 2 * (c12 * x * y + c13 * x * z + c23 * y * z);
            return l * k * quad / det;
        }

        /**
         * One Jacobi sweep: accumulates into disp the moves that bring every overlapping pair to contact and returns
         * the largest overlap 1 - sqrt(F). Cost: N x (particles in 27 cells) contact evaluations.
         */
        private double relaxSweep(double s, double[] disp) {
            clearCells();
            for (int i = 0; i < n; i++) {
                insert(i);
            }
            Arrays.fill(disp, 0);
            double worst = 0;
            for (int i = 0; i < n; i++) {
                int count = gather(px[i], py[i], pz[i]);
                for (int q = 0; q < count; q++) {
                    int j = buf[q];
                    if (j <= i) {
                        continue;
                    }
                    double dx = minImage(px[j] - px[i], 0);
                    double dy = minImage(py[j] - py[i], 1);
                    double dz = minImage(pz[j] - pz[i], 2);
                    double f = contact(i, j, dx, dy, dz, s);
                    if (f >= 1) {
                        continue;
                    }
                    double root = Math.sqrt(f);
                    worst = Math.max(worst, 1 - root);
                    double dist = Math.sqrt(dx * dx + dy * dy + dz * dz);
                    if (dist < 1e-9 * maxBr) {
                        // coincident centres: separate along a random direction
                        dx = rng.nextDouble() - 0.5;
                        dy = rng.nextDouble() - 0.5;
                        dz = rng.nextDouble() - 0.5;
                        dist = Math.sqrt(dx * dx + dy * dy + dz * dz);
                        root = 1e-3;
                    }
                    // new centre distance dist / root puts the pair at contact (F scales with distance squared)
                    double mag = Math.min(dist * (1.001 / root - 1), s * (br[i] + br[j]));
                    double wi = vol[j] / (vol[i] + vol[j]);
                    double ux = dx / dist * mag;
                    double uy = dy / dist * mag;
                    double uz = dz / dist * mag;
                    disp[3 * i] -= wi * ux;
                    disp[3 * i + 1] -= wi * uy;
                    disp[3 * i + 2] -= wi * uz;
                    disp[3 * j] += (1 - wi) * ux;
                    disp[3 * j + 1] += (1 - wi) * uy;
                    disp[3 * j + 2] += (1 - wi) * uz;
                }
            }
            return worst;
        }

        private void applyMoves(double[] disp) {
            for (int i = 0; i < n; i++) {
                px[i] = place(px[i] + disp[3 * i], 0);
                py[i] = place(py[i] + disp[3 * i + 1], 1);
                pz[i] = place(pz[i] + disp[3 * i + 2], 2);
            }
        }

        private double maxOverlap(double s) {
            double[] disp = new double[3 * n];
            return relaxSweep(s, disp);
        }

        /**
         * Marks in mask (cleared first) every voxel whose centre lies inside a particle scaled by s; returns the
         * number of solid voxels. Cost: the voxels of every particle's bounding box, one quadratic form each.
         */
        private long voxelise(double s, byte[] mask) {
            Arrays.fill(mask, (byte) 0);
            int nx = work[0];
            int ny = work[1];
            int nz = work[2];
            double h = o.voxelSizeUm();
            long solid = 0;
            double[] qf = new double[6];
            for (int i = 0; i < n; i++) {
                int r = 9 * i;
                double[] inv = {1 / (s * s * sa[i] * sa[i]), 1 / (s * s * sb[i] * sb[i]), 1 / (s * s * sc[i] * sc[i])};
                int w = 0;
                for (int a = 0; a < 3; a++) {
                    for (int b = a; b < 3; b++) {
                        double acc = 0;
                        for (int k = 0; k < 3; k++) {
                            acc += rot[r + 3 * a + k] * inv[k] * rot[r + 3 * b + k];
                        }
                        qf[w++] = acc;
                    }
                }
                double hx = s * Math.sqrt(m[6 * i]);
                double hy = s * Math.sqrt(m[6 * i + 3]);
                double hz = s * Math.sqrt(m[6 * i + 5]);
                int x0 = (int) Math.ceil((px[i] - hx) / h - 0.5);
                int x1 = (int) Math.floor((px[i] + hx) / h - 0.5);
                int y0 = (int) Math.ceil((py[i] - hy) / h - 0.5);
                int y1 = (int) Math.floor((py[i] + hy) / h - 0.5);
                int z0 = (int) Math.ceil((pz[i] - hz) / h - 0.5);
                int z1 = (int) Math.floor((pz[i] + hz) / h - 0.5);
                for (int k = z0; k <= z1; k++) {
                    double dz = (k + 0.5) * h - pz[i];
                    int kk = Math.floorMod(k, nz);
                    for (int j = y0; j <= y1; j++) {
                        double dy = (j + 0.5) * h - py[i];
                        int row = nx * (Math.floorMod(j, ny) + ny * kk);
                        double base = qf[3] * dy * dy + qf[5] * dz * dz + 2 * qf[4] * dy * dz;
                        double lin = 2 * (qf[1] * dy + qf[2] * dz);
                        for (int x = x0; x <= x1; x++) {
                            double dx = (x + 0.5) * h - px[i];
                            if (qf[0] * dx * dx + lin * dx + base <= 1) {
                                mask[row + Math.floorMod(x, nx)] = 1;
                            }
                        }
                    }
                }
            }
            if (margin == 0) {
                for (byte b : mask) {
                    solid += b;
                }
                return solid;
            }
            for (int z = margin; z < margin + out[2]; z++) {
                for (int y = margin; y < margin + out[1]; y++) {
                    int row = work[0] * (y + work[1] * z);
                    for (int x = margin; x < margin + out[0]; x++) {
                        solid += mask[row + x];
                    }
                }
            }
            return solid;
        }
    }
}
