package org.orleans4j.grain;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * Optional base class for grain implementations: gives access to the grain's identity, its
 * persistent state, other grains and the lifecycle hooks. The runtime sets the context before the
 * constructor body runs, so constructors and field initializers may declare persistent state.
 */
public abstract class GrainBase {

    private static final ThreadLocal<GrainContext> CONSTRUCTING = new ThreadLocal<>();

    private final @Nullable GrainContext context;

    protected GrainBase() {
        this.context = CONSTRUCTING.get();
    }

    /**
     * Runs {@code factory} so that grains it constructs are bound to {@code context}. Used by
     * grain activators (including the Spring one); not for application code.
     */
    public static <T> T constructWith(GrainContext context, Supplier<T> factory) {
        GrainContext previous = CONSTRUCTING.get();
        CONSTRUCTING.set(context);
        try {
            return factory.get();
        } finally {
            if (previous == null) {
                CONSTRUCTING.remove();
            } else {
                CONSTRUCTING.set(previous);
            }
        }
    }

    /** Called on activation, after persistent state is read and before the first request. */
    public CompletableFuture<Void> onActivate() {
        return CompletableFuture.completedFuture(null);
    }

    /** Called when the activation is collected or the silo stops; write state here if needed. */
    public CompletableFuture<Void> onDeactivate(DeactivationReason reason) {
        return CompletableFuture.completedFuture(null);
    }

    protected final GrainContext context() {
        if (context == null) {
            throw new IllegalStateException(
                    getClass().getName()
                            + " was not created by the grain runtime; get grains from a GrainFactory instead of constructing them");
        }
        return context;
    }

    public final GrainId grainId() {
        return context().grainId();
    }

    protected final String primaryKeyString() {
        return grainId().key();
    }

    protected final long primaryKeyLong() {
        return grainId().keyAsLong();
    }

    protected final UUID primaryKeyUuid() {
        return grainId().keyAsUuid();
    }

    protected final GrainFactory grainFactory() {
        return context().grainFactory();
    }

    /** Declares a persistent state in the default storage. */
    protected final <T> PersistentState<T> persistentState(
            String stateName, Class<T> type, Supplier<? extends T> initial) {
        return context().persistentState(stateName, null, type, initial);
    }

    /** Declares a persistent state in the named storage. */
    protected final <T> PersistentState<T> persistentState(
            String stateName, @Nullable String storageName, Class<T> type, Supplier<? extends T> initial) {
        return context().persistentState(stateName, storageName, type, initial);
    }

    protected final void deactivateOnIdle() {
        context().deactivateOnIdle();
    }

    /**
     * Registers a timer that first fires after {@code dueTime}, then {@code period} after each tick
     * completes ({@link Duration#ZERO}: once). See {@link GrainContext#registerTimer}.
     */
    protected final GrainTimer registerTimer(
            Supplier<? extends @Nullable CompletionStage<?>> callback, Duration dueTime, Duration period) {
        return context().registerTimer(callback, GrainTimerOptions.every(dueTime, period));
    }

    /** See {@link GrainContext#registerTimer}. */
    protected final GrainTimer registerTimer(
            Supplier<? extends @Nullable CompletionStage<?>> callback, GrainTimerOptions options) {
        return context().registerTimer(callback, options);
    }

    /** See {@link GrainContext#registerOrUpdateReminder}. */
    protected final CompletableFuture<GrainReminder> registerOrUpdateReminder(
            String name, Duration dueTime, Duration period) {
        return context().registerOrUpdateReminder(name, dueTime, period);
    }

    /** See {@link GrainContext#unregisterReminder}. */
    protected final CompletableFuture<Void> unregisterReminder(GrainReminder reminder) {
        return context().unregisterReminder(reminder);
    }

    /** See {@link GrainContext#reminder}. */
    protected final CompletableFuture<Optional<GrainReminder>> reminder(String name) {
        return context().reminder(name);
    }

    /** See {@link GrainContext#reminders}. */
    protected final CompletableFuture<List<GrainReminder>> reminders() {
        return context().reminders();
    }

    /** See {@link GrainContext#resume}. */
    protected final <T> CompletableFuture<T> resume(CompletionStage<T> stage) {
        return context().resume(stage);
    }
}
