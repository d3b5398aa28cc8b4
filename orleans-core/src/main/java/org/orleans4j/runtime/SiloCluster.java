package org.orleans4j.runtime;

import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.jspecify.annotations.Nullable;
import org.orleans4j.catalog.internal.Catalog;
import org.orleans4j.cluster.SiloAddress;
import org.orleans4j.cluster.SiloStatus;
import org.orleans4j.directory.DirectoryCache;
import org.orleans4j.directory.internal.DirectoryMembership;
import org.orleans4j.directory.internal.DistributedGrainDirectory;
import org.orleans4j.directory.internal.GrainLocator;
import org.orleans4j.directory.internal.RemoteGrainDirectory;
import org.orleans4j.membership.ClusterMember;
import org.orleans4j.membership.ClusterMembershipService;
import org.orleans4j.membership.ClusterMembershipSnapshot;
import org.orleans4j.membership.RemoteMembership;
import org.orleans4j.membership.RemoteProber;
import org.orleans4j.messaging.UnauthorizedRequestException;
import org.orleans4j.messaging.internal.SiloMessaging;
import org.orleans4j.placement.ActivationCountBasedPlacementDirector;
import org.orleans4j.runtime.SiloLifecycle.ShutdownBudget;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A silo's membership in a cluster: joins and leaves through the membership service, applies every
 * membership change (directory ring, dead silos, placement's view), tells the other silos to
 * refresh after its own table writes, and publishes its activation count every second.
 */
final class SiloCluster implements ClusterRole {

    private static final Logger log = LoggerFactory.getLogger(SiloCluster.class);
    static final String DIRECTORY = "directory";
    static final String STATISTICS = "statistics";
    static final String MEMBERSHIP = "membership";
    /** Indirect probes: another silo asks this one whether it reaches a silo (argument: its address). */
    static final String PROBE = "probe";

    private final SiloAddress localSilo;
    private final SiloMessaging messaging;
    private final MessageCenter messages;
    private final SystemTargets targets;
    private final ClusterMembershipService membership;
    private final GrainLocator locator;
    private final MembershipClusterView view;
    private final @Nullable ActivationCountBasedPlacementDirector activationCounts;
    private final Catalog catalog;
    private final ClusterStatistics statistics;
    private final Set<SiloAddress> knownDead = new HashSet<>();
    private final Duration joinTimeout;
    /** The cluster declared this silo dead: it leaves without writing to the table again. */
    private volatile boolean declaredDead;

    private final CompletableFuture<Void> declaredDeadEvent;

    SiloCluster(
            SiloAddress localSilo,
            SiloMessaging messaging,
            MessageCenter messages,
            SystemTargets targets,
            ClusterMembershipService membership,
            GrainLocator locator,
            MembershipClusterView view,
            @Nullable ActivationCountBasedPlacementDirector activationCounts,
            Catalog catalog,
            ClusterStatistics statistics,
            Duration joinTimeout,
            CompletableFuture<Void> declaredDeadEvent) {
        this.joinTimeout = joinTimeout;
        this.declaredDeadEvent = declaredDeadEvent;
        this.localSilo = localSilo;
        this.messaging = messaging;
        this.messages = messages;
        this.targets = targets;
        this.membership = membership;
        this.locator = locator;
        this.view = view;
        this.activationCounts = activationCounts;
        this.catalog = catalog;
        this.statistics = statistics;
        if (locator instanceof DistributedGrainDirectory directory) {
            targets.serve(
                    DIRECTORY,
                    RemoteGrainDirectory.class,
                    sender -> directory.endpointFor(sender, messages::isLiveMember, messages::isDeadMember));
        }
        targets.serve(STATISTICS, RemoteStatistics.class, sender -> (count, byType) -> {
            if (!messages.isActiveMember(sender)) {
                throw new UnauthorizedRequestException(
                        "Silo " + sender + " is not an Active member; its statistics are ignored");
            }
            if (count >= 0) {
                if (activationCounts != null) {
                    activationCounts.updateActivationCount(sender, count);
                }
                statistics.update(sender, count, countsByType(byType));
            }
        });
        targets.serve(MEMBERSHIP, RemoteMembership.class, sender -> () -> {
            // Any silo that is not Dead: a joining silo announces itself before anyone has read its row.
            if (messages.isDeadMember(sender)) {
                throw new UnauthorizedRequestException("Silo " + sender + " is Dead; its membership notice is ignored");
            }
            membership.requestRefresh();
        });
        // Silos only (clients may not call it); the membership service checks the sender is Active.
        targets.serve(PROBE, RemoteProber.class, sender -> target -> {
            if (target == null) {
                throw new UnauthorizedRequestException(
                        "An indirect probe request of " + sender + " does not name one silo; refused");
            }
            return membership.probeFor(sender, target);
        });
        messaging.onPeerFailure(membership::suspect);
        membership.subscribe(this::apply);
        membership.onTableWritten(this::announce);
    }

    @Override
    public void participate(SiloLifecycle lifecycle) {
        lifecycle.subscribe("cluster membership", SiloLifecycle.CLUSTER_MEMBERSHIP, new SiloLifecycle.Participant() {
            @Override
            public void start() {
                try {
                    join(joinTimeout);
                } catch (RuntimeException e) {
                    close();
                    throw e;
                }
            }

            @Override
            public void stop(ShutdownBudget budget) {
                if (declaredDead) {
                    close();
                } else if (leave(budget.deadlineNanos())) {
                    log.info(
                            "Silo {} is Dead in the membership table; stopped {} ms after the shutdown began",
                            localSilo,
                            budget.millisSinceStart());
                }
            }
        });
        lifecycle.subscribe("membership status", SiloLifecycle.BECOME_ACTIVE, new SiloLifecycle.Participant() {
            @Override
            public void stop(ShutdownBudget budget) {
                if (!declaredDead) {
                    beginShutdown(ShutdownBudget.remaining(budget.deactivationDeadlineNanos()));
                }
            }
        });
        lifecycle.subscribe("gateway", SiloLifecycle.GATEWAY, new SiloLifecycle.Participant() {
            @Override
            public void stop(ShutdownBudget budget) {
                // First, so that clients move their new calls to other gateways while this silo drains.
                stopGateway();
            }
        });
    }

    @Override
    public void onDeclaredDead(Runnable stop) {
        declaredDeadEvent.thenRun(() -> {
            declaredDead = true;
            stop.run();
        });
    }

    @Override
    public ClusterMembershipService membership() {
        return membership;
    }

    @Override
    public DirectoryCache directoryCache() {
        return locator.cache();
    }

    /** Joins: Joining, connectivity check, Active. Fails if that takes longer than {@code timeout}. */
    private void join(Duration timeout) {
        try {
            membership.join().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            throw new IllegalStateException(
                    "Silo " + localSilo + " could not join the cluster within " + timeout
                            + "; is the membership table reachable?",
                    e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while joining the cluster", e);
        } catch (java.util.concurrent.ExecutionException e) {
            throw new IllegalStateException(
                    "Silo " + localSilo + " could not join the cluster: "
                            + e.getCause().getMessage(),
                    e.getCause());
        }
        apply(membership.currentSnapshot());
    }

    /** Runs on the membership thread for each new table version. */
    private synchronized void apply(ClusterMembershipSnapshot snapshot) {
        view.update(snapshot);
        Set<SiloAddress> dead = new HashSet<>();
        for (ClusterMember member : snapshot.members().values()) {
            if (member.status() == SiloStatus.DEAD && !member.silo().equals(localSilo)) {
                dead.add(member.silo());
            }
        }
        messages.members(snapshot);
        for (SiloAddress silo : dead) {
            if (knownDead.add(silo)) {
                log.info("Silo {} is dead; failing calls waiting on it and dropping its directory entries", silo);
                messages.siloDied(silo);
                if (activationCounts != null) {
                    activationCounts.removeSilo(silo);
                }
                statistics.remove(silo);
            }
        }
        knownDead.retainAll(dead);
        Set<SiloAddress> leaving = new HashSet<>();
        for (ClusterMember member : snapshot.members().values()) {
            if (member.status() == SiloStatus.SHUTTING_DOWN) {
                leaving.add(member.silo());
            }
        }
        locator.onMembershipChanged(new DirectoryMembership(snapshot.version(), snapshot.activeSilos(), leaving, dead));
    }

    /** More grain types than any application has: a bigger map from a peer is ignored. */
    private static final int MAX_PUBLISHED_TYPES = 10_000;

    /** Counts per grain type from another silo; anything else in the message is ignored. */
    private static Map<String, Integer> countsByType(@Nullable Map<?, ?> value) {
        Map<String, Integer> counts = new HashMap<>();
        if (value != null && value.size() <= MAX_PUBLISHED_TYPES) {
            value.forEach((type, count) -> {
                if (type instanceof String name && count instanceof Integer n && n >= 0) {
                    counts.put(name, n);
                }
            });
        }
        return counts;
    }

    /** Our write changed the table: others should not wait for their refresh period to see it. */
    private void announce() {
        for (ClusterMember member : membership.currentSnapshot().members().values()) {
            if (!member.silo().equals(localSilo) && member.status() != SiloStatus.DEAD) {
                targets.remote(MEMBERSHIP, RemoteMembership.class, member.silo())
                        .tableChanged();
            }
        }
    }

    @Override
    public void publishActivationCount() {
        int count = catalog.activationCount();
        Map<String, Integer> byType = catalog.activationCountsByType();
        if (activationCounts != null) {
            activationCounts.updateActivationCount(localSilo, count);
        }
        statistics.update(localSilo, count, byType);
        Map<String, Integer> published = new HashMap<>(byType);
        for (SiloAddress silo : view.activeSilos()) {
            if (!silo.equals(localSilo)) {
                targets.remote(STATISTICS, RemoteStatistics.class, silo).publish(count, published);
            }
        }
    }

    /**
     * First step of a graceful stop: ShuttingDown in the table, so nobody places here any more. From that
     * version on this silo owns no directory range: the silos that own its ranges now take its entries
     * over before they answer for them, and it forwards whatever directory request still reaches it.
     */
    private void beginShutdown(Duration timeout) {
        await(membership.shutDown(), timeout, "announce ShuttingDown");
    }

    /**
     * Last step: wait (bounded) until the new owners took this silo's directory entries over, end Dead,
     * close the connections; all by {@code deadlineNanos} ({@link System#nanoTime()}). Whether Dead was
     * written.
     */
    private boolean leave(long deadlineNanos) {
        if (locator instanceof DistributedGrainDirectory directory) {
            await(directory.handedOver(), ShutdownBudget.remaining(deadlineNanos), "hand its directory entries over");
        }
        boolean dead = await(membership.leave(), ShutdownBudget.remaining(deadlineNanos), "leave the membership table");
        membership.close();
        // Calls peers wrote just before they learnt of the stop are answered (refused, mostly) before the close.
        Duration drain = ShutdownBudget.remaining(deadlineNanos);
        messaging.close(drain.compareTo(MAX_CONNECTION_DRAIN) > 0 ? MAX_CONNECTION_DRAIN : drain);
        return dead;
    }

    /** The longest a stopping silo waits for its peers to confirm that their calls here were answered. */
    private static final Duration MAX_CONNECTION_DRAIN = Duration.ofSeconds(5);

    /** Stops without telling anyone (the cluster declared this silo dead, or it never joined). */
    @Override
    public void close() {
        membership.close();
        messaging.close();
    }

    /** Waits for {@code step}; whether it completed normally within {@code timeout}. */
    private boolean await(CompletableFuture<?> step, Duration timeout, String what) {
        try {
            step.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            log.warn("Silo {} could not {} within {}: {}", localSilo, what, timeout, e.toString());
        }
        return false;
    }

    @Override
    public void sweep() {
        messages.sweep();
    }

    /** Accepts no more clients and tells the connected ones to use other gateways (their calls here still complete). */
    private void stopGateway() {
        messaging.stopGateway();
    }

    @Override
    public int gatewayPort() {
        return messaging.gatewayPort();
    }
}
