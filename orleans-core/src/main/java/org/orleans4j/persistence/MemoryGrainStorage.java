package org.orleans4j.persistence;

import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.orleans4j.grain.GrainId;

/**
 * Grain state in this JVM's memory, with the same ETag rules as durable providers. Values are kept
 * by reference: a grain that mutates its state object after writing changes the stored value too.
 * For tests and for applications that need no durability.
 */
public final class MemoryGrainStorage implements GrainStorage {

    private record Key(String stateName, GrainId grainId) {
    }

    /** A stored version; {@code value == null && !exists} is the tombstone a clear leaves. */
    private record Entry(Object value, String etag, boolean exists) {
    }

    private final ConcurrentHashMap<Key, Entry> entries = new ConcurrentHashMap<>();
    private final AtomicLong versions = new AtomicLong();

    @Override
    public <T> CompletableFuture<Void> readState(String stateName, GrainId grainId, GrainState<T> state) {
        Entry entry = entries.get(new Key(stateName, grainId));
        if (entry == null || !entry.exists()) {
            state.resetState();
            state.setEtag(entry == null ? null : entry.etag());
            state.setRecordExists(false);
        } else {
            state.setState(state.type().cast(entry.value()));
            state.setEtag(entry.etag());
            state.setRecordExists(true);
        }
        return CompletableFuture.completedFuture(null);
    }

    @Override
    public <T> CompletableFuture<Void> writeState(String stateName, GrainId grainId, GrainState<T> state) {
        return update(stateName, grainId, state, new Entry(state.state(), null, true));
    }

    @Override
    public <T> CompletableFuture<Void> clearState(String stateName, GrainId grainId, GrainState<T> state) {
        return update(stateName, grainId, state, new Entry(null, null, false));
    }

    private <T> CompletableFuture<Void> update(String stateName, GrainId grainId, GrainState<T> state, Entry next) {
        Key key = new Key(stateName, grainId);
        String expected = state.etag();
        String etag = Long.toString(versions.incrementAndGet());
        String[] conflict = new String[1];
        boolean[] failed = new boolean[1];
        entries.compute(key, (k, current) -> {
            String stored = current == null ? null : current.etag();
            if (!Objects.equals(stored, expected)) {
                failed[0] = true;
                conflict[0] = stored;
                return current;
            }
            return new Entry(next.value(), etag, next.exists());
        });
        if (failed[0]) {
            return CompletableFuture.failedFuture(new InconsistentStateException("ETag mismatch for state '" + stateName
                    + "' of grain " + grainId + ": stored " + conflict[0] + ", write carried " + expected,
                    conflict[0], expected));
        }
        state.setEtag(etag);
        state.setRecordExists(next.exists());
        if (!next.exists()) {
            state.resetState();
        }
        return CompletableFuture.completedFuture(null);
    }
}
