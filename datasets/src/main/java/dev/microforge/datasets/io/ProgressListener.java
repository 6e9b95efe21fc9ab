package dev.microforge.datasets.io;

/**
 * Receives progress of a long read or write. Libraries never print; the CLI turns these calls into a progress bar
 * (terminal) or log lines. Implementations must be cheap: they are called once per page or chunk.
 */
@FunctionalInterface
public interface ProgressListener {
    /** Ignores all progress. */
    ProgressListener NONE = (task, done, total) -> { };

    /**
     * @param task what is being done, e.g. "reading electrode.tif"
     * @param done units done so far (pages, slices or bytes)
     * @param total units in all
     */
    void progress(String task, long done, long total);
}
