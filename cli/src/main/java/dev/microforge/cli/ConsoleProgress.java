package dev.microforge.cli;

import dev.microforge.datasets.io.ProgressListener;
import java.io.PrintStream;
import java.time.Duration;
import java.util.Locale;
import java.util.function.LongSupplier;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/**
 * Shows the progress of long reads, writes and loops on stderr: a progress bar with rate and ETA when stderr is a
 * terminal, otherwise a plain line at most every {@link #LOG_INTERVAL_NANOS}. Tasks shorter than
 * {@link #QUIET_NANOS} show nothing, so quick commands print only their result. Never writes to stdout, so
 * {@code --json} output stays clean.
 */
final class ConsoleProgress implements ProgressListener, AutoCloseable {
    /** Nothing is shown for a task until it has run this long. */
    static final long QUIET_NANOS = 1_000_000_000L;
    /** Least time between two log lines when stderr is not a terminal. */
    static final long LOG_INTERVAL_NANOS = 5_000_000_000L;

    private final PrintStream err;
    private final boolean interactive;
    private final LongSupplier clock;

    private String task;
    private long taskStart;
    private long lastLog;
    private boolean logged;
    private ProgressBar bar;
    private String detail;

    ConsoleProgress(PrintStream err, boolean interactive) {
        this(err, interactive, System::nanoTime);
    }

    /** With an explicit clock (nanoseconds), for tests. */
    ConsoleProgress(PrintStream err, boolean interactive, LongSupplier clock) {
        this.err = err;
        this.interactive = interactive;
        this.clock = clock;
    }

    @Override
    public synchronized void progress(String taskName, long done, long total) {
        progress(taskName, done, total, null);
    }

    /**
     * Like {@link #progress(String, long, long)} with a short changing detail (e.g. current losses) shown after the
     * counts; the task stays the same task while only the detail changes.
     */
    synchronized void progress(String taskName, long done, long total, String detail) {
        this.detail = detail;
        long now = clock.getAsLong();
        if (task == null || !task.equals(taskName)) {
            finishTask();
            task = taskName;
            taskStart = now;
            lastLog = now;
            logged = false;
        }
        long elapsed = now - taskStart;
        boolean finished = total > 0 && done >= total;
        if (interactive) {
            if (bar == null && elapsed >= QUIET_NANOS && !finished) {
                bar = new ProgressBarBuilder()
                        .setTaskName(taskName)
                        .setInitialMax(Math.max(total, 1))
                        .setStyle(ProgressBarStyle.ASCII)
                        .setConsumer(new ConsoleProgressBarConsumer(err))
                        .setUpdateIntervalMillis(250)
                        .showSpeed()
                        .startsFrom(0, Duration.ofNanos(elapsed))
                        .build();
            }
            if (bar != null) {
                if (detail != null) {
                    bar.setExtraMessage(" " + detail);
                }
                bar.maxHint(Math.max(total, 1));
                bar.stepTo(done);
            }
        } else if (elapsed >= QUIET_NANOS && (!logged || finished || now - lastLog >= LOG_INTERVAL_NANOS)) {
            log(taskName, done, total, elapsed);
            lastLog = now;
            logged = true;
        }
        if (finished) {
            finishTask();
            task = null;
        }
    }

    private void log(String taskName, long done, long total, long elapsedNanos) {
        double seconds = elapsedNanos / 1e9;
        if (total > 0) {
            double fraction = Math.min(1.0, (double) done / total);
            String eta = done > 0 && done < total
                    ? String.format(Locale.ROOT, ", about %.0f s left", seconds * (total - done) / done) : "";
            err.printf(Locale.ROOT, "microforge: %s: %d/%d (%.0f%%) after %.0f s%s%s%n", taskName, done, total,
                    100 * fraction, seconds, eta, detail == null ? "" : "; " + detail);
        } else {
            err.printf(Locale.ROOT, "microforge: %s: %d after %.0f s%s%n", taskName, done, seconds,
                    detail == null ? "" : "; " + detail);
        }
        err.flush();
    }

    private void finishTask() {
        if (bar != null) {
            bar.close();
            bar = null;
        }
    }

    /** Ends the current display (a bar's final state stays on its line). */
    @Override
    public synchronized void close() {
        finishTask();
        task = null;
    }
}
