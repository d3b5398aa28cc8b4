package org.orleans4j.spring.reminders;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;
import javax.sql.DataSource;
import org.jspecify.annotations.Nullable;
import org.orleans4j.grain.GrainException;
import org.orleans4j.grain.GrainId;
import org.orleans4j.grain.KeyKind;
import org.orleans4j.reminders.ReminderEntry;
import org.orleans4j.reminders.ReminderTable;
import org.orleans4j.spring.jdbc.BoundedJdbcExecutor;
import org.orleans4j.spring.jdbc.JdbcTimeout;
import org.orleans4j.spring.jdbc.SchemaStatements;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.core.NestedExceptionUtils;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * The reminder table in a relational database (H2, PostgreSQL), like Orleans' ADO.NET reminder table:
 * one row per reminder, scoped by service id (not cluster id: reminders outlive deployments), with the
 * grain's hash for the range reads of each silo. Every change is a single conditional statement, so the
 * database decides each race; statements run on threads of the table's own, each bounded by the
 * {@link JdbcTimeout}, and fail with a {@link GrainException} naming what could not be done.
 */
public class JdbcReminderTable implements ReminderTable, DisposableBean {

    private static final String TABLE = "orleans_reminders";
    private static final String COLUMNS =
            "grain_type, grain_key, key_kind, reminder_name, start_at, period_millis, etag";
    private static final String ROW =
            " WHERE service_id = ? AND grain_type = ? AND grain_key = ? AND reminder_name = ?";

    /** An insert that loses to a concurrent one is retried as an update; this many rounds means endless churn. */
    private static final int MAX_UPSERT_ROUNDS = 5;

    private static final int THREADS = 2;

    private final JdbcClient jdbc;
    private final String serviceId;
    private final BoundedJdbcExecutor executor;

    /**
     * A reminder table for one service. Call {@link #initialize(boolean)} before use.
     *
     * @param dataSource the database holding {@code orleans_reminders}
     * @param serviceId the service whose reminders this table sees
     * @param timeout bound of each call (statements, connection reads, the caller's wait)
     */
    public JdbcReminderTable(DataSource dataSource, String serviceId, JdbcTimeout timeout) {
        this.jdbc = JdbcClient.create(timeout.template(dataSource));
        this.serviceId = serviceId;
        this.executor = new BoundedJdbcExecutor("JDBC reminder table", "orleans-reminders", THREADS, timeout);
    }

    /**
     * Creates the table and its index if they do not exist.
     *
     * @param createSchema {@code false} when the schema is managed elsewhere (migrations, a DBA)
     */
    public void initialize(boolean createSchema) {
        if (createSchema) {
            SchemaStatements.executeScript(jdbc, "org/orleans4j/spring/reminders/reminders.sql");
        }
    }

    @Override
    public CompletableFuture<List<ReminderEntry>> readRows(GrainId grainId) {
        return async(
                "read the reminders of " + grainId,
                () -> jdbc.sql("SELECT " + COLUMNS + " FROM " + TABLE
                                + " WHERE service_id = ? AND grain_type = ? AND grain_key = ? ORDER BY reminder_name")
                        .params(serviceId, grainId.type(), grainId.key())
                        .query(JdbcReminderTable::entry)
                        .list());
    }

    @Override
    public CompletableFuture<List<ReminderEntry>> readRows(long fromInclusive, long toExclusive) {
        return async(
                "read the reminders of grain hashes [" + fromInclusive + ", " + toExclusive + ")",
                () -> jdbc.sql("SELECT " + COLUMNS + " FROM " + TABLE
                                + " WHERE service_id = ? AND grain_hash >= ? AND grain_hash < ?")
                        .params(serviceId, fromInclusive, toExclusive)
                        .query(JdbcReminderTable::entry)
                        .list());
    }

