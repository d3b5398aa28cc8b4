package org.orleans4j.membership;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;
import org.orleans4j.cluster.SiloAddress;
import org.orleans4j.cluster.SiloStatus;
import org.orleans4j.grain.GrainException;
import org.orleans4j.internal.DaemonThreads;
import org.orleans4j.internal.ExponentialBackoff;
import org.orleans4j.messaging.internal.Handshake;
import org.orleans4j.messaging.internal.HandshakeMismatchException;
import org.orleans4j.messaging.internal.TlsHandshakeException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One silo's side of the membership protocol, over the shared {@link MembershipTable}: join
 * (Joining, then Active), IAmAlive, periodic refresh, probing of the next silos on the ring,
 * suspicion votes and death declaration, graceful leave, and {@link #tryKill}. Listeners see a
 * snapshot each time the table version grows. A silo that finds itself declared Dead calls its
 * {@code onDeclaredDead} callback, which must stop it.
 * <p>
 * Messaging reports refused and closed connections ({@link #suspect}), which are checked at once
 * rather than at the next probes; and no vote is cast before other silos were asked to probe the target
 * ({@link #probeFor} is their side): the {@link SuspicionMonitor} decides.
 * <p>
 * All protocol steps run on one thread of the service's own, so they never race each other; table
 * calls block that thread only, and each for at most the probe timeout times the missed probes limit: a
 * table that does not answer fails that step (logged, run again at its next period) and probing goes on.
 */
public final class ClusterMembershipService implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(ClusterMembershipService.class);
    private static final int WRITE_ATTEMPTS = 5;
    private static final ExponentialBackoff WRITE_RETRY_BACKOFF =
            new ExponentialBackoff(Duration.ofMillis(10), Duration.ofMillis(200), 0.5);

    private final MembershipTable table;
    private final MembershipEntry self;
    private final MembershipOptions options;
    private final SiloProber prober;
    private final Runnable onDeclaredDead;
    private final Clock clock;
    private final ScheduledExecutorService thread;
    private final CopyOnWriteArrayList<Consumer<ClusterMembershipSnapshot>> listeners = new CopyOnWriteArrayList<>();
    private final Map<SiloAddress, Integer> missedProbes = new HashMap<>();
    private volatile ClusterMembershipSnapshot snapshot = ClusterMembershipSnapshot.EMPTY;
    private volatile SiloStatus status = SiloStatus.CREATED;
    private boolean declaredDeadNotified;
    private volatile Runnable afterWrite = () -> {};
    /** Reads for other silos' notices are at least this far apart: a flood of notices cannot hammer the table. */
    private static final Duration NOTICE_REFRESH_INTERVAL = Duration.ofMillis(50);

    private final AtomicBoolean refreshRequested = new AtomicBoolean();
    private volatile long lastNoticeRefreshNanos = System.nanoTime() - NOTICE_REFRESH_INTERVAL.toNanos();
    private final SuspicionMonitor suspicion;
    private final IndirectProbeResponder indirectProbes;

    public ClusterMembershipService(
            MembershipTable table,
            MembershipEntry self,
            MembershipOptions options,
            SiloProber prober,
            Runnable onDeclaredDead,
            Clock clock) {
        this.table = new BoundedTable(table, BoundedTable.limitFor(options));
        this.self = self;
        this.options = options;
        this.prober = prober;
        this.onDeclaredDead = onDeclaredDead;
        this.clock = clock;
        this.thread = Executors.newSingleThreadScheduledExecutor(
                DaemonThreads.named("orleans-membership-" + self.siloName()));
        IndirectProber indirect = new IndirectProber(self.silo(), prober, options.probeTimeout(), () -> snapshot);
        this.suspicion = new SuspicionMonitor(
                self.silo(),
                prober,
                indirect,
                options.probeTimeout(),
                () -> snapshot,
                () -> status.isActive(),
                this::voteSoon);
        this.indirectProbes =
                new IndirectProbeResponder(self.silo(), prober, options.probeTimeout(), () -> snapshot, this::voteSoon);
    }

    public SiloAddress localSilo() {
        return self.silo();
    }

    public SiloStatus localStatus() {
        return status;
    }

    public ClusterMembershipSnapshot currentSnapshot() {
        return snapshot;
    }

    /** Called with every snapshot of a higher version, on the membership thread. */
    public void subscribe(Consumer<ClusterMembershipSnapshot> listener) {
        listeners.add(listener);
    }

    /**
     * Called after each successful table write of this silo (its own status, a vote, a death), so
     * the silo can tell the others to refresh instead of waiting for their refresh period.
     */
    public void onTableWritten(Runnable action) {
        this.afterWrite = action;
    }

    /** Joins the cluster: inserts this silo as Joining, checks it can reach the Active silos, turns Active. */
    public CompletableFuture<Void> join() {
        return run(() -> {
            Instant now = clock.instant();
            MembershipEntry joining = self.withStatus(SiloStatus.JOINING).withIAmAliveTime(now);
            write(
                    "insert " + self.silo(),
                    () -> table.insertRow(
                                    joining, table.readAll().join().version().next())
                            .join());
            status = SiloStatus.JOINING;
            declarePredecessorsDead();
            refreshNow();
            for (SiloAddress other : othersActive()) {
                try {
                    prober.probe(other, options.probeTimeout()).join();
                } catch (RuntimeException e) {
                    Throwable refusal = refusal(e);
                    if (refusal != null) {
                        // The other silo is there and turns this one away (another CA, other ids): joining
                        // would only make it an Active member nobody can talk to until the others vote it Dead.
                        updateOwnStatus(SiloStatus.DEAD);
                        status = SiloStatus.DEAD;
                        throw new GrainException(
                                "Active silo " + other + " refused the connections of silo "
                                        + self.silo() + ": " + refusal.getMessage()
                                        + "; not joining (check the TLS bundle"
                                        + " and the service and cluster ids)",
                                refusal);
                    }
                    log.warn(
                            "Joining silo {} cannot reach Active silo {} ({}); probing will vote on it",
                            self.silo(),
                            other,
                            e.getMessage());
                }
            }
            updateOwnStatus(SiloStatus.ACTIVE);
            status = SiloStatus.ACTIVE;
            refreshNow();
            schedule(this::publishIAmAlive, options.iAmAlivePeriod());
            schedule(this::refreshNow, options.tableRefreshPeriod());
            schedule(this::probeOthers, options.probeTimeout());
            schedule(this::cleanupDefunct, Duration.ofHours(1));
            log.info(
                    "Silo {} is Active in the cluster ({} Active silos)",
                    self.silo(),
                    snapshot.activeSilos().size());
            return null;
        });
    }

    /**
     * Asks for a table read soon, for a notice from another silo that it wrote the table. Notices that
     * arrive while one read is pending share it, and reads for notices are at least
     * {@link #NOTICE_REFRESH_INTERVAL} apart, so a flood of notices costs at most one read per interval.
     */
    public void requestRefresh() {
        if (!refreshRequested.compareAndSet(false, true)) {
            return;
        }
        long wait = lastNoticeRefreshNanos + NOTICE_REFRESH_INTERVAL.toNanos() - System.nanoTime();
        try {
            thread.schedule(
                    () -> {
                        refreshRequested.set(false);
                        lastNoticeRefreshNanos = System.nanoTime();
                        try {
                            refreshNow();
                        } catch (RuntimeException e) {
                            log.warn("Membership refresh of {} after a notice failed: {}", self.silo(), e.toString());
                        }
                    },
                    Math.max(0, wait),
                    TimeUnit.NANOSECONDS);
        } catch (RejectedExecutionException stopped) {
            refreshRequested.set(false);
        }
    }

    /**
     * Evidence from messaging that {@code silo} may be gone (a refused connection, a closed one): it is
     * probed at once, directly and then through other silos, and voted against if nobody reaches it (see
     * {@link SuspicionMonitor}). Ignored unless both this silo and {@code silo} are Active. Never blocks.
     */
    public void suspect(SiloAddress silo, String evidence) {
        suspicion.suspect(silo, evidence);
    }

    /**
     * Another silo's request to probe {@code target} for it; {@code requester} must be the identity of
     * the connection the request came on. Completes with whether {@code target} answered. Refused
     * (exceptionally or by throwing) unless the requester and the target are Active members, and bounded
     * as {@link IndirectProbeResponder} says.
     */
    public CompletableFuture<Boolean> probeFor(SiloAddress requester, @Nullable SiloAddress target) {
        return indirectProbes.probeFor(requester, target);
    }

    /**
     * The refusal behind a failed probe, when the other silo answered and turned this one away: a TLS
     * handshake it failed, or a handshake naming other ids or the wrong kind of peer (not another
     * generation listening there: that silo is gone, which probing settles). {@code null} otherwise.
     */
    private static @Nullable Throwable refusal(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof TlsHandshakeException
                    || (t instanceof HandshakeMismatchException m && m.reason() != Handshake.Refusal.OTHER_SILO)) {
                return t;
            }
            if (t.getCause() == t) {
                break;
            }
        }
        return null;
    }

    /** Re-reads the table now. */
    public CompletableFuture<ClusterMembershipSnapshot> refresh() {
        return run(() -> {
            refreshNow();
            return snapshot;
        });
    }

    /** Declares {@code silo} Dead; {@code false} if it was not in the table. */
    public CompletableFuture<Boolean> tryKill(SiloAddress silo) {
        return run(() -> {
            boolean killed = declareDead(silo, "tryKill");
            refreshNow();
            return killed;
        });
    }

    /** First step of a graceful leave: ShuttingDown, so that no silo places new activations here. */
    public CompletableFuture<Void> shutDown() {
        return this.<Void>run(() -> {
            if (status.isActive() || status == SiloStatus.JOINING) {
                status = SiloStatus.SHUTTING_DOWN;
                updateOwnStatus(SiloStatus.SHUTTING_DOWN);
                refreshNow();
            }
            return null;
        });
    }

    /** Leaves gracefully: ShuttingDown (if not yet), then Dead; stops the protocol's timers. */
    public CompletableFuture<Void> leave() {
        return this.<Void>run(() -> {
                    if (status.isActive() || status == SiloStatus.JOINING || status == SiloStatus.SHUTTING_DOWN) {
                        if (status != SiloStatus.SHUTTING_DOWN) {
                            updateOwnStatus(SiloStatus.SHUTTING_DOWN);
                        }
                        status = SiloStatus.SHUTTING_DOWN;
                        updateOwnStatus(SiloStatus.DEAD);
                        status = SiloStatus.DEAD;
                    }
                    return null;
                })
                .whenComplete((v, e) -> thread.shutdown());
    }

    // ---- protocol steps, on the membership thread -----------------------------------------------

    private void refreshNow() {
        MembershipTableData data = table.readAll().join();
        ClusterMembershipSnapshot next = ClusterMembershipSnapshot.of(data);
        if (next.version() > snapshot.version()) {
            snapshot = next;
            missedProbes.keySet().retainAll(next.activeSilos());
            for (Consumer<ClusterMembershipSnapshot> listener : listeners) {
                try {
                    listener.accept(next);
                } catch (RuntimeException e) {
                    log.error("A membership listener failed", e);
                }
            }
        }
        if (next.statusOf(self.silo()) == SiloStatus.DEAD && status != SiloStatus.DEAD && !declaredDeadNotified) {
            declaredDeadNotified = true;
            status = SiloStatus.DEAD;
            log.error("Silo {} was declared Dead by the cluster; stopping it", self.silo());
            onDeclaredDead.run();
        }
    }

    /**
     * A process that restarted on this silo's host and port (a kill and restart, a container restarted in
     * its pod) leaves its earlier generations' rows behind: nothing else listens there any more, so they
     * are declared Dead now rather than after the probes time out; their activations are re-created.
     */
    private void declarePredecessorsDead() {
        SiloAddress me = self.silo();
        for (MembershipRow row : table.readAll().join().rows()) {
            SiloAddress other = row.entry().silo();
            if (other.port() == me.port()
                    && other.host().equals(me.host())
                    && other.generation() < me.generation()
                    && row.entry().status() != SiloStatus.DEAD) {
                log.warn(
                        "Silo {} runs on the endpoint of silo {} ({}), an earlier generation that did not stop cleanly;"
                                + " declaring it Dead",
                        me,
                        other,
                        row.entry().status());
                declareDead(other, "restarted on the same endpoint");
            }
        }
    }

    private void publishIAmAlive() {
        table.updateIAmAlive(self.withIAmAliveTime(clock.instant())).join();
    }

    private void cleanupDefunct() {
        table.cleanupDefunctSiloEntries(clock.instant().minus(options.defunctSiloExpiration()))
                .join();
    }

    /** Probes the next silos after this one on the ring of Active silos. */
    private void probeOthers() {
        if (!status.isActive()) {
            return;
        }
        List<SiloAddress> active = snapshot.activeSilos();
        List<SiloAddress> targets = new ArrayList<>();
        int start = active.indexOf(self.silo());
        for (int i = 1; i < active.size() && targets.size() < options.probedSilos(); i++) {
            targets.add(active.get(Math.floorMod(start + i, active.size())));
        }
        for (SiloAddress target : targets) {
            prober.probe(target, options.probeTimeout())
                    .whenComplete((ok, failure) -> thread.execute(() -> {
                        try {
                            onProbeResult(target, failure == null);
                        } catch (RuntimeException e) {
                            log.warn("Handling the probe result of {} failed: {}", target, e.toString());
                        }
                    }));
        }
    }

    private void onProbeResult(SiloAddress target, boolean answered) {
        if (answered) {
            missedProbes.remove(target);
            return;
        }
        int missed = missedProbes.merge(target, 1, Integer::sum);
        log.warn("Silo {} missed probe {} of {} from {}", target, missed, options.missedProbesLimit(), self.silo());
        if (missed >= options.missedProbesLimit() && snapshot.statusOf(target).isActive()) {
            suspicion.confirmMissedProbes(target, missed);
        }
    }

    /** Hands a vote to the membership thread; from any thread. */
    private void voteSoon(SiloAddress target, String evidence) {
        try {
            thread.execute(() -> {
                try {
                    voteIfActive(target, evidence);
                } catch (RuntimeException e) {
                    log.warn("Silo {} could not vote against silo {}: {}", self.silo(), target, e.toString());
                }
            });
        } catch (RejectedExecutionException stopped) {
            log.debug("Membership of {} stopped; no vote against {}", self.silo(), target);
        }
    }

    /**
     * Votes against {@code target} if the table, read now, still lists it Active: a silo that left
     * gracefully closes its connections after it wrote Dead, which must not earn it a vote.
     */
    private void voteIfActive(SiloAddress target, String evidence) {
        if (!status.isActive()) {
            return;
        }
        refreshNow();
        if (!snapshot.statusOf(target).isActive()) {
            return;
        }
        log.warn("Silo {} votes silo {} dead: {}", self.silo(), target, evidence);
        vote(target);
        refreshNow();
    }

    /**
     * Adds this silo's vote against {@code target}; enough fresh votes declare it Dead. The votes needed
     * follow the Active silos whose IAmAlive is fresh, as in Orleans: silos that died without anyone noticing
     * yet must not make a quorum unreachable.
     */
    private void vote(SiloAddress target) {
        write("vote against " + target, () -> {
            MembershipTableData data = table.readAll().join();
            MembershipRow row = data.row(target).orElse(null);
            if (row == null || row.entry().status() == SiloStatus.DEAD) {
                return true;
            }
            Instant now = clock.instant();
            List<SuspectVote> votes = new ArrayList<>();
            for (SuspectVote v : row.entry().suspectVotes()) {
                if (!v.voter().equals(self.silo())
                        && v.time().plus(options.voteExpiration()).isAfter(now)) {
                    votes.add(v);
                }
            }
            votes.add(new SuspectVote(self.silo(), now));
            int needed = options.votesNeeded(freshActiveSilos(data, now));
            MembershipEntry updated = row.entry().withSuspectVotes(votes);
            if (votes.size() >= needed) {
                updated = updated.withStatus(SiloStatus.DEAD);
                log.warn("Declaring silo {} Dead: {} votes (needed {})", target, votes.size(), needed);
            }
            return table.updateRow(updated, row.etag(), data.version().next()).join();
        });
    }

    /** Active silos whose last IAmAlive is recent enough to count them (this silo always counts). */
    private int freshActiveSilos(MembershipTableData data, Instant now) {
        Instant staleBefore = now.minus(options.iAmAliveStaleness());
        int fresh = 0;
        for (MembershipRow row : data.rows()) {
            MembershipEntry entry = row.entry();
            if (entry.status() == SiloStatus.ACTIVE
                    && (entry.silo().equals(self.silo()) || entry.iAmAliveTime().isAfter(staleBefore))) {
                fresh++;
            }
        }
        return fresh;
    }

    private boolean declareDead(SiloAddress silo, String why) {
        boolean[] found = {false};
        write("declare " + silo + " Dead (" + why + ")", () -> {
            MembershipTableData data = table.readRow(silo).join();
            MembershipRow row = data.row(silo).orElse(null);
            if (row == null) {
                return true;
            }
            found[0] = true;
            if (row.entry().status() == SiloStatus.DEAD) {
                return true;
            }
            return table.updateRow(
                            row.entry().withStatus(SiloStatus.DEAD),
                            row.etag(),
                            data.version().next())
                    .join();
        });
        return found[0];
    }

    private void updateOwnStatus(SiloStatus newStatus) {
        write("set " + self.silo() + " " + newStatus, () -> {
            MembershipTableData data = table.readRow(self.silo()).join();
            MembershipRow row = data.row(self.silo())
                    .orElseThrow(
                            () -> new GrainException("Silo " + self.silo() + " has no row in the membership table"));
            return table.updateRow(
                            row.entry().withStatus(newStatus).withIAmAliveTime(clock.instant()),
                            row.etag(),
                            data.version().next())
                    .join();
        });
    }

    private List<SiloAddress> othersActive() {
        return snapshot.activeSilos().stream()
                .filter(s -> !s.equals(self.silo()))
                .toList();
    }

    /**
     * Retries an optimistic write that lost a race; each attempt re-reads what it needs. Attempts are
     * spaced by a short jittered backoff: silos that write at the same moment (a restarted silo inserting
     * itself while the others vote its earlier generation dead) would otherwise lose to each other again.
     */
    private void write(String what, Callable<Boolean> attempt) {
        for (int i = 0; i < WRITE_ATTEMPTS; i++) {
            if (i > 0) {
                try {
                    Thread.sleep(WRITE_RETRY_BACKOFF.delayMillis(i));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new GrainException("Interrupted while retrying a membership table write: " + what, e);
                }
            }
            try {
                if (attempt.call()) {
                    try {
                        afterWrite.run();
                    } catch (RuntimeException e) {
                        log.warn("Announcing a membership change failed: {}", e.toString());
                    }
                    return;
                }
            } catch (Exception e) {
                throw new GrainException("Membership table write failed: " + what, e);
            }
        }
        throw new GrainException(
                "Membership table write kept losing races: " + what + " (" + WRITE_ATTEMPTS + " attempts)");
    }

    private void schedule(Runnable step, Duration period) {
        long nanos = period.toNanos();
        thread.scheduleWithFixedDelay(
                () -> {
                    try {
                        step.run();
                    } catch (RuntimeException e) {
                        log.warn(
                                "Membership step of {} failed; it runs again in {}: {}",
                                self.silo(),
                                period,
                                e.toString());
                    }
                },
                nanos,
                nanos,
                TimeUnit.NANOSECONDS);
    }

    private <T> CompletableFuture<T> run(Callable<T> step) {
        CompletableFuture<T> result = new CompletableFuture<>();
        thread.execute(() -> {
            try {
                result.complete(step.call());
            } catch (Throwable t) {
                result.completeExceptionally(t);
            }
        });
        return result;
    }

    @Override
    public void close() {
        thread.shutdownNow();
    }

    /**
     * The table as the protocol sees it: every call fails with a {@link GrainException} when the table
     * has not answered within the limit, so no {@code join()} on the membership thread waits forever.
     * Tables that bound their own calls more tightly (the JDBC table) fail first, with their own message.
     */
    private record BoundedTable(MembershipTable table, Duration limit) implements MembershipTable {

        /**
         * As long as it takes to find a dead silo (probe timeout times missed probes): a table call never
         * holds up probing for longer than that.
         */
        static Duration limitFor(MembershipOptions options) {
            return options.probeTimeout().multipliedBy(options.missedProbesLimit());
        }

        /** A copy is bounded, not the table's own future, which the table may share. */
        private <T> CompletableFuture<T> bounded(CompletableFuture<T> call, String what) {
            return call.copy().orTimeout(limit.toNanos(), TimeUnit.NANOSECONDS).exceptionally(e -> {
                if (e instanceof java.util.concurrent.TimeoutException) {
                    throw new GrainException(
                            "The membership table did not " + what + " within " + limit.toMillis()
                                    + " ms (probe timeout x missed probes limit); the step fails and runs again",
                            e);
                }
                throw e instanceof java.util.concurrent.CompletionException c
                        ? c
                        : new java.util.concurrent.CompletionException(e);
            });
        }

        @Override
        public CompletableFuture<MembershipTableData> readAll() {
            return bounded(table.readAll(), "answer a read");
        }

        @Override
        public CompletableFuture<MembershipTableData> readRow(SiloAddress silo) {
            return bounded(table.readRow(silo), "answer a read of " + silo);
        }

        @Override
        public CompletableFuture<Boolean> insertRow(MembershipEntry entry, TableVersion version) {
            return bounded(table.insertRow(entry, version), "answer the insert of " + entry.silo());
        }

        @Override
        public CompletableFuture<Boolean> updateRow(MembershipEntry entry, String etag, TableVersion version) {
            return bounded(table.updateRow(entry, etag, version), "answer an update of " + entry.silo());
        }

        @Override
        public CompletableFuture<Void> updateIAmAlive(MembershipEntry entry) {
            return bounded(table.updateIAmAlive(entry), "answer the IAmAlive update of " + entry.silo());
        }

        @Override
        public CompletableFuture<Void> cleanupDefunctSiloEntries(Instant cutoff) {
            return bounded(table.cleanupDefunctSiloEntries(cutoff), "answer the cleanup of defunct rows");
        }
    }
}
