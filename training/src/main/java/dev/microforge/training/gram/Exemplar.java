package dev.microforge.training.gram;

import dev.microforge.datasets.Axis;
import dev.microforge.datasets.Volume;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * What a Gram-matrix reconstruction imitates: one 2D image (an isotropic material: every slice of the output, along
 * x, y and z, should look like it), three orthogonal 2D images (an anisotropic material: the slices normal to x, to
 * y and to z each have their own), or a 3D volume (its slices normal to each axis are that axis's exemplars; or,
 * for a volume feature extractor, the volume itself).
 *
 * <p>Labels are phases {@code 0..phases-1} (compact them with {@link Volume#compactLabels()} first). Orientation of
 * a slice image, as {@link Volume#slice(Axis, int)} gives it: the slice normal to z has image columns along x and
 * rows along y; normal to y, columns x and rows z; normal to x, columns y and rows z.
 *
 * @param images the exemplar image of the slices normal to x, y and z (the same image three times when
 *     isotropic); empty for a volume exemplar
 * @param volume the 3D exemplar, or null
 * @param isotropic whether one image stands for every orientation (its statistics are then averaged over the
 *     eight rotations and reflections of the square before they are matched, for a 3D output)
 * @param phases number of phases (largest label + 1), at least 2
 */
public record Exemplar(Map<Axis, Volume> images, Volume volume, boolean isotropic, int phases) {

    /** Validates the exemplar. */
    public Exemplar {
        if ((volume == null) == (images == null || images.isEmpty())) {
            throw new IllegalArgumentException("an exemplar is either 2D images or one 3D volume");
        }
        images = images == null ? Map.of() : Map.copyOf(images);
        if (phases < 2) {
            throw new IllegalArgumentException("an exemplar needs at least 2 phases, got " + phases
                    + "; a one-phase image has no texture to imitate");
        }
    }

    /**
     * One 2D image for every orientation (isotropic).
     *
     * @param image a 2D labelled image ({@code nz = 1}), labels {@code 0..P-1}, each side at least 8 pixels
     * @return the exemplar
     */
    public static Exemplar image(Volume image) {
        check2d("exemplar", image);
        Map<Axis, Volume> m = new EnumMap<>(Axis.class);
        for (Axis a : Axis.values()) {
            m.put(a, image);
        }
        return new Exemplar(m, null, true, phasesOf(List.of(image)));
    }

    /**
     * Three orthogonal 2D images (anisotropic).
     *
     * @param normalToX the image of slices normal to x (columns y, rows z)
     * @param normalToY the image of slices normal to y (columns x, rows z)
     * @param normalToZ the image of slices normal to z (columns x, rows y)
     * @return the exemplar
     */
    public static Exemplar orthogonal(Volume normalToX, Volume normalToY, Volume normalToZ) {
        check2d("exemplar normal to x", normalToX);
        check2d("exemplar normal to y", normalToY);
        check2d("exemplar normal to z", normalToZ);
        Map<Axis, Volume> m = new EnumMap<>(Axis.class);
        m.put(Axis.X, normalToX);
        m.put(Axis.Y, normalToY);
        m.put(Axis.Z, normalToZ);
        return new Exemplar(m, null, false, phasesOf(List.of(normalToX, normalToY, normalToZ)));
    }

    /**
     * A 3D volume.
     *
     * @param volume labels {@code 0..P-1}, each side at least 8 voxels
     * @return the exemplar
     */
    public static Exemplar volume(Volume volume) {
        if (volume == null || volume.nx() < 8 || volume.ny() < 8 || volume.nz() < 8) {
            throw new IllegalArgumentException("a 3D exemplar needs at least 8 voxels along each axis, got "
                    + (volume == null ? "none" : volume.nx() + " x " + volume.ny() + " x " + volume.nz()));
        }
        return new Exemplar(null, volume, false, phasesOf(List.of(volume)));
    }

    /**
     * Returns the phase fractions of the exemplar: of the volume, or the mean over the distinct images.
     *
     * @return fractions of phases {@code 0..phases-1}
     */
    public double[] fractions() {
        List<Volume> sources = volume != null ? List.of(volume) : images.values().stream().distinct().toList();
        double[] f = new double[phases];
        for (Volume v : sources) {
            long[] counts = v.labelCounts();
            for (int k = 0; k < phases && k < counts.length; k++) {
                f[k] += (double) counts[k] / v.voxelCount() / sources.size();
            }
        }
        return f;
    }

    private static void check2d(String what, Volume image) {
        if (image == null || image.nz() != 1) {
            throw new IllegalArgumentException(what + " must be one 2D image (nz = 1), got "
                    + (image == null ? "none" : image.nz() + " slices"));
        }
        if (image.nx() < 8 || image.ny() < 8) {
            throw new IllegalArgumentException(what + " must be at least 8 x 8 pixels, got " + image.nx() + " x "
                    + image.ny());
        }
    }

    private static int phasesOf(List<Volume> volumes) {
        int max = 0;
        for (Volume v : volumes) {
            long[] counts = v.labelCounts();
            for (int k = counts.length - 1; k >= 0; k--) {
                if (counts[k] > 0) {
                    max = Math.max(max, k);
                    break;
                }
            }
        }
        if (max > 63) {
            throw new IllegalArgumentException("exemplar labels must be phases 0..P-1 with P at most 64, found label "
                    + max + "; compact the labels first (e.g. 0/128/255 -> 0/1/2)");
        }
        return max + 1;
    }

    @Override
    public String toString() {
        if (volume != null) {
            return "3D exemplar " + volume.nx() + " x " + volume.ny() + " x " + volume.nz() + ", " + phases
                    + " phases";
        }
        Volume z = images.get(Axis.Z);
        return (isotropic ? "isotropic 2D exemplar " : "three orthogonal 2D exemplars, normal to z ") + z.nx()
                + " x " + z.ny() + ", " + phases + " phases, fractions " + Arrays.toString(fractions());
    }
}
