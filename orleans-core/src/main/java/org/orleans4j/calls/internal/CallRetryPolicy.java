package org.orleans4j.calls.internal;

import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.orleans4j.calls.CallRetryOptions;
import org.orleans4j.grain.CallNotDeliveredException;
import org.orleans4j.grain.CallOutcomeUnknownException;
import org.orleans4j.grain.SiloUnavailableException;
import org.orleans4j.internal.ExponentialBackoff;
import org.orleans4j.metadata.MethodInfo;

/**
 * Whether a grain call that failed in transit is sent again, the one policy of silos and cluster
 * clients. Delivery is at most once: a call is repeated only when it provably did not run
 * ({@link CallNotDeliveredException}) or when its method is {@link org.orleans4j.grain.Idempotent} or
 * {@link org.orleans4j.grain.ReadOnly}; a call that may have run otherwise fails with
 * {@link CallOutcomeUnknownException}. Retries wait with exponential backoff
 * ({@link CallRetryOptions}) and stop when the next attempt would start after the call's deadline.
 * Any other failure (the grain's own exception, a response timeout) goes to the caller unchanged.
 */
public final class CallRetryPolicy {

    /** What follows a failed attempt: another one after {@code retryAfterMillis}, or {@code failure} for the caller. */
    public record Next(long retryAfterMillis, @Nullable Throwable failure) {

        public boolean retries() {
            return failure == null;
        }
    }

    private final CallRetryOptions options;
    private final ExponentialBackoff backoff;

    public CallRetryPolicy(CallRetryOptions options) {
        this.options = options;
        this.backoff = options.backoff();
    }

    /** A failure in transit: the call's silo or connection failed, whether or not the call ran. */
    public static boolean isTransportFailure(Throwable failure) {
        return failure instanceof SiloUnavailableException;
    }

    /** A failure in transit that proves the call did not run. */
    public static boolean provablyNotRun(Throwable failure) {
        return failure instanceof CallNotDeliveredException;
    }

    /** A failure in transit after which the call may have run. */
    public static boolean mayHaveRun(Throwable failure) {
        return isTransportFailure(failure) && !provablyNotRun(failure);
    }

    /**
     * Records that an attempt of {@code call} failed with {@code failure} and decides what follows.
     *
     * @param remainingNanos time left until the call's deadline
     * @param where the silo or gateway the attempt went to, for the caller's message
     */
    public Next next(
            CallAttempts attempts,
            MethodInfo method,
            Throwable failure,
            long remainingNanos,
            Object call,
            String where) {
        if (!isTransportFailure(failure)) {
            return new Next(-1, failure);
        }
        attempts.failed(failure);
        boolean retriable = options.enabled() && (provablyNotRun(failure) || method.isIdempotent());
        String notAgain;
        if (retriable) {
            long delay = backoffMillis(attempts.failures());
            if (remainingNanos - TimeUnit.MILLISECONDS.toNanos(delay) > 0) {
                return new Next(delay, null);
            }
            notAgain = "It was sent " + attempts.failures() + " times until its response timeout ran out";
        } else if (!options.enabled()) {
            notAgain = "It was not sent again because automatic retries are off (orleans.messaging.retry.enabled)";
        } else {
            notAgain = "It was not sent again because " + method + " is not marked @Idempotent or @ReadOnly: mark it "
                    + "@Idempotent if running it twice does no harm, or read the grain's state to find out whether it "
                    + "took effect before calling again";
        }
        return new Next(-1, finalFailure(attempts, failure, call, where, notAgain));
    }

    /**
     * The failure the caller gets when a retry that {@link #next} granted cannot happen ({@code reason}:
     * the caller is stopping, say).
     */
    public Throwable giveUp(CallAttempts attempts, Throwable failure, Object call, String where, String reason) {
        return finalFailure(attempts, failure, call, where, "It was not sent again because " + reason);
    }

    /** The wait before retry number {@code retry} (1 for the first): the initial backoff doubled each time, capped. */
    long backoffMillis(int retry) {
        return backoff.delayMillis(retry);
    }

    private static Throwable finalFailure(
            CallAttempts attempts, Throwable failure, Object call, String where, String notAgain) {
        String last = failure.getMessage();
        if (attempts.mayHaveRun()) {
            return new CallOutcomeUnknownException(
                    call + " may or may not have run on " + where + " (" + last + "). " + notAgain + ".", failure);
        }
        if (attempts.failures() > 1) {
            return new CallNotDeliveredException(
                    call + " did not run: " + attempts.failures() + " attempts failed; " + "the last one, to " + where
                            + ": " + last + ". " + notAgain + ".",
                    failure);
        }
        return failure;
    }
}
