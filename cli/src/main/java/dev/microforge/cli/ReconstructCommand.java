package dev.microforge.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code microforge reconstruct METHOD ...}: the classical stochastic reconstruction methods. */
@Command(name = "reconstruct", mixinStandardHelpOptions = true,
        description = "Build a volume by a classical stochastic method: anneal (Yeong-Torquato voxel swapping to a "
                + "target S2), and the methods listed below.",
        subcommands = {ReconstructAnnealCommand.class, ReconstructCbdCommand.class,
            ReconstructFieldCommands.Grf.class, ReconstructFieldCommands.Fourier.class,
            ReconstructFieldCommands.Tessellation.class, ReconstructPackingCommand.class,
            ReconstructRdfCommand.class,
            ReconstructGramCommand.class})
final class ReconstructCommand implements Callable<Integer> {
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
                "no method given (one of " + String.join(", ", spec.subcommands().keySet()) + ")");
    }
}
