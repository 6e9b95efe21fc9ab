package dev.microforge.optimizer.ladder;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.microforge.datasets.Axis;
import dev.microforge.datasets.PhaseMap;
import dev.microforge.datasets.Volume;
import dev.microforge.datasets.VoxelSize;
import dev.microforge.models.surrogate.DescriptorBaseline;
import dev.microforge.models.surrogate.Surrogate.Estimate;
import dev.microforge.models.surrogate.SurrogateArchitecture;
import dev.microforge.models.surrogate.SurrogateNetwork;
import dev.microforge.models.surrogate.TargetScaler;
import dev.microforge.optimizer.objective.Property;
import dev.microforge.optimizer.objective.PropertySpec;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.learning.config.Adam;

/** The CNN ensemble as a screening surrogate: each campaign spec maps onto the ensemble's property vector. */
class CnnSurrogateTest {
    private static final List<String> NAMES = List.of("volumeFraction.pore", "volumeFraction.active",
            "volumeFraction.cbd", "surfaceArea.pore", "logTortuosity.pore.z");
    private static final PhaseMap PHASES = PhaseMap.of(Map.of(0, "pore", 1, "active", 2, "cbd"));

    @TempDir
    Path tmp;

    @Test
    void specsMapOntoTheEnsemblesPropertiesWithTheirUncertainty() throws Exception {
        SurrogateArchitecture a = SurrogateArchitecture.defaults().withInputSize(16);
        List<MultiLayerNetwork> nets = new ArrayList<>();
        for (int m = 0; m < 3; m++) {
            nets.add(SurrogateNetwork.create(a, NAMES.size(), 40 + m, new Adam(1e-3), DataType.FLOAT));
        }
        TargetScaler scaler = new TargetScaler(NAMES, new double[] {0.4, 0.45, 0.15, 0.1, 0.5},
                new double[] {0.1, 0.1, 0.05, 0.02, 0.3});
        dev.microforge.models.surrogate.Surrogate model = dev.microforge.models.surrogate.Surrogate.of(a, scaler,
                nets, List.of("pore", "active", "cbd"), 1, Map.of());
        model.save(tmp.resolve("cnn"));
        CnnSurrogate s = CnnSurrogate.load(tmp.resolve("cnn"));

        SplittableRandom r = new SplittableRandom(3);
        Volume v = Volume.generate(16, 16, 16, (x, y, z) -> r.nextInt(3)).withVoxelSize(VoxelSize.isotropic(0.5));
        dev.microforge.models.surrogate.Surrogate.Prediction raw = model.predict(v);
        List<PropertySpec> specs = List.of(
                new PropertySpec(Property.TORTUOSITY, "pore", Axis.Z, null),
                new PropertySpec(Property.VOLUME_FRACTION, "active+cbd", null, null),
                new PropertySpec(Property.SURFACE_AREA, "pore", null, null),
                new PropertySpec(Property.EFFECTIVE_DIFFUSIVITY, "pore", Axis.Z, null),
                new PropertySpec(Property.TORTUOSITY, "pore", Axis.X, null),
                new PropertySpec(Property.EFFECTIVE_CONDUCTIVITY, null, Axis.Z, Map.of("active", 1.0)));
        Surrogate.Prediction p = s.predict(v, PHASES, specs);

        Estimate lt = raw.get("logTortuosity.pore.z");
        double v2 = lt.sd() * lt.sd();
        assertEquals(Math.exp(lt.mean() + v2 / 2), p.mean()[0], 1e-12 * p.mean()[0]);
        assertEquals(p.mean()[0] * Math.sqrt(Math.expm1(v2)), p.sd()[0], 1e-12);
        assertTrue(p.sd()[0] > 0, "members disagree");
        Estimate fa = raw.get("volumeFraction.active");
        Estimate fc = raw.get("volumeFraction.cbd");
        assertEquals(fa.mean() + fc.mean(), p.mean()[1], 1e-12);
        assertEquals(Math.hypot(fa.sd(), fc.sd()), p.sd()[1], 1e-12);
        assertEquals(raw.get("surfaceArea.pore").mean() / 0.5, p.mean()[2], 1e-12, "1/voxel to 1/um");
        double eps = (double) v.labelCounts()[0] / v.voxelCount();
        assertEquals(eps * Math.exp(-lt.mean() + v2 / 2), p.mean()[3], 1e-12);
        assertTrue(Double.isNaN(p.mean()[4]) && Double.isNaN(p.mean()[5]), "not in the ensemble's vector");

        // a volume of another size is not predicted
        Surrogate.Prediction other = s.predict(Volume.filled(8, 8, 8, 0), PHASES, specs);
        for (double m : other.mean()) {
            assertTrue(Double.isNaN(m));
        }
    }

