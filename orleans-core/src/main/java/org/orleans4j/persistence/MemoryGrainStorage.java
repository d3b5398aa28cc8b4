package org.orleans4j.persistence;

import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.jspecify.annotations.Nullable;
import org.orleans4j.grain.GrainException;
import org.orleans4j.grain.GrainId;

/**
 * Grain state in this JVM's memory, with the same ETag rules as the durable providers: for tests and
 * for applications that need no durability.
 * <p>
 * <b>Values are kept by reference, not copied:</b> a grain that mutates its state object after
 * writing changes the stored value too, and two activations reading the same state share one object.
 * (Copying would need a serializer for arbitrary types; the durable providers copy by serializing.)
 * <p>
 * ETags are the decimal text of one counter shared by all states, so every write and clear yields an
 * ETag never issued before. A clear keeps a tombstone carrying its ETag, so an ETag from before the
 * clear stays stale. All operations complete before they return.
 */
public final class MemoryGrainStorage implements GrainStorage {

    private record Key(String stateName, GrainId grainId) {}

    /** A stored version; {@code exists == false} is the tombstone a clear leaves (value {@code null}). */
    private record Entry(@Nullable Object value, String etag, boolean exists) {}

    private final ConcurrentHashMap<Key, Entry> entries = new ConcurrentHashMap<>();
    private final AtomicLong versions = new AtomicLong();

    @Override
    public <T> CompletableFuture<Void> readState(String stateName, GrainId grainId, GrainState<T> state) {
        Entry entry = entries.get(key(stateName, grainId));
        if (entry == null || !entry.exists()) {
            state.resetState();
            state.setEtag(entry == null ? null : entry.etag());
            state.setRecordExists(false);
            return CompletableFuture.completedFuture(null);
        }
        if (entry.value() != null && !state.type().isInstance(entry.value())) {
            // Two grain classes declared one state name with different types: say so instead of a bare cast failure.
            return CompletableFuture.failedFuture(new GrainException("State '" + stateName + "' of grain " + grainId
                    + " holds a " + entry.value().getClass().getName() + ", not the requested "
                    + state.type().getName()));
        }
        state.setState(state.type().cast(entry.value()));
        state.setEtag(entry.etag());
        state.setRecordExists(true);
        return CompletableFuture.completedFuture(null);
    }

    @Override
    public <T> CompletableFuture<Void> writeState(String stateName, GrainId grainId, GrainState<T> state) {
        return replace(key(stateName, grainId), state, state.state(), true);
    }

    @Override
    public <T> CompletableFuture<Void> clearState(String stateName, GrainId grainId, GrainState<T> state) {
        return replace(key(stateName, grainId), state, null, false);
    }

    private static Key key(String stateName, GrainId grainId) {
        return new Key(Objects.requireNonNull(stateName, "stateName"), Objects.requireNonNull(grainId, "grainId"));
    }

    /** Replaces the entry if the stored ETag is the one the state carries; otherwise leaves it as it was. */
    private <T> CompletableFuture<Void> replace(Key key, GrainState<T> state, @Nullable Object value, boolean exists) {
        String expected = state.etag();
        Entry next = new Entry(value, Long.toString(versions.incrementAndGet()), exists);
        // compute() runs the check and the replacement atomically for this key.
        Entry result = entries.compute(key, (k, current) -> {
            String stored = current == null ? null : current.etag();
            return Objects.equals(stored, expected) ? next : current;
        });
        if (result != next) {
            String stored = result == null ? null : result.etag();
            return CompletableFuture.failedFuture(new InconsistentStateException(
                    "ETag mismatch on state '"
                            + key.stateName() + "' of grain " + key.grainId() + ": stored " + describe(stored)
                            + ", the " + (exists ? "write" : "clear") + " expected " + describe(expected)
                            + " (another activation or writer changed it; read the state again)",
                    stored,
                    expected));
        }
        state.setEtag(next.etag());
        state.setRecordExists(exists);
        if (!exists) {
            state.resetState();
        }
        return CompletableFuture.completedFuture(null);
    }

    private static String describe(@Nullable String etag) {
        return etag == null ? "no record" : "ETag " + etag;
    }
}
