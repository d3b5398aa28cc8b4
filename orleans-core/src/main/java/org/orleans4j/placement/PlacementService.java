package org.orleans4j.placement;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import org.orleans4j.grain.GrainId;
import org.orleans4j.runtime.SiloAddress;

/**
 * Chooses the silo for a new activation: the placement hint if it names a compatible silo, else the
 * strategy's director. Concurrent placements of one grain id share one decision, so a burst of
 * first calls does not scatter activations of the same grain.
 */
public final class PlacementService {

    private final PlacementDirectorRegistry directors;
    private final PlacementContext context;
    private final ConcurrentHashMap<GrainId, CompletableFuture<SiloAddress>> inFlight = new ConcurrentHashMap<>();

    public PlacementService(PlacementDirectorRegistry directors, PlacementContext context) {
        this.directors = directors;
        this.context = context;
    }

    public CompletableFuture<SiloAddress> placeGrain(PlacementTarget target, PlacementStrategy strategy) {
        SiloAddress hint = PlacementHint.of(target);
        if (hint != null && context.getCompatibleSilos(target).contains(hint)) {
            return CompletableFuture.completedFuture(hint);
        }
        GrainId grainId = target.grainId();
        CompletableFuture<SiloAddress> mine = new CompletableFuture<>();
        CompletableFuture<SiloAddress> existing = inFlight.putIfAbsent(grainId, mine);
        if (existing != null) {
            return existing;
        }
        CompletableFuture<SiloAddress> decision = decide(target, strategy);
        if (decision.isDone()) {
            inFlight.remove(grainId, mine);
            complete(mine, decision);
        } else {
            decision.whenComplete((silo, error) -> {
                inFlight.remove(grainId, mine);
                complete(mine, decision);
            });
        }
        return mine;
    }

    private CompletableFuture<SiloAddress> decide(PlacementTarget target, PlacementStrategy strategy) {
        try {
            CompletableFuture<SiloAddress> decision = directors.director(strategy).onAddActivation(strategy, target, context);
            return decision != null ? decision
                    : CompletableFuture.failedFuture(new PlacementException("Placement director returned no future"));
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    private static void complete(CompletableFuture<SiloAddress> target, CompletableFuture<SiloAddress> decision) {
        if (decision.isCompletedExceptionally()) {
            target.completeExceptionally(org.orleans4j.catalog.Futures.unwrap(decision.exceptionNow()));
        } else if (decision.resultNow() == null) {
            target.completeExceptionally(new PlacementException("Placement director returned no silo"));
        } else {
            target.complete(decision.resultNow());
        }
    }

    /** Placements currently being decided. */
    public int inFlightCount() {
        return inFlight.size();
    }
}
