package org.orleans4j.spring.kubernetes.testing;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import io.fabric8.mockwebserver.dsl.HttpMethod;
import io.fabric8.mockwebserver.http.MockResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Set;
import tools.jackson.databind.node.ObjectNode;

/**
 * Routes each HTTP request: pod requests are counted and checked against the forbidden verbs;
 * pod lists and watches are served here (with the fixture's label selector, and watches as
 * streams); everything else goes to fabric8's CRUD store as is.
 */
final class ApiHandler implements HttpHandler {

    private static final Set<String> STORE_METHODS = Set.of("GET", "POST", "PUT", "PATCH", "DELETE");

    private final RecordingCrudDispatcher store;
    private final EventHistory history;
    private final OpenWatches openWatches;
    private final RequestLog requestLog;
    private final ForbiddenVerbs forbiddenVerbs;

    ApiHandler(
            RecordingCrudDispatcher store,
            EventHistory history,
            OpenWatches openWatches,
            RequestLog requestLog,
            ForbiddenVerbs forbiddenVerbs) {
        this.store = store;
        this.history = history;
        this.openWatches = openWatches;
        this.requestLog = requestLog;
        this.forbiddenVerbs = forbiddenVerbs;
    }

    @Override
    public void handle(HttpExchange exchange) throws IOException {
        try {
            ApiRequest request = ApiRequest.of(exchange.getRequestMethod(), exchange.getRequestURI());
            byte[] body = exchange.getRequestBody().readAllBytes();
            if (request.pods()) {
                servePods(exchange, request, body);
            } else if ("true".equals(request.parameter("watch"))) {
                respond(exchange, 405, KubernetesStatus.methodNotAllowed("this test API watches pods only"));
            } else {
                forward(exchange, request, body);
            }
        } catch (RuntimeException e) {
            // A bug in the fixture or the store: show it to the client rather than hanging it.
            if (exchange.getResponseCode() == -1) {
                respond(exchange, 500, KubernetesStatus.internalError(String.valueOf(e)));
            }
            throw e;
        } finally {
            exchange.close();
        }
    }

    private void servePods(HttpExchange exchange, ApiRequest request, byte[] body) throws IOException {
        requestLog.record(request.verb());
        if (forbiddenVerbs.forbids(request.verb())) {
            respond(exchange, 403, KubernetesStatus.forbidden(request));
            return;
        }
        switch (request.verb()) {
            case "list" -> list(exchange, request);
            case "watch" -> watch(exchange, request);
            case "create", "update" -> forward(exchange, request, withTypeMeta(body));
            default -> forward(exchange, request, body);
        }
    }

    /**
     * The API server takes a pod body's missing {@code apiVersion} and {@code kind} from the URL;
     * the store rejects such a body with 422, so they are filled in here.
     */
    private static byte[] withTypeMeta(byte[] body) {
        ObjectNode pod;
        try {
            pod = Json.object(new String(body, StandardCharsets.UTF_8));
        } catch (RuntimeException notAnObject) {
            return body; // the store answers malformed bodies itself
        }
        if (!pod.hasNonNull("apiVersion")) {
            pod.put("apiVersion", "v1");
        }
        if (!pod.hasNonNull("kind")) {
            pod.put("kind", "Pod");
        }
        return Json.write(pod).getBytes(StandardCharsets.UTF_8);
    }

    private void list(HttpExchange exchange, ApiRequest request) throws IOException {
        LabelSelector selector;
        try {
            selector = LabelSelector.parse(request.parameter("labelSelector"));
        } catch (IllegalArgumentException e) {
            respond(exchange, 400, KubernetesStatus.badRequest(e.getMessage()));
            return;
        }
        // The store lists by namespace (and field selector); the label selector is applied here.
        MockResponse response = store.call(HttpMethod.GET, request.pathAndQueryWithout("labelSelector"), null, null);
        if (response.code() != 200) {
            respond(exchange, response);
            return;
        }
        respond(
                exchange,
                200,
                PodList.parse(RecordingCrudDispatcher.bodyOf(response))
                        .select(selector)
                        .toJson());
    }

    private void watch(HttpExchange exchange, ApiRequest request) throws IOException {
        LabelSelector selector;
        Long fromResourceVersion;
        Duration timeout;
        try {
            selector = LabelSelector.parse(request.parameter("labelSelector"));
            fromResourceVersion = resourceVersion(request.parameter("resourceVersion"));
            String timeoutSeconds = request.parameter("timeoutSeconds");
            timeout = timeoutSeconds == null ? null : Duration.ofSeconds(Long.parseLong(timeoutSeconds));
        } catch (IllegalArgumentException e) {
            respond(exchange, 400, KubernetesStatus.badRequest(e.getMessage()));
            return;
        }
        new WatchStream(store, history, openWatches, request.namespace(), selector, fromResourceVersion, timeout)
                .serve(exchange);
    }

    /** Null for "the current state": no resourceVersion, or "0" ("any version", which the API server serves as now). */
    private static Long resourceVersion(String resourceVersion) {
        if (resourceVersion == null || resourceVersion.isEmpty() || resourceVersion.equals("0")) {
            return null;
        }
        return Long.parseLong(resourceVersion);
    }

    private void forward(HttpExchange exchange, ApiRequest request, byte[] body) throws IOException {
        if (!STORE_METHODS.contains(request.method())) {
            respond(exchange, 405, KubernetesStatus.methodNotAllowed(request.method() + " is not supported"));
            return;
        }
        MockResponse response = store.call(
                HttpMethod.valueOf(request.method()),
                request.pathAndQuery(),
                exchange.getRequestHeaders().getFirst("Content-Type"),
                new String(body, StandardCharsets.UTF_8));
        if (request.method().equals("PATCH") && response.code() == 202) {
            // The store answers a patch with 202 Accepted; the API server with 200 OK.
            response.setResponseCode(200);
        }
        if (request.pods() && request.name() != null && response.code() == 404) {
            // The store answers 404 without a body; clients may read the API server's Status.
            respond(exchange, 404, KubernetesStatus.notFound(request.name()));
            return;
        }
        respond(exchange, response);
    }

    private static void respond(HttpExchange exchange, MockResponse response) throws IOException {
        response.getHeaders()
                .toMultimap()
                .forEach((name, values) -> exchange.getResponseHeaders().put(name, values));
        respond(exchange, response.code(), RecordingCrudDispatcher.bodyOf(response));
    }

    private static void respond(HttpExchange exchange, int code, String json) throws IOException {
        byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
        if (bytes.length == 0) {
            exchange.sendResponseHeaders(code, -1);
            return;
        }
        if (!exchange.getResponseHeaders().containsKey("Content-Type")) {
            exchange.getResponseHeaders().set("Content-Type", "application/json");
        }
        exchange.sendResponseHeaders(code, bytes.length);
        exchange.getResponseBody().write(bytes);
    }
}
