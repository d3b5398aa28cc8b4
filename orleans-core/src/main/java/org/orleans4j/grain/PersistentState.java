package org.orleans4j.grain;

import java.util.concurrent.CompletableFuture;
import org.jspecify.annotations.Nullable;

/**
 * A named piece of a grain's persistent state. Declared while the grain is constructed (see
 * {@link GrainBase#persistentState}); the runtime reads it before {@link GrainBase#onActivate()}.
 * The futures complete on the grain's own turn, so continuations may touch grain fields.
 *
 * @param <T> the state type
 */
public interface PersistentState<T> {

    T state();

    void setState(T state);

    /** The ETag of the stored version this activation last read or wrote; {@code null} if none. */
    @Nullable
    String etag();

    boolean recordExists();

    CompletableFuture<Void> readState();

    /**
     * Writes the current value. Fails with
     * {@link org.orleans4j.persistence.InconsistentStateException} when the store holds a newer
     * version; the activation is then deactivated so the next call reads the current state.
     * <p>
     * When the write fails for any reason (also a database error or timeout), {@link #state()},
     * {@link #etag()} and {@link #recordExists()} are back at the version last read or written before
     * the returned future completes: a change made to the state object in place before this call is
     * undone, so the grain never serves a value the store does not have. The activation stays and keeps
     * serving that value.
     */
    CompletableFuture<Void> writeState();

    /** Removes the stored value; when that fails, the state is put back as for {@link #writeState()}. */
    CompletableFuture<Void> clearState();
}
