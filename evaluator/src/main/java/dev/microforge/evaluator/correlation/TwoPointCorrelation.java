package dev.microforge.evaluator.correlation;

import dev.microforge.datasets.Axis;
import dev.microforge.datasets.Volume;
import dev.microforge.evaluator.geometry.Inputs;
import dev.microforge.evaluator.geometry.LengthUnit;

/**
 * Two-point correlation {@code S2(r)}: the probability that two points a vector {@code r} apart both lie in a phase
 * (Torquato, Random Heterogeneous Materials, Springer 2002, eq. 2.13 ff.), {@code S2(r) = <I(p) I(p + r)>} with
 * {@code I} the phase indicator. {@code S2(0) = phi} (the volume fraction) and, without long-range order,
 * {@code S2(r) -> phi^2} as {@code |r|} grows.
 *
 * <p>Computed by FFT autocorrelation of the indicator (JTransforms, see {@link Autocorrelation}):
 * <ul>
 *   <li>periodic: circular autocorrelation over the whole volume, divided by {@code N = nx*ny*nz};</li>
 *   <li>non-periodic: the indicator is zero-padded (by the lag limit, not by a full volume) and each lag
 *   {@code d} is divided by its number of pairs inside the volume {@code (nx-|dx|)(ny-|dy|)(nz-|dz|)}, the
 *   autocorrelation of the all-ones window, so every lag is an unbiased average and {@code S2(0) = phi}
 *   exactly.</li>
 * </ul>
 * Reported along x, y and z for {@code r = 0..maxDistance} voxels (distances in um when the voxel size is known) and
 * radially averaged over all lag vectors, binned by length (bin width = the smallest voxel edge). Lags are limited
 * per axis to {@code n - 1} (non-periodic) or {@code (n - 1) / 2} (periodic).
 *
 * <p>Memory: a complex buffer of 16 bytes per padded voxel (268 MB for a periodic 256^3, 906 MB non-periodic with
 * maxDistance 128), refused up front when the heap cannot hold it. Time measured on 2 cores for a 256^3 volume:
 * periodic 3.4 s; non-periodic 4.9 s with maxDistance 32 (288^3 padded) but 27 s with the automatic 128 (384^3
 * padded, memory-bound), so give large non-periodic volumes an explicit, smaller maxDistance. Axis order and layout: {@link Volume}'s
 * {@code x + nx*(y + ny*z)}.
 */
public final class TwoPointCorrelation {
    private TwoPointCorrelation() {
    }

    /**
     * Options.
     *
     * @param periodic whether the volume is a periodic unit cell (circular correlation) or a sample (padding)
     * @param maxDistance largest lag in voxels, 0 for half the smallest dimension larger than 1
     */
    public record Options(boolean periodic, int maxDistance) {
        public Options {
            if (maxDistance < 0) {
                throw new IllegalArgumentException(
                        "maxDistance must be 0 (automatic) or a positive number of voxels, got " + maxDistance);
            }
        }

        /** Non-periodic, automatic maximum distance. */
        public static Options defaults() {
            return new Options(false, 0);
        }
    }

    /**
     * S2 of one phase.
     *
     * @param phase the label value
     * @param volumeFraction {@code phi}, equal to {@code S2(0)}
     * @param periodic whether the volume was taken as periodic
     * @param maxLag the lag limits used per axis {x, y, z}, voxels
     * @param unit unit of the distances
     * @param x S2 along x at {@code r = 0..maxLag[0]} (likewise y, z)
     * @param radial S2 averaged over lag vectors of the same length
     */
    public record Result(int phase, double volumeFraction, boolean periodic, int[] maxLag, LengthUnit unit, Curve x,
            Curve y, Curve z, Curve radial) {
        /** The curve along {@code axis}. */
        public Curve along(Axis axis) {
            return axis == Axis.X ? x : axis == Axis.Y ? y : z;
        }
    }

    /**
     * S2 of {@code phase} by FFT.
     *
     * @throws IllegalArgumentException for a null volume or options or a label outside 0..255
     * @throws dev.microforge.datasets.VolumeTooLargeException when the FFT buffer does not fit the heap
     */
    public static Result compute(Volume volume, int phase, Options options) {
        LagBox box = box(volume, phase, options);
        int nx = volume.nx();
        int ny = volume.ny();
        boolean p = options.periodic();
        Autocorrelation.addFft(box, nx, ny, volume.nz(), new boolean[] {p, p, p},
                (buf, lx, ly) -> writeIndicator(volume, phase, buf, lx, ly), "S2 of phase " + phase);
        return result(volume, phase, options, box);
    }

    /**
     * S2 by direct summation over every voxel and lag: {@code O(N * (2r+1)^3)}, for tests and tiny volumes. Equal
     * to {@link #compute} up to rounding.
     */
    public static Result bruteForce(Volume volume, int phase, Options options) {
        LagBox box = box(volume, phase, options);
        double[] f = new double[(int) volume.voxelCount()];
        for (int i = 0; i < f.length; i++) {
            f[i] = volume.get(i) == phase ? 1 : 0;
        }
        Autocorrelation.addDirect(box, f);
        return result(volume, phase, options, box);
    }

    private static LagBox box(Volume volume, int phase, Options options) {
        Inputs.volume(volume);
        Inputs.phase(phase);
        if (options == null) {
            throw new IllegalArgumentException("options are required; use TwoPointCorrelation.Options.defaults()");
        }
        return new LagBox(volume.nx(), volume.ny(), volume.nz(),
                LagBox.radii(volume, options.maxDistance(), options.periodic()), options.periodic());
    }

    static void writeIndicator(Volume v, int phase, double[] buf, int lx, int ly) {
        int nx = v.nx();
        int ny = v.ny();
        for (int z = 0; z < v.nz(); z++) {
            for (int y = 0; y < ny; y++) {
                int src = nx * (y + ny * z);
                int dst = lx * (y + ly * z);
                for (int x = 0; x < nx; x++) {
                    buf[dst + x] = v.get(src + x) == phase ? 1 : 0;
                }
            }
        }
    }

    private static Result result(Volume volume, int phase, Options options, LagBox box) {
        double[] e = LengthUnit.edges(volume);
        double phi = volume.labelCounts()[phase] / (double) volume.voxelCount();
        return new Result(phase, phi, options.periodic(), box.radii(), LengthUnit.of(volume), box.axis(Axis.X, e),
                box.axis(Axis.Y, e), box.axis(Axis.Z, e), box.radial(e));
    }
}
