package dev.microforge.cli;

import dev.microforge.datasets.Axis;
import dev.microforge.datasets.Volume;
import dev.microforge.datasets.VoxelSize;
import dev.microforge.datasets.io.AtomicFile;
import dev.microforge.datasets.io.SliceImages;
import dev.microforge.datasets.io.VolumeIO;
import dev.microforge.evaluator.correlation.TwoPointCorrelation;
import dev.microforge.evaluator.geometry.SurfaceArea;
import dev.microforge.evaluator.morphology.ChordLength;
import dev.microforge.evaluator.transport.EffectiveConductivity;
import dev.microforge.evaluator.transport.Tortuosity;
import dev.microforge.generator.annealing.SimulatedAnnealing;
import dev.microforge.generator.field.FourierReconstruction;
import dev.microforge.generator.presets.ElectrodePreset;
import dev.microforge.optimizer.campaign.Campaign;
import dev.microforge.optimizer.campaign.JournalEntry;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/**
 * {@code microforge demo}: the main job end to end on embedded data, with no input file and no download. It
 * generates an NMC-like three-phase electrode from the {@code nmc} preset, characterises it (fractions, surface,
 * two-point correlation, chord lengths), solves the pore tortuosity along x, y and z, rebuilds the electrode twice
 * from its statistics (Fourier reconstruction of the 3D volume; simulated annealing of the active phase from one
 * 2D slice) and compares the rebuilt volumes with the original. The steps that need trained models and the
 * optimiser (issues of their own) are listed as not yet available.
 */
@Command(name = "demo", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Run the main job end to end on embedded NMC-like electrode data (no input, no download): "
                + "generate, characterise, tortuosity, reconstruct from statistics, compare.")
final class DemoCommand implements Callable<Integer> {
    /** The steps of the demo, in order; the last two arrive with the deep models and the optimiser. */
    static final List<String> STEPS = List.of(
            "generate an embedded NMC-like three-phase electrode volume (pore, active material, carbon-binder)",
            "characterise it: volume fractions, surface area, two-point correlation, chord lengths",
            "solve tortuosity and effective diffusivity of the pore phase along x, y and z",
            "rebuild it from its statistics (Fourier reconstruction; annealing from one 2D slice) and compare",
            "train a 3D GAN (WGAN-GP) on it for a few minutes and sample a new volume from it",
            "search the GAN's latent space by Bayesian optimisation for a lower through-plane (z) pore tortuosity "
                    + "at the electrode's active fraction (20 physics evaluations) and write report.html",
            "verify the best designs with the transport solver at a tenfold tighter tolerance along x, y and z");

    @ParentCommand
    MicroforgeCommand parent;

    @Option(names = "--out", paramLabel = "DIR", defaultValue = "demo-out",
            description = "Folder for the results, created if missing (default: ${DEFAULT-VALUE}).")
    Path out;

    @Option(names = "--quick", description = "64³ electrode, 1 minute of training, 32³ designs (about 3 minutes "
            + "instead of about 15).")
    boolean quick;

    @Option(names = "--train-minutes", paramLabel = "M",
            description = "Training time of the GAN in minutes (default 6, 1 with --quick).")
    Double trainMinutes;

    @Option(names = "--seed", paramLabel = "S", description = "Seed of every random step (default 1).")
    long seed = 1;

    @Option(names = "--force", description = "Overwrite the results of an earlier run in DIR.")
    boolean force;

    @Option(names = "--json", description = "Print the summary as JSON on stdout.")
    boolean json;

    /** Statistics of one volume, as compared by the demo. */
    record VolumeSummary(String name, String file, Map<String, Double> fractions, double poreSurfaceFaceCount,
            double activeS2Lag4, double meanPoreChordZ, Map<String, Double> poreTau, double seconds) {
    }

    /** One best design of the campaign, verified: the campaign's z tortuosity and the tighter solves. */
    record Verified(int evaluation, String design, double activeFraction, double campaignTauZ,
            Map<String, Double> verifiedTau) {
    }

