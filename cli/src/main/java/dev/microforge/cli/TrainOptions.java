package dev.microforge.cli;

import java.io.IOException;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** The options every {@code train KIND} command shares (all but {@code --data}), as a picocli mixin. */
final class TrainOptions {
    @Option(names = "--out", required = true, paramLabel = "MODELDIR", description = "Model directory.")
    Path out;

    @Option(names = "--config", paramLabel = "JSON", description = "Training settings (keys below) as a JSON object, "
            + "e.g. '{\"seed\": 7}', or a file holding one; missing keys keep their defaults.")
    String config;

    @Option(names = "--minutes", paramLabel = "M", description = "Wall-time budget of this run in minutes; stops "
            + "with a checkpoint before exceeding it.")
    Double minutes;

    @Option(names = "--iterations", paramLabel = "N", description = "Iteration target (overrides the config's).")
    Long iterations;

    @Option(names = "--seed", paramLabel = "S", description = "Random seed (overrides the config's; default 1).")
    Long seed;

    @Option(names = "--resume", description = "Continue the training in MODELDIR from its newest checkpoint.")
    boolean resume;

    @Option(names = "--force", description = "Start over in an existing model directory (removes its model "
            + "files, checkpoints, samples and metrics).")
    boolean force;

    @Option(names = "--json", description = "Print a summary as JSON on stdout.")
    boolean json;

    /** Checks the values that need no file: --minutes and --iterations. */
    void validate() {
        if (minutes != null && !(minutes > 0 && Double.isFinite(minutes))) {
            throw new IllegalArgumentException("--minutes must be a positive number, got " + minutes);
        }
        if (iterations != null && iterations < 1) {
            throw new IllegalArgumentException("--iterations must be at least 1, got " + iterations);
        }
    }

    /** The --config object or file, read; null when not given. */
    ConfigArgument configArgument() throws IOException {
        return ConfigArgument.read(config);
    }

    /** The wall-time budget in seconds, 0 for none. */
    double wallSeconds() {
        return minutes == null ? 0 : minutes * 60;
    }
}
