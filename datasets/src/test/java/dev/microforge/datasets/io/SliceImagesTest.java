package dev.microforge.datasets.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.microforge.datasets.Axis;
import dev.microforge.datasets.Volume;
import java.awt.GraphicsEnvironment;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** PNG slices: palette by label rank, orientation and sizes per axis, orthogonal layout, headless PNG output. */
class SliceImagesTest {
    private static final int BLACK = 0x000000;
    private static final int GREY = 0xC8C8C8;
    private static final int ORANGE = 0xE07B39;
    private static final int WHITE = 0xFFFFFF;

    @TempDir
    Path tmp;

    /** A 7 x 5 x 3 volume whose voxel (x, y, z) holds {@code labels[(x + 2y + 3z) % 3]}. */
    private static Volume stripes(int... labels) {
        return Volume.generate(7, 5, 3, (x, y, z) -> labels[(x + 2 * y + 3 * z) % 3]);
    }

    private static int rgb(BufferedImage img, int x, int y) {
        return img.getRGB(x, y) & 0xFFFFFF;
    }

    @Test
    void coloursLabelsByRankWhateverTheirValues() {
        // Given the same three-phase structure labelled 0/1/2, 0/85/170 and 0/128/255
        BufferedImage a = SliceImages.render(stripes(0, 1, 2), Axis.Z, 1);
        BufferedImage b = SliceImages.render(stripes(0, 85, 170), Axis.Z, 1);
        BufferedImage c = SliceImages.render(stripes(0, 128, 255), Axis.Z, 1);

        // Then pore is black, the middle label light grey, the top label orange, at known pixels
        // (x, y) = (0, 0) in slice z=1: (0 + 0 + 3) % 3 = 0 -> rank 0
        assertEquals(BLACK, rgb(a, 0, 0));
        // (1, 0): 1 -> rank 1; (2, 0): 2 -> rank 2; (0, 1): 2 -> rank 2; (1, 1): 0
        assertEquals(GREY, rgb(a, 1, 0));
        assertEquals(ORANGE, rgb(a, 2, 0));
        assertEquals(ORANGE, rgb(a, 0, 1));
        assertEquals(BLACK, rgb(a, 1, 1));
        // And all three images are identical pixel for pixel
        for (int y = 0; y < a.getHeight(); y++) {
            for (int x = 0; x < a.getWidth(); x++) {
                assertEquals(rgb(a, x, y), rgb(b, x, y));
                assertEquals(rgb(a, x, y), rgb(c, x, y));
            }
        }
    }

    @Test
    void ranksComeFromTheWholeVolumeNotTheSlice() {
        // Given labels 3 (z = 0 only) and 9, 200 elsewhere: slice z = 2 holds only 9 and 200
        Volume v = Volume.generate(2, 1, 3, (x, y, z) -> z == 0 ? 3 : (x == 0 ? 9 : 200));

        // When slice z = 2 is rendered
        BufferedImage img = SliceImages.render(v, Axis.Z, 2);

        // Then 9 is rank 1 (grey) and 200 rank 2 (orange), as in the whole volume
        assertEquals(GREY, rgb(img, 0, 0));
        assertEquals(ORANGE, rgb(img, 1, 0));
    }

    @Test
    void paletteHasFixedColoursThenACycle() {
        assertEquals(0x000000, SliceImages.colourOfRank(0));
        assertEquals(0xC8C8C8, SliceImages.colourOfRank(1));
        assertEquals(0xE07B39, SliceImages.colourOfRank(2));
        assertEquals(0x3A7BD5, SliceImages.colourOfRank(3));
        assertEquals(0x4CAF50, SliceImages.colourOfRank(4));
        assertEquals(0x9C27B0, SliceImages.colourOfRank(5));
        assertEquals(0x3F51B5, SliceImages.colourOfRank(12));
        assertEquals(0x9C27B0, SliceImages.colourOfRank(13));
        assertThrows(IllegalArgumentException.class, () -> SliceImages.colourOfRank(-1));
    }

    @ParameterizedTest(name = "normal to {0}: {1} x {2}")
    @CsvSource({"Z, 7, 5", "Y, 7, 3", "X, 5, 3"})
    void imageSizeFollowsTheInPlaneAxes(Axis axis, int width, int height) {
        // Given a 7 x 5 x 3 volume
        BufferedImage img = SliceImages.render(stripes(0, 1, 2), axis, 0);

        // Then the image is first in-plane axis wide, second in-plane axis high
        assertEquals(width, img.getWidth());
        assertEquals(height, img.getHeight());
    }

