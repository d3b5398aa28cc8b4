package org.orleans4j.runtime;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiConsumer;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;
import org.orleans4j.cluster.GrainAddress;
import org.orleans4j.grain.GrainId;

/**
 * Calls ({@code R}) waiting for the directory to say where their grain is: one lookup per grain at a time, whose
 * answer routes that grain's calls in the order they were made. A lookup per call would let the calls
 * overtake each other: separate lookups are answered in any order (one waits for its directory owner to
 * catch up with the membership, say), and the callbacks of one future run last-registered first. So
 * while a grain has calls waiting here, its later calls wait behind them even once its address is cached.
 */
final class OrderedLookups<R> {

    private final ConcurrentHashMap<GrainId, List<R>> waiting = new ConcurrentHashMap<>();
    private final Function<GrainId, CompletableFuture<@Nullable GrainAddress>> lookup;
    private final BiConsumer<R, CompletableFuture<@Nullable GrainAddress>> route;

    OrderedLookups(
            Function<GrainId, CompletableFuture<@Nullable GrainAddress>> lookup,
            BiConsumer<R, CompletableFuture<@Nullable GrainAddress>> route) {
        this.lookup = lookup;
        this.route = route;
    }

    /** Whether calls to {@code grain} wait here: a later call must wait behind them. */
    boolean hasWaiting(GrainId grain) {
        // isEmpty first: nearly always true, and cheaper than hashing the grain id.
        return !waiting.isEmpty() && waiting.containsKey(grain);
    }

    /** Routes {@code request} to {@code grain} once its lookup (this call's, or one under way) is answered. */
    void lookUpAndRoute(GrainId grain, R request) {
        boolean[] first = {false};
        waiting.compute(grain, (id, queued) -> {
            if (queued == null) {
                queued = new ArrayList<>(2);
                first[0] = true;
            }
            queued.add(request);
            return queued;
        });
        if (first[0]) {
            CompletableFuture<@Nullable GrainAddress> found = lookup.apply(grain);
            if (found.isDone()) {
                routeWaiting(grain, found);
            } else {
                found.whenComplete((address, error) -> routeWaiting(grain, found));
            }
        }
    }

    /**
     * Routes the calls waiting for {@code grain}, oldest first, with the lookup's answer; calls made
     * meanwhile queue and take the same answer. The entry goes only once empty, so none overtakes.
     */
    private void routeWaiting(GrainId grain, CompletableFuture<@Nullable GrainAddress> found) {
        while (true) {
            List<R> batch = new ArrayList<>();
            waiting.computeIfPresent(grain, (id, queued) -> {
                if (queued.isEmpty()) {
                    return null;
                }
                batch.addAll(queued);
                queued.clear();
                return queued;
            });
            if (batch.isEmpty()) {
                return;
            }
            for (R request : batch) {
                route.accept(request, found);
            }
        }
    }
}
