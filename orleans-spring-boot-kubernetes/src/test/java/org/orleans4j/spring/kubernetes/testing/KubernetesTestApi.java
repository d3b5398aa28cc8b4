package org.orleans4j.spring.kubernetes.testing;

import com.sun.net.httpserver.HttpServer;
import io.fabric8.mockwebserver.dsl.HttpMethod;
import io.fabric8.mockwebserver.http.MockResponse;
import io.kubernetes.client.openapi.ApiClient;
import io.kubernetes.client.openapi.JSON;
import io.kubernetes.client.openapi.models.V1ObjectMeta;
import io.kubernetes.client.openapi.models.V1Pod;
import io.kubernetes.client.openapi.models.V1PodStatus;
import io.kubernetes.client.util.ClientBuilder;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import tools.jackson.databind.node.ObjectNode;

/**
 * A Kubernetes API for tests, over real HTTP on 127.0.0.1, that the official Kubernetes Java
 * client can list, get, create, patch, replace, delete and <em>watch</em> pods on.
 *
 * <p><b>Design.</b> Objects live in fabric8's {@code KubernetesCrudDispatcher} (from
 * kubernetes-server-mock), which already implements create, get, list, JSON and merge patch,
 * replace and delete with a global resourceVersion. Its own server cannot serve the official
 * client's watch: it watches over WebSocket only (a {@code watch=true} GET gets 400), and its
 * Vert.x request handler writes every response as one complete body, so a long-lived chunked
 * stream cannot be built on it. Rather than run that server and put a proxy in front of it, the
 * fixture serves HTTP itself with the JDK's {@link HttpServer} and calls the CRUD dispatcher
 * in-process: one server, no proxy hop, and the dispatcher stays fabric8's (extended, not copied).
 * The extension ({@link RecordingCrudDispatcher}) records every pod change under the store's write
 * lock; {@link WatchStream} replays and streams those changes as chunked JSON lines. Pod lists and
 * watches are filtered with this fixture's {@link LabelSelector}, because the store ignores
 * set-based selectors.
 *
 * <p><b>Kubernetes behaviour emulated.</b> Every write bumps the global resourceVersion (a deletion
 * too); a list carries the current one; a watch from it continues exactly after the list. Merge
 * patch follows RFC 7386. {@link #compactHistory()} makes older resourceVersions "too old" (410
 * Gone as a watch ERROR event). {@link #markTerminating} leaves a pod listed with a
 * {@code deletionTimestamp}, as a pod looks during its grace period. Where the store differs from
 * the API server in ways a client notices, the fixture corrects it: PATCH answers 200 (not 202), a
 * missing pod is a 404 {@code Status}, a pod body may leave out {@code apiVersion} and
 * {@code kind}, and resourceVersions start at 1 ("0" means "any" to a watch).
 *
 * <p><b>Limitations.</b> A DELETE through the API removes a pod at once (grace period 0; use
 * {@link #markTerminating} for the grace period). Terminating pods carry the finalizer
 * {@value #KUBELET_FINALIZER}, standing in for the kubelet that holds a real pod until its
 * containers stopped (the store deletes any pod with a deletionTimestamp and no finalizer).
 * Strategic merge patch gets 415. Field selectors work on lists only, as far as the store supports
 * them ({@code metadata.name}, {@code metadata.namespace}); watches ignore them and bookmarks.
 * Only pods are watched. The server notices a client that dropped its watch only when it next
 * writes to it, so {@link #openWatchCount()} may count such a watch until then.
 *
 * <pre>{@code
 * try (KubernetesTestApi api = KubernetesTestApi.start()) {
 *     api.createPod("ns", "silo-1", Map.of("orleans/serviceId", "svc"), "10.0.0.1");
 *     CoreV1Api core = new CoreV1Api(api.apiClient());
 *     V1PodList pods = core.listNamespacedPod("ns").labelSelector("orleans/serviceId=svc").execute();
 *     // ... start a watch from pods.getMetadata().getResourceVersion(), then:
 *     api.markTerminating("ns", "silo-1");   // MODIFIED, still listed
 *     api.deletePod("ns", "silo-1");         // DELETED
 * }
 * }</pre>
 */
public final class KubernetesTestApi implements AutoCloseable {

    /** The finalizer that keeps a terminating pod listed, as the kubelet does during the grace period. */
    public static final String KUBELET_FINALIZER = "testing.orleans4j.org/kubelet";

