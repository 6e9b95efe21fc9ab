package dev.microforge.datasets;

import java.util.Locale;

/**
 * Checks, before an allocation, that it fits the heap the JVM may still grow to, so that an oversized request fails
 * with a message (bytes needed, the {@code -Xmx} to use) instead of an {@link OutOfMemoryError} half way through.
 */
public final class MemoryBudget {
    /** Largest element count of a Java array. */
    public static final long MAX_ARRAY_LENGTH = Integer.MAX_VALUE - 8;

    private MemoryBudget() {
    }

    /**
     * Heap bytes still available: the maximum heap minus what is in use now. Garbage not yet collected counts as in
     * use, so this is conservative; {@link #require} runs a collection before refusing.
     */
    public static long availableBytes() {
        Runtime rt = Runtime.getRuntime();
        return rt.maxMemory() - (rt.totalMemory() - rt.freeMemory());
    }

    /**
     * Refuses an allocation of {@code elements} array elements of {@code bytesPerElement} bytes each when it does not
     * fit a Java array or the heap.
     *
     * @param what what is being allocated, for the message (e.g. "a 1024x1024x1024 label volume")
     * @throws VolumeTooLargeException naming the bytes needed and the -Xmx to use
     */
    public static void require(long elements, int bytesPerElement, String what) {
        if (elements < 0) {
            throw new IllegalArgumentException("negative size for " + what + ": " + elements);
        }
        if (elements > MAX_ARRAY_LENGTH) {
            throw new VolumeTooLargeException(String.format(Locale.ROOT,
                    "%s has %,d voxels, more than one Java array holds (%,d); crop it first (convert --crop)",
                    what, elements, MAX_ARRAY_LENGTH));
        }
        long bytes = elements * bytesPerElement;
        if (bytes > availableBytes()) {
            System.gc();
            long available = availableBytes();
            if (bytes > available) {
                long usedNow = Runtime.getRuntime().maxMemory() - available;
                long suggestGiB = (long) Math.ceil((usedNow + 2.0 * bytes) / (1L << 30));
                throw new VolumeTooLargeException(String.format(Locale.ROOT,
                        "%s needs %,d bytes but only %,d bytes of heap are free; run with a larger heap, e.g. "
                                + "MICROFORGE_JAVA_OPTS=-Xmx%dg (java -Xmx%dg)", what, bytes, available, suggestGiB,
                        suggestGiB));
            }
        }
    }
}
