package dev.microforge.cli;

import dev.microforge.datasets.Volume;
import dev.microforge.datasets.io.LabelConversion;
import dev.microforge.datasets.io.SampleType;
import dev.microforge.datasets.io.Samples;
import dev.microforge.datasets.io.VolumeFormatException;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SortedMap;

/**
 * What {@code info} says about the values of a file: either they are phase labels (integers 0..255) with their
 * voxel counts, or they are other values (greyscale, floats) described by their distinct values when there are at
 * most {@link #MAX_DISTINCT} of them, and always by their range.
 *
 * @param labelled whether every value is an integer 0..255, i.e. the file reads as labels without conversion
 * @param counts value (as printed) to voxel count, in increasing value order; null when there are more than
 *     {@link #MAX_DISTINCT} distinct values
 * @param min smallest value (NaN ignored)
 * @param max largest value (NaN ignored)
 */
record SampleHistogram(boolean labelled, Map<String, Long> counts, double min, double max) {
    /** Most distinct values listed one by one. */
    static final int MAX_DISTINCT = 256;

    /**
     * Counts the values of {@code samples}. Eight-bit files go through {@link LabelConversion#direct()} (which
     * adopts their array without a copy); wider types are counted in place, so a large 16-bit or float volume needs
     * no second copy in memory.
     *
     * @param source file name for messages
     */
    static SampleHistogram of(Samples samples, String source) throws VolumeFormatException {
        if (samples.type() == SampleType.UINT8 || samples.type() == SampleType.BOOL) {
            Volume volume = LabelConversion.direct().apply(samples, source);
            SortedMap<Integer, Long> histogram = volume.labelHistogram();
            Map<String, Long> counts = new LinkedHashMap<>();
            histogram.forEach((value, count) -> counts.put(String.valueOf(value), count));
            return new SampleHistogram(true, counts, histogram.firstKey(), histogram.lastKey());
        }
        if (samples.type().integral() && samples.type().bytes() <= 2) {
            return ofSmallIntegers(samples);
        }
        return ofAnyValues(samples);
    }

    /** int8, uint16, int16: one table of 65536 counts, one increment per voxel. */
    private static SampleHistogram ofSmallIntegers(Samples s) {
        long[] table = new long[65536];
        int n = (int) s.count();
        int offset = s.type().signed() ? 32768 : 0;
        for (int i = 0; i < n; i++) {
            table[(int) s.value(i) + offset]++;
        }
        Map<String, Long> counts = new LinkedHashMap<>();
        double min = Double.NaN;
        double max = Double.NaN;
        boolean labelled = true;
        for (int k = 0; k < table.length; k++) {
            if (table[k] > 0) {
                int value = k - offset;
                min = Double.isNaN(min) ? value : min;
                max = value;
                labelled &= value >= 0 && value <= 255;
                if (counts.size() <= MAX_DISTINCT) {
                    counts.put(String.valueOf(value), table[k]);
                }
            }
        }
        return new SampleHistogram(labelled, counts.size() > MAX_DISTINCT ? null : counts, min, max);
    }

    /**
     * int32, float32: distinct values kept in a sorted array of at most {@link #MAX_DISTINCT} + 1 entries (binary
     * search per voxel, an insertion only for a new value); counting stops once there are more, the range does not.
     */
    private static SampleHistogram ofAnyValues(Samples s) {
        double[] keys = new double[MAX_DISTINCT + 1];
        long[] counts = new long[MAX_DISTINCT + 1];
        int distinct = 0;
        boolean overflow = false;
        boolean labelled = true;
        double min = Double.POSITIVE_INFINITY;
        double max = Double.NEGATIVE_INFINITY;
        int n = (int) s.count();
        for (int i = 0; i < n; i++) {
            double v = s.value(i);
            if (!Double.isNaN(v)) {
                min = Math.min(min, v);
                max = Math.max(max, v);
            }
            labelled &= v >= 0 && v <= 255 && v == Math.rint(v);
            if (!overflow) {
                int k = Arrays.binarySearch(keys, 0, distinct, v);
                if (k >= 0) {
                    counts[k]++;
                } else if (distinct == keys.length) {
                    overflow = true;
                } else {
                    int at = -k - 1;
                    System.arraycopy(keys, at, keys, at + 1, distinct - at);
                    System.arraycopy(counts, at, counts, at + 1, distinct - at);
                    keys[at] = v;
                    counts[at] = 1;
                    distinct++;
                }
            }
        }
        Map<String, Long> map = null;
        if (!overflow && distinct <= MAX_DISTINCT) {
            map = new LinkedHashMap<>();
            for (int k = 0; k < distinct; k++) {
                map.put(format(keys[k]), counts[k]);
            }
        }
        if (min > max) {
            min = Double.NaN;
            max = Double.NaN;
        }
        return new SampleHistogram(labelled, map, min, max);
    }

    /** A value as the command line takes it: integers without a decimal point. */
    static String format(double v) {
        if (v == Math.rint(v) && Math.abs(v) < 1e15) {
            return String.valueOf((long) v);
        }
        return String.valueOf(v);
    }

    /** A {@code --map} that gives each listed value the label of its rank, when there are few values. */
    String suggestedMap() {
        if (counts == null || counts.size() > 16) {
            return null;
        }
        StringBuilder sb = new StringBuilder();
        int label = 0;
        for (String value : counts.keySet()) {
            sb.append(sb.length() == 0 ? "" : ",").append(value).append(':').append(label++);
        }
        return sb.toString();
    }

    /** What to do with values that are not labels, for the user; null when they are labels. */
    String hint(String dtype) {
        if (labelled) {
            return null;
        }
        String map = suggestedMap();
        if (map != null) {
            return "these " + dtype + " values are not labels 0..255; make labels with microforge convert IN OUT "
                    + "--map " + map + " (or --otsu 2|3 for greyscale)";
        }
        return "these " + dtype + " values span " + format(min) + ".." + format(max)
                + (counts == null ? " with more than " + MAX_DISTINCT + " distinct values" : "")
                + " and are not labels 0..255; make labels with microforge convert IN OUT --otsu 2|3 "
                + "(or --map VALUE:LABEL,...)";
    }
}
