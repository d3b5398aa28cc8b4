package org.orleans4j.spring.jdbc;

import org.orleans4j.runtime.DaemonThreads;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
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
 */
public class JdbcGrainStorage implements GrainStorage, DisposableBean {

    private final JdbcAggregateTemplate template;
    private final String serviceId;
    private final GrainStateSerializer serializer;
    private final ExecutorService executor;

    public JdbcGrainStorage(DataSource dataSource, String serviceId, String table, GrainStateSerializer serializer,
            int threads) {
        this.template = AggregateTemplates.create(dataSource, Map.of(GrainStateRecord.class, table));
        this.serviceId = serviceId;
        this.serializer = serializer;
        this.executor = Executors.newFixedThreadPool(threads, DaemonThreads.named("orleans-storage"));
    }

    @Override
    public <T> CompletableFuture<Void> readState(String stateName, GrainId grainId, GrainState<T> state) {
        return run(stateName, grainId, "read", () -> {
            GrainStateRecord row = template.findById(key(stateName, grainId), GrainStateRecord.class);
            if (row == null || row.payload() == null) {
                state.resetState();
                state.setRecordExists(false);
            } else {
                state.setState(serializer.deserialize(row.payload(), state.type()));
                state.setRecordExists(true);
            }
            state.setEtag(row == null ? null : row.version().toString());
        });
    }

    @Override
    public <T> CompletableFuture<Void> writeState(String stateName, GrainId grainId, GrainState<T> state) {
        // Serialized on the caller's turn: the write stores the value as it was when the grain asked.
        String payload;
        try {
            payload = serializer.serialize(state.state());
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(new GrainException("Could not serialize state '" + stateName
                    + "' of grain " + grainId + " (" + state.type().getName() + "): " + e.getMessage(), e));
        }
        String expected = state.etag();
        return run(stateName, grainId, "write", () -> {
            state.setEtag(store(stateName, grainId, payload, expected));
            state.setRecordExists(true);
        });
    }

    @Override
    public <T> CompletableFuture<Void> clearState(String stateName, GrainId grainId, GrainState<T> state) {
        return run(stateName, grainId, "clear", () -> {
            state.setEtag(store(stateName, grainId, null, state.etag()));
            state.setRecordExists(false);
            state.resetState();
        });
    }

    /** Inserts or updates the expected version; returns the new ETag. */
    private String store(String stateName, GrainId grainId, String payload, String etag) {
        GrainStateRecord.Key key = key(stateName, grainId);
        try {
            GrainStateRecord saved = etag == null
                    ? template.insert(new GrainStateRecord(key, payload, null, Instant.now()))
                    : template.update(new GrainStateRecord(key, payload, parse(etag, stateName, grainId), Instant.now()));
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
            if (t instanceof DuplicateKeyException || t instanceof OptimisticLockingFailureException
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
        return new InconsistentStateException("Version conflict writing state '" + stateName + "' of grain " + grainId
                + ": stored version " + storedEtag + ", write expected " + (etag == null ? "no record" : etag),
                storedEtag, etag, cause);
    }

    private static Long parse(String etag, String stateName, GrainId grainId) {
        try {
            return Long.valueOf(etag);
        } catch (NumberFormatException e) {
            throw new InconsistentStateException("ETag '" + etag + "' of state '" + stateName + "' of grain " + grainId
                    + " was not issued by the JDBC storage", null, etag);
        }
    }

    private CompletableFuture<Void> run(String stateName, GrainId grainId, String operation, Runnable body) {
        if (executor.isShutdown()) {
            return CompletableFuture.failedFuture(new GrainException("Could not " + operation + " state '" + stateName
                    + "' of grain " + grainId + ": the JDBC grain storage is shut down"));
        }
        return CompletableFuture.runAsync(() -> {
            try {
                body.run();
            } catch (InconsistentStateException e) {
                throw e;
            } catch (DataAccessException e) {
                throw new GrainException("Could not " + operation + " state '" + stateName + "' of grain " + grainId
                        + " in the database: " + e.getMostSpecificCause().getMessage(), e);
            }
        }, executor);
    }

    @Override
    public void destroy() {
        executor.shutdown();
    }
}
