package dev.microforge.cli;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import picocli.CommandLine;

/**
 * Turns an exception into the one line the user reads: for bad input the file (or option) and the fault, for
 * anything else the exception type and its message.
 */
final class ErrorMessages {
    private ErrorMessages() {
    }

    /** The exception that says what went wrong, below wrappers that add nothing. */
    static Throwable unwrap(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && (t instanceof UncheckedIOException
                || t instanceof CommandLine.ExecutionException
                || t instanceof java.lang.reflect.InvocationTargetException
                || t instanceof java.util.concurrent.ExecutionException
                || t instanceof java.util.concurrent.CompletionException)) {
            t = t.getCause();
        }
        return t;
    }

    /** Bad usage or bad input (exit code 2) rather than an internal error (exit code 1). */
    static boolean isBadInput(Throwable e) {
        return e instanceof IOException || e instanceof IllegalArgumentException
                || e instanceof CommandLine.ParameterException;
    }

    /** The message of a bad-input failure: {@code "<file>: <fault>"} for file-system errors, else the message. */
    static String describe(Throwable e) {
        if (e instanceof FileSystemException) {
            FileSystemException f = (FileSystemException) e;
            String reason = f.getReason() != null ? f.getReason() : defaultReason(f);
            StringBuilder sb = new StringBuilder();
            if (f.getFile() != null) {
                sb.append(f.getFile());
                if (f.getOtherFile() != null) {
                    sb.append(" -> ").append(f.getOtherFile());
                }
                sb.append(": ");
            }
            return sb.append(reason).toString();
        }
        String message = e.getMessage();
        if (message == null || message.isBlank()) {
            return e.getClass().getSimpleName();
        }
        return message;
    }

    private static String defaultReason(FileSystemException e) {
        if (e instanceof NoSuchFileException) {
            return "no such file or folder";
        } else if (e instanceof FileAlreadyExistsException) {
            return "already exists; use --force to overwrite it";
        } else if (e instanceof AccessDeniedException) {
            return "permission denied";
        } else if (e instanceof NotDirectoryException) {
            return "not a folder";
        } else if (e instanceof DirectoryNotEmptyException) {
            return "folder is not empty";
        }
        return "file system error (" + e.getClass().getSimpleName() + ")";
    }

    /** The message of an internal error: type and message, so that a bug report can quote it. */
    static String describeInternal(Throwable e) {
        if (e instanceof OutOfMemoryError) {
            return "out of memory (" + e.getMessage() + "); run with a larger heap, e.g. MICROFORGE_JAVA_OPTS=-Xmx"
                    + Math.max(2, 2 * Runtime.getRuntime().maxMemory() >> 30) + "g";
        }
        String message = e.getMessage();
        return e.getClass().getName() + (message == null || message.isBlank() ? "" : ": " + message);
    }

    /** Joins the lines of a message so that stderr gets exactly one line. */
    static String oneLine(String message) {
        return message.strip().replaceAll("\\s*\\R\\s*", "; ");
    }
}
