package org.orleans4j.reminders;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.jspecify.annotations.Nullable;
import org.orleans4j.grain.GrainId;

/**
 * Where a service's durable reminders are stored, shared by all its silos (and all its clusters: rows
 * are scoped by service id, like Orleans' reminder table), so that reminders outlive every silo. Rows
 * are keyed by grain and reminder name.
 * <ul>
 * <li>{@code upsertRow} inserts or replaces a row and returns its new etag (always different from the
 * previous one); a replaced row's claimed ticks are forgotten.</li>
 * <li>{@code removeRow} deletes the row only when its etag is the given one.</li>
 * <li>{@code claimTick} is how a tick is delivered exactly once: it records {@code tickMillis} as the
 * row's last tick only when the row still has {@code etag} and no tick at or after {@code tickMillis}
 * was claimed, and says whether it did. Two silos that both believe they own a reminder (their views of
 * the membership differ for a moment) cannot both deliver one tick.</li>
 * <li>{@code readRows(from, to)} returns the rows whose grain's {@link GrainId#stableHash()} lies in
 * {@code [fromInclusive, toExclusive)}: a silo loads the reminders of its ranges of the ring only.</li>
 * </ul>
 * Futures may complete on any thread.
 */
public interface ReminderTable {

    /** The reminders of {@code grainId}. */
    CompletableFuture<List<ReminderEntry>> readRows(GrainId grainId);

    /** The reminders whose grain hash lies in {@code [fromInclusive, toExclusive)} (bounds in int range, as longs). */
    CompletableFuture<List<ReminderEntry>> readRows(long fromInclusive, long toExclusive);

    /** The reminder {@code name} of {@code grainId}, or {@code null}. */
    CompletableFuture<@Nullable ReminderEntry> readRow(GrainId grainId, String name);

    /** Inserts or replaces the row of {@code entry} (its etag is ignored); the new etag. */
    CompletableFuture<String> upsertRow(ReminderEntry entry);

    /** Deletes the row when its etag is {@code etag}; whether it did. */
    CompletableFuture<Boolean> removeRow(GrainId grainId, String name, String etag);

    /** Records the tick due at {@code tickMillis} (epoch milliseconds) as delivered, once; whether this call did. */
    CompletableFuture<Boolean> claimTick(GrainId grainId, String name, String etag, long tickMillis);
}
