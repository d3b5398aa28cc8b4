package org.orleans4j.spring.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.awaitility.Awaitility.await;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLTimeoutException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.orleans4j.cluster.GrainAddress;
import org.orleans4j.cluster.SiloAddress;
import org.orleans4j.cluster.SiloStatus;
import org.orleans4j.grain.GrainException;
import org.orleans4j.grain.GrainId;
import org.orleans4j.grain.KeyKind;
import org.orleans4j.membership.MembershipEntry;
import org.orleans4j.membership.MembershipTableData;
import org.orleans4j.persistence.GrainState;
import org.orleans4j.persistence.InconsistentStateException;
import org.orleans4j.spring.directory.JdbcGrainDirectory;
import org.orleans4j.spring.membership.JdbcMembershipTable;
import org.orleans4j.testing.tck.TestState;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.datasource.SingleConnectionDataSource;
import tools.jackson.databind.json.JsonMapper;

/**
 * The JDBC membership table, grain directory and grain storage on a real PostgreSQL server behind a
 * HikariCP pool (as Spring Boot configures it), with {@code orleans.jdbc.timeout} at 1 s: a frozen
 * server fails every call with a clear error at the timeout instead of hanging its caller, and the
 * server's own query timeout ends a statement that waits on a lock.
 */
class JdbcTimeoutsTest {

    private static final Logger log = LoggerFactory.getLogger(JdbcTimeoutsTest.class);
    private static final JdbcTimeout TIMEOUT = new JdbcTimeout(Duration.ofSeconds(1));
    private static final String TABLE = "orleans_grain_state";

    private static FrozenPostgres postgres;
    private static HikariDataSource pool;

    private final String clusterId = "timeouts-" + UUID.randomUUID();
    private final GrainId grain = GrainId.of("account", "a-" + UUID.randomUUID(), KeyKind.STRING);
    private JdbcGrainStorage storage;
    private JdbcMembershipTable table;
    private JdbcGrainDirectory directory;

    @BeforeAll
    static void startDatabase() throws Exception {
        postgres = FrozenPostgres.start();
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(postgres.jdbcUrl());
        config.setPoolName("timeouts-test");
        pool = new HikariDataSource(config);
        GrainStateSchema.create(pool, TABLE);
    }

    @AfterAll
    static void stopDatabase() throws Exception {
        if (pool != null) {
            pool.close();
        }
        if (postgres != null) {
            postgres.close();
        }
    }

    @BeforeEach
    void open() {
        storage = new JdbcGrainStorage(
                pool,
                "svc",
                TABLE,
                new JacksonGrainStateSerializer(JsonMapper.builder().build()),
                4,
                TIMEOUT);
        table = new JdbcMembershipTable(pool, "svc", clusterId, TIMEOUT);
        table.initialize(true);
        directory = new JdbcGrainDirectory(pool, "svc", clusterId, TIMEOUT);
        directory.initialize(true);
    }

    @AfterEach
    void close() {
        storage.destroy();
        table.destroy();
        directory.destroy();
    }

    private static MembershipEntry entry(SiloAddress silo) {
        return new MembershipEntry(
                silo, SiloStatus.ACTIVE, "silo", "localhost", 0, null, Instant.now(), Instant.now(), List.of());
    }

    /** How long {@code call} took to complete, failing the test if it has not after {@code bound}. */
    private static Duration timeToCompletion(long startNanos, CompletableFuture<?> call, Duration bound) {
        try {
            call.handle((v, e) -> null).get(bound.toMillis(), TimeUnit.MILLISECONDS);
        } catch (Exception e) {
            throw new AssertionError("The call did not complete within " + bound + ": it hangs", e);
        }
        return Duration.ofNanos(System.nanoTime() - startNanos);
    }

    private static Throwable failure(CompletableFuture<?> call) {
        Throwable thrown = catchThrowable(call::get);
        assertThat(thrown).isInstanceOf(ExecutionException.class).cause().isInstanceOf(GrainException.class);
        return thrown.getCause();
    }

