package dev.microforge.training;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class GanTrainingConfigTest {

    /** Both moving averages (of the generator's weights, of the generated statistics): off by default, in [0, 1). */
    @Test
    void theAveragesAreOffByDefaultAndReadFromJson() {
        assertEquals(0, GanTrainingConfig.defaults().trainerOptions().generatorAverage());
        assertEquals(0, GanTrainingConfig.defaults().trainerOptions().statisticsAverage());
        GanTrainingConfig c = GanTrainingConfig.fromJson("{\"generatorAverage\": 0.995, \"statisticsAverage\": 0.9}",
                "test", GanTrainingConfig.defaults());
        assertEquals(0.995, c.trainerOptions().generatorAverage());
        assertEquals(0.9, c.trainerOptions().statisticsAverage());
        assertEquals(c, GanTrainingConfig.fromMap(c.toMap(), "stored"));
        for (String key : List.of("generatorAverage", "statisticsAverage")) {
            for (String bad : List.of("1", "-0.1", "1.5")) {
                IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> GanTrainingConfig
                        .fromJson("{\"" + key + "\": " + bad + "}", "test", GanTrainingConfig.defaults()));
                assertTrue(e.getMessage().contains(key), e.getMessage());
            }
        }
    }

    @Test
    void theLinealPathTermIsOffByDefaultAndReadFromJson() {
        assertEquals(0, GanTrainingConfig.defaults().trainerOptions().linealPathWeight());
        GanTrainingConfig c = GanTrainingConfig.fromJson("{\"linealPathWeight\": 300}", "test",
                GanTrainingConfig.defaults());
        assertEquals(300, c.trainerOptions().linealPathWeight());
        // its lag: 16 unless the statistics lag is shorter, at most the statistics lag
        assertEquals(16, c.trainerOptions().linealPathMaxLag());
        assertEquals(8, GanTrainingConfig.fromJson("{\"linealPathWeight\": 1, \"statisticsMaxLag\": 8}", "test",
                GanTrainingConfig.defaults()).trainerOptions().linealPathMaxLag());
        assertEquals(5, GanTrainingConfig.fromJson("{\"linealPathMaxLag\": 5}", "test",
                GanTrainingConfig.defaults()).trainerOptions().linealPathMaxLag());
        for (String bad : List.of("-1", "17")) {
            IllegalArgumentException lag = assertThrows(IllegalArgumentException.class, () -> GanTrainingConfig.fromJson(
                    "{\"linealPathMaxLag\": " + bad + "}", "test", GanTrainingConfig.defaults()));
            assertTrue(lag.getMessage().contains("linealPathMaxLag"), lag.getMessage());
        }
        assertEquals(c, GanTrainingConfig.fromMap(c.toMap(), "stored"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> GanTrainingConfig.fromJson(
                "{\"linealPathWeight\": -1}", "test", GanTrainingConfig.defaults()));
        assertTrue(e.getMessage().contains("linealPathWeight"), e.getMessage());
    }

    @Test
    void partialJsonOverridesOnlyItsKeysAndRoundTripsThroughTheStoredMap() {
        GanTrainingConfig c = GanTrainingConfig.fromJson(
                "{\"iterations\": 10, \"criticWidths\": [16, 16, 32], \"criticLearningRate\": 2e-4}", "c.json",
                GanTrainingConfig.defaults());
        assertEquals(10, c.iterations());
        assertEquals(List.of(16, 16, 32), c.criticWidths());
        assertEquals(2e-4, c.criticLearningRate());
        assertEquals(GanTrainingConfig.defaults().batchSize(), c.batchSize());
        assertEquals(c, GanTrainingConfig.fromMap(c.toMap(), "model.json"));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "{\"batchSz\": 4}|unknown key 'batchSz'",
        "{\"batchSize\": \"four\"}|batchSize",
        "{\"batchSize\": 2.5}|batchSize",
        "{\"batchSize\": 0}|batchSize must be at least 1",
        "{\"generatorWidths\": [24]}|multiples of 16",
        "{\"patchSize\": 18}|patchSize 18 must be a multiple of 8",
        "{\"criticLearningRate\": -1}|learning rate",
        "[1, 2]|expected a JSON object",
        "{\"iterations\": 5,|not valid JSON",
        "{\"checkpointEvery\": 0}|checkpointEvery"})
    void badConfigurationsNameTheKey(String json, String expected) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> GanTrainingConfig.fromJson(json, "c.json", GanTrainingConfig.defaults()));
        assertTrue(e.getMessage().startsWith("c.json: ") && e.getMessage().contains(expected), e.getMessage());
    }
}
