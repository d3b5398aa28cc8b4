package org.orleans4j.membership;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.ServerSocket;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.orleans4j.messaging.SiloMessaging;
import org.orleans4j.runtime.ClusterOptions;
import org.orleans4j.runtime.MessagingOptions;
import org.orleans4j.runtime.SiloAddress;
import org.orleans4j.runtime.SiloStatus;

/**
 * Three silos in this JVM, each with real messaging on a loopback port, sharing one membership
 * table: they join, probe each other through pings, vote a silent silo Dead, and handle leave and
 * tryKill.
 */
class ClusterMembershipServiceTest {

    private static final ClusterOptions CLUSTER = new ClusterOptions("svc", "test");
    private static final MembershipOptions FAST = new MembershipOptions(Duration.ofMillis(200), 3, 10, 2,
            Duration.ofMinutes(2), Duration.ofMillis(500), Duration.ofMillis(300), Duration.ofDays(7));

    private final InMemoryMembershipTable table = new InMemoryMembershipTable();
    private final List<TestSilo> silos = new ArrayList<>();

    private final class TestSilo {
        final SiloAddress address;
        final SiloMessaging messaging;
        final ClusterMembershipService membership;
        final AtomicBoolean declaredDead = new AtomicBoolean();
        final List<Long> versionsSeen = new CopyOnWriteArrayList<>();

        TestSilo(String name) throws IOException {
            int port;
            try (ServerSocket probe = new ServerSocket(0)) {
                port = probe.getLocalPort();
            }
            address = new SiloAddress("127.0.0.1", port, Instant.now().getEpochSecond());
            messaging = new SiloMessaging(CLUSTER, address, new MessagingOptions(Duration.ofSeconds(30)), 1);
            messaging.listen("127.0.0.1", port);
            MembershipEntry entry = new MembershipEntry(address, SiloStatus.CREATED, name, "localhost", 0, null,
                    Instant.now(), Instant.now(), List.of());
            membership = new ClusterMembershipService(table, entry, FAST,
                    (silo, timeout) -> messaging.connection(silo).thenCompose(c -> c.ping(timeout)),
                    () -> declaredDead.set(true), Clock.systemUTC());
            membership.subscribe(s -> versionsSeen.add(s.version()));
        }

        /** A crash: messaging and protocol stop, the table row stays as it was. */
        void crash() {
            membership.close();
            messaging.close();
        }
    }

    private TestSilo start(String name) throws IOException {
        TestSilo silo = new TestSilo(name);
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
            await().atMost(Duration.ofSeconds(10)).until(() -> observer.membership.currentSnapshot().activeSilos().size() == 3);
            assertThat(observer.membership.localStatus()).isEqualTo(SiloStatus.ACTIVE);
        }
        assertThat(a.versionsSeen).isSorted().doesNotHaveDuplicates();
        assertThat(table.readAll().join().version().version()).as("3 inserts + 3 Active updates").isEqualTo(6);
    }

    @Test
    void aSilentSiloIsVotedDeadByTheOthers() throws IOException {
        TestSilo a = start("a");
        TestSilo b = start("b");
        TestSilo c = start("c");
        await().atMost(Duration.ofSeconds(10)).until(() -> a.membership.currentSnapshot().activeSilos().size() == 3);
        c.crash();
        await().atMost(Duration.ofSeconds(15)).until(() -> statusSeenBy(a, c) == SiloStatus.DEAD);
        await().atMost(Duration.ofSeconds(15)).until(() -> statusSeenBy(b, c) == SiloStatus.DEAD);
        MembershipRow row = table.readRow(c.address).join().row(c.address).orElseThrow();
        assertThat(row.entry().suspectVotes()).extracting(SuspectVote::voter)
                .containsAnyOf(a.address, b.address).hasSizeGreaterThanOrEqualTo(2);
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
        assertThat(a.membership.tryKill(new SiloAddress("10.9.9.9", 1, 1)).join()).as("unknown silo").isFalse();
    }
}
