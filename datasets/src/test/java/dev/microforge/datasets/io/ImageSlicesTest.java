package dev.microforge.datasets.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.microforge.datasets.Volume;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ImageSlicesTest {
    @TempDir
    Path dir;

    private static void png(Path file, int w, int h, int value) throws IOException {
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_BYTE_GRAY);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                img.getRaster().setSample(x, y, 0, (x + y) % 2 == 0 ? value : 0);
            }
        }
        ImageIO.write(img, "png", file.toFile());
    }

    @Test
    void aFolderOfSlicesStacksInNaturalOrder() throws IOException {
        // Given slices named 1, 2, 10 (lexical order would put 10 second) of value = slice number
        for (int k : new int[] {1, 2, 10}) {
            png(dir.resolve("slice" + k + ".png"), 5, 4, k);
        }
        Files.writeString(dir.resolve("readme.txt"), "ignored");
        Volume v = VolumeIO.read(dir);
        assertEquals(5, v.nx());
        assertEquals(4, v.ny());
        assertEquals(3, v.nz());
        assertEquals(1, v.get(0, 0, 0));
        assertEquals(2, v.get(0, 0, 1));
        assertEquals(10, v.get(0, 0, 2));
        assertEquals(0, v.get(1, 0, 2));
    }

    @Test
    void tiffSlicesMixWithPngSlices() throws IOException {
        png(dir.resolve("a0.png"), 37, 23, 1);
        Files.copy(TestFiles.resource("tiff/base16.tif"), dir.resolve("a1.tif"));
        VolumeFormatException e = assertThrows(VolumeFormatException.class, () -> VolumeIO.read(dir));
        assertTrue(e.getMessage().contains("a1.tif") && e.getMessage().contains("3 pages"), e.getMessage());
    }

    @Test
    void slicesOfDifferentSizesAreRefused() throws IOException {
        png(dir.resolve("s0.png"), 5, 4, 1);
        png(dir.resolve("s1.png"), 5, 5, 1);
        VolumeFormatException e = assertThrows(VolumeFormatException.class, () -> VolumeIO.read(dir));
        assertTrue(e.getMessage().contains("s1.png") && e.getMessage().contains("5 x 5"), e.getMessage());
    }

    @Test
    void anEmptyFolderIsRefused() {
        VolumeFormatException e = assertThrows(VolumeFormatException.class, () -> VolumeIO.read(dir));
        assertTrue(e.getMessage().contains("no .png or .tif slices"), e.getMessage());
    }

    @Test
    void aSinglePngIsOneSlice() throws IOException {
        Path f = dir.resolve("one.png");
        png(f, 6, 3, 255);
        Volume v = VolumeIO.read(f);
        assertEquals(1, v.nz());
        assertEquals(255, v.get(0, 0, 0));
        assertEquals(255, v.get(1, 1, 0));
        assertEquals(0, v.get(1, 0, 0));
    }

    @Test
    void naturalOrderComparesNumbersByValue() {
        assertTrue(ImageSlices.compareNatural("s2.png", "s10.png") < 0);
        assertTrue(ImageSlices.compareNatural("s010.png", "s9.png") > 0);
        assertTrue(ImageSlices.compareNatural("a.png", "b.png") < 0);
        assertEquals(0, ImageSlices.compareNatural("x1", "x1"));
    }
}
