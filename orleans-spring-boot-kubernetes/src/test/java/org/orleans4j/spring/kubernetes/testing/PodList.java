package org.orleans4j.spring.kubernetes.testing;

import java.util.ArrayList;
import java.util.List;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * A pod list and the resourceVersion it is consistent with: the store builds both under one read
 * lock, so a watch from that resourceVersion continues exactly where the list ends.
 */
record PodList(long resourceVersion, List<ObjectNode> items) {

    /** Reads the CRUD store's list response. */
    static PodList parse(String json) {
        ObjectNode list = Json.object(json);
        List<ObjectNode> items = new ArrayList<>();
        for (JsonNode item : list.path("items").values()) {
            items.add((ObjectNode) item);
        }
        return new PodList(Json.resourceVersion(list), List.copyOf(items));
    }

    PodList select(LabelSelector selector) {
        return new PodList(
                resourceVersion,
                items.stream().filter(pod -> selector.matches(Json.labels(pod))).toList());
    }

    /** The list as the API server returns it (the store says {@code kind: List}). */
    String toJson() {
        ObjectNode list = Json.MAPPER.createObjectNode();
        list.put("kind", "PodList");
        list.put("apiVersion", "v1");
        list.putObject("metadata").put("resourceVersion", String.valueOf(resourceVersion));
        ArrayNode array = list.putArray("items");
        items.forEach(array::add);
        return Json.write(list);
    }
}
