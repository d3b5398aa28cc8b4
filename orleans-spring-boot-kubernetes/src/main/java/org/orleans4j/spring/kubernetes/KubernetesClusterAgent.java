package org.orleans4j.spring.kubernetes;

import io.kubernetes.client.openapi.ApiException;
import io.kubernetes.client.openapi.models.V1Pod;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.orleans4j.cluster.SiloAddress;
import org.orleans4j.cluster.SiloStatus;
import org.orleans4j.internal.DaemonThreads;
import org.orleans4j.internal.ExponentialBackoff;
import org.orleans4j.membership.ClusterMember;
import org.orleans4j.membership.ClusterMembershipService;
import org.orleans4j.membership.ClusterMembershipSnapshot;
import org.orleans4j.runtime.SiloLifecycle;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the membership table in line with the pods of this service and cluster. At start it labels
 * its own pod with the service id and cluster id (or, with {@code label-pod} off, checks that the pod
 * template did, and goes no further until it has), refreshes membership, lists the pods, and declares
 * Dead every Active silo that no pod runs. Then, while this silo is one of the first
 * {@code maxAgents} Active silos (the oldest), it watches the pods: a deleted pod's silo is declared
 * Dead, and, when enabled, the pods of Dead silos are deleted.
 * <p>
 * Unlike Orleans' agent it never declares Dead a silo whose pod still exists (even Terminating) or
 * that is ShuttingDown, matches a pod to the newest generation of its silo, scopes pods by both
 * ids, keeps watching across membership updates while chosen, resumes watches from a fresh list,
 * and backs off on failures (a missing RBAC rule is logged and shown in health; the silo serves on).
 * Decisions run on one thread of the agent's own; the blocking watch runs on the watcher's.
 * <p>
 * It starts and stops with its silo ({@link #subscribeTo}), at the stage of the services that run while the
 * silo is active: after the silo joined the cluster, and stopped before the silo leaves it.
 */
public final class KubernetesClusterAgent implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(KubernetesClusterAgent.class);

    private final PodsApi pods;
    private final ClusterMembershipService membership;
    private final String podName;
    private final KubernetesHostingProperties options;
    private final KubernetesAgentStatus status;
    private final ExponentialBackoff backoff;
    /** Failed attempts of the start so far; agent thread only. */
    private int startupFailures;

    private final ExecutorService thread;
    /** Pod names last seen by this silo's watch; touched on the agent thread only. */
    private final Set<String> knownPods = new HashSet<>();
    /** Pods this silo deleted, so a pod is deleted once; agent thread only. */
    private final Set<String> deletedPods = new HashSet<>();

    private final CountDownLatch stopSignal = new CountDownLatch(1);
    private PodWatcher watcher;
    private volatile boolean stopped;
    private volatile boolean running;

    KubernetesClusterAgent(
            PodsApi pods,
            ClusterMembershipService membership,
            String podName,
            KubernetesHostingProperties options,
            KubernetesAgentStatus status) {
        this.pods = pods;
        this.membership = membership;
        this.podName = podName;
        this.options = options;
        this.status = status;
        this.backoff = backoff(options);
        this.thread = Executors.newSingleThreadExecutor(DaemonThreads.named("orleans-kubernetes-agent"));
    }

    /**
     * Retries of failed Kubernetes API calls: the initial backoff, doubled per failure, capped, with up to a
     * quarter of it added at random so that silos that fail together do not retry together.
     */
    static ExponentialBackoff backoff(KubernetesHostingProperties options) {
        return new ExponentialBackoff(options.initialBackoff(), options.maxBackoff(), 0.25);
    }

    public KubernetesAgentStatus status() {
        return status;
    }

    /**
     * Starts and stops this agent with the silo of {@code lifecycle}, at
     * {@link SiloLifecycle#APPLICATION_SERVICES}; before the silo starts.
     */
    public void subscribeTo(SiloLifecycle lifecycle) {
        lifecycle.subscribe("kubernetes-agent", SiloLifecycle.APPLICATION_SERVICES, new SiloLifecycle.Participant() {
            @Override
            public void start() {
                KubernetesClusterAgent.this.start();
            }

            @Override
            public void stop(SiloLifecycle.ShutdownBudget budget) {
                KubernetesClusterAgent.this.stop();
            }
        });
    }

    /** Starts the agent's work in the background; the silo serves meanwhile, whatever the API answers. */
    public synchronized void start() {
        if (!running && !stopped) {
            running = true;
            thread.execute(this::startUp);
        }
    }

    public boolean isRunning() {
        return running;
    }

    private void startUp() {
        while (!stopped) {
            String verb = options.labelPod() ? "patch" : "get";
            try {
                if (options.labelPod()) {
                    pods.label(podName);
                } else {
                    // The pod template sets the labels (and the Role may lack patch): only check them.
                    PodLabelsMissingException.check(podName, pods.namespace(), pods.get(podName), pods.labels());
                }
                verb = null;
                membership.refresh().join();
                verb = "list";
                Set<String> listed = names(pods.list().getItems());
                verb = "get";
                declareDeadSilosWithoutPod(membership.currentSnapshot(), listed);
                status.succeeded();
                status.aligned();
                log.info(
                        "Kubernetes agent: pod {} {} {}; {} pods of this cluster in namespace {}",
                        podName,
                        options.labelPod() ? "labelled" : "carries the labels",
                        pods.selector(),
                        listed.size(),
                        pods.namespace());
                membership.subscribe(snapshot -> submit(() -> onMembership(snapshot)));
                onMembership(membership.currentSnapshot());
                return;
            } catch (ApiException | RuntimeException e) {
                if (stopped) {
                    return;
                }
                Duration wait = backoff.delay(++startupFailures);
                if (verb == null) {
                    log.warn(
                            "Kubernetes agent could not read the membership table: {}. Retrying in {} ms.",
                            e.toString(),
                            wait.toMillis());
                } else {
                    KubernetesApiFailure failure = KubernetesApiFailure.of(verb, pods.namespace(), e);
                    status.failed(failure);
                    log.warn(
                            "Kubernetes agent could not start: {} Retrying in {} ms.",
                            failure.message(),
                            wait.toMillis());
                }
                if (!sleep(wait)) {
                    return;
                }
            }
        }
    }

    /** Re-chooses the watchers on every membership change: this silo watches while it is one of them. */
    private void onMembership(ClusterMembershipSnapshot snapshot) {
        if (stopped) {
            return;
        }
        boolean chosen = membership.localStatus() == SiloStatus.ACTIVE
                && SiloPodMatcher.watchers(snapshot, options.maxAgents()).contains(membership.localSilo());
        if (chosen && watcher == null) {
            log.info(
                    "Silo {} is one of the {} oldest Active silos: it watches the pods of {}",
                    membership.localSilo(),
                    options.maxAgents(),
                    pods.selector());
            watcher = new PodWatcher(pods, options.watchTimeout(), backoff, status, new WatchEvents());
            watcher.start();
            status.watching(true);
        } else if (!chosen && watcher != null) {
            log.info(
                    "Silo {} no longer watches the pods (other silos are older or it is leaving)",
                    membership.localSilo());
            stopWatching();
        }
        if (chosen) {
            deletePodsOfDeadSilos(snapshot);
        }
    }

    private void declareDeadSilosWithoutPod(ClusterMembershipSnapshot snapshot, Set<String> listed)
            throws ApiException {
        for (ClusterMember silo : SiloPodMatcher.activeSilosWithoutPod(snapshot, listed, membership.localSilo())) {
            boolean olderGeneration = silo.name() != null && listed.contains(silo.name());
            if (!olderGeneration && silo.name() != null) {
                // Not in the labelled list, but a pod of that name may exist without our labels yet.
                Optional<V1Pod> pod = pods.get(silo.name());
                if (pod.isPresent()) {
                    log.warn(
                            "Silo {} runs in pod {} which lacks the labels {}; not declaring it Dead",
                            silo.silo(),
                            silo.name(),
                            pods.selector());
                    continue;
                }
            }
            log.warn(
                    "Declaring silo {} ({}) Dead: {}",
                    silo.silo(),
                    silo.name(),
                    olderGeneration
                            ? "a newer silo runs in its pod"
                            : "no pod of that name exists in namespace " + pods.namespace());
            kill(silo.silo());
        }
    }

    private void deletePodsOfDeadSilos(ClusterMembershipSnapshot snapshot) {
        if (!options.deleteDefunctSiloPods()) {
            return;
        }
        for (String pod : SiloPodMatcher.podsOfDeadSilos(snapshot, knownPods)) {
            if (pod.equals(podName) || !deletedPods.add(pod)) {
                continue;
            }
            try {
                boolean deleted = pods.delete(pod);
                status.succeeded();
                log.info(
                        "Deleted pod {} of Dead silo {}{}",
                        pod,
                        SiloPodMatcher.siloOfPod(snapshot, pod)
                                .map(ClusterMember::silo)
                                .orElse(null),
                        deleted ? "" : " (it was already gone)");
            } catch (ApiException | RuntimeException e) {
                deletedPods.remove(pod);
                KubernetesApiFailure failure = KubernetesApiFailure.of("delete", pods.namespace(), e);
                status.failed(failure);
                log.warn("Could not delete pod {} of a Dead silo: {}", pod, failure.message());
            }
        }
    }

    private void kill(SiloAddress silo) {
        membership.tryKill(silo).whenComplete((found, failure) -> {
            if (failure != null) {
                log.warn("Declaring silo {} Dead failed; the next list or probe retries: {}", silo, failure.toString());
            }
        });
    }

    /** Watcher callbacks, moved onto the agent thread. */
    private final class WatchEvents implements PodWatcher.Events {
        @Override
        public void listed(List<V1Pod> listed) {
            submit(() -> {
                knownPods.clear();
                knownPods.addAll(names(listed));
                try {
                    declareDeadSilosWithoutPod(membership.currentSnapshot(), knownPods);
                } catch (ApiException | RuntimeException e) {
                    KubernetesApiFailure failure = KubernetesApiFailure.of("get", pods.namespace(), e);
                    status.failed(failure);
                    log.warn("Kubernetes agent could not check a silo without a labelled pod: {}", failure.message());
                }
                deletePodsOfDeadSilos(membership.currentSnapshot());
            });
        }

        @Override
        public void added(V1Pod pod) {
            submit(() -> knownPods.add(name(pod)));
        }

        @Override
        public void deleted(V1Pod pod) {
            submit(() -> {
                String name = name(pod);
                knownPods.remove(name);
                deletedPods.remove(name);
                SiloPodMatcher.siloOfPod(membership.currentSnapshot(), name)
                        .filter(silo -> silo.status() != SiloStatus.DEAD)
                        .ifPresent(silo -> {
                            log.warn("Pod {} was deleted: declaring its silo {} Dead", name, silo.silo());
                            kill(silo.silo());
                        });
            });
        }
    }

    private void submit(Runnable task) {
        if (stopped) {
            return;
        }
        try {
            thread.execute(() -> {
                try {
                    task.run();
                } catch (RuntimeException e) {
                    log.error("Kubernetes agent step failed", e);
                }
            });
        } catch (java.util.concurrent.RejectedExecutionException e) {
            // Stopping: the executor no longer takes work, and none is needed.
        }
    }

    private void stopWatching() {
        PodWatcher current = watcher;
        watcher = null;
        status.watching(false);
        if (current != null) {
            current.stop();
        }
    }

    /** Waits {@code wait} or until stopped; {@code false} when stopped. */
    private boolean sleep(Duration wait) {
        try {
            return !stopSignal.await(wait.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private static Set<String> names(List<V1Pod> list) {
        Set<String> names = new HashSet<>();
        for (V1Pod pod : list) {
            String name = name(pod);
            if (name != null) {
                names.add(name);
            }
        }
        return names;
    }

    private static String name(V1Pod pod) {
        return pod.getMetadata() == null ? null : pod.getMetadata().getName();
    }

    /** Stops watching and the agent's thread; runs before the silo leaves the cluster. */
    public synchronized void stop() {
        if (stopped) {
            return;
        }
        stopped = true;
        running = false;
        stopSignal.countDown();
        thread.execute(this::stopWatching);
        thread.shutdown();
        try {
            if (!thread.awaitTermination(10, TimeUnit.SECONDS)) {
                thread.shutdownNow();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            thread.shutdownNow();
        }
    }

    @Override
    public void close() {
        stop();
    }
}
