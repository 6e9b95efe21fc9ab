package dev.microforge.optimizer.campaign;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;

/**
 * The append-only campaign journal {@code journal.jsonl}: one JSON line per finished evaluation, each written with a
 * single {@code write} and forced to disk ({@code fsync}) before the campaign moves on, so a process killed at any
 * moment (SIGKILL included) leaves every finished evaluation on disk and at most one incomplete last line, which
 * {@link #read} recognises (no trailing newline) and {@link #openForAppend} cuts off.
 */
public final class Journal implements AutoCloseable {
    /** File name inside the campaign folder. */
    public static final String FILE = "journal.jsonl";
    static final ObjectMapper JSON = new ObjectMapper()
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

    private final FileChannel channel;

    private Journal(FileChannel channel) {
        this.channel = channel;
    }

    /**
     * What a journal holds.
     *
     * @param entries the complete lines, in order
     * @param validBytes length of the file up to the end of the last complete line
     * @param tornTail whether an incomplete last line followed (a write cut short by a kill)
     */
    public record Contents(List<JournalEntry> entries, long validBytes, boolean tornTail) {
    }

    /**
     * Reads a journal; a missing file is an empty journal.
     *
     * @throws IOException when a complete line is not a journal entry or the evaluations are not 0, 1, 2, ...
     */
    public static Contents read(Path file) throws IOException {
        if (!Files.exists(file)) {
            return new Contents(List.of(), 0, false);
        }
        byte[] bytes = Files.readAllBytes(file);
        List<JournalEntry> entries = new ArrayList<>();
        int start = 0;
        int line = 1;
        for (int i = 0; i < bytes.length; i++) {
            if (bytes[i] != '\n') {
                continue;
            }
            String text = new String(bytes, start, i - start, StandardCharsets.UTF_8);
            JournalEntry e;
            try {
                e = JSON.readValue(text, JournalEntry.class);
            } catch (JsonProcessingException ex) {
                throw new IOException(file + ": line " + line + " is not a journal entry ("
                        + ex.getOriginalMessage().lines().findFirst().orElse("") + "); the journal is damaged");
            }
            if (e.evaluation() != entries.size()) {
                throw new IOException(file + ": line " + line + " holds evaluation " + e.evaluation() + ", expected "
                        + entries.size() + "; the journal is damaged");
            }
            entries.add(e);
            start = i + 1;
            line++;
        }
        return new Contents(List.copyOf(entries), start, start < bytes.length);
    }

    /**
     * Opens a journal for appending after cutting it to {@code validBytes} (dropping a torn last line).
     */
    public static Journal openForAppend(Path file, long validBytes) throws IOException {
        FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        try {
            if (ch.size() > validBytes) {
                ch.truncate(validBytes);
                ch.force(true);
            }
            ch.position(validBytes);
        } catch (IOException e) {
            ch.close();
            throw e;
        }
        return new Journal(ch);
    }

    /** The line (with its newline) that records {@code entry}. */
    static byte[] line(JournalEntry entry) {
        try {
            return (JSON.writeValueAsString(entry) + "\n").getBytes(StandardCharsets.UTF_8);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write journal entry: " + e.getOriginalMessage(), e);
        }
    }

    /** Appends one entry and forces it to disk before returning. */
    public void append(JournalEntry entry) throws IOException {
        ByteBuffer buffer = ByteBuffer.wrap(line(entry));
        while (buffer.hasRemaining()) {
            channel.write(buffer);
        }
        channel.force(false);
    }

    @Override
    public void close() throws IOException {
        channel.close();
    }
}
