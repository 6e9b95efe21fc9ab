package dev.microforge.datasets.io;

import static dev.microforge.datasets.VolumeAssert.assertVolumeEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.microforge.datasets.Volume;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ZippedTiffTest {
    @TempDir
    Path dir;

    private Path zip(String name, String... entries) throws IOException {
        Path z = dir.resolve(name);
        byte[] tiff = Files.readAllBytes(TestFiles.resource("tiff/packbits8.tif"));
        try (OutputStream out = Files.newOutputStream(z); ZipOutputStream zo = new ZipOutputStream(out)) {
            for (String e : entries) {
                zo.putNextEntry(new ZipEntry(e));
                zo.write(e.endsWith(".txt") ? "hello".getBytes() : tiff);
                zo.closeEntry();
            }
        }
        return z;
    }

    @Test
    void aZipWithOneTiffReadsAsThatTiffIgnoringMacResources() throws IOException {
        Volume expected = VolumeIO.read(TestFiles.resource("tiff/packbits8.tif"));
        Path z = zip("one.zip", "data/stack.tif", "__MACOSX/data/._stack.tif", "notes.txt");
        assertVolumeEquals(expected, VolumeIO.read(z));
    }

    @Test
    void aZipWithNoTiffIsRefused() throws IOException {
        Path z = zip("none.zip", "notes.txt");
        VolumeFormatException e = assertThrows(VolumeFormatException.class, () -> VolumeIO.read(z));
        assertTrue(e.getMessage().contains("none.zip") && e.getMessage().contains("no .tif"), e.getMessage());
    }

    @Test
    void aZipWithTwoTiffsIsRefusedNamingThem() throws IOException {
        Path z = zip("two.zip", "a.tif", "b.tiff");
        VolumeFormatException e = assertThrows(VolumeFormatException.class, () -> VolumeIO.read(z));
        assertTrue(e.getMessage().contains("two.zip") && e.getMessage().contains("a.tif")
                && e.getMessage().contains("b.tiff"), e.getMessage());
    }

    @Test
    void aCorruptZipIsRefused() throws IOException {
        Path z = zip("cut.zip", "a.tif");
        byte[] bytes = Files.readAllBytes(z);
        Files.write(z, java.util.Arrays.copyOf(bytes, bytes.length / 2));
        VolumeFormatException e = assertThrows(VolumeFormatException.class, () -> VolumeIO.read(z));
        assertTrue(e.getMessage().contains("cut.zip"), e.getMessage());
    }
}
