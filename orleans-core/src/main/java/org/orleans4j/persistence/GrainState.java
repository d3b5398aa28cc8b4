package org.orleans4j.persistence;

import java.util.Objects;
import java.util.function.Supplier;

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
    private String etag;
    private boolean recordExists;

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

    public String etag() {
        return etag;
    }

    public void setEtag(String etag) {
        this.etag = etag;
    }

    public boolean recordExists() {
        return recordExists;
    }

    public void setRecordExists(boolean recordExists) {
        this.recordExists = recordExists;
    }
}
