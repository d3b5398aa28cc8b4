package org.orleans4j.grain;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/** The runtime side of one activation, as its grain sees it. */
public interface GrainContext {

    GrainId grainId();

    /** Unique id of this activation (a new one each time the grain is activated). */
    String activationId();

    GrainFactory grainFactory();

    /**
     * Declares a persistent state. Call it while the grain is constructed (constructor or field
     * initializer): the runtime reads declared states before {@code onActivate}.
     *
     * @param storageName the storage provider, or {@code null} for the default one
     */
    <T> PersistentState<T> persistentState(
            String stateName, @Nullable String storageName, Class<T> type, Supplier<? extends T> initial);

    /** Deactivate this activation once the current request is done. */
    void deactivateOnIdle();

    /**
     * A future that completes like {@code stage} but on this activation's turn, so its dependents
     * may touch grain fields. Grain calls and state operations already do this.
     */
    <T> CompletableFuture<T> resume(CompletionStage<T> stage);

    /**
     * Registers a timer whose ticks run {@code callback} as turns of this activation (see
     * {@link GrainTimerOptions} for when, and whether they interleave or keep the grain alive). The
     * callback's stage may be {@code null} when its work is done on return; a tick that fails (throws or
     * completes exceptionally) is logged and the timer goes on. Timers are closed when the activation
     * deactivates. Call it on the activation's turn (a grain method, {@code onActivate}, the grain's
     * constructor or a timer callback).
     *
     * @throws IllegalStateException off the activation's turn, or once it is deactivating
     */
    GrainTimer registerTimer(Supplier<? extends @Nullable CompletionStage<?>> callback, GrainTimerOptions options);

    /**
     * Registers the durable reminder {@code name} of this grain, or replaces the one of that name: its
     * first tick is due after {@code dueTime}, then one every {@code period}. The reminder is stored in the
     * silo's reminder table and outlives this activation and every silo: it ticks (activating the grain)
     * until it is unregistered. The grain class must implement {@link Remindable}.
     *
     * @throws IllegalArgumentException {@code period} is shorter than the silo's minimum reminder period
     *     ({@code orleans.reminders.minimum-period}, one minute by default) or {@code dueTime} is negative
     * @throws IllegalStateException the grain class does not implement {@link Remindable}, or the silo
     *     has no reminder table
     */
    CompletableFuture<GrainReminder> registerOrUpdateReminder(String name, Duration dueTime, Duration period);

    /**
     * Removes {@code reminder}: it ticks no more. Fails with {@link GrainException} when the reminder was
     * registered again (or removed) since {@code reminder} was read.
     */
    CompletableFuture<Void> unregisterReminder(GrainReminder reminder);

    /** This grain's reminder {@code name}, if registered. */
    CompletableFuture<Optional<GrainReminder>> reminder(String name);

    /** This grain's reminders, by name. */
    CompletableFuture<List<GrainReminder>> reminders();

    /** Runs tasks as turns of this activation, one at a time, interleaved with its requests. */
    Executor executor();
}
