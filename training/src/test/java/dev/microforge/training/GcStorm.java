package dev.microforge.training;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * A thread that runs the garbage collector every millisecond and fills freshly allocated direct buffers with
 * {@code 0x7f} bytes (3.4e38 as floats), so that native memory freed by a collected buffer is reused at once
 * with a value no computation produces. Tests run code under it to show that no tensor reads memory the JVM
 * has freed (see {@link dev.microforge.models.Scalars}).
 */
final class GcStorm implements AutoCloseable {

    private final Thread thread;
    private volatile boolean stop;

    GcStorm() {
        thread = new Thread(this::run, "gc-storm");
        thread.setDaemon(true);
        thread.start();
    }

    private void run() {
        List<ByteBuffer> held = new ArrayList<>();
        int round = 0;
        while (!stop) {
            System.gc();
            held.clear();
            for (int i = 0; i < 64; i++) {
                ByteBuffer b = ByteBuffer.allocateDirect(4 + 16 * ((round + i) % 16));
                while (b.hasRemaining()) {
                    b.put((byte) 0x7f);
                }
                held.add(b);
            }
            round++;
            try {
                Thread.sleep(1);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    @Override
    public void close() {
        stop = true;
        try {
            thread.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
