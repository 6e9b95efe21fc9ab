package dev.microforge.training;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads and writes training configuration records as JSON objects whose keys are the record's
 * components: any subset of keys over a base record's values; an unknown key, a wrong type or a value
 * the record's constructor refuses is an {@link IllegalArgumentException} naming the source and the
 * key.
 */
public final class ConfigJson {

    private static final ObjectMapper JSON = new ObjectMapper()
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT);

    private ConfigJson() {}

    /**
     * Reads a configuration: {@code json}'s keys over {@code base}'s values.
     *
     * @param json a JSON object
     * @param source what to call it in messages (the file name)
     * @param base the values of missing keys
     * @param type the record class
     * @param <R> the record type
     * @return the configuration
     * @throws IllegalArgumentException naming the source and the key for any fault
     */
    public static <R extends Record> R read(String json, String source, R base, Class<R> type) {
        JsonNode node;
        try {
            node = JSON.readTree(json);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(source + ": not valid JSON (" + e.getOriginalMessage() + ")");
        }
        if (node == null || !node.isObject()) {
            throw new IllegalArgumentException(source + ": expected a JSON object of training settings, e.g. "
                    + "{\"iterations\": 500, \"batchSize\": 4}");
        }
        List<String> known = keys(type);
        for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
            String key = it.next();
            if (!known.contains(key)) {
                throw new IllegalArgumentException(source + ": unknown key '" + key + "'; known keys: "
                        + String.join(", ", known));
            }
        }
        ObjectNode merged = JSON.valueToTree(base);
        merged.setAll((ObjectNode) node);
        try {
            return JSON.treeToValue(merged, type);
        } catch (JsonProcessingException e) {
            Throwable cause = e.getCause();
            if (cause instanceof IllegalArgumentException iae) {
                throw new IllegalArgumentException(source + ": " + iae.getMessage());
            }
            String path = e instanceof JsonMappingException m && !m.getPath().isEmpty()
                    ? " at key '" + m.getPath().get(0).getFieldName() + "'" : "";
            throw new IllegalArgumentException(source + ": bad value" + path + " (" + e.getOriginalMessage() + ")");
        }
    }

    /**
     * Reads a configuration back from {@link #toMap}'s form, over {@code base}.
     *
     * @param map the stored map
     * @param source what to call it in messages
     * @param base the values of missing keys
     * @param type the record class
     * @param <R> the record type
     * @return the configuration
     */
    public static <R extends Record> R fromMap(Map<String, Object> map, String source, R base, Class<R> type) {
        try {
            return read(JSON.writeValueAsString(map), source, base, type);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(source + ": " + e.getOriginalMessage());
        }
    }

    /**
     * Returns a record as a JSON-ready map.
     *
     * @param config the record
     * @return key to value, in component order
     */
    @SuppressWarnings("unchecked")
    public static Map<String, Object> toMap(Record config) {
        return new LinkedHashMap<>(JSON.convertValue(config, Map.class));
    }

    /**
     * Returns the keys of a configuration record.
     *
     * @param type the record class
     * @return the component names in order
     */
    public static List<String> keys(Class<? extends Record> type) {
        List<String> names = new ArrayList<>();
        for (var c : type.getRecordComponents()) {
            names.add(c.getName());
        }
        return names;
    }
}
