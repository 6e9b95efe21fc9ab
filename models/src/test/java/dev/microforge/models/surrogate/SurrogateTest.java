package dev.microforge.models.surrogate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.microforge.datasets.Volume;
import dev.microforge.models.ModelDirectory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.learning.config.Adam;

/** The public surrogate API: ensemble statistics, model directory round trip, refusals. */
class SurrogateTest {
    private static final List<String> NAMES = List.of("volumeFraction.pore", "logTortuosity.pore.z");

    static Surrogate untrained(int members) {
        SurrogateArchitecture a = SurrogateArchitecture.defaults().withInputSize(16);
        List<MultiLayerNetwork> nets = new java.util.ArrayList<>();
        for (int m = 0; m < members; m++) {
            nets.add(SurrogateNetwork.create(a, NAMES.size(), 100 + m, new Adam(1e-3), DataType.FLOAT));
        }
        TargetScaler scaler = new TargetScaler(NAMES, new double[] {0.4, 1.0}, new double[] {0.1, 0.5});
        return Surrogate.of(a, scaler, nets, List.of("pore", "active", "cbd"), 7, Map.of("designs", 3));
    }

    @Test
    void predictionIsTheMeanAndSampleSdOfTheMembersInPropertyUnits() {
        Surrogate s = untrained(3);
        List<Volume> volumes = List.of(SurrogateNetworkTest.randomVolume(16, 3, 1),
                SurrogateNetworkTest.randomVolume(16, 3, 2));
        double[][][] each = s.memberPredictions(volumes);
        List<Surrogate.Prediction> p = s.predict(volumes);
        for (int v = 0; v < 2; v++) {
            for (int j = 0; j < NAMES.size(); j++) {
                double a = each[0][v][j];
                double b = each[1][v][j];
                double c = each[2][v][j];
                double mean = (a + b + c) / 3;
                double sd = Math.sqrt(((a - mean) * (a - mean) + (b - mean) * (b - mean) + (c - mean) * (c - mean))
                        / 2);
                Surrogate.Estimate e = p.get(v).get(NAMES.get(j));
                assertEquals(mean, e.mean(), 1e-12);
                assertEquals(sd, e.sd(), 1e-12);
                assertTrue(e.sd() > 0, "differently seeded members disagree");
            }
        }
        // the standardisation is undone: each member's raw output z on the dense encoding maps to mean + sd z
        // (the surrogate runs the members' first layers from the labels: FirstLayer)
        org.nd4j.linalg.api.ndarray.INDArray dense = SurrogateInput.encode(volumes, s.architecture(), null);
        for (int m = 0; m < 3; m++) {
            double[][] z = s.networks().get(m).output(dense, false).toDoubleMatrix();
            for (int v = 0; v < 2; v++) {
                for (int j = 0; j < NAMES.size(); j++) {
                    assertEquals(s.scaler().restore(j, z[v][j]), each[m][v][j], 1e-5 * s.scaler().sd()[j],
                            "member " + m + ", volume " + v + ", " + NAMES.get(j));
                }
            }
        }
        assertEquals(List.of("volumeFraction.pore", "logTortuosity.pore.z"), List.copyOf(p.get(0).properties()
                .keySet()));
        assertEquals(p.get(1).get("volumeFraction.pore"), s.predict(volumes.get(1)).get("volumeFraction.pore"));
    }

    @Test
    void modelDirectoryRoundTripGivesIdenticalPredictions(@TempDir Path dir) throws IOException {
        Surrogate s = untrained(2);
        Volume v = SurrogateNetworkTest.randomVolume(16, 3, 9);
        Surrogate.Prediction before = s.predict(v);
        s.save(dir);
        assertTrue(Files.isRegularFile(dir.resolve("member-0.zip")) && Files.isRegularFile(dir.resolve("member-1.zip")));
        Surrogate.Manifest m = Surrogate.readManifest(dir);
        assertEquals("surrogate", m.kind());
        assertEquals(ModelDirectory.SCHEMA_VERSION, m.schemaVersion());
        assertEquals(NAMES, m.targets().stream().map(Surrogate.Target::name).toList());
        Surrogate loaded = Surrogate.load(dir);
        assertEquals(before, loaded.predict(v), "bit-identical after save and load");
        assertEquals(s.architecture(), loaded.architecture());
        assertEquals(7, loaded.seed());
        assertEquals(3, ((Number) loaded.training().get("designs")).intValue());
        try (var files = Files.list(dir)) {
            assertTrue(files.noneMatch(f -> f.getFileName().toString().endsWith(".part")), "no temporary file left");
        }
    }

