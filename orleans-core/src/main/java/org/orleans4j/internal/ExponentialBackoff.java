package org.orleans4j.internal;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The one backoff of the runtime, for call retries, gateway reconnects and the Kubernetes agent: the
 * initial wait, doubled after each further failure, capped, plus up to {@code jitter} of it at random
 * so that callers that failed together do not retry together.
 *
 * @param initial the wait before the first retry
 * @param max the longest wait; at least {@code initial}
 * @param jitter the share of a wait added at random, from 0 (none) to 1
 */
public record ExponentialBackoff(Duration initial, Duration max, double jitter) {

    public ExponentialBackoff {
        OptionChecks.requirePositive(initial, "initial");
        OptionChecks.requirePositive(max, "max");
        if (max.compareTo(initial) < 0) {
            throw new IllegalArgumentException("max (" + max + ") must be at least initial (" + initial + ")");
        }
        if (!(jitter >= 0 && jitter <= 1)) {
            throw new IllegalArgumentException("jitter must be between 0 and 1, was " + jitter);
        }
    }

    /** Without jitter. */
    public ExponentialBackoff(Duration initial, Duration max) {
        this(initial, max, 0);
    }

    /** The wait before retry number {@code retry} (1 for the first), in milliseconds. */
    public long delayMillis(int retry) {
        int doublings = Math.clamp(retry - 1, 0, 30);
        long initialMillis = initial.toMillis();
        long wait = initialMillis > (Long.MAX_VALUE >> doublings)
                ? max.toMillis()
                : Math.min(max.toMillis(), initialMillis << doublings);
        if (jitter == 0) {
            return wait;
        }
        return wait + ThreadLocalRandom.current().nextLong((long) (wait * jitter) + 1);
    }

    /** The wait before retry number {@code retry} (1 for the first). */
    public Duration delay(int retry) {
        return Duration.ofMillis(delayMillis(retry));
    }
}
