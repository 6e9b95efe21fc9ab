package dev.microforge.optimizer.ladder;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.microforge.datasets.Axis;
import dev.microforge.datasets.PhaseMap;
import dev.microforge.datasets.Volume;
import dev.microforge.datasets.VoxelSize;
import dev.microforge.evaluator.properties.ElectrodeProperties;
import dev.microforge.models.surrogate.SurrogateArchitecture;
import dev.microforge.models.surrogate.SurrogateNetwork;
import dev.microforge.models.surrogate.TargetScaler;
import dev.microforge.optimizer.objective.Property;
import dev.microforge.optimizer.objective.PropertySpec;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.learning.config.Adam;

/** The CNN surrogate as a ladder rung: each spec maps to the model's estimates as documented. */
class CnnSurrogateTest {
    private static final PhaseMap PHASES = PhaseMap.of(Map.of(0, "pore", 1, "active", 2, "cbd"));

    /** An untrained two-member ensemble of 16³ (its outputs are arbitrary but fixed: the mapping is what counts). */
    private static dev.microforge.models.surrogate.Surrogate model() {
        SurrogateArchitecture a = SurrogateArchitecture.defaults().withInputSize(16).withWidths(16, 16, 16);
        List<MultiLayerNetwork> nets = new ArrayList<>();
        for (int m = 0; m < 2; m++) {
            nets.add(SurrogateNetwork.create(a, ElectrodeProperties.NAMES.size(), 10 + m, new Adam(1e-3),
                    DataType.FLOAT));
        }
        double[] mean = new double[ElectrodeProperties.NAMES.size()];
        double[] sd = new double[mean.length];
        Arrays.fill(mean, 0.3);
        Arrays.fill(sd, 0.1);
        return dev.microforge.models.surrogate.Surrogate.of(a, new TargetScaler(ElectrodeProperties.NAMES, mean, sd),
                nets, List.of("pore", "active", "cbd"), 1, Map.of());
    }

    private static Volume volume(int n) {
        SplittableRandom r = new SplittableRandom(3);
        return Volume.generate(n, n, n, (x, y, z) -> r.nextInt(3));
    }

    @Test
    void specsMapToTheModelsEstimates() {
        dev.microforge.models.surrogate.Surrogate model = model();
        CnnSurrogate cnn = CnnSurrogate.of(model);
        Volume v = volume(16);
        dev.microforge.models.surrogate.Surrogate.Prediction p = model.predict(v);
        List<PropertySpec> specs = List.of(
                new PropertySpec(Property.TORTUOSITY, "pore", Axis.Z, null),
                new PropertySpec(Property.EFFECTIVE_DIFFUSIVITY, "active+cbd", Axis.X, null),
                new PropertySpec(Property.VOLUME_FRACTION, "active+cbd", null, null),
                new PropertySpec(Property.SURFACE_AREA, "active", null, null),
                new PropertySpec(Property.EFFECTIVE_CONDUCTIVITY, null, Axis.Z, Map.of("active", 1.0, "cbd", 10.0)),
                new PropertySpec(Property.EFFECTIVE_CONDUCTIVITY, null, Axis.Z, Map.of("pore", 1.0)),
                new PropertySpec(Property.TORTUOSITY, "active", Axis.Z, null));
        Surrogate.Prediction q = cnn.predict(v, PHASES, specs);
        double tau = Math.exp(p.get("logTortuosity.pore.z").mean());
        assertEquals(tau, q.mean()[0], 1e-12);
        assertEquals(tau * p.get("logTortuosity.pore.z").sd(), q.sd()[0], 1e-12);
        double solid = p.get("volumeFraction.active").mean() + p.get("volumeFraction.cbd").mean();
        assertEquals(solid / Math.exp(p.get("logTortuosity.solid.x").mean()), q.mean()[1], 1e-12);
        assertEquals(solid, q.mean()[2], 1e-12);
        assertEquals(Math.hypot(p.get("volumeFraction.active").sd(), p.get("volumeFraction.cbd").sd()), q.sd()[2],
                1e-12);
        assertEquals(p.get("surfaceArea.active").mean(), q.mean()[3], 1e-12, "unknown voxel size: 1/voxel");
        assertEquals(Math.exp(p.get("logConductivity.z").mean()), q.mean()[4], 1e-12);
        assertTrue(Double.isNaN(q.mean()[5]), "conductivities the model did not learn");
        assertTrue(Double.isNaN(q.mean()[6]), "tortuosity of the active phase alone is not predicted");
        assertEquals("cnn", cnn.name());
    }

    @Test
    void labelsAreMappedByNameAndUnits() {
        CnnSurrogate cnn = CnnSurrogate.of(model());
        Volume v = volume(16);
        // the same electrode labelled 0/85/170 with a voxel edge of 0.5 um
        int[] lookup = new int[256];
        lookup[1] = 85;
        lookup[2] = 170;
        Volume relabelled = v.remap(lookup).withVoxelSize(VoxelSize.isotropic(0.5));
        PhaseMap names = PhaseMap.of(Map.of(0, "pore", 85, "active", 170, "cbd"));
        List<PropertySpec> specs = List.of(new PropertySpec(Property.TORTUOSITY, "pore", Axis.Y, null),
                new PropertySpec(Property.SURFACE_AREA, "pore", null, null));
        Surrogate.Prediction a = cnn.predict(v, PHASES, specs);
        Surrogate.Prediction b = cnn.predict(relabelled, names, specs);
        assertEquals(a.mean()[0], b.mean()[0], 1e-12);
        assertEquals(a.mean()[1] / 0.5, b.mean()[1], 1e-12, "1/um when the voxel size is known");
        // another size: nothing predicted, the campaign falls back to its GP
        Surrogate.Prediction c = cnn.predict(volume(20), PHASES, specs);
        assertTrue(Double.isNaN(c.mean()[0]) && Double.isNaN(c.sd()[1]));
    }
}
