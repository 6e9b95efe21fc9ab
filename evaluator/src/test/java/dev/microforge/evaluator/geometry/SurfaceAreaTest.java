package dev.microforge.evaluator.geometry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.microforge.datasets.Volume;
import dev.microforge.datasets.VoxelSize;
import org.junit.jupiter.api.Test;

class SurfaceAreaTest {

    private static Volume sphere(int n, double cx, double cy, double cz, double r) {
        return Volume.generate(n, n, n, (x, y, z) -> {
            double dx = x - cx;
            double dy = y - cy;
            double dz = z - cz;
            return dx * dx + dy * dy + dz * dz <= r * r ? 1 : 0;
        });
    }

    @Test
    void tableHasEveryCaseAndComplementsMatch() {
        // Given the generated table: empty and full cells have no triangles, all others some
        assertEquals(0, MarchingCubesTable.TRIANGLES[0].length);
        assertEquals(0, MarchingCubesTable.TRIANGLES[255].length);
        double[] area = MarchingCubesTable.caseAreas(1, 1, 1);
        for (int c = 1; c < 255; c++) {
            assertTrue(MarchingCubesTable.TRIANGLES[c].length % 3 == 0 && MarchingCubesTable.TRIANGLES[c].length > 0,
                    "case " + c);
            // Then a single cut-off corner is the triangle of side sqrt(2)/2: area sqrt(3)/8
            if (Integer.bitCount(c) == 1) {
                assertEquals(Math.sqrt(3) / 8, area[c], 1e-12, "case " + c);
            }
        }
        // and a cell split by a grid plane has area 1
        assertEquals(1.0, area[0x0F], 1e-12);
        assertEquals(1.0, area[0x99], 1e-12);
    }

    @Test
    void marchingCubesSurfaceIsClosedEveryEdgeUsedTwice() {
        // Given a random volume, when counting how often each cell-edge crossing is used by triangles of adjacent
        // cells, then interior crossings are shared by exactly two triangles per incident cell face pairing:
        // equivalently each case's triangle edges pair up on the cell faces (Euler check per case)
        for (int c = 1; c < 255; c++) {
            int[] t = MarchingCubesTable.TRIANGLES[c];
            java.util.Map<Long, Integer> edgeUse = new java.util.HashMap<>();
            for (int i = 0; i < t.length; i += 3) {
                for (int k = 0; k < 3; k++) {
                    int a = t[i + k];
                    int b = t[i + (k + 1) % 3];
                    long key = Math.min(a, b) * 16L + Math.max(a, b);
                    edgeUse.merge(key, 1, Integer::sum);
                }
            }
            // every triangle edge is used once (a boundary edge on a cube face) or twice (interior diagonal)
            for (int uses : edgeUse.values()) {
                assertTrue(uses == 1 || uses == 2, "case " + c);
            }
        }
    }

    @Test
    void sphereOfRadiusTenWithinTwoPercentWhileFaceCountIsOneAndAHalfTimes() {
        // Given a voxelised sphere of radius 10 (centre off the grid)
        Volume v = sphere(32, 15.3, 15.6, 15.45, 10);
        double exact = 4 * Math.PI * 100;
        // When
        SurfaceArea.Result r = SurfaceArea.of(v, 1, SurfaceArea.Options.defaults());
        // Then
        double total = 32.0 * 32 * 32;
        assertEquals(exact, r.marchingCubesArea(), 0.02 * exact, "marching cubes " + r.marchingCubesArea());
        assertEquals(1.5, r.faceCountArea() / exact, 0.05, "face count " + r.faceCountArea());
        // and the binary (midpoint) variant shows its documented staircase overestimate of about 8%
        assertEquals(1.08, r.binaryMarchingCubesArea() / exact, 0.02, "binary " + r.binaryMarchingCubesArea());
        System.out.printf("sphere r=10: smoothed MC %.4f, binary MC %.4f, faces %.4f of 4 pi r^2%n",
                r.marchingCubesArea() / exact, r.binaryMarchingCubesArea() / exact, r.faceCountArea() / exact);
        assertEquals(r.marchingCubesArea() / total, r.marchingCubesSpecificArea(), 1e-12);
        assertEquals(LengthUnit.VOXEL, r.unit());
    }

    @Test
    void planeGivesItsAreaByBothEstimators() {
        // Given a 10 x 12 x 8 volume split by the plane x = 4.5 (in voxel centres) and 0.5 um voxels
        Volume v = Volume.generate(10, 12, 8, (x, y, z) -> x < 5 ? 1 : 0).withVoxelSize(VoxelSize.isotropic(0.5));
        SurfaceArea.Result r = SurfaceArea.of(v, 1, SurfaceArea.Options.defaults());
        // Then the face count sees 12 x 8 faces of 0.25 um^2; marching cubes spans 11 x 7 cells (voxel centres)
        assertEquals(96, r.interfaceFaces());
        assertEquals(96 * 0.25, r.faceCountArea(), 1e-12);
        assertEquals(11 * 7 * 0.25, r.marchingCubesArea(), 1e-12);
        assertEquals(96 * 0.25 / (960 * 0.125), r.faceCountSpecificArea(), 1e-12);
        assertEquals(LengthUnit.MICROMETRE, r.unit());
        // and periodically both see the full 12 x 8 plane twice (x = 4.5 and the wrap at x = 9.5)
        SurfaceArea.Result p = SurfaceArea.of(v, 1, new SurfaceArea.Options(true));
        assertEquals(2 * 96 * 0.25, p.faceCountArea(), 1e-12);
        assertEquals(2 * 96 * 0.25, p.marchingCubesArea(), 1e-12);
    }

    @Test
    void phaseSetUnionAndComplementHaveTheSameSurface() {
        Volume v = Volume.generate(9, 7, 5, (x, y, z) -> (x * 7 + y * 3 + z * 5) % 3);
        SurfaceArea.Result a = SurfaceArea.of(v, 0, SurfaceArea.Options.defaults());
        SurfaceArea.Result b = SurfaceArea.of(v, new int[] {1, 2}, SurfaceArea.Options.defaults());
        assertEquals(a.faceCountArea(), b.faceCountArea(), 1e-12);
        assertEquals(a.marchingCubesArea(), b.marchingCubesArea(), 1e-9);
    }

    @Test
    void badInputs() {
        Volume v = Volume.filled(3, 3, 3, 0);
        assertThrows(IllegalArgumentException.class, () -> SurfaceArea.of(null, 0, SurfaceArea.Options.defaults()));
        assertThrows(IllegalArgumentException.class, () -> SurfaceArea.of(v, 256, SurfaceArea.Options.defaults()));
        assertThrows(IllegalArgumentException.class, () -> SurfaceArea.of(v, new int[0], SurfaceArea.Options.defaults()));
        assertThrows(IllegalArgumentException.class, () -> SurfaceArea.of(v, 0, null));
        // absent phase and uniform phase have no surface; one voxel has none either
        assertEquals(0, SurfaceArea.of(v, 7, SurfaceArea.Options.defaults()).marchingCubesSpecificArea());
        assertEquals(0, SurfaceArea.of(v, 0, new SurfaceArea.Options(true)).faceCountSpecificArea());
        SurfaceArea.Result one = SurfaceArea.of(Volume.filled(1, 1, 1, 1), 1, SurfaceArea.Options.defaults());
        assertEquals(0, one.faceCountSpecificArea());
        assertEquals(0, one.marchingCubesSpecificArea());
        assertEquals(0, one.faceCountBias());
    }
}
