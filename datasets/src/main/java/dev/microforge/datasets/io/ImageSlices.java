package dev.microforge.datasets.io;

import java.awt.image.BufferedImage;
import java.awt.image.Raster;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;
import javax.imageio.ImageIO;

/**
 * 2D images as volumes: a single PNG (one slice, {@code nz = 1}) and a folder of 2D PNG or TIFF slices read as one
 * stack, slice {@code k} of the name-sorted list (numbers compared by value, so {@code s2.png} comes before
 * {@code s10.png}) becoming z = k. Every slice must have the size and sample type of the first.
 */
public final class ImageSlices {
    private ImageSlices() {
    }

    /**
     * Reads one PNG (greyscale, palette or 16-bit greyscale; colour is refused).
     *
     * @throws VolumeFormatException when the image cannot be decoded
     */
    public static Samples readImage(Path file) throws IOException {
        BufferedImage image;
        try {
            image = ImageIO.read(file.toFile());
        } catch (IOException | RuntimeException e) {
            throw new VolumeFormatException(file + ": unreadable or corrupt image: " + e.getMessage(), e);
        }
        if (image == null) {
            throw new VolumeFormatException(file + ": not an image this program decodes (PNG or TIFF)");
        }
        Raster raster = image.getRaster();
        SampleType type = TiffCodec.sampleType(raster, 1, file.toString(), 0);
        Samples samples = Samples.allocate(raster.getWidth(), raster.getHeight(), 1, type, null);
        TiffCodec.copyPage(raster, samples, 0);
        return samples;
    }

    /**
     * Reads the {@code .png}, {@code .tif} and {@code .tiff} files of {@code dir} as a stack.
     *
     * @throws VolumeFormatException when the folder holds no slices, a slice is a multi-page TIFF, or slices differ
     *     in size or type (the message names the slice)
     */
    public static Samples readFolder(Path dir, ProgressListener progress) throws IOException {
        List<Path> files = new ArrayList<>();
        try (Stream<Path> list = Files.list(dir)) {
            list.filter(Files::isRegularFile).filter(ImageSlices::isSliceName).forEach(files::add);
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
        if (files.isEmpty()) {
            throw new VolumeFormatException(dir + ": is a folder with no .png or .tif slices; give a volume file "
                    + "or a folder of 2D slices");
        }
        files.sort(Comparator.comparing(p -> p.getFileName().toString(), ImageSlices::compareNatural));
        Samples stack = null;
        for (int z = 0; z < files.size(); z++) {
            Path file = files.get(z);
            Samples slice = VolumeFormat.detect(file) == VolumeFormat.TIFF
                    ? TiffCodec.read(file, ProgressListener.NONE) : readImage(file);
            if (slice.nz() != 1) {
                throw new VolumeFormatException(file + ": slice has " + slice.nz()
                        + " pages; a folder of slices needs one 2D image per file");
            }
            if (stack == null) {
                stack = Samples.allocate(slice.nx(), slice.ny(), files.size(), slice.type(), slice.voxelSize());
            } else if (slice.nx() != stack.nx() || slice.ny() != stack.ny() || slice.type() != stack.type()) {
                throw new VolumeFormatException(String.format(Locale.ROOT,
                        "%s: slice is %d x %d %s but %s is %d x %d %s; all slices must match", file, slice.nx(),
                        slice.ny(), slice.type().numpyName(), files.get(0).getFileName(), stack.nx(), stack.ny(),
                        stack.type().numpyName()));
            }
            copySlice(slice, stack, z);
            progress.progress("reading " + dir, z + 1, files.size());
        }
        return stack;
    }

    private static void copySlice(Samples slice, Samples stack, int z) {
        int plane = stack.nx() * stack.ny();
        switch (stack.type()) {
            case UINT16:
            case INT16:
                System.arraycopy(slice.shorts(), 0, stack.shorts(), z * plane, plane);
                break;
            case INT32:
                System.arraycopy(slice.ints(), 0, stack.ints(), z * plane, plane);
                break;
            case FLOAT32:
                System.arraycopy(slice.floats(), 0, stack.floats(), z * plane, plane);
                break;
            default:
                System.arraycopy(slice.bytes(), 0, stack.bytes(), z * plane, plane);
                break;
        }
    }

    private static boolean isSliceName(Path p) {
        String n = p.getFileName().toString().toLowerCase(Locale.ROOT);
        return !n.startsWith(".") && (n.endsWith(".png") || n.endsWith(".tif") || n.endsWith(".tiff"));
    }

    /** Compares names with runs of digits compared by numeric value ({@code s2} before {@code s10}). */
    static int compareNatural(String a, String b) {
        int i = 0;
        int j = 0;
        while (i < a.length() && j < b.length()) {
            char ca = a.charAt(i);
            char cb = b.charAt(j);
            if (Character.isDigit(ca) && Character.isDigit(cb)) {
                int si = i;
                int sj = j;
                while (i < a.length() && Character.isDigit(a.charAt(i))) {
                    i++;
                }
                while (j < b.length() && Character.isDigit(b.charAt(j))) {
                    j++;
                }
                String na = a.substring(si, i).replaceFirst("^0+(?=.)", "");
                String nb = b.substring(sj, j).replaceFirst("^0+(?=.)", "");
                int c = na.length() != nb.length() ? Integer.compare(na.length(), nb.length()) : na.compareTo(nb);
                if (c != 0) {
                    return c;
                }
            } else {
                if (ca != cb) {
                    return Character.compare(ca, cb);
                }
                i++;
                j++;
            }
        }
        return Integer.compare(a.length() - i, b.length() - j);
    }
}
