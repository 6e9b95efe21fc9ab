package dev.microforge.models.surrogate;

import java.util.Locale;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.nativeblas.NativeOpsHolder;

/**
 * Starts ND4J (the array engine under DL4J) for the CNN surrogate and sets its thread count.
 *
 * <p>ND4J's native library comes from the {@code org.nd4j:nd4j-native} jar whose classifier the build chooses
 * ({@code linux-x86_64-onednn} by default, {@code linux-x86_64} also works). JavaCPP loads the build named by the
 * system property {@code org.bytedeco.javacpp.platform.extension}; {@link #start()} sets it from the jar actually on
 * the class path (unless it is set already), so no launcher flag is needed. Nothing is downloaded: the native
 * library is extracted from the jar into JavaCPP's cache ({@code ~/.javacpp/cache}).
 *
 * <p>ND4J and DJL's libtorch live in one JVM: each brings its own OpenMP runtime ({@code libgomp}), loaded
 * side by side; {@code SurrogateEngineCoexistenceTest} runs both engines in one JVM in either order.
 *
 * <p>Threads: ND4J's OpenMP and OpenBLAS pools spin while they wait, so on a machine whose cores are busy with
 * other work two threads can be several times slower than one (measured here under a load of about 11 on 2 cores:
 * a small training epoch took 0.3 s on one thread and 3 to 6 s on two). {@link #start()} therefore sets one thread
 * unless the system property {@value #THREADS_PROPERTY} says otherwise; {@link #setThreads} sets both pools.
 */
public final class Nd4jRuntime {
    /** The JavaCPP property that selects a native build by its classifier suffix. */
    public static final String EXTENSION_PROPERTY = "org.bytedeco.javacpp.platform.extension";
    /** System property with the thread count {@link #start()} sets (default 1). */
    public static final String THREADS_PROPERTY = "microforge.nd4j.threads";
    private static final String BINDINGS = "org/nd4j/linalg/cpu/nativecpu/bindings/";
    private static final String PLATFORM = "linux-x86_64";

    private static boolean started;
    private static int threads;

    private Nd4jRuntime() {
    }

    /**
     * Loads ND4J's native backend once (idempotent, thread-safe).
     *
     * @throws IllegalStateException when no native build for this platform is on the class path
     */
    public static synchronized void start() {
        if (started) {
            return;
        }
        if (System.getProperty(EXTENSION_PROPERTY) == null) {
            String extension = nativeBuildExtension();
            if (extension != null && !extension.isEmpty()) {
                System.setProperty(EXTENSION_PROPERTY, extension);
            }
        }
        try {
            Nd4j.create(1);
        } catch (RuntimeException | LinkageError e) {
            throw new IllegalStateException("ND4J's native library did not load (" + e.getMessage() + "); the "
                    + "class path needs org.nd4j:nd4j-native with classifier " + PLATFORM + "-onednn or " + PLATFORM,
                    e);
        }
        started = true;
        String wanted = System.getProperty(THREADS_PROPERTY, "1");
        try {
            setThreads(Integer.parseInt(wanted.trim()));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("-D" + THREADS_PROPERTY + " must be a positive whole number, got '"
                    + wanted + "'", e);
        }
    }

    /** The suffix of the native build on the class path: {@code -onednn}, {@code ""} (plain), or null if none. */
    static String nativeBuildExtension() {
        ClassLoader loader = Nd4jRuntime.class.getClassLoader();
        for (String extension : new String[] {"-onednn", "", "-avx2", "-avx512", "-onednn-avx2", "-onednn-avx512"}) {
            if (loader.getResource(BINDINGS + PLATFORM + extension + "/") != null
                    || loader.getResource(BINDINGS + PLATFORM + extension + "/libjnind4jcpu.so") != null) {
                return extension;
            }
        }
        return null;
    }

    /**
     * Sets the threads of ND4J's operations and of its BLAS (starting ND4J if needed).
     *
     * @param count threads, at least 1
     */
    public static synchronized void setThreads(int count) {
        if (count < 1) {
            throw new IllegalArgumentException("threads must be at least 1, got " + count);
        }
        start();
        NativeOpsHolder.getInstance().getDeviceNativeOps().setOmpNumThreads(count);
        Nd4j.factory().blas().setMaxThreads(count);
        threads = count;
    }

    /** The thread count set last (or ND4J's default after {@link #start()}). */
    public static synchronized int threads() {
        start();
        return threads;
    }

    /** One line for logs and reports, e.g. {@code "ND4J linux-x86_64-onednn, 2 threads"}. */
    public static String describe() {
        start();
        String extension = System.getProperty(EXTENSION_PROPERTY, "");
        return String.format(Locale.ROOT, "ND4J %s%s, %d thread%s", PLATFORM, extension, threads(),
                threads() == 1 ? "" : "s");
    }
}
