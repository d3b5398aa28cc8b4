package org.orleans4j.spring.kubernetes.testing;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.kubernetes.client.server.mock.crud.KubernetesCrudDispatcherException;
import io.fabric8.mockwebserver.crud.AttributeSet;
import io.fabric8.mockwebserver.dsl.HttpMethod;
import io.fabric8.mockwebserver.http.Buffer;
import io.fabric8.mockwebserver.http.Headers;
import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;
import java.nio.charset.StandardCharsets;
import java.util.Objects;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * fabric8's Kubernetes CRUD store (create, get, list, JSON and merge patch, replace, delete, with
 * a global resourceVersion) that also records every pod change for watches.
 *
 * <p>{@link #processEvent} is the one place every write goes through, under the store's write lock
 * and after the handler stamped the new resourceVersion; recording there gives the watch history
 * the store's own order. Two fixes make it behave like the API server where clients notice:
 * a deletion gets a resourceVersion of its own (the store reuses the object's last one, so a
 * client resuming from the DELETED event would see it again), and merge patch follows RFC 7386
 * ({@code null} removes a label instead of storing {@code null}).
 */
final class RecordingCrudDispatcher extends KubernetesCrudDispatcher {

    private final EventHistory history;

    RecordingCrudDispatcher(EventHistory history) {
        this.history = history;
        // The store counts from 0, but to the API server "0" means "any version" (a watch from it
        // starts with the current objects), so an empty first list would hand out a version that
        // can never be too old. Real resourceVersions are never 0.
        requestResourceVersion();
    }

    @Override
    public void processEvent(
            String path,
            AttributeSet pathAttributes,
            AttributeSet oldAttributes,
            GenericKubernetesResource resource,
            String newState) {
        String previousState = oldAttributes == null ? null : map.get(oldAttributes);
        super.processEvent(path, pathAttributes, oldAttributes, resource, newState);
        if (!Objects.equals(previousState, newState)) {
            ObjectNode before = previousState == null ? null : Json.object(previousState);
            ObjectNode after = newState == null ? null : Json.object(newState);
            ObjectNode object = after != null ? after : deleted(before);
            if ("Pod".equals(Json.text(object.path("kind")))) {
                history.append(new PodEvent(
                        Json.resourceVersion(object),
                        Json.namespace(object),
                        before == null ? null : Json.labels(before),
                        after == null ? null : Json.labels(after),
                        Json.write(object)));
            }
        }
    }

    /** The object a DELETED event carries: its last state, finalizers done, at a new resourceVersion. */
    private ObjectNode deleted(ObjectNode lastState) {
        ObjectNode gone = lastState.deepCopy();
        ObjectNode metadata = (ObjectNode) gone.get("metadata");
        metadata.put("resourceVersion", String.valueOf(requestResourceVersion()));
        metadata.remove("finalizers");
        return gone;
    }

    @Override
    public JsonNode merge(JsonNode baseResource, String patch) throws KubernetesCrudDispatcherException {
        try {
            return MergePatch.apply(baseResource, Json.MAPPER.readTree(patch));
        } catch (JacksonException e) {
            throw new KubernetesCrudDispatcherException(e.getOriginalMessage(), 422);
        }
    }

    /** Runs a request against the store directly: the fixture's helpers, which clients must not see counted. */
    MockResponse call(HttpMethod method, String pathAndQuery, String contentType, String body) {
        Headers.Builder headers = Headers.builder();
        if (contentType != null) {
            headers.add("Content-Type", contentType);
        }
        byte[] bytes = body == null ? new byte[0] : body.getBytes(StandardCharsets.UTF_8);
        return dispatch(new RecordedRequest("HTTP/1.1", method, pathAndQuery, headers.build(), new Buffer(bytes)));
    }

    /** The pods in a namespace (all namespaces for null) with the resourceVersion the list is consistent with. */
    PodList listPods(String namespace) {
        String path = namespace == null ? "/api/v1/pods" : "/api/v1/namespaces/" + namespace + "/pods";
        return PodList.parse(bodyOf(call(HttpMethod.GET, path, null, null)));
    }

    static String bodyOf(MockResponse response) {
        Buffer body = response.getBody();
        return body == null ? "" : new String(body.getBytes(), StandardCharsets.UTF_8);
    }
}