    record DemoJson(String status, String out, int size, List<String> steps, List<VolumeSummary> volumes,
            String model, String campaign, String report, double electrodeTauZ, List<Verified> bestDesigns,
            double seconds, List<String> files) {
    }

    @Override
    public Integer call() throws Exception {
        CliContext context = parent.context();
        long started = System.nanoTime();
        Path dir = prepare();
        int size = quick ? 64 : 128;
        List<String> files = new ArrayList<>();
        List<VolumeSummary> volumes = new ArrayList<>();
        int total = 5;

        context.progress().progress("demo: generating the electrode", 0, total);
        long t0 = System.nanoTime();
        Volume electrode = ElectrodePreset.NMC.synthesize(size, seed);
        double generateSeconds = (System.nanoTime() - t0) / 1e9;
        files.add(write(electrode, dir.resolve("electrode.tif")));

        context.progress().progress("demo: characterising and solving tortuosity", 1, total);
        volumes.add(summarise("generated (nmc preset)", electrode, files.get(0), generateSeconds));

        context.progress().progress("demo: Fourier reconstruction", 2, total);
        t0 = System.nanoTime();
        Volume fourier = FourierReconstruction.reconstruct(electrode.withVoxelSize(VoxelSize.UNKNOWN), size, size,
                size, FourierReconstruction.Options.defaults(), electrode.voxelSize(), seed).phases();
        double fourierSeconds = (System.nanoTime() - t0) / 1e9;
        String fourierFile = write(fourier, dir.resolve("fourier.tif"));
        files.add(fourierFile);
        volumes.add(summarise("Fourier reconstruction", fourier, fourierFile, fourierSeconds));

        context.progress().progress("demo: annealing from one slice", 3, total);
        t0 = System.nanoTime();
        int annealSize = quick ? 48 : 64;
        Volume slice = electrode.slice(Axis.Z, size / 2);
        SimulatedAnnealing.Target target = SimulatedAnnealing.Target.fromExemplar(slice, 1, 12, true, false);
        SimulatedAnnealing.Options o = SimulatedAnnealing.Options.defaults().withSize(annealSize, annealSize,
                annealSize).withSeed(seed);
        SimulatedAnnealing.Result annealed = SimulatedAnnealing.reconstruct(target, new SimulatedAnnealing.Options(
                o.nx(), o.ny(), o.nz(), 0.003, quick ? 20 : 60, o.maxSwaps(), o.initialTemperatureScale(),
                o.coolingFactor(), o.swapsPerTemperature(), o.stagnationTemperatures(), o.interfaceSwaps(), 0,
                seed), SimulatedAnnealing.Listener.NONE);
        // annealing rebuilds the active phase (1) against the rest (0): pore and CBD are merged in that volume
        Volume activeOnly = annealed.volume().withVoxelSize(electrode.voxelSize());
        String annealFile = write(activeOnly, dir.resolve("annealed-active.tif"));
        files.add(annealFile);
        volumes.add(summarise("annealing from a 2D slice (active vs rest)", activeOnly, annealFile,
                (System.nanoTime() - t0) / 1e9));

        context.progress().progress("demo: pictures", 4, total);
        Path picture = dir.resolve("slices.png");
        java.awt.image.BufferedImage a = SliceImages.renderOrthogonal(electrode);
        java.awt.image.BufferedImage b = SliceImages.renderOrthogonal(fourier);
        java.awt.image.BufferedImage both = new java.awt.image.BufferedImage(a.getWidth(),
                a.getHeight() + b.getHeight() + 4, java.awt.image.BufferedImage.TYPE_INT_RGB);
        java.awt.Graphics2D g = both.createGraphics();
        g.setColor(java.awt.Color.WHITE);
        g.fillRect(0, 0, both.getWidth(), both.getHeight());
        g.drawImage(a, 0, 0, null);
        g.drawImage(b, 0, a.getHeight() + 4, null);
        g.dispose();
        SliceImages.writePng(both, picture, force);
        files.add(picture.toString());
        context.closeProgress();

        // 5. a GAN trained on the electrode, and one volume sampled from it
        Path model = dir.resolve("model");
        Path trainConfig = dir.resolve("train-config.json");
        AtomicFile.write(trainConfig, true, w -> w.write(Json.toBytes(Map.of("patchSize", quick ? 16 : 32,
                "batchSize", quick ? 4 : 4, "checkpointEvery", 25, "evaluateEvery", 0, "iterations", 100000))));
        double minutes = trainMinutes != null ? trainMinutes : quick ? 1 : 6;
        List<String> train = new ArrayList<>(List.of("train", "gan", "--data", files.get(0), "--out",
                model.toString(), "--config", trainConfig.toString(), "--minutes",
                String.format(Locale.ROOT, "%.3f", minutes), "--seed", Long.toString(seed)));
        if (force || Files.exists(model.resolve("model.json"))) {
            train.add("--force");
        }
        step(context, "5/7 training a GAN", train);
        Path generated = dir.resolve("generated");
        step(context, "5/7 sampling the GAN", List.of("generate", "--model", model.toString(), "--count", "1",
                "--size", Integer.toString(size), "--seed", Long.toString(seed), "--out", generated.toString(),
                "--force"));
        Path sample = firstVolume(generated);
        volumes.add(summarise("GAN sample (trained " + minutes + " min)", VolumeIO.read(sample), sample.toString(),
                0));
        files.add(sample.toString());

        // 6. Bayesian optimisation over the GAN's latent space
        Path campaign = dir.resolve("campaign");
        if (Files.exists(campaign.resolve(Campaign.CONFIG_FILE))) {
            if (!force) {
                throw new java.nio.file.FileAlreadyExistsException(campaign + " holds an earlier campaign; "
                        + "use --force to replace it");
            }
            deleteCampaign(campaign);
        }
        double active = volumes.get(0).fractions().get("1");
        Path campaignFile = dir.resolve("campaign.json");
        AtomicFile.write(campaignFile, true, w -> w.write(Json.toBytes(campaign(model, active))));
        step(context, "6/7 optimising", List.of("optimize", "--config", campaignFile.toString(), "--out",
                campaign.toString()));
        step(context, "6/7 report", List.of("report", campaign.toString()));

        // 7. verify the best designs with a tighter transport solve
        context.progress().progress("demo: verifying the best designs", 0, 1);
        Campaign.State state = Campaign.load(campaign);
        List<Verified> verified = verify(campaign, state);
        context.progress().progress("demo: verifying the best designs", 1, 1);
        context.closeProgress();
        String status = "completed all " + STEPS.size() + " steps";
        double seconds = (System.nanoTime() - started) / 1e9;
        DemoJson summary = new DemoJson(status, dir.toString(), size, STEPS, volumes, model.toString(),
                campaign.toString(), campaign.resolve(CampaignReport.FILE).toString(),
                volumes.get(0).poreTau().get("z"), verified, seconds, files);
        Path report = dir.resolve("summary.json");
        AtomicFile.write(report, true, s -> s.write(Json.toBytes(summary)));
        if (json) {
            Json.print(context.out(), summary);
        } else {
            printText(context, summary, report);
        }
        return Main.OK;
    }

