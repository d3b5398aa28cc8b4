package org.orleans4j.membership;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.ServerSocket;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.orleans4j.cluster.ClusterOptions;
import org.orleans4j.cluster.SiloAddress;
import org.orleans4j.cluster.SiloStatus;
import org.orleans4j.grain.SiloUnavailableException;
import org.orleans4j.messaging.MessagingOptions;
import org.orleans4j.messaging.UnauthorizedRequestException;
import org.orleans4j.messaging.internal.SiloMessaging;

/**
 * Three silos in this JVM, each with real messaging on a loopback port, sharing one membership
 * table: they join, probe each other through pings, vote a silent silo Dead, and handle leave and
 * tryKill.
 */
class ClusterMembershipServiceTest {

    private static final ClusterOptions CLUSTER = new ClusterOptions("svc", "test");
    private static final MembershipOptions FAST = new MembershipOptions(
            Duration.ofMillis(200),
            3,
            10,
            2,
            Duration.ofMinutes(2),
            Duration.ofMillis(500),
            Duration.ofMillis(300),
            Duration.ofDays(7));

    private final InMemoryMembershipTable table = new InMemoryMembershipTable();
    private final List<TestSilo> silos = new ArrayList<>();

    /**
     * Probes over the silo's real messaging; an indirect probe is handed to the intermediary's membership
     * service in this JVM, with this silo as the requester (what the connection's identity would be). A
     * cut link from this silo to a target is simulated by failing the direct probes of {@link #cut} silos.
     */
    private final class TestProber implements SiloProber {
        final SiloMessaging messaging;
        SiloAddress self;
        final Set<SiloAddress> cut = ConcurrentHashMap.newKeySet();
        final AtomicInteger directProbes = new AtomicInteger();
        final List<Boolean> indirectAnswers = new CopyOnWriteArrayList<>();

        TestProber(SiloMessaging messaging) {
            this.messaging = messaging;
        }

        @Override
        public CompletableFuture<?> probe(SiloAddress silo, Duration timeout) {
            directProbes.incrementAndGet();
            if (cut.contains(silo)) {
                return CompletableFuture.failedFuture(
                        new SiloUnavailableException("the network from " + self + " to " + silo + " is cut (test)"));
            }
            return messaging.connection(silo).thenCompose(c -> c.ping(timeout));
        }

        @Override
        public CompletableFuture<Boolean> probeIndirectly(
                SiloAddress intermediary, SiloAddress target, Duration timeout) {
            TestSilo other = silos.stream()
                    .filter(s -> s.address.equals(intermediary))
                    .findFirst()
                    .orElse(null);
            if (other == null || other.crashed) {
                return CompletableFuture.failedFuture(new SiloUnavailableException(intermediary + " is gone"));
            }
            try {
                return other.membership.probeFor(self, target).whenComplete((reached, e) -> {
                    if (reached != null) {
                        indirectAnswers.add(reached);
                    }
                });
            } catch (RuntimeException refused) {
                return CompletableFuture.failedFuture(refused);
            }
        }
    }

    private final class TestSilo {
        final SiloAddress address;
        final SiloMessaging messaging;
        final TestProber prober;
        final ClusterMembershipService membership;
        final AtomicBoolean declaredDead = new AtomicBoolean();
        final List<Long> versionsSeen = new CopyOnWriteArrayList<>();
        volatile boolean crashed;

        TestSilo(String name, MembershipOptions options, boolean suspectOnConnectionFailures) throws IOException {
            int port;
            try (ServerSocket probe = new ServerSocket(0)) {
                port = probe.getLocalPort();
            }
            address = new SiloAddress("127.0.0.1", port, Instant.now().getEpochSecond());
            messaging = new SiloMessaging(CLUSTER, address, new MessagingOptions(Duration.ofSeconds(30)), 1);
            messaging.listen("127.0.0.1", port);
            MembershipEntry entry = new MembershipEntry(
                    address, SiloStatus.CREATED, name, "localhost", 0, null, Instant.now(), Instant.now(), List.of());
            prober = new TestProber(messaging);
            prober.self = address;
            membership = new ClusterMembershipService(
                    table, entry, options, prober, () -> declaredDead.set(true), Clock.systemUTC());
            if (suspectOnConnectionFailures) {
                messaging.onPeerFailure(membership::suspect);
                // The notices a silo sends after its table writes, delivered in this JVM.
                membership.onTableWritten(() -> silos.stream()
                        .filter(s -> s != this && !s.crashed)
                        .forEach(s -> s.membership.requestRefresh()));
            }
            membership.subscribe(s -> versionsSeen.add(s.version()));
        }

