package dev.microforge.generator.presets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.microforge.datasets.Volume;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class RandomDesignsTest {
    @Test
    void designsAreReproducibleVariedAndLabelledPoreActiveCbd() {
        Set<String> families = new HashSet<>();
        double minSolid = 1;
        double maxSolid = 0;
        for (long seed = 0; seed < 4; seed++) { // seeds 0..3 draw all three families
            RandomDesigns.Design d = RandomDesigns.draw(16, seed);
            families.add(d.family());
            Volume v = d.volume();
            assertEquals(16, v.nx());
            long[] counts = v.labelCounts();
            for (int label = 3; label < 256; label++) {
                assertEquals(0, counts[label], "label " + label);
            }
            // the packing reaches its drawn solid fraction; binder grows in the pore, not in the active material
            double active = counts[1] / (double) v.voxelCount();
            assertEquals((double) d.parameters().get("solidFraction"), active, 0.03, d.parameters().toString());
            minSolid = Math.min(minSolid, active);
            maxSolid = Math.max(maxSolid, active);
            if (d.family().equals("spheres")) {
                assertEquals(0, counts[2], "no binder in the spheres family");
            }
            if (d.parameters().containsKey("cbdFraction")) {
                assertEquals((double) d.parameters().get("cbdFraction"), counts[2] / (double) v.voxelCount(), 0.01);
            }
        }
        assertEquals(Set.of("spheres", "spheres+cbd", "shaped"), families, "no presets below 48 voxels");
        assertEquals(RandomDesigns.draw(16, 1).volume(), RandomDesigns.draw(16, 1).volume(), "same seed, same design");
        assertTrue(maxSolid - minSolid > 0.1, "solid fractions span " + minSolid + " .. " + maxSolid);
        assertThrows(IllegalArgumentException.class, () -> RandomDesigns.draw(8, 1));
    }
}
