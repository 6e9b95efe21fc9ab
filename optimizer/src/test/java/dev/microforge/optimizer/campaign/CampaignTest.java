package dev.microforge.optimizer.campaign;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.microforge.optimizer.bo.MultiObjective;
import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CampaignTest {
    @TempDir
    Path tmp;

    private static CampaignConfig known() throws IOException {
        return CampaignConfig.parse(CampaignConfigTest.resource("known-optimum.json"), "known-optimum.json");
    }

    @Test
    void parametricCampaignFindsTheKnownConstrainedOptimumAndResumesIdentically() throws IOException {
        // maximise porosity subject to active fraction >= 0.5: the optimum is solidFraction = 0.5, porosity 0.5,
        // whatever the radius (the packing hits its target fraction within 1e-4)
        List<JournalEntry> seen = new ArrayList<>();
        Campaign.State s = Campaign.run(known(), tmp.resolve("c"), new Campaign.Listener() {
            @Override
            public void evaluated(JournalEntry entry, Campaign.Progress progress) {
                seen.add(entry);
                assertEquals(seen.size(), progress.done());
            }
        });
        assertTrue(s.complete());
        assertEquals(14, s.entries().size());
        assertEquals(14, seen.size());
        JournalEntry best = s.best();
        assertNotNull(best);
        assertEquals(0.5, best.values()[0], 0.01, "best porosity");
        assertEquals(0.5, best.parameters().get("solidFraction"), 0.01);
        assertTrue(best.values()[1] >= 0.5);
        assertEquals("initial", s.entries().get(0).stage());
        assertEquals("bo", s.entries().get(13).stage());
        assertTrue(Files.isRegularFile(tmp.resolve("c").resolve(best.design())));
        // the journal on disk is the state
        Campaign.State loaded = Campaign.load(tmp.resolve("c"));
        assertEquals(14, loaded.entries().size());
        assertEquals(best.evaluation(), loaded.best().evaluation());

        // stopped after 4 (in the initial design) and resumed for 4 more: the same first 8 designs as the run in
        // one go, the proposals after the initial design included
        Campaign.State part = Campaign.run(known(), tmp.resolve("parts"), Campaign.Options.defaults()
                .withStopAfter(4), null);
        assertEquals(4, part.entries().size());
        assertTrue(!part.complete());
        Campaign.State rest = Campaign.run(null, tmp.resolve("parts"), Campaign.Options.defaults().withResume(true)
                .withStopAfter(4), null);
        assertEquals(8, rest.entries().size());
        for (int i = 0; i < 8; i++) {
            assertEquals(s.entries().get(i).parameters(), rest.entries().get(i).parameters(), "evaluation " + i);
        }
    }

    @Test
    void campaignWhoseEveryDesignFailsToPercolateKeepsExploring() throws IOException {
        // isolated spheres at 8-12 % solid never connect inlet and outlet: every tortuosity is infinite, the GP
        // has nothing to model and the campaign must go on proposing (it once failed on the missing warm start)
        CampaignConfig c = CampaignConfig.parse("""
                {"designSpace": {"type": "parametric", "generator": "packing",
                                 "parameters": {"solidFraction": [0.08, 0.12]},
                                 "fixed": {"size": 16, "seed": 3, "meanRadius": 2, "relaxationSweeps": 50}},
                 "objectives": [{"property": "tortuosity", "phase": "active", "axis": "z", "goal": "minimize"}],
                 "acquisition": "ei", "budget": 4, "initialDesign": 2, "batchSize": 1, "seed": 5}
                """, "inline");
        Campaign.State s = Campaign.run(c, tmp.resolve("never"), null);
        assertTrue(s.complete());
        assertEquals(4, s.entries().size());
        assertEquals("bo", s.entries().get(3).stage());
        for (JournalEntry e : s.entries()) {
            assertEquals(Double.POSITIVE_INFINITY, e.values()[0], "evaluation " + e.evaluation());
        }
    }

    @Test
    void freshCampaignRefusesAUsedFolderAndResumeNeedsOne() throws IOException {
        Path dir = tmp.resolve("used");
        Files.createDirectories(dir);
        Files.writeString(dir.resolve("x.txt"), "x");
        assertThrows(FileAlreadyExistsException.class, () -> Campaign.run(known(), dir, null));
        assertThrows(NoSuchFileException.class, () -> Campaign.run(known(), tmp.resolve("none"),
                Campaign.Options.defaults().withResume(true), null));
        Campaign.run(known(), tmp.resolve("ok"), Campaign.Options.defaults().withStopAfter(1), null);
        CampaignConfig other = CampaignConfig.parse(known().toJson().replace("\"budget\" : 14", "\"budget\" : 15"),
                "other");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Campaign.run(other,
                tmp.resolve("ok"), Campaign.Options.defaults().withResume(true), null));
        assertTrue(e.getMessage().contains("differs"), e.getMessage());
    }

    @Test
    void unknownPhasesAndKnobsAreRefusedBeforeAnyEvaluation() {
        String json = "{\"designSpace\": {\"type\": \"parametric\", \"generator\": \"packing\", \"parameters\": "
                + "{\"solidFraction\": [0.3, 0.6]}, \"fixed\": {\"size\": 24}}, \"objectives\": [{\"property\": "
                + "\"volumeFraction\", \"phase\": \"binder\", \"goal\": \"maximize\"}], \"budget\": 3}";
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Campaign.run(CampaignConfig.parse(json, "c"), tmp.resolve("p"), null));
        assertTrue(e.getMessage().contains("unknown phase 'binder'"), e.getMessage());
        String knob = json.replace("\"size\": 24", "\"size\": 24, \"colour\": 3").replace("binder", "pore");
        e = assertThrows(IllegalArgumentException.class,
                () -> Campaign.run(CampaignConfig.parse(knob, "c"), tmp.resolve("q"), null));
        assertTrue(e.getMessage().contains("unknown packing knob 'colour'"), e.getMessage());
        assertTrue(!Files.exists(tmp.resolve("p").resolve(Journal.FILE)));
    }

    @Test
    void screeningCampaignJournalsSurrogatePredictionsBesidePhysics() throws IOException {
        String json = "{\"designSpace\": {\"type\": \"parametric\", \"generator\": \"packing\", \"parameters\": "
                + "{\"solidFraction\": [0.35, 0.6], \"meanRadius\": [2, 4]}, \"fixed\": {\"size\": 24, "
                + "\"relaxationSweeps\": 200}}, \"objectives\": [{\"property\": \"tortuosity\", \"phase\": \"pore\", "
                + "\"axis\": \"z\", \"goal\": \"minimize\"}], \"constraints\": [{\"property\": \"volumeFraction\", "
                + "\"phase\": \"active\", \"min\": 0.45}], \"budget\": 8, \"initialDesign\": 4, \"screening\": "
                + "{\"surrogate\": \"bruggeman\", \"candidates\": 3}, \"seed\": 4}";
        Campaign.State s = Campaign.run(CampaignConfig.parse(json, "screen"), tmp.resolve("s"), null);
        assertEquals(8, s.entries().size());
        for (JournalEntry e : s.entries()) {
            assertNotNull(e.surrogateMean(), "every physics evaluation has a surrogate prediction");
            // the volume fraction is measured exactly by the surrogate
            assertEquals(e.values()[1], e.surrogateMean()[1], 1e-12);
            assertEquals(e.batch() == 0 ? 0 : 3, e.screened());
        }
        // after refitting on the verified designs, predicted tortuosity is within 25 % of the physics
        JournalEntry last = s.entries().get(7);
        assertEquals(last.values()[0], last.surrogateMean()[0], 0.25 * last.values()[0]);
    }

    @Test
    void twoObjectivesGiveANonDominatedFront() throws IOException {
        String json = "{\"designSpace\": {\"type\": \"parametric\", \"generator\": \"packing\", \"parameters\": "
                + "{\"solidFraction\": [0.3, 0.6], \"meanRadius\": [2, 4]}, \"fixed\": {\"size\": 24, "
                + "\"relaxationSweeps\": 200}}, \"objectives\": [{\"property\": \"volumeFraction\", \"phase\": "
                + "\"pore\", \"goal\": \"maximize\"}, {\"property\": \"surfaceArea\", \"phase\": \"active\", "
                + "\"goal\": \"maximize\"}], \"budget\": 7, \"initialDesign\": 4, \"seed\": 5}";
        CampaignConfig c = CampaignConfig.parse(json, "mo");
        Campaign.State s = Campaign.run(c, tmp.resolve("mo"), null);
        List<JournalEntry> front = s.paretoFront();
        assertTrue(front.size() >= 2, "front of " + front.size());
        for (JournalEntry a : front) {
            for (JournalEntry b : s.entries()) {
                assertTrue(!MultiObjective.dominates(Campaign.maximised(c, b), Campaign.maximised(c, a)),
                        b.evaluation() + " dominates front member " + a.evaluation());
            }
        }
    }
}
