package org.orleans4j.calls;

import java.time.Duration;
import org.orleans4j.internal.ExponentialBackoff;
import org.orleans4j.internal.OptionChecks;

/**
 * How callers retry grain calls that failed in transit. A call is sent again only when it provably did
 * not run ({@link org.orleans4j.grain.CallNotDeliveredException}: no connection, refused before its
 * turn) or when its method is {@link org.orleans4j.grain.Idempotent} or
 * {@link org.orleans4j.grain.ReadOnly}; each attempt finds the grain again (directory, placement, or
 * the client's gateway). Attempts go on until the call's response timeout, waiting
 * {@code initialBackoff} before the first retry and twice as long before each further one, at most
 * {@code maxBackoff}.
 *
 * @param enabled whether failed calls are retried at all (true); false hands every failure to the caller
 * @param initialBackoff wait before the first retry (50 ms)
 * @param maxBackoff longest wait between attempts (1 s); at least {@code initialBackoff}
 */
public record CallRetryOptions(boolean enabled, Duration initialBackoff, Duration maxBackoff) {

    public static final CallRetryOptions DEFAULT =
            new CallRetryOptions(true, Duration.ofMillis(50), Duration.ofSeconds(1));

    /** No automatic retries: every failure goes to the caller. */
    public static final CallRetryOptions DISABLED =
            new CallRetryOptions(false, DEFAULT.initialBackoff(), DEFAULT.maxBackoff());

    public CallRetryOptions {
        OptionChecks.requirePositive(initialBackoff, "initialBackoff");
        OptionChecks.requirePositive(maxBackoff, "maxBackoff");
        if (maxBackoff.compareTo(initialBackoff) < 0) {
            throw new IllegalArgumentException(
                    "maxBackoff (" + maxBackoff + ") must be at least initialBackoff (" + initialBackoff + ")");
        }
    }

    /** The waits between attempts: {@code initialBackoff} doubled after each failure, at most {@code maxBackoff}. */
    public ExponentialBackoff backoff() {
        return new ExponentialBackoff(initialBackoff, maxBackoff);
    }
}
