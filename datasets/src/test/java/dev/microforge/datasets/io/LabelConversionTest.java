package dev.microforge.datasets.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.microforge.datasets.Volume;
import dev.microforge.datasets.VoxelSize;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class LabelConversionTest {
    private static Samples u16(short... values) {
        return Samples.wrap(values.length, 1, 1, SampleType.UINT16, values, VoxelSize.UNKNOWN);
    }

    @Test
    void directKeepsSmallIntegerValues() throws Exception {
        Volume v = LabelConversion.direct().apply(u16((short) 0, (short) 2, (short) 255), "t");
        assertArrayEquals(new byte[] {0, 2, (byte) 255}, v.toArray());
    }

    @Test
    void directRefusesValuesThatAreNotLabelsAndSaysWhatToDo() {
        VolumeFormatException e = assertThrows(VolumeFormatException.class,
                () -> LabelConversion.direct().apply(u16((short) 0, (short) 4095), "ct.tif"));
        assertTrue(e.getMessage().contains("ct.tif") && e.getMessage().contains("0..4095")
                && e.getMessage().contains("--map") && e.getMessage().contains("(1, 0, 0)"), e.getMessage());
    }

    @Test
    void signedNegativeValuesAreNotLabels() {
        Samples s = Samples.wrap(2, 1, 1, SampleType.INT8, new byte[] {1, -1}, VoxelSize.UNKNOWN);
        assertThrows(VolumeFormatException.class, () -> LabelConversion.direct().apply(s, "t"));
    }

    @Test
    void explicitMapRelabelsAndNamesAMissingValue() throws Exception {
        Samples grey = Samples.wrap(4, 1, 1, SampleType.UINT8, new byte[] {0, (byte) 128, (byte) 255, 0},
                VoxelSize.UNKNOWN);
        Volume v = LabelConversion.parseMap("0:0,128:1,255:2").apply(grey, "g");
        assertArrayEquals(new byte[] {0, 1, 2, 0}, v.toArray());
        Samples other = Samples.wrap(2, 1, 1, SampleType.UINT8, new byte[] {0, 7}, VoxelSize.UNKNOWN);
        VolumeFormatException e = assertThrows(VolumeFormatException.class,
                () -> LabelConversion.parseMap("0:0,128:1").apply(other, "g.tif"));
        assertTrue(e.getMessage().contains("value 7 at voxel (1, 0, 0)"), e.getMessage());
    }

    @Test
    void explicitMapWorksOnFloats() throws Exception {
        Samples f = Samples.wrap(3, 1, 1, SampleType.FLOAT32, new float[] {0.5f, 1.5f, 0.5f}, VoxelSize.UNKNOWN);
        Volume v = LabelConversion.parseMap("0.5:3,1.5:4").apply(f, "f");
        assertArrayEquals(new byte[] {3, 4, 3}, v.toArray());
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "0", "0:", "a:1", "0:256", "0:-1", "0:1:2"})
    void badMapsAreRefused(String text) {
        assertThrows(IllegalArgumentException.class, () -> LabelConversion.parseMap(text));
    }

    @Test
    void otsuClassCountIsChecked() {
        assertThrows(IllegalArgumentException.class, () -> LabelConversion.otsu(1));
        assertThrows(IllegalArgumentException.class, () -> LabelConversion.otsu(5));
    }

    @Test
    void otsuOnTwoEqualSpikesSplitsBetweenThem() {
        // Two spikes at bins 10 and 200: any threshold in 10..199 gives the maximal between-class variance;
        // the exhaustive search returns the first, 10.
        long[] hist = new long[256];
        hist[10] = 500;
        hist[200] = 500;
        assertArrayEquals(new int[] {10}, LabelConversion.otsuThresholds(hist, 2));
    }

    @Test
    void otsuMatchesBruteForceVarianceOnAnUnevenHistogram() {
        // Independent check: between-class variance computed directly, class by class, for every threshold
        Random r = new Random(3);
        long[] hist = new long[64];
        for (int i = 0; i < hist.length; i++) {
            hist[i] = r.nextInt(100) + (i > 20 && i < 30 ? 400 : 0);
        }
        int best = -1;
        double bestVar = -1;
        double total = 0;
        double mean = 0;
        for (int i = 0; i < hist.length; i++) {
            total += hist[i];
            mean += hist[i] * (double) i;
        }
        mean /= total;
        for (int t = 0; t < hist.length - 1; t++) {
            double w0 = 0;
            double m0 = 0;
            for (int i = 0; i <= t; i++) {
                w0 += hist[i];
                m0 += hist[i] * (double) i;
            }
            double w1 = total - w0;
            double m1 = mean * total - m0;
            double var = w0 / total * Math.pow(m0 / w0 - mean, 2) + w1 / total * Math.pow(m1 / w1 - mean, 2);
            if (var > bestVar + 1e-12) {
                bestVar = var;
                best = t;
            }
        }
        assertEquals(best, LabelConversion.otsuThresholds(hist, 2)[0]);
    }

    @Test
    void threeLevelOtsuSeparatesThreeGreyPhases() throws Exception {
        // Given a noisy three-phase greyscale image (means 40, 120, 210, sd 8) of known phases
        Random r = new Random(11);
        int n = 30000;
        short[] grey = new short[n];
        int[] truth = new int[n];
        int[] means = {40, 120, 210};
        for (int i = 0; i < n; i++) {
            truth[i] = r.nextInt(3);
            grey[i] = (short) Math.max(0, Math.min(255, Math.round(means[truth[i]] + 8 * r.nextGaussian())));
        }
        Volume v = LabelConversion.otsu(3).apply(Samples.wrap(n, 1, 1, SampleType.UINT16, grey, null), "g");
        int wrong = 0;
        for (int i = 0; i < n; i++) {
            wrong += v.get(i) != truth[i] ? 1 : 0;
        }
        // Then almost every voxel gets its phase (the classes overlap beyond 5 sd only)
        assertTrue(wrong < n / 1000, "misclassified " + wrong);
    }
}
