package dev.microforge.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * The value of a {@code --config JSON} option: a JSON object written on the command line ({@code --config
 * '{"statisticsWeight": 3000}'}) or the path of a file holding one.
 *
 * @param text the JSON text
 * @param source what messages about it name: the file, or {@code --config} for an inline object
 */
record ConfigArgument(String text, String source) {

    /**
     * Reads an option's value: taken as it is when it begins with {@code '{'} (after blanks), else read from the
     * file it names.
     *
     * @param value the option's value, or null when the option was not given
     * @return the configuration, or null for a null value
     * @throws NoSuchFileException when the value is neither an object nor an existing file
     */
    static ConfigArgument read(String value) throws IOException {
        if (value == null) {
            return null;
        }
        if (value.strip().startsWith("{")) {
            return new ConfigArgument(value, "--config");
        }
        Path file = Path.of(value);
        if (!Files.isRegularFile(file)) {
            throw new NoSuchFileException(value, null, "--config is neither a JSON object nor a file; give "
                    + "'{\"key\": value, ...}' or the path of a file holding one");
        }
        return new ConfigArgument(Files.readString(file), value);
    }
}
