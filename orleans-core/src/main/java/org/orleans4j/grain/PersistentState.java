package org.orleans4j.grain;

import java.util.concurrent.CompletableFuture;

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
    String etag();

    boolean recordExists();

    CompletableFuture<Void> readState();

    /**
     * Writes the current value. Fails with
     * {@link org.orleans4j.persistence.InconsistentStateException} when the store holds a newer
     * version; the activation is then deactivated so the next call reads the current state.
     */
    CompletableFuture<Void> writeState();

    CompletableFuture<Void> clearState();
}
