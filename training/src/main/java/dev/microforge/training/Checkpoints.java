package dev.microforge.training;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The checkpoint folders of a model directory: {@code MODELDIR/checkpoints/iteration-NNNNNNNNN/},
 * each written complete into a hidden {@code .partial-...} folder, flushed to disk and renamed into
 * place, so a crash or Ctrl-C never leaves a half-written checkpoint under a checkpoint's name.
 * Only the newest {@code keep} are kept.
 */
public final class Checkpoints {

    /** The checkpoint folder inside a model directory. */
    public static final String FOLDER = "checkpoints";

    private static final Pattern NAME = Pattern.compile("iteration-(\\d{9,})");
    private static final String PARTIAL = ".partial-";

    /** Fills a checkpoint folder. */
    @FunctionalInterface
    public interface Content {
        /**
         * Writes the files of a checkpoint.
         *
         * @param dir an existing, empty folder
         * @throws IOException if writing fails
         */
        void write(Path dir) throws IOException;
    }

    private Checkpoints() {}

    /**
     * Returns the folder name of the checkpoint of an iteration.
     *
     * @param iteration the iteration
     * @return {@code iteration-NNNNNNNNN}
     */
    public static String name(long iteration) {
        return String.format(Locale.ROOT, "iteration-%09d", iteration);
    }

    /**
     * Writes a checkpoint atomically and removes all but the newest {@code keep}.
     *
     * @param modelDir the model directory
     * @param iteration the iteration the checkpoint holds
     * @param content writes its files
     * @param keep how many checkpoints to keep, at least 1
     * @return the checkpoint folder
     * @throws IOException if writing fails (nothing is left under the checkpoint's name then)
     */
    public static Path write(Path modelDir, long iteration, Content content, int keep) throws IOException {
        if (keep < 1) {
            throw new IllegalArgumentException("keep must be at least 1, got " + keep);
        }
        Path root = Files.createDirectories(modelDir.resolve(FOLDER));
        Path target = root.resolve(name(iteration));
        Path partial = Files.createTempDirectory(root, PARTIAL + name(iteration) + "-");
        boolean done = false;
        try {
            content.write(partial);
            try (Stream<Path> files = Files.list(partial)) {
                for (Path f : (Iterable<Path>) files::iterator) {
                    try (FileChannel ch = FileChannel.open(f, StandardOpenOption.WRITE)) {
                        ch.force(true);
                    }
                }
            }
            if (Files.exists(target)) {
                deleteTree(target);
            }
            try {
                Files.move(partial, target, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(partial, target);
            }
            done = true;
        } finally {
            if (!done) {
                deleteTree(partial);
            }
        }
        List<Path> all = list(modelDir);
        for (int i = 0; i < all.size() - keep; i++) {
            deleteTree(all.get(i));
        }
        return target;
    }

    /**
     * Lists the complete checkpoints, oldest first.
     *
     * @param modelDir the model directory
     * @return checkpoint folders in iteration order (empty if none)
     * @throws IOException if the folder cannot be listed
     */
    public static List<Path> list(Path modelDir) throws IOException {
        Path root = modelDir.resolve(FOLDER);
        if (!Files.isDirectory(root)) {
            return List.of();
        }
        List<Path> found = new ArrayList<>();
        try (Stream<Path> s = Files.list(root)) {
            s.filter(p -> Files.isDirectory(p) && NAME.matcher(p.getFileName().toString()).matches())
                    .forEach(found::add);
        }
        found.sort(Comparator.comparingLong(Checkpoints::iterationOf));
        return found;
    }

    /**
     * Returns the newest complete checkpoint.
     *
     * @param modelDir the model directory
     * @return its folder, or empty if there is none
     * @throws IOException if the folder cannot be listed
     */
    public static Optional<Path> latest(Path modelDir) throws IOException {
        List<Path> all = list(modelDir);
        return all.isEmpty() ? Optional.empty() : Optional.of(all.get(all.size() - 1));
    }

    /**
     * Returns the iteration a checkpoint folder holds, from its name.
     *
     * @param dir a checkpoint folder
     * @return the iteration
     * @throws IllegalArgumentException if the name is not {@code iteration-NNNNNNNNN}
     */
    public static long iterationOf(Path dir) {
        Matcher m = NAME.matcher(dir.getFileName().toString());
        if (!m.matches()) {
            throw new IllegalArgumentException(dir + " is not a checkpoint folder (iteration-NNNNNNNNN)");
        }
        return Long.parseLong(m.group(1));
    }

    /**
     * Removes hidden partial folders a crash left behind.
     *
     * @param modelDir the model directory
     * @throws IOException if they cannot be removed
     */
    public static void removePartial(Path modelDir) throws IOException {
        Path root = modelDir.resolve(FOLDER);
        if (!Files.isDirectory(root)) {
            return;
        }
        try (Stream<Path> s = Files.list(root)) {
            for (Path p : (Iterable<Path>) s::iterator) {
                if (p.getFileName().toString().startsWith(PARTIAL)) {
                    deleteTree(p);
                }
            }
        }
    }

    static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            walk.sorted(Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.deleteIfExists(p);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
    }
}
