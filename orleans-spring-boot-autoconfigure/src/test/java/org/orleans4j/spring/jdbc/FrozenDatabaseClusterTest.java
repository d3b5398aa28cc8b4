package org.orleans4j.spring.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.orleans4j.cluster.SiloStatus;
import org.orleans4j.grain.GrainFactory;
import org.orleans4j.runtime.Silo;
import org.orleans4j.spring.actuate.health.GrainStorageHealthAutoConfiguration;
import org.orleans4j.spring.actuate.health.GrainStorageHealthIndicator;
import org.orleans4j.spring.actuate.health.OrleansHealthAutoConfiguration;
import org.orleans4j.spring.jdbc.frozen.AccountGrain;
import org.orleans4j.spring.jdbc.frozen.FrozenDatabaseApplication;
import org.orleans4j.spring.membership.JdbcClusteringAutoConfiguration;
import org.orleans4j.spring.silo.OrleansAutoConfiguration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.availability.ApplicationAvailabilityAutoConfiguration;
import org.springframework.boot.availability.AvailabilityChangeEvent;
import org.springframework.boot.availability.ReadinessState;
import org.springframework.boot.health.actuate.endpoint.HealthEndpoint;
import org.springframework.boot.health.autoconfigure.actuate.endpoint.AvailabilityProbesAutoConfiguration;
import org.springframework.boot.health.autoconfigure.actuate.endpoint.HealthEndpointAutoConfiguration;
import org.springframework.boot.health.autoconfigure.application.AvailabilityHealthContributorAutoConfiguration;
import org.springframework.boot.health.autoconfigure.contributor.HealthContributorAutoConfiguration;
import org.springframework.boot.health.autoconfigure.registry.HealthContributorRegistryAutoConfiguration;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/**
 * Issue 11, acceptance 4, and issue 12, acceptance 7: two silos (two Spring applications) clustered
 * on one real PostgreSQL server, with the JDBC membership table and the JDBC grain storage, while
 * every process of that server is stopped with {@code SIGSTOP} for 30 s. Calls to active grains keep
 * being answered through both silos, with the value stored before the freeze (the writes that failed
 * changed the state in place, and it was put back), writes fail with an error naming the state and
 * the timeout after the timeout instead of hanging, each silo's readiness group turns
 * OUT_OF_SERVICE ({@code orleansStorage}), no silo is voted or declared Dead, and readiness, writes,
 * IAmAlive and table reads work again once the server is continued.
 * <p>
 * Probe timing is the default (5 s, 3 missed probes: a silo would be voted Dead after 15 s of
 * missed probes, half the freeze), as are {@code orleans.jdbc.timeout} (5 s) and the database check
 * behind readiness ({@code orleans.persistence.jdbc.readiness-check-period}, 2 s). IAmAlive and table
 * refresh run every 5 s and 10 s instead of 30 s and 60 s, so the membership thread meets the frozen
 * table several times during the freeze and the test sees both steps recover after it.
 */
class FrozenDatabaseClusterTest {

    private static final Logger log = LoggerFactory.getLogger(FrozenDatabaseClusterTest.class);
    private static final Duration FREEZE = Duration.ofSeconds(30);
    private static final Duration JDBC_TIMEOUT = Duration.ofSeconds(5);
    private static final int GRAINS = 20;

    private static FrozenPostgres postgres;

    @BeforeAll
    static void startDatabase() throws Exception {
        postgres = FrozenPostgres.start();
    }

    @AfterAll
    static void stopDatabase() throws Exception {
        if (postgres != null) {
            postgres.close();
        }
    }

