package org.orleans4j.testing.tck;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.orleans4j.cluster.SiloAddress;
import org.orleans4j.cluster.SiloManifest;
import org.orleans4j.cluster.SiloStatus;
import org.orleans4j.membership.MembershipEntry;
import org.orleans4j.membership.MembershipRow;
import org.orleans4j.membership.MembershipTable;
import org.orleans4j.membership.MembershipTableData;
import org.orleans4j.membership.SuspectVote;
import org.orleans4j.membership.TableVersion;

/**
 * The contract every {@link MembershipTable} passes (scenario names after Orleans' membership table
 * tests). Subclasses give a fresh, empty table per test.
 */
public abstract class MembershipTableContractTest {

    private static final AtomicInteger PORTS = new AtomicInteger(20_000);

    protected abstract MembershipTable newTable();

    private MembershipTable table;

    @BeforeEach
    void createTable() {
        table = newTable();
    }

    /** Times are truncated to milliseconds: what every store keeps. */
    private static Instant now() {
        return Instant.now().truncatedTo(ChronoUnit.MILLIS);
    }

    private static MembershipEntry entry(SiloStatus status, int gatewayPort) {
        SiloAddress silo =
                new SiloAddress("10.1.0." + (PORTS.get() % 200 + 1), PORTS.incrementAndGet(), 1_795_000_000L);
        return new MembershipEntry(
                silo,
                status,
                "silo-" + silo.port(),
                "host-" + silo.port(),
                gatewayPort,
                "role",
                now(),
                now(),
                List.of());
    }

    private MembershipTableData readAll() {
        return table.readAll().join();
    }

    private boolean insert(MembershipEntry entry) {
        return table.insertRow(entry, readAll().version().next()).join();
    }

    @Test
    void readAllEmptyTable() {
        MembershipTableData data = readAll();
        assertThat(data.rows()).isEmpty();
        assertThat(data.version().version()).isZero();
    }

    @Test
    void insertRow() {
        MembershipEntry entry = entry(SiloStatus.JOINING, 0);
        TableVersion read = readAll().version();
        assertThat(table.insertRow(entry, read.next()).join()).isTrue();
        assertThat(readAll().version().version()).isEqualTo(read.version() + 1);
        assertThat(table.insertRow(entry, readAll().version().next()).join())
                .as("the same silo twice")
                .isFalse();
        MembershipEntry other = entry(SiloStatus.JOINING, 0);
        assertThat(table.insertRow(other, read.next()).join())
                .as("a stale version")
                .isFalse();
        assertThat(readAll().rows()).hasSize(1);
    }

    @Test
    void readRowInsertRead() {
        MembershipEntry entry = entry(SiloStatus.ACTIVE, 30000)
                .withSuspectVotes(List.of(new SuspectVote(new SiloAddress("10.9.9.9", 11111, 5), now())));
        assertThat(table.readRow(entry.silo()).join().rows()).isEmpty();
        assertThat(insert(entry)).isTrue();
        MembershipTableData data = table.readRow(entry.silo()).join();
        assertThat(data.rows()).hasSize(1);
        assertThat(data.rows().get(0).entry()).isEqualTo(entry);
        assertThat(data.rows().get(0).etag()).isNotNull();
        assertThat(data.version().version()).isEqualTo(1);
    }

    /** A row keeps what its silo hosts: placement reads it while silos of two builds run side by side. */
    @Test
    void aRowKeepsItsSilosManifestAndAppVersion() {
        SiloManifest manifest = new SiloManifest(
                "2.4.0-rc1",
                java.util.Set.of("CartGrain", "com.example.Order$Grain"),
                java.util.Map.of("com.example.CartGrain", 3, "com.example.OrderGrain", 0));
        MembershipEntry entry = entry(SiloStatus.JOINING, 30000).withManifest(manifest);
        assertThat(insert(entry)).isTrue();
        MembershipTableData read = table.readRow(entry.silo()).join();
        assertThat(read.rows().get(0).entry().manifest()).isEqualTo(manifest);
        MembershipEntry active = entry.withStatus(SiloStatus.ACTIVE);
        assertThat(table.updateRow(
                                active,
                                read.rows().get(0).etag(),
                                read.version().next())
                        .join())
                .isTrue();
        assertThat(readAll().rows()).extracting(MembershipRow::entry).containsExactly(active);
    }

    @Test
    void readAllInsertReadAll() {
        List<MembershipEntry> entries =
                List.of(entry(SiloStatus.ACTIVE, 0), entry(SiloStatus.JOINING, 0), entry(SiloStatus.DEAD, 0));
        entries.forEach(e -> assertThat(insert(e)).isTrue());
        MembershipTableData data = readAll();
        assertThat(data.rows()).extracting(MembershipRow::entry).containsExactlyInAnyOrderElementsOf(entries);
        assertThat(data.version().version()).isEqualTo(3);
    }

