package dev.microforge.models;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.util.Utils;

/**
 * Loads the one deep-learning engine Microforge uses, DJL's PyTorch engine, strictly offline.
 *
 * <p>libtorch comes from the {@code ai.djl.pytorch:pytorch-native-cpu} jar (classifier {@code
 * linux-x86_64}) on the class path; DJL extracts it into its cache directory ({@code DJL_CACHE_DIR},
 * default {@code ~/.djl.ai}) on first start and never needs to download anything. Offline mode
 * must nevertheless be switched on explicitly, because without it DJL's engine start-up contacts a
 * cloud metadata address and would download a libtorch build if the jar were missing. {@link
 * #pytorch()} therefore refuses to start the engine unless {@code -Dai.djl.offline=true} is set (and
 * the environment variable {@code DJL_OFFLINE}, which DJL reads first, does not contradict it), so
 * no code path in this project can reach the network through DJL.
 */
public final class Engines {

    /** DJL's name of the PyTorch engine. */
    public static final String PYTORCH = "PyTorch";

    /** The system property that switches DJL to offline mode. */
    public static final String OFFLINE_PROPERTY = "ai.djl.offline";

    private Engines() {}

    /**
     * Returns DJL's PyTorch engine, starting it on first use.
     *
     * @return the PyTorch engine
     * @throws IllegalStateException if offline mode is not switched on, or the engine (its jars on
     *     the class path) cannot be found
     */
    public static Engine pytorch() {
        requireOffline();
        if (!Engine.hasEngine(PYTORCH)) {
            throw new IllegalStateException(
                    "DJL engine '"
                            + PYTORCH
                            + "' is not on the class path (found "
                            + Engine.getAllEngines()
                            + "); add ai.djl.pytorch:pytorch-engine, pytorch-jni and"
                            + " pytorch-native-cpu (classifier linux-x86_64) as runtime dependencies");
        }
        return Engine.getEngine(PYTORCH);
    }

    /**
     * Returns the device networks should run on: the first GPU when the engine sees one, else the
     * CPU. A GPU is used when present and never required.
     *
     * @return GPU 0 if available, otherwise the CPU
     */
    public static Device device() {
        return pytorch().getGpuCount() > 0 ? Device.gpu() : Device.cpu();
    }

    /**
     * Returns a one-line description for logs, e.g. {@code "PyTorch 2.7.1 on cpu()"}.
     *
     * @return engine name, libtorch version and device
     */
    public static String describe() {
        Engine engine = pytorch();
        return engine.getEngineName() + " " + engine.getVersion() + " on " + device();
    }

    /**
     * Sets the number of threads libtorch uses inside one operation ({@code torch::set_num_threads}; the default
     * is the number of cores), for the whole process. On a machine shared with other jobs one thread is often much
     * faster than two: every parallel operation waits for all of its threads, and an oversubscribed scheduler
     * keeps one of them waiting.
     *
     * @param threads threads per operation, at least 1
     * @return the previous setting
     * @throws IllegalArgumentException if {@code threads < 1}
     */
    public static int setThreads(int threads) {
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be at least 1, got " + threads);
        }
        pytorch();
        try {
            Class<?> jni = Class.forName("ai.djl.pytorch.jni.JniUtils");
            int previous = (int) jni.getMethod("getNumThreads").invoke(null);
            jni.getMethod("setNumThreads", int.class).invoke(null, threads);
            return previous;
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("cannot set libtorch's thread count through DJL's PyTorch engine", e);
        }
    }

    private static void requireOffline() {
        String property = System.getProperty(OFFLINE_PROPERTY);
        if (!"true".equalsIgnoreCase(property)) {
            throw new IllegalStateException(
                    "DJL must run offline, but system property "
                            + OFFLINE_PROPERTY
                            + " is "
                            + (property == null ? "not set" : "'" + property + "'")
                            + "; start the JVM with -D"
                            + OFFLINE_PROPERTY
                            + "=true (and set the environment variable OPT_OUT_TRACKING=true) so"
                            + " that the engine never reaches the network");
        }
        if (!Utils.isOfflineMode()) {
            throw new IllegalStateException(
                    "system property "
                            + OFFLINE_PROPERTY
                            + "=true is overridden by the environment variable DJL_OFFLINE='"
                            + System.getenv("DJL_OFFLINE")
                            + "'; unset it or set it to true");
        }
    }
}
