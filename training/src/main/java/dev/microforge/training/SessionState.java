package dev.microforge.training;

import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.core.json.JsonWriteFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The session's own part of a checkpoint, {@code session.json}: the iteration reached, the seed,
 * the training time so far and the loss history (one row {@code [iteration, loss...]} per
 * iteration, losses in {@code lossNames} order).
 *
 * @param version layout version ({@value #VERSION})
 * @param kind the trainer's model kind
 * @param iteration iterations completed
 * @param seed the training seed
 * @param seconds training wall time of all sessions so far
 * @param lossNames names of the loss columns
 * @param history one row per completed iteration
 */
public record SessionState(
        int version, String kind, long iteration, long seed, double seconds, List<String> lossNames,
        List<double[]> history) {

    /** Current layout version. */
    public static final int VERSION = 1;
    /** File name inside a checkpoint. */
    public static final String FILE = "session.json";

    static final ObjectMapper JSON = JsonMapper.builder()
            .enable(JsonWriteFeature.WRITE_NAN_AS_STRINGS)
            .enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS)
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .build();

    /** Copies the lists. */
    public SessionState {
        lossNames = List.copyOf(lossNames);
        history = List.copyOf(history);
    }

    /**
     * The state of a fresh run.
     *
     * @param kind model kind
     * @param seed training seed
     * @param lossNames loss names
     * @return iteration 0, empty history
     */
    public static SessionState fresh(String kind, long seed, List<String> lossNames) {
        return new SessionState(VERSION, kind, 0, seed, 0, lossNames, new ArrayList<>());
    }

    void write(Path dir) throws IOException {
        JSON.writeValue(dir.resolve(FILE).toFile(), this);
    }

    /**
     * Reads the state of a checkpoint.
     *
     * @param checkpoint a checkpoint folder
     * @return its state
     * @throws IOException if the file is missing, unreadable or of another layout version
     */
    public static SessionState read(Path checkpoint) throws IOException {
        Path file = checkpoint.resolve(FILE);
        if (!Files.isRegularFile(file)) {
            throw new NoSuchFileException(file.toString(), null, "checkpoint has no " + FILE);
        }
        SessionState s;
        try {
            s = JSON.readValue(file.toFile(), SessionState.class);
        } catch (IOException e) {
            String why = e instanceof com.fasterxml.jackson.core.JsonProcessingException j ? j.getOriginalMessage() : e.getMessage();
            throw new IOException(file + ": not a readable session state (" + why + ")", e);
        }
        if (s.version() != VERSION) {
            throw new IOException(file + ": session state version " + s.version() + " is not supported (expected "
                    + VERSION + ")");
        }
        return s;
    }
}
