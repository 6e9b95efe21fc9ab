package dev.microforge.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/** The two ways commands treat an output folder: create it (one level) or require it. */
final class OutputFolders {
    private OutputFolders() {
    }

    /**
     * The absolute folder, created when missing but its parent exists.
     *
     * @throws NoSuchFileException when neither the folder nor its parent exists
     */
    static Path createIfParentExists(Path folder) throws IOException {
        Path dir = folder.toAbsolutePath();
        if (!Files.isDirectory(dir)) {
            if (dir.getParent() == null || !Files.isDirectory(dir.getParent())) {
                throw new NoSuchFileException(folder.toString(), null, "neither the folder nor its parent exists");
            }
            Files.createDirectory(dir);
        }
        return dir;
    }

    /**
     * Refuses a folder that does not exist.
     *
     * @param what what the folder is for, e.g. "plot folder"
     * @throws NoSuchFileException saying to create it
     */
    static void requireExisting(Path folder, String what) throws IOException {
        if (!Files.isDirectory(folder)) {
            throw new NoSuchFileException(folder.toString(), null, what + " does not exist; create it first");
        }
    }
}
