package org.orleans4j.placement;

import java.util.concurrent.CompletableFuture;
import org.orleans4j.runtime.SiloAddress;

/** A uniformly random compatible silo. */
public final class RandomPlacementDirector implements PlacementDirector<PlacementStrategy> {

    @Override
    public CompletableFuture<SiloAddress> onAddActivation(PlacementStrategy strategy, PlacementTarget target,
            PlacementContext context) {
        return Directors.done(Directors.random(Directors.compatibleOrThrow(target, context)));
    }
}
