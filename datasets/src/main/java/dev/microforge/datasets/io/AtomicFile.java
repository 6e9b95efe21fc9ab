package dev.microforge.datasets.io;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * Writes a file so that a crash never leaves half of it: the content goes to a hidden temporary file in the target
 * folder, is flushed to disk, and is renamed over the target at the end. On failure the temporary file is deleted
 * and the target is untouched.
 */
public final class AtomicFile {
    private AtomicFile() {
    }

    /** Writes the content of a file to a stream. */
    @FunctionalInterface
    public interface Writer {
        void write(OutputStream out) throws IOException;
    }

    /**
     * Checks, before any work, that {@code target} can be written: its folder exists and it does not exist unless
     * {@code overwrite}.
     *
     * @throws NoSuchFileException when the folder is missing (message says to create it)
     * @throws FileAlreadyExistsException when the file exists and {@code overwrite} is false (says to use --force)
     */
    public static void checkWritable(Path target, boolean overwrite) throws IOException {
        Path abs = target.toAbsolutePath();
        Path dir = abs.getParent();
        if (dir == null || !Files.isDirectory(dir)) {
            throw new NoSuchFileException(target.toString(), null,
                    "output folder " + dir + " does not exist; create it first");
        }
        if (Files.isDirectory(abs)) {
            throw new FileAlreadyExistsException(target.toString(), null, "is a folder, not a file");
        }
        if (!overwrite && Files.exists(abs)) {
            throw new FileAlreadyExistsException(target.toString(), null,
                    "already exists; use --force to overwrite it");
        }
    }

    /** Writes the content of a file given its (temporary) path, for writers that need random access. */
    @FunctionalInterface
    public interface PathWriter {
        void write(Path temporary) throws IOException;
    }

    /**
     * Writes {@code target} through a temporary file in the same folder.
     *
     * @param overwrite replace an existing file
     */
    public static void write(Path target, boolean overwrite, Writer writer) throws IOException {
        writeVia(target, overwrite, tmp -> {
            try (OutputStream raw = Files.newOutputStream(tmp);
                 OutputStream out = new java.io.BufferedOutputStream(raw, 1 << 20)) {
                writer.write(out);
                out.flush();
            }
        });
    }

    /**
     * Like {@link #write(Path, boolean, Writer)} for a writer that fills the temporary file itself (seeking as it
     * likes); the file is renamed over {@code target} only when the writer returns normally.
     */
    public static void writeVia(Path target, boolean overwrite, PathWriter writer) throws IOException {
        checkWritable(target, overwrite);
        Path abs = target.toAbsolutePath();
        Path tmp = Files.createTempFile(abs.getParent(), "." + abs.getFileName() + ".", ".part");
        boolean done = false;
        try {
            writer.write(tmp);
            try (java.nio.channels.FileChannel ch = java.nio.channels.FileChannel.open(tmp,
                    java.nio.file.StandardOpenOption.WRITE)) {
                ch.force(true);
            }
            if (!overwrite && Files.exists(abs)) {
                throw new FileAlreadyExistsException(target.toString(), null,
                        "appeared while writing; use --force to overwrite it");
            }
            try {
                Files.move(tmp, abs, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, abs, StandardCopyOption.REPLACE_EXISTING);
            }
            done = true;
        } finally {
            if (!done) {
                Files.deleteIfExists(tmp);
            }
        }
    }
}
