package org.orleans4j.placement;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.orleans4j.runtime.SiloAddress;

/**
 * Index = (stable hash of the grain id, made non-negative) modulo the number of compatible silos,
 * into those silos sorted by address. Every silo computes the same answer for the same membership.
 */
public final class HashBasedPlacementDirector implements PlacementDirector<PlacementStrategy> {

    @Override
    public CompletableFuture<SiloAddress> onAddActivation(PlacementStrategy strategy, PlacementTarget target,
            PlacementContext context) {
        List<SiloAddress> silos = new ArrayList<>(Directors.compatibleOrThrow(target, context));
        silos.sort(null);
        int index = (target.grainId().stableHash() & 0x7fffffff) % silos.size();
        return Directors.done(silos.get(index));
    }
}
