package dev.microforge.evaluator.transport;

import java.util.concurrent.ExecutionException;
import java.util.concurrent.ForkJoinPool;
import java.util.function.IntConsumer;
import java.util.stream.IntStream;

/**
 * Runs a loop body over z-slabs on a fixed number of worker threads. Each slab is written by one worker only, and
 * reductions are summed per slab by the callers, so results never depend on the thread count.
 */
final class Slabs implements AutoCloseable {
    private final int threads;
    private final ForkJoinPool pool;

    Slabs(int threads) {
        this.threads = Math.max(1, threads);
        this.pool = this.threads > 1 ? new ForkJoinPool(this.threads) : null;
    }

    /** Runs {@code body(z)} for every z in [0, count). */
    void forEach(int count, IntConsumer body) {
        if (pool == null || count < 4) {
            for (int z = 0; z < count; z++) {
                body.accept(z);
            }
            return;
        }
        try {
            pool.submit(() -> IntStream.range(0, count).parallel().forEach(body)).get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("transport solve interrupted", e);
        } catch (ExecutionException e) {
            Throwable c = e.getCause();
            if (c instanceof RuntimeException) {
                throw (RuntimeException) c;
            }
            if (c instanceof Error) {
                throw (Error) c;
            }
            throw new IllegalStateException(c);
        }
    }

    @Override
    public void close() {
        if (pool != null) {
            pool.shutdown();
        }
    }
}
