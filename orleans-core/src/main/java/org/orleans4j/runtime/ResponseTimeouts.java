package org.orleans4j.runtime;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Iterator;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.orleans4j.calls.internal.PendingCalls;
import org.orleans4j.catalog.internal.Request;
import org.orleans4j.grain.ResponseTimeoutException;

/**
 * Fails calls whose response has not arrived within the response timeout.
 * <p>
 * Tracking must cost next to nothing per call: a call is appended to a queue, and a periodic sweep
 * drops the ones already answered (nearly all) and keeps the rest, in arrival order, until they are
 * answered or their deadline passes. Calls are never removed on completion.
 */
final class ResponseTimeouts {

    private final long timeoutNanos;
    /** Striped by thread so that callers on different cores do not contend on one queue tail. */
    @SuppressWarnings({"unchecked", "rawtypes"})
    private final ConcurrentLinkedQueue<Request>[] incoming = new ConcurrentLinkedQueue[STRIPES];

    private static final int STRIPES = 16;
    /** Touched only by the sweeping thread. */
    private final ArrayDeque<Pending> pending = new ArrayDeque<>();

    private record Pending(Request request, long deadline) {}

    ResponseTimeouts(Duration timeout) {
        this.timeoutNanos = timeout.toNanos();
        for (int i = 0; i < STRIPES; i++) {
            incoming[i] = new ConcurrentLinkedQueue<>();
        }
    }

    /** How often {@link #sweep} should run: often enough that a deadline is missed by at most ~10%. */
    Duration sweepPeriod() {
        return PendingCalls.sweepPeriod(Duration.ofNanos(timeoutNanos));
    }

    /** The response timeout, in nanoseconds. */
    long timeoutNanos() {
        return timeoutNanos;
    }

    void track(Request request) {
        incoming[(int) Thread.currentThread().threadId() & (STRIPES - 1)].offer(request);
    }

    synchronized void sweep() {
        long now = System.nanoTime();
        for (ConcurrentLinkedQueue<Request> stripe : incoming) {
            Request request;
            while ((request = stripe.poll()) != null) {
                if (!request.isDone()) {
                    pending.add(new Pending(request, now + timeoutNanos));
                }
            }
        }
        for (Iterator<Pending> it = pending.iterator(); it.hasNext(); ) {
            Pending p = it.next();
            if (p.request().isDone()) {
                it.remove();
            } else if (now - p.deadline() >= 0) {
                it.remove();
                Request late = p.request();
                String why = late.attempts == null
                        ? "; the grain may be deadlocked (a call cycle between " + "non-reentrant grains) or overloaded"
                        : " (" + late.attempts.failures() + " attempts failed in transit"
                                + (late.attempts.mayHaveRun() ? ", some after it was sent, so it may have run)" : ")");
                late.respond(
                        null,
                        new ResponseTimeoutException(
                                "No response to " + late + " within " + Duration.ofNanos(timeoutNanos) + why));
            }
        }
    }
}
