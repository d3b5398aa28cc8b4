package org.orleans4j.placement;

import java.util.concurrent.CompletableFuture;
import org.orleans4j.runtime.SiloAddress;

/** The local silo when it is Active and compatible; otherwise random. */
public final class PreferLocalPlacementDirector implements PlacementDirector<PlacementStrategy> {

    @Override
    public CompletableFuture<SiloAddress> onAddActivation(PlacementStrategy strategy, PlacementTarget target,
            PlacementContext context) {
        return Directors.done(Directors.localOrRandom(target, context));
    }
}
