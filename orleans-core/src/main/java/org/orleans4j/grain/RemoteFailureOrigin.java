package org.orleans4j.grain;

import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * Attached (as a suppressed exception) to a failure that a grain on another silo threw: names that silo.
 * The failure's own stack trace is the one it had there; this one's is where the caller received it.
 */
public final class RemoteFailureOrigin extends RuntimeException {

    private final String silo;

    public RemoteFailureOrigin(String silo) {
        super("Thrown on " + silo + "; received here");
        this.silo = silo;
    }

    /** The silo (or client) where the failure was thrown. */
    public String silo() {
        return silo;
    }

    /** Where {@code failure} was thrown, when it crossed the wire. */
    public static Optional<String> of(@Nullable Throwable failure) {
        if (failure != null) {
            for (Throwable suppressed : failure.getSuppressed()) {
                if (suppressed instanceof RemoteFailureOrigin origin) {
                    return Optional.of(origin.silo);
                }
            }
        }
        return Optional.empty();
    }
}
