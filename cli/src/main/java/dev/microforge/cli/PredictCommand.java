package dev.microforge.cli;

import dev.microforge.datasets.Volume;
import dev.microforge.datasets.io.VolumeIO;
import dev.microforge.models.surrogate.Nd4jRuntime;
import dev.microforge.models.surrogate.Surrogate;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** {@code microforge predict --model DIR VOLUME...}: surrogate predictions with their ensemble spread. */
@Command(name = "predict", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Predict the properties of volumes with a trained surrogate: mean and standard deviation over "
                + "the ensemble members for each property (fractions; surface areas in 1/voxel; natural logs of "
                + "tortuosity and conductivity, with exp(mean) beside them). Volumes must be cubes of the size the "
                + "model was trained on, labels 0 pore, 1 active, 2 CBD."})
final class PredictCommand implements Callable<Integer> {
    @ParentCommand
    MicroforgeCommand parent;

    @Option(names = "--model", paramLabel = "DIR", required = true, description = "Surrogate model directory.")
    Path model;

    @Parameters(paramLabel = "VOLUME", arity = "1..*", description = "Volumes to predict.")
    List<Path> volumes;

    @Option(names = "--threads", paramLabel = "N", description = "Threads of the network (default 1).")
    Integer threads;

    @Option(names = "--json", description = "Print the predictions as JSON on stdout.")
    boolean json;

    record EstimateJson(double mean, double sd) {
    }

    record PredictionJson(String volume, Map<String, EstimateJson> properties) {
    }

    record ResultJson(String model, int members, int inputSize, double secondsPerVolume, List<PredictionJson> predictions) {
    }

    @Override
    public Integer call() throws Exception {
        CliContext context = parent.context();
        if (threads != null && threads < 1) {
            throw new IllegalArgumentException("--threads must be at least 1, got " + threads);
        }
        Surrogate surrogate = Surrogate.load(model);
        if (threads != null) {
            Nd4jRuntime.setThreads(threads);
        }
        List<Volume> read = new ArrayList<>();
        for (Path p : volumes) {
            read.add(VolumeIO.read(p));
        }
        long t0 = System.nanoTime();
        List<Surrogate.Prediction> predictions;
        try {
            predictions = surrogate.predict(read);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(volumes.size() == 1 ? volumes.get(0) + ": " + e.getMessage()
                    : e.getMessage(), e);
        }
        double perVolume = (System.nanoTime() - t0) / 1e9 / read.size();
        List<PredictionJson> out = new ArrayList<>();
        for (int i = 0; i < read.size(); i++) {
            Map<String, EstimateJson> m = new LinkedHashMap<>();
            predictions.get(i).properties().forEach((k, e) -> m.put(k, new EstimateJson(e.mean(), e.sd())));
            out.add(new PredictionJson(volumes.get(i).toString(), m));
        }
        ResultJson result = new ResultJson(model.toString(), surrogate.memberCount(), surrogate.inputSize(),
                perVolume, out);
        if (json) {
            Json.print(context.out(), result);
            return Main.OK;
        }
        for (PredictionJson p : out) {
            context.out().println(p.volume() + ":");
            p.properties().forEach((name, e) -> context.out().printf(Locale.ROOT, "  %-24s %9.4f +- %.4f%s%n", name,
                    e.mean(), e.sd(), name.startsWith("log") ? String.format(Locale.ROOT, "   (%s %.4g)",
                            name.startsWith("logTortuosity") ? "tau" : "k", Math.exp(e.mean())) : ""));
        }
        context.out().printf(Locale.ROOT, "%d member(s), %.1f ms per volume%n", surrogate.memberCount(),
                perVolume * 1000);
        context.out().flush();
        return Main.OK;
    }
}
