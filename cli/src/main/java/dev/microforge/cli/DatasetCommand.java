package dev.microforge.cli;

import dev.microforge.datasets.Volume;
import dev.microforge.datasets.io.AtomicFile;
import dev.microforge.datasets.io.VolumeIO;
import dev.microforge.generator.presets.ElectrodePreset;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code microforge dataset ...}: embedded datasets. */
@Command(name = "dataset", mixinStandardHelpOptions = true, description = "Embedded datasets.",
        subcommands = {DatasetCommand.Synth.class, DatasetDesignsCommand.class, DatasetLabelCommand.class})
final class DatasetCommand implements Callable<Integer> {
    @ParentCommand
    MicroforgeCommand parent;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        throw new CommandLine.ParameterException(spec.commandLine(), "no dataset command given (one of "
                + String.join(", ", spec.subcommands().keySet()) + ")");
    }

    /** {@code microforge dataset synth --preset NAME --count N --size S --out DIR}. */
    @Command(name = "synth", mixinStandardHelpOptions = true, sortOptions = false,
            description = {"Write NREL-like electrode volumes built from a preset's parameters (no input file): "
                    + "nmc, graphite, lfp, graded (3 phases: 0 pore, 1 active, 2 CBD) or separator (0 pore, 1 "
                    + "polymer). Volume i uses seed SEED + i; DIR/PRESET.json records the parameters."})
    static final class Synth implements Callable<Integer> {
        @ParentCommand
        DatasetCommand parent;

        @Option(names = "--preset", paramLabel = "NAME", required = true,
                description = "nmc, graphite, lfp, graded or separator.")
        String preset;

        @Option(names = "--count", paramLabel = "N", description = "Number of volumes (default 1).")
        int count = 1;

        @Option(names = "--size", paramLabel = "S", description = "Edge in voxels (default 96, at least 48).")
        int size = 96;

        @Option(names = "--seed", paramLabel = "S", description = "Seed of the first volume (default 1).")
        long seed = 1;

        @Option(names = "--out", paramLabel = "DIR", required = true,
                description = "Folder to write into (created when its parent exists).")
        Path out;

        @Option(names = "--force", description = "Overwrite existing volumes.")
        boolean force;

        @Option(names = "--json", description = "Print a summary as JSON on stdout.")
        boolean json;

        record VolumeJson(String file, long seed, Map<String, Double> fractions, double seconds) {
        }

        record ManifestJson(String preset, String description, double voxelSizeUm, int size, double activeFraction,
                double cbdFraction, double omega, String labels, List<VolumeJson> volumes) {
        }

        @Override
        public Integer call() throws Exception {
            CliContext context = parent.parent.context();
            ElectrodePreset p = ElectrodePreset.parse(preset);
            if (count < 1 || count > 10000) {
                throw new IllegalArgumentException("--count must be 1..10000, got " + count);
            }
            Path dir = OutputFolders.createIfParentExists(out);
            List<Path> files = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                Path f = dir.resolve(String.format(Locale.ROOT, "%s-%03d.tif", p.label(), i));
                AtomicFile.checkWritable(f, force);
                files.add(f);
            }
            Path manifest = dir.resolve(p.label() + ".json");
            List<VolumeJson> volumes = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                context.progress().progress("synthesising " + p.label(), i, count);
                long t0 = System.nanoTime();
                Volume v = p.synthesize(size, seed + i);
                double seconds = (System.nanoTime() - t0) / 1e9;
                VolumeIO.write(v, files.get(i), VolumeIO.WriteOptions.defaults().withOverwrite(force));
                volumes.add(new VolumeJson(files.get(i).toString(), seed + i, GeneratedOutput.fractionsOf(v),
                        seconds));
            }
            context.progress().progress("synthesising " + p.label(), count, count);
            context.closeProgress();
            ManifestJson m = new ManifestJson(p.label(), p.description(), p.voxelSizeUm(), size, p.activeFraction(),
                    p.cbdFraction(), p.omega(), p == ElectrodePreset.SEPARATOR ? "0 pore, 1 polymer"
                    : "0 pore, 1 active, 2 cbd", volumes);
            AtomicFile.write(manifest, true, o -> o.write(Json.toBytes(m)));
            if (json) {
                Json.print(context.out(), m);
            } else {
                for (VolumeJson v : volumes) {
                    context.out().printf(Locale.ROOT, "wrote %s %s (%.1f s)%n", v.file(), v.fractions(), v.seconds());
                }
                context.out().println("wrote " + manifest);
                context.out().flush();
            }
            return Main.OK;
        }
    }
}
