package org.orleans4j.membership;

import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiConsumer;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import org.orleans4j.cluster.SiloAddress;
import org.orleans4j.messaging.internal.ConnectFailures;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Decides when this silo votes another one dead. Two paths lead to a vote, and both ask other silos
 * first ({@link IndirectProber}), so that a fault on this silo's side of the network alone never kills
 * a healthy silo: whenever an intermediary reaches the target, this silo does not vote.
 * <ul>
 * <li>Suspicion ({@link #suspect}): messaging saw a connection to an Active silo refused, or an
 * established one close. The silo is probed at once; if that fails, the intermediaries are asked; if
 * they fail too, this silo votes (and so does each intermediary, from its own failed probe), so with
 * the default two votes a killed silo is Dead well within one probe period instead of after three
 * missed probes. If no intermediary answers, nothing is decided here and the periodic probes go on.</li>
 * <li>Missed probes ({@link #confirmMissedProbes}): the periodic probes missed the limit in a row; the
 * intermediaries are asked before the vote. Without an answer from any intermediary (or without any
 * to ask) this silo votes, as it did before indirect probes.</li>
 * </ul>
 * With only two Active silos there is no intermediary. Suspicion then votes (and one vote is enough
 * there) only when the direct probe was refused too: a refusal means the host answered that nothing
 * listens on the silo's endpoint, so the silo process is gone. The trade-off: a silo whose listener
 * really is closed while the process lives on (it is stopping) is declared Dead at once rather than
 * after the missed probes; a probe that merely times out (a slow host, a network fault between the
 * two) is never enough on this path and waits for the missed probes limit, as before.
 * <p>
 * At most one check runs per target at a time, and a suspicion less than {@link #SPACING} after the
 * last check of the same target ended is ignored, so a storm of failed connections costs one probe.
 * Nothing here blocks: probes complete on other threads, and votes go to the membership thread.
 */
final class SuspicionMonitor {

    private static final Logger log = LoggerFactory.getLogger(SuspicionMonitor.class);

    /** Suspicions of the same silo are at least this far apart. */
    static final Duration SPACING = Duration.ofSeconds(1);

    private final SiloAddress self;
    private final SiloProber prober;
    private final IndirectProber indirect;
    private final Duration probeTimeout;
    private final Supplier<ClusterMembershipSnapshot> snapshot;
    private final BooleanSupplier localActive;
    private final BiConsumer<SiloAddress, String> vote;
    private final Set<SiloAddress> checking = ConcurrentHashMap.newKeySet();
    private final ConcurrentHashMap<SiloAddress, Long> lastCheckEnded = new ConcurrentHashMap<>();

    /**
     * @param vote casts this silo's vote against a silo, with the evidence for the log; it must only
     *        hand the vote to the membership thread, which checks the silo is still Active first
     */
    SuspicionMonitor(
            SiloAddress self,
            SiloProber prober,
            IndirectProber indirect,
            Duration probeTimeout,
            Supplier<ClusterMembershipSnapshot> snapshot,
            BooleanSupplier localActive,
            BiConsumer<SiloAddress, String> vote) {
        this.self = self;
        this.prober = prober;
        this.indirect = indirect;
        this.probeTimeout = probeTimeout;
        this.snapshot = snapshot;
        this.localActive = localActive;
        this.vote = vote;
    }

    /** Evidence that {@code target} may be gone ({@code why}): checks it now. Never blocks. */
    void suspect(SiloAddress target, String why) {
        if (!localActive.getAsBoolean()
                || target.equals(self)
                || !snapshot.get().statusOf(target).isActive()) {
            return;
        }
        Long ended = lastCheckEnded.get(target);
        if (ended != null && System.nanoTime() - ended < SPACING.toNanos()) {
            return;
        }
        if (!checking.add(target)) {
            return;
        }
        log.info("Silo {} suspects silo {} ({}); probing it now", self, target, why);
        DirectProbe.within(prober, target, probeTimeout).whenComplete((ok, failure) -> {
            if (failure == null) {
                log.info("Silo {} answered the probe of silo {}; no longer suspected", target, self);
                done(target);
                return;
            }
            boolean refused = ConnectFailures.nothingListens(failure);
            indirect.probe(target).whenComplete((result, unexpected) -> {
                try {
                    afterSuspicion(target, failure, refused, result);
                } finally {
                    done(target);
                }
            });
        });
    }

    private void afterSuspicion(
            SiloAddress target, Throwable direct, boolean refused, IndirectProber.@Nullable Result result) {
        if (result == null) {
            return;
        }
        switch (result.verdict()) {
            case REACHED -> warnReachedByOthers(target, direct, result);
            case NOT_REACHED ->
                vote.accept(
                        target,
                        "direct probe failed (" + direct.getMessage() + ") and so did the indirect probes of "
                                + result.intermediaries());
            case NO_INTERMEDIARY -> {
                if (refused) {
                    vote.accept(
                            target, "connection refused (" + direct.getMessage() + "), no other Active silo to ask");
                } else {
                    log.info(
                            "Silo {} did not answer a probe of silo {} ({}); no other silo to ask, so the missed probes"
                                    + " limit decides",
                            target,
                            self,
                            direct.getMessage());
                }
            }
            case NO_ANSWER ->
                log.warn(
                        "Silo {} did not answer a probe of silo {} ({}), and none of {} answered the request"
                                + " to probe it; the missed probes limit decides",
                        target,
                        self,
                        direct.getMessage(),
                        result.intermediaries());
        }
    }

    /**
     * The periodic probes of {@code target} missed {@code missed} times in a row, the limit: votes
     * unless an intermediary reaches it. Never blocks.
     */
    void confirmMissedProbes(SiloAddress target, int missed) {
        if (!checking.add(target)) {
            return;
        }
        indirect.probe(target).whenComplete((result, unexpected) -> {
            try {
                if (result != null && result.verdict() == IndirectProber.Verdict.REACHED) {
                    warnReachedByOthers(target, new IllegalStateException(missed + " missed probes in a row"), result);
                } else {
                    vote.accept(
                            target,
                            missed + " missed probes in a row; indirect probe: "
                                    + (result == null ? unexpected : result.verdict() + " " + result.intermediaries()));
                }
            } finally {
                done(target);
            }
        });
    }

    private void warnReachedByOthers(SiloAddress target, Throwable direct, IndirectProber.Result result) {
        log.warn(
                "Silo {} cannot reach silo {} ({}), but {} can: not voting against it. Check the network from {} to {}"
                        + " (firewall, routes, TLS trust): calls between them fail until it is fixed",
                self,
                target,
                direct.getMessage(),
                result.intermediaries(),
                self.endpoint(),
                target.endpoint());
    }

    private void done(SiloAddress target) {
        lastCheckEnded.put(target, System.nanoTime());
        checking.remove(target);
        // Keeps the map to the silos that can still be suspected.
        ClusterMembershipSnapshot members = snapshot.get();
        lastCheckEnded.keySet().removeIf(silo -> !members.statusOf(silo).isActive());
    }
}
