package org.orleans4j.spring.kubernetes.testing;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * JSON access for the test API. The fabric8 CRUD store keeps every object as JSON text and its
 * patch handler works on Jackson 3 trees, so the fixture reads and rewrites objects the same way.
 */
final class Json {

    static final ObjectMapper MAPPER = JsonMapper.shared();

    private Json() {}

    static ObjectNode object(String json) {
        JsonNode node = MAPPER.readTree(json);
        if (!node.isObject()) {
            throw new IllegalArgumentException("expected a JSON object: " + json);
        }
        return (ObjectNode) node;
    }

    /** Compact JSON: a watch event must fit on one line. */
    static String write(JsonNode node) {
        return MAPPER.writeValueAsString(node);
    }

    /** The object's {@code metadata.labels}; empty when it has none. */
    static Map<String, String> labels(JsonNode object) {
        Map<String, String> labels = new LinkedHashMap<>();
        object.path("metadata")
                .path("labels")
                .propertyStream()
                .forEach(label -> labels.put(label.getKey(), label.getValue().asString()));
        return Collections.unmodifiableMap(labels);
    }

    static String namespace(JsonNode object) {
        return text(object.path("metadata").path("namespace"));
    }

    static long resourceVersion(JsonNode object) {
        String resourceVersion = text(object.path("metadata").path("resourceVersion"));
        return resourceVersion == null ? 0 : Long.parseLong(resourceVersion);
    }

    /** A string node's value, or null for a missing, null or non-string node. */
    static String text(JsonNode node) {
        return node.isString() ? node.stringValue() : null;
    }
}
