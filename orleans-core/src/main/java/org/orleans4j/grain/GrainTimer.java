package org.orleans4j.grain;

import java.time.Duration;

/**
 * A timer of one grain activation, from {@link GrainContext#registerTimer}. Its ticks run as turns of
 * the activation; it stops when closed or when the activation deactivates. A timer is not durable: it
 * does not survive its activation, nor a restart of its silo.
 */
public interface GrainTimer extends AutoCloseable {

    /**
     * Reschedules the timer: the next tick fires {@code dueTime} from now, then every {@code period} after
     * each tick completes ({@link Duration#ZERO}: no more ticks after that one). Called from a tick, the
     * tick in progress still completes, and the new schedule replaces the one it would have set.
     *
     * @throws IllegalArgumentException if a duration is negative
     * @throws IllegalStateException if the timer is closed
     */
    void change(Duration dueTime, Duration period);

    /** Whether further ticks may fire: false once closed, once its activation deactivates, or after a one-shot tick. */
    boolean isActive();

    /** Stops the timer: no tick fires after this (a tick already running completes). Closing twice is harmless. */
    @Override
    void close();
}