    private static ApplicationContextRunner silo(String name) {
        return new ApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(
                        DataSourceAutoConfiguration.class,
                        JdbcGrainStorageAutoConfiguration.class,
                        JdbcClusteringAutoConfiguration.class,
                        OrleansAutoConfiguration.class,
                        ApplicationAvailabilityAutoConfiguration.class,
                        HealthContributorAutoConfiguration.class,
                        HealthContributorRegistryAutoConfiguration.class,
                        AvailabilityHealthContributorAutoConfiguration.class,
                        AvailabilityProbesAutoConfiguration.class,
                        HealthEndpointAutoConfiguration.class,
                        OrleansHealthAutoConfiguration.class,
                        GrainStorageHealthAutoConfiguration.class))
                .withUserConfiguration(FrozenDatabaseApplication.class)
                .withPropertyValues(
                        // What ProbeDefaultsEnvironmentPostProcessor sets in a Spring Boot application.
                        "management.endpoint.health.probes.enabled=true",
                        "management.endpoint.health.group.readiness.include=readinessState,orleans,orleansStorage",
                        "spring.datasource.url=" + postgres.jdbcUrl(),
                        "orleans.cluster.service-id=frozen",
                        "orleans.cluster.cluster-id=frozen-db",
                        "orleans.clustering.enabled=true",
                        "orleans.silo.name=" + name,
                        "orleans.endpoints.silo-port=0",
                        "orleans.endpoints.gateway-port=0",
                        "orleans.endpoints.advertised-address=127.0.0.1",
                        "orleans.endpoints.listen-address=127.0.0.1",
                        "orleans.clustering.i-am-alive-period=5s",
                        "orleans.clustering.table-refresh-period=10s");
    }

    /** One write during the freeze: when it was made and how it ended. */
    private record TimedWrite(String grain, long startNanos, CompletableFuture<Long> result, long[] endNanos) {

        static TimedWrite start(GrainFactory via, String grain) {
            long[] end = {0};
            long start = System.nanoTime();
            CompletableFuture<Long> result =
                    via.getGrain(AccountGrain.class, grain).deposit(1);
            result.whenComplete((v, e) -> end[0] = System.nanoTime());
            return new TimedWrite(grain, start, result, end);
        }

        Duration elapsed() {
            return Duration.ofNanos(endNanos[0] - startNanos);
        }
    }

    @Test
    void aFrozenDatabaseEndsInErrorsNotHangsAndTheClusterServesOnAndRecovers() throws Throwable {
        silo("silo-a").run(a -> silo("silo-b").run(b -> frozenDatabase(a, b)));
    }

    /** The readiness group as {@code /actuator/health/readiness} reports it. */
    private static Status readiness(AssertableApplicationContext context) {
        return context.getBean(HealthEndpoint.class).healthForPath("readiness").getStatus();
    }

    /** Records when each silo's readiness was first seen with {@code status} after {@code fromNanos}. */
    private static final class FirstSeen {
        private final long fromNanos;
        private final long[] at;

        FirstSeen(long fromNanos, int silos) {
            this.fromNanos = fromNanos;
            this.at = new long[silos];
        }

        void check(int silo, Status seen, Status wanted) {
            if (at[silo] == 0 && seen.equals(wanted)) {
                at[silo] = System.nanoTime();
            }
        }

        boolean all() {
            return java.util.Arrays.stream(at).allMatch(t -> t != 0);
        }

        List<Long> millis() {
            return java.util.Arrays.stream(at)
                    .mapToObj(t -> t == 0 ? -1 : Duration.ofNanos(t - fromNanos).toMillis())
                    .toList();
        }
    }

    private void frozenDatabase(AssertableApplicationContext first, AssertableApplicationContext second)
            throws Exception {
        assertThat(first).hasNotFailed();
        assertThat(second).hasNotFailed();
        Silo a = first.getBean(Silo.class);
        Silo b = second.getBean(Silo.class);
        GrainFactory viaA = first.getBean(GrainFactory.class);
        GrainFactory viaB = second.getBean(GrainFactory.class);
        await().atMost(Duration.ofSeconds(20))
                .until(() -> a.membership().currentSnapshot().activeSilos().size() == 2
                        && b.membership().currentSnapshot().activeSilos().size() == 2);

        // Grains active on both silos, each known to both (so calls through either need no database).
        for (int i = 0; i < GRAINS; i++) {
            assertThat(viaA.getGrain(AccountGrain.class, "account-" + i)
                            .deposit(100)
                            .get(30, TimeUnit.SECONDS))
                    .isEqualTo(100L);
            assertThat(viaB.getGrain(AccountGrain.class, "account-" + i)
                            .balance()
                            .get(30, TimeUnit.SECONDS))
                    .isEqualTo(100L);
        }
        assertThat(a.catalog().activationCount()).as("activations on silo-a").isPositive();
        assertThat(b.catalog().activationCount()).as("activations on silo-b").isPositive();
        // SpringApplication publishes this once the application is ready; a context runner does not.
        AvailabilityChangeEvent.publish(first, ReadinessState.ACCEPTING_TRAFFIC);
        AvailabilityChangeEvent.publish(second, ReadinessState.ACCEPTING_TRAFFIC);
        await().atMost(Duration.ofSeconds(20))
                .until(() ->
                        readiness(first).equals(Status.UP) && readiness(second).equals(Status.UP));

        List<Long> frozen = postgres.freeze();
        long freezeStart = System.nanoTime();
        log.info("Froze PostgreSQL (pids {}) for {}", frozen, FREEZE);
        List<TimedWrite> writes = new ArrayList<>();
        AtomicInteger answered = new AtomicInteger();
        ConcurrentLinkedQueue<String> failedReads = new ConcurrentLinkedQueue<>();
        CompletableFuture<Long> newActivation;
        long[] lastRound = {0};
        FirstSeen outOfService = new FirstSeen(freezeStart, 2);
        try {
            writes.add(TimedWrite.start(viaA, "account-0"));
            writes.add(TimedWrite.start(viaB, "account-1"));
            newActivation =
                    viaB.getGrain(AccountGrain.class, "new-during-freeze").balance();
            int[] round = {0};
            // Rounds of calls every half second until the freeze has lasted its time (Awaitility paces them).
            await().pollInSameThread()
                    .pollDelay(Duration.ZERO)
                    .pollInterval(Duration.ofMillis(500))
                    .atMost(FREEZE.plusSeconds(30))
                    .until(() -> {
                        int r = round[0]++;
                        if (r == 20
                                || r == 40) { // about 10 s and 20 s into the freeze: writes while already frozen long
                            writes.add(TimedWrite.start(r == 20 ? viaB : viaA, "account-" + (r / 10)));
                        }
                        for (int i = 0; i < GRAINS; i++) {
                            GrainFactory via = (i + r) % 2 == 0 ? viaA : viaB;
                            try {
                                // Exactly what was stored: a write that failed put the state it had changed back.
                                assertThat(via.getGrain(AccountGrain.class, "account-" + i)
                                                .balance()
                                                .get(10, TimeUnit.SECONDS))
                                        .isEqualTo(100L);
                                answered.incrementAndGet();
                            } catch (ExecutionException | java.util.concurrent.TimeoutException | AssertionError e) {
                                failedReads.add("account-" + i + " in round " + r + ": " + e);
                            }
                        }
                        assertThat(a.status()).isEqualTo(SiloStatus.ACTIVE);
                        assertThat(b.status()).isEqualTo(SiloStatus.ACTIVE);
                        // Membership keeps its last view: both silos Active in each one's snapshot.
                        assertThat(a.membership().currentSnapshot().activeSilos())
                                .hasSize(2);
                        assertThat(b.membership().currentSnapshot().activeSilos())
                                .hasSize(2);
                        outOfService.check(0, readiness(first), Status.OUT_OF_SERVICE);
                        outOfService.check(1, readiness(second), Status.OUT_OF_SERVICE);
                        lastRound[0] = System.nanoTime();
                        return lastRound[0] - freezeStart >= FREEZE.toNanos();
                    });
            for (TimedWrite write : writes) {
                // Bounded: a write that hung would fail the test here rather than hang it.
                assertThat(write.result())
                        .failsWithin(JDBC_TIMEOUT.multipliedBy(3))
                        .withThrowableOfType(ExecutionException.class)
                        .withMessageContaining("Could not write state 'balance' of grain")
                        .withMessageContaining("the database did not answer within 5s (orleans.jdbc.timeout)");
            }
            assertThat(newActivation)
                    .failsWithin(JDBC_TIMEOUT.multipliedBy(3))
                    .withThrowableOfType(ExecutionException.class)
                    .withMessageContaining("Could not activate grain")
                    .withMessageContaining("Could not read state 'balance'")
                    .withMessageContaining("did not answer within 5s");
            assertThat(outOfService.all())
                    .as(
                            "readiness OUT_OF_SERVICE on both silos during the freeze, first seen " + "after %s ms",
                            outOfService.millis())
                    .isTrue();
            assertThat(first.getBean(GrainStorageHealthIndicator.class).health().getDetails())
                    .containsEntry("database", "unreachable")
                    .hasEntrySatisfying(
                            "error",
                            error -> assertThat((String) error)
                                    .contains("did not answer within 5s (orleans.jdbc.timeout)"));
        } finally {
            postgres.thaw();
        }
        long thawed = System.nanoTime();
        FirstSeen upAgain = new FirstSeen(thawed, 2);
        await().atMost(Duration.ofSeconds(30))
                .pollInterval(Duration.ofMillis(100))
                .until(() -> {
                    upAgain.check(0, readiness(first), Status.UP);
                    upAgain.check(1, readiness(second), Status.UP);
                    return upAgain.all();
                });
        Duration frozenFor = Duration.ofNanos(thawed - freezeStart);
        List<Duration> timesToError = writes.stream().map(TimedWrite::elapsed).toList();
        log.info(
                "Thawed PostgreSQL after {} ms; {} calls to active grains answered during the freeze, {} failed; "
                        + "writes failed after {} ms",
                frozenFor.toMillis(),
                answered.get(),
                failedReads.size(),
                timesToError.stream().map(Duration::toMillis).toList());
        assertThat(failedReads).as("calls to active grains during the freeze").isEmpty();
        assertThat(Duration.ofNanos(lastRound[0] - freezeStart))
                .as("calls were made until the end of the freeze")
                .isGreaterThanOrEqualTo(FREEZE);
        assertThat(answered.get()).isPositive();
        assertThat(timesToError)
                .allSatisfy(elapsed -> assertThat(elapsed)
                        .isGreaterThanOrEqualTo(JDBC_TIMEOUT.minusMillis(100))
                        .isLessThan(JDBC_TIMEOUT.multipliedBy(3)));

        // Writes work again. A write that timed out may have been applied when the server continued; then
        // the grain's next write meets a newer version, fails with InconsistentStateException and the grain
        // reactivates with the stored state, so the write is retried until it succeeds.
        long[] firstWriteAfter = {0};
        await().atMost(Duration.ofSeconds(30))
                .pollInterval(Duration.ofMillis(200))
                .until(() -> {
                    for (int i = 0; i < 4; i++) {
                        try {
                            viaA.getGrain(AccountGrain.class, "account-" + i)
                                    .deposit(1)
                                    .get(10, TimeUnit.SECONDS);
                        } catch (ExecutionException e) {
                            log.info(
                                    "A write after the thaw failed, retried: {}",
                                    e.getCause().toString());
                            return false;
                        }
                    }
                    firstWriteAfter[0] = System.nanoTime();
                    return true;
                });
        assertThat(viaB.getGrain(AccountGrain.class, "new-during-freeze")
                        .deposit(7)
                        .get(10, TimeUnit.SECONDS))
                .isEqualTo(7L);

        // Membership: table reads and each silo's IAmAlive resume; nobody was voted or declared Dead.
        assertThat(a.membership().refresh().get(10, TimeUnit.SECONDS).activeSilos())
                .hasSize(2);
        assertThat(b.membership().refresh().get(10, TimeUnit.SECONDS).activeSilos())
                .hasSize(2);
        long thawedEpochMillis = System.currentTimeMillis()
                - Duration.ofNanos(System.nanoTime() - thawed).toMillis();
        await().atMost(Duration.ofSeconds(20))
                .pollInterval(Duration.ofMillis(500))
                .untilAsserted(() -> assertThat(rows()).hasSize(2).allSatisfy(row -> {
                    assertThat(row.status()).isEqualTo("ACTIVE");
                    assertThat(row.suspectVotes())
                            .as("suspect votes of %s", row.address())
                            .isNull();
                    assertThat(row.iAmAliveMillis())
                            .as("IAmAlive of %s written after the thaw", row.address())
                            .isGreaterThan(thawedEpochMillis);
                }));
        assertThat(a.status()).isEqualTo(SiloStatus.ACTIVE);
        assertThat(b.status()).isEqualTo(SiloStatus.ACTIVE);
        log.info(
                "After the thaw: writes succeeded again after {} ms; both silos Active with no suspect votes",
                Duration.ofNanos(firstWriteAfter[0] - thawed).toMillis());
        System.out.println("MEASURED: readiness OUT_OF_SERVICE " + outOfService.millis() + " ms after the freeze began "
                + "(silo-a, silo-b); writes during the freeze failed after "
                + timesToError.stream().map(Duration::toMillis).toList() + " ms; readiness UP " + upAgain.millis()
                + " ms after the thaw; writes worked again "
                + Duration.ofNanos(firstWriteAfter[0] - thawed).toMillis() + " ms after the thaw; " + answered.get()
                + " reads of active grains answered during the freeze, " + failedReads.size()
                + " failed; no silo Dead");
    }

    private record Row(String address, String status, String suspectVotes, long iAmAliveMillis) {}

    private static List<Row> rows() throws Exception {
        List<Row> rows = new ArrayList<>();
        try (Connection connection = postgres.dataSource().getConnection();
                Statement statement = connection.createStatement();
                ResultSet rs = statement.executeQuery(
                        "SELECT address, port, generation, status, suspect_votes, "
                                + "i_am_alive_time_ms FROM orleans_membership WHERE service_id = 'frozen' AND cluster_id = 'frozen-db'")) {
            while (rs.next()) {
                rows.add(new Row(
                        rs.getString(1) + ":" + rs.getInt(2) + "@" + rs.getLong(3),
                        rs.getString(4),
                        rs.getString(5),
                        rs.getLong(6)));
            }
        }
        return rows;
    }
}
