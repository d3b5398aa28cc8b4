package org.orleans4j.grain;

import java.time.Duration;
import java.time.Instant;

/**
 * Which tick of a reminder is being delivered.
 *
 * @param firstTickTime when the reminder's first tick was due (its registration time plus due time)
 * @param period the time between ticks
 * @param currentTickTime when this tick was due: {@code firstTickTime} plus a whole number of periods
 */
public record TickStatus(Instant firstTickTime, Duration period, Instant currentTickTime) {}