    /** The campaign of step 6: minimise z pore tortuosity, active fraction within 0.02 of the electrode's. */
    private Map<String, Object> campaign(Path model, double active) {
        Map<String, Object> space = new LinkedHashMap<>();
        space.put("type", "latent");
        space.put("model", model.toAbsolutePath().toString());
        space.put("size", quick ? 32 : 64);
        space.put("dimensions", 8);
        space.put("seed", seed);
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("designSpace", space);
        c.put("objectives", List.of(Map.of("property", "tortuosity", "phase", "pore", "axis", "z", "goal",
                "minimize")));
        c.put("constraints", List.of(Map.of("property", "volumeFraction", "phase", "active", "min",
                Math.round((active - 0.02) * 1e4) / 1e4, "max", Math.round((active + 0.02) * 1e4) / 1e4)));
        c.put("screening", Map.of("surrogate", "bruggeman", "candidates", 4));
        c.put("acquisition", "ei");
        c.put("budget", 20);
        c.put("batchSize", 1);
        c.put("seed", seed);
        return c;
    }

    /** Runs another microforge command in this JVM; its failure becomes the demo's (one line, exit 2 or 1). */
    private void step(CliContext context, String what, List<String> args) throws Exception {
        context.closeProgress();
        if (!json) {
            context.out().println("== demo " + what + ": microforge " + String.join(" ", args));
            context.out().flush();
        }
        CliContext child = context.withOut(json ? new java.io.PrintStream(java.io.OutputStream.nullOutputStream())
                : context.out());
        Exception[] failure = new Exception[1];
        picocli.CommandLine commandLine = new picocli.CommandLine(new MicroforgeCommand(child));
        commandLine.setExecutionExceptionHandler((ex, cmd, parseResult) -> {
            failure[0] = ex;
            return Main.INTERNAL_ERROR;
        });
        int code = commandLine.execute(args.toArray(String[]::new));
        child.closeProgress();
        if (failure[0] != null) {
            throw failure[0];
        }
        if (code != Main.OK) {
            throw new IllegalStateException("demo step '" + what + "' failed (microforge " + String.join(" ", args)
                    + " exited with " + code + ")");
        }
    }

