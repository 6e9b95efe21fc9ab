package dev.microforge.optimizer.campaign;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A campaign killed with SIGKILL at unplanned moments and resumed: no finished evaluation is lost or repeated, and
 * every journal line written before a kill stays as it was.
 */
class CampaignKillTest {
    @TempDir
    Path tmp;

    private Process child(Path config, Path dir, boolean resume) throws IOException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> cmd = new ArrayList<>(List.of(java, "-Xmx512m", "-cp", System.getProperty("java.class.path"),
                CampaignChild.class.getName(), config.toString(), dir.toString()));
        if (resume) {
            cmd.add("resume");
        }
        return new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(tmp.resolve("child.log").toFile())
                .start();
    }

    private static int lines(Path journal) throws IOException {
        if (!Files.exists(journal)) {
            return 0;
        }
        byte[] b = Files.readAllBytes(journal);
        int n = 0;
        for (byte x : b) {
            n += x == '\n' ? 1 : 0;
        }
        return n;
    }

    /** Waits until the journal has at least {@code n} lines, then a little more, and kills the child. */
    private static void killAfter(Process p, Path journal, int n, long extraMillis) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (lines(journal) < n && p.isAlive() && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
        Thread.sleep(extraMillis);
        assertTrue(p.isAlive(), "the child finished before it could be killed (journal " + lines(journal) + ")");
        p.destroyForcibly(); // SIGKILL on Linux: no shutdown hook, no flush
        p.waitFor(30, TimeUnit.SECONDS);
        assertEquals(137, p.exitValue(), "killed by SIGKILL");
    }

    @Test
    void killedWithSigkillAndResumedLosesAndRepeatsNothing() throws Exception {
        Path config = tmp.resolve("campaign.json");
        String json = CampaignConfigTest.resource("known-optimum.json").replace("\"budget\": 14", "\"budget\": 10")
                .replace("\"batchSize\": 1", "\"batchSize\": 2");
        Files.writeString(config, json);
        Path dir = tmp.resolve("run");
        Path journal = dir.resolve(Journal.FILE);
        List<byte[]> before = new ArrayList<>();
        // two kills: in the initial design, and in the BO batches after an odd delay
        int[] after = {2, 7};
        long[] extra = {0, 61};
        for (int k = 0; k < after.length; k++) {
            Process p = child(config, dir, k > 0);
            killAfter(p, journal, after[k], extra[k]);
            before.add(Files.readAllBytes(journal));
        }
        Process last = child(config, dir, true);
        assertTrue(last.waitFor(180, TimeUnit.SECONDS), "resumed campaign did not finish");
        assertEquals(0, last.exitValue(), Files.readString(tmp.resolve("child.log")));

        byte[] finalBytes = Files.readAllBytes(journal);
        List<JournalEntry> entries = Journal.read(journal).entries();
        assertEquals(10, entries.size());
        for (int i = 0; i < entries.size(); i++) {
            assertEquals(i, entries.get(i).evaluation());
        }
        assertEquals(10, lines(journal));
        for (byte[] b : before) {
            // everything complete at a kill is still there, byte for byte (a torn tail may have been cut)
            int complete = b.length;
            while (complete > 0 && b[complete - 1] != '\n') {
                complete--;
            }
            assertArrayEquals(Arrays.copyOf(b, complete), Arrays.copyOf(finalBytes, complete));
        }
        try (Stream<Path> designs = Files.list(dir.resolve(Campaign.DESIGNS))) {
            // every design, and no temporary file of a write a kill cut short
            assertEquals(10, designs.filter(f -> !f.getFileName().toString().startsWith(".")).count());
        }
        try (Stream<Path> designs = Files.list(dir.resolve(Campaign.DESIGNS))) {
            assertEquals(10, designs.count(), "stale .part files removed on resume");
        }
        assertTrue(!Files.exists(dir.resolve(Campaign.PENDING_FILE)), "pending batch removed at the end");
        assertTrue(new String(finalBytes, StandardCharsets.UTF_8).lines().allMatch(l -> l.startsWith("{")));
        assertTrue(new File(dir.toFile(), Campaign.CONFIG_FILE).isFile());
    }
}
