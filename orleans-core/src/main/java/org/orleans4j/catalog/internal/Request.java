package org.orleans4j.catalog.internal;

import io.micrometer.observation.Observation;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.jspecify.annotations.Nullable;
import org.orleans4j.calls.internal.CallAttempts;
import org.orleans4j.calls.internal.GrainReference;
import org.orleans4j.catalog.GrainCallObserver;
import org.orleans4j.grain.GrainId;
import org.orleans4j.metadata.GrainClassMetadata;
import org.orleans4j.metadata.MethodInfo;
import org.orleans4j.observation.GrainObservations;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One grain call on its way through the silo. The same object carries the response back to a
 * calling activation, so a call costs one allocation besides its future.
 */
public final class Request {

    private static final Logger log = LoggerFactory.getLogger(Request.class);

    final GrainId target;
    final GrainClassMetadata targetClass;
    final Class<?> grainInterface;
    final MethodInfo method;

    @Nullable
    Object @Nullable [] args;
    /** The activation whose turn made the call; its continuation must run there. Null for outside callers. */
    final @Nullable ActivationData caller;

    final @Nullable Map<String, Object> requestContext;
    /** Null for one-way calls. */
    final @Nullable CompletableFuture<@Nullable Object> future;

    int forwardCount;
    /** Where the response goes when the call came from another silo; null for local callers. */
    private @Nullable Origin origin;
    /** The attempts that failed in transit, once one did; owned by the dispatcher. */
    public @Nullable CallAttempts attempts;
    /** Told when the response comes back; null unless the silo has one (then the call is timed from {@link #startNanos}). */
    private @Nullable GrainCallObserver observer;

    private long startNanos;
    /** The caller's observation of this call, stopped when the response is handed back; null when not observed. */
    private @Nullable Observation outgoing;
    /**
     * The observation in scope when the call was made (the calling grain's incoming call): the caller's
     * continuation runs in it again.
     */
    @Nullable
    Observation callerObservation;
    /** The grain's observation of this call while it runs here; null when not observed. */
    @Nullable
    Observation incoming;
    /** {@link System#nanoTime()} after which the call is not run any more; 0: no deadline. */
    private long deadlineNanos;
    /**
     * Its caller here waits on it, and no response timeout covers it yet: the dispatcher has it tracked
     * when it routes it anywhere but to another silo, whose pending call carries the deadline instead.
     */
    public boolean awaitsTimeoutTracking;
    /** The grain reference the call was made through, if any: it remembers where the grain was found. */
    public @Nullable GrainReference reference;

    // Response, filled in by the callee when it is handed back to the caller's activation.
    @Nullable
    Object result;

    @Nullable
    Throwable error;
    /**
     * Set by the first response. Not volatile: the only race is a timeout against a late response,
     * and completing a future twice is harmless (the second completion is ignored).
     */
    boolean responded;

    public Request(
            GrainId target,
            GrainClassMetadata targetClass,
            Class<?> grainInterface,
            MethodInfo method,
            @Nullable Object @Nullable [] args,
            @Nullable ActivationData caller,
            @Nullable Map<String, Object> requestContext,
            @Nullable CompletableFuture<@Nullable Object> future) {
        this.target = target;
        this.targetClass = targetClass;
        this.grainInterface = grainInterface;
        this.method = method;
        this.args = args;
        this.caller = caller;
        this.requestContext = requestContext;
        this.future = future;
    }

    public GrainId target() {
        return target;
    }

    public GrainClassMetadata targetClass() {
        return targetClass;
    }

    public Class<?> grainInterface() {
        return grainInterface;
    }

    public MethodInfo method() {
        return method;
    }

    public @Nullable Map<String, Object> requestContext() {
        return requestContext;
    }

    public int forwardCount() {
        return forwardCount;
    }

    public void setForwardCount(int count) {
        this.forwardCount = count;
    }

    /** The call is not to be run after {@code nanoTime} ({@link System#nanoTime()}): its caller stops waiting then. */
    public void expireAt(long nanoTime) {
        this.deadlineNanos = nanoTime == 0 ? 1 : nanoTime;
    }

