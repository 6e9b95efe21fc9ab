package dev.microforge.cli;

import dev.microforge.optimizer.campaign.Campaign;
import dev.microforge.optimizer.campaign.CampaignConfig;
import dev.microforge.optimizer.campaign.JournalEntry;
import dev.microforge.optimizer.objective.PropertySpec;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicInteger;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/**
 * {@code microforge optimize --config JSON --out DIR [--resume]}: runs a Bayesian-optimisation campaign
 * ({@link Campaign}), one progress line per evaluation on stderr, a summary on stdout.
 */
@Command(name = "optimize", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Search a design space (parameters of a classical generator, or the latent of a trained "
                + "model) for electrodes with better properties by Gaussian-process Bayesian optimisation; the "
                + "physics evaluator scores every proposal (optionally after a surrogate screened candidates).",
            "DIR receives campaign.json, journal.jsonl (one line per finished evaluation, written to disk before "
                + "the next starts) and designs/. A campaign killed at any moment (Ctrl-C, SIGKILL, power) continues "
                + "with --resume, losing and repeating nothing. Then: microforge report DIR."},
        footer = {"", "Campaign file: see README (designSpace, objectives, constraints, acquisition ei|pi|ucb, "
                + "budget, batchSize, seed; optional initialDesign, ucbBeta, screening, transportTolerance)."})
final class OptimizeCommand implements Callable<Integer> {
    @ParentCommand
    MicroforgeCommand parent;

    @Option(names = "--config", paramLabel = "JSON", description = "The campaign file (optional with --resume).")
    Path config;

    @Option(names = "--out", paramLabel = "DIR", required = true,
            description = "Campaign folder: created (its parent must exist) and must be empty, unless --resume.")
    Path out;

    @Option(names = "--resume", description = "Continue the campaign in DIR where it stopped.")
    boolean resume;

    @Option(names = "--stop-after", paramLabel = "N",
            description = "Stop after N evaluations in this run (a later --resume goes on).")
    int stopAfter;

    @Option(names = "--threads", paramLabel = "N", description = "Threads of the transport solves (default: all).")
    Integer threads;

    @Option(names = "--json", description = "Print the summary as JSON on stdout.")
    boolean json;

    /** The summary of {@code optimize --json}. */
    record SummaryJson(String directory, int evaluations, int budget, boolean complete, long feasible, long failed,
                       List<String> properties, BestJson best, List<BestJson> paretoFront) {
    }

    /** One evaluation in the summary. */
    record BestJson(int evaluation, Map<String, Double> parameters, double[] values, String design) {
        static BestJson of(JournalEntry e) {
            return e == null ? null : new BestJson(e.evaluation(), e.parameters(), e.values(), e.design());
        }
    }

