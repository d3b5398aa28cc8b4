package org.orleans4j.catalog.internal;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import org.orleans4j.grain.GrainTimer;
import org.orleans4j.grain.GrainTimerOptions;

/**
 * A grain timer: the shared clock only posts a {@link Tick} into the activation's inbox, and the
 * activation runs the callback as a turn. The next tick is scheduled when a tick completes, so ticks of
 * one timer never overlap. All fields but {@code closed} are touched only on the activation's turns;
 * calls from other threads are posted there.
 */
final class ActivationTimer implements GrainTimer {

    /** One firing of a timer, valid only for the schedule it was made for. */
    record Tick(ActivationTimer timer, long schedule) {}

    private final ActivationData activation;
    private final Supplier<? extends @Nullable CompletionStage<?>> callback;
    private final ScheduledExecutorService clock;
    final boolean interleave;
    final boolean keepAlive;

    private volatile boolean closed;
    private Duration period;
    /** Bumped by every (re)schedule: a tick of an earlier schedule is stale and ignored. */
    private long schedule;

    private @Nullable ScheduledFuture<?> pending;
    private boolean running;
    /** A tick of the current schedule arrived while one was running: it runs right after. */
    private boolean deferred;

    ActivationTimer(
            ActivationData activation,
            Supplier<? extends @Nullable CompletionStage<?>> callback,
            GrainTimerOptions options,
            ScheduledExecutorService clock) {
        this.activation = activation;
        this.callback = callback;
        this.clock = clock;
        this.interleave = options.interleave();
        this.keepAlive = options.keepAlive();
        this.period = options.period();
    }

    /** On the activation's turn. */
    void start(Duration dueTime) {
        scheduleIn(dueTime);
    }

    private void scheduleIn(Duration delay) {
        long current = ++schedule;
        cancelPending();
        if (closed) {
            return;
        }
        try {
            pending = clock.schedule(
                    () -> activation.enqueue(new Tick(this, current)), delay.toNanos(), TimeUnit.NANOSECONDS);
        } catch (RejectedExecutionException stopping) {
            // The silo is stopping: its activations deactivate, and this timer with them.
            closed = true;
        }
    }

    /** Whether {@code tick} should run now (on the activation's turn); a tick that overlaps a running one is deferred. */
    boolean accept(Tick tick) {
        if (closed || tick.schedule() != schedule) {
            return false;
        }
        if (running) {
            deferred = true;
            return false;
        }
        return true;
    }

    /** Starts a tick's callback on the activation's turn; never null. */
    CompletionStage<?> fire() {
        running = true;
        pending = null;
        CompletionStage<?> stage = callback.get();
        return stage == null ? CompletableFuture.completedFuture(null) : stage;
    }

    /** After a tick completed, on the activation's turn: schedules the next one. */
    void completed(long tickSchedule) {
        running = false;
        if (closed || tickSchedule != schedule) {
            // Closed, or changed during the tick: the new schedule stands, and its tick runs now if it came meanwhile.
            if (deferred && !closed) {
                activation.enqueue(new Tick(this, schedule));
            }
            deferred = false;
            return;
        }
        if (period.isZero()) {
            closed = true;
            activation.timerClosed(this);
        } else {
            scheduleIn(period);
        }
    }

    long currentSchedule() {
        return schedule;
    }

    @Override
    public void change(Duration dueTime, Duration period) {
        Duration newPeriod = GrainTimerOptions.every(dueTime, period).period(); // checks both durations
        if (closed) {
            throw new IllegalStateException("The timer of " + activation + " is closed; register a new one");
        }
        activation.onOwnTurn(() -> {
            if (!closed) {
                this.period = newPeriod;
                scheduleIn(dueTime);
            }
        });
    }

    @Override
    public boolean isActive() {
        return !closed;
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        activation.onOwnTurn(() -> {
            cancelPending();
            activation.timerClosed(this);
        });
    }

    /** On the activation's turn, when it deactivates. */
    void closeForDeactivation() {
        closed = true;
        cancelPending();
    }

    private void cancelPending() {
        ScheduledFuture<?> scheduled = pending;
        if (scheduled != null) {
            scheduled.cancel(false);
            pending = null;
        }
    }

    @Override
    public String toString() {
        return "timer of " + activation;
    }
}