        /** A crash: messaging and protocol stop, the table row stays as it was. */
        void crash() {
            crashed = true;
            membership.close();
            messaging.close();
        }
    }

    private TestSilo start(String name) throws IOException {
        return start(name, FAST, false);
    }

    private TestSilo start(String name, MembershipOptions options, boolean suspectOnConnectionFailures)
            throws IOException {
        TestSilo silo = new TestSilo(name, options, suspectOnConnectionFailures);
        silos.add(silo);
        silo.membership.join().join();
        return silo;
    }

    @AfterEach
    void stopAll() {
        silos.forEach(TestSilo::crash);
    }

    private static SiloStatus statusSeenBy(TestSilo observer, TestSilo target) {
        return observer.membership.currentSnapshot().statusOf(target.address);
    }

    @Test
    void silosJoinAndSeeEachOtherActive() throws IOException {
        TestSilo a = start("a");
        TestSilo b = start("b");
        TestSilo c = start("c");
        for (TestSilo observer : List.of(a, b, c)) {
            await().atMost(Duration.ofSeconds(10))
                    .until(() ->
                            observer.membership.currentSnapshot().activeSilos().size() == 3);
            assertThat(observer.membership.localStatus()).isEqualTo(SiloStatus.ACTIVE);
        }
        assertThat(a.versionsSeen).isSorted().doesNotHaveDuplicates();
        assertThat(table.readAll().join().version().version())
                .as("3 inserts + 3 Active updates")
                .isEqualTo(6);
    }

    @Test
    void aSilentSiloIsVotedDeadByTheOthers() throws IOException {
        TestSilo a = start("a");
        TestSilo b = start("b");
        TestSilo c = start("c");
        await().atMost(Duration.ofSeconds(10))
                .until(() -> a.membership.currentSnapshot().activeSilos().size() == 3);
        c.crash();
        await().atMost(Duration.ofSeconds(15)).until(() -> statusSeenBy(a, c) == SiloStatus.DEAD);
        await().atMost(Duration.ofSeconds(15)).until(() -> statusSeenBy(b, c) == SiloStatus.DEAD);
        MembershipRow row = table.readRow(c.address).join().row(c.address).orElseThrow();
        assertThat(row.entry().suspectVotes())
                .extracting(SuspectVote::voter)
                .containsAnyOf(a.address, b.address)
                .hasSizeGreaterThanOrEqualTo(2);
        assertThat(a.membership.currentSnapshot().activeSilos()).containsExactlyInAnyOrder(a.address, b.address);
    }

    @Test
    void aLeavingSiloEndsDeadAndOthersSeeIt() throws IOException {
        TestSilo a = start("a");
        TestSilo b = start("b");
        b.membership.leave().join();
        assertThat(b.membership.localStatus()).isEqualTo(SiloStatus.DEAD);
        await().atMost(Duration.ofSeconds(10)).until(() -> statusSeenBy(a, b) == SiloStatus.DEAD);
        assertThat(b.declaredDead).isFalse();
    }

    @Test
    void tryKillDeclaresASiloDeadWhichThenStopsItself() throws IOException {
        TestSilo a = start("a");
        TestSilo b = start("b");
        assertThat(a.membership.tryKill(b.address).join()).isTrue();
        assertThat(statusSeenBy(a, b)).isEqualTo(SiloStatus.DEAD);
        await().atMost(Duration.ofSeconds(10)).until(b.declaredDead::get);
        assertThat(a.membership.tryKill(new SiloAddress("10.9.9.9", 1, 1)).join())
                .as("unknown silo")
                .isFalse();
    }