    private static Path firstVolume(Path folder) throws IOException {
        try (var files = Files.list(folder)) {
            return files.filter(f -> f.getFileName().toString().endsWith(".tif")).sorted().findFirst()
                    .orElseThrow(() -> new java.nio.file.NoSuchFileException(folder + " holds no generated volume"));
        }
    }

    /** Removes a campaign folder written by an earlier demo run (only its known entries). */
    private static void deleteCampaign(Path campaign) throws IOException {
        for (String name : new String[] {Campaign.DESIGNS}) {
            Path d = campaign.resolve(name);
            if (Files.isDirectory(d)) {
                try (var files = Files.list(d)) {
                    for (Path f : files.toList()) {
                        Files.delete(f);
                    }
                }
                Files.delete(d);
            }
        }
        try (var files = Files.list(campaign)) {
            for (Path f : files.toList()) {
                if (Files.isRegularFile(f)) {
                    Files.delete(f);
                }
            }
        }
    }

    /** The three best feasible designs, pore tortuosity along x, y and z solved again at a tolerance of 1e-4. */
    private static List<Verified> verify(Path campaign, Campaign.State state) throws IOException {
        List<JournalEntry> feasible = new ArrayList<>(state.entries().stream()
                .filter(e -> e.feasible() && e.design() != null).toList());
        feasible.sort(java.util.Comparator.comparingDouble(e -> e.values()[0]));
        List<Verified> out = new ArrayList<>();
        EffectiveConductivity.Options tight = EffectiveConductivity.Options.defaults().withTolerance(1e-4);
        for (JournalEntry e : feasible.subList(0, Math.min(3, feasible.size()))) {
            Path file = campaign.resolve(e.design());
            Volume v = VolumeIO.read(file);
            Map<String, Double> tau = new LinkedHashMap<>();
            for (Axis a : Axis.values()) {
                tau.put(a.label(), Tortuosity.solve(v, 0, a, tight).tau());
            }
            out.add(new Verified(e.evaluation(), file.toString(), GeneratedOutput.fractionsOf(v).getOrDefault("1",
                    0.0), e.values()[0], tau));
        }
        return out;
    }

    private Path prepare() throws IOException {
        Path dir = OutputFolders.createIfParentExists(out);
        for (String name : new String[] {"electrode.tif", "fourier.tif", "annealed-active.tif", "slices.png"}) {
            AtomicFile.checkWritable(dir.resolve(name), force);
        }
        return dir;
    }

