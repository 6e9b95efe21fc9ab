package dev.microforge.training;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.microforge.datasets.Axis;
import dev.microforge.datasets.Volume;
import dev.microforge.models.OneHot;
import java.util.SplittableRandom;

/**
 * SliceGAN's real data: random square one-hot patches of 2D planes, drawn per batch, as {@code
 * (N, phases, s, s)} (rows, columns). Sources: one 2D image for all three axes (isotropic), three
 * orthogonal 2D images (one per axis), or the planes of a 3D volume normal to each axis.
 *
 * <p>Nothing is preloaded: the sampler keeps references to its source volumes and, per call,
 * allocates one batch (a {@code float[N * phases * s * s]}) and copies voxels straight into it
 * (SliceGAN issue #9 was a 200 GB allocation of every slice up front).
 *
 * <p>Orientation (the one {@code Volume.slice} uses, and that {@link
 * dev.microforge.models.slicegan.VolumeSlicer} gives for generated volumes): the plane normal to z
 * has rows y and columns x; normal to y, rows z and columns x; normal to x, rows z and columns y. A
 * 2D image (a volume with {@code nz == 1}) has rows y and columns x, so the image for axis x must show
 * the (y, z) plane with z down the rows, as {@code microforge slice --axis x} writes it.
 */
public final class OneHotSliceSampler {

    private final Volume[] sources = new Volume[3];
    private final Axis[] normals = new Axis[3];
    private final int sliceSize;
    private final int phases;
    private final boolean isotropic;

    private OneHotSliceSampler(Volume[] sources, Axis[] normals, int sliceSize, int phases, boolean isotropic) {
        if (sliceSize < 1) {
            throw new IllegalArgumentException("slice size must be at least 1, got " + sliceSize);
        }
        for (int a = 0; a < 3; a++) {
            Volume v = sources[a];
            OneHot.requireLabels(v, phases);
            int columns = columns(v, normals[a]);
            int rows = rows(v, normals[a]);
            if (columns < sliceSize || rows < sliceSize) {
                throw new IllegalArgumentException(
                        "the " + Axis.values()[a].label() + " source (" + v.nx() + "x" + v.ny() + "x" + v.nz()
                                + ") has " + columns + "x" + rows + " planes, smaller than the slice size " + sliceSize);
            }
            this.sources[a] = v;
            this.normals[a] = normals[a];
        }
        this.sliceSize = sliceSize;
        this.phases = phases;
        this.isotropic = isotropic;
    }

    /**
     * Samples every axis from one 2D image (an isotropic material).
     *
     * @param image a volume with {@code nz == 1}, labels {@code 0..phases-1}
     * @param sliceSize patch edge
     * @param phases number of phases
     * @return the sampler
     */
    public static OneHotSliceSampler ofImage(Volume image, int sliceSize, int phases) {
        requireImage(image, "image");
        return new OneHotSliceSampler(
                new Volume[] {image, image, image}, new Axis[] {Axis.Z, Axis.Z, Axis.Z}, sliceSize, phases, true);
    }

    /**
     * Samples each axis from its own 2D image (three orthogonal sections of an anisotropic material).
     *
     * @param imageX the plane normal to x: rows z, columns y ({@code nz == 1})
     * @param imageY the plane normal to y: rows z, columns x
     * @param imageZ the plane normal to z: rows y, columns x
     * @param sliceSize patch edge
     * @param phases number of phases
     * @return the sampler
     */
    public static OneHotSliceSampler ofImages(Volume imageX, Volume imageY, Volume imageZ, int sliceSize, int phases) {
        requireImage(imageX, "x image");
        requireImage(imageY, "y image");
        requireImage(imageZ, "z image");
        return new OneHotSliceSampler(
                new Volume[] {imageX, imageY, imageZ}, new Axis[] {Axis.Z, Axis.Z, Axis.Z}, sliceSize, phases, false);
    }

