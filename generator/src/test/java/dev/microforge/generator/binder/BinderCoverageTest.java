package dev.microforge.generator.binder;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.microforge.datasets.Volume;
import org.junit.jupiter.api.Test;

class BinderCoverageTest {
    @Test
    void handMadeRowCountsFacesExactly() {
        // Given a 4 x 3 x 1 image: one active voxel at (1, 1) with CBD right (2, 1) and above (1, 2), pore elsewhere
        // labels row by row (y = 0, 1, 2), x fastest
        byte[] l = {
            0, 0, 0, 0,
            0, 1, 2, 0,
            0, 2, 0, 0};
        Volume v = Volume.of(4, 3, 1, l);
        // When
        BinderCoverage.Faces f = BinderCoverage.faces(v, 0, new int[] {1}, 2);
        // Then: faces of the active voxel: left pore, down pore, right CBD, up CBD -> 2 of 4
        assertEquals(2, f.activeCbd());
        assertEquals(2, f.activePore());
        assertEquals(0.5, BinderCoverage.activeSurfaceCoverage(v, 0, 1, 2), 0.0);
    }

    @Test
    void borderFacesAndActiveActiveFacesDoNotCount() {
        // a 3 x 1 x 1 line: active, active, CBD -> one active-CBD face; the active-active face and borders ignored
        Volume v = Volume.of(3, 1, 1, new byte[] {1, 1, 2});
        assertEquals(1.0, BinderCoverage.activeSurfaceCoverage(v, 0, 1, 2), 0.0);
        // no active face to pore or CBD at all -> 0
        assertEquals(0.0, BinderCoverage.activeSurfaceCoverage(Volume.filled(2, 2, 2, 1), 0, 1, 2), 0.0);
    }

    @Test
    void coverageAlongZCounts() {
        // 1 x 1 x 3: pore, active, CBD along z
        Volume v = Volume.of(1, 1, 3, new byte[] {0, 1, 2});
        assertEquals(0.5, BinderCoverage.activeSurfaceCoverage(v, 0, 1, 2), 0.0);
    }

    @Test
    void rejectsEqualLabels() {
        Volume v = Volume.filled(2, 2, 2, 0);
        assertThrows(IllegalArgumentException.class, () -> BinderCoverage.activeSurfaceCoverage(v, 0, 0, 2));
        assertThrows(IllegalArgumentException.class, () -> BinderCoverage.activeSurfaceCoverage(v, 0, 1, 0));
        assertThrows(IllegalArgumentException.class, () -> BinderCoverage.activeSurfaceCoverage(v, 0, 1, 300));
    }
}
