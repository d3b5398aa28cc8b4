package org.orleans4j.membership;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Supplier;
import org.orleans4j.cluster.SiloAddress;

/**
 * Asks other Active silos whether they reach a silo this one could not reach, as Orleans' indirect
 * probes do: a failed direct probe alone may be a fault on this silo's side of the network.
 */
final class IndirectProber {

    /** Intermediaries asked at once; one that reaches the target is enough to spare it. */
    static final int INTERMEDIARIES = 2;

    /** What the intermediaries said, all answers taken together. */
    enum Verdict {
        /** At least one intermediary reached the target: it is alive, the fault is on the way from this silo. */
        REACHED,
        /** Every intermediary that answered failed to reach it (and at least one answered). */
        NOT_REACHED,
        /** No intermediary answered in time: nothing learned. */
        NO_ANSWER,
        /** No Active silo besides this one and the target: nobody to ask. */
        NO_INTERMEDIARY
    }

    /** The verdict with the intermediaries behind it (those that reached the target, or those asked). */
    record Result(Verdict verdict, List<SiloAddress> intermediaries) {}

    private final SiloAddress self;
    private final SiloProber prober;
    private final Duration probeTimeout;
    private final Supplier<ClusterMembershipSnapshot> snapshot;

    IndirectProber(
            SiloAddress self, SiloProber prober, Duration probeTimeout, Supplier<ClusterMembershipSnapshot> snapshot) {
        this.self = self;
        this.prober = prober;
        this.probeTimeout = probeTimeout;
        this.snapshot = snapshot;
    }

    /**
     * Asks up to {@link #INTERMEDIARIES} random Active silos (not this one, not the target) to probe
     * {@code target}. Never fails; completes within twice the probe timeout (the intermediary's own
     * probe, plus the way there and back).
     */
    CompletableFuture<Result> probe(SiloAddress target) {
        List<SiloAddress> candidates = new ArrayList<>(snapshot.get().activeSilos());
        candidates.remove(self);
        candidates.remove(target);
        if (candidates.isEmpty()) {
            return CompletableFuture.completedFuture(new Result(Verdict.NO_INTERMEDIARY, List.of()));
        }
        Collections.shuffle(candidates, ThreadLocalRandom.current());
        List<SiloAddress> asked = List.copyOf(candidates.subList(0, Math.min(INTERMEDIARIES, candidates.size())));
        Duration bound = probeTimeout.multipliedBy(2);
        List<CompletableFuture<Boolean>> answers = new ArrayList<>();
        for (SiloAddress intermediary : asked) {
            CompletableFuture<Boolean> answer;
            try {
                answer = prober.probeIndirectly(intermediary, target, probeTimeout)
                        .copy();
            } catch (RuntimeException e) {
                answer = CompletableFuture.failedFuture(e);
            }
            // A missing answer is no evidence either way.
            answers.add(answer.orTimeout(bound.toNanos(), java.util.concurrent.TimeUnit.NANOSECONDS)
                    .exceptionally(failure -> null));
        }
        return CompletableFuture.allOf(answers.toArray(CompletableFuture[]::new))
                .thenApply(done -> {
                    List<SiloAddress> reachedBy = new ArrayList<>();
                    boolean anyFailed = false;
                    for (int i = 0; i < asked.size(); i++) {
                        Boolean reached = answers.get(i).join();
                        if (Boolean.TRUE.equals(reached)) {
                            reachedBy.add(asked.get(i));
                        } else if (Boolean.FALSE.equals(reached)) {
                            anyFailed = true;
                        }
                    }
                    if (!reachedBy.isEmpty()) {
                        return new Result(Verdict.REACHED, List.copyOf(reachedBy));
                    }
                    return new Result(anyFailed ? Verdict.NOT_REACHED : Verdict.NO_ANSWER, asked);
                });
    }
}
