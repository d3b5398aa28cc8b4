package org.orleans4j.spring.silo.app;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import org.orleans4j.cluster.SiloAddress;
import org.orleans4j.placement.PlacementContext;
import org.orleans4j.placement.PlacementDirector;
import org.orleans4j.placement.PlacementTarget;

/** The director of {@link PinnedStrategy}: always the first compatible silo; counts its calls. */
public class PinnedDirector implements PlacementDirector<PinnedStrategy> {

    public final AtomicInteger placements = new AtomicInteger();

    @Override
    public CompletableFuture<SiloAddress> onAddActivation(
            PinnedStrategy strategy, PlacementTarget target, PlacementContext context) {
        placements.incrementAndGet();
        return CompletableFuture.completedFuture(
                context.getCompatibleSilos(target).get(0));
    }
}
