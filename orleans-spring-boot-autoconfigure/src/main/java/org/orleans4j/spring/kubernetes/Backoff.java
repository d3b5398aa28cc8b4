package org.orleans4j.spring.kubernetes;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Exponential backoff between retries of failed Kubernetes API calls: initial, doubled per failure,
 * capped, with up to a quarter of jitter so silos that fail together do not retry together.
 */
final class Backoff {

    private final Duration initial;
    private final Duration max;
    private Duration current;

    Backoff(Duration initial, Duration max) {
        this.initial = initial;
        this.max = max;
        this.current = initial;
    }

    /** The wait before the next retry; each call doubles the one after. */
    synchronized Duration next() {
        Duration wait = current;
        current = current.multipliedBy(2).compareTo(max) > 0 ? max : current.multipliedBy(2);
        long jitter = ThreadLocalRandom.current().nextLong(wait.toMillis() / 4 + 1);
        return wait.plusMillis(jitter);
    }

    synchronized void reset() {
        current = initial;
    }
}
