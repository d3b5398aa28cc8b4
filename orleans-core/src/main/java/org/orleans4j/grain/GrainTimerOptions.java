package org.orleans4j.grain;

import java.time.Duration;
import java.util.Objects;

/**
 * How a grain timer fires, as Orleans' {@code GrainTimerCreationOptions}.
 *
 * @param dueTime when the first tick fires, from registration; {@link Duration#ZERO} fires as soon as the
 *        activation is free
 * @param period the time from the end of one tick (when its returned stage completes) to the start of the
 *        next, so ticks of one timer never overlap; {@link Duration#ZERO} makes a one-shot timer
 * @param interleave whether ticks may run while requests run (as an {@link AlwaysInterleave} method
 *        would); by default a tick waits for the running requests and no request starts during it
 * @param keepAlive whether ticks count as activity, so that a grain whose timer keeps ticking is never
 *        collected as idle; by default only calls keep a grain alive and a ticking grain is collected
 */
public record GrainTimerOptions(Duration dueTime, Duration period, boolean interleave, boolean keepAlive) {

    public GrainTimerOptions {
        Objects.requireNonNull(dueTime, "dueTime");
        Objects.requireNonNull(period, "period");
        requireNotNegative("dueTime", dueTime);
        requireNotNegative("period", period);
    }

    /** Fires first after {@code dueTime}, then every {@code period}, turn-exclusive, without keeping the grain alive. */
    public static GrainTimerOptions every(Duration dueTime, Duration period) {
        return new GrainTimerOptions(dueTime, period, false, false);
    }

    /** Fires once, after {@code dueTime}. */
    public static GrainTimerOptions once(Duration dueTime) {
        return new GrainTimerOptions(dueTime, Duration.ZERO, false, false);
    }

    /** The same options, with ticks that interleave with requests. */
    public GrainTimerOptions interleaving() {
        return new GrainTimerOptions(dueTime, period, true, keepAlive);
    }

    /** The same options, with ticks that keep the grain from being collected as idle. */
    public GrainTimerOptions keepingAlive() {
        return new GrainTimerOptions(dueTime, period, interleave, true);
    }

    static void requireNotNegative(String name, Duration value) {
        if (value.isNegative()) {
            throw new IllegalArgumentException("timer " + name + " must not be negative, got " + value);
        }
    }
}
