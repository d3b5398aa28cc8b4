package org.orleans4j.runtime;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.jspecify.annotations.Nullable;
import org.orleans4j.calls.internal.PendingCalls;
import org.orleans4j.catalog.internal.Request;
import org.orleans4j.grain.ResponseTimeoutException;

/**
 * Fails calls whose response has not arrived within the response timeout.
 *
 * <p>Tracking must cost next to nothing per call: a call is appended to a queue and never removed on
 * completion. A periodic sweep fails the overdue calls. The answered calls (nearly all) are dropped
 * sooner, once a few thousand have been tracked on a queue: a call held until the next sweep (up to a
 * second) keeps its request, arguments, future and result reachable, and at a few hundred thousand
 * calls a second every young collection then copies them all (pauses of 110-210 ms every second were
 * measured so). That look runs on {@code compactor}, not on the tracking thread, which may be an event
 * loop.
 */
final class ResponseTimeouts {

    private static final int STRIPES = 16;
    /**
     * How many calls a queue takes, beyond twice those still unanswered at its last look, before it is
     * looked at again: a look then reads at least as many new calls as old ones, so it costs a small
     * constant per call however many calls stay unanswered, and the answered calls held stay bounded.
     */
    static final int LOOK_AFTER = 4096;

    private final long timeoutNanos;
    private final Executor compactor;
    /** Striped by thread so that callers on different cores do not contend on one queue tail. */
    private final Stripe[] stripes = new Stripe[STRIPES];
    /** A look is queued on the compactor and has not started. */
    private final AtomicBoolean lookQueued = new AtomicBoolean();

    private static final class Stripe {
        final ConcurrentLinkedQueue<Request> calls = new ConcurrentLinkedQueue<>();
        /** The calls in {@link #calls}: raised by trackers, lowered by looks. */
        final AtomicInteger size = new AtomicInteger();
        /** The size at which the stripe is due for a look; written by looks only. */
        volatile int lookAt = LOOK_AFTER;
    }

    ResponseTimeouts(Duration timeout, Executor compactor) {
        this.timeoutNanos = timeout.toNanos();
        this.compactor = compactor;
        for (int i = 0; i < STRIPES; i++) {
            stripes[i] = new Stripe();
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

    /** Tracks {@code request}, whose deadline is set, until it is answered or fails for its timeout. */
    void track(Request request) {
        Stripe stripe = stripes[(int) Thread.currentThread().threadId() & (STRIPES - 1)];
        stripe.calls.offer(request);
        if (stripe.size.incrementAndGet() >= stripe.lookAt && lookQueued.compareAndSet(false, true)) {
            try {
                compactor.execute(this::dropAnswered);
            } catch (RejectedExecutionException stopping) {
                // The silo is stopping: its last sweep fails what is left.
                lookQueued.set(false);
            }
        }
    }

    /** Calls tracked and not yet dropped: the unanswered ones, and answered ones not looked at since. */
    int tracked() {
        int tracked = 0;
        for (Stripe stripe : stripes) {
            tracked += stripe.size.get();
        }
        return tracked;
    }

    /** Drops the answered calls of the queues due for it. */
    private void dropAnswered() {
        lookQueued.set(false);
        synchronized (this) {
            for (Stripe stripe : stripes) {
                if (stripe.size.get() >= stripe.lookAt) {
                    look(stripe, 0, null);
                }
            }
        }
    }

    /** Fails the overdue calls with a {@link ResponseTimeoutException}, and drops the answered ones. */
    void sweep() {
        long now = System.nanoTime();
        List<Request> late = new ArrayList<>();
        synchronized (this) {
            for (Stripe stripe : stripes) {
                look(stripe, now, late);
            }
        }
        // Outside the lock: failing a call runs the caller's dependents.
        for (Request request : late) {
            request.respond(null, timedOut(request, timeoutNanos));
        }
    }

    /** The failure of {@code request}, past its deadline with no response. */
    static ResponseTimeoutException timedOut(Request request, long timeoutNanos) {
        String why = request.attempts == null
                ? "; the grain may be deadlocked (a call cycle between non-reentrant grains) or overloaded"
                : " (" + request.attempts.failures() + " attempts failed in transit"
                        + (request.attempts.mayHaveRun() ? ", some after it was sent, so it may have run)" : ")");
        return new ResponseTimeoutException(
                "No response to " + request + " within " + Duration.ofNanos(timeoutNanos) + why);
    }

    /**
     * Reads the calls {@code stripe} holds now, once each: drops the answered ones and, when {@code late}
     * is given, moves those past their deadline to it; the others go back to the queue.
     */
    private static void look(Stripe stripe, long now, @Nullable List<Request> late) {
        int count = stripe.size.get();
        int removed = 0;
        int kept = 0;
        for (int i = 0; i < count; i++) {
            Request request = stripe.calls.poll();
            if (request == null) {
                break;
            }
            if (request.isDone()) {
                removed++;
            } else if (late != null && request.isExpired(now)) {
                removed++;
                late.add(request);
            } else {
                stripe.calls.offer(request);
                kept++;
            }
        }
        stripe.size.addAndGet(-removed);
        stripe.lookAt = 2 * kept + LOOK_AFTER;
    }
}
