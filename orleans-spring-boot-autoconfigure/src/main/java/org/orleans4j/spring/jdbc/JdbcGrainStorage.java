package org.orleans4j.spring.jdbc;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;
import org.orleans4j.grain.GrainException;
import org.orleans4j.grain.GrainId;
import org.orleans4j.persistence.GrainState;
import org.orleans4j.persistence.GrainStorage;
import org.orleans4j.persistence.InconsistentStateException;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.dao.DataAccessException;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Grain state in a relational table, one row per (service, grain, state name). The row's version is
 * the ETag: an insert expects no row, an update or clear expects the version it read, so concurrent
 * writers cannot overwrite each other. A clear keeps a tombstone row (no payload) so versions keep
 * increasing and an ETag from before the clear stays stale.
 */
public class JdbcGrainStorage implements GrainStorage, DisposableBean {

    private final JdbcClient jdbc;
    private final String serviceId;
    private final GrainStateSerializer serializer;
    private final ExecutorService executor;
    private final String select;
    private final String insert;
    private final String update;

    public JdbcGrainStorage(DataSource dataSource, String serviceId, String table, GrainStateSerializer serializer,
            int threads) {
        this.jdbc = JdbcClient.create(dataSource);
        this.serviceId = serviceId;
        this.serializer = serializer;
        AtomicInteger counter = new AtomicInteger();
        this.executor = Executors.newFixedThreadPool(threads, r -> {
            Thread t = new Thread(r, "orleans-storage-" + counter.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        String key = " WHERE service_id = ? AND grain_type = ? AND grain_key = ? AND state_name = ?";
        this.select = "SELECT payload, version FROM " + table + key;
        this.insert = "INSERT INTO " + table
                + " (service_id, grain_type, grain_key, state_name, payload, version, modified_at) VALUES (?, ?, ?, ?, ?, 1, ?)";
        this.update = "UPDATE " + table + " SET payload = ?, version = version + 1, modified_at = ?" + key
                + " AND version = ?";
    }

    private record Row(String payload, long version) {
    }

    @Override
    public <T> CompletableFuture<Void> readState(String stateName, GrainId grainId, GrainState<T> state) {
        return run(stateName, grainId, "read", () -> {
            Optional<Row> row = find(stateName, grainId);
            if (row.isEmpty() || row.get().payload() == null) {
                state.resetState();
                state.setRecordExists(false);
            } else {
                state.setState(serializer.deserialize(row.get().payload(), state.type()));
                state.setRecordExists(true);
            }
            state.setEtag(row.map(r -> Long.toString(r.version())).orElse(null));
        });
    }

    @Override
    public <T> CompletableFuture<Void> writeState(String stateName, GrainId grainId, GrainState<T> state) {
        return run(stateName, grainId, "write", () -> {
            String payload = serializer.serialize(state.state());
            state.setEtag(store(stateName, grainId, payload, state.etag()));
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

    /** Inserts or conditionally updates; returns the new ETag. */
    private String store(String stateName, GrainId grainId, String payload, String etag) {
        Timestamp now = Timestamp.from(Instant.now());
        if (etag == null) {
            try {
                jdbc.sql(insert).params(serviceId, grainId.type(), grainId.key(), stateName, payload, now).update();
                return "1";
            } catch (DuplicateKeyException e) {
                throw conflict(stateName, grainId, null, e);
            }
        }
        long expected = parse(etag, stateName, grainId);
        int rows = jdbc.sql(update).params(payload, now, serviceId, grainId.type(), grainId.key(), stateName, expected)
                .update();
        if (rows == 0) {
            throw conflict(stateName, grainId, etag, null);
        }
        return Long.toString(expected + 1);
    }

    private Optional<Row> find(String stateName, GrainId grainId) {
        return jdbc.sql(select).params(serviceId, grainId.type(), grainId.key(), stateName)
                .query((rs, n) -> new Row(rs.getString(1), rs.getLong(2))).optional();
    }

    private InconsistentStateException conflict(String stateName, GrainId grainId, String etag, Throwable cause) {
        String stored = find(stateName, grainId).map(r -> Long.toString(r.version())).orElse(null);
        return new InconsistentStateException("Version conflict writing state '" + stateName + "' of grain " + grainId
                + ": stored version " + stored + ", write expected " + (etag == null ? "no record" : etag), stored, etag,
                cause);
    }

    private static long parse(String etag, String stateName, GrainId grainId) {
        try {
            return Long.parseLong(etag);
        } catch (NumberFormatException e) {
            throw new InconsistentStateException("ETag '" + etag + "' of state '" + stateName + "' of grain " + grainId
                    + " was not issued by the JDBC storage", null, etag);
        }
    }

    private CompletableFuture<Void> run(String stateName, GrainId grainId, String operation, Runnable body) {
        return CompletableFuture.runAsync(() -> {
            try {
                body.run();
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
