package org.orleans4j.catalog.internal;

import io.micrometer.observation.Observation;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import org.orleans4j.grain.DeactivationReason;
import org.orleans4j.grain.PersistentState;
import org.orleans4j.internal.Futures;
import org.orleans4j.observation.GrainObservations;
import org.orleans4j.persistence.GrainState;
import org.orleans4j.persistence.GrainStorage;
import org.orleans4j.persistence.InconsistentStateException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A grain's declared persistent state bound to its storage provider. Operations complete on the
 * activation's turn; a stale write marks the activation for deactivation.
 * <p>
 * A write or clear that fails (for any reason: a stale ETag, a database error, a timeout) puts back
 * the value last read from or written to the store before the caller sees the failure, so memory
 * never serves a value the store does not have, and the activation stays: during a database outage
 * it keeps serving reads from memory, where a new activation could not even read its state.
 */
final class PersistentStateBinding<T> implements PersistentState<T> {

    private static final Logger log = LoggerFactory.getLogger(PersistentStateBinding.class);

    private final ActivationData activation;
    private final String name;
    private final GrainStorage storage;
    private final GrainState<T> state;

    /** What the store held after the last successful operation; touched only on the activation's turn or while activating. */
    private StoredVersion<T> stored;

    /**
     * The last value known to be in the store, with its ETag.
     *
     * @param value rebuilds that value ({@code null}: no record, the initial value)
     */
    private record StoredVersion<T>(
            @Nullable Supplier<? extends T> value, @Nullable String etag, boolean recordExists) {}

    PersistentStateBinding(
            ActivationData activation,
            String name,
            GrainStorage storage,
            Class<T> type,
            Supplier<? extends T> initial) {
        this.activation = activation;
        this.name = name;
        this.storage = storage;
        this.state = new GrainState<>(type, initial);
        this.stored = new StoredVersion<>(null, null, false);
    }

    String name() {
        return name;
    }

    CompletableFuture<Void> read() {
        // Remembered on the thread that filled the state, before anyone continues: the grain waits for the read.
        return call("read", s -> s.readState(name, activation.grainId(), state)).thenRun(this::rememberStored);
    }

    @Override
    public T state() {
        return state.state();
    }

    @Override
    public void setState(T value) {
        state.setState(value);
    }

    @Override
    public @Nullable String etag() {
        return state.etag();
    }

    @Override
    public boolean recordExists() {
        return state.recordExists();
    }

    @Override
    public CompletableFuture<Void> readState() {
        return activation.resume(read());
    }

    @Override
    public CompletableFuture<Void> writeState() {
        return change("write", s -> s.writeState(name, activation.grainId(), state));
    }

    @Override
    public CompletableFuture<Void> clearState() {
        return change("clear", s -> s.clearState(name, activation.grainId(), state));
    }

    /**
     * Runs a write or clear; on the activation's turn, before the caller's continuation runs, remembers
     * the new stored version or, when it failed, puts the last stored one back.
     */
    private CompletableFuture<Void> change(String kind, Function<GrainStorage, CompletableFuture<Void>> operation) {
        CompletableFuture<Void> done = new CompletableFuture<>();
        activation.resume(call(kind, operation)).whenComplete((v, e) -> {
            if (e == null) {
                rememberStored();
                done.complete(null);
            } else {
                restoreStored(e);
                done.completeExceptionally(e);
            }
        });
        return done;
    }

    private void rememberStored() {
        @Nullable Supplier<? extends T> value = null;
        if (state.recordExists()) {
            value = state.storedCopy();
            if (value == null) {
                // The provider keeps no copy of its own: the object it read or wrote is what it has.
                T object = state.state();
                value = () -> object;
            }
        }
        state.setStoredCopy(null);
        stored = new StoredVersion<>(value, state.etag(), state.recordExists());
    }

    private void restoreStored(Throwable failure) {
        StoredVersion<T> last = stored;
        try {
            if (last.value() == null) {
                state.resetState();
            } else {
                state.setState(last.value().get());
            }
        } catch (RuntimeException e) {
            // The copy was built from what the provider itself read or wrote, so this is a provider bug; the
            // stale value must not stay: the activation goes and the next one reads the store.
            failure.addSuppressed(e);
            log.error(
                    "Could not put back the stored value of state '{}' of grain {} after a failed write; "
                            + "deactivating it so that the next call reads the store",
                    name,
                    activation.grainId(),
                    e);
            activation.enqueue(new ActivationData.Deactivate(DeactivationReason.INCONSISTENT_STATE));
        }
        state.setEtag(last.etag());
        state.setRecordExists(last.recordExists());
        state.setStoredCopy(null);
    }

    private CompletableFuture<Void> call(String kind, Function<GrainStorage, CompletableFuture<Void>> operation) {
        GrainObservations observations = activation.observations();
        Observation observation = observations.enabled()
                ? observations.startStorage(
                        kind,
                        activation.grainId(),
                        activation.grainClass().typeName(),
                        name,
                        activation.activationObservation())
                : null;
        Observation.Scope scope = observation == null ? null : GrainObservations.openScope(observation);
        CompletableFuture<Void> result;
        try {
            result = operation.apply(storage);
        } catch (RuntimeException e) {
            result = CompletableFuture.failedFuture(e);
        } finally {
            if (scope != null) {
                GrainObservations.closeScope(scope);
            }
        }
        return result.whenComplete((v, e) -> {
            if (observation != null) {
                GrainObservations.stop(observation, e == null ? null : Futures.unwrap(e));
            }
            if (e != null && Futures.unwrap(e) instanceof InconsistentStateException) {
                activation.enqueue(new ActivationData.Deactivate(DeactivationReason.INCONSISTENT_STATE));
            }
        });
    }
}
