package org.orleans4j.grain;

/**
 * The call may or may not have run: it was sent, and then the silo running it died, or the
 * connection it went over broke, before a response came back. The runtime does not repeat such a
 * call unless its method is {@link Idempotent @Idempotent} or {@link ReadOnly @ReadOnly} (delivery is
 * at most once), since running it again could apply it twice. The caller decides: read the grain's
 * state to find out whether the call took effect, or make the method idempotent (for example with a
 * request id the grain remembers) and mark it. The cause is the transport failure.
 * <p>
 * Not a {@link SiloUnavailableException}: code that retries those must not repeat this call blindly.
 */
public class CallOutcomeUnknownException extends GrainException {

    public CallOutcomeUnknownException(String message) {
        super(message);
    }

    public CallOutcomeUnknownException(String message, Throwable cause) {
        super(message, cause);
    }
}
