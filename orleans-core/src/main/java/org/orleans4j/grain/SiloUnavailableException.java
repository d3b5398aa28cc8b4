package org.orleans4j.grain;

import org.jspecify.annotations.Nullable;

/**
 * The target silo is dead or unreachable. As such the call may have run (it was sent before the silo
 * or its connection went away); the subclass {@link CallNotDeliveredException} says it provably did
 * not. The runtime retries the first kind only for {@link Idempotent} and {@link ReadOnly} methods
 * (others fail with {@link CallOutcomeUnknownException}), the second kind always, within the call's
 * response timeout.
 */
public class SiloUnavailableException extends GrainException {

    public SiloUnavailableException(String message) {
        super(message);
    }

    public SiloUnavailableException(@Nullable String message, @Nullable Throwable cause) {
        super(message, cause);
    }
}
