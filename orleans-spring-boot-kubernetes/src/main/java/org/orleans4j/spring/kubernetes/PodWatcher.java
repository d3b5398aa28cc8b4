package org.orleans4j.spring.kubernetes;

import com.google.gson.reflect.TypeToken;
import io.kubernetes.client.openapi.ApiException;
import io.kubernetes.client.openapi.models.V1Pod;
import io.kubernetes.client.openapi.models.V1PodList;
import io.kubernetes.client.util.Watch;
import java.io.IOException;
import java.lang.reflect.Type;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.orleans4j.internal.ExponentialBackoff;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Lists the service's pods, then watches them from the list's resourceVersion, on a thread of its
 * own until stopped. When a watch ends (the API server's timeout, a dropped connection) or answers
 * 410 Gone, it lists again and resumes from the new list's resourceVersion, so no deletion falls into
 * a gap. Failed calls are retried after an {@link ExponentialBackoff}, never in a tight loop.
 */
final class PodWatcher {

    /** What the watcher reports; called on its thread. */
    interface Events {
        /** A fresh list of the pods. */
        void listed(List<V1Pod> pods);

        void added(V1Pod pod);

        void deleted(V1Pod pod);
    }

    private static final Logger log = LoggerFactory.getLogger(PodWatcher.class);
    private static final Type EVENT_TYPE = new TypeToken<Watch.Response<V1Pod>>() {}.getType();
    private static final int GONE = 410;

    private final PodsApi api;
    private final Duration watchTimeout;
    private final ExponentialBackoff backoff;
    /** Failures since the last watch that opened; watch thread only. */
    private int failures;

    private final KubernetesAgentStatus status;
    private final Events events;
    private final CountDownLatch stopped = new CountDownLatch(1);
    private final Thread thread;
    private volatile Watch<V1Pod> current;

    PodWatcher(
            PodsApi api,
            Duration watchTimeout,
            ExponentialBackoff backoff,
            KubernetesAgentStatus status,
            Events events) {
        this.api = api;
        this.watchTimeout = watchTimeout;
        this.backoff = backoff;
        this.status = status;
        this.events = events;
        this.thread = new Thread(this::run, "orleans-kubernetes-pod-watch");
        this.thread.setDaemon(true);
    }

    void start() {
        thread.start();
    }

    /** Ends the current watch and the thread; returns once the thread has finished (bounded). */
    void stop() {
        stopped.countDown();
        closeCurrent();
        try {
            thread.join(TimeUnit.SECONDS.toMillis(5));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private boolean isStopped() {
        return stopped.getCount() == 0;
    }

    private void run() {
        while (!isStopped()) {
            String verb = "list";
            try {
                V1PodList list = api.list();
                events.listed(list.getItems());
                verb = "watch";
                long started = System.nanoTime();
                watch(list.getMetadata() == null ? null : list.getMetadata().getResourceVersion());
                if (Duration.ofNanos(System.nanoTime() - started).compareTo(Duration.ofSeconds(1)) < 0) {
                    // A watch that ends at once every time must not turn into a list loop.
                    pause(backoff.delay(++failures));
                }
            } catch (ApiException | IOException | RuntimeException e) {
                if (isStopped()) {
                    return;
                }
                KubernetesApiFailure failure = KubernetesApiFailure.of(verb, api.namespace(), e);
                status.failed(failure);
                Duration wait = backoff.delay(++failures);
                log.warn("{} Retrying in {} ms.", failure.message(), wait.toMillis());
                pause(wait);
            }
        }
    }

    /** Watches from {@code resourceVersion} until the stream ends, 410 Gone, or stop. */
    private void watch(String resourceVersion) throws ApiException, IOException {
        try (Watch<V1Pod> watch = Watch.createWatch(
                api.watchClient(), api.watchCall(resourceVersion, (int) watchTimeout.toSeconds()), EVENT_TYPE)) {
            current = watch;
            if (isStopped()) {
                return;
            }
            status.succeeded();
            failures = 0;
            for (Watch.Response<V1Pod> event : watch) {
                switch (event.type) {
                    case "ADDED" -> events.added(event.object);
                    case "DELETED" -> events.deleted(event.object);
                    case "ERROR" -> {
                        int code = event.status == null || event.status.getCode() == null ? 0 : event.status.getCode();
                        if (code == GONE) {
                            log.info("The pod watch resumed from a resourceVersion the API server no longer has "
                                    + "(410 Gone); listing the pods again");
                            return;
                        }
                        throw new ApiException(
                                code,
                                "watch error: " + (event.status == null ? "no status" : event.status.getMessage()));
                    }
                    default -> {
                        // MODIFIED (a pod Terminating is still a pod) and BOOKMARK change nothing here.
                    }
                }
            }
        } catch (ApiException e) {
            if (e.getCode() == GONE) {
                log.info("The pod watch was refused with 410 Gone; listing the pods again");
                return;
            }
            throw e;
        } catch (RuntimeException e) {
            // Closing the watch to stop it surfaces as an I/O failure inside the iteration.
            if (isStopped()) {
                return;
            }
            throw e;
        } finally {
            current = null;
        }
    }

    private void pause(Duration wait) {
        try {
            stopped.await(wait.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            stopped.countDown();
        }
    }

    private void closeCurrent() {
        Watch<V1Pod> watch = current;
        if (watch != null) {
            try {
                watch.close();
            } catch (IOException | RuntimeException e) {
                log.debug("Closing the pod watch failed: {}", e.toString());
            }
        }
    }
}
