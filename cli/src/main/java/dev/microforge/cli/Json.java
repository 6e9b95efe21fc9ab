package dev.microforge.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.microforge.datasets.VoxelSize;
import java.io.PrintStream;

/** Prints results as JSON (Jackson, record components become camelCase fields) for {@code --json}. */
final class Json {
    private static final ObjectMapper MAPPER = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private Json() {
    }

    /** Writes {@code value} as one JSON document followed by a newline. */
    static void print(PrintStream out, Object value) {
        try {
            out.println(MAPPER.writeValueAsString(value));
            out.flush();
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write result as JSON: " + e.getOriginalMessage(), e);
        }
    }

    /** {@code value} as indented JSON bytes (UTF-8), for files. */
    static byte[] toBytes(Object value) {
        try {
            return MAPPER.writeValueAsBytes(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write result as JSON: " + e.getOriginalMessage(), e);
        }
    }

    /** {@code {"dx","dy","dz"}} in micrometres, or null when unknown. */
    record VoxelSizeJson(double dx, double dy, double dz) {
        static VoxelSizeJson of(VoxelSize size) {
            return size == null || !size.isKnown() ? null : new VoxelSizeJson(size.dx(), size.dy(), size.dz());
        }
    }
}
