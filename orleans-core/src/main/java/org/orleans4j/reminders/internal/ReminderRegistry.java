package org.orleans4j.reminders.internal;

import java.time.Clock;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.orleans4j.grain.GrainException;
import org.orleans4j.grain.GrainId;
import org.orleans4j.grain.GrainReminder;
import org.orleans4j.reminders.ReminderEntry;
import org.orleans4j.reminders.ReminderOptions;
import org.orleans4j.reminders.ReminderTable;

/**
 * What grains register, read and remove their reminders through: the table is written first (it is
 * the truth every silo reads), then the silo that owns the grain's reminders is told, so that it runs
 * the change at once rather than at its next refresh.
 */
public final class ReminderRegistry {

    /** Longer names would not fit the tables' name column. */
    static final int MAX_NAME_LENGTH = 150;

    private final ReminderTable table;
    private final ReminderOptions options;
    private final LocalReminderService service;
    private final Clock clock;

    public ReminderRegistry(ReminderTable table, ReminderOptions options, LocalReminderService service, Clock clock) {
        this.table = table;
        this.options = options;
        this.service = service;
        this.clock = clock;
    }

    public CompletableFuture<GrainReminder> registerOrUpdate(
            GrainId grainId, String name, Duration dueTime, Duration period) {
        checkName(name);
        if (dueTime.isNegative()) {
            throw new IllegalArgumentException(
                    "Reminder '" + name + "': the due time must not be negative, was " + dueTime);
        }
        if (period.compareTo(options.minimumPeriod()) < 0) {
            throw new IllegalArgumentException("Reminder '" + name + "': the period " + period
                    + " is shorter than the minimum " + options.minimumPeriod()
                    + " (orleans.reminders.minimum-period); use a grain timer for shorter periods");
        }
        // Tables keep milliseconds: so does the reminder, or its ticks would drift from what was stored.
        ReminderEntry entry = new ReminderEntry(
                grainId,
                name,
                clock.instant().plus(dueTime).truncatedTo(ChronoUnit.MILLIS),
                Duration.ofMillis(period.toMillis()),
                null);
        return table.upsertRow(entry).thenApply(etag -> {
            service.notifyOwner(grainId, name);
            return entry.withEtag(etag).toReminder();
        });
    }

    public CompletableFuture<Void> unregister(GrainId grainId, GrainReminder reminder) {
        return table.removeRow(grainId, reminder.name(), reminder.etag()).thenApply(removed -> {
            if (!removed) {
                throw new GrainException("Reminder '" + reminder.name() + "' of " + grainId
                        + " was not removed: it was registered again or removed since this handle was read"
                        + " (read it again with reminder(name))");
            }
            service.notifyOwner(grainId, reminder.name());
            return null;
        });
    }

    public CompletableFuture<Optional<GrainReminder>> get(GrainId grainId, String name) {
        return table.readRow(grainId, name)
                .thenApply(entry -> Optional.ofNullable(entry).map(ReminderEntry::toReminder));
    }

    public CompletableFuture<List<GrainReminder>> list(GrainId grainId) {
        return table.readRows(grainId)
                .thenApply(entries ->
                        entries.stream().map(ReminderEntry::toReminder).toList());
    }

    /** Reminders this silo's service schedules now. */
    public int runningHere() {
        return service.size();
    }

    private static void checkName(String name) {
        if (name == null || name.isBlank() || name.length() > MAX_NAME_LENGTH) {
            throw new IllegalArgumentException(
                    "A reminder name must be 1 to " + MAX_NAME_LENGTH + " characters, was '" + name + "'");
        }
    }
}
