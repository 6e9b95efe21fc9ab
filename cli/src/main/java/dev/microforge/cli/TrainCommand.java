package dev.microforge.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code microforge train KIND}: trains a generative model on a labelled volume into a model directory. One
 * subcommand per model kind; they share {@link TrainingRun} (model folder checks, Ctrl-C, progress, learning
 * curves).
 */
@Command(name = "train", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Train a generative model on a labelled volume (labels 0..k-1) into a model directory.",
            "Progress shows losses and ETA; checkpoints every K iterations; Ctrl-C stops with a checkpoint and a "
                    + "loadable model; --resume continues exactly."},
        subcommands = {TrainGanCommand.class, TrainSliceGanCommand.class, TrainVaeCommand.class,
            TrainSurrogateCommand.class})
final class TrainCommand implements Callable<Integer> {
    @ParentCommand
    MicroforgeCommand parent;

    @Spec
    CommandSpec spec;

    CliContext context() {
        return parent.context();
    }

    @Override
    public Integer call() {
        throw new CommandLine.ParameterException(spec.commandLine(),
                "no model kind given (one of " + String.join(", ", spec.subcommands().keySet()) + ")");
    }
}