    /**
     * Samples each axis from the planes of a 3D volume normal to it.
     *
     * @param volume labels {@code 0..phases-1}, at least {@code sliceSize} along every axis
     * @param sliceSize patch edge
     * @param phases number of phases
     * @return the sampler
     */
    public static OneHotSliceSampler ofVolume(Volume volume, int sliceSize, int phases) {
        return new OneHotSliceSampler(
                new Volume[] {volume, volume, volume}, new Axis[] {Axis.X, Axis.Y, Axis.Z}, sliceSize, phases, false);
    }

    /**
     * Returns whether one source serves all three axes (train one shared critic).
     *
     * @return true for a single-image sampler
     */
    public boolean isotropic() {
        return isotropic;
    }

    public int sliceSize() {
        return sliceSize;
    }

    public int phases() {
        return phases;
    }

    /**
     * Draws {@code batch} patches of planes normal to {@code axis} into a new engine array.
     *
     * @param manager where the array lives
     * @param axis which axis's source to draw from
     * @param batch patches, at least 1
     * @param random where plane indices and offsets come from
     * @return one-hot float32 {@code (batch, phases, s, s)}
     */
    public NDArray sample(NDManager manager, Axis axis, int batch, SplittableRandom random) {
        return manager.create(sampleArray(axis, batch, random), new Shape(batch, phases, sliceSize, sliceSize));
    }

    /**
     * Draws {@code batch} patches into a new float array, laid out {@code (batch, phases, rows,
     * columns)}: the only allocation per call.
     *
     * @param axis which axis's source to draw from
     * @param batch patches, at least 1
     * @param random where plane indices and offsets come from
     * @return the one-hot batch
     */
    public float[] sampleArray(Axis axis, int batch, SplittableRandom random) {
        if (batch < 1) {
            throw new IllegalArgumentException("batch must be at least 1, got " + batch);
        }
        Volume v = sources[axis.ordinal()];
        Axis normal = normals[axis.ordinal()];
        int s = sliceSize;
        int plane = s * s;
        float[] data = new float[Math.multiplyExact(Math.multiplyExact(batch, phases), plane)];
        int columnRange = columns(v, normal) - s + 1;
        int rowRange = rows(v, normal) - s + 1;
        for (int n = 0; n < batch; n++) {
            int k = random.nextInt(v.size(normal));
            int c0 = random.nextInt(columnRange);
            int r0 = random.nextInt(rowRange);
            int base = n * phases * plane;
            for (int r = 0; r < s; r++) {
                for (int c = 0; c < s; c++) {
                    int label = switch (normal) {
                        case Z -> v.get(c0 + c, r0 + r, k);
                        case Y -> v.get(c0 + c, k, r0 + r);
                        case X -> v.get(k, c0 + c, r0 + r);
                    };
                    data[base + label * plane + r * s + c] = 1f;
                }
            }
        }
        return data;
    }

    /**
     * The statistics of the training data, for {@link StatisticsMatching}: of the 3D volume, or of the images
     * ({@link SampleEvaluation#referenceFromSections}: one image for every axis, or the mean of the two images
     * that contain each axis), without tortuosity.
     *
     * @param maxLag largest S2 lag in voxels
     * @return the reference statistics
     */
    SampleEvaluation.Reference reference(int maxLag) {
        SampleEvaluation.Options o = new SampleEvaluation.Options(8, maxLag, false, 0);
        if (normals[0] != Axis.Z) {
            return SampleEvaluation.reference(sources[0], phases, o);
        }
        return SampleEvaluation.referenceFromSections(
                isotropic ? java.util.List.of(sources[0]) : java.util.List.of(sources), phases, o);
    }

    private static int columns(Volume v, Axis normal) {
        return normal == Axis.X ? v.ny() : v.nx();
    }

    private static int rows(Volume v, Axis normal) {
        return normal == Axis.Z ? v.ny() : v.nz();
    }

    private static void requireImage(Volume image, String name) {
        if (image.nz() != 1) {
            throw new IllegalArgumentException(
                    "the " + name + " must be 2D, got " + image.nx() + "x" + image.ny() + "x" + image.nz()
                            + " voxels; train from a 3D volume by giving it as the only data");
        }
    }
}
