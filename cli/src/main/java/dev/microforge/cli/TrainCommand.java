package dev.microforge.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code microforge train KIND ...}: training commands, one subcommand per model kind. */
@Command(name = "train", mixinStandardHelpOptions = true, description = "Train a model.",
        subcommands = {TrainSurrogateCommand.class})
final class TrainCommand implements Callable<Integer> {
    @ParentCommand
    MicroforgeCommand parent;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        throw new CommandLine.ParameterException(spec.commandLine(), "no model kind given (one of "
                + String.join(", ", spec.subcommands().keySet()) + ")");
    }
}
