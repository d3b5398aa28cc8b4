package org.orleans4j.calls.internal;

import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Function;
import java.util.function.Predicate;
import org.jspecify.annotations.Nullable;
import org.orleans4j.messaging.internal.Message;
import org.orleans4j.messaging.internal.SiloConnection;
import org.orleans4j.serialization.SerializationException;
import org.orleans4j.serialization.internal.WireSerializer;

/**
 * The calls a silo or a client sent and is waiting on, by correlation id. Ids are random, so that a peer
 * cannot guess the ids of other calls and answer them, and a response completes only a call that was
 * written to the very connection it came on. Each call knows its deadline; {@link #failOverdue} fails
 * those that passed it.
 */
public final class PendingCalls {

    /** A call waiting for its response. */
    public abstract static class PendingCall {
        private final long deadlineNanos;
        /** The connection the call was written to; only a response from it completes the call. */
        private volatile @Nullable SiloConnection via;

        protected PendingCall(long deadlineNanos) {
            this.deadlineNanos = deadlineNanos;
        }

        /** The connection the call was written to, or {@code null} while it waits for one. */
        public @Nullable SiloConnection via() {
            return via;
        }

        public void sentVia(SiloConnection connection) {
            this.via = connection;
        }

        public long deadlineNanos() {
            return deadlineNanos;
        }

        /**
         * The call's outcome: a value, or a failure. {@code invalidateCache}: the receiver said the caller's
         * cached address of the grain was wrong.
         */
        public abstract void complete(@Nullable Object value, @Nullable Throwable failure, boolean invalidateCache);
    }

    private final ConcurrentHashMap<Long, PendingCall> pending = new ConcurrentHashMap<>();

    /** Registers {@code call} under a fresh non-zero id (0 marks one-way messages) and returns the id. */
    public long register(PendingCall call) {
        while (true) {
            long id = ThreadLocalRandom.current().nextLong();
            if (id != 0 && pending.putIfAbsent(id, call) == null) {
                return id;
            }
        }
    }

    /**
     * The call {@code response} answers, no longer pending; {@code null} when none waits for it on
     * {@code from} (it timed out, failed when its connection closed, or the response is forged).
     */
    public @Nullable PendingCall take(Message response, SiloConnection from) {
        PendingCall call = pending.get(response.correlationId());
        if (call == null || call.via != from || !pending.remove(response.correlationId(), call)) {
            return null;
        }
        return call;
    }

    /** Completes {@code call} with what {@code response} carries, read with {@code serializer}. */
    public static void complete(PendingCall call, Message response, WireSerializer serializer) {
        @Nullable Object value = null;
        @Nullable Throwable failure = null;
        try {
            if (response.status() == Message.OK) {
                value = serializer.deserialize(response.body());
            } else {
                failure = serializer.deserializeFailure(response.body());
            }
        } catch (SerializationException e) {
            failure = e;
        }
        call.complete(value, failure, response.invalidateCache());
    }

    /** Fails the call registered under {@code id}, if it still waits. */
    public void fail(long id, Throwable failure) {
        PendingCall call = pending.remove(id);
        if (call != null) {
            call.complete(null, failure, false);
        }
    }

    /** Fails the waiting calls that {@code which} selects. */
    public void failIf(Predicate<PendingCall> which, Throwable failure) {
        pending.forEach((id, call) -> {
            if (which.test(call)) {
                fail(id, failure);
            }
        });
    }

    /** Fails the calls written to {@code connection}: they may have run, and their answers cannot come. */
    public void failSentVia(SiloConnection connection, Throwable failure) {
        failIf(call -> call.via == connection, failure);
    }

    /** Fails the calls whose deadline passed, each with the failure {@code timeout} makes for it. */
    public void failOverdue(long nowNanos, Function<PendingCall, Throwable> timeout) {
        pending.forEach((id, call) -> {
            if (nowNanos - call.deadlineNanos > 0) {
                fail(id, timeout.apply(call));
            }
        });
    }

    /** Whether some waiting call matches {@code which}. */
    public boolean anyMatch(Predicate<PendingCall> which) {
        return pending.values().stream().anyMatch(which);
    }

    /** Calls waiting now. */
    public int size() {
        return pending.size();
    }

    /** How often to look for overdue calls so that a deadline is missed by at most ~10%. */
    public static Duration sweepPeriod(Duration responseTimeout) {
        long timeoutNanos = responseTimeout.toNanos();
        return Duration.ofNanos(Math.max(5_000_000L, Math.min(1_000_000_000L, timeoutNanos / 10)));
    }
}
