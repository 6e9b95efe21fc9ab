package dev.microforge.cli;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/**
 * {@code microforge demo}: the main job end to end on embedded data. Until the pipeline exists it says what it will
 * do and succeeds, so that the launcher and the README's first command work from day one.
 */
@Command(name = "demo", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Run the main job end to end on embedded NMC-like electrode data (no download).")
final class DemoCommand implements Callable<Integer> {
    /** The steps the demo will run, in order. */
    static final List<String> STEPS = List.of(
            "generate an embedded NMC-like three-phase electrode volume (pore, active material, carbon-binder)",
            "characterise it: volume fractions, surface area, two-point correlation, chord lengths, connectivity",
            "solve tortuosity and effective diffusivity of the pore phase along x, y and z",
            "train a generative model on it and sample new volumes",
            "optimise a design by Bayesian optimisation and write a report");

    @ParentCommand
    MicroforgeCommand parent;

    @Option(names = "--out", paramLabel = "DIR", defaultValue = "demo-out",
            description = "Folder for the results (default: ${DEFAULT-VALUE}).")
    Path out;

    @Option(names = "--quick", description = "Smaller volumes and fewer iterations (about a minute).")
    boolean quick;

    @Option(names = "--json", description = "Print the plan as JSON on stdout.")
    boolean json;

    /** The JSON of {@code demo --json} while the demo is a plan. */
    record DemoJson(String status, String out, boolean quick, List<String> steps) {
    }

    @Override
    public Integer call() {
        CliContext context = parent.context();
        if (json) {
            Json.print(context.out(), new DemoJson("planned", out.toString(), quick, STEPS));
            return Main.OK;
        }
        context.out().println("microforge demo" + (quick ? " --quick" : "") + ": the end-to-end pipeline is being "
                + "built; when it lands it will write its results to " + out + " and:");
        for (int i = 0; i < STEPS.size(); i++) {
            context.out().println("  " + (i + 1) + ". " + STEPS.get(i));
        }
        context.out().println("Nothing was written. Available now: microforge info, convert, slice "
                + "(see microforge --help).");
        context.out().flush();
        return Main.OK;
    }
}
