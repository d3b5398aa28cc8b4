package org.orleans4j.grain;

import org.jspecify.annotations.Nullable;

/** Base class of the runtime's own failures, as seen by callers. */
public class GrainException extends RuntimeException {

    public GrainException(@Nullable String message) {
        super(message);
    }

    public GrainException(@Nullable String message, @Nullable Throwable cause) {
        super(message, cause);
    }
}