    @Override
    public CompletableFuture<@Nullable ReminderEntry> readRow(GrainId grainId, String name) {
        return async(
                "read reminder '" + name + "' of " + grainId,
                () -> jdbc.sql("SELECT " + COLUMNS + " FROM " + TABLE + ROW)
                        .params(serviceId, grainId.type(), grainId.key(), name)
                        .query(JdbcReminderTable::entry)
                        .optional()
                        .orElse(null));
    }

    @Override
    public CompletableFuture<String> upsertRow(ReminderEntry entry) {
        GrainId id = entry.grainId();
        return async("register reminder '" + entry.name() + "' of " + id, () -> {
            for (int round = 0; round < MAX_UPSERT_ROUNDS; round++) {
                String etag = UUID.randomUUID().toString();
                int updated = jdbc.sql("UPDATE " + TABLE
                                + " SET key_kind = ?, grain_hash = ?, start_at = ?, period_millis = ?, etag = ?,"
                                + " last_tick = NULL" + ROW)
                        .params(
                                id.keyKind().name(),
                                id.stableHash(),
                                entry.startAt().toEpochMilli(),
                                entry.period().toMillis(),
                                etag,
                                serviceId,
                                id.type(),
                                id.key(),
                                entry.name())
                        .update();
                if (updated == 1) {
                    return etag;
                }
                try {
                    jdbc.sql("INSERT INTO " + TABLE + " (service_id, grain_hash, " + COLUMNS
                                    + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)")
                            .params(
                                    serviceId,
                                    id.stableHash(),
                                    id.type(),
                                    id.key(),
                                    id.keyKind().name(),
                                    entry.name(),
                                    entry.startAt().toEpochMilli(),
                                    entry.period().toMillis(),
                                    etag)
                            .update();
                    return etag;
                } catch (DuplicateKeyException raced) {
                    // Registered meanwhile by another silo: the next round replaces that row.
                }
            }
            throw new GrainException("Could not register reminder '" + entry.name() + "' of " + id + ": the row "
                    + "changed under each of " + MAX_UPSERT_ROUNDS + " attempts");
        });
    }

    @Override
    public CompletableFuture<Boolean> removeRow(GrainId grainId, String name, String etag) {
        return async(
                "remove reminder '" + name + "' of " + grainId,
                () -> jdbc.sql("DELETE FROM " + TABLE + ROW + " AND etag = ?")
                                .params(serviceId, grainId.type(), grainId.key(), name, etag)
                                .update()
                        == 1);
    }

    @Override
    public CompletableFuture<Boolean> claimTick(GrainId grainId, String name, String etag, long tickMillis) {
        return async(
                "record a tick of reminder '" + name + "' of " + grainId,
                () -> jdbc.sql("UPDATE " + TABLE + " SET last_tick = ?" + ROW
                                        + " AND etag = ? AND (last_tick IS NULL OR last_tick < ?)")
                                .params(tickMillis, serviceId, grainId.type(), grainId.key(), name, etag, tickMillis)
                                .update()
                        == 1);
    }

    private static ReminderEntry entry(ResultSet row, int number) throws SQLException {
        return new ReminderEntry(
                GrainId.of(
                        row.getString("grain_type"),
                        row.getString("grain_key"),
                        KeyKind.valueOf(row.getString("key_kind"))),
                row.getString("reminder_name"),
                Instant.ofEpochMilli(row.getLong("start_at")),
                Duration.ofMillis(row.getLong("period_millis")),
                row.getString("etag"));
    }

    private <T> CompletableFuture<T> async(String what, Supplier<T> body) {
        return executor.submit(
                what + " (service '" + serviceId + "')",
                body,
                e -> e instanceof GrainException
                        ? e
                        : new GrainException(
                                "Could not " + what + " (service '" + serviceId + "'): "
                                        + NestedExceptionUtils.getMostSpecificCause(e)
                                                .getMessage(),
                                e));
    }

    /** Stops the executor; operations requested afterwards fail with a {@link GrainException}. */
    @Override
    public void destroy() {
        executor.shutdown();
    }
}
