package org.orleans4j.spring.jdbc;

import java.time.Instant;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;
import javax.sql.DataSource;
import org.orleans4j.grain.GrainException;
import org.orleans4j.grain.GrainId;
import org.orleans4j.persistence.GrainState;
import org.orleans4j.persistence.GrainStorage;
import org.orleans4j.persistence.InconsistentStateException;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.dao.DataAccessException;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.dao.IncorrectUpdateSemanticsDataAccessException;
import org.springframework.dao.OptimisticLockingFailureException;
import org.springframework.data.jdbc.core.JdbcAggregateTemplate;

/**
 * Grain state in a relational table through Spring Data JDBC, one row per (service, grain, state
 * name). The row's {@code @Version} is the ETag: a write without an ETag inserts (a duplicate key
 * means someone else created it), a write with one updates that exact version. A clear keeps the
 * row without a payload, so versions keep increasing and an ETag from before the clear stays stale.
 * <p>
 * SQL runs on threads of its own, never on a grain's turn. Each call is bounded by the
 * {@link JdbcTimeout}: when the database does not answer in time, the operation fails with a
 * {@link GrainException} naming the state, the grain and the timeout, and the grain's state object
 * is left as it was (a result that arrives later is dropped); the runtime then puts back the value last
 * read or written, rebuilt from the JSON that was stored ({@link GrainState#setStoredCopy}). A write
 * that timed out may still have been applied; then the grain's next write fails with
 * {@link InconsistentStateException}, which deactivates it, and its next activation reads what is stored.
 */
public class JdbcGrainStorage implements GrainStorage, DisposableBean {

    private final JdbcAggregateTemplate template;
    private final String serviceId;
    private final GrainStateSerializer serializer;
    private final BoundedJdbcExecutor executor;

    /** Storage whose calls are bounded by the default {@link JdbcTimeout}. */
    public JdbcGrainStorage(
            DataSource dataSource, String serviceId, String table, GrainStateSerializer serializer, int threads) {
        this(dataSource, serviceId, table, serializer, threads, JdbcTimeout.DEFAULT);
    }

    /**
     * @param threads threads running the blocking JDBC calls
     * @param timeout bound of each call (statement, connection reads, the caller's wait)
     */
    public JdbcGrainStorage(
            DataSource dataSource,
            String serviceId,
            String table,
            GrainStateSerializer serializer,
            int threads,
            JdbcTimeout timeout) {
        this.template = AggregateTemplates.create(timeout.template(dataSource), Map.of(GrainStateRecord.class, table));
        this.serviceId = serviceId;
        this.serializer = serializer;
        this.executor = new BoundedJdbcExecutor("JDBC grain storage", "orleans-storage", threads, timeout);
    }

    /** The bound of each call. */
    public JdbcTimeout timeout() {
        return executor.timeout();
    }

    /** What a read found; applied to the grain's state only if the read completed in time. */
    private record Loaded<T>(T value, String payload, boolean exists, String etag) {}

    @Override
    public <T> CompletableFuture<Void> readState(String stateName, GrainId grainId, GrainState<T> state) {
        Class<T> type = state.type();
        return run(stateName, grainId, "read", () -> {
                    GrainStateRecord row = template.findById(key(stateName, grainId), GrainStateRecord.class);
                    String etag = row == null ? null : row.version().toString();
                    if (row == null || row.payload() == null) {
                        return new Loaded<T>(null, null, false, etag);
                    }
                    return new Loaded<>(serializer.deserialize(row.payload(), type), row.payload(), true, etag);
                })
                .thenAccept(loaded -> {
                    if (loaded.exists()) {
                        state.setState(loaded.value());
                        state.setStoredCopy(copyOf(loaded.payload(), type));
                    } else {
                        state.resetState();
                    }
                    state.setRecordExists(loaded.exists());
                    state.setEtag(loaded.etag());
                });
    }

