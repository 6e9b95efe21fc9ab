package dev.microforge.models;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDManager;
import java.io.IOException;
import java.net.Proxy;
import java.net.ProxySelector;
import java.net.SocketAddress;
import java.net.URI;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Child-JVM entry point for {@link OfflineEngineLoadTest}: starts the PyTorch engine through {@link
 * Engines}, runs one operation, and prints {@code key=value} lines the test parses.
 *
 * <p>A recording {@link ProxySelector} is installed first, so any {@code URLConnection} DJL opens
 * (downloads, metadata or telemetry calls over http/https) is counted and refused. Raw sockets would
 * bypass it; DJL uses {@code URL.openConnection} for all of its remote access.
 */
public final class OfflineEngineProbe {

    private OfflineEngineProbe() {}

    public static void main(String[] args) {
        List<URI> attempts = new CopyOnWriteArrayList<>();
        ProxySelector.setDefault(
                new ProxySelector() {
                    @Override
                    public List<Proxy> select(URI uri) {
                        attempts.add(uri);
                        throw new IllegalStateException("network access attempted: " + uri);
                    }

                    @Override
                    public void connectFailed(URI uri, SocketAddress sa, IOException e) {}
                });
        Engine engine = Engines.pytorch();
        float sum;
        try (NDManager manager = engine.newBaseManager()) {
            sum = manager.ones(new ai.djl.ndarray.types.Shape(2, 3)).sum().getFloat();
        }
        System.out.println("engine=" + engine.getEngineName());
        System.out.println("version=" + engine.getVersion());
        System.out.println("describe=" + Engines.describe());
        System.out.println("sum=" + sum);
        System.out.println("networkAttempts=" + attempts.size() + " " + attempts);
    }
}