    private static final long GRACE_PERIOD_SECONDS = 30;
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(5);

    private final EventHistory history = new EventHistory();
    private final RecordingCrudDispatcher store = new RecordingCrudDispatcher(history);
    private final OpenWatches openWatches = new OpenWatches();
    private final RequestLog requestLog = new RequestLog();
    private final ForbiddenVerbs forbiddenVerbs = new ForbiddenVerbs();
    // Virtual threads: every open watch holds its handler thread for as long as it streams.
    private final ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
    private final HttpServer server;
    private final AtomicBoolean closed = new AtomicBoolean();

    private KubernetesTestApi() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", new ApiHandler(store, history, openWatches, requestLog, forbiddenVerbs));
        server.setExecutor(executor);
    }

    /** Starts an API on a free port of 127.0.0.1. */
    public static KubernetesTestApi start() {
        try {
            KubernetesTestApi api = new KubernetesTestApi();
            api.server.start();
            return api;
        } catch (IOException e) {
            throw new UncheckedIOException("could not start the Kubernetes test API", e);
        }
    }

    /** The API's base URL, e.g. {@code http://127.0.0.1:43127}. */
    public String url() {
        InetSocketAddress address = server.getAddress();
        return "http://" + address.getHostString() + ":" + address.getPort();
    }

    /**
     * A new official client for this API, without read timeout so a watch may stay quiet for as
     * long as a test needs (the API ends watches on close). Each call builds its own client (and
     * OkHttp connection pool), so two simulated silos do not share connections.
     */
    public ApiClient apiClient() {
        return new ClientBuilder()
                .setBasePath(url())
                .setReadTimeout(Duration.ZERO)
                .build();
    }

    /*
     * The pod helpers below are the test's (or the cluster's) hand, not a client's: they go to the
     * store directly, so they are neither counted nor forbidden.
     */

    /**
     * Creates a running pod as the scheduler and kubelet leave it: {@code apiVersion}, {@code kind},
     * uid, creationTimestamp and resourceVersion set, {@code status.phase} Running with the pod IP.
     */
    public V1Pod createPod(String namespace, String name, Map<String, String> labels, String podIp) {
        V1Pod pod = new V1Pod()
                .apiVersion("v1")
                .kind("Pod")
                .metadata(new V1ObjectMeta()
                        .name(name)
                        .namespace(namespace)
                        .labels(labels == null ? null : new LinkedHashMap<>(labels)))
                .status(new V1PodStatus().phase("Running").podIP(podIp));
        return expect(201, store.call(HttpMethod.POST, podsPath(namespace), "application/json", JSON.serialize(pod)));
    }

    /**
     * Starts the pod's graceful deletion as the API server does on a DELETE with a grace period:
     * sets {@code deletionTimestamp} (now plus 30 s) and {@code deletionGracePeriodSeconds}, plus
     * the {@value #KUBELET_FINALIZER} finalizer; watchers get MODIFIED, lists still show the pod, and
     * patches keep it terminating until {@link #deletePod}.
     */
    public V1Pod markTerminating(String namespace, String name) {
        V1Pod pod = requirePod(namespace, name);
        if (pod.getMetadata().getDeletionTimestamp() != null) {
            return pod; // already terminating: a second deletion does not extend the grace period
        }
        List<String> finalizers = new ArrayList<>(
                pod.getMetadata().getFinalizers() == null
                        ? List.of()
                        : pod.getMetadata().getFinalizers());
        finalizers.add(KUBELET_FINALIZER);
        ObjectNode patch = Json.MAPPER.createObjectNode();
        ObjectNode metadata = patch.putObject("metadata");
        metadata.put(
                "deletionTimestamp",
                Instant.now()
                        .plusSeconds(GRACE_PERIOD_SECONDS)
                        .truncatedTo(ChronoUnit.SECONDS)
                        .toString());
        metadata.put("deletionGracePeriodSeconds", GRACE_PERIOD_SECONDS);
        finalizers.forEach(metadata.putArray("finalizers")::add);
        return expect(
                202,
                store.call(
                        HttpMethod.PATCH, podPath(namespace, name), "application/merge-patch+json", Json.write(patch)));
    }

    /** Removes the pod (terminating or not) as the kubelet and API server finally do; watchers get DELETED. */
    public void deletePod(String namespace, String name) {
        V1Pod pod = requirePod(namespace, name);
        if (pod.getMetadata().getDeletionTimestamp() != null) {
            // Terminating: clearing the finalizers completes the deletion.
            expect(
                    202,
                    store.call(
                            HttpMethod.PATCH,
                            podPath(namespace, name),
                            "application/merge-patch+json",
                            "{\"metadata\":{\"finalizers\":null}}"));
        } else {
            expect(200, store.call(HttpMethod.DELETE, podPath(namespace, name), null, null));
        }
    }

    /**
     * Adds or replaces labels of the pod, as an operator's {@code kubectl label --overwrite} does;
     * watchers get MODIFIED. Other labels stay.
     */
    public V1Pod addLabels(String namespace, String name, Map<String, String> labels) {
        requirePod(namespace, name);
        ObjectNode patch = Json.MAPPER.createObjectNode();
        ObjectNode added = patch.putObject("metadata").putObject("labels");
        labels.forEach(added::put);
        return expect(
                202,
                store.call(
                        HttpMethod.PATCH, podPath(namespace, name), "application/merge-patch+json", Json.write(patch)));
    }

    /** The pod as stored now, or null when there is none. */
    public V1Pod pod(String namespace, String name) {
        MockResponse response = store.call(HttpMethod.GET, podPath(namespace, name), null, null);
        return response.code() == 404 ? null : expect(200, response);
    }

    /** The pod's labels (empty when it has none). */
    public Map<String, String> labels(String namespace, String name) {
        Map<String, String> labels = requirePod(namespace, name).getMetadata().getLabels();
        return labels == null ? Map.of() : labels;
    }

    /**
     * Compacts the watch history, as etcd compaction does on a busy cluster: the resourceVersion
     * moves on (other objects changed) and a watch from any earlier resourceVersion gets 410 Gone.
     * A fresh list returns a resourceVersion that can be watched from.
     */
    public void compactHistory() {
        history.compact(store.requestResourceVersion());
    }

    /**
     * Ends every open watch stream with a 410 Gone ERROR event, and compacts the history so that
     * resuming from an earlier resourceVersion gets 410 too: the client has to list again.
     */
    public void expireWatches() {
        history.expireWatches(store.requestResourceVersion());
    }

    /** Ends every open watch stream cleanly, as the API server does at a watch's timeout. */
    public void closeWatches() {
        history.endWatches();
    }

    /**
     * The number of established watch streams: those past their initial events, which every
     * further change reaches. Tests wait on it for a client's (re-)established watch.
     */
    public int openWatchCount() {
        return openWatches.count();
    }

    /**
     * Makes pod requests with this RBAC verb fail with 403 Forbidden and the API server's Status.
     *
     * @param verb get, list, watch, create, update, patch, delete or deletecollection
     */
    public void forbid(String verb) {
        forbiddenVerbs.forbid(verb);
    }

    public void allow(String verb) {
        forbiddenVerbs.allow(verb);
    }

    public void allowAll() {
        forbiddenVerbs.allowAll();
    }

    /** How many pod requests with this RBAC verb the API received (forbidden ones included). */
    public long requestCount(String verb) {
        return requestLog.count(verb);
    }

    /** Ends the watch streams, then stops the server and its threads. Closing again does nothing. */
    @Override
    public void close() {
        if (closed.getAndSet(true)) {
            return;
        }
        history.shutDown();
        try {
            // Lets the streams write their last chunk before the server drops the connections.
            openWatches.awaitNone(STOP_TIMEOUT);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        server.stop(0);
        executor.shutdownNow();
        try {
            executor.awaitTermination(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private V1Pod requirePod(String namespace, String name) {
        V1Pod pod = pod(namespace, name);
        if (pod == null) {
            throw new IllegalArgumentException("no pod " + namespace + "/" + name);
        }
        return pod;
    }

    private static V1Pod expect(int code, MockResponse response) {
        String body = RecordingCrudDispatcher.bodyOf(response);
        if (response.code() != code) {
            throw new IllegalStateException("store answered " + response.code() + " instead of " + code + ": " + body);
        }
        return body.isEmpty() ? null : JSON.deserialize(body, V1Pod.class);
    }

    private static String podsPath(String namespace) {
        return "/api/v1/namespaces/" + namespace + "/pods";
    }

    private static String podPath(String namespace, String name) {
        return podsPath(namespace) + "/" + name;
    }
}
