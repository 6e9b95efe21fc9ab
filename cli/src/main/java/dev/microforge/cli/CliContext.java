package dev.microforge.cli;

import java.io.PrintStream;

/**
 * What every command needs from its surroundings: where results and messages go, whether {@code --debug} was given
 * and whether stderr is a terminal (which decides between a progress bar and log lines).
 */
final class CliContext {
    private final PrintStream out;
    private final PrintStream err;
    private final boolean debug;
    private final boolean interactive;
    private ConsoleProgress progress;

    CliContext(PrintStream out, PrintStream err, boolean debug, boolean interactive) {
        this.out = out;
        this.err = err;
        this.debug = debug;
        this.interactive = interactive;
    }

    PrintStream out() {
        return out;
    }

    PrintStream err() {
        return err;
    }

    boolean debug() {
        return debug;
    }

    /** The progress display for this run, created on first use; closed before any message is printed. */
    ConsoleProgress progress() {
        if (progress == null) {
            progress = new ConsoleProgress(err, interactive);
        }
        return progress;
    }

    /** A context for a command run inside another (the demo's steps): same stderr and flags, stdout {@code out}. */
    CliContext withOut(PrintStream newOut) {
        return new CliContext(newOut, err, debug, interactive);
    }

    /** Finishes any progress display so that a message starts on a clean line. */
    void closeProgress() {
        if (progress != null) {
            progress.close();
        }
    }
}
