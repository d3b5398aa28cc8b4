package org.orleans4j.runtime;

import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.orleans4j.catalog.Catalog;
import org.orleans4j.catalog.GrainCollectionOptions;
import org.orleans4j.cluster.ClusterOptions;
import org.orleans4j.cluster.SiloAddress;
import org.orleans4j.cluster.SiloStatus;
import org.orleans4j.grain.DeactivationReason;
import org.orleans4j.grain.GrainFactory;
import org.orleans4j.metadata.GrainTypeRegistry;
import org.orleans4j.placement.ActivationCountBasedPlacementDirector;
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
    private volatile SiloStatus status = SiloStatus.CREATED;
    private ScheduledFuture<?> collector;
    private ScheduledFuture<?> timeoutSweeper;
    private ScheduledFuture<?> statisticsPublisher;
    private final ActivationCountBasedPlacementDirector activationCounts;
    private final ClusterStatistics statistics;
    private final MessagingStatistics messagingStatistics;
    /** Null for a silo on its own (no membership table). */
    private SiloCluster cluster;

    private Duration joinTimeout = Duration.ofMinutes(1);

    Silo(
            SiloAddress address,
            SiloOptions siloOptions,
            ClusterOptions clusterOptions,
            GrainCollectionOptions collectionOptions,
            GrainTypeRegistry registry,
            Catalog catalog,
            GrainFactory grainFactory,
            ResponseTimeouts timeouts,
            ExecutorService scheduler,
            boolean ownsScheduler,
            ScheduledExecutorService timer,
            ActivationCountBasedPlacementDirector activationCounts,
            ClusterStatistics statistics,
            MessagingStatistics messagingStatistics) {
        this.address = address;
        this.siloOptions = siloOptions;
        this.clusterOptions = clusterOptions;
        this.collectionOptions = collectionOptions;
        this.registry = registry;
        this.catalog = catalog;
        this.grainFactory = grainFactory;
        this.timeouts = timeouts;
        this.scheduler = scheduler;
        this.ownsScheduler = ownsScheduler;
        this.timer = timer;
        this.activationCounts = activationCounts;
        this.statistics = statistics;
        this.messagingStatistics = messagingStatistics;
    }

    void attachCluster(SiloCluster cluster, Duration joinTimeout) {
        this.cluster = cluster;
        this.joinTimeout = joinTimeout;
    }

    public static SiloBuilder builder() {
        return new SiloBuilder();
    }

    public synchronized void start() {
        if (status != SiloStatus.CREATED) {
            throw new IllegalStateException("Silo " + address + " cannot start: it is " + status);
        }
        status = SiloStatus.JOINING;
        long quantum = collectionOptions.collectionQuantum().toNanos();
        collector = timer.scheduleAtFixedRate(this::collectIdle, quantum, quantum, TimeUnit.NANOSECONDS);
        long sweep = timeouts.sweepPeriod().toNanos();
        timeoutSweeper = timer.scheduleAtFixedRate(this::sweepTimeouts, sweep, sweep, TimeUnit.NANOSECONDS);
        if (cluster != null) {
            try {
                cluster.join(joinTimeout);
            } catch (RuntimeException e) {
                status = SiloStatus.DEAD;
                collector.cancel(false);
                timeoutSweeper.cancel(false);
                cluster.close();
                shutdownExecutors();
                throw e;
            }
        }
        // Activation-count placement compares the counts silos publish every second; so do the statistics.
        statisticsPublisher = timer.scheduleAtFixedRate(this::publishActivationCount, 0, 1, TimeUnit.SECONDS);
        status = SiloStatus.ACTIVE;
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
            if (cluster != null) {
                cluster.publishActivationCount();
            } else {
                int count = catalog.activationCount();
                statistics.update(address, count, catalog.activationCountsByType());
                if (activationCounts != null) {
                    activationCounts.updateActivationCount(address, count);
                }
            }
        } catch (RuntimeException e) {
            log.warn("Publishing the activation count failed; it is published again in a second", e);
        }
    }

    private void sweepTimeouts() {
        try {
            timeouts.sweep();
            if (cluster != null) {
                cluster.sweep();
            }
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
            if (status == SiloStatus.DEAD || status.isTerminating()) {
                return;
            }
            if (status == SiloStatus.CREATED) {
                status = SiloStatus.DEAD;
                shutdownExecutors();
                return;
            }
            status = SiloStatus.SHUTTING_DOWN;
        }
        long start = System.nanoTime();
        long deadline = start + timeout.toNanos();
        if (cluster != null) {
            // First, so that clients move their new calls to other gateways while this silo drains.
            cluster.stopGateway();
        }
        long deactivationDeadline = cluster == null ? deadline : start + timeout.toNanos() / 4 * 3;
        // Before the table says so: a caller with a stale view may still place a grain here meanwhile.
        catalog.stopAcceptingActivations();
        if (cluster != null && !declaredDead) {
            cluster.beginShutdown(remaining(deactivationDeadline));
        }
        int count = catalog.activationCount();
        log.info("Silo {} is ShuttingDown; deactivating {} activations", address, count);
        try {
            catalog.deactivateAll(DeactivationReason.SHUTTING_DOWN)
                    .get(remaining(deactivationDeadline).toNanos(), TimeUnit.NANOSECONDS);
            log.info("Silo {} deactivated {} activations in {} ms", address, count, millisSince(start));
        } catch (TimeoutException e) {
            log.warn(
                    "Silo {}: {} activations were still deactivating {} ms after the shutdown began; stopping anyway",
                    address,
                    catalog.activationCount(),
                    millisSince(start));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            log.warn("Silo {}: deactivation failed", address, e);
        }
        status = SiloStatus.STOPPING;
        if (collector != null) {
            collector.cancel(false);
            timeoutSweeper.cancel(false);
            if (statisticsPublisher != null) {
                statisticsPublisher.cancel(false);
            }
        }
        timeouts.sweep();
        if (cluster != null) {
            if (declaredDead) {
                cluster.close();
            } else if (cluster.leave(deadline)) {
                log.info(
                        "Silo {} is Dead in the membership table; stopped {} ms after the shutdown began",
                        address,
                        millisSince(start));
            }
        }
        shutdownExecutors();
        status = SiloStatus.DEAD;
        log.info("Silo {} stopped", address);
    }

    private static Duration remaining(long deadlineNanos) {
        return Duration.ofNanos(Math.max(0, deadlineNanos - System.nanoTime()));
    }

    private static long millisSince(long startNanos) {
        return (System.nanoTime() - startNanos) / 1_000_000;
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

    private volatile boolean declaredDead;

    /**
     * The cluster declared this silo dead (it was unreachable for too long): its activations may
     * already live elsewhere, so it stops at once, without writing to the table again.
     */
    void onDeclaredDead() {
        declaredDead = true;
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
            if (status == SiloStatus.DEAD) {
                return;
            }
            status = SiloStatus.DEAD;
        }
        if (cluster != null) {
            cluster.close();
        }
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
        return cluster == null ? 0 : cluster.gatewayPort();
    }

    /** The grain directory this silo registers its activations in. */
    public org.orleans4j.directory.GrainDirectory grainDirectory() {
        return catalog.directory();
    }

    /** The cluster's membership and directory, or {@code null} for a silo on its own. */
    public org.orleans4j.membership.ClusterMembershipService membership() {
        return cluster == null ? null : cluster.membership();
    }

    /** The directory cache of a cluster silo ({@code null} on its own): hits and misses show how well calls route. */
    public org.orleans4j.directory.DirectoryCache directoryCache() {
        return cluster == null ? null : cluster.locator().cache();
    }

    @Override
    public void close() {
        stop(collectionOptions.deactivationTimeout());
    }

    public GrainFactory grainFactory() {
        return grainFactory;
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
        return status;
    }

    public SiloOptions siloOptions() {
        return siloOptions;
    }

    public ClusterOptions clusterOptions() {
        return clusterOptions;
    }
}