    @Override
    public <T> CompletableFuture<Void> writeState(String stateName, GrainId grainId, GrainState<T> state) {
        // Serialized on the caller's turn: the write stores the value as it was when the grain asked.
        String payload;
        try {
            payload = serializer.serialize(state.state());
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(new GrainException(
                    "Could not serialize state '" + stateName + "' of grain " + grainId + " ("
                            + state.type().getName() + "): " + e.getMessage(),
                    e));
        }
        String expected = state.etag();
        return run(stateName, grainId, "write", () -> store(stateName, grainId, payload, expected))
                .thenAccept(etag -> {
                    state.setEtag(etag);
                    state.setRecordExists(true);
                    state.setStoredCopy(copyOf(payload, state.type()));
                });
    }

    @Override
    public <T> CompletableFuture<Void> clearState(String stateName, GrainId grainId, GrainState<T> state) {
        String expected = state.etag();
        return run(stateName, grainId, "clear", () -> store(stateName, grainId, null, expected))
                .thenAccept(etag -> {
                    state.setEtag(etag);
                    state.setRecordExists(false);
                    state.resetState();
                });
    }

    /**
     * The stored value, rebuilt from the text that was stored only when the runtime needs it (after a
     * failed write): keeping the text costs nothing, it was made for the write or read anyway.
     */
    private <T> Supplier<T> copyOf(String payload, Class<T> type) {
        return () -> serializer.deserialize(payload, type);
    }

    /** Inserts or updates the expected version; returns the new ETag. */
    private String store(String stateName, GrainId grainId, String payload, String etag) {
        GrainStateRecord.Key key = key(stateName, grainId);
        try {
            GrainStateRecord saved = etag == null
                    ? template.insert(new GrainStateRecord(key, payload, null, Instant.now()))
                    : template.update(
                            new GrainStateRecord(key, payload, parse(etag, stateName, grainId), Instant.now()));
            return saved.version().toString();
        } catch (RuntimeException e) {
            if (isConflict(e)) {
                throw conflict(stateName, grainId, etag, e);
            }
            throw e;
        }
    }

    /** Spring Data wraps differently per operation; a conflict is any of these anywhere in the chain. */
    private static boolean isConflict(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof DuplicateKeyException
                    || t instanceof OptimisticLockingFailureException
                    || t instanceof IncorrectUpdateSemanticsDataAccessException) {
                return true;
            }
        }
        return false;
    }

    private GrainStateRecord.Key key(String stateName, GrainId grainId) {
        return new GrainStateRecord.Key(serviceId, grainId.type(), grainId.key(), stateName);
    }

    private InconsistentStateException conflict(String stateName, GrainId grainId, String etag, Throwable cause) {
        GrainStateRecord stored = template.findById(key(stateName, grainId), GrainStateRecord.class);
        String storedEtag = stored == null ? null : stored.version().toString();
        return new InconsistentStateException(
                "Version conflict writing state '" + stateName + "' of grain " + grainId + ": stored version "
                        + storedEtag + ", write expected " + (etag == null ? "no record" : etag),
                storedEtag,
                etag,
                cause);
    }

    private static Long parse(String etag, String stateName, GrainId grainId) {
        try {
            return Long.valueOf(etag);
        } catch (NumberFormatException e) {
            throw new InconsistentStateException(
                    "ETag '" + etag + "' of state '" + stateName + "' of grain " + grainId
                            + " was not issued by the JDBC storage",
                    null,
                    etag);
        }
    }

    /**
     * Runs {@code body} on the storage's threads, bounded by the timeout. The grain's state object is
     * touched only by the caller's continuation, never by a storage thread, so a late result cannot
     * change it behind the grain's back.
     */
    private <R> CompletableFuture<R> run(String stateName, GrainId grainId, String operation, Supplier<R> body) {
        String what = operation + " state '" + stateName + "' of grain " + grainId;
        return executor.submit(what, body, e -> {
            if (e instanceof DataAccessException data) {
                return new GrainException(
                        "Could not " + what + " in the database: "
                                + data.getMostSpecificCause().getMessage(),
                        e);
            }
            return e;
        });
    }

    @Override
    public void destroy() {
        executor.shutdown();
    }
}