    @Override
    public Integer call() throws Exception {
        CliContext context = parent.context();
        if (config == null && !resume) {
            throw new IllegalArgumentException("--config is required (it may be left out only with --resume)");
        }
        if (stopAfter < 0) {
            throw new IllegalArgumentException("--stop-after must be >= 0, got " + stopAfter);
        }
        if (config != null && !Files.isRegularFile(config)) {
            throw new NoSuchFileException(config.toString(), null, "no such campaign file");
        }
        CampaignConfig c = config == null ? null : CampaignConfig.read(config);
        Path dir = out.toAbsolutePath();
        if (!resume && !Files.isDirectory(dir) && (dir.getParent() == null || !Files.isDirectory(dir.getParent()))) {
            throw new NoSuchFileException(out.toString(), null, "neither the folder nor its parent exists");
        }
        PrintStream err = context.err();
        AtomicInteger done = new AtomicInteger(-1);
        int[] budget = {0};
        Thread hook = new Thread(() -> {
            if (done.get() >= 0 && done.get() < budget[0]) {
                err.println("microforge: optimize: stopped after " + done.get() + " of " + budget[0]
                        + " evaluations (all journaled); continue with: microforge optimize --out " + out
                        + " --resume");
                err.flush();
            }
        });
        Runtime.getRuntime().addShutdownHook(hook);
        Campaign.State state;
        try {
            Campaign.Options options = Campaign.Options.defaults().withResume(resume).withStopAfter(stopAfter);
            if (threads != null) {
                options = options.withThreads(threads);
            }
            state = Campaign.run(c, dir, options, new Progress(err, done, budget));
        } finally {
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException e) {
                // shutting down already: the hook reports
            }
        }
        List<PropertySpec> specs = state.config().specs();
        long feasible = state.entries().stream().filter(JournalEntry::feasible).count();
        long failed = state.entries().stream().filter(e -> !e.ok()).count();
        List<BestJson> front = new ArrayList<>();
        if (state.config().objectives().size() > 1) {
            state.paretoFront().forEach(e -> front.add(BestJson.of(e)));
        }
        SummaryJson summary = new SummaryJson(dir.toString(), state.entries().size(), state.config().budget(),
                state.complete(), feasible, failed, specs.stream().map(PropertySpec::label).toList(),
                BestJson.of(state.best()), front);
        if (json) {
            Json.print(context.out(), summary);
        } else {
            PrintStream o = context.out();
            o.printf(Locale.ROOT, "campaign %s: %d of %d evaluations%s, %d feasible, %d failed%n", dir,
                    summary.evaluations(), summary.budget(), state.complete() ? "" : " (resume with --resume)",
                    feasible, failed);
            JournalEntry best = state.best();
            if (best != null) {
                o.printf(Locale.ROOT, "best: evaluation %d, %s; %s; %s%n", best.evaluation(),
                        CampaignReport.parameters(best), CampaignReport.values(specs, best), best.design());
            } else {
                o.println("no feasible design yet");
            }
            if (!front.isEmpty()) {
                o.println("Pareto front: evaluations " + front.stream().map(b -> String.valueOf(b.evaluation()))
                        .toList());
            }
            o.println("report: microforge report " + out);
            o.flush();
        }
        return Main.OK;
    }

    /** One line per evaluation on stderr. */
    private static final class Progress implements Campaign.Listener {
        private final PrintStream err;
        private final AtomicInteger done;
        private final int[] budget;
        private List<PropertySpec> specs;

        Progress(PrintStream err, AtomicInteger done, int[] budget) {
            this.err = err;
            this.done = done;
            this.budget = budget;
        }

        @Override
        public void started(CampaignConfig config, String designSpace, int already) {
            specs = config.specs();
            budget[0] = config.budget();
            done.set(already);
            err.printf(Locale.ROOT, "microforge: optimize: %s; %d evaluations%s%n", designSpace, config.budget(),
                    already > 0 ? ", " + already + " already journaled" : "");
            err.flush();
        }

        @Override
        public void batch(int batch, int firstEvaluation, int size, int screened) {
            if (screened > 0) {
                err.printf(Locale.ROOT, "microforge: optimize: batch %d: the surrogate screened %d candidates%n",
                        batch, screened);
                err.flush();
            }
        }

        @Override
        public void evaluated(JournalEntry e, Campaign.Progress p) {
            done.set(p.done());
            StringBuilder sb = new StringBuilder(String.format(Locale.ROOT,
                    "microforge: optimize: %d/%d evaluation %d [%s] %s -> ", p.done(), p.budget(), e.evaluation(),
                    e.stage(), CampaignReport.parameters(e)));
            if (e.ok()) {
                sb.append(CampaignReport.values(specs, e)).append(e.feasible() ? "" : " (infeasible)");
            } else {
                sb.append("failed: ").append(e.message());
            }
            if (p.best() != null) {
                sb.append(String.format(Locale.ROOT, "; best %s (evaluation %d)",
                        CampaignReport.num(p.best().values()[0]), p.best().evaluation()));
            }
            sb.append(String.format(Locale.ROOT, " [%.1f s]", e.generateSeconds() + e.physicsSeconds()));
            err.println(sb);
            err.flush();
        }
    }
}
