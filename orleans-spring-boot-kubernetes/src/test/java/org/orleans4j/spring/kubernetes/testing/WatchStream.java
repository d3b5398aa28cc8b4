package org.orleans4j.spring.kubernetes.testing;

import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * Serves one pod watch the way the API server does over HTTP/1.1: status 200, then one JSON watch
 * event per line in a chunked body that stays open until the watch ends.
 *
 * <p>Without a resourceVersion (or with "0") the watch starts with the current pods as ADDED, then
 * streams changes. From resourceVersion N it replays the retained changes after N, then streams;
 * if changes after N were compacted away it sends one ERROR event with a 410 Expired status and
 * ends, and the client has to list again.
 *
 * @param namespace the watched namespace, null for all namespaces
 * @param fromResourceVersion where to resume, null to start from the current state
 * @param timeout when the server ends the watch ({@code timeoutSeconds}), null for never
 */
record WatchStream(
        RecordingCrudDispatcher store,
        EventHistory history,
        OpenWatches openWatches,
        String namespace,
        LabelSelector selector,
        Long fromResourceVersion,
        Duration timeout) {

    private static final Duration NO_TIMEOUT = Duration.ofDays(365);

    void serve(HttpExchange exchange) throws IOException {
        long startedIn = history.generation();
        long deadline = System.nanoTime() + (timeout == null ? NO_TIMEOUT : timeout).toNanos();
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(200, 0);
        OutputStream body = exchange.getResponseBody();
        boolean established = false;
        try (body) {
            // Headers go out now: Watch.createWatch returns only once it has them, and the first
            // event may be a long way off.
            body.flush();
            long cursor = start(body);
            if (cursor < 0) {
                return;
            }
            // Counted from here: every change after this point reaches the client.
            openWatches.opened();
            established = true;
            follow(body, cursor, startedIn, deadline);
        } catch (IOException clientGone) {
            // The client closed the watch (or the API is stopping): nothing left to serve.
        } catch (InterruptedException stopping) {
            Thread.currentThread().interrupt();
        } finally {
            if (established) {
                openWatches.closed();
            }
        }
    }

    /**
     * Sends what precedes the live changes and returns the resourceVersion they follow, or -1 when
     * the requested version is too old (the stream then ends after the ERROR event).
     */
    private long start(OutputStream body) throws IOException {
        if (fromResourceVersion == null) {
            PodList current = store.listPods(namespace).select(selector);
            for (var pod : current.items()) {
                write(body, PodEvent.watchLine("ADDED", Json.write(pod)));
            }
            body.flush();
            return current.resourceVersion();
        }
        if (history.tooOld(fromResourceVersion)) {
            write(body, KubernetesStatus.expiredWatchLine(fromResourceVersion, history.oldestWatchable()));
            return -1;
        }
        return fromResourceVersion;
    }

    /** Streams the changes after {@code cursor} until the watch ends. */
    private void follow(OutputStream body, long cursor, long startedIn, long deadline)
            throws IOException, InterruptedException {
        while (true) {
            EventHistory.Batch batch = history.after(cursor, startedIn, deadline);
            switch (batch.outcome()) {
                case END -> {
                    return;
                }
                case EXPIRED -> {
                    write(body, KubernetesStatus.expiredWatchLine(cursor, history.oldestWatchable()));
                    return;
                }
                case EVENTS -> {
                    for (PodEvent event : batch.events()) {
                        String type = event.typeFor(namespace, selector);
                        if (type != null) {
                            write(body, event.line(type));
                        }
                        cursor = event.resourceVersion();
                    }
                    body.flush();
                }
            }
        }
    }

    private static void write(OutputStream body, String line) throws IOException {
        body.write(line.getBytes(StandardCharsets.UTF_8));
    }
}
