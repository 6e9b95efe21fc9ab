package dev.microforge.optimizer.campaign;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.microforge.datasets.Axis;
import dev.microforge.optimizer.acquisition.Acquisition;
import dev.microforge.optimizer.objective.Property;
import dev.microforge.optimizer.objective.PropertySpec;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * A campaign file ({@code campaign.json}): what to search, what to optimise under which constraints, how, and for
 * how many evaluations. Parsed strictly: an unknown field is an error naming the fields known there (a typo must
 * not silently change a campaign). Written back by {@link #toJson()} in the same shape.
 *
 * <pre>
 * {
 *   "designSpace": {"type": "parametric", "generator": "packing",
 *                   "parameters": {"solidFraction": [0.45, 0.70], "meanRadius": [3, 8]},
 *                   "fixed": {"size": 64, "seed": 7}},
 *   "objectives": [{"property": "tortuosity", "phase": "pore", "axis": "z", "goal": "minimize"}],
 *   "constraints": [{"property": "volumeFraction", "phase": "active", "min": 0.50}],
 *   "acquisition": "ei", "budget": 20, "batchSize": 1, "seed": 1
 * }
 * </pre>
 * A latent space is {@code {"type": "latent", "model": "MODELDIR", "size": 64}} with optional {@code dimensions},
 * {@code bound}, {@code typicality} and {@code seed} ({@link dev.microforge.optimizer.space.LatentSpace.Options}).
 * Optional top-level fields: {@code initialDesign} (Latin-hypercube points before the GP takes over; default
 * {@code 2 (d + 1)}, at most half the budget), {@code ucbBeta} (default 4), {@code screening}
 * ({@code {"surrogate": "bruggeman", "candidates": 4}}: the evaluation ladder), {@code transportTolerance}
 * (default 1e-3).
 *
 * @param designSpace what is searched
 * @param objectives one or more objectives (two or more: Pareto search by ParEGO)
 * @param constraints property bounds that a design must meet (may be empty)
 * @param acquisition {@code ei}, {@code pi} or {@code ucb}
 * @param budget physics evaluations in all
 * @param batchSize proposals per step
 * @param seed seed of the initial design, the proposals and (latent) the embedding
 * @param initialDesign initial Latin-hypercube points, 0 for the default
 * @param ucbBeta UCB's exploration weight
 * @param screening the evaluation ladder, or null for physics only
 * @param transportTolerance flux tolerance of the transport solves
 */
public record CampaignConfig(DesignSpaceConfig designSpace, List<Objective> objectives, List<Constraint> constraints,
                             String acquisition, int budget, int batchSize, long seed, int initialDesign,
                             double ucbBeta, Screening screening, double transportTolerance) {
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    public CampaignConfig {
        if (designSpace == null) {
            throw new IllegalArgumentException("campaign: \"designSpace\" is required");
        }
        if (objectives == null || objectives.isEmpty()) {
            throw new IllegalArgumentException("campaign: \"objectives\" needs at least one objective");
        }
        objectives = List.copyOf(objectives);
        constraints = constraints == null ? List.of() : List.copyOf(constraints);
        Acquisition.named(acquisition, 0);
        acquisition = acquisition.trim().toLowerCase(Locale.ROOT);
        if (budget < 1 || budget > 100_000) {
            throw new IllegalArgumentException("campaign: \"budget\" must be 1..100000 evaluations, got " + budget);
        }
        if (batchSize < 1 || batchSize > budget) {
            throw new IllegalArgumentException("campaign: \"batchSize\" must be 1..budget (" + budget + "), got "
                    + batchSize);
        }
        if (initialDesign < 0 || initialDesign > budget) {
            throw new IllegalArgumentException("campaign: \"initialDesign\" must be 0 (default) .. budget, got "
                    + initialDesign);
        }
        if (!(ucbBeta >= 0 && Double.isFinite(ucbBeta))) {
            throw new IllegalArgumentException("campaign: \"ucbBeta\" must be >= 0, got " + ucbBeta);
        }
        if (!(transportTolerance > 0 && transportTolerance < 1)) {
            throw new IllegalArgumentException("campaign: \"transportTolerance\" must lie in (0, 1), got "
                    + transportTolerance);
        }
    }

    /**
     * The design space.
     *
     * @param type {@code parametric} or {@code latent}
     * @param generator parametric: {@code packing} or a preset name
     * @param parameters parametric: knob name to {@code [lower, upper]}, in order
     * @param fixed parametric: knob name to value (number, text, boolean or list of numbers)
     * @param model latent: the model directory
     * @param size latent: volume edge in voxels
     * @param dimensions latent: searched coordinates (0 automatic)
     * @param bound latent: box half-width in prior sds
     * @param typicality latent: central prior mass proposals must lie in
     * @param seed latent: embedding seed
     */
    public record DesignSpaceConfig(String type, String generator, Map<String, double[]> parameters,
                                    Map<String, Object> fixed, String model, int size, int dimensions, double bound,
                                    double typicality, long seed) {
        public DesignSpaceConfig {
            if (!"parametric".equals(type) && !"latent".equals(type)) {
                throw new IllegalArgumentException("designSpace.type must be \"parametric\" or \"latent\", got "
                        + (type == null ? "nothing" : "\"" + type + "\""));
            }
            parameters = parameters == null ? Map.of() : java.util.Collections.unmodifiableMap(
                    new LinkedHashMap<>(parameters));
            fixed = fixed == null ? Map.of() : java.util.Collections.unmodifiableMap(new LinkedHashMap<>(fixed));
            if (type.equals("parametric") && (generator == null || generator.isBlank())) {
                throw new IllegalArgumentException("designSpace.generator is required for a parametric space "
                        + "(packing, nmc, graphite, lfp or graded)");
            }
            if (type.equals("latent")) {
                if (model == null || model.isBlank()) {
                    throw new IllegalArgumentException("designSpace.model (a model directory) is required for a "
                            + "latent space");
                }
                if (size < 8 || size > 1024) {
                    throw new IllegalArgumentException("designSpace.size must be 8..1024 voxels, got " + size);
                }
            }
        }

        /** A parametric space. */
        public static DesignSpaceConfig parametric(String generator, Map<String, double[]> parameters,
                Map<String, Object> fixed) {
            return new DesignSpaceConfig("parametric", generator, parameters, fixed, null, 0, 0, 3, 0.99, 1);
        }

        /** A latent space with the default coordinates, bound and typicality. */
        public static DesignSpaceConfig latent(String model, int size) {
            return new DesignSpaceConfig("latent", null, null, null, model, size, 0, 3, 0.99, 1);
        }
    }

    /**
     * An objective.
     *
     * @param spec the property
     * @param minimize true to minimise, false to maximise
     */
    public record Objective(PropertySpec spec, boolean minimize) {
        public Objective {
            if (spec == null) {
                throw new IllegalArgumentException("an objective needs a property");
            }
        }
    }

    /**
     * A constraint {@code min <= value <= max} (either bound may be absent: NaN).
     *
     * @param spec the property
     * @param min lower bound or NaN
     * @param max upper bound or NaN
     */
    public record Constraint(PropertySpec spec, double min, double max) {
        public Constraint {
            if (spec == null) {
                throw new IllegalArgumentException("a constraint needs a property");
            }
            if (Double.isNaN(min) && Double.isNaN(max)) {
                throw new IllegalArgumentException("constraint on " + spec.label() + " needs \"min\" or \"max\"");
            }
            if (!Double.isNaN(min) && !Double.isNaN(max) && min > max) {
                throw new IllegalArgumentException("constraint on " + spec.label() + ": min " + min + " > max "
                        + max);
            }
        }

        /** Whether {@code value} meets the constraint. */
        public boolean holds(double value) {
            return !Double.isNaN(value) && (Double.isNaN(min) || value >= min) && (Double.isNaN(max) || value <= max);
        }
    }

    /**
     * The evaluation ladder.
     *
     * @param surrogate {@code bruggeman}, or a surrogate model directory
     * @param candidates designs screened per physics evaluation, at least 1
     */
    public record Screening(String surrogate, int candidates) {
        public Screening {
            if (surrogate == null || surrogate.isBlank()) {
                throw new IllegalArgumentException("screening.surrogate is required (\"bruggeman\" or a model "
                        + "directory)");
            }
            if (candidates < 1 || candidates > 64) {
                throw new IllegalArgumentException("screening.candidates must be 1..64, got " + candidates);
            }
        }
    }

    /** The property specs of the objectives, then of the constraints (the order of journal values). */
    public List<PropertySpec> specs() {
        List<PropertySpec> s = new ArrayList<>();
        objectives.forEach(o -> s.add(o.spec()));
        constraints.forEach(c -> s.add(c.spec()));
        return s;
    }

    /** The initial-design size: as given, or {@code 2 (d + 1)} capped at half the budget (at least 1). */
    public int initialDesignFor(int dimensions) {
        if (initialDesign > 0) {
            return initialDesign;
        }
        return Math.max(1, Math.min(2 * (dimensions + 1), (budget + 1) / 2));
    }

    // ---------------------------------------------------------------- parsing

    /** Reads a campaign file. */
    public static CampaignConfig read(Path file) throws IOException {
        return parse(Files.readString(file, StandardCharsets.UTF_8), file.toString());
    }

    /**
     * Parses campaign JSON.
     *
     * @param source what the text is, for messages (a file name)
     * @throws IllegalArgumentException for malformed JSON or a bad field, naming it
     */
    public static CampaignConfig parse(String json, String source) {
        JsonNode root;
        try {
            root = JSON.readTree(json);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(source + ": not valid JSON: " + e.getOriginalMessage().lines()
                    .findFirst().orElse("") + " (line " + e.getLocation().getLineNr() + ")");
        }
        try {
            return fromTree(root);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(source + ": " + e.getMessage(), e);
        }
    }

    private static CampaignConfig fromTree(JsonNode root) {
        if (root == null || !root.isObject()) {
            throw new IllegalArgumentException("a campaign is a JSON object with designSpace, objectives, budget, "
                    + "...");
        }
        known(root, "", Set.of("designSpace", "objectives", "constraints", "acquisition", "budget", "batchSize",
                "seed", "initialDesign", "ucbBeta", "screening", "transportTolerance"));
        DesignSpaceConfig space = designSpace(root.get("designSpace"));
        List<Objective> objectives = new ArrayList<>();
        JsonNode objs = root.get("objectives");
        if (objs == null || !objs.isArray() || objs.isEmpty()) {
            throw new IllegalArgumentException("\"objectives\" must be a non-empty list, e.g. [{\"property\": "
                    + "\"tortuosity\", \"phase\": \"pore\", \"axis\": \"z\", \"goal\": \"minimize\"}]");
        }
        for (int i = 0; i < objs.size(); i++) {
            JsonNode o = objs.get(i);
            String where = "objectives[" + i + "]";
            known(o, where, Set.of("property", "phase", "axis", "conductivity", "goal"));
            String goal = text(o, "goal", where, null);
            if (goal == null || !(goal.equalsIgnoreCase("minimize") || goal.equalsIgnoreCase("maximize"))) {
                throw new IllegalArgumentException(where + ".goal must be \"minimize\" or \"maximize\", got "
                        + o.get("goal"));
            }
            objectives.add(new Objective(spec(o, where), goal.equalsIgnoreCase("minimize")));
        }
        List<Constraint> constraints = new ArrayList<>();
        JsonNode cons = root.get("constraints");
        if (cons != null && !cons.isNull()) {
            if (!cons.isArray()) {
                throw new IllegalArgumentException("\"constraints\" must be a list");
            }
            for (int i = 0; i < cons.size(); i++) {
                JsonNode c = cons.get(i);
                String where = "constraints[" + i + "]";
                known(c, where, Set.of("property", "phase", "axis", "conductivity", "min", "max"));
                try {
                    constraints.add(new Constraint(spec(c, where), number(c, "min", where, Double.NaN),
                            number(c, "max", where, Double.NaN)));
                } catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException(where + ": " + e.getMessage(), e);
                }
            }
        }
        Screening screening = null;
        JsonNode s = root.get("screening");
        if (s != null && !s.isNull()) {
            known(s, "screening", Set.of("surrogate", "candidates"));
            screening = new Screening(text(s, "surrogate", "screening", "bruggeman"),
                    integer(s, "candidates", "screening", 4));
        }
        return new CampaignConfig(space, objectives, constraints, text(root, "acquisition", "", "ei"),
                integer(root, "budget", "", -1), integer(root, "batchSize", "", 1), longValue(root, "seed", "", 1),
                integer(root, "initialDesign", "", 0), number(root, "ucbBeta", "", 4), screening,
                number(root, "transportTolerance", "", 1e-3));
    }

    private static DesignSpaceConfig designSpace(JsonNode d) {
        if (d == null || !d.isObject()) {
            throw new IllegalArgumentException("\"designSpace\" must be an object with a \"type\" (parametric or "
                    + "latent)");
        }
        String type = text(d, "type", "designSpace", null);
        if (!"latent".equals(type) && !"parametric".equals(type)) {
            throw new IllegalArgumentException("designSpace.type must be \"parametric\" or \"latent\", got "
                    + (type == null ? "nothing" : "\"" + type + "\""));
        }
        if ("latent".equals(type)) {
            known(d, "designSpace", Set.of("type", "model", "size", "dimensions", "bound", "typicality", "seed"));
            return new DesignSpaceConfig(type, null, null, null, text(d, "model", "designSpace", null),
                    integer(d, "size", "designSpace", 64), integer(d, "dimensions", "designSpace", 0),
                    number(d, "bound", "designSpace", 3), number(d, "typicality", "designSpace", 0.99),
                    longValue(d, "seed", "designSpace", 1));
        }
        known(d, "designSpace", Set.of("type", "generator", "parameters", "fixed"));
        Map<String, double[]> parameters = new LinkedHashMap<>();
        JsonNode p = d.get("parameters");
        if (p == null || !p.isObject()) {
            throw new IllegalArgumentException("designSpace.parameters must be an object like {\"solidFraction\": "
                    + "[0.45, 0.70]}");
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = p.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            JsonNode b = e.getValue();
            if (!b.isArray() || b.size() != 2 || !b.get(0).isNumber() || !b.get(1).isNumber()) {
                throw new IllegalArgumentException("designSpace.parameters." + e.getKey() + " must be [lower, upper],"
                        + " got " + b);
            }
            parameters.put(e.getKey(), new double[] {b.get(0).asDouble(), b.get(1).asDouble()});
        }
        Map<String, Object> fixed = new LinkedHashMap<>();
        JsonNode f = d.get("fixed");
        if (f != null && !f.isNull()) {
            if (!f.isObject()) {
                throw new IllegalArgumentException("designSpace.fixed must be an object");
            }
            for (Iterator<Map.Entry<String, JsonNode>> it = f.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                fixed.put(e.getKey(), plain(e.getValue()));
            }
        }
        return new DesignSpaceConfig(type, text(d, "generator", "designSpace", null), parameters, fixed, null, 0, 0, 3,
                0.99, 1);
    }

    private static Object plain(JsonNode v) {
        if (v.isBoolean()) {
            return v.asBoolean();
        }
        if (v.isIntegralNumber()) {
            return v.asLong();
        }
        if (v.isNumber()) {
            return v.asDouble();
        }
        if (v.isTextual()) {
            return v.asText();
        }
        if (v.isArray()) {
            List<Object> list = new ArrayList<>();
            v.forEach(e -> list.add(plain(e)));
            return list;
        }
        return String.valueOf(v);
    }

    private static PropertySpec spec(JsonNode o, String where) {
        if (o == null || !o.isObject()) {
            throw new IllegalArgumentException(where + " must be an object with a \"property\"");
        }
        Property property;
        try {
            property = Property.parse(text(o, "property", where, null));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(where + ".property: " + e.getMessage(), e);
        }
        String axisText = text(o, "axis", where, null);
        Axis axis = null;
        if (axisText != null) {
            try {
                axis = Axis.parse(axisText);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(where + ".axis must be x, y or z, got \"" + axisText + "\"");
            }
        }
        Map<String, Double> conductivity = new LinkedHashMap<>();
        JsonNode k = o.get("conductivity");
        if (k != null && !k.isNull()) {
            if (!k.isObject()) {
                throw new IllegalArgumentException(where + ".conductivity must be an object {phase: value}");
            }
            for (Iterator<Map.Entry<String, JsonNode>> it = k.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                if (!e.getValue().isNumber()) {
                    throw new IllegalArgumentException(where + ".conductivity." + e.getKey() + " must be a number");
                }
                conductivity.put(e.getKey(), e.getValue().asDouble());
            }
        }
        try {
            return new PropertySpec(property, text(o, "phase", where, null), axis, conductivity);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(where + ": " + e.getMessage(), e);
        }
    }

    private static void known(JsonNode node, String where, Set<String> fields) {
        if (node == null || !node.isObject()) {
            throw new IllegalArgumentException((where.isEmpty() ? "the campaign" : where) + " must be a JSON object");
        }
        for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
            String f = it.next();
            if (!fields.contains(f)) {
                throw new IllegalArgumentException("unknown field " + (where.isEmpty() ? "" : where + ".") + "\""
                        + f + "\"; known: " + new java.util.TreeSet<>(fields));
            }
        }
    }

    private static String text(JsonNode node, String field, String where, String fallback) {
        JsonNode v = node.get(field);
        if (v == null || v.isNull()) {
            return fallback;
        }
        if (!v.isTextual()) {
            throw new IllegalArgumentException(path(where, field) + " must be text, got " + v);
        }
        return v.asText();
    }

    private static double number(JsonNode node, String field, String where, double fallback) {
        JsonNode v = node.get(field);
        if (v == null || v.isNull()) {
            return fallback;
        }
        if (!v.isNumber()) {
            throw new IllegalArgumentException(path(where, field) + " must be a number, got " + v);
        }
        return v.asDouble();
    }

    private static int integer(JsonNode node, String field, String where, int fallback) {
        JsonNode v = node.get(field);
        if (v == null || v.isNull()) {
            if (fallback == -1) {
                throw new IllegalArgumentException(path(where, field) + " is required");
            }
            return fallback;
        }
        if (!v.isIntegralNumber() || !v.canConvertToInt()) {
            throw new IllegalArgumentException(path(where, field) + " must be a whole number, got " + v);
        }
        return v.asInt();
    }

    private static long longValue(JsonNode node, String field, String where, long fallback) {
        JsonNode v = node.get(field);
        if (v == null || v.isNull()) {
            return fallback;
        }
        if (!v.isIntegralNumber() || !v.canConvertToLong()) {
            throw new IllegalArgumentException(path(where, field) + " must be a whole number, got " + v);
        }
        return v.asLong();
    }

    private static String path(String where, String field) {
        return "\"" + (where.isEmpty() ? "" : where + ".") + field + "\"";
    }

    // ---------------------------------------------------------------- writing

    /** This campaign as JSON in the shape {@link #parse} reads (every default written out). */
    public String toJson() {
        JsonNodeFactory f = JsonNodeFactory.instance;
        ObjectNode root = f.objectNode();
        ObjectNode d = root.putObject("designSpace");
        d.put("type", designSpace.type());
        if (designSpace.type().equals("latent")) {
            d.put("model", designSpace.model());
            d.put("size", designSpace.size());
            d.put("dimensions", designSpace.dimensions());
            d.put("bound", designSpace.bound());
            d.put("typicality", designSpace.typicality());
            d.put("seed", designSpace.seed());
        } else {
            d.put("generator", designSpace.generator());
            ObjectNode p = d.putObject("parameters");
            designSpace.parameters().forEach((k, v) -> p.putArray(k).add(v[0]).add(v[1]));
            d.set("fixed", JSON.valueToTree(designSpace.fixed()));
        }
        ArrayNode objs = root.putArray("objectives");
        for (Objective o : objectives) {
            ObjectNode n = specNode(objs.addObject(), o.spec());
            n.put("goal", o.minimize() ? "minimize" : "maximize");
        }
        ArrayNode cons = root.putArray("constraints");
        for (Constraint c : constraints) {
            ObjectNode n = specNode(cons.addObject(), c.spec());
            if (!Double.isNaN(c.min())) {
                n.put("min", c.min());
            }
            if (!Double.isNaN(c.max())) {
                n.put("max", c.max());
            }
        }
        root.put("acquisition", acquisition);
        root.put("budget", budget);
        root.put("batchSize", batchSize);
        root.put("seed", seed);
        root.put("initialDesign", initialDesign);
        root.put("ucbBeta", ucbBeta);
        if (screening != null) {
            root.putObject("screening").put("surrogate", screening.surrogate())
                    .put("candidates", screening.candidates());
        }
        root.put("transportTolerance", transportTolerance);
        try {
            return JSON.writeValueAsString(root);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static ObjectNode specNode(ObjectNode n, PropertySpec s) {
        n.put("property", s.property().key());
        if (s.phase() != null) {
            n.put("phase", s.phase());
        }
        if (s.axis() != null) {
            n.put("axis", s.axis().label());
        }
        if (!s.conductivity().isEmpty()) {
            ObjectNode k = n.putObject("conductivity");
            s.conductivity().forEach(k::put);
        }
        return n;
    }

    /** Whether two configs describe the same campaign (same canonical JSON). */
    public boolean sameAs(CampaignConfig other) {
        return other != null && toJson().equals(other.toJson());
    }
}
