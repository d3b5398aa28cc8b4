package org.orleans4j.example.probe;

import java.util.concurrent.CompletableFuture;
import org.orleans4j.grain.DeactivationReason;
import org.orleans4j.grain.GrainBase;
import org.orleans4j.grain.PersistentState;
import org.orleans4j.spring.grain.GrainComponent;

/**
 * Counts in memory; the count reaches storage only in {@link #onDeactivate}, and is read back when
 * the grain activates again. A silo that stops without deactivating its grains loses their counts,
 * so a tally that survives its silo's SIGTERM proves the graceful shutdown deactivated it.
 */
@GrainComponent
public class TallyGrainImpl extends GrainBase implements TallyGrain {

    private final PersistentState<Tally> tally = persistentState("tally", Tally.class, () -> new Tally(0));

    @Override
    public CompletableFuture<Long> increment() {
        tally.setState(new Tally(tally.state().count() + 1));
        return CompletableFuture.completedFuture(tally.state().count());
    }

    @Override
    public CompletableFuture<Long> total() {
        return CompletableFuture.completedFuture(tally.state().count());
    }

    @Override
    public CompletableFuture<Void> onDeactivate(DeactivationReason reason) {
        return tally.writeState();
    }

    /** The persisted count. */
    public record Tally(long count) {}
}
