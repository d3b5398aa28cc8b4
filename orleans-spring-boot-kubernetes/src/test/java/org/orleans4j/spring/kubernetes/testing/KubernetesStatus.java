package org.orleans4j.spring.kubernetes.testing;

import tools.jackson.databind.node.ObjectNode;

/**
 * {@code Status} bodies shaped like the API server's, so the client's error handling sees what it
 * would see on a cluster (the official client puts the body in {@code ApiException#getResponseBody}).
 */
final class KubernetesStatus {

    /** The service account the fixture pretends the caller runs as, in the namespace it calls. */
    static final String SERVICE_ACCOUNT = "orleans";

    private KubernetesStatus() {}

    /** RBAC denial: {@code pods is forbidden: User "..." cannot list resource "pods" ...}. */
    static String forbidden(ApiRequest request) {
        String namespace = request.namespace();
        String user = "system:serviceaccount:" + (namespace == null ? "default" : namespace) + ":" + SERVICE_ACCOUNT;
        String subject = request.name() == null ? "pods" : "pods \"" + request.name() + "\"";
        String scope = namespace == null ? "at the cluster scope" : "in the namespace \"" + namespace + "\"";
        String message = subject + " is forbidden: User \"" + user + "\" cannot " + request.verb()
                + " resource \"pods\" in API group \"\" " + scope;
        ObjectNode status = failure(403, "Forbidden", message);
        ObjectNode details = status.putObject("details");
        if (request.name() != null) {
            details.put("name", request.name());
        }
        details.put("kind", "pods");
        return Json.write(status);
    }

    static String notFound(String podName) {
        ObjectNode status = failure(404, "NotFound", "pods \"" + podName + "\" not found");
        status.putObject("details").put("name", podName).put("kind", "pods");
        return Json.write(status);
    }

    static String badRequest(String message) {
        return Json.write(failure(400, "BadRequest", message));
    }

    static String methodNotAllowed(String message) {
        return Json.write(failure(405, "MethodNotAllowed", message));
    }

    static String internalError(String message) {
        return Json.write(failure(500, "InternalError", message));
    }

    /**
     * The watch event the API server sends (with HTTP 200) when a watch starts from a compacted
     * resourceVersion; the stream ends after it and the client must list again.
     */
    static String expiredWatchLine(long requested, long oldestWatchable) {
        String message = "too old resource version: " + requested + " (" + oldestWatchable + ")";
        return PodEvent.watchLine("ERROR", Json.write(failure(410, "Expired", message)));
    }

    private static ObjectNode failure(int code, String reason, String message) {
        ObjectNode status = Json.MAPPER.createObjectNode();
        status.put("kind", "Status");
        status.put("apiVersion", "v1");
        status.putObject("metadata");
        status.put("status", "Failure");
        status.put("message", message);
        status.put("reason", reason);
        status.put("code", code);
        return status;
    }
}
