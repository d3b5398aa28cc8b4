package org.orleans4j.spring.kubernetes;

import io.kubernetes.client.custom.V1Patch;
import io.kubernetes.client.openapi.ApiClient;
import io.kubernetes.client.openapi.ApiException;
import io.kubernetes.client.openapi.apis.CoreV1Api;
import io.kubernetes.client.openapi.auth.ApiKeyAuth;
import io.kubernetes.client.openapi.auth.Authentication;
import io.kubernetes.client.openapi.models.V1Pod;
import io.kubernetes.client.openapi.models.V1PodList;
import io.kubernetes.client.util.PatchUtils;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * The pod calls of the cluster agent on the official client, bound to one namespace and to the
 * label selector of one service id and cluster id. Watches go through a copy of the client whose
 * read timeout outlasts the watch, since a quiet watch sends nothing for minutes.
 */
final class PodsApi {

    /** Label carrying the service id on every silo pod. */
    static final String SERVICE_ID_LABEL = "orleans/serviceId";
    /** Label carrying the cluster id on every silo pod. */
    static final String CLUSTER_ID_LABEL = "orleans/clusterId";

    private final ApiClient client;
    private final CoreV1Api api;
    private final ApiClient watchClient;
    private final CoreV1Api watchApi;
    private final String namespace;
    private final Map<String, String> labels;
    private final String selector;

    PodsApi(ApiClient client, String namespace, String serviceId, String clusterId, Duration watchTimeout) {
        this.client = client;
        this.api = new CoreV1Api(client);
        this.watchClient = withReadTimeout(client, watchTimeout.plusSeconds(30));
        this.watchApi = new CoreV1Api(watchClient);
        this.namespace = namespace;
        this.labels = new TreeMap<>(Map.of(
                SERVICE_ID_LABEL,
                requireLabelValue(serviceId, "orleans.cluster.service-id"),
                CLUSTER_ID_LABEL,
                requireLabelValue(clusterId, "orleans.cluster.cluster-id")));
        // Both ids, so that silos of another service or cluster in the namespace are never in scope.
        this.selector = labels.entrySet().stream()
                .map(e -> e.getKey() + "=" + e.getValue())
                .collect(Collectors.joining(","));
    }

    String namespace() {
        return namespace;
    }

    String selector() {
        return selector;
    }

    Map<String, String> labels() {
        return labels;
    }

    V1PodList list() throws ApiException {
        return api.listNamespacedPod(namespace).labelSelector(selector).execute();
    }

    /** The pod named {@code name} whatever its labels, or empty when it does not exist. */
    Optional<V1Pod> get(String name) throws ApiException {
        try {
            return Optional.of(api.readNamespacedPod(name, namespace).execute());
        } catch (ApiException e) {
            if (e.getCode() == 404) {
                return Optional.empty();
            }
            throw e;
        }
    }

    /** Adds the service id and cluster id labels to pod {@code name} with a JSON merge patch. */
    void label(String name) throws ApiException {
        StringBuilder json = new StringBuilder("{\"metadata\":{\"labels\":{");
        String separator = "";
        for (Map.Entry<String, String> label : labels.entrySet()) {
            json.append(separator).append(quote(label.getKey())).append(':').append(quote(label.getValue()));
            separator = ",";
        }
        json.append("}}}");
        PatchUtils.patch(
                V1Pod.class,
                () -> api.patchNamespacedPod(name, namespace, new V1Patch(json.toString()))
                        .buildCall(null),
                V1Patch.PATCH_FORMAT_JSON_MERGE_PATCH,
                client);
    }

    /** Sets annotation {@code key} of pod {@code name} to {@code value} with a JSON merge patch. */
    void annotate(String name, String key, String value) throws ApiException {
        String json = "{\"metadata\":{\"annotations\":{" + quote(key) + ":" + quote(value) + "}}}";
        PatchUtils.patch(
                V1Pod.class,
                () -> api.patchNamespacedPod(name, namespace, new V1Patch(json)).buildCall(null),
                V1Patch.PATCH_FORMAT_JSON_MERGE_PATCH,
                client);
    }

    /** Deletes pod {@code name}; {@code false} when it was already gone. */
    boolean delete(String name) throws ApiException {
        try {
            api.deleteNamespacedPod(name, namespace).execute();
            return true;
        } catch (ApiException e) {
            if (e.getCode() == 404) {
                return false;
            }
            throw e;
        }
    }

    ApiClient watchClient() {
        return watchClient;
    }

    okhttp3.Call watchCall(String resourceVersion, int timeoutSeconds) throws ApiException {
        return watchApi.listNamespacedPod(namespace)
                .labelSelector(selector)
                .watch(true)
                .resourceVersion(resourceVersion)
                .timeoutSeconds(timeoutSeconds)
                .buildCall(null);
    }

    /** Kubernetes label values: at most 63 characters, alphanumeric at both ends, '-', '_', '.' inside. */
    private static final Pattern LABEL_VALUE = Pattern.compile("([A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?)?");

    private static String requireLabelValue(String value, String property) {
        if (value == null || !LABEL_VALUE.matcher(value).matches()) {
            throw new IllegalStateException(property + " '" + value + "' cannot be a Kubernetes label value, which "
                    + "Kubernetes hosting puts on the silo pods: use at most 63 letters, digits, '-', '_' or '.', "
                    + "starting and ending with a letter or digit");
        }
        return value;
    }

    private static String quote(String text) {
        return '"' + text.replace("\\", "\\\\").replace("\"", "\\\"") + '"';
    }

    /**
     * A client like {@code source} (same server, TLS, interceptors, token) with another read
     * timeout, leaving the shared client as it is.
     */
    private static ApiClient withReadTimeout(ApiClient source, Duration readTimeout) {
        ApiClient copy = new ApiClient(
                source.getHttpClient().newBuilder().readTimeout(readTimeout).build());
        copy.setBasePath(source.getBasePath());
        copy.setJSON(source.getJSON());
        for (Map.Entry<String, Authentication> auth :
                source.getAuthentications().entrySet()) {
            if (auth.getValue() instanceof ApiKeyAuth key
                    && copy.getAuthentication(auth.getKey()) instanceof ApiKeyAuth target) {
                target.setApiKey(key.getApiKey());
                target.setApiKeyPrefix(key.getApiKeyPrefix());
            }
        }
        return copy;
    }
}
