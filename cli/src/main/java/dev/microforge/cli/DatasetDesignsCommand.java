package dev.microforge.cli;

import dev.microforge.datasets.Volume;
import dev.microforge.datasets.io.AtomicFile;
import dev.microforge.datasets.io.VolumeIO;
import dev.microforge.generator.presets.RandomDesigns;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/** {@code microforge dataset designs --count N --size S --out DIR [--label]}: varied designs for a surrogate. */
@Command(name = "designs", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Write varied electrode designs for training a property surrogate: each volume draws a family "
                + "(preset, packed spheres, spheres with carbon-binder, flakes or needles with or without binder) and "
                + "its parameters (solid fraction, particle size, binder amount and morphology) at random. Labels 0 "
                + "pore, 1 active, 2 CBD. Design i uses seed SEED + i; DIR/designs.json records the parameters.",
                "With --label the designs are then labelled as by 'dataset label'."})
final class DatasetDesignsCommand implements Callable<Integer> {
    @ParentCommand
    DatasetCommand parent;

    @Option(names = "--count", paramLabel = "N", required = true, description = "Number of designs.")
    int count;

    @Option(names = "--size", paramLabel = "S", description = "Edge in voxels (default 64; presets need 48).")
    int size = 64;

    @Option(names = "--seed", paramLabel = "S", description = "Seed of the first design (default 1).")
    long seed = 1;

    @Option(names = "--out", paramLabel = "DIR", required = true,
            description = "Folder to write into (created when its parent exists).")
    Path out;

    @Option(names = "--label", description = "Label the designs with the physics evaluator afterwards.")
    boolean label;

    @Option(names = "--threads", paramLabel = "N", description = "Threads of the transport solves (default: all).")
    Integer threads;

    @Option(names = "--force", description = "Overwrite existing designs.")
    boolean force;

    @Option(names = "--json", description = "Print a summary as JSON on stdout.")
    boolean json;

    record DesignJson(String file, long seed, String family, Map<String, Object> parameters,
            Map<String, Double> fractions, double seconds) {
    }

    record ManifestJson(int size, long seed, int count, boolean interrupted, List<DesignJson> designs,
            DatasetLabelCommand.SummaryJson labels) {
    }

    @Override
    public Integer call() throws Exception {
        CliContext context = parent.parent.context();
        if (count < 1 || count > 100000) {
            throw new IllegalArgumentException("--count must be 1..100000, got " + count);
        }
        if (size < RandomDesigns.MIN_SIZE) {
            throw new IllegalArgumentException("--size must be at least " + RandomDesigns.MIN_SIZE + ", got " + size);
        }
        Path dir = OutputFolders.createIfParentExists(out);
        List<Path> files = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            Path f = dir.resolve(String.format(Locale.ROOT, "design-%04d.tif", i));
            AtomicFile.checkWritable(f, force);
            files.add(f);
        }
        List<DesignJson> designs = new ArrayList<>();
        boolean interrupted = false;
        DatasetLabelCommand.SummaryJson labels = null;
        try (CtrlC stop = new CtrlC()) {
            for (int i = 0; i < count; i++) {
                if (stop.getAsBoolean()) {
                    interrupted = true;
                    break;
                }
                context.progress().progress("drawing designs", i, count);
                long t0 = System.nanoTime();
                RandomDesigns.Design d = RandomDesigns.draw(size, seed + i);
                Volume v = d.volume();
                VolumeIO.write(v, files.get(i), VolumeIO.WriteOptions.defaults().withOverwrite(force));
                designs.add(new DesignJson(files.get(i).getFileName().toString(), seed + i, d.family(), d.parameters(),
                        GeneratedOutput.fractionsOf(v), (System.nanoTime() - t0) / 1e9));
            }
            context.progress().progress("drawing designs", count, count);
            context.closeProgress();
            if (label && !interrupted) {
                labels = DatasetLabelCommand.labelFolder(dir, threads, false, context, stop);
                interrupted = labels.interrupted();
            }
            ManifestJson m = new ManifestJson(size, seed, designs.size(), interrupted, designs, labels);
            AtomicFile.write(dir.resolve("designs.json"), true, o -> o.write(Json.toBytes(m)));
            if (json) {
                Json.print(context.out(), m);
            } else {
                context.out().printf(Locale.ROOT, "wrote %d designs of %d^3 into %s (designs.json)%n", designs.size(),
                        size, dir);
                if (labels != null) {
                    DatasetLabelCommand.printSummary(context, labels);
                }
                if (interrupted) {
                    context.out().println("interrupted: rerun to finish (labels already written are kept)");
                }
                context.out().flush();
            }
        }
        return Main.OK;
    }
}