    // ---- suspicion and indirect probes ----------------------------------------------------------

    private List<SiloAddress> votersAgainst(TestSilo target) {
        return table.readRow(target.address).join().row(target.address).orElseThrow().entry().suspectVotes().stream()
                .map(SuspectVote::voter)
                .toList();
    }

    @Test
    void withDefaultOptionsACrashedSiloIsDeadWithinOneProbePeriodThroughSuspicionAndIndirectProbes()
            throws IOException {
        TestSilo a = start("a", MembershipOptions.DEFAULT, true);
        TestSilo b = start("b", MembershipOptions.DEFAULT, true);
        TestSilo c = start("c", MembershipOptions.DEFAULT, true);
        await().atMost(Duration.ofSeconds(10))
                .until(() -> a.membership.currentSnapshot().activeSilos().size() == 3
                        && b.membership.currentSnapshot().activeSilos().size() == 3);
        long crash = System.nanoTime();
        c.crash(); // its connections to a and b close; then its port refuses connections
        await().atMost(Duration.ofSeconds(5))
                .until(() -> table.readRow(c.address)
                                .join()
                                .row(c.address)
                                .orElseThrow()
                                .entry()
                                .status()
                        == SiloStatus.DEAD);
        long deadMillis = (System.nanoTime() - crash) / 1_000_000;
        System.out.println(
                "MEASURED: crash to Dead with default membership options (5 s probes x 3): " + deadMillis + " ms");
        assertThat(votersAgainst(c))
                .as("a and b each voted from their own failed probes")
                .containsExactlyInAnyOrder(a.address, b.address);
        await().atMost(Duration.ofSeconds(5))
                .until(() -> statusSeenBy(a, c) == SiloStatus.DEAD && statusSeenBy(b, c) == SiloStatus.DEAD);
        assertThat(deadMillis).as("well within one 5 s probe period").isLessThan(5_000);
    }

    @Test
    void aSiloThatAnIntermediaryReachesIsNotVotedAgainstWhenOnlyOneLinkIsCut() throws IOException {
        // 1 s probes (not shorter: c's own probes of b must not time out on a busy test machine), 2 missed.
        MembershipOptions options = new MembershipOptions(
                Duration.ofSeconds(1),
                2,
                10,
                2,
                Duration.ofMinutes(2),
                Duration.ofSeconds(1),
                Duration.ofSeconds(1),
                Duration.ofDays(7));
        TestSilo a = start("a", options, true);
        TestSilo b = start("b", options, true);
        TestSilo c = start("c", options, true);
        await().atMost(Duration.ofSeconds(10))
                .until(() -> a.membership.currentSnapshot().activeSilos().size() == 3);
        a.prober.cut.add(b.address); // a cannot reach b; c can
        a.membership.suspect(b.address, "test: a connection to it closed");
        // Over 6 s a misses the limit again and again, and asks c before each vote it would cast.
        await().during(Duration.ofSeconds(6))
                .atMost(Duration.ofSeconds(8))
                .until(() -> votersAgainst(b).isEmpty() && statusSeenBy(a, b) == SiloStatus.ACTIVE);
        assertThat(a.prober.indirectAnswers)
                .as("c was asked, and reached b every time")
                .isNotEmpty()
                .containsOnly(true);
        assertThat(a.prober.indirectAnswers.size())
                .as("the periodic path asked too, not only the suspicion")
                .isGreaterThan(1);
        assertThat(b.declaredDead).isFalse();
    }

    @Test
    void anIntermediaryThatCannotReachTheSuspectEitherVotesWithTheRequester() throws IOException {
        MembershipOptions slowProbes = MembershipOptions.DEFAULT;
        TestSilo a = start("a", slowProbes, true);
        TestSilo b = start("b", slowProbes, true);
        TestSilo c = start("c", slowProbes, true);
        await().atMost(Duration.ofSeconds(10))
                .until(() -> a.membership.currentSnapshot().activeSilos().size() == 3
                        && c.membership.currentSnapshot().activeSilos().size() == 3);
        a.prober.cut.add(b.address);
        c.prober.cut.add(b.address);
        a.membership.suspect(b.address, "test: a connection to it closed");
        await().atMost(Duration.ofSeconds(5)).until(b.declaredDead::get);
        assertThat(votersAgainst(b)).containsExactlyInAnyOrder(a.address, c.address);
        assertThat(a.prober.indirectAnswers).containsExactly(false);
    }

