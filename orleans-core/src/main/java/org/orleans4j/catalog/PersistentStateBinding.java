package org.orleans4j.catalog;

import java.util.concurrent.CompletableFuture;
import java.util.function.Function;
import java.util.function.Supplier;
import org.orleans4j.grain.DeactivationReason;
import org.orleans4j.grain.PersistentState;
import org.orleans4j.persistence.GrainState;
import org.orleans4j.persistence.GrainStorage;
import org.orleans4j.persistence.InconsistentStateException;

/**
 * A grain's declared persistent state bound to its storage provider. Operations complete on the
 * activation's turn; a stale write marks the activation for deactivation.
 */
final class PersistentStateBinding<T> implements PersistentState<T> {

    private final ActivationData activation;
    private final String name;
    private final GrainStorage storage;
    private final GrainState<T> state;

    PersistentStateBinding(ActivationData activation, String name, GrainStorage storage, Class<T> type,
            Supplier<? extends T> initial) {
        this.activation = activation;
        this.name = name;
        this.storage = storage;
        this.state = new GrainState<>(type, initial);
    }

    String name() {
        return name;
    }

    CompletableFuture<Void> read() {
        return call(s -> s.readState(name, activation.grainId(), state));
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
    public String etag() {
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
        return activation.resume(call(s -> s.writeState(name, activation.grainId(), state)));
    }

    @Override
    public CompletableFuture<Void> clearState() {
        return activation.resume(call(s -> s.clearState(name, activation.grainId(), state)));
    }

    private CompletableFuture<Void> call(Function<GrainStorage, CompletableFuture<Void>> operation) {
        CompletableFuture<Void> result;
        try {
            result = operation.apply(storage);
        } catch (RuntimeException e) {
            result = CompletableFuture.failedFuture(e);
        }
        return result.whenComplete((v, e) -> {
            if (e != null && Futures.unwrap(e) instanceof InconsistentStateException) {
                activation.enqueue(new ActivationData.Deactivate(DeactivationReason.INCONSISTENT_STATE));
            }
        });
    }
}
