package dev.microforge.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Global behaviour: help, version, exit codes, --debug. */
class MainTest {
    @TempDir
    Path dir;

    @Test
    void helpListsTheCommandsOnStdout() {
        CliRunner.Result r = CliRunner.run("--help");
        assertEquals(Main.OK, r.exitCode(), r::toString);
        for (String command : new String[] {"demo", "info", "convert", "slice", "--debug"}) {
            assertTrue(r.out().contains(command), r::toString);
        }
        assertEquals("", r.err());
        CliRunner.Result sub = CliRunner.run("convert", "--help");
        assertEquals(Main.OK, sub.exitCode());
        assertTrue(sub.out().contains("--crop") && sub.out().contains("--otsu"), sub::toString);
    }

    @Test
    void versionNamesTheProgram() {
        CliRunner.Result r = CliRunner.run("--version");
        assertEquals(Main.OK, r.exitCode(), r::toString);
        assertTrue(r.out().startsWith("microforge "), r::toString);
        assertFalse(r.out().contains("${"), "version must be filtered by Maven: " + r.out());
    }

    @Test
    void debugShowsTheStackTraceWherever() {
        String missing = dir.resolve("missing.tif").toString();
        for (String[] args : new String[][] {{"--debug", "info", missing}, {"info", missing, "--debug"},
                {"info", "--debug", missing}}) {
            CliRunner.Result r = CliRunner.run(args);
            assertEquals(Main.BAD_INPUT, r.exitCode(), r::toString);
            assertTrue(r.err().contains("java.nio.file.NoSuchFileException"), r::toString);
            assertTrue(r.err().contains("\tat "), r::toString);
            assertTrue(r.errLines().get(r.errLines().size() - 1).startsWith("microforge: " + missing), r::toString);
        }
    }

    @Test
    void internalErrorsExitWithOneAndAskForDebug() {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        CliContext context = new CliContext(new PrintStream(new ByteArrayOutputStream()),
                new PrintStream(err, true, StandardCharsets.UTF_8), false, false);
        int code = Main.handle(context, new IllegalStateException("broken\ninvariant"));
        String text = err.toString(StandardCharsets.UTF_8);
        assertEquals(Main.INTERNAL_ERROR, code);
        assertEquals("microforge: internal error: java.lang.IllegalStateException: broken; invariant "
                + "(rerun with --debug for the stack trace)", text.strip());
    }

    @Test
    void runningOutOfMemorySaysHowToGetMore() {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        CliContext context = new CliContext(new PrintStream(new ByteArrayOutputStream()),
                new PrintStream(err, true, StandardCharsets.UTF_8), false, false);
        assertEquals(Main.INTERNAL_ERROR, Main.handle(context, new OutOfMemoryError("Java heap space")));
        String text = err.toString(StandardCharsets.UTF_8);
        assertEquals(1, text.lines().count(), text);
        assertTrue(text.contains("MICROFORGE_JAVA_OPTS=-Xmx"), text);
    }

    @Test
    void debugFlagAfterDoubleDashIsAnOperand() {
        assertTrue(Main.debugRequested(new String[] {"info", "--debug"}));
        assertFalse(Main.debugRequested(new String[] {"info", "--", "--debug"}));
    }
}
