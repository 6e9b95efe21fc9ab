package dev.microforge.models;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.engine.Engine;
import org.junit.jupiter.api.Test;

class EnginesTest {

    @Test
    void pytorchIsTheShippedLibtorch() {
        Engine engine = Engines.pytorch();
        assertEquals("PyTorch", engine.getEngineName());
        assertEquals("2.7.1", engine.getVersion());
    }

    @Test
    void deviceIsGpuWhenPresentElseCpu() {
        Device device = Engines.device();
        if (Engines.pytorch().getGpuCount() > 0) {
            assertTrue(device.isGpu(), device.toString());
        } else {
            assertEquals(Device.cpu(), device);
        }
    }

    @Test
    void describeNamesEngineVersionAndDevice() {
        String line = Engines.describe();
        assertTrue(line.startsWith("PyTorch 2.7.1 on "), line);
        assertEquals(-1, line.indexOf('\n'), line);
    }

    @Test
    void refusesToStartWithoutOfflineMode() {
        String saved = System.getProperty(Engines.OFFLINE_PROPERTY);
        try {
            System.clearProperty(Engines.OFFLINE_PROPERTY);
            IllegalStateException unset = assertThrows(IllegalStateException.class, Engines::pytorch);
            assertTrue(unset.getMessage().contains("-Dai.djl.offline=true"), unset.getMessage());
            System.setProperty(Engines.OFFLINE_PROPERTY, "false");
            IllegalStateException off = assertThrows(IllegalStateException.class, Engines::describe);
            assertTrue(off.getMessage().contains("'false'"), off.getMessage());
        } finally {
            if (saved == null) {
                System.clearProperty(Engines.OFFLINE_PROPERTY);
            } else {
                System.setProperty(Engines.OFFLINE_PROPERTY, saved);
            }
        }
    }
}
