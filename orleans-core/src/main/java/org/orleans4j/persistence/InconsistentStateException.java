package org.orleans4j.persistence;

import org.jspecify.annotations.Nullable;
import org.orleans4j.grain.GrainException;

/**
 * A state write or clear carried an ETag that no longer matches the stored one: someone else wrote
 * in between (or the record was created concurrently). The activation that raised it is deactivated
 * so that its next activation reads the current state.
 */
public class InconsistentStateException extends GrainException {

    private final @Nullable String storedEtag;
    private final @Nullable String currentEtag;

    public InconsistentStateException(
            @Nullable String message, @Nullable String storedEtag, @Nullable String currentEtag) {
        super(message);
        this.storedEtag = storedEtag;
        this.currentEtag = currentEtag;
    }

    public InconsistentStateException(
            String message, @Nullable String storedEtag, @Nullable String currentEtag, Throwable cause) {
        super(message, cause);
        this.storedEtag = storedEtag;
        this.currentEtag = currentEtag;
    }

    /** The ETag in storage, when known. */
    public @Nullable String storedEtag() {
        return storedEtag;
    }

    /** The ETag the write carried. */
    public @Nullable String currentEtag() {
        return currentEtag;
    }
}
