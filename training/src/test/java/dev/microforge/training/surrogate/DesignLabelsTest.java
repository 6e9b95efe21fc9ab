package dev.microforge.training.surrogate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.microforge.datasets.Volume;
import dev.microforge.datasets.io.VolumeIO;
import dev.microforge.evaluator.properties.ElectrodeProperties;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The on-disk label cache: one record per design, reused while the design is unchanged. */
class DesignLabelsTest {
    private static final DesignLabels.Options OPTIONS = DesignLabels.Options.defaults().withThreads(1);

    /** Pore slab for x < k, active elsewhere: pore fraction k/8, tortuosity 1 along y and z, none along x. */
    private static Volume slab(int k) {
        return Volume.generate(8, 8, 8, (x, y, z) -> x < k ? 0 : 1);
    }

    @Test
    void labelsOnceThenReusesTheRecordsUntilADesignChanges(@TempDir Path dir) throws IOException {
        VolumeIO.write(slab(2), dir.resolve("a.tif"), VolumeIO.WriteOptions.defaults());
        VolumeIO.write(slab(4), dir.resolve("b.npy"), VolumeIO.WriteOptions.defaults());
        Files.writeString(dir.resolve("notes.txt"), "not a design");
        assertEquals(List.of(dir.resolve("a.tif"), dir.resolve("b.npy")).stream().sorted().toList(),
                DesignLabels.designFiles(dir));

        DesignLabels.Result first = DesignLabels.label(dir, OPTIONS, DesignLabels.Listener.NONE, null);
        assertEquals(2, first.computed());
        assertEquals(0, first.cached());
        DesignLabels.Record a = first.designs().get(0).record();
        assertEquals("a.tif", a.design());
        assertEquals(2 / 8.0, a.properties().get("volumeFraction.pore"), 1e-15);
        assertEquals(0.0, a.properties().get("logTortuosity.pore.z"), 1e-4);
        assertNull(a.properties().get("logTortuosity.pore.x"), "no pore path along x: stored as null");
        assertTrue(Double.isNaN(a.values(ElectrodeProperties.NAMES)[ElectrodeProperties.NAMES
                .indexOf("logTortuosity.pore.x")]));
        assertTrue(Files.isRegularFile(dir.resolve("labels/a.tif.json")));

        List<Integer> progress = new java.util.ArrayList<>();
        DesignLabels.Result second = DesignLabels.label(dir, OPTIONS, (done, total, d) -> progress.add(done), null);
        assertEquals(0, second.computed());
        assertEquals(2, second.cached());
        assertEquals(List.of(1, 2), progress);
        assertEquals(a.properties(), second.designs().get(0).record().properties());

        // a rewritten design is labelled again
        VolumeIO.write(slab(6), dir.resolve("a.tif"), VolumeIO.WriteOptions.defaults().withOverwrite(true));
        Files.setLastModifiedTime(dir.resolve("a.tif"), FileTime.fromMillis(a.modifiedMillis() + 5000));
        DesignLabels.Result third = DesignLabels.label(dir, OPTIONS, DesignLabels.Listener.NONE, null);
        assertEquals(1, third.computed());
        assertEquals(6 / 8.0, third.designs().get(0).record().properties().get("volumeFraction.pore"), 1e-15);

        List<SurrogateTrainer.Example> examples = DesignLabels.examples(third.designs());
        assertEquals("a.tif", examples.get(0).id());
        assertEquals(slab(6), examples.get(0).volume());
        assertEquals(ElectrodeProperties.NAMES.size(), examples.get(0).targets().length);
    }

    @Test
    void stopEndsTheRunWithWhatIsDone(@TempDir Path dir) throws IOException {
        VolumeIO.write(slab(2), dir.resolve("a.tif"), VolumeIO.WriteOptions.defaults());
        VolumeIO.write(slab(3), dir.resolve("b.tif"), VolumeIO.WriteOptions.defaults());
        int[] polls = {0};
        DesignLabels.Result r = DesignLabels.label(dir, OPTIONS, DesignLabels.Listener.NONE, () -> polls[0]++ > 0);
        assertTrue(r.interrupted());
        assertEquals(1, r.designs().size());
    }

    @Test
    void badDesignsAndFoldersAreNamed(@TempDir Path dir) throws IOException {
        assertThrows(NoSuchFileException.class, () -> DesignLabels.label(dir.resolve("missing"), OPTIONS,
                DesignLabels.Listener.NONE, null));
        VolumeIO.write(Volume.generate(6, 6, 6, (x, y, z) -> x % 4), dir.resolve("four.tif"),
                VolumeIO.WriteOptions.defaults());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> DesignLabels.label(dir, OPTIONS, DesignLabels.Listener.NONE, null));
        assertTrue(e.getMessage().contains("four.tif") && e.getMessage().contains("labelled 3"), e.getMessage());
        Files.writeString(dir.resolve("four.tif"), "garbage");
        assertThrows(IOException.class, () -> DesignLabels.label(dir, OPTIONS, DesignLabels.Listener.NONE, null));
    }
}
