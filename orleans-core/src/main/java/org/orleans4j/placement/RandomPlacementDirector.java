package org.orleans4j.placement;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.orleans4j.cluster.SiloAddress;

/**
 * A uniformly random compatible silo. Typed on {@link PlacementStrategy} so it can also serve a
 * custom strategy that only needs random placement.
 */
public final class RandomPlacementDirector implements PlacementDirector<PlacementStrategy> {

    @Override
    public CompletableFuture<SiloAddress> onAddActivation(
            PlacementStrategy strategy, PlacementTarget target, PlacementContext context) {
        List<SiloAddress> silos = context.getCompatibleSilos(target);
        if (Directors.none(silos)) {
            return Directors.failNoCompatibleSilo(target);
        }
        return Directors.done(Directors.random(silos));
    }
}
