package org.orleans4j.runtime;

import io.github.resilience4j.core.IntervalFunction;
import io.github.resilience4j.retry.Retry;
import io.github.resilience4j.retry.RetryConfig;
import org.orleans4j.grain.SiloUnavailableException;

/**
 * Which grain call failures are retried and how long to wait between attempts: the one policy of
 * silos and cluster clients. Only {@link SiloUnavailableException} is transient; waits grow
 * exponentially within the bounds of {@link CallRetryOptions}.
 */
public final class CallRetryPolicy {

    private CallRetryPolicy() {
    }

    /** A Resilience4j retry for grain calls; callers drive it with {@link Retry#asyncContext()} per call. */
    public static Retry of(String name, CallRetryOptions options) {
        return Retry.of(name, RetryConfig.custom()
                .maxAttempts(options.maxAttempts())
                .intervalFunction(IntervalFunction.ofExponentialBackoff(options.initialBackoff(), 2.0,
                        options.maxBackoff()))
                .retryOnException(CallRetryPolicy::isTransient)
                .build());
    }

    /** Whether a call that failed with {@code failure} may succeed when tried again. */
    public static boolean isTransient(Throwable failure) {
        return failure instanceof SiloUnavailableException;
    }
}
