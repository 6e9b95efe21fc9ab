package dev.microforge.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.microforge.datasets.Volume;
import dev.microforge.datasets.io.VolumeIO;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The bad-input table: every case exits with 2, prints exactly one line on stderr that names the file (or option)
 * and the fault, prints nothing on stdout and leaves no file behind.
 */
class BadInputTest {
    @TempDir
    Path dir;

    private Path input;

    @BeforeEach
    void writeInput() throws IOException {
        input = TestVolumes.npyU8(dir.resolve("in.npy"), TestVolumes.threePhase());
    }

    /** Runs {@code args}, checks the bad-input contract and returns the one stderr line. */
    private String refused(String... args) throws IOException {
        Set<String> before = TestVolumes.listing(dir);
        CliRunner.Result r = CliRunner.run(args);
        assertEquals(Main.BAD_INPUT, r.exitCode(), r::toString);
        assertEquals(1, r.errLines().size(), () -> "expected one line on stderr\n" + r);
        assertEquals("", r.out(), () -> "nothing on stdout\n" + r);
        String line = r.errLines().get(0);
        assertTrue(line.startsWith("microforge: "), line);
        assertEquals(before, TestVolumes.listing(dir), "files left behind");
        return line;
    }

    private static void assertMentions(String line, String... parts) {
        for (String p : parts) {
            assertTrue(line.toLowerCase(Locale.ROOT).contains(p.toLowerCase(Locale.ROOT)),
                    () -> "'" + line + "' does not mention '" + p + "'");
        }
    }

    @Test
    void missingInputIsNamedForEveryCommand() throws IOException {
        String missing = dir.resolve("missing.tif").toString();
        assertEquals("microforge: " + missing + ": no such file or folder", refused("info", missing));
        assertMentions(refused("convert", missing, dir.resolve("out.tif").toString()),
                missing + ": no such file or folder");
        assertMentions(refused("slice", missing, "--out", dir.resolve("out.png").toString()),
                missing + ": no such file or folder");
    }

    @Test
    void folderWithoutSlicesIsRefused() throws IOException {
        Path empty = Files.createDirectory(dir.resolve("noslices"));
        assertMentions(refused("info", empty.toString()), empty.toString(), "slices");
        assertMentions(refused("convert", empty.toString(), dir.resolve("out.npy").toString()),
                empty.toString(), "slices");
    }

    @Test
    void emptyFileIsRefused() throws IOException {
        Path empty = Files.createFile(dir.resolve("empty.tif"));
        assertMentions(refused("info", empty.toString()), empty.toString(), "empty");
        assertMentions(refused("convert", empty.toString(), dir.resolve("out.npy").toString()),
                empty.toString(), "empty");
    }

    @Test
    void missingOutputFolderIsRefusedBeforeReading() throws IOException {
        Path out = dir.resolve("nowhere").resolve("out.tif");
        assertMentions(refused("convert", input.toString(), out.toString()), out.toString(), "does not exist");
        assertMentions(refused("slice", input.toString(), "--out", dir.resolve("nowhere/s.png").toString()),
                "s.png", "does not exist");
    }

    @Test
    void existingOutputNeedsForce() throws IOException {
        Path out = dir.resolve("out.tif");
        byte[] old = "keep me".getBytes(StandardCharsets.US_ASCII);
        Files.write(out, old);

        assertMentions(refused("convert", input.toString(), out.toString()), out.toString(), "--force");
        assertArrayEquals(old, Files.readAllBytes(out), "existing output was changed");

        CliRunner.Result forced = CliRunner.run("convert", input.toString(), out.toString(), "--force");
        assertEquals(Main.OK, forced.exitCode(), forced::toString);
        Volume written = VolumeIO.read(out);
        assertEquals(TestVolumes.threePhase(), written, () -> TestVolumes.threePhase().firstDifference(written)
                .orElse(""));
        assertEquals(Set.of("in.npy", "out.tif"), TestVolumes.listing(dir));
    }

