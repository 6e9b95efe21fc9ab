package dev.microforge.datasets.io;

import dev.microforge.datasets.Volume;
import dev.microforge.datasets.VolumeBuilder;
import java.util.Arrays;
import java.util.Locale;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * Turns decoded {@link Samples} into phase labels (0..255), one of three ways:
 * <ul>
 *   <li>{@link #direct()}: integral sample values 0..255 are the labels (a labelled 8-bit file, or a 16-bit, int32
 *   or float file whose values are small integers); anything else is refused with a message suggesting the next
 *   two options;</li>
 *   <li>{@link #map}: an explicit value map, e.g. {@code 0:0,128:1,255:2}; a value with no entry is refused,
 *   naming the value and a voxel that holds it;</li>
 *   <li>{@link #otsu}: multi-level Otsu thresholding of greyscale into 2..4 classes, labels 0..k-1 in order of
 *   intensity (N. Otsu, IEEE Trans. SMC 9 (1979) 62; multi-level by exhaustive search over a 256-bin histogram,
 *   P.-S. Liao, T.-S. Chen, P.-C. Chung, J. Inf. Sci. Eng. 17 (2001) 713).</li>
 * </ul>
 */
public final class LabelConversion {
    private enum Kind { DIRECT, MAP, OTSU }

    private final Kind kind;
    private final SortedMap<Double, Integer> map;
    private final int classes;

    private LabelConversion(Kind kind, SortedMap<Double, Integer> map, int classes) {
        this.kind = kind;
        this.map = map;
        this.classes = classes;
    }

    /** Integral values 0..255 are the labels. */
    public static LabelConversion direct() {
        return new LabelConversion(Kind.DIRECT, null, 0);
    }

    /**
     * An explicit map from sample values to labels.
     *
     * @throws IllegalArgumentException for an empty map or a label outside 0..255
     */
    public static LabelConversion map(Map<Double, Integer> valueToLabel) {
        if (valueToLabel == null || valueToLabel.isEmpty()) {
            throw new IllegalArgumentException("value map is empty; expected pairs like 0:0,128:1,255:2");
        }
        for (Map.Entry<Double, Integer> e : valueToLabel.entrySet()) {
            if (e.getValue() < 0 || e.getValue() > 255) {
                throw new IllegalArgumentException("value map sends " + e.getKey() + " to label " + e.getValue()
                        + "; labels are 0..255");
            }
        }
        return new LabelConversion(Kind.MAP, new TreeMap<>(valueToLabel), 0);
    }

    /**
     * Parses {@code "0:0,128:1,255:2"} (sample value : label).
     *
     * @throws IllegalArgumentException naming the bad entry
     */
    public static LabelConversion parseMap(String text) {
        SortedMap<Double, Integer> m = new TreeMap<>();
        if (text == null || text.isBlank()) {
            throw new IllegalArgumentException("value map is empty; expected pairs like 0:0,128:1,255:2");
        }
        for (String entry : text.split(",")) {
            String[] kv = entry.trim().split(":");
            try {
                if (kv.length != 2) {
                    throw new NumberFormatException();
                }
                m.put(Double.parseDouble(kv[0].trim()), Integer.parseInt(kv[1].trim()));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(
                        "value map entry '" + entry + "' is not value:label (e.g. --map 0:0,128:1,255:2)");
            }
        }
        return map(m);
    }

    /**
     * Multi-level Otsu thresholding into {@code classes} labels.
     *
     * @throws IllegalArgumentException unless {@code 2 <= classes <= 4}
     */
    public static LabelConversion otsu(int classes) {
        if (classes < 2 || classes > 4) {
            throw new IllegalArgumentException("Otsu thresholding makes 2, 3 or 4 phases, got " + classes);
        }
        return new LabelConversion(Kind.OTSU, null, classes);
    }

    /**
     * Converts {@code samples} into a label volume. Direct conversion of 8-bit unsigned samples reuses their array
     * (no copy), so the caller must not use {@code samples} afterwards.
     *
     * @param source file name for messages
     * @throws VolumeFormatException when the values do not fit this conversion (message says what to pass instead)
     */
    public Volume apply(Samples samples, String source) throws VolumeFormatException {
        switch (kind) {
            case MAP:
                return applyMap(samples, source);
            case OTSU:
                return applyOtsu(samples);
            default:
                return applyDirect(samples, source);
        }
    }

    private Volume applyDirect(Samples s, String source) throws VolumeFormatException {
        if (s.type() == SampleType.UINT8 || s.type() == SampleType.BOOL) {
            return adopt(s);
        }
        double[] range = range(s);
        VolumeBuilder b = VolumeBuilder.create(s.nx(), s.ny(), s.nz());
        byte[] out = b.array();
        int n = out.length;
        for (int i = 0; i < n; i++) {
            double v = s.value(i);
            if (v < 0 || v > 255 || v != Math.rint(v)) {
                throw new VolumeFormatException(String.format(Locale.ROOT,
                        "%s: %s values span %s..%s, which are not labels 0..255 (first offending value %s at voxel "
                                + "%s); convert them with --map VALUE:LABEL,... or --otsu 2|3",
                        source, s.type().numpyName(), fmt(range[0]), fmt(range[1]), fmt(v), voxel(s, i)));
            }
            out[i] = (byte) (int) v;
        }
        return b.build(s.voxelSize());
    }

    private static Volume adopt(Samples s) {
        // The byte array becomes the volume's label array: no second copy of a large 8-bit volume.
        return VolumeBuilder.adopt(s.nx(), s.ny(), s.nz(), s.bytes()).build(s.voxelSize());
    }

    private Volume applyMap(Samples s, String source) throws VolumeFormatException {
        VolumeBuilder b = VolumeBuilder.create(s.nx(), s.ny(), s.nz());
        byte[] out = b.array();
        double[] keys = map.keySet().stream().mapToDouble(Double::doubleValue).toArray();
        int[] labels = map.values().stream().mapToInt(Integer::intValue).toArray();
        // small-integer types use a lookup table (1 table read per voxel); others a binary search
        int[] lut = null;
        if (s.type().integral() && s.type().bytes() <= 2) {
            lut = new int[65536];
            Arrays.fill(lut, -1);
            for (int k = 0; k < keys.length; k++) {
                double key = keys[k];
                if (key == Math.rint(key) && key >= -32768 && key <= 65535) {
                    lut[((int) key) & 0xFFFF] = labels[k];
                }
            }
        }
        int n = out.length;
        for (int i = 0; i < n; i++) {
            int label;
            if (lut != null) {
                int raw = rawInt(s, i);
                label = lut[raw & 0xFFFF];
            } else {
                int k = Arrays.binarySearch(keys, s.value(i));
                label = k >= 0 ? labels[k] : -1;
            }
            if (label < 0) {
                throw new VolumeFormatException(String.format(Locale.ROOT,
                        "%s: value %s at voxel %s has no entry in the value map %s; add it (--map %s:LABEL,...)",
                        source, fmt(s.value(i)), voxel(s, i), describeMap(), fmt(s.value(i))));
            }
            out[i] = (byte) label;
        }
        return b.build(s.voxelSize());
    }

    private static int rawInt(Samples s, int i) {
        switch (s.type()) {
            case BOOL:
            case UINT8:
                return s.bytes()[i] & 0xFF;
            case INT8:
                return s.bytes()[i];
            case UINT16:
                return s.shorts()[i] & 0xFFFF;
            default:
                return s.shorts()[i];
        }
    }

    private String describeMap() {
        StringBuilder sb = new StringBuilder();
        for (Map.Entry<Double, Integer> e : map.entrySet()) {
            sb.append(sb.length() == 0 ? "" : ",").append(fmt(e.getKey())).append(':').append(e.getValue());
        }
        return sb.toString();
    }

    private Volume applyOtsu(Samples s) {
        double[] range = range(s);
        int bins = 256;
        long[] hist = new long[bins];
        double lo = range[0];
        double width = (range[1] - range[0]) / bins;
        int n = (int) s.count();
        for (int i = 0; i < n; i++) {
            hist[bin(s.value(i), lo, width, bins)]++;
        }
        int[] thresholds = otsuThresholds(hist, classes);
        int[] binLabel = new int[bins];
        for (int b = 0, label = 0; b < bins; b++) {
            while (label < thresholds.length && b > thresholds[label]) {
                label++;
            }
            binLabel[b] = label;
        }
        VolumeBuilder out = VolumeBuilder.create(s.nx(), s.ny(), s.nz());
        byte[] a = out.array();
        for (int i = 0; i < n; i++) {
            a[i] = (byte) binLabel[bin(s.value(i), lo, width, bins)];
        }
        return out.build(s.voxelSize());
    }

    private static int bin(double v, double lo, double width, int bins) {
        if (!(width > 0) || Double.isNaN(v)) {
            return 0;
        }
        int b = (int) ((v - lo) / width);
        return b < 0 ? 0 : Math.min(b, bins - 1);
    }

    /**
     * Multi-level Otsu: the {@code classes - 1} thresholds (a bin index t means bins {@code <= t} go to the lower
     * class) that maximise the between-class variance {@code sum_k w_k mu_k^2} of {@code hist}. Exhaustive over
     * all threshold tuples, O(bins^(classes-1)) with prefix sums: 256 bins and 4 classes is 2.8 million tuples.
     */
    public static int[] otsuThresholds(long[] hist, int classes) {
        int bins = hist.length;
        double[] p = new double[bins + 1];  // prefix sums of counts
        double[] q = new double[bins + 1];  // prefix sums of count * bin
        for (int b = 0; b < bins; b++) {
            p[b + 1] = p[b] + hist[b];
            q[b + 1] = q[b] + (double) hist[b] * b;
        }
        int[] best = new int[classes - 1];
        int[] current = new int[classes - 1];
        double[] bestScore = {Double.NEGATIVE_INFINITY};
        search(p, q, current, 0, 0, bins, best, bestScore);
        return best;
    }

    private static void search(double[] p, double[] q, int[] t, int depth, int start, int bins, int[] best,
            double[] bestScore) {
        if (depth == t.length) {
            double score = 0;
            int from = 0;
            for (int k = 0; k <= t.length; k++) {
                int to = k < t.length ? t[k] + 1 : bins;
                double w = p[to] - p[from];
                if (w > 0) {
                    double m = q[to] - q[from];
                    score += m * m / w;
                }
                from = to;
            }
            if (score > bestScore[0]) {
                bestScore[0] = score;
                System.arraycopy(t, 0, best, 0, t.length);
            }
            return;
        }
        for (int b = start; b < bins - (t.length - depth); b++) {
            t[depth] = b;
            search(p, q, t, depth + 1, b + 1, bins, best, bestScore);
        }
    }

    private static double[] range(Samples s) {
        double min = Double.POSITIVE_INFINITY;
        double max = Double.NEGATIVE_INFINITY;
        int n = (int) s.count();
        for (int i = 0; i < n; i++) {
            double v = s.value(i);
            if (v < min) {
                min = v;
            }
            if (v > max) {
                max = v;
            }
        }
        return new double[] {min, max};
    }

    private static String voxel(Samples s, int i) {
        return String.format("(%d, %d, %d)", i % s.nx(), (i / s.nx()) % s.ny(), i / (s.nx() * s.ny()));
    }

    private static String fmt(double v) {
        return v == Math.rint(v) && Math.abs(v) < 1e15 ? String.valueOf((long) v) : String.valueOf(v);
    }
}
