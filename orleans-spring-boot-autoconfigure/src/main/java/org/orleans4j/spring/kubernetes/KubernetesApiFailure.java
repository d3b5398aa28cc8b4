package org.orleans4j.spring.kubernetes;

import io.kubernetes.client.openapi.ApiException;

/**
 * What went wrong in a call to the Kubernetes API, said so that an operator can act on it: a 403
 * names the RBAC rule the silo's Role lacks.
 *
 * @param verb the Kubernetes verb on pods that failed (get, list, watch, patch, delete)
 * @param code the HTTP status, 0 when the API could not be reached
 * @param message what to tell the operator
 * @param missingPermission the missing RBAC rule on a 403 ({@code pods/list}), else {@code null}
 */
public record KubernetesApiFailure(String verb, int code, String message, String missingPermission) {

    static KubernetesApiFailure of(String verb, String namespace, Throwable failure) {
        Throwable cause = unwrap(failure);
        if (cause instanceof ApiException api && api.getCode() == 403) {
            return new KubernetesApiFailure(verb, 403, "The Kubernetes API refused to " + verb + " pods in namespace '"
                    + namespace + "' (403 Forbidden). Are you missing RBAC permission to " + verb + " pods? The silo's "
                    + "Role needs a rule with apiGroups [\"\"], resources [pods], verbs [get, list, watch, patch"
                    + ("delete".equals(verb) ? ", delete" : "") + "], bound to the pod's service account",
                    "pods/" + verb);
        }
        if (cause instanceof ApiException api && api.getCode() == 401) {
            return new KubernetesApiFailure(verb, 401, "The Kubernetes API did not accept the silo's credentials "
                    + "(401 Unauthorized) to " + verb + " pods: is the service account token mounted "
                    + "(automountServiceAccountToken: true)?", null);
        }
        if (cause instanceof ApiException api && api.getCode() > 0) {
            return new KubernetesApiFailure(verb, api.getCode(), "The Kubernetes API answered " + api.getCode()
                    + " to " + verb + " pods in namespace '" + namespace + "': " + bodyOrMessage(api), null);
        }
        return new KubernetesApiFailure(verb, 0, "Cannot reach the Kubernetes API to " + verb + " pods: " + cause,
                null);
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
