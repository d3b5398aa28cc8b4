package org.orleans4j.placement;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.orleans4j.cluster.SiloAddress;

/**
 * Stateless workers run where they are called, which saves a network hop and lets each silo scale
 * its own workers: the local silo when it is Active and compatible, else a random compatible one.
 * How many workers a silo runs ({@link StatelessWorkerPlacementStrategy#maxLocalWorkers()}) is the
 * catalog's business, not the director's. During a rolling upgrade an older silo still runs its
 * own workers: they hold no state to move.
 */
public final class StatelessWorkerPlacementDirector implements PlacementDirector<StatelessWorkerPlacementStrategy> {

    @Override
    public CompletableFuture<SiloAddress> onAddActivation(
            StatelessWorkerPlacementStrategy strategy, PlacementTarget target, PlacementContext context) {
        List<SiloAddress> silos = context.getAllCompatibleSilos(target);
        if (Directors.none(silos)) {
            return Directors.failNoCompatibleSilo(target);
        }
        return Directors.done(Directors.localOrRandom(silos, context));
    }
}
