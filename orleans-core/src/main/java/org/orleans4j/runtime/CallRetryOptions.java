package org.orleans4j.runtime;

import java.time.Duration;

/**
 * How callers retry grain calls that failed transiently ({@link org.orleans4j.grain.SiloUnavailableException}:
 * the target silo died, left, or could not be reached), with exponential backoff. Retries stay
 * within the caller's response timeout. A call that failed because its silo died while running it
 * may run again on the grain's new activation.
 *
 * @param maxAttempts attempts in all, the first included (5; 1 disables retries)
 * @param initialBackoff wait before the first retry (100 ms), doubled for each further one
 * @param maxBackoff longest wait between attempts (2 s)
 */
public record CallRetryOptions(int maxAttempts, Duration initialBackoff, Duration maxBackoff) {

    public static final CallRetryOptions DEFAULT = new CallRetryOptions(5, Duration.ofMillis(100), Duration.ofSeconds(2));

    public CallRetryOptions {
        if (maxAttempts < 1) {
            throw new IllegalArgumentException("maxAttempts must be at least 1, was " + maxAttempts);
        }
        OptionChecks.requirePositive(initialBackoff, "initialBackoff");
        OptionChecks.requirePositive(maxBackoff, "maxBackoff");
    }
}
