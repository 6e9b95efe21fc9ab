package dev.microforge.cli;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;

/**
 * Lets a long command stop cleanly on Ctrl-C (SIGINT, SIGTERM): a shutdown hook raises a flag that the command's
 * loop polls, then holds the JVM open (at most {@link #GRACE_SECONDS}) until the command has finished what it was
 * writing and closed this object. Files are written through temporary files, so even a hard kill leaves no half
 * file; this is for ending with a message and the work so far saved.
 */
final class CtrlC implements AutoCloseable, BooleanSupplier {
    /** How long the shutdown waits for the command to wind down. */
    static final long GRACE_SECONDS = 60;

    private final long graceSeconds;
    private final AtomicBoolean requested = new AtomicBoolean();
    private final CountDownLatch finished = new CountDownLatch(1);
    private final Thread hook;

    CtrlC() {
        this(GRACE_SECONDS);
    }

    /** @param graceSeconds how long the shutdown waits for the command to wind down */
    CtrlC(long graceSeconds) {
        this.graceSeconds = graceSeconds;
        hook = new Thread(() -> {
            requested.set(true);
            try {
                finished.await(this.graceSeconds, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "microforge-ctrl-c");
        Runtime.getRuntime().addShutdownHook(hook);
    }

    /** Whether Ctrl-C was pressed. */
    @Override
    public boolean getAsBoolean() {
        return requested.get();
    }

    /** The command is done (print its last words before this): the JVM may exit. */
    @Override
    public void close() {
        finished.countDown();
        if (!requested.get()) {
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException e) {
                // shutting down already
            }
        }
    }
}
