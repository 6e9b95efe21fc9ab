package dev.microforge.generator.presets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.microforge.datasets.Volume;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class ElectrodePresetTest {
    @ParameterizedTest
    @EnumSource(ElectrodePreset.class)
    void everyPresetHitsItsFractionsAndIsDeterministic(ElectrodePreset preset) {
        Volume v = preset.synthesize(48, 11);
        long n = v.voxelCount();
        assertEquals(preset.activeFraction(), (double) v.labelCounts()[1] / n, 0.01, preset.label());
        assertEquals(preset.cbdFraction(), (double) v.labelCounts()[2] / n, 0.01, preset.label());
        assertEquals(preset.voxelSizeUm(), v.voxelSize().dx(), 1e-12);
        assertEquals(v, preset.synthesize(48, 11), "same seed, same volume");
        assertNotEquals(v, preset.synthesize(48, 12), "different seed, different volume");
    }

    @ParameterizedTest
    @EnumSource(ElectrodePreset.class)
    void namesParseAndSmallSizesAreRefused(ElectrodePreset preset) {
        assertEquals(preset, ElectrodePreset.parse(preset.label().toUpperCase(java.util.Locale.ROOT)));
        assertThrows(IllegalArgumentException.class, () -> preset.synthesize(16, 1));
        assertThrows(IllegalArgumentException.class, () -> ElectrodePreset.parse("cobalt"));
    }
}