    /** The call's deadline ({@link System#nanoTime()}), or {@code fallback} when it has none. */
    public long deadlineNanosOr(long fallback) {
        return deadlineNanos == 0 ? fallback : deadlineNanos;
    }

    /** Whether the call's deadline has passed at {@code nowNanos}. */
    public boolean isExpired(long nowNanos) {
        return deadlineNanos != 0 && nowNanos - deadlineNanos > 0;
    }

    /** Milliseconds until the deadline (at least 1 while it has not passed, 0 once it has), or {@code defaultNanos} in ms without one. */
    public long remainingMillis(long nowNanos, long defaultNanos) {
        if (deadlineNanos == 0) {
            return Math.max(1, defaultNanos / 1_000_000);
        }
        long left = deadlineNanos - nowNanos;
        return left <= 0 ? 0 : Math.max(1, left / 1_000_000);
    }

    public @Nullable Object @Nullable [] args() {
        return args;
    }

    public @Nullable ActivationData caller() {
        return caller;
    }

    /**
     * Times this call for {@code observer}, which is told once, when the response (or failure) is
     * handed back to the caller. Two fields on the request rather than a dependent of its future:
     * that would cost three allocations on every call.
     */
    public void observeWith(GrainCallObserver observer) {
        this.observer = observer;
        this.startNanos = System.nanoTime();
    }

    /**
     * Observes this call on its caller's side with {@code outgoing}, started by the caller while
     * {@code callerObservation} was in scope.
     */
    public void observeWith(Observation outgoing, @Nullable Observation callerObservation) {
        this.outgoing = outgoing;
        this.callerObservation = callerObservation;
    }

    /** Stops the caller's observation of a call nobody waits for, once it is sent. */
    public void sentOneWay() {
        Observation observation = outgoing;
        if (observation != null) {
            outgoing = null;
            GrainObservations.stop(observation, null);
        }
    }

    /** Marks a call received from another silo: its response goes back through {@code origin}. */
    public void setOrigin(Origin origin) {
        this.origin = origin;
    }

    public boolean isRemoteOrigin() {
        return origin != null;
    }

    /** Sends the response of a call that came from another silo. */
    public interface Origin {
        void reply(Request request, @Nullable Object value, @Nullable Throwable failure);
    }

    public boolean isOneWay() {
        return future == null && origin == null;
    }

    /** True once a response (or failure) has been delivered or is on its way to the caller. */
    public boolean isDone() {
        return responded || future == null || future.isDone();
    }

    /**
     * Completes the call: directly for outside callers, or on the caller's turn for grain callers
     * (so that the caller's continuation never races with its other turns). Only the first
     * response counts; a late one after a timeout is dropped.
     */
    public void respond(@Nullable Object value, @Nullable Throwable failure) {
        if (origin != null) {
            if (!responded) {
                responded = true;
                origin.reply(this, value, failure);
            }
            return;
        }
        if (future == null || responded) {
            return;
        }
        responded = true;
        if (observer != null) {
            observe(failure != null);
        }
        if (outgoing != null) {
            GrainObservations.stop(outgoing, failure);
        }
        if (caller == null) {
            // The outside caller's dependents run on this thread: they must not look like a turn.
            ActivationData.runOutsideTurn(
                    failure == null ? () -> future.complete(value) : () -> future.completeExceptionally(failure));
        } else {
            this.result = value;
            this.error = failure;
            this.args = null;
            caller.enqueue(new Response(this));
        }
    }

    private void observe(boolean failed) {
        try {
            observer.observe(targetClass.typeName(), method.name(), System.nanoTime() - startNanos, failed);
        } catch (RuntimeException e) {
            log.warn("Grain call observer {} failed on {}", observer, this, e);
        }
    }

    /** The response half, delivered to the calling activation's inbox. */
    record Response(Request request) {
        void complete() {
            Request r = request;
            if (r.error == null) {
                r.future.complete(r.result);
            } else {
                r.future.completeExceptionally(r.error);
            }
        }
    }

    @Override
    public String toString() {
        return method + " on " + target;
    }
}