    /**
     * Physics results refit the ensemble's baseline through the same mapping: a tortuosity and the equivalent
     * effective diffusivity ({@code eps / tau}) give the same refit, which moves the prediction towards the measured
     * value; what the ensemble does not predict, and volumes it does not take, change nothing.
     */
    @Test
    void verifiedDesignsRefitTheEnsemblesBaseline() throws Exception {
        SurrogateArchitecture a = SurrogateArchitecture.defaults().withInputSize(16);
        List<MultiLayerNetwork> nets = new ArrayList<>();
        for (int m = 0; m < 2; m++) {
            nets.add(SurrogateNetwork.create(a, NAMES.size(), 60 + m, new Adam(1e-3), DataType.FLOAT));
        }
        TargetScaler scaler = new TargetScaler(NAMES, new double[] {0.4, 0.45, 0.15, 0.1, 0.5},
                new double[] {0.1, 0.1, 0.05, 0.02, 0.3});
        List<double[]> features = new ArrayList<>();
        List<double[]> targets = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            double[] f = DescriptorBaseline.features(volume(500 + i), 3);
            features.add(f);
            targets.add(new double[] {f[1], f[2], f[3], f[7], -1.2 * f[4] + 0.05 * (i % 3)});
        }
        DescriptorBaseline baseline = DescriptorBaseline.fit(3, features, targets, 1e-3);
        dev.microforge.models.surrogate.Surrogate.of(a, scaler, baseline, nets, List.of("pore", "active", "cbd"), 1,
                Map.of()).save(tmp.resolve("cnn"));
        CnnSurrogate byTau = CnnSurrogate.load(tmp.resolve("cnn"));
        CnnSurrogate byDiffusivity = CnnSurrogate.load(tmp.resolve("cnn"));
        Volume v = volume(99);
        PropertySpec tau = new PropertySpec(Property.TORTUOSITY, "pore", Axis.Z, null);
        PropertySpec diffusivity = new PropertySpec(Property.EFFECTIVE_DIFFUSIVITY, "pore", Axis.Z, null);
        PropertySpec conductivity = new PropertySpec(Property.EFFECTIVE_CONDUCTIVITY, null, Axis.Z,
                Map.of("active", 1.0));
        double before = byTau.predict(v, PHASES, List.of(tau)).mean()[0];
        double measured = 1.5 * before;
        double eps = (double) v.labelCounts()[0] / v.voxelCount();

        byTau.update(Volume.filled(8, 8, 8, 0), PHASES, List.of(tau), new double[] {measured});
        byTau.update(v, PHASES, List.of(conductivity), new double[] {0.2});
        assertEquals(before, byTau.predict(v, PHASES, List.of(tau)).mean()[0], 0, "nothing it takes: unchanged");

        byTau.update(v, PHASES, List.of(tau, conductivity), new double[] {measured, 0.2});
        byDiffusivity.update(v, PHASES, List.of(diffusivity), new double[] {eps / measured});
        double after = byTau.predict(v, PHASES, List.of(tau)).mean()[0];
        assertEquals(after, byDiffusivity.predict(v, PHASES, List.of(tau)).mean()[0], 1e-9 * after);
        assertTrue(Math.abs(after - measured) < 0.9 * Math.abs(before - measured),
                "towards the measurement: " + before + " -> " + after + ", measured " + measured);
    }

    private static Volume volume(long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        double threshold = 0.25 + 0.5 * r.nextDouble();
        return Volume.generate(16, 16, 16, (x, y, z) -> {
            double u = r.nextDouble();
            return u < threshold ? 0 : u < threshold + 0.1 ? 2 : 1;
        });
    }
}
