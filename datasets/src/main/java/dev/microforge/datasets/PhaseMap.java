package dev.microforge.datasets;

import java.util.Collections;
import java.util.Locale;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * Names the phases of a labelled volume: label value (0..255) to phase name ({@code pore}, {@code active},
 * {@code cbd}, or any other). Files keep their own label values (NREL data uses 0/1/2, TauFactor's 0/85/170, others
 * 0/128/255); commands accept a phase by value or by name through {@link #resolve}.
 */
public final class PhaseMap {
    /** Conventional names of the three phases of an electrode, in label order 0, 1, 2. */
    public static final String PORE = "pore";
    public static final String ACTIVE = "active";
    public static final String CBD = "cbd";

    private final SortedMap<Integer, String> names;

    private PhaseMap(SortedMap<Integer, String> names) {
        this.names = Collections.unmodifiableSortedMap(names);
    }

    /**
     * A map from label values to names.
     *
     * @throws IllegalArgumentException for a value outside 0..255, a blank name, a name that is a number or a name
     *     used twice
     */
    public static PhaseMap of(Map<Integer, String> names) {
        SortedMap<Integer, String> copy = new TreeMap<>();
        for (Map.Entry<Integer, String> e : names.entrySet()) {
            Volume.checkLabel(e.getKey());
            String name = e.getValue() == null ? "" : e.getValue().trim().toLowerCase(Locale.ROOT);
            if (name.isEmpty() || name.chars().allMatch(Character::isDigit)) {
                throw new IllegalArgumentException(
                        "phase name for label " + e.getKey() + " must be a word, got '" + e.getValue() + "'");
            }
            if (copy.containsValue(name)) {
                throw new IllegalArgumentException("phase name '" + name + "' is used for two labels");
            }
            copy.put(e.getKey(), name);
        }
        return new PhaseMap(copy);
    }

    /**
     * The electrode convention for the labels present in sorted order: two labels are pore, active; three are pore,
     * active, cbd (so 0/1/2, 0/85/170 and 0/128/255 all read naturally); other counts get {@code phase<value>}.
     */
    public static PhaseMap electrode(Iterable<Integer> sortedLabels) {
        SortedMap<Integer, String> map = new TreeMap<>();
        for (Integer v : sortedLabels) {
            map.put(v, "phase" + v);
        }
        String[] conventional = {PORE, ACTIVE, CBD};
        if (map.size() == 2 || map.size() == 3) {
            int i = 0;
            for (Integer v : map.keySet()) {
                map.put(v, conventional[i++]);
            }
        }
        return new PhaseMap(map);
    }

    /**
     * Parses {@code "0:pore,1:active,2:cbd"}.
     *
     * @throws IllegalArgumentException naming the bad entry
     */
    public static PhaseMap parse(String text) {
        SortedMap<Integer, String> map = new TreeMap<>();
        if (text == null || text.isBlank()) {
            throw new IllegalArgumentException("phase map is empty; expected value:name pairs like 0:pore,1:active");
        }
        for (String entry : text.split(",")) {
            String[] kv = entry.split(":");
            if (kv.length != 2) {
                throw new IllegalArgumentException(
                        "phase map entry '" + entry + "' is not value:name (e.g. 0:pore,1:active,2:cbd)");
            }
            try {
                map.put(Integer.parseInt(kv[0].trim()), kv[1]);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("phase map entry '" + entry + "' does not start with a label value");
            }
        }
        return of(map);
    }

    /** Label value to name, in increasing label order. */
    public SortedMap<Integer, String> names() {
        return names;
    }

    /** Name of {@code label}, or {@code phase<label>} when unnamed. */
    public String nameOf(int label) {
        String name = names.get(label);
        return name != null ? name : "phase" + label;
    }

    /**
     * The label value that {@code phase} names: a number 0..255 is taken as a value, anything else as a name.
     *
     * @throws IllegalArgumentException listing the known names when {@code phase} matches none
     */
    public int resolve(String phase) {
        if (phase == null || phase.isBlank()) {
            throw new IllegalArgumentException("phase is empty; give a label value or one of " + names);
        }
        String p = phase.trim().toLowerCase(Locale.ROOT);
        if (p.chars().allMatch(Character::isDigit)) {
            int value = Integer.parseInt(p.length() > 3 ? "999" : p);
            Volume.checkLabel(value);
            return value;
        }
        for (Map.Entry<Integer, String> e : names.entrySet()) {
            if (e.getValue().equals(p)) {
                return e.getKey();
            }
        }
        throw new IllegalArgumentException("unknown phase '" + phase + "'; known phases: " + names);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof PhaseMap && ((PhaseMap) o).names.equals(names);
    }

    @Override
    public int hashCode() {
        return names.hashCode();
    }

    @Override
    public String toString() {
        return names.toString();
    }
}