    @Test
    void withTwoSilosARefusedConnectionIsEnoughButAFailedProbeAloneIsNot() throws IOException {
        TestSilo a = start("a", MembershipOptions.DEFAULT, true);
        TestSilo b = start("b", MembershipOptions.DEFAULT, true);
        await().atMost(Duration.ofSeconds(10))
                .until(() -> a.membership.currentSnapshot().activeSilos().size() == 2);
        // A probe that fails without a refusal: no intermediary to ask, so only the missed probes limit may vote.
        a.prober.cut.add(b.address);
        a.membership.suspect(b.address, "test: a connection to it closed");
        await().during(Duration.ofSeconds(2))
                .atMost(Duration.ofSeconds(3))
                .until(() -> votersAgainst(b).isEmpty());
        a.prober.cut.clear();
        b.crash();
        await().atMost(Duration.ofSeconds(5)).until(() -> statusSeenBy(a, b) == SiloStatus.DEAD);
        assertThat(votersAgainst(b)).containsExactly(a.address);
    }

    @Test
    void probeRequestsFromNonMembersOrAboutNonMembersAreRefused() throws IOException {
        TestSilo a = start("a");
        TestSilo b = start("b");
        TestSilo c = start("c");
        await().atMost(Duration.ofSeconds(10))
                .until(() -> a.membership.currentSnapshot().activeSilos().size() == 3);
        SiloAddress stranger = new SiloAddress("127.0.0.1", 1, 1);
        assertThatThrownBy(() -> a.membership.probeFor(stranger, b.address))
                .isInstanceOf(UnauthorizedRequestException.class)
                .hasMessageContaining("not an Active member");
        assertThatThrownBy(() -> a.membership.probeFor(b.address, stranger))
                .isInstanceOf(UnauthorizedRequestException.class);
        assertThatThrownBy(() -> a.membership.probeFor(b.address, b.address))
                .isInstanceOf(UnauthorizedRequestException.class);
        assertThatThrownBy(() -> a.membership.probeFor(b.address, a.address))
                .isInstanceOf(UnauthorizedRequestException.class);
        assertThat(a.membership.probeFor(b.address, c.address))
                .as("a member asking about a member")
                .succeedsWithin(Duration.ofSeconds(5))
                .isEqualTo(true);
        c.membership.leave().join();
        await().atMost(Duration.ofSeconds(10)).until(() -> statusSeenBy(a, c) == SiloStatus.DEAD);
        assertThatThrownBy(() -> a.membership.probeFor(c.address, b.address))
                .as("a silo that left may not ask")
                .isInstanceOf(UnauthorizedRequestException.class);
    }

    @Test
    void concurrentProbeRequestsAboutOneSiloShareOneProbe() throws IOException {
        TestSilo a = start("a");
        TestSilo b = start("b");
        TestSilo c = start("c");
        await().atMost(Duration.ofSeconds(10))
                .until(() -> c.membership.currentSnapshot().activeSilos().size() == 3);
        int before = c.prober.directProbes.get();
        List<CompletableFuture<Boolean>> answers = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            answers.add(c.membership.probeFor(i % 2 == 0 ? a.address : b.address, i % 2 == 0 ? b.address : a.address));
        }
        for (CompletableFuture<Boolean> answer : answers) {
            assertThat(answer).succeedsWithin(Duration.ofSeconds(5)).isEqualTo(true);
        }
        // Two targets, one probe each (plus at most the periodic probes of c that ran meanwhile).
        assertThat(c.prober.directProbes.get() - before).isLessThanOrEqualTo(2 + 4);
    }
}
