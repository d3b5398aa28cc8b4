package org.orleans4j.placement;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.orleans4j.cluster.SiloAddress;

/**
 * The local silo when it is Active and compatible; otherwise a random compatible silo (the local
 * silo may be joining, shutting down, or lack the grain type).
 */
public final class PreferLocalPlacementDirector implements PlacementDirector<PlacementStrategy> {

    @Override
    public CompletableFuture<SiloAddress> onAddActivation(
            PlacementStrategy strategy, PlacementTarget target, PlacementContext context) {
        List<SiloAddress> silos = context.getCompatibleSilos(target);
        if (Directors.none(silos)) {
            return Directors.failNoCompatibleSilo(target);
        }
        return Directors.done(Directors.localOrRandom(silos, context));
    }
}
