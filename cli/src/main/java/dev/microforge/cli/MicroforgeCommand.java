package dev.microforge.cli;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;
import picocli.CommandLine.Spec;

/** The {@code microforge} command: global options and the list of subcommands. */
@Command(name = "microforge",
        mixinStandardHelpOptions = true,
        versionProvider = MicroforgeCommand.Version.class,
        sortOptions = false,
        description = "Battery electrode microstructures: read, convert and look at volumes; characterise, "
                + "reconstruct, generate and optimise them.",
        subcommands = {DemoCommand.class, InfoCommand.class, ConvertCommand.class, SliceCommand.class,
                CharacterizeCommand.class, TortuosityCommand.class, ReconstructCommand.class,
                DatasetCommand.class,
                TrainCommand.class,
                GenerateCommand.class,
                CompareCommand.class,
                OptimizeCommand.class, ReportCommand.class,
PredictCommand.class,
                BenchCommand.class},
        footer = {"", "Exit codes: 0 success, 2 bad usage or bad input (one line on stderr), 1 internal error.",
                "Run 'microforge COMMAND --help' for the options of a command."})
final class MicroforgeCommand implements Callable<Integer> {
    private final CliContext context;

    @Spec
    CommandSpec spec;

    @Option(names = "--debug", scope = ScopeType.INHERIT,
            description = "Print the stack trace of an error (may stand anywhere on the line).")
    boolean debug;

    MicroforgeCommand(CliContext context) {
        this.context = context;
    }

    CliContext context() {
        return context;
    }

    @Override
    public Integer call() {
        throw new CommandLine.ParameterException(spec.commandLine(),
                "no command given (one of " + String.join(", ", spec.subcommands().keySet()) + ")");
    }

    /** Reads the version Maven wrote into {@code microforge-version.properties}. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() throws IOException {
            Properties p = new Properties();
            try (InputStream in = MicroforgeCommand.class.getResourceAsStream("/microforge-version.properties")) {
                if (in != null) {
                    p.load(in);
                }
            }
            return new String[] {"microforge " + p.getProperty("version", "(development build)"),
                    "Java " + System.getProperty("java.version") + " (" + System.getProperty("java.vm.name") + ")",
                    "Licence: GPL-3.0-or-later"};
        }
    }
}
