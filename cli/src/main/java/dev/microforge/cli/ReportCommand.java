package dev.microforge.cli;

import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** {@code microforge report CAMPAIGN_DIR}: writes the campaign's report.html (and its PNGs). */
@Command(name = "report", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Write CAMPAIGN_DIR/report.html for a campaign of 'microforge optimize' (finished or not): "
                + "convergence trace, Pareto front (or objective against constraint), slices of the best designs, "
                + "surrogate-versus-physics agreement (with screening) and a table of every evaluation. The page is "
                + "self-contained; the pictures are also written beside it as report-*.png."})
final class ReportCommand implements Callable<Integer> {
    @ParentCommand
    MicroforgeCommand parent;

    @Parameters(index = "0", paramLabel = "CAMPAIGN_DIR", description = "The campaign folder.")
    Path dir;

    @Option(names = "--json", description = "Print what was written as JSON on stdout.")
    boolean json;

    record ReportJson(String report, List<String> pictures, int evaluations, Integer bestEvaluation,
                      Map<String, double[]> surrogateAgreement) {
    }

    @Override
    public Integer call() throws Exception {
        CliContext context = parent.context();
        if (!Files.isDirectory(dir)) {
            throw new NoSuchFileException(dir.toString(), null, "no such campaign folder");
        }
        CampaignReport.Written w = CampaignReport.write(dir);
        if (json) {
            Json.print(context.out(), new ReportJson(w.html().toString(), w.pictures().stream().map(Path::toString)
                    .toList(), w.evaluations(), w.best() == null ? null : w.best().evaluation(), w.agreement()));
        } else {
            context.out().println("wrote " + w.html() + " (" + w.evaluations() + " evaluations, "
                    + w.pictures().size() + " pictures)");
            context.out().flush();
        }
        return Main.OK;
    }
}
