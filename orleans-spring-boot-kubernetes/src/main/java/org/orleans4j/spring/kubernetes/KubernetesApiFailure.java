package org.orleans4j.spring.kubernetes;

import io.kubernetes.client.openapi.ApiException;
import java.util.List;

/**
 * What went wrong in a call to the Kubernetes API, or with what it answered, said so that an
 * operator can act on it: a 403 names the RBAC rule the silo's Role lacks, a pod without its labels
 * names the labels.
 *
 * @param verb the Kubernetes verb on pods that failed (get, list, watch, patch, delete)
 * @param code the HTTP status, 0 when none applies (the API could not be reached, or it answered
 *        but the silo's pod lacks its labels)
 * @param message what to tell the operator
 * @param missingPermission the missing RBAC rule on a 403 ({@code pods/list}), else {@code null}
 * @param missingLabels the labels ({@code key=value}) the silo's own pod lacks while
 *        {@code orleans.kubernetes.label-pod} is false, else empty
 */
public record KubernetesApiFailure(
        String verb, int code, String message, String missingPermission, List<String> missingLabels) {

    public KubernetesApiFailure {
        missingLabels = missingLabels == null ? List.of() : List.copyOf(missingLabels);
    }

    static KubernetesApiFailure of(String verb, String namespace, Throwable failure) {
        Throwable cause = unwrap(failure);
        if (cause instanceof PodLabelsMissingException missing) {
            return new KubernetesApiFailure(verb, 0, missing.getMessage(), null, missing.missing());
        }
        if (cause instanceof ApiException api && api.getCode() == 403) {
            return new KubernetesApiFailure(
                    verb,
                    403,
                    "The Kubernetes API refused to " + verb + " pods in namespace '"
                            + namespace + "' (403 Forbidden). Are you missing RBAC permission to " + verb
                            + " pods? The silo's "
                            + "Role needs a rule with apiGroups [\"\"], resources [pods] and the verb " + verb
                            + ", bound to "
                            + "the pod's service account (the agent uses get, list and watch; patch unless "
                            + "orleans.kubernetes.label-pod is false; delete with orleans.kubernetes.delete-defunct-silo-pods)",
                    "pods/" + verb,
                    null);
        }
        if (cause instanceof ApiException api && api.getCode() == 401) {
            return new KubernetesApiFailure(
                    verb,
                    401,
                    "The Kubernetes API did not accept the silo's credentials "
                            + "(401 Unauthorized) to " + verb + " pods: is the service account token mounted "
                            + "(automountServiceAccountToken: true)?",
                    null,
                    null);
        }
        if (cause instanceof ApiException api && api.getCode() > 0) {
            return new KubernetesApiFailure(
                    verb,
                    api.getCode(),
                    "The Kubernetes API answered " + api.getCode() + " to " + verb + " pods in namespace '" + namespace
                            + "': " + bodyOrMessage(api),
                    null,
                    null);
        }
        return new KubernetesApiFailure(
                verb, 0, "Cannot reach the Kubernetes API to " + verb + " pods: " + cause, null, null);
    }

    private static String bodyOrMessage(ApiException e) {
        String body = e.getResponseBody();
        if (body == null || body.isBlank()) {
            return String.valueOf(e.getMessage());
        }
        return body.length() > 500 ? body.substring(0, 500) + "..." : body;
    }

    private static Throwable unwrap(Throwable failure) {
        Throwable t = failure;
        while ((t instanceof java.util.concurrent.CompletionException || t instanceof java.io.UncheckedIOException)
                && t.getCause() != null) {
            t = t.getCause();
        }
        return t;
    }
}
