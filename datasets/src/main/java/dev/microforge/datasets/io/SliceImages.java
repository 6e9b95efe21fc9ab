package dev.microforge.datasets.io;

import dev.microforge.datasets.Axis;
import dev.microforge.datasets.Volume;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Iterator;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriter;
import javax.imageio.stream.ImageOutputStream;
import javax.imageio.stream.MemoryCacheImageOutputStream;

/**
 * PNG pictures of a volume's slices in a fixed phase palette; runs headless (no display needed).
 *
 * <p>Palette: a label is coloured by its rank among the labels present in the whole volume, so volumes labelled
 * 0/1/2, 0/85/170 or 0/128/255 look the same:
 * <table>
 *   <caption>colour by rank</caption>
 *   <tr><th>rank</th><th>colour</th><th>usual phase</th></tr>
 *   <tr><td>0</td><td>#000000 black</td><td>pore</td></tr>
 *   <tr><td>1</td><td>#C8C8C8 light grey</td><td>active material</td></tr>
 *   <tr><td>2</td><td>#E07B39 orange</td><td>carbon-binder domain</td></tr>
 *   <tr><td>3</td><td>#3A7BD5 blue</td><td></td></tr>
 *   <tr><td>4</td><td>#4CAF50 green</td><td></td></tr>
 *   <tr><td>5, 6, ...</td><td>cycle of #9C27B0, #FFD600, #D32F2F, #00BCD4, #795548, #F06292, #8BC34A, #3F51B5
 *   </td><td></td></tr>
 * </table>
 * White is never a phase colour; it separates the panels of {@link #renderOrthogonal}.
 *
 * <p>Orientation: an image's width runs along the slice's first in-plane axis and its height along the second, row
 * 0 at the top (y down for a z-slice): normal to Z the image is x by y, normal to Y x by z, normal to X y by z, as
 * {@link Volume#slice} orders them. One image pixel per voxel.
 */
public final class SliceImages {
    /** RGB of ranks 0..4. */
    private static final int[] FIRST = {0x000000, 0xC8C8C8, 0xE07B39, 0x3A7BD5, 0x4CAF50};
    /** RGB cycled for ranks 5 and above. */
    private static final int[] CYCLE = {0x9C27B0, 0xFFD600, 0xD32F2F, 0x00BCD4, 0x795548, 0xF06292, 0x8BC34A,
        0x3F51B5};
    /** Gap between the panels of {@link #renderOrthogonal}, in pixels. */
    public static final int GAP = 4;
    private static final int WHITE = 0xFFFFFF;

    private SliceImages() {
    }

    /** The RGB colour ({@code 0xRRGGBB}) of the label with rank {@code rank} (0 = lowest label present). */
    public static int colourOfRank(int rank) {
        if (rank < 0) {
            throw new IllegalArgumentException("label rank must be at least 0, got " + rank);
        }
        return rank < FIRST.length ? FIRST[rank] : CYCLE[(rank - FIRST.length) % CYCLE.length];
    }

    /**
     * The RGB colour of every label value for {@code volume}: entry v is the colour of label v by its rank among the
     * labels present (labels absent from the volume get the colour of the next rank up; they are never drawn).
     */
    public static int[] palette(Volume volume) {
        long[] counts = volume.labelCounts();
        int[] lut = new int[256];
        int rank = 0;
        for (int v = 0; v < 256; v++) {
            lut[v] = colourOfRank(rank);
            if (counts[v] > 0) {
                rank++;
            }
        }
        return lut;
    }

    /**
     * The slice of {@code volume} normal to {@code axis} at {@code index}, coloured by label rank in the whole volume.
     *
     * @return an RGB image of {@code slice.nx()} by {@code slice.ny()} pixels (see the class comment)
     * @throws IllegalArgumentException when {@code index} is outside the volume along {@code axis}
     */
    public static BufferedImage render(Volume volume, Axis axis, int index) {
        int[] lut = palette(volume);
        Volume slice = volume.slice(axis, index);
        BufferedImage img = new BufferedImage(slice.nx(), slice.ny(), BufferedImage.TYPE_INT_RGB);
        draw(img, slice, lut, 0);
        return img;
    }

    /**
     * The three central slices side by side, separated by {@link #GAP} white pixels: xy at {@code z = nz/2}
     * ({@code nx} by {@code ny}), xz at {@code y = ny/2} ({@code nx} by {@code nz}), yz at {@code x = nx/2}
     * ({@code ny} by {@code nz}); top-aligned on a white background of {@code 2 nx + ny + 8} by
     * {@code max(ny, nz)} pixels.
     */
    public static BufferedImage renderOrthogonal(Volume volume) {
        int[] lut = palette(volume);
        Volume xy = volume.slice(Axis.Z, volume.nz() / 2);
        Volume xz = volume.slice(Axis.Y, volume.ny() / 2);
        Volume yz = volume.slice(Axis.X, volume.nx() / 2);
        int width = xy.nx() + GAP + xz.nx() + GAP + yz.nx();
        int height = Math.max(xy.ny(), Math.max(xz.ny(), yz.ny()));
        BufferedImage img = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                img.setRGB(x, y, WHITE);
            }
        }
        draw(img, xy, lut, 0);
        draw(img, xz, lut, xy.nx() + GAP);
        draw(img, yz, lut, xy.nx() + GAP + xz.nx() + GAP);
        return img;
    }

    private static void draw(BufferedImage img, Volume slice, int[] lut, int x0) {
        int w = slice.nx();
        int[] row = new int[w];
        for (int y = 0; y < slice.ny(); y++) {
            for (int x = 0; x < w; x++) {
                row[x] = lut[slice.get(x, y, 0)];
            }
            img.setRGB(x0, y, w, 1, row, 0, w);
        }
    }

    /**
     * Writes {@code image} as PNG through a temporary file ({@link AtomicFile}). The encoder buffers in memory:
     * {@code ImageIO}'s default disk cache registers a JVM shutdown hook on first use, which throws while the
     * JVM is shutting down (a plot written after Ctrl-C).
     *
     * @throws java.nio.file.FileAlreadyExistsException when {@code out} exists and {@code overwrite} is false
     * @throws java.nio.file.NoSuchFileException when the folder does not exist
     */
    public static void writePng(BufferedImage image, Path out, boolean overwrite) throws IOException {
        AtomicFile.write(out, overwrite, stream -> {
            Iterator<ImageWriter> writers = ImageIO.getImageWritersByFormatName("png");
            if (!writers.hasNext()) {
                throw new IOException(out + ": no PNG writer available");
            }
            ImageWriter writer = writers.next();
            try (ImageOutputStream cache = new MemoryCacheImageOutputStream(stream)) {
                writer.setOutput(cache);
                writer.write(image);
            } finally {
                writer.dispose();
            }
        });
    }
}
