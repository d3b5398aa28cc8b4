package org.orleans4j.reminders;

import java.time.Duration;
import java.time.Instant;
import org.jspecify.annotations.Nullable;
import org.orleans4j.grain.GrainId;
import org.orleans4j.grain.GrainReminder;

/**
 * A row of the reminder table: the reminder {@code name} of {@code grainId}, due at {@code startAt} and
 * then every {@code period}.
 *
 * @param etag the row's version, set by the table on every registration ({@code null} before the first)
 */
public record ReminderEntry(
        GrainId grainId,
        String name,
        Instant startAt,
        Duration period,
        @Nullable String etag) {

    /** The same reminder at version {@code etag}. */
    public ReminderEntry withEtag(String etag) {
        return new ReminderEntry(grainId, name, startAt, period, etag);
    }

    /** As the grain sees it. */
    public GrainReminder toReminder() {
        return new GrainReminder(name, startAt, period, etag == null ? "" : etag);
    }
}
