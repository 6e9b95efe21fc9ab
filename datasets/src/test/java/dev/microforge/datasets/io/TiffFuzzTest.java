package dev.microforge.datasets.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Random;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * 200 randomly damaged copies of small TIFFs per source file: each read must end, within seconds, in either a
 * volume or a {@link VolumeFormatException}, never another exception, an error, a hang or running out of memory.
 */
class TiffFuzzTest {
    private static final int COPIES = 200;

    @TempDir
    Path dir;

    @ParameterizedTest
    @ValueSource(strings = {"packbits8.tif", "lzw_predictor16.tif", "bigtiff_be_tiled_packbits8.tif",
        "ifds_first8.tif", "be_deflate1.tif"})
    void damagedCopiesFailCleanly(String source) throws IOException {
        byte[] original = Files.readAllBytes(TestFiles.resource("tiff/" + source));
        Random random = new Random(source.hashCode());
        int volumes = 0;
        int refusals = 0;
        for (int copy = 0; copy < COPIES; copy++) {
            byte[] damaged = damage(original, random);
            Path file = dir.resolve("fuzz" + copy + ".tif");
            Files.write(file, damaged);
            String what = source + " copy " + copy;
            Outcome outcome = assertTimeoutPreemptively(Duration.ofSeconds(10), () -> readOnce(file), what);
            if (outcome.error != null) {
                fail(what + ": unclean failure " + outcome.error, outcome.error);
            }
            if (outcome.samples != null) {
                volumes++;
                assertTrue(outcome.samples.count() > 0 && outcome.samples.count() <= 100_000_000L, what);
                assertEquals(outcome.samples.count(), (long) outcome.samples.nx() * outcome.samples.ny()
                        * outcome.samples.nz(), what);
            } else {
                refusals++;
                assertTrue(outcome.message.contains(file.toString()), what + ": message lacks the file: "
                        + outcome.message);
            }
            Files.delete(file);
        }
        assertEquals(COPIES, volumes + refusals);
        assertTrue(refusals > 0, "damage must be detected at least sometimes");
    }

    private static final class Outcome {
        Samples samples;
        String message;
        Throwable error;
    }

    private static Outcome readOnce(Path file) {
        Outcome o = new Outcome();
        try {
            o.samples = VolumeIO.readSamples(file, ProgressListener.NONE);
        } catch (VolumeFormatException e) {
            o.message = e.getMessage();
        } catch (Throwable t) {
            o.error = t;
        }
        return o;
    }

    /** One of: flip bytes anywhere, flip bytes in the first 64 (header and early IFD), truncate, or splice junk. */
    private static byte[] damage(byte[] original, Random random) {
        byte[] b = original.clone();
        switch (random.nextInt(4)) {
            case 0:
                for (int i = 0, n = 1 + random.nextInt(8); i < n; i++) {
                    b[random.nextInt(b.length)] = (byte) random.nextInt(256);
                }
                return b;
            case 1:
                for (int i = 0, n = 1 + random.nextInt(3); i < n; i++) {
                    b[4 + random.nextInt(Math.min(60, b.length - 4))] = (byte) random.nextInt(256);
                }
                return b;
            case 2:
                return java.util.Arrays.copyOf(b, 4 + random.nextInt(b.length - 4));
            default:
                int at = random.nextInt(b.length - 16);
                for (int i = 0; i < 16; i++) {
                    b[at + i] = (byte) (random.nextBoolean() ? 0xFF : random.nextInt(256));
                }
                return b;
        }
    }
}
