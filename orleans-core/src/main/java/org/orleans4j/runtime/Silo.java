package org.orleans4j.runtime;

import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.jspecify.annotations.Nullable;
import org.orleans4j.catalog.GrainCollectionOptions;
import org.orleans4j.catalog.internal.Catalog;
import org.orleans4j.cluster.ClusterOptions;
import org.orleans4j.cluster.SiloAddress;
import org.orleans4j.cluster.SiloStatus;
import org.orleans4j.directory.DirectoryCache;
import org.orleans4j.directory.GrainDirectory;
import org.orleans4j.grain.DeactivationReason;
import org.orleans4j.grain.GrainFactory;
import org.orleans4j.membership.ClusterMembershipService;
import org.orleans4j.metadata.GrainTypeRegistry;
import org.orleans4j.placement.ActivationCountBasedPlacementDirector;
import org.orleans4j.runtime.SiloLifecycle.ShutdownBudget;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One silo: hosts activations, places new ones, collects idle ones. Build it with
 * {@link SiloBuilder}; {@link #start()} makes it Active, {@link #stop(Duration)} deactivates every
 * activation (running {@code onDeactivate}) and ends Dead.
 */
public final class Silo implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(Silo.class);

    private final SiloAddress address;
    private final SiloOptions siloOptions;
    private final ClusterOptions clusterOptions;
    private final GrainCollectionOptions collectionOptions;
    private final GrainTypeRegistry registry;
    private final Catalog catalog;
    private final GrainFactory grainFactory;
    private final ResponseTimeouts timeouts;
    private final ExecutorService scheduler;
    private final boolean ownsScheduler;
    private final ScheduledExecutorService timer;
    private final @Nullable ActivationCountBasedPlacementDirector activationCounts;
    private final ClusterStatistics statistics;
    private final MessagingStatistics messagingStatistics;
    private final ClusterRole cluster;
    private final boolean clustered;
    private final SiloLifecycle lifecycle = new SiloLifecycle();
    private final LocalSiloStatus status;
    private final SiloDiagnostics diagnostics;

    Silo(
            SiloAddress address,
            SiloOptions siloOptions,
            ClusterOptions clusterOptions,
            GrainCollectionOptions collectionOptions,
            GrainTypeRegistry registry,
            Catalog catalog,
            GrainFactory grainFactory,
            ResponseTimeouts timeouts,
            Executors executors,
            @Nullable ActivationCountBasedPlacementDirector activationCounts,
            ClusterStatistics statistics,
            MessagingStatistics messagingStatistics,
            ClusterRole cluster,
            LocalSiloStatus status) {
        this.address = address;
        this.status = status;
        this.siloOptions = siloOptions;
        this.clusterOptions = clusterOptions;
        this.collectionOptions = collectionOptions;
        this.registry = registry;
        this.catalog = catalog;
        this.diagnostics = new SiloDiagnostics(address, catalog);
        this.grainFactory = grainFactory;
        this.timeouts = timeouts;
        this.scheduler = executors.turns();
        this.ownsScheduler = executors.ownsTurns();
        this.timer = executors.timer();
        this.activationCounts = activationCounts;
        this.statistics = statistics;
        this.messagingStatistics = messagingStatistics;
        this.cluster = cluster;
        this.clustered = !(cluster instanceof NoCluster);
        participate();
        cluster.participate(lifecycle);
        cluster.onDeclaredDead(this::onDeclaredDead);
    }

    /** The threads a silo runs on: the grain turns (its own unless the builder was given some) and one timer. */
    record Executors(ExecutorService turns, boolean ownsTurns, ScheduledExecutorService timer) {}

    /** The silo's own parts of its lifecycle: its timers, its activations and its statistics. */
    private void participate() {
        lifecycle.subscribe("runtime timers", SiloLifecycle.RUNTIME_SERVICES, new SiloLifecycle.Participant() {
            private ScheduledFuture<?> collector;
            private ScheduledFuture<?> timeoutSweeper;

            @Override
            public void start() {
                long quantum = collectionOptions.collectionQuantum().toNanos();
                collector = timer.scheduleAtFixedRate(Silo.this::collectIdle, quantum, quantum, TimeUnit.NANOSECONDS);
                long sweep = timeouts.sweepPeriod().toNanos();
                timeoutSweeper =
                        timer.scheduleAtFixedRate(Silo.this::sweepTimeouts, sweep, sweep, TimeUnit.NANOSECONDS);
            }

            @Override
            public void stop(ShutdownBudget budget) {
                collector.cancel(false);
                timeoutSweeper.cancel(false);
                timeouts.sweep();
            }
        });
        lifecycle.subscribe("activations", SiloLifecycle.ACTIVATIONS, new SiloLifecycle.Participant() {
            @Override
            public void stop(ShutdownBudget budget) {
                deactivateAll(budget);
                status.set(SiloStatus.STOPPING);
            }
        });
        lifecycle.subscribe("activation admission", SiloLifecycle.ACCEPT_ACTIVATIONS, new SiloLifecycle.Participant() {
            @Override
            public void stop(ShutdownBudget budget) {
                // Before the table says so: a caller with a stale view may still place a grain here meanwhile.
                catalog.stopAcceptingActivations();
            }
        });
        // Activation-count placement compares the counts silos publish every second; so do the statistics.
        lifecycle.subscribe(
                "activation count publisher", SiloLifecycle.APPLICATION_SERVICES, new SiloLifecycle.Participant() {
                    private ScheduledFuture<?> publisher;

                    @Override
                    public void start() {
                        publisher =
                                timer.scheduleAtFixedRate(Silo.this::publishActivationCount, 0, 1, TimeUnit.SECONDS);
                    }

                    @Override
                    public void stop(ShutdownBudget budget) {
                        publisher.cancel(false);
                    }
                });
    }

    public static SiloBuilder builder() {
        return new SiloBuilder();
    }

    /**
     * The silo's lifecycle, to which components subscribe start and stop steps at ordered stages
     * (before {@link #start()}).
     */
    public SiloLifecycle lifecycle() {
        return lifecycle;
    }

    public synchronized void start() {
        if (status.get() != SiloStatus.CREATED) {
            throw new IllegalStateException("Silo " + address + " cannot start: it is " + status.get());
        }
        status.set(SiloStatus.JOINING);
        try {
            lifecycle.start();
        } catch (RuntimeException e) {
            status.set(SiloStatus.DEAD);
            shutdownExecutors();
            throw e;
        }
        status.set(SiloStatus.ACTIVE);
        log.info(
                "Silo {} ({}) of service '{}' cluster '{}' is Active with {} grain classes",
                siloOptions.siloName(),
                address,
                clusterOptions.serviceId(),
                clusterOptions.clusterId(),
                registry.grainClasses().size());
    }

    private void collectIdle() {
        try {
            catalog.collectIdleActivations();
        } catch (RuntimeException e) {
            log.error(
                    "Idle activation collection failed; it runs again in {}", collectionOptions.collectionQuantum(), e);
        }
    }

    private void publishActivationCount() {
        try {
            cluster.publishActivationCount();
        } catch (RuntimeException e) {
            log.warn("Publishing the activation count failed; it is published again in a second", e);
        }
    }

    private void sweepTimeouts() {
        try {
            timeouts.sweep();
            cluster.sweep();
        } catch (RuntimeException e) {
            log.error("Response timeout sweep failed", e);
        }
    }

    /**
     * Stops gracefully, within {@code timeout} in all: refuses new activations, hands its directory
     * partition to the silos that will own it and turns ShuttingDown in the membership table (so no silo
     * places new activations here), deactivates every activation (running {@code onDeactivate}, where
     * grains write their state; requests that find their activation gone are sent back as
     * {@code SiloUnavailableException}, which callers retry elsewhere), and ends Dead. In a cluster
     * deactivation gets at most three quarters of the timeout, so that leaving the table has time left
     * even when an {@code onDeactivate} hangs.
     */
    public void stop(Duration timeout) {
        synchronized (this) {
            if (status.get() == SiloStatus.DEAD || status.get().isTerminating()) {
                return;
            }
            if (status.get() == SiloStatus.CREATED) {
                status.set(SiloStatus.DEAD);
                shutdownExecutors();
                return;
            }
            status.set(SiloStatus.SHUTTING_DOWN);
        }
        long start = System.nanoTime();
        long deadline = start + timeout.toNanos();
        long deactivationDeadline = clustered ? start + timeout.toNanos() / 4 * 3 : deadline;
        lifecycle.stop(new ShutdownBudget(start, deadline, deactivationDeadline));
        shutdownExecutors();
        status.set(SiloStatus.DEAD);
        log.info("Silo {} stopped", address);
    }

    private void deactivateAll(ShutdownBudget budget) {
        int count = catalog.activationCount();
        log.info("Silo {} is ShuttingDown; deactivating {} activations", address, count);
        try {
            catalog.deactivateAll(DeactivationReason.SHUTTING_DOWN)
                    .get(
                            ShutdownBudget.remaining(budget.deactivationDeadlineNanos())
                                    .toNanos(),
                            TimeUnit.NANOSECONDS);
            log.info("Silo {} deactivated {} activations in {} ms", address, count, budget.millisSinceStart());
        } catch (TimeoutException e) {
            log.warn(
                    "Silo {}: {} activations were still deactivating {} ms after the shutdown began; stopping anyway",
                    address,
                    catalog.activationCount(),
                    budget.millisSinceStart());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            log.warn("Silo {}: deactivation failed", address, e);
        }
    }

    private void shutdownExecutors() {
        timer.shutdownNow();
        if (ownsScheduler) {
            scheduler.shutdown();
            try {
                if (!scheduler.awaitTermination(5, TimeUnit.SECONDS)) {
                    log.warn("Grain scheduler threads still busy 5 s after shutdown; a grain may be blocking its turn");
                    scheduler.shutdownNow();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /**
     * The cluster declared this silo dead (it was unreachable for too long): its activations may
     * already live elsewhere, so it stops at once, without writing to the table again.
     */
    private void onDeclaredDead() {
        Thread stopper =
                new Thread(() -> stop(Duration.ofSeconds(5)), "orleans-declared-dead-" + siloOptions.siloName());
        stopper.setDaemon(true);
        stopper.start();
    }

    /**
     * Stops at once, as if the process died: no deactivation, no table write, connections dropped.
     * The other silos find out by probing. Meant for fault tests in one JVM.
     */
    public void kill() {
        synchronized (this) {
            if (status.get() == SiloStatus.DEAD) {
                return;
            }
            status.set(SiloStatus.DEAD);
        }
        cluster.close();
        shutdownExecutors();
        log.info("Silo {} was killed", address);
    }

    /** Activation-count placement's estimate of a silo's activations as seen from here (0 if unknown). */
    public int activationCountEstimate(SiloAddress silo) {
        return activationCounts == null ? 0 : activationCounts.estimatedActivationCount(silo);
    }

    /** The activation counts of every silo of the cluster (just this one's when on its own), updated each second. */
    public ClusterStatistics clusterStatistics() {
        return statistics;
    }

    /** Messages this silo sent to and received from other silos, and what it rejected (zeros on its own). */
    public MessagingStatistics messagingStatistics() {
        return messagingStatistics;
    }

    /**
     * The port cluster clients connect to; 0 when this silo has no gateway (port 0 configured, a silo
     * on its own, or the gateway closed because the silo is stopping).
     */
    public int gatewayPort() {
        return cluster.gatewayPort();
    }

    /** The grain directory this silo registers its activations in. */
    public GrainDirectory grainDirectory() {
        return catalog.directory();
    }

    /** The cluster's membership and directory, or {@code null} for a silo on its own. */
    public @Nullable ClusterMembershipService membership() {
        return cluster.membership();
    }

    /** The directory cache of a cluster silo ({@code null} on its own): hits and misses show how well calls route. */
    public @Nullable DirectoryCache directoryCache() {
        return cluster.directoryCache();
    }

    @Override
    public void close() {
        stop(collectionOptions.deactivationTimeout());
    }

    public GrainFactory grainFactory() {
        return grainFactory;
    }

    /** A read-only view of this silo's activations (for Actuator, tests and benchmarks). */
    public SiloDiagnostics diagnostics() {
        return diagnostics;
    }

    public Catalog catalog() {
        return catalog;
    }

    public GrainTypeRegistry grainTypes() {
        return registry;
    }

    public SiloAddress address() {
        return address;
    }

    public SiloStatus status() {
        return status.get();
    }

    public SiloOptions siloOptions() {
        return siloOptions;
    }

    public ClusterOptions clusterOptions() {
        return clusterOptions;
    }
}
