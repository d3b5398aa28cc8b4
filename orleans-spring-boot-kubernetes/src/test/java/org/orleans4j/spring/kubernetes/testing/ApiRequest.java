package org.orleans4j.spring.kubernetes.testing;

import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A request as the API server's authorizer sees it: whether it addresses pods, in which namespace,
 * which pod, and the RBAC verb (GET of a collection is {@code list}, or {@code watch} with
 * {@code watch=true}; GET of one pod is {@code get}; and so on).
 *
 * @param method the HTTP method
 * @param rawPath the path as sent, still percent-encoded
 * @param rawParameters the query's {@code name=value} parts as sent, still percent-encoded
 * @param pods whether the path is a pod collection or a pod
 * @param namespace the namespace in the path; null for a cluster-wide request
 * @param name the pod's name; null for a collection
 * @param verb the RBAC verb for a pod request, null otherwise
 */
record ApiRequest(
        String method,
        String rawPath,
        List<String> rawParameters,
        boolean pods,
        String namespace,
        String name,
        String verb) {

    static final Set<String> VERBS =
            Set.of("get", "list", "watch", "create", "update", "patch", "delete", "deletecollection");

    private static final Pattern POD_PATH =
            Pattern.compile("/api/v1(?:/namespaces/([^/]+))?/pods(?:/([^/]+)(?:/[^/]+)?)?/?");

    static ApiRequest of(String method, URI uri) {
        String rawPath = uri.getRawPath();
        List<String> rawParameters = new ArrayList<>();
        if (uri.getRawQuery() != null && !uri.getRawQuery().isEmpty()) {
            rawParameters.addAll(List.of(uri.getRawQuery().split("&")));
        }
        Matcher pods = POD_PATH.matcher(rawPath);
        if (!pods.matches()) {
            return new ApiRequest(method, rawPath, rawParameters, false, null, null, null);
        }
        String namespace = decode(pods.group(1));
        String name = decode(pods.group(2));
        boolean watch = "true".equals(parameters(rawParameters).get("watch"));
        return new ApiRequest(method, rawPath, rawParameters, true, namespace, name, verb(method, name, watch));
    }

    private static String verb(String method, String name, boolean watch) {
        return switch (method) {
            case "GET" -> name != null ? "get" : watch ? "watch" : "list";
            case "POST" -> "create";
            case "PUT" -> "update";
            case "PATCH" -> "patch";
            case "DELETE" -> name != null ? "delete" : "deletecollection";
            default -> method.toLowerCase(Locale.ROOT);
        };
    }

    /** A decoded query parameter, or null. */
    String parameter(String parameterName) {
        return parameters(rawParameters).get(parameterName);
    }

    /** The path and query to hand the CRUD store, without the given (decoded) parameter names. */
    String pathAndQueryWithout(String... excluded) {
        Set<String> names = Set.of(excluded);
        List<String> kept = rawParameters.stream()
                .filter(parameter -> !names.contains(decode(parameter.split("=", 2)[0])))
                .toList();
        return kept.isEmpty() ? rawPath : rawPath + "?" + String.join("&", kept);
    }

    String pathAndQuery() {
        return pathAndQueryWithout();
    }

    private static Map<String, String> parameters(List<String> rawParameters) {
        Map<String, String> parameters = new LinkedHashMap<>();
        for (String parameter : rawParameters) {
            String[] nameAndValue = parameter.split("=", 2);
            parameters.putIfAbsent(decode(nameAndValue[0]), nameAndValue.length == 2 ? decode(nameAndValue[1]) : "");
        }
        return parameters;
    }

    private static String decode(String raw) {
        return raw == null ? null : URLDecoder.decode(raw, StandardCharsets.UTF_8);
    }
}
