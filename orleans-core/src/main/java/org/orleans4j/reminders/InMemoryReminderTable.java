package org.orleans4j.reminders;

import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.jspecify.annotations.Nullable;
import org.orleans4j.grain.GrainId;

/**
 * Reminders in this JVM's memory, with the same rules as the durable tables: for tests, and for silos
 * that share a JVM. They do not outlive the process. Etags are the decimal text of one counter, so
 * every registration yields an etag never issued before. All operations complete before they return.
 */
public final class InMemoryReminderTable implements ReminderTable {

    private record Key(GrainId grainId, String name) {}

    /** A row and the last tick claimed for it (epoch milliseconds; {@code Long.MIN_VALUE}: none). */
    private record Row(ReminderEntry entry, long lastTick) {}

    private static final Comparator<ReminderEntry> ORDER =
            Comparator.comparing(ReminderEntry::grainId).thenComparing(ReminderEntry::name);

    private final ConcurrentHashMap<Key, Row> rows = new ConcurrentHashMap<>();
    private final AtomicLong versions = new AtomicLong();

    @Override
    public CompletableFuture<List<ReminderEntry>> readRows(GrainId grainId) {
        return CompletableFuture.completedFuture(rows.values().stream()
                .map(Row::entry)
                .filter(entry -> entry.grainId().equals(grainId))
                .sorted(ORDER)
                .toList());
    }

    @Override
    public CompletableFuture<List<ReminderEntry>> readRows(long fromInclusive, long toExclusive) {
        return CompletableFuture.completedFuture(rows.values().stream()
                .map(Row::entry)
                .filter(entry -> {
                    int hash = entry.grainId().stableHash();
                    return hash >= fromInclusive && hash < toExclusive;
                })
                .sorted(ORDER)
                .toList());
    }

    @Override
    public CompletableFuture<@Nullable ReminderEntry> readRow(GrainId grainId, String name) {
        Row row = rows.get(new Key(grainId, name));
        return CompletableFuture.completedFuture(row == null ? null : row.entry());
    }

    @Override
    public CompletableFuture<String> upsertRow(ReminderEntry entry) {
        String etag = Long.toString(versions.incrementAndGet());
        rows.put(new Key(entry.grainId(), entry.name()), new Row(entry.withEtag(etag), Long.MIN_VALUE));
        return CompletableFuture.completedFuture(etag);
    }

    @Override
    public CompletableFuture<Boolean> removeRow(GrainId grainId, String name, String etag) {
        AtomicBoolean removed = new AtomicBoolean();
        rows.computeIfPresent(new Key(grainId, name), (key, row) -> {
            if (etag.equals(row.entry().etag())) {
                removed.set(true);
                return null;
            }
            return row;
        });
        return CompletableFuture.completedFuture(removed.get());
    }

    @Override
    public CompletableFuture<Boolean> claimTick(GrainId grainId, String name, String etag, long tickMillis) {
        AtomicBoolean claimed = new AtomicBoolean();
        rows.computeIfPresent(new Key(grainId, name), (key, row) -> {
            if (etag.equals(row.entry().etag()) && row.lastTick() < tickMillis) {
                claimed.set(true);
                return new Row(row.entry(), tickMillis);
            }
            return row;
        });
        return CompletableFuture.completedFuture(claimed.get());
    }
}
