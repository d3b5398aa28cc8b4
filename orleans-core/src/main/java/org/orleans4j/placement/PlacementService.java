package org.orleans4j.placement;

import java.util.Objects;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import org.orleans4j.cluster.SiloAddress;
import org.orleans4j.grain.GrainId;

/**
 * Chooses the silo for a new activation: the {@link PlacementHint} if it names a compatible silo,
 * else the director of the grain's strategy.
 * <p>
 * Concurrent placements of one grain id share one decision (the director is called once), so a
 * burst of first calls to a grain does not scatter its activation over several silos. The shared
 * decision is forgotten as soon as it completes: a later placement of the same id decides anew.
 * <p>
 * While a decision is pending each caller gets a future of its own, completed with the shared
 * decision, so a caller that cancels or times out its future cannot fail the placement for the others. Failures arrive unwrapped
 * (the director's exception itself, not a {@link CompletionException}). No lock is held while a
 * director runs; a director that throws yields a failed future.
 */
public final class PlacementService {

    private final PlacementDirectorRegistry directors;
    private final PlacementContext context;
    private final ConcurrentHashMap<GrainId, CompletableFuture<SiloAddress>> inFlight = new ConcurrentHashMap<>();

    public PlacementService(PlacementDirectorRegistry directors, PlacementContext context) {
        this.directors = Objects.requireNonNull(directors, "directors");
        this.context = Objects.requireNonNull(context, "context");
    }

    public CompletableFuture<SiloAddress> placeGrain(PlacementTarget target, PlacementStrategy strategy) {
        SiloAddress hint = PlacementHint.of(target);
        if (hint != null && context.getCompatibleSilos(target).contains(hint)) {
            return CompletableFuture.completedFuture(hint);
        }
        GrainId grainId = target.grainId();
        CompletableFuture<SiloAddress> shared = new CompletableFuture<>();
        CompletableFuture<SiloAddress> existing = inFlight.putIfAbsent(grainId, shared);
        if (existing != null) {
            return follow(existing);
        }
        CompletableFuture<SiloAddress> decision = decide(target, strategy);
        if (decision.isDone()) {
            // The common case (built-in directors answer at once): settle now, no callback to register.
            settle(shared, decision, grainId);
            inFlight.remove(grainId, shared);
        } else {
            decision.whenComplete((silo, error) -> {
                // Complete before removing: a request racing in between then reuses this answer
                // instead of asking the director again and maybe getting another silo.
                settle(shared, decision, grainId);
                inFlight.remove(grainId, shared);
            });
        }
        return follow(shared);
    }

    /** Placements currently being decided (those whose director has not answered yet). */
    public int inFlightCount() {
        return inFlight.size();
    }

    private CompletableFuture<SiloAddress> decide(PlacementTarget target, PlacementStrategy strategy) {
        try {
            PlacementDirector<PlacementStrategy> director = directors.director(strategy);
            CompletableFuture<SiloAddress> decision = director.onAddActivation(strategy, target, context);
            if (decision == null) {
                return CompletableFuture.failedFuture(new PlacementException("Placement director "
                        + director.getClass().getName() + " returned no future for grain " + target.grainId()));
            }
            return decision;
        } catch (Throwable e) {
            // Whatever a director throws must reach the callers, and must not leave the in-flight
            // entry behind (every later placement of the grain would then wait forever).
            return CompletableFuture.failedFuture(e);
        }
    }

    private static void settle(
            CompletableFuture<SiloAddress> shared, CompletableFuture<SiloAddress> decision, GrainId grainId) {
        SiloAddress silo;
        try {
            silo = decision.join(); // done already: does not block
        } catch (CancellationException | CompletionException e) {
            shared.completeExceptionally(unwrap(e));
            return;
        }
        if (silo == null) {
            shared.completeExceptionally(
                    new PlacementException("Placement director returned no silo for grain " + grainId));
        } else {
            shared.complete(silo);
        }
    }

    /**
     * {@code shared} itself once done (a completed future cannot be cancelled or completed again by a
     * caller), else a future of the caller's own that completes like it.
     */
    private static CompletableFuture<SiloAddress> follow(CompletableFuture<SiloAddress> shared) {
        if (shared.isDone()) {
            return shared;
        }
        CompletableFuture<SiloAddress> own = new CompletableFuture<>();
        shared.whenComplete((silo, error) -> {
            if (error != null) {
                own.completeExceptionally(unwrap(error));
            } else {
                own.complete(silo);
            }
        });
        return own;
    }

    private static Throwable unwrap(Throwable error) {
        Throwable current = error;
        while ((current instanceof CompletionException || current instanceof ExecutionException)
                && current.getCause() != null) {
            current = current.getCause();
        }
        return current;
    }
}
