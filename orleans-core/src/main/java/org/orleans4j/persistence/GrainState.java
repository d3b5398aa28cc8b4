package org.orleans4j.persistence;

import java.util.Objects;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * A grain's persistent state as a storage provider sees it: the value, its type, the ETag of the
 * stored version ({@code null} when nothing was ever stored), and whether a record exists.
 *
 * @param <T> the state type
 */
public final class GrainState<T> {

    private final Class<T> type;
    private final Supplier<? extends T> initial;
    private T state;
    private @Nullable String etag;
    private boolean recordExists;
    private @Nullable Supplier<? extends T> storedCopy;

    public GrainState(Class<T> type, Supplier<? extends T> initial) {
        this.type = Objects.requireNonNull(type, "type");
        this.initial = Objects.requireNonNull(initial, "initial");
        this.state = initial.get();
    }

    public Class<T> type() {
        return type;
    }

    public T state() {
        return state;
    }

    public void setState(T state) {
        this.state = state;
    }

    /** Resets the value to a fresh initial value (what a never-written state holds). */
    public void resetState() {
        this.state = initial.get();
    }

    public @Nullable String etag() {
        return etag;
    }

    public void setEtag(@Nullable String etag) {
        this.etag = etag;
    }

    public boolean recordExists() {
        return recordExists;
    }

    public void setRecordExists(boolean recordExists) {
        this.recordExists = recordExists;
    }

    /**
     * Set by a provider that keeps the stored value apart from the grain's object (by serializing it),
     * with each read or write that succeeded: how to rebuild a fresh copy of what the store now holds,
     * typically by deserializing the text it read or wrote. The runtime takes it after the operation
     * and puts such a copy back when a later write or clear fails, because grain code usually changes
     * its state object in place before it writes, so that object no longer shows what is stored.
     * Rebuilding is needed only then, so the successful path costs no copy.
     *
     * @param storedCopy builds a copy of the stored value; {@code null} when the provider keeps none
     */
    public void setStoredCopy(@Nullable Supplier<? extends T> storedCopy) {
        this.storedCopy = storedCopy;
    }

    /** What the provider last set with {@link #setStoredCopy}; {@code null} when none. */
    public @Nullable Supplier<? extends T> storedCopy() {
        return storedCopy;
    }
}