    @Test
    void aFrozenServerFailsEveryCallAtTheTimeoutWithAClearErrorAndAllWorksAgainWhenItContinues() throws Exception {
        SiloAddress silo = new SiloAddress("127.0.0.1", 11111, 1);
        MembershipTableData empty = table.readAll().get(10, TimeUnit.SECONDS);
        assertThat(table.insertRow(entry(silo), empty.version().next()).get(10, TimeUnit.SECONDS))
                .isTrue();
        GrainAddress registered = new GrainAddress(grain, silo, "activation-1");
        assertThat(directory.register(registered, null).get(10, TimeUnit.SECONDS))
                .isEqualTo(registered);
        GrainState<TestState> state = new GrainState<>(TestState.class, TestState::new);
        storage.readState("s", grain, state).get(10, TimeUnit.SECONDS);
        state.setState(TestState.of("before", 1));
        storage.writeState("s", grain, state).get(10, TimeUnit.SECONDS);
        String etagBefore = state.etag();

        postgres.freeze();
        List<Duration> storageErrors = new ArrayList<>();
        try {
            long start = System.nanoTime();
            state.setState(TestState.of("during", 2));
            CompletableFuture<Void> write = storage.writeState("s", grain, state);
            CompletableFuture<MembershipTableData> read = table.readAll();
            CompletableFuture<Void> alive = table.updateIAmAlive(entry(silo).withIAmAliveTime(Instant.now()));
            CompletableFuture<GrainAddress> lookup = directory.lookup(grain);
            // More calls than the storage has threads: queued ones fail at the timeout too.
            List<CompletableFuture<Void>> reads = new ArrayList<>();
            for (int i = 0; i < 10; i++) {
                reads.add(storage.readState(
                        "s",
                        GrainId.of("account", "other-" + i, KeyKind.STRING),
                        new GrainState<>(TestState.class, TestState::new)));
            }
            Duration bound = Duration.ofSeconds(5);
            Duration writeTook = timeToCompletion(start, write, bound);
            log.info(
                    "Frozen server: the write failed after {} ms, the membership read after {} ms, the directory "
                            + "lookup after {} ms",
                    writeTook.toMillis(),
                    timeToCompletion(start, read, bound).toMillis(),
                    timeToCompletion(start, lookup, bound).toMillis());
            assertThat(writeTook).isGreaterThanOrEqualTo(TIMEOUT.value().minusMillis(50));
            assertThat(failure(write))
                    .hasMessageStartingWith("Could not write state 's' of grain " + grain)
                    .hasMessageContaining("the database did not answer within 1s (orleans.jdbc.timeout)");
            assertThat(failure(read))
                    .hasMessageContaining("Could not read the membership table (service 'svc', cluster '" + clusterId
                            + "'): the database did not answer within 1s");
            assertThat(timeToCompletion(start, alive, bound)).isLessThan(bound);
            assertThat(failure(alive)).hasMessageContaining("Could not update IAmAlive of " + silo);
            assertThat(failure(lookup))
                    .hasMessageContaining("Could not look up grain " + grain)
                    .hasMessageContaining("did not answer within 1s");
            for (CompletableFuture<Void> queued : reads) {
                storageErrors.add(timeToCompletion(start, queued, bound));
                assertThat(failure(queued)).hasMessageContaining("did not answer within 1s");
            }
            // The grain's state object is as the grain left it: a late answer cannot change it behind its back.
            assertThat(state.etag()).isEqualTo(etagBefore);
            assertThat(state.state().name).isEqualTo("during");
        } finally {
            postgres.thaw();
        }
        log.info(
                "Frozen server: 10 further storage reads failed after {} ms",
                storageErrors.stream().map(Duration::toMillis).toList());

        // Everything works again once the server runs. The write may or may not have been applied late
        // (its statement may have reached the server before it froze): the next write either succeeds or
        // meets a newer version, and after a read (what a reactivated grain does) it succeeds.
        await().atMost(Duration.ofSeconds(30))
                .ignoreExceptions()
                .until(() -> table.readAll().get(5, TimeUnit.SECONDS).row(silo).isPresent());
        assertThat(directory.lookup(grain).get(5, TimeUnit.SECONDS)).isEqualTo(registered);
        Throwable retried =
                catchThrowable(() -> storage.writeState("s", grain, state).get(5, TimeUnit.SECONDS));
        if (retried != null) {
            assertThat(retried.getCause()).isInstanceOf(InconsistentStateException.class);
            storage.readState("s", grain, state).get(5, TimeUnit.SECONDS);
            state.setState(TestState.of("after", 3));
            storage.writeState("s", grain, state).get(5, TimeUnit.SECONDS);
        }
        GrainState<TestState> reread = new GrainState<>(TestState.class, TestState::new);
        storage.readState("s", grain, reread).get(5, TimeUnit.SECONDS);
        assertThat(reread.etag()).isEqualTo(state.etag());
        assertThat(reread.state().name).isEqualTo(state.state().name);
    }

