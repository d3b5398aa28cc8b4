package org.orleans4j.grain;

import org.jspecify.annotations.Nullable;

/**
 * The call provably did not run: it could not be sent (no connection to its silo, no gateway, the
 * connection was refused or closed before the call was written), or the receiving silo refused it
 * before its turn (the silo was stopping, overloaded, or was not the silo the call was addressed to).
 * The runtime retries such calls by itself, whatever the method, until the call's response timeout;
 * a caller sees this exception only when that time ran out or automatic retries are off.
 */
public class CallNotDeliveredException extends SiloUnavailableException {

    public CallNotDeliveredException(String message) {
        super(message);
    }

    public CallNotDeliveredException(@Nullable String message, Throwable cause) {
        super(message, cause);
    }
}
