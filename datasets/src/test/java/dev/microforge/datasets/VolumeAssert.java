package dev.microforge.datasets;

import static org.junit.jupiter.api.Assertions.fail;

import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/** Test assertions on volumes that report the first differing voxel rather than "arrays differ". */
public final class VolumeAssert {
    private VolumeAssert() {
    }

    /** Fails with the first differing voxel (or the dimension mismatch) when the label volumes differ. */
    public static void assertVolumeEquals(Volume expected, Volume actual) {
        expected.firstDifference(actual).ifPresent(d -> fail("volumes differ (expected vs actual): " + d));
    }

    /** Fails unless {@code actual} has these dimensions. */
    public static void assertDimensions(int nx, int ny, int nz, Volume actual) {
        if (actual.nx() != nx || actual.ny() != ny || actual.nz() != nz) {
            fail(String.format("expected %d x %d x %d but was %d x %d x %d", nx, ny, nz, actual.nx(), actual.ny(),
                    actual.nz()));
        }
    }

    /** Fails unless the volume holds exactly these label values with these counts. */
    public static void assertLabelCounts(Map<Integer, Long> expected, Volume actual) {
        SortedMap<Integer, Long> want = new TreeMap<>(expected);
        if (!want.equals(actual.labelHistogram())) {
            fail("label counts: expected " + want + " but was " + actual.labelHistogram());
        }
    }
}
