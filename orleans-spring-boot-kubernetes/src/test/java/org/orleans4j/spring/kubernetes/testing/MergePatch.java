package org.orleans4j.spring.kubernetes.testing;

import java.util.Map;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * JSON merge patch as RFC 7386 defines it. The fabric8 CRUD store merges with Jackson's
 * "read for updating", which stores {@code "label": null} instead of removing the label; the
 * Kubernetes API server (and an agent that removes a label with a merge patch) relies on
 * {@code null} meaning "remove".
 */
final class MergePatch {

    private MergePatch() {}

    /** Returns the patched document; {@code target} is left unchanged. */
    static JsonNode apply(JsonNode target, JsonNode patch) {
        if (!patch.isObject()) {
            // A non-object patch replaces the target wholesale (RFC 7386, section 2).
            return patch.deepCopy();
        }
        ObjectNode result =
                target != null && target.isObject() ? (ObjectNode) target.deepCopy() : Json.MAPPER.createObjectNode();
        for (Map.Entry<String, JsonNode> member : patch.properties()) {
            if (member.getValue().isNull()) {
                result.remove(member.getKey());
            } else {
                result.set(member.getKey(), apply(result.get(member.getKey()), member.getValue()));
            }
        }
        return result;
    }
}
