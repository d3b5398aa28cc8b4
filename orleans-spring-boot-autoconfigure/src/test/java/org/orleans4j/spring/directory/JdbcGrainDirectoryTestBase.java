package org.orleans4j.spring.directory;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.orleans4j.cluster.GrainAddress;
import org.orleans4j.cluster.SiloAddress;
import org.orleans4j.directory.GrainDirectory;
import org.orleans4j.grain.GrainId;
import org.orleans4j.testing.tck.GrainDirectoryContractTest;

/**
 * The directory contract plus what only a shared database adds: racing silos and clusters that
 * share the table. Subclasses supply the database.
 */
abstract class JdbcGrainDirectoryTestBase extends GrainDirectoryContractTest {

    private static final int RACERS = 20;

    private final List<JdbcGrainDirectory> directories = new ArrayList<>();
    private JdbcGrainDirectory directory;

    /** The database, shared by all tests of the class. */
    protected abstract DataSource dataSource();

    /** Each test gets its own cluster id in the shared database: clusters must not see each other. */
    @BeforeEach
    void createDirectory() {
        directory = open("svc", "cluster-" + UUID.randomUUID());
    }

    @AfterEach
    void close() {
        directories.forEach(JdbcGrainDirectory::destroy);
    }

    @Override
    protected GrainDirectory directory() {
        return directory;
    }

    private JdbcGrainDirectory open(String serviceId, String clusterId) {
        JdbcGrainDirectory opened = new JdbcGrainDirectory(dataSource(), serviceId, clusterId);
        opened.initialize(true);
        directories.add(opened);
        return opened;
    }

    private static GrainAddress activation(GrainId id, int silo) {
        return new GrainAddress(
                id,
                new SiloAddress("10.0.1." + silo, 11111, 1),
                UUID.randomUUID().toString());
    }

    @Test
    void racingRegistrationsAllGetTheOneWinner() throws Exception {
        GrainId id = GrainId.ofString("race", UUID.randomUUID().toString());
        List<GrainAddress> attempts = new ArrayList<>();
        for (int i = 0; i < RACERS; i++) {
            attempts.add(activation(id, i));
        }
        List<GrainAddress> results = race(attempts, null);
        assertWinner(attempts, results);
    }

    @Test
    void racingReplacementsOfOneActivationAllGetTheOneWinner() throws Exception {
        GrainId id = GrainId.ofString("race", UUID.randomUUID().toString());
        GrainAddress gone = activation(id, 200);
        directory.register(gone).join();
        List<GrainAddress> attempts = new ArrayList<>();
        for (int i = 0; i < RACERS; i++) {
            attempts.add(activation(id, i));
        }
        List<GrainAddress> results = race(attempts, gone);
        assertWinner(attempts, results);
    }

    /**
     * Each racer registers through its own directory, as each silo has one, so the registrations meet
     * in the database rather than queueing on one directory's threads.
     */
    private List<GrainAddress> race(List<GrainAddress> attempts, GrainAddress previous) throws Exception {
        String clusterId = "race-" + UUID.randomUUID();
        List<JdbcGrainDirectory> silos = new ArrayList<>();
        for (int i = 0; i < attempts.size(); i++) {
            silos.add(open("svc", clusterId));
        }
        if (previous != null) {
            silos.getFirst().register(previous).join();
        }
        CyclicBarrier start = new CyclicBarrier(attempts.size());
        ExecutorService racers = Executors.newFixedThreadPool(attempts.size());
        try {
            List<Future<GrainAddress>> futures = new ArrayList<>();
            for (int i = 0; i < attempts.size(); i++) {
                JdbcGrainDirectory silo = silos.get(i);
                GrainAddress attempt = attempts.get(i);
                futures.add(racers.submit(() -> {
                    start.await(30, TimeUnit.SECONDS);
                    return silo.register(attempt, previous).get(30, TimeUnit.SECONDS);
                }));
            }
            List<GrainAddress> results = new ArrayList<>();
            for (Future<GrainAddress> future : futures) {
                results.add(future.get(60, TimeUnit.SECONDS));
            }
            assertThat(silos.getFirst().lookup(attempts.getFirst().grainId()).join())
                    .as("the stored entry")
                    .isEqualTo(results.getFirst());
            return results;
        } finally {
            racers.shutdownNow();
        }
    }

    private static void assertWinner(List<GrainAddress> attempts, List<GrainAddress> results) {
        Set<GrainAddress> winners = Set.copyOf(results);
        assertThat(winners).as("every racer is told the same winner").hasSize(1);
        assertThat(attempts).as("the winner is one of the racers").containsAll(winners);
        long toldTheyWon = IntStream.range(0, attempts.size())
                .filter(i -> results.get(i).equals(attempts.get(i)))
                .count();
        assertThat(toldTheyWon).as("racers told their own registration won").isEqualTo(1);
    }

    @Test
    void clustersAndServicesAreIsolated() {
        String clusterId = "iso-" + UUID.randomUUID();
        JdbcGrainDirectory a = open("svc", clusterId);
        JdbcGrainDirectory otherCluster = open("svc", clusterId + "-other");
        JdbcGrainDirectory otherService = open("other", clusterId);
        GrainId id = GrainId.ofString("iso", "shared-key");
        GrainAddress inA = activation(id, 1);

        assertThat(a.register(inA).join()).isEqualTo(inA);
        assertThat(otherCluster.lookup(id).join()).isNull();
        assertThat(otherService.lookup(id).join()).isNull();

        GrainAddress inOtherCluster = activation(id, 2);
        GrainAddress inOtherService = activation(id, 1);
        assertThat(otherCluster.register(inOtherCluster).join())
                .as("its own first registration")
                .isEqualTo(inOtherCluster);
        assertThat(otherService.register(inOtherService).join())
                .as("its own first registration")
                .isEqualTo(inOtherService);

        // The other cluster's own entry is on another silo, so anything these delete is a's.
        otherCluster.unregisterSilos(List.of(inA.silo())).join();
        otherCluster.unregister(inA).join();
        assertThat(a.lookup(id).join())
                .as("untouched by the other scopes' deletes")
                .isEqualTo(inA);
        assertThat(otherCluster.lookup(id).join()).isEqualTo(inOtherCluster);

        a.unregisterSilos(List.of(inA.silo())).join();
        assertThat(a.lookup(id).join()).isNull();
        assertThat(otherService.lookup(id).join())
                .as("same silo, other service")
                .isEqualTo(inOtherService);
    }
}