    @Test
    void updateRow() {
        MembershipEntry entry = entry(SiloStatus.JOINING, 0);
        assertThat(insert(entry)).isTrue();
        MembershipTableData read = table.readRow(entry.silo()).join();
        MembershipRow row = read.rows().get(0);
        MembershipEntry active = entry.withStatus(SiloStatus.ACTIVE);
        assertThat(table.updateRow(active, row.etag(), read.version().next()).join())
                .isTrue();

        MembershipTableData after = table.readRow(entry.silo()).join();
        assertThat(after.rows().get(0).entry().status()).isEqualTo(SiloStatus.ACTIVE);
        assertThat(after.rows().get(0).etag()).isNotEqualTo(row.etag());
        assertThat(after.version().version()).isEqualTo(read.version().version() + 1);

        MembershipEntry dead = entry.withStatus(SiloStatus.DEAD);
        assertThat(table.updateRow(dead, row.etag(), after.version().next()).join())
                .as("stale row etag")
                .isFalse();
        assertThat(table.updateRow(
                                dead, after.rows().get(0).etag(), read.version().next())
                        .join())
                .as("stale table version")
                .isFalse();
        assertThat(table.readRow(entry.silo()).join().rows().get(0).entry().status())
                .isEqualTo(SiloStatus.ACTIVE);
    }

    @Test
    void updateRowInParallel() throws Exception {
        MembershipEntry entry = entry(SiloStatus.JOINING, 0);
        assertThat(insert(entry)).isTrue();
        int writers = 20;
        int rounds = 5;
        int successes = 0;
        ExecutorService pool = Executors.newFixedThreadPool(writers);
        try {
            for (int round = 0; round < rounds; round++) {
                MembershipTableData read = table.readRow(entry.silo()).join();
                MembershipRow row = read.rows().get(0);
                CountDownLatch go = new CountDownLatch(1);
                List<Future<Boolean>> results = new ArrayList<>();
                for (int w = 0; w < writers; w++) {
                    int n = w;
                    results.add(pool.submit(() -> {
                        go.await();
                        return table.updateRow(
                                        entry.withIAmAliveTime(now().plusMillis(n)),
                                        row.etag(),
                                        read.version().next())
                                .join();
                    }));
                }
                go.countDown();
                int won = 0;
                for (Future<Boolean> result : results) {
                    won += result.get() ? 1 : 0;
                }
                assertThat(won).as("winners in round " + round).isEqualTo(1);
                successes += won;
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(readAll().version().version())
                .as("one insert plus every successful update")
                .isEqualTo(1 + successes);
    }

    @Test
    void insertRowInParallel() throws Exception {
        int writers = 20;
        ExecutorService pool = Executors.newFixedThreadPool(writers);
        TableVersion read = readAll().version();
        CountDownLatch go = new CountDownLatch(1);
        List<Future<Boolean>> results = new ArrayList<>();
        try {
            for (int w = 0; w < writers; w++) {
                MembershipEntry entry = entry(SiloStatus.JOINING, 0);
                results.add(pool.submit(() -> {
                    go.await();
                    return table.insertRow(entry, read.next()).join();
                }));
            }
            go.countDown();
            int won = 0;
            for (Future<Boolean> result : results) {
                won += result.get() ? 1 : 0;
            }
            assertThat(won).isEqualTo(1);
        } finally {
            pool.shutdownNow();
        }
        assertThat(readAll().rows()).hasSize(1);
        assertThat(readAll().version().version()).isEqualTo(read.version() + 1);
    }

    @Test
    void updateIAmAliveLeavesTheVersionAndEtagUnchanged() {
        MembershipEntry entry = entry(SiloStatus.ACTIVE, 0);
        assertThat(insert(entry)).isTrue();
        MembershipTableData before = table.readRow(entry.silo()).join();
        Instant later = now().plus(Duration.ofMinutes(1));
        table.updateIAmAlive(entry.withIAmAliveTime(later)).join();
        MembershipTableData after = table.readRow(entry.silo()).join();
        assertThat(after.rows().get(0).entry().iAmAliveTime()).isEqualTo(later);
        assertThat(after.rows().get(0).entry().status()).isEqualTo(SiloStatus.ACTIVE);
        assertThat(after.version().version()).isEqualTo(before.version().version());
        assertThat(after.rows().get(0).etag()).isEqualTo(before.rows().get(0).etag());
    }

    @Test
    void getGateways() {
        MembershipEntry gateway = entry(SiloStatus.ACTIVE, 30000);
        insert(gateway);
        insert(entry(SiloStatus.ACTIVE, 0));
        insert(entry(SiloStatus.DEAD, 30001));
        insert(entry(SiloStatus.JOINING, 30002));
        assertThat(table.getGateways().join()).containsExactly(gateway.silo().host() + ":30000");
    }

    @Test
    void cleanupDefunctSiloEntries() {
        Instant old = now().minus(Duration.ofDays(8));
        MembershipEntry oldDead = entry(SiloStatus.DEAD, 0).withIAmAliveTime(old);
        MembershipEntry recentDead = entry(SiloStatus.DEAD, 0);
        MembershipEntry oldActive = entry(SiloStatus.ACTIVE, 0).withIAmAliveTime(old);
        insert(oldDead);
        insert(recentDead);
        insert(oldActive);
        table.cleanupDefunctSiloEntries(now().minus(Duration.ofDays(7))).join();
        assertThat(readAll().rows())
                .extracting(r -> r.entry().silo())
                .containsExactlyInAnyOrder(recentDead.silo(), oldActive.silo());
    }
}