    @Test
    void existingPictureNeedsForce() throws IOException {
        Path out = Files.write(dir.resolve("s.png"), new byte[] {1, 2, 3});
        assertMentions(refused("slice", input.toString(), "--out", out.toString()), out.toString(), "--force");
        assertEquals(Main.OK, CliRunner.run("slice", input.toString(), "--out", out.toString(), "--force")
                .exitCode());
    }

    @Test
    void unknownOutputExtensionIsRefused() throws IOException {
        assertMentions(refused("convert", input.toString(), dir.resolve("out.xyz").toString()), "out.xyz",
                "extension");
        assertMentions(refused("slice", input.toString(), "--out", dir.resolve("s.jpg").toString()), "s.jpg",
                ".png");
    }

    @Test
    void mapAndOtsuTogetherAreRefused() throws IOException {
        assertMentions(refused("convert", input.toString(), dir.resolve("out.tif").toString(), "--map", "0:0,1:1",
                "--otsu", "2"), "--map", "--otsu", "together");
    }

    @Test
    void badMapIsRefused() throws IOException {
        assertMentions(refused("convert", input.toString(), dir.resolve("out.tif").toString(), "--map", "0-1"),
                "0-1", "value:label");
        // a value the map leaves out: names the file, the value and a voxel holding it
        assertMentions(refused("convert", input.toString(), dir.resolve("out.tif").toString(), "--map", "0:0,1:1"),
                input.toString(), "value 2");
    }

    @Test
    void badCropIsRefused() throws IOException {
        String out = dir.resolve("out.tif").toString();
        assertMentions(refused("convert", input.toString(), out, "--crop", "1,2,3"), "--crop", "'1,2,3'",
                "six integers");
        assertMentions(refused("convert", input.toString(), out, "--crop", "0,0,0,0,1,1"), "--crop", "at least 1");
        // well formed but larger than the 7 x 5 x 3 volume: named with the file
        assertMentions(refused("convert", input.toString(), out, "--crop", "0,0,0,8,5,3"), input.toString(),
                "not inside", "7 x 5 x 3");
    }

    @Test
    void badVoxelSizeIsRefused() throws IOException {
        assertMentions(refused("convert", input.toString(), dir.resolve("out.tif").toString(), "--voxel-size",
                "-1"), "--voxel-size", "-1");
    }

    @Test
    void compressionForAnotherFormatIsRefused() throws IOException {
        assertMentions(refused("convert", input.toString(), dir.resolve("out.npy").toString(), "--compression",
                "lzw"), "out.npy", "--compression");
        assertMentions(refused("convert", input.toString(), dir.resolve("out.tif").toString(), "--compression",
                "zstd"), "--compression", "zstd");
    }

    @Test
    void greyscaleNeedsAConversion() throws IOException {
        int[] values = new int[4 * 4 * 2];
        for (int i = 0; i < values.length; i++) {
            values[i] = i * 1000;
        }
        Path grey = TestVolumes.npyU16(dir.resolve("grey.npy"), 4, 4, 2, values);
        assertMentions(refused("convert", grey.toString(), dir.resolve("out.tif").toString()), grey.toString(),
                "--map", "--otsu");
    }

    @Test
    void badSliceRequestsAreRefused() throws IOException {
        String png = dir.resolve("s.png").toString();
        assertMentions(refused("slice", input.toString(), "--out", png, "--axis", "w"), "--axis", "'w'");
        assertMentions(refused("slice", input.toString(), "--out", png, "--index", "1"), "--index", "--axis");
        assertMentions(refused("slice", input.toString(), "--out", png, "--axis", "z", "--index", "3"),
                input.toString(), "outside 0..2");
        assertMentions(refused("slice", input.toString()), "--out");
    }

    @Test
    void usageErrorsAreOneLine() throws IOException {
        assertMentions(refused("frobnicate"), "unknown command", "frobnicate");
        assertMentions(refused("--frobnicate"), "--frobnicate");
        assertMentions(refused(), "no command");
        assertMentions(refused("info"), "VOLUME");
        assertMentions(refused("info", input.toString(), "--bogus"), "--bogus", "microforge info --help");
        assertMentions(refused("convert", input.toString()), "OUT");
    }
}