    private String write(Volume v, Path file) throws IOException {
        VolumeIO.write(v, file, VolumeIO.WriteOptions.defaults().withOverwrite(force));
        return file.toString();
    }

    /** Fractions, pore surface, S2 of the active phase at lag 4, mean pore chord along z and pore tortuosity. */
    private static VolumeSummary summarise(String name, Volume v, String file, double seconds) {
        double surface = SurfaceArea.of(v, 0, SurfaceArea.Options.defaults()).faceCountSpecificArea();
        double s2 = TwoPointCorrelation.compute(v, 1, new TwoPointCorrelation.Options(true, 8)).radial().value()[4];
        ChordLength.Result chords = ChordLength.distribution(v, 0, Axis.Z, ChordLength.Options.defaults());
        double chord = chords.meanVoxels() * (Double.isNaN(chords.voxelEdge()) ? 1 : chords.voxelEdge());
        Map<String, Double> tau = new LinkedHashMap<>();
        for (Axis a : Axis.values()) {
            tau.put(a.label(), Tortuosity.solve(v, 0, a, EffectiveConductivity.Options.defaults()).tau());
        }
        return new VolumeSummary(name, file, GeneratedOutput.fractionsOf(v), surface, s2, chord, tau, seconds);
    }

    private static void printText(CliContext context, DemoJson s, Path report) {
        var o = context.out();
        o.printf(Locale.ROOT, "microforge demo: %d³ NMC-like electrode, results in %s%n%n", s.size(), s.out());
        o.printf(Locale.ROOT, "%-44s %-26s %9s %9s %9s  %s%n", "volume", "fractions (label: value)", "S_pore",
                "S2(4)", "chord_z", "pore tau x / y / z");
        for (VolumeSummary v : s.volumes()) {
            StringBuilder f = new StringBuilder();
            v.fractions().forEach((k, x) -> f.append(String.format(Locale.ROOT, "%s:%.3f ", k, x)));
            o.printf(Locale.ROOT, "%-44s %-26s %9.4f %9.4f %9.3f  %.3f / %.3f / %.3f%n", v.name(), f.toString().trim(),
                    v.poreSurfaceFaceCount(), v.activeS2Lag4(), v.meanPoreChordZ(), v.poreTau().get("x"),
                    v.poreTau().get("y"), v.poreTau().get("z"));
        }
        o.println();
        o.println("(S_pore: face-count specific surface of the pore per um; S2(4): active-phase two-point correlation "
                + "at 4 voxels; chord_z: mean pore chord along z in um)");
        for (int i = 0; i < s.steps().size(); i++) {
            o.println((i + 1) + ". " + s.steps().get(i));
        }
        o.println();
        o.printf(Locale.ROOT, "campaign (20 evaluations, latent space of the GAN): pore tau_z of the electrode %.3f%n",
                s.electrodeTauZ());
        o.printf(Locale.ROOT, "%-6s %-8s %12s %26s%n", "eval", "active", "tau_z (BO)", "verified tau x / y / z");
        for (Verified v : s.bestDesigns()) {
            o.printf(Locale.ROOT, "%-6d %-8.3f %12.3f %10.3f / %.3f / %.3f%n", v.evaluation(), v.activeFraction(),
                    v.campaignTauZ(), v.verifiedTau().get("x"), v.verifiedTau().get("y"), v.verifiedTau().get("z"));
        }
        if (s.bestDesigns().isEmpty()) {
            o.println("(no design met the active-fraction constraint)");
        }
        o.println();
        s.files().forEach(f -> o.println("wrote " + f));
        o.println("wrote " + s.model() + "/ (the trained GAN), " + s.campaign() + "/ and " + s.report());
        o.printf(Locale.ROOT, "demo finished in %.0f s%n", s.seconds());
        o.println("wrote " + report);
        o.flush();
    }
}