    @Test
    void aStatementWaitingOnALockIsCancelledByTheServerAtTheQueryTimeout() throws Exception {
        GrainState<TestState> state = new GrainState<>(TestState.class, TestState::new);
        try (Connection locker = pool.getConnection()) {
            locker.setAutoCommit(false);
            try (Statement lock = locker.createStatement()) {
                lock.execute("LOCK TABLE " + TABLE + " IN ACCESS EXCLUSIVE MODE");
            }
            long start = System.nanoTime();
            CompletableFuture<Void> read = storage.readState("s", grain, state);
            Duration took = timeToCompletion(start, read, Duration.ofSeconds(5));
            assertThat(failure(read)).hasMessageStartingWith("Could not read state 's' of grain " + grain);
            // Without a query timeout the server would keep the statement waiting for the lock until the
            // lock is released; with one, it cancels it and no session waits any more.
            await().atMost(Duration.ofSeconds(10)).until(() -> sessionsWaitingForALock() == 0);
            log.info("A read blocked by a lock failed after {} ms and was cancelled in the server", took.toMillis());
            locker.rollback();
        }
        storage.readState("s", grain, state).get(5, TimeUnit.SECONDS);
        assertThat(state.recordExists()).isFalse();
    }

    @Test
    void theRuntimeReadsWithANetworkTimeoutAndGivesTheConnectionBackAsItWas() throws Exception {
        try (Connection raw = postgres.dataSource().getConnection()) {
            assertThat(raw.getNetworkTimeout()).isZero();
            // One connection, closed only by this test, standing in for a pool that does not reset it.
            SingleConnectionDataSource single = new SingleConnectionDataSource(raw, true);
            DataSource guarded = TIMEOUT.guard(single);
            assertThat(TIMEOUT.guard(guarded)).as("guarded once").isSameAs(guarded);
            try (Connection used = guarded.getConnection()) {
                assertThat(used.getNetworkTimeout()).isEqualTo(2000);
                assertThat(used.unwrap(Connection.class)).isSameAs(used);
            }
            assertThat(raw.getNetworkTimeout()).isZero();
        }
    }

    @Test
    void aConnectionThatArrivesAfterItsCallerGaveUpIsGivenBackUnused() throws Exception {
        BoundedJdbcExecutor executor =
                new BoundedJdbcExecutor("test", "timeouts-test", 1, new JdbcTimeout(Duration.ofMillis(200)));
        DataSource guarded = TIMEOUT.guard(pool);
        CountDownLatch callerGaveUp = new CountDownLatch(1);
        AtomicReference<Throwable> connecting = new AtomicReference<>();
        try {
            CompletableFuture<Void> call = executor.submit(
                    "wait for a connection",
                    () -> {
                        try {
                            // Stands for a wait in the pool that outlasts the timeout.
                            callerGaveUp.await(10, TimeUnit.SECONDS);
                            try (Connection late = guarded.getConnection()) {
                                connecting.set(new AssertionError("got " + late));
                            }
                        } catch (Exception e) {
                            connecting.set(e);
                        }
                        return null;
                    },
                    e -> e);
            assertThat(call)
                    .failsWithin(Duration.ofSeconds(5))
                    .withThrowableOfType(ExecutionException.class)
                    .withMessageContaining("Could not wait for a connection: the database did not answer within 200ms");
            callerGaveUp.countDown();
            await().atMost(Duration.ofSeconds(10)).until(() -> connecting.get() != null);
            assertThat(connecting.get())
                    .isInstanceOf(SQLTimeoutException.class)
                    .hasMessageContaining("The caller stopped waiting");
            await().atMost(Duration.ofSeconds(10))
                    .until(() -> pool.getHikariPoolMXBean().getActiveConnections() == 0);
        } finally {
            executor.shutdown();
        }
    }

    private static int sessionsWaitingForALock() throws Exception {
        try (Connection connection = postgres.dataSource().getConnection();
                Statement statement = connection.createStatement();
                ResultSet rs = statement.executeQuery(
                        "SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock'")) {
            rs.next();
            return rs.getInt(1);
        }
    }
}
