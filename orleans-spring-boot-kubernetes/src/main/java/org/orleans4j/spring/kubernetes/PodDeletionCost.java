package org.orleans4j.spring.kubernetes;

import io.kubernetes.client.openapi.ApiException;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.IntSupplier;
import org.orleans4j.internal.DaemonThreads;
import org.orleans4j.runtime.SiloLifecycle;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the {@code controller.kubernetes.io/pod-deletion-cost} annotation of this silo's pod at the
 * number of grains it hosts, so that when a ReplicaSet shrinks (a scale-down, or the old ReplicaSet
 * of a rolling update) Kubernetes removes the emptiest silo first and the fewest grains move. The
 * annotation is patched only when the count changed, at most once a period (Kubernetes advises
 * against frequent updates). A failed patch (a Role without {@code patch} on pods, say) is logged and
 * retried at the next period; the silo serves on.
 */
final class PodDeletionCost {

    private static final Logger log = LoggerFactory.getLogger(PodDeletionCost.class);
    static final String ANNOTATION = "controller.kubernetes.io/pod-deletion-cost";

    private final PodsApi pods;
    private final String podName;
    private final IntSupplier activations;
    private final Duration period;
    private ScheduledExecutorService timer;
    /** Serializes updates: the timer's, and one called directly, must not both write the same count. */
    private final Object updating = new Object();
    /** The cost last written; -1 before the first; guarded by {@link #updating}. */
    private long written = -1;

    private boolean failing;

    PodDeletionCost(PodsApi pods, String podName, IntSupplier activations, Duration period) {
        this.pods = pods;
        this.podName = podName;
        this.activations = activations;
        this.period = period;
    }

    /** Updates the annotation while the silo is active: from {@link SiloLifecycle#APPLICATION_SERVICES} on. */
    void subscribeTo(SiloLifecycle lifecycle) {
        lifecycle.subscribe("pod-deletion-cost", SiloLifecycle.APPLICATION_SERVICES, new SiloLifecycle.Participant() {
            @Override
            public void start() {
                PodDeletionCost.this.start();
            }

            @Override
            public void stop(SiloLifecycle.ShutdownBudget budget) {
                PodDeletionCost.this.stop();
            }
        });
    }

    synchronized void start() {
        if (timer == null) {
            timer = Executors.newSingleThreadScheduledExecutor(DaemonThreads.named("orleans-pod-deletion-cost"));
            timer.scheduleWithFixedDelay(this::update, 0, period.toMillis(), TimeUnit.MILLISECONDS);
        }
    }

    synchronized void stop() {
        if (timer != null) {
            timer.shutdownNow();
            timer = null;
        }
    }

    /** Writes the current count when it changed since the last write. */
    void update() {
        synchronized (updating) {
            updateNow();
        }
    }

    private void updateNow() {
        long cost = Math.max(0, activations.getAsInt());
        if (cost == written) {
            return;
        }
        try {
            pods.annotate(podName, ANNOTATION, Long.toString(cost));
            written = cost;
            if (failing) {
                failing = false;
                log.info("Pod {} deletion cost is updated again ({})", podName, cost);
            }
        } catch (ApiException e) {
            if (!failing) {
                failing = true;
                log.warn(
                        "Could not set the deletion cost of pod {}: {} (orleans.kubernetes.pod-deletion-cost-period=0 "
                                + "turns it off); retrying every {}",
                        podName,
                        KubernetesApiFailure.of("patch", pods.namespace(), e).message(),
                        period);
            }
        } catch (RuntimeException e) {
            log.warn("Could not set the deletion cost of pod {}: {}", podName, e.toString());
        }
    }
}
