package org.orleans4j.grain;

import java.time.Duration;
import java.time.Instant;

/**
 * A durable reminder of a grain, as registered: its ticks are due at {@code startAt}, then every
 * {@code period}.
 *
 * @param name the reminder's name, unique per grain
 * @param startAt when the first tick is due
 * @param period the time between ticks
 * @param etag the version of the reminder's stored row: unregistering with a handle whose reminder was
 *     registered again since fails
 */
public record GrainReminder(String name, Instant startAt, Duration period, String etag) {}
