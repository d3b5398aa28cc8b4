package org.orleans4j.membership;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiConsumer;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import org.orleans4j.cluster.SiloAddress;
import org.orleans4j.grain.SiloUnavailableException;
import org.orleans4j.messaging.UnauthorizedRequestException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The intermediary's side of an indirect probe: another silo could not reach a silo and asks this one
 * to try. Only Active members may ask (the requester is the connection's handshaken peer, never a
 * field of the message), only about another Active member, and the work is bounded whatever they send:
 * one probe in flight per target that every request for it shares, a result reused for
 * {@link #REUSE} after it came, at most {@link #MAX_TARGETS} targets probed at once, and each probe
 * bounded by this silo's own probe timeout. When its own probe fails, this silo has direct evidence of
 * its own and says so ({@code onProbeFailed}), so that it can vote too.
 */
final class IndirectProbeResponder {

    private static final Logger log = LoggerFactory.getLogger(IndirectProbeResponder.class);

    /** Distinct targets probed at once for other silos; more means the asking silos are misbehaving. */
    static final int MAX_TARGETS = 8;
    /** How long a finished probe's result answers further requests about the same target. */
    static final Duration REUSE = Duration.ofMillis(500);

    private record Probe(CompletableFuture<Boolean> result, long startNanos) {}

    private final SiloAddress self;
    private final SiloProber prober;
    private final Duration probeTimeout;
    private final Supplier<ClusterMembershipSnapshot> snapshot;
    private final BiConsumer<SiloAddress, String> onProbeFailed;
    private final ConcurrentHashMap<SiloAddress, Probe> probes = new ConcurrentHashMap<>();

    IndirectProbeResponder(
            SiloAddress self,
            SiloProber prober,
            Duration probeTimeout,
            Supplier<ClusterMembershipSnapshot> snapshot,
            BiConsumer<SiloAddress, String> onProbeFailed) {
        this.self = self;
        this.prober = prober;
        this.probeTimeout = probeTimeout;
        this.snapshot = snapshot;
        this.onProbeFailed = onProbeFailed;
    }

    /**
     * Probes {@code target} for {@code requester}: {@code true} if it answered within the probe timeout.
     * Fails with {@link UnauthorizedRequestException} when the requester is not an Active member or the
     * target is no other Active member, and with {@link SiloUnavailableException} when this silo already
     * probes {@link #MAX_TARGETS} targets for others.
     */
    CompletableFuture<Boolean> probeFor(SiloAddress requester, @Nullable SiloAddress target) {
        ClusterMembershipSnapshot members = snapshot.get();
        if (!members.statusOf(self).isActive()) {
            throw new SiloUnavailableException("Silo " + self + " is not Active; it probes no silo for others");
        }
        if (!members.statusOf(requester).isActive()) {
            throw new UnauthorizedRequestException("Silo " + requester + " is not an Active member; its request to "
                    + "probe " + target + " is refused");
        }
        if (target == null
                || target.equals(self)
                || target.equals(requester)
                || !members.statusOf(target).isActive()) {
            throw new UnauthorizedRequestException("Silo " + requester + " asked silo " + self + " to probe " + target
                    + ", which is not another Active member; refused");
        }
        long now = System.nanoTime();
        Probe current = probes.get(target);
        if (current != null && (!current.result().isDone() || now - current.startNanos() < REUSE.toNanos())) {
            return current.result().copy();
        }
        synchronized (probes) {
            current = probes.get(target);
            if (current != null && (!current.result().isDone() || now - current.startNanos() < REUSE.toNanos())) {
                return current.result().copy();
            }
            // Finished probes are only kept for reuse; those of silos that are no longer Active go.
            probes.entrySet()
                    .removeIf(e -> e.getValue().result().isDone()
                            && (now - e.getValue().startNanos() >= REUSE.toNanos()
                                    || !members.statusOf(e.getKey()).isActive()));
            long running =
                    probes.values().stream().filter(p -> !p.result().isDone()).count();
            if (running >= MAX_TARGETS) {
                throw new SiloUnavailableException("Silo " + self + " already probes " + running + " silos for others;"
                        + " the request of " + requester + " to probe " + target + " is refused");
            }
            Probe probe = new Probe(new CompletableFuture<>(), now);
            probes.put(target, probe);
            start(probe, requester, target);
            return probe.result().copy();
        }
    }

    private void start(Probe probe, SiloAddress requester, SiloAddress target) {
        DirectProbe.within(prober, target, probeTimeout).whenComplete((ok, failure) -> {
            if (failure == null) {
                probe.result().complete(true);
                return;
            }
            log.warn(
                    "Silo {} asked silo {} to probe silo {}, which did not answer it either ({}); voting"
                            + " against it too",
                    requester,
                    self,
                    target,
                    failure.toString());
            // Vote first: by the time the requester hears "failed", this silo's vote is on its way.
            try {
                onProbeFailed.accept(target, "failed an indirect probe for " + requester + ": " + failure);
            } finally {
                probe.result().complete(false);
            }
        });
    }
}
