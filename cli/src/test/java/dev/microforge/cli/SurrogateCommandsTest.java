package dev.microforge.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.microforge.datasets.Volume;
import dev.microforge.datasets.io.VolumeIO;
import dev.microforge.evaluator.properties.ElectrodeProperties;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** dataset designs/label, train surrogate and predict, end to end on tiny 16³ designs, and their refusals. */
class SurrogateCommandsTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** Random three-phase volumes with a pore fraction varying from design to design. */
    private static void writeDesigns(Path dir, int count) throws IOException {
        Files.createDirectories(dir);
        SplittableRandom random = new SplittableRandom(4);
        for (int i = 0; i < count; i++) {
            double pore = 0.3 + 0.5 * random.nextDouble();
            SplittableRandom r = random.split();
            Volume v = Volume.generate(16, 16, 16, (x, y, z) -> {
                double u = r.nextDouble();
                return u < pore ? 0 : u < pore + 0.1 ? 2 : 1;
            });
            VolumeIO.write(v, dir.resolve(String.format(Locale.ROOT, "d%02d.tif", i)), VolumeIO.WriteOptions.defaults());
        }
    }

    @Test
    void labelTrainAndPredictEndToEnd(@TempDir Path temp) throws IOException {
        Path designs = temp.resolve("designs");
        writeDesigns(designs, 6);
        CliRunner.Result label = CliRunner.run("dataset", "label", "--designs", designs.toString(), "--threads", "1",
                "--json");
        assertEquals(0, label.exitCode(), label.toString());
        JsonNode l = JSON.readTree(label.out());
        assertEquals(6, l.get("count").asInt());
        assertEquals(6, l.get("computed").asInt());
        assertEquals(6, l.at("/properties/volumeFraction.pore/defined").asInt());
        CliRunner.Result again = CliRunner.run("dataset", "label", "--designs", designs.toString(), "--json");
        assertEquals(6, JSON.readTree(again.out()).get("cached").asInt(), again.toString());

        Path config = temp.resolve("config.json");
        Files.writeString(config, "{\"members\": 2, \"epochs\": 2, \"batchSize\": 2, \"embedWidth\": 16, "
                + "\"width\": 16, \"denseWidth\": 16, \"heldOutFraction\": 0.34}");
        Path model = temp.resolve("model");
        CliRunner.Result train = CliRunner.run("train", "surrogate", "--designs", designs.toString(), "--out",
                model.toString(), "--config", config.toString(), "--seed", "3", "--json");
        assertEquals(0, train.exitCode(), train.toString());
        JsonNode t = JSON.readTree(train.out());
        assertEquals(2, t.get("members").asInt());
        assertEquals(2, t.get("heldOutDesigns").asInt());
        assertEquals(4, t.get("trainDesigns").asInt());
        assertEquals(4, t.get("epochsRun").asInt(), "2 members x 2 epochs");
        assertEquals(ElectrodeProperties.NAMES.size(), t.get("heldOut").size());
        assertEquals("volumeFraction.pore", t.get("heldOut").get(0).get("name").asText());
        assertTrue(Files.isRegularFile(model.resolve("model.json")));
        assertTrue(Files.isRegularFile(model.resolve("member-1.zip")));
        assertTrue(Files.isRegularFile(model.resolve("checkpoints/member-1.zip")));

        CliRunner.Result predict = CliRunner.run("predict", "--model", model.toString(),
                designs.resolve("d00.tif").toString(), designs.resolve("d01.tif").toString(), "--json");
        assertEquals(0, predict.exitCode(), predict.toString());
        JsonNode p = JSON.readTree(predict.out());
        assertEquals(2, p.get("predictions").size());
        JsonNode first = p.get("predictions").get(0).get("properties");
        assertEquals(ElectrodeProperties.NAMES.size(), first.size());
        assertTrue(first.get("logTortuosity.pore.z").get("sd").asDouble() > 0, "two members disagree");
        CliRunner.Result human = CliRunner.run("predict", "--model", model.toString(),
                designs.resolve("d00.tif").toString());
        assertEquals(0, human.exitCode(), human.toString());
        assertTrue(human.out().contains("logTortuosity.pore.z") && human.out().contains("(tau "), human.out());

        // the refusals: an existing model without --force, a volume of another size, an unknown config option
        CliRunner.Result exists = CliRunner.run("train", "surrogate", "--designs", designs.toString(), "--out",
                model.toString(), "--config", config.toString());
        assertEquals(2, exists.exitCode(), exists.toString());
        assertTrue(exists.err().contains("--force"), exists.err());
        Path big = temp.resolve("big.tif");
        VolumeIO.write(Volume.filled(20, 20, 20, 1), big, VolumeIO.WriteOptions.defaults());
        CliRunner.Result size = CliRunner.run("predict", "--model", model.toString(), big.toString());
        assertEquals(2, size.exitCode(), size.toString());
        assertEquals(1, size.errLines().size(), size.toString());
        assertTrue(size.err().contains("16 x 16 x 16") && size.err().contains("big.tif"), size.err());
        Files.writeString(config, "{\"members\": 2, \"epoch\": 3}");
        CliRunner.Result unknown = CliRunner.run("train", "surrogate", "--designs", designs.toString(), "--out",
                temp.resolve("m2").toString(), "--config", config.toString());
        assertEquals(2, unknown.exitCode(), unknown.toString());
        assertTrue(unknown.err().contains("'epoch'"), unknown.err());
        CliRunner.Result inline = CliRunner.run("train", "surrogate", "--designs", designs.toString(), "--out",
                temp.resolve("m3").toString(), "--config", "{\"members\": 2, \"epoch\": 3}");
        assertEquals(2, inline.exitCode(), inline.toString());
        assertTrue(inline.err().contains("--config: unknown option 'epoch'"), inline.err());
    }

    @Test
    void designsCommandDrawsVariedLabelledVolumes(@TempDir Path temp) throws IOException {
        Path out = temp.resolve("d");
        CliRunner.Result r = CliRunner.run("dataset", "designs", "--count", "2", "--size", "16", "--seed", "2",
                "--out", out.toString(), "--label", "--threads", "1", "--json");
        assertEquals(0, r.exitCode(), r.toString());
        JsonNode m = JSON.readTree(r.out());
        assertEquals(2, m.get("designs").size());
        assertEquals(2, m.at("/labels/computed").asInt());
        assertTrue(Files.isRegularFile(out.resolve("design-0001.tif")));
        assertTrue(Files.isRegularFile(out.resolve("labels/design-0001.tif.json")));
        assertTrue(Files.isRegularFile(out.resolve("designs.json")));
        CliRunner.Result again = CliRunner.run("dataset", "designs", "--count", "2", "--size", "16", "--out",
                out.toString());
        assertEquals(2, again.exitCode(), "existing designs need --force: " + again);
    }

    @Test
    void badFoldersAndModelsExitTwoWithOneLine(@TempDir Path temp) throws IOException {
        Path empty = Files.createDirectory(temp.resolve("empty"));
        CliRunner.Result none = CliRunner.run("dataset", "label", "--designs", empty.toString());
        assertEquals(2, none.exitCode(), none.toString());
        assertTrue(none.err().contains("no design files"), none.err());
        CliRunner.Result missing = CliRunner.run("predict", "--model", temp.resolve("nope").toString(),
                temp.resolve("v.tif").toString());
        assertEquals(2, missing.exitCode(), missing.toString());
        assertEquals(1, missing.errLines().size(), missing.toString());
        Path bad = Files.createDirectory(temp.resolve("bad"));
        VolumeIO.write(Volume.filled(16, 16, 16, 5), bad.resolve("five.tif"), VolumeIO.WriteOptions.defaults());
        CliRunner.Result labels = CliRunner.run("train", "surrogate", "--designs", bad.toString(), "--out",
                temp.resolve("m").toString());
        assertEquals(2, labels.exitCode(), labels.toString());
        assertTrue(labels.err().contains("five.tif") && labels.err().contains("labelled 5"), labels.err());
        CliRunner.Result kind = CliRunner.run("train");
        assertEquals(2, kind.exitCode(), kind.toString());
        assertTrue(kind.err().contains("surrogate"), kind.err());
    }
}