    @Test
    void badModelDirectoriesAndVolumesAreRefusedWithAMessage(@TempDir Path dir) throws IOException {
        assertThrows(NoSuchFileException.class, () -> Surrogate.load(dir.resolve("missing")));
        assertThrows(NoSuchFileException.class, () -> Surrogate.load(dir));
        Files.writeString(dir.resolve("model.json"), "{\"schemaVersion\": 1, \"kind\": \"gan3d\"}");
        IllegalArgumentException kind = assertThrows(IllegalArgumentException.class, () -> Surrogate.load(dir));
        assertTrue(kind.getMessage().contains("gan3d"), kind.getMessage());
        Files.writeString(dir.resolve("model.json"), "{not json");
        assertThrows(IllegalArgumentException.class, () -> Surrogate.load(dir));
        Surrogate s = untrained(1);
        s.save(dir);
        Files.delete(dir.resolve("member-0.zip"));
        assertThrows(NoSuchFileException.class, () -> Surrogate.load(dir));
        Files.writeString(dir.resolve("member-0.zip"), "not a zip");
        assertThrows(IllegalArgumentException.class, () -> Surrogate.load(dir));

        assertEquals(0.0, s.predict(SurrogateNetworkTest.randomVolume(16, 3, 1)).get("volumeFraction.pore").sd(),
                "one member: no spread");
        IllegalArgumentException size = assertThrows(IllegalArgumentException.class,
                () -> s.predict(List.of(SurrogateNetworkTest.randomVolume(16, 3, 1),
                        SurrogateNetworkTest.randomVolume(32, 3, 1))));
        assertTrue(size.getMessage().startsWith("volume 2 of 2"), size.getMessage());
        assertThrows(IllegalArgumentException.class, () -> s.predict(SurrogateNetworkTest.randomVolume(16, 4, 1)));
        assertThrows(IllegalArgumentException.class,
                () -> s.predict(SurrogateNetworkTest.randomVolume(16, 3, 1)).get("tortuosity"));
        assertThrows(IllegalArgumentException.class, () -> new TargetScaler(NAMES, new double[] {0, 0},
                new double[] {1, 0}));
    }

    @Test
    void scalerStandardisesAndSkipsUndefinedValues() {
        TargetScaler s = TargetScaler.fit(List.of("a", "b", "c"), List.of(new double[] {1, 5, Double.NaN},
                new double[] {3, 5, 2}, new double[] {5, 5, Double.NaN}));
        assertEquals(3.0, s.mean()[0], 1e-15);
        assertEquals(2.0, s.sd()[0], 1e-15);
        assertEquals(1.0, s.sd()[1], 0, "a constant property gets sd 1");
        assertEquals(2.0, s.mean()[2], 0, "NaN skipped");
        assertEquals(1.0, s.standardise(0, 5), 1e-15);
        assertEquals(5.0, s.restore(0, 1), 1e-15);
        assertThrows(IllegalArgumentException.class, () -> TargetScaler.fit(List.of("a"),
                List.of(new double[] {Double.NaN})));
    }

    private static Volume thresholded(long seed) {
        java.util.SplittableRandom r = new java.util.SplittableRandom(seed);
        double threshold = 0.25 + 0.5 * r.nextDouble();
        return Volume.generate(16, 16, 16, (x, y, z) -> {
            double u = r.nextDouble();
            return u < threshold ? 0 : u < threshold + 0.1 ? 2 : 1;
        });
    }

    /**
     * A verified design refits the baseline: the surrogate then predicts nearer the measured value at that design with
     * a smaller sd there, its sd includes the baseline's predictive variance, the update survives save and load,
     * and unknown properties are refused.
     */
    @Test
    void aVerifiedDesignRefitsTheBaseline(@TempDir Path dir) throws IOException {
        Surrogate plain = untrained(2);
        java.util.List<double[]> features = new java.util.ArrayList<>();
        java.util.List<double[]> targets = new java.util.ArrayList<>();
        java.util.SplittableRandom r = new java.util.SplittableRandom(4);
        for (int i = 0; i < 40; i++) {
            double[] f = DescriptorBaseline.features(thresholded(1000 + i), 3);
            features.add(f);
            targets.add(new double[] {f[1], -1.5 * f[4] + 0.1 * r.nextDouble()});
        }
        DescriptorBaseline baseline = DescriptorBaseline.fit(3, features, targets, 1e-3);
        Surrogate s = Surrogate.of(plain.architecture(), plain.scaler(), baseline, plain.networks(),
                plain.phaseLabels(), 7, Map.of());
        Volume v = thresholded(77);
        double[][][] each = s.memberPredictions(List.of(v));
        Surrogate.Estimate before = s.predict(v).get("logTortuosity.pore.z");
        double members = (each[0][0][1] - before.mean()) * (each[0][0][1] - before.mean())
                + (each[1][0][1] - before.mean()) * (each[1][0][1] - before.mean());
        double bv = baseline.variance(baseline.descriptors(v))[1];
        assertTrue(bv > 0);
        assertEquals(Math.sqrt(members + bv), before.sd(), 1e-9, "members' sample variance plus the baseline's");

        Surrogate.Estimate fraction = s.predict(v).get("volumeFraction.pore");
        double measured = before.mean() + 1;
        assertTrue(s.observe(v, Map.of("logTortuosity.pore.z", measured)));
        assertEquals(1, s.observedDesigns());
        Surrogate.Estimate after = s.predict(v).get("logTortuosity.pore.z");
        assertTrue(Math.abs(after.mean() - measured) < 0.9 * Math.abs(before.mean() - measured),
                "refitted towards the measurement: " + before + " -> " + after + ", measured " + measured);
        assertTrue(after.sd() < before.sd());
        assertEquals(fraction, s.predict(v).get("volumeFraction.pore"), "fraction not measured: unchanged");

        s.save(dir);
        assertEquals(after, Surrogate.load(dir).predict(v).get("logTortuosity.pore.z"), "the refit is saved");
        assertThrows(IllegalArgumentException.class, () -> s.observe(v, Map.of("porosity", 0.3)));
        assertEquals(false, s.observe(v, Map.of("logTortuosity.pore.z", Double.NaN)), "nothing finite measured");
        assertEquals(false, plain.observe(v, Map.of("logTortuosity.pore.z", 1.0)), "no baseline to refit");
    }
}