    @Test
    void orientationPutsXAcrossAndZDownInAnXzSlice() {
        // Given one orange voxel at (x, y, z) = (6, 2, 1) in a 0/1/2 volume that is otherwise 0 except one 1
        Volume v = Volume.generate(7, 5, 3, (x, y, z) -> x == 6 && y == 2 && z == 1 ? 2 : (x == 0 && y == 0
                && z == 0 ? 1 : 0));

        // When the slices through it are rendered
        BufferedImage xy = SliceImages.render(v, Axis.Z, 1);
        BufferedImage xz = SliceImages.render(v, Axis.Y, 2);
        BufferedImage yz = SliceImages.render(v, Axis.X, 6);

        // Then it appears at column x row y, column x row z, column y row z
        assertEquals(ORANGE, rgb(xy, 6, 2));
        assertEquals(ORANGE, rgb(xz, 6, 1));
        assertEquals(ORANGE, rgb(yz, 2, 1));
        assertEquals(BLACK, rgb(xy, 5, 2));
    }

    @Test
    void orthogonalViewPlacesThreeCentralSlicesWithWhiteGaps() {
        // Given a 7 x 5 x 3 volume
        Volume v = stripes(0, 1, 2);

        // When rendered as orthogonal slices
        BufferedImage img = SliceImages.renderOrthogonal(v);

        // Then it is 7 + 4 + 7 + 4 + 5 = 27 wide and max(5, 3) = 5 high
        assertEquals(27, img.getWidth());
        assertEquals(5, img.getHeight());
        // the gaps are white
        for (int y = 0; y < 5; y++) {
            for (int x : new int[] {7, 8, 9, 10, 18, 19, 20, 21}) {
                assertEquals(WHITE, rgb(img, x, y), "gap pixel " + x + "," + y);
            }
        }
        // below the 3-row xz and yz panels is white
        assertEquals(WHITE, rgb(img, 11, 3));
        assertEquals(WHITE, rgb(img, 26, 4));
        // each panel equals its single render: xy at z = 1, xz at y = 2, yz at x = 3
        assertPanel(img, 0, SliceImages.render(v, Axis.Z, 1));
        assertPanel(img, 11, SliceImages.render(v, Axis.Y, 2));
        assertPanel(img, 22, SliceImages.render(v, Axis.X, 3));
    }

    private static void assertPanel(BufferedImage img, int x0, BufferedImage panel) {
        for (int y = 0; y < panel.getHeight(); y++) {
            for (int x = 0; x < panel.getWidth(); x++) {
                assertEquals(rgb(panel, x, y), rgb(img, x0 + x, y), "pixel " + (x0 + x) + "," + y);
            }
        }
    }

    @Test
    void writesAPngThatReadsBackIdenticallyHeadless() throws IOException {
        // Given a headless JVM and a rendered image
        assertTrue(GraphicsEnvironment.isHeadless());
        BufferedImage img = SliceImages.renderOrthogonal(stripes(0, 85, 170));
        Path out = tmp.resolve("slices.png");

        // When written and read back
        SliceImages.writePng(img, out, false);
        BufferedImage back = ImageIO.read(out.toFile());

        // Then it is a PNG of the same pixels
        assertEquals(VolumeFormat.PNG, VolumeFormat.detect(out));
        assertEquals(img.getWidth(), back.getWidth());
        assertPanel(back, 0, img);
    }

    @Test
    void writeRefusesAnExistingFileUnlessOverwrite() throws IOException {
        Path out = tmp.resolve("s.png");
        Files.writeString(out, "old");
        BufferedImage img = SliceImages.render(stripes(0, 1, 2), Axis.Z, 0);

        FileAlreadyExistsException e = assertThrows(FileAlreadyExistsException.class,
                () -> SliceImages.writePng(img, out, false));
        assertTrue(e.getMessage().contains("s.png"));
        assertEquals("old", Files.readString(out));

        SliceImages.writePng(img, out, true);
        assertEquals(7, ImageIO.read(out.toFile()).getWidth());
    }

    @Test
    void sliceIndexOutsideTheVolumeIsRefused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> SliceImages.render(stripes(0, 1, 2), Axis.Z, 3));
        assertTrue(e.getMessage().contains("0..2"), e.getMessage());
    }
}
