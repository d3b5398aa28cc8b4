package org.orleans4j.runtime;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.orleans4j.grain.GrainBase;
import org.orleans4j.grain.GrainReminder;
import org.orleans4j.grain.GrainWithStringKey;
import org.orleans4j.grain.Remindable;
import org.orleans4j.grain.TickStatus;

/** Grains of the reminder tests, and the ticks they received (by grain key). */
final class ReminderGrains {

    private ReminderGrains() {}

    /** A tick as the grain saw it, with the activation that received it. */
    record Tick(String reminder, TickStatus status, String activationId) {}

    static final Map<String, List<Tick>> TICKS = new ConcurrentHashMap<>();

    static List<Tick> ticks(String key) {
        return TICKS.computeIfAbsent(key, k -> new CopyOnWriteArrayList<>());
    }

    interface Reminded extends GrainWithStringKey {
        CompletableFuture<GrainReminder> remind(String name, Duration dueTime, Duration period);

        CompletableFuture<Optional<GrainReminder>> get(String name);

        CompletableFuture<List<String>> names();

        CompletableFuture<Void> forget(GrainReminder reminder);

        CompletableFuture<String> activationId();

        CompletableFuture<Void> deactivate();
    }

    static class RemindedGrain extends GrainBase implements Reminded, Remindable {

        @Override
        public CompletableFuture<GrainReminder> remind(String name, Duration dueTime, Duration period) {
            return registerOrUpdateReminder(name, dueTime, period);
        }

        @Override
        public CompletableFuture<Optional<GrainReminder>> get(String name) {
            return reminder(name);
        }

        @Override
        public CompletableFuture<List<String>> names() {
            return reminders()
                    .thenApply(all -> all.stream().map(GrainReminder::name).toList());
        }

        @Override
        public CompletableFuture<Void> forget(GrainReminder reminder) {
            return unregisterReminder(reminder);
        }

        @Override
        public CompletableFuture<String> activationId() {
            return CompletableFuture.completedFuture(context().activationId());
        }

        @Override
        public CompletableFuture<Void> deactivate() {
            deactivateOnIdle();
            return CompletableFuture.completedFuture(null);
        }

        @Override
        public CompletableFuture<Void> receiveReminder(String reminderName, TickStatus status) {
            ticks(primaryKeyString())
                    .add(new Tick(reminderName, status, context().activationId()));
            return CompletableFuture.completedFuture(null);
        }
    }

    interface Plain extends GrainWithStringKey {
        CompletableFuture<GrainReminder> remind();
    }

    /** Registers a reminder without implementing {@link Remindable}. */
    static class PlainGrain extends GrainBase implements Plain {
        @Override
        public CompletableFuture<GrainReminder> remind() {
            return registerOrUpdateReminder("r", Duration.ZERO, Duration.ofMinutes(1));
        }
    }
}
