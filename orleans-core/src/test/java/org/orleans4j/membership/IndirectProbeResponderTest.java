package org.orleans4j.membership;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.orleans4j.cluster.SiloAddress;
import org.orleans4j.cluster.SiloStatus;
import org.orleans4j.grain.SiloUnavailableException;
import org.orleans4j.messaging.UnauthorizedRequestException;

/**
 * The bounds of the intermediary's side of indirect probes, with probes the test answers itself: how
 * many targets are probed at once for others, how long one probe may take, and that a failed probe of
 * its own makes the intermediary vote while an answered one does not.
 */
class IndirectProbeResponderTest {

    private static final SiloAddress SELF = silo(1);
    private static final SiloAddress REQUESTER = silo(2);

    /** Probes that complete when the test says so. */
    private final Map<SiloAddress, CompletableFuture<Object>> pending = new ConcurrentHashMap<>();

    private final List<SiloAddress> votedAgainst = new CopyOnWriteArrayList<>();
    private final SiloProber prober = new SiloProber() {
        @Override
        public CompletableFuture<?> probe(SiloAddress silo, Duration timeout) {
            return pending.computeIfAbsent(silo, s -> new CompletableFuture<>());
        }

        @Override
        public CompletableFuture<Boolean> probeIndirectly(
                SiloAddress intermediary, SiloAddress target, Duration timeout) {
            throw new AssertionError("an intermediary never asks another intermediary");
        }
    };

    private static SiloAddress silo(int n) {
        return new SiloAddress("10.0.0." + n, 11111, 1);
    }

    private static ClusterMembershipSnapshot activeSilos(int count) {
        Map<SiloAddress, ClusterMember> members = new TreeMap<>();
        for (int n = 1; n <= count; n++) {
            members.put(silo(n), new ClusterMember(silo(n), SiloStatus.ACTIVE, "silo-" + n, null));
        }
        return new ClusterMembershipSnapshot(members, 1);
    }

    private IndirectProbeResponder responder(ClusterMembershipSnapshot members, Duration probeTimeout) {
        return new IndirectProbeResponder(
                SELF, prober, probeTimeout, () -> members, (target, evidence) -> votedAgainst.add(target));
    }

    @Test
    void atMostEightTargetsAreProbedAtOnceForOthers() {
        IndirectProbeResponder responder =
                responder(activeSilos(2 + IndirectProbeResponder.MAX_TARGETS + 1), Duration.ofSeconds(30));
        List<CompletableFuture<Boolean>> answers = new ArrayList<>();
        for (int n = 3; n < 3 + IndirectProbeResponder.MAX_TARGETS; n++) {
            answers.add(responder.probeFor(REQUESTER, silo(n)));
        }
        SiloAddress ninth = silo(3 + IndirectProbeResponder.MAX_TARGETS);
        assertThatThrownBy(() -> responder.probeFor(REQUESTER, ninth))
                .isInstanceOf(SiloUnavailableException.class)
                .hasMessageContaining("already probes 8 silos");
        pending.get(silo(3)).complete("pong");
        assertThat(answers.get(0)).isCompletedWithValue(true);
        assertThat(responder.probeFor(REQUESTER, ninth))
                .as("a place is free again")
                .isNotDone();
        assertThat(pending).hasSize(IndirectProbeResponder.MAX_TARGETS + 1);
        assertThat(votedAgainst).isEmpty();
    }

    @Test
    void aProbeThatNeverAnswersEndsAtTheProbeTimeoutAndTheIntermediaryVotes() {
        IndirectProbeResponder responder = responder(activeSilos(3), Duration.ofMillis(300));
        CompletableFuture<Boolean> answer = responder.probeFor(REQUESTER, silo(3));
        assertThat(answer).succeedsWithin(Duration.ofSeconds(5)).isEqualTo(false);
        assertThat(votedAgainst).containsExactly(silo(3));
    }

    @Test
    void aRefusedProbeIsAnsweredAtOnceAndSharedByConcurrentRequests() {
        IndirectProbeResponder responder = responder(activeSilos(4), Duration.ofSeconds(30));
        CompletableFuture<Boolean> first = responder.probeFor(REQUESTER, silo(3));
        CompletableFuture<Boolean> second = responder.probeFor(silo(4), silo(3));
        pending.get(silo(3)).completeExceptionally(new SiloUnavailableException("connection refused"));
        assertThat(first).isCompletedWithValue(false);
        assertThat(second).isCompletedWithValue(false);
        assertThat(votedAgainst).as("one probe, one vote").containsExactly(silo(3));
    }

    @Test
    void onlyActiveMembersMayAskAndOnlyAboutOtherActiveMembers() {
        Map<SiloAddress, ClusterMember> members = new TreeMap<>(activeSilos(3).members());
        members.put(silo(4), new ClusterMember(silo(4), SiloStatus.SHUTTING_DOWN, "silo-4", null));
        members.put(silo(5), new ClusterMember(silo(5), SiloStatus.DEAD, "silo-5", null));
        IndirectProbeResponder responder = responder(new ClusterMembershipSnapshot(members, 2), Duration.ofSeconds(1));
        for (SiloAddress requester : List.of(silo(4), silo(5), silo(9))) {
            assertThatThrownBy(() -> responder.probeFor(requester, silo(3)))
                    .isInstanceOf(UnauthorizedRequestException.class)
                    .hasMessageContaining("not an Active member");
        }
        for (SiloAddress target : List.of(SELF, REQUESTER, silo(4), silo(5), silo(9))) {
            assertThatThrownBy(() -> responder.probeFor(REQUESTER, target))
                    .isInstanceOf(UnauthorizedRequestException.class)
                    .hasMessageContaining("not another Active member");
        }
        assertThat(pending).as("nothing probed").isEmpty();
    }
}
