package org.orleans4j.placement;

import java.util.concurrent.CompletableFuture;
import org.orleans4j.runtime.SiloAddress;

/** Stateless workers run where they are called: the local silo when compatible, else random. */
public final class StatelessWorkerPlacementDirector implements PlacementDirector<StatelessWorkerPlacementStrategy> {

    @Override
    public CompletableFuture<SiloAddress> onAddActivation(StatelessWorkerPlacementStrategy strategy,
            PlacementTarget target, PlacementContext context) {
        return Directors.done(Directors.localOrRandom(target, context));
    }
}
