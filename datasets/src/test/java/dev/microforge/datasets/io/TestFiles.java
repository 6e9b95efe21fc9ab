package dev.microforge.datasets.io;

import java.net.URISyntaxException;
import java.nio.file.Path;

/** Locates files under {@code src/test/resources}. */
final class TestFiles {
    private TestFiles() {
    }

    static Path resource(String name) {
        try {
            java.net.URL url = TestFiles.class.getResource("/" + name);
            if (url == null) {
                throw new IllegalStateException("test resource missing: " + name);
            }
            return Path.of(url.toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }
}
