package org.orleans4j.spring.silo.app;

import java.util.concurrent.CompletableFuture;
import org.orleans4j.grain.DeactivationReason;
import org.orleans4j.grain.GrainBase;
import org.orleans4j.grain.PersistentState;

/** Counts in memory and writes only when deactivated, as write-behind grains do. */
public class VisitsGrainImpl extends GrainBase implements VisitsGrain {

    private final PersistentState<Visits> visits = persistentState("visits", Visits.class, () -> new Visits(0));

    @Override
    public CompletableFuture<Integer> visit() {
        visits.setState(new Visits(visits.state().count() + 1));
        return CompletableFuture.completedFuture(visits.state().count());
    }

    @Override
    public CompletableFuture<Void> onDeactivate(DeactivationReason reason) {
        return visits.writeState();
    }

    public record Visits(int count) {}
}
