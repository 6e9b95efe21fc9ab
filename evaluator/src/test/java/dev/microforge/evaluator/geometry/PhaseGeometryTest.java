package dev.microforge.evaluator.geometry;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.microforge.datasets.Volume;
import dev.microforge.datasets.VoxelSize;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Volume fractions, interfacial areas and triple-phase boundaries. */
class PhaseGeometryTest {

    private static Volume random(int nx, int ny, int nz, int phases, long seed) {
        Random r = new Random(seed);
        return Volume.generate(nx, ny, nz, (x, y, z) -> r.nextInt(phases) * 10);
    }

    @Test
    void fractionsSumToOneAndAbsentPhaseIsZero() {
        Volume v = random(11, 13, 5, 3, 1);
        VolumeFractions.Result f = VolumeFractions.of(v);
        assertArrayEquals(new int[] {0, 10, 20}, f.labels());
        assertEquals(1.0, f.fractions()[0] + f.fractions()[1] + f.fractions()[2], 1e-12);
        assertEquals(715, f.counts()[0] + f.counts()[1] + f.counts()[2]);
        assertEquals(0.0, f.fraction(7));
        assertEquals(0.0, VolumeFractions.of(v, 7));
        assertEquals(f.fraction(10), VolumeFractions.of(v, 10), 0);
        assertEquals(1.0, VolumeFractions.of(Volume.filled(1, 1, 1, 3)).fraction(3));
        assertThrows(IllegalArgumentException.class, () -> VolumeFractions.of(null));
        assertThrows(IllegalArgumentException.class, () -> VolumeFractions.of(v, -1));
    }

    @Test
    void interfacesOfThreePhasesAddUpToEachPhaseSurface() {
        // Given three phases from thresholding a smooth field: each phase's surface is the sum of its two interfaces,
        // exactly for face counts, and for marching cubes up to the cells where a phase and its complement
        // triangulate differently (ambiguous faces), which are rare on smooth structures
        Volume v = Volume.generate(30, 28, 26, (x, y, z) -> {
            double f = Math.sin(x / 3.0) + Math.cos(y / 4.0) + Math.sin(z / 5.0 + 1);
            return f < -0.5 ? 0 : f < 0.7 ? 10 : 20;
        });
        SurfaceArea.Options o = SurfaceArea.Options.defaults();
        List<InterfacialArea.Result> pairs = InterfacialArea.allPairs(v, o);
        assertEquals(3, pairs.size());
        Volume noise = random(12, 11, 10, 3, 2);
        for (InterfacialArea.Result r : InterfacialArea.allPairs(noise, o)) {
            assertEquals(r.interfaceFaces(), InterfacialArea.between(noise, r.b(), r.a()).interfaceFaces());
        }
        double[] faceSum = new double[3];
        double[] mcSum = new double[3];
        for (InterfacialArea.Result r : pairs) {
            faceSum[r.a() / 10] += r.faceCountSpecificArea();
            faceSum[r.b() / 10] += r.faceCountSpecificArea();
            mcSum[r.a() / 10] += r.marchingCubesSpecificArea();
            mcSum[r.b() / 10] += r.marchingCubesSpecificArea();
        }
        for (int p = 0; p < 3; p++) {
            SurfaceArea.Result s = SurfaceArea.of(v, p * 10, o);
            assertEquals(s.faceCountSpecificArea(), faceSum[p], 1e-12);
            assertEquals(s.marchingCubesSpecificArea(), mcSum[p], 0.01 * s.marchingCubesSpecificArea());
        }
    }

    @Test
    void twoPhaseInterfaceIsEitherPhaseSurface() {
        Volume v = Volume.generate(12, 10, 8, (x, y, z) -> x < 6 ? 1 : 2).withVoxelSize(VoxelSize.isotropic(2));
        InterfacialArea.Result r = InterfacialArea.between(v, 1, 2);
        // 10 x 8 faces of 4 um^2 over 960 x 8 um^3
        assertEquals(80, r.interfaceFaces());
        assertEquals(320.0 / 7680, r.faceCountSpecificArea(), 1e-12);
        assertEquals(SurfaceArea.of(v, 1, SurfaceArea.Options.defaults()).marchingCubesSpecificArea(),
                r.marchingCubesSpecificArea(), 1e-12);
        assertThrows(IllegalArgumentException.class, () -> InterfacialArea.between(v, 1, 1));
        assertEquals(0, InterfacialArea.between(v, 1, 5).interfaceFaces());
    }

    @Test
    void threeBlocksMeetAlongOneLine() {
        // Given a 10^3 volume: a for x<5,y<5; b for x<5,y>=5; c for x>=5. The three meet on the line
        // x = y = 5 (voxel-corner coordinates) running the full height: 10 edges of dz = 0.5 um
        Volume v = Volume.generate(10, 10, 10, (x, y, z) -> x >= 5 ? 3 : y < 5 ? 1 : 2)
                .withVoxelSize(new VoxelSize(0.2, 0.3, 0.5));
        TriplePhaseBoundary.Result r = TriplePhaseBoundary.lengthDensity(v, 1, 2, 3);
        assertEquals(10, r.edgesZ());
        assertEquals(0, r.edgesX() + r.edgesY());
        assertEquals(5.0, r.length(), 1e-12);
        assertEquals(5.0 / (1000 * 0.2 * 0.3 * 0.5), r.lengthDensity(), 1e-12);
        assertEquals(LengthUnit.MICROMETRE, r.unit());
        // periodically the wrap adds the lines x = 0 / y = 5 and x = 5 / y = 0 (where c meets a and b again)
        TriplePhaseBoundary.Result p = TriplePhaseBoundary.lengthDensity(v, 3, 1, 2,
                new TriplePhaseBoundary.Options(true));
        assertEquals(40, p.edgesZ());
    }

    @ParameterizedTest
    @CsvSource({"X", "Y", "Z"})
    void lineAlongEachAxis(String axis) {
        Volume base = Volume.generate(6, 7, 8, (x, y, z) -> x >= 3 ? 3 : y < 3 ? 1 : 2);
        Volume v = switch (axis) {
            case "X" -> base.permute(dev.microforge.datasets.Axis.Z, dev.microforge.datasets.Axis.X,
                    dev.microforge.datasets.Axis.Y);
            case "Y" -> base.permute(dev.microforge.datasets.Axis.X, dev.microforge.datasets.Axis.Z,
                    dev.microforge.datasets.Axis.Y);
            default -> base;
        };
        TriplePhaseBoundary.Result r = TriplePhaseBoundary.lengthDensity(v, 1, 2, 3);
        assertEquals(8, r.length(), 1e-12);
        assertEquals(8, axis.equals("X") ? r.edgesX() : axis.equals("Y") ? r.edgesY() : r.edgesZ());
        assertEquals(8.0 / 336, r.lengthDensity(), 1e-12);
    }

    @Test
    void tpbBadInputs() {
        Volume v = Volume.filled(1, 1, 1, 1);
        assertEquals(0, TriplePhaseBoundary.lengthDensity(v, 1, 2, 3).length());
        assertThrows(IllegalArgumentException.class, () -> TriplePhaseBoundary.lengthDensity(v, 1, 1, 3));
        assertThrows(IllegalArgumentException.class, () -> TriplePhaseBoundary.lengthDensity(null, 1, 2, 3));
        assertThrows(IllegalArgumentException.class, () -> TriplePhaseBoundary.lengthDensity(v, 1, 2, 300));
        assertThrows(IllegalArgumentException.class, () -> TriplePhaseBoundary.lengthDensity(v, 1, 2, 3, null));
    }
}
