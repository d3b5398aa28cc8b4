package org.orleans4j.spring.membership;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.orleans4j.cluster.SiloAddress;
import org.orleans4j.cluster.SiloStatus;
import org.orleans4j.grain.GrainException;
import org.orleans4j.membership.ClusterMembershipService;
import org.orleans4j.membership.InMemoryMembershipTable;
import org.orleans4j.membership.MembershipEntry;
import org.orleans4j.membership.MembershipOptions;
import org.orleans4j.membership.MembershipRow;
import org.orleans4j.membership.MembershipTable;
import org.orleans4j.membership.MembershipTableData;
import org.orleans4j.membership.SiloProber;
import org.orleans4j.membership.TableVersion;

/**
 * The membership protocol over a table that stops answering altogether (a table with no timeout of
 * its own, as a custom one may be): each step waits at most probe timeout x missed probes, fails,
 * and runs again; probing goes on meanwhile; votes that cannot be written fail and are cast again
 * once the table answers.
 */
class FrozenMembershipTableTest {

    /** 200 ms probes, 3 missed probes: table calls are bounded at 600 ms. */
    private static final MembershipOptions FAST = new MembershipOptions(
            Duration.ofMillis(200),
            3,
            10,
            2,
            Duration.ofMinutes(2),
            Duration.ofMillis(300),
            Duration.ofMillis(300),
            Duration.ofDays(7));

    private final InMemoryMembershipTable rows = new InMemoryMembershipTable();
    private final FreezableTable table = new FreezableTable(rows);
    private final SiloAddress self = new SiloAddress("127.0.0.1", 40001, 1);
    private final SiloAddress peer = new SiloAddress("127.0.0.1", 40002, 1);
    private final AtomicInteger probes = new AtomicInteger();
    private final AtomicBoolean peerAnswers = new AtomicBoolean(true);
    private final AtomicBoolean declaredDead = new AtomicBoolean();
    private ClusterMembershipService membership;

    /** Answers like the table it wraps, or never while frozen. */
    private static final class FreezableTable implements MembershipTable {
        private final MembershipTable rows;
        private volatile boolean frozen;

        FreezableTable(MembershipTable rows) {
            this.rows = rows;
        }

        private <T> CompletableFuture<T> answer(java.util.function.Supplier<CompletableFuture<T>> call) {
            return frozen ? new CompletableFuture<>() : call.get();
        }

        @Override
        public CompletableFuture<MembershipTableData> readAll() {
            return answer(rows::readAll);
        }

        @Override
        public CompletableFuture<MembershipTableData> readRow(SiloAddress silo) {
            return answer(() -> rows.readRow(silo));
        }

        @Override
        public CompletableFuture<Boolean> insertRow(MembershipEntry entry, TableVersion version) {
            return answer(() -> rows.insertRow(entry, version));
        }

        @Override
        public CompletableFuture<Boolean> updateRow(MembershipEntry entry, String etag, TableVersion version) {
            return answer(() -> rows.updateRow(entry, etag, version));
        }

        @Override
        public CompletableFuture<Void> updateIAmAlive(MembershipEntry entry) {
            return answer(() -> rows.updateIAmAlive(entry));
        }

        @Override
        public CompletableFuture<Void> cleanupDefunctSiloEntries(Instant cutoff) {
            return answer(() -> rows.cleanupDefunctSiloEntries(cutoff));
        }
    }

    private static MembershipEntry entry(SiloAddress silo, SiloStatus status) {
        return new MembershipEntry(
                silo, status, "silo-" + silo.port(), "localhost", 0, null, Instant.now(), Instant.now(), List.of());
    }

    private void joinBesideAnActivePeer() throws Exception {
        TableVersion version = rows.readAll().join().version();
        assertThat(rows.insertRow(entry(peer, SiloStatus.ACTIVE), version.next())
                        .join())
                .isTrue();
        SiloProber prober = new SiloProber() {
            @Override
            public CompletableFuture<?> probe(SiloAddress silo, Duration timeout) {
                probes.incrementAndGet();
                return peerAnswers.get()
                        ? CompletableFuture.completedFuture(null)
                        : CompletableFuture.failedFuture(new GrainException("no answer from " + silo));
            }

            @Override
            public CompletableFuture<Boolean> probeIndirectly(
                    SiloAddress intermediary, SiloAddress target, Duration timeout) {
                // Two silos: there is never a third one to ask.
                return CompletableFuture.failedFuture(new GrainException("no silo " + intermediary + " in this test"));
            }
        };
        membership = new ClusterMembershipService(
                table, entry(self, SiloStatus.CREATED), FAST, prober, () -> declaredDead.set(true), Clock.systemUTC());
        membership.join().get(10, TimeUnit.SECONDS);
        assertThat(membership.currentSnapshot().activeSilos()).containsExactlyInAnyOrder(self, peer);
    }

    @AfterEach
    void stop() {
        if (membership != null) {
            membership.close();
        }
    }

    private MembershipRow peerRow() {
        return rows.readRow(peer).join().row(peer).orElseThrow();
    }

    @Test
    void aTableThatNeverAnswersFailsEachStepWithinTheBoundAndProbingGoesOn() throws Exception {
        joinBesideAnActivePeer();
        table.frozen = true;
        CompletableFuture<?> refresh = membership.refresh();
        assertThat(refresh)
                .failsWithin(Duration.ofSeconds(10))
                .withThrowableOfType(ExecutionException.class)
                .withMessageContaining("The membership table did not answer a read within 600 ms")
                .havingCause()
                .isInstanceOf(GrainException.class);
        int before = probes.get();
        await().atMost(Duration.ofSeconds(10)).until(() -> probes.get() >= before + 5);
        assertThat(membership.localStatus()).isEqualTo(SiloStatus.ACTIVE);

        table.frozen = false;
        assertThat(membership.refresh().get(10, TimeUnit.SECONDS).activeSilos()).containsExactlyInAnyOrder(self, peer);
        assertThat(peerRow().entry().suspectVotes()).isEmpty();
        assertThat(declaredDead).isFalse();
    }

    @Test
    void aVoteThatCannotBeWrittenFailsAndIsCastAgainOnceTheTableAnswers() throws Exception {
        joinBesideAnActivePeer();
        table.frozen = true;
        peerAnswers.set(false);
        // Enough missed probes for several votes, all of which meet the frozen table.
        int before = probes.get();
        await().atMost(Duration.ofSeconds(15)).until(() -> probes.get() >= before + 2 * FAST.missedProbesLimit());
        assertThat(peerRow().entry().status()).isEqualTo(SiloStatus.ACTIVE);

        table.frozen = false;
        await().atMost(Duration.ofSeconds(10)).until(() -> peerRow().entry().status() == SiloStatus.DEAD);
        assertThat(peerRow().entry().suspectVotes()).extracting(v -> v.voter()).containsExactly(self);
        assertThat(membership.localStatus()).isEqualTo(SiloStatus.ACTIVE);
    }
}
