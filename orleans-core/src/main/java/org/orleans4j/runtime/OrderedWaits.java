package org.orleans4j.runtime;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiConsumer;
import java.util.function.Function;

/**
 * Calls or messages ({@code R}) waiting for something about their destination ({@code K}): where a grain
 * is (a directory lookup), or a connection to a silo being opened. One wait per destination at a time,
 * whose outcome then handles that destination's calls in the order they were made. A wait per call would
 * let them overtake each other: separate lookups are answered in any order (one waits for its directory
 * owner to catch up with the membership, say), and the callbacks of one future run last-registered first.
 * So while a destination has calls waiting here, its later calls wait behind them even once the answer is
 * known ({@link #hasWaiting}).
 */
final class OrderedWaits<K, V, R> {

    private final ConcurrentHashMap<K, List<R>> waiting = new ConcurrentHashMap<>();
    private final Function<K, CompletableFuture<V>> start;
    private final BiConsumer<R, CompletableFuture<V>> then;

    /** {@code start} begins the wait for a destination; {@code then} handles each call once it ends. */
    OrderedWaits(Function<K, CompletableFuture<V>> start, BiConsumer<R, CompletableFuture<V>> then) {
        this.start = start;
        this.then = then;
    }

    /** Whether calls to {@code destination} wait here: a later call must wait behind them. */
    boolean hasWaiting(K destination) {
        // isEmpty first: nearly always true, and cheaper than hashing the key.
        return !waiting.isEmpty() && waiting.containsKey(destination);
    }

    /** Handles {@code call} once the wait for {@code destination} (its own, or one under way) ends. */
    void add(K destination, R call) {
        boolean[] first = {false};
        waiting.compute(destination, (key, queued) -> {
            if (queued == null) {
                queued = new ArrayList<>(2);
                first[0] = true;
            }
            queued.add(call);
            return queued;
        });
        if (first[0]) {
            CompletableFuture<V> outcome = start.apply(destination);
            if (outcome.isDone()) {
                handleWaiting(destination, outcome);
            } else {
                outcome.whenComplete((value, error) -> handleWaiting(destination, outcome));
            }
        }
    }

    /**
     * Handles the calls waiting for {@code destination}, oldest first, with the wait's outcome; calls made
     * meanwhile queue and take the same outcome. The entry goes only once empty, so none overtakes.
     */
    private void handleWaiting(K destination, CompletableFuture<V> outcome) {
        while (true) {
            List<R> batch = new ArrayList<>();
            waiting.computeIfPresent(destination, (key, queued) -> {
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
            for (R call : batch) {
                then.accept(call, outcome);
            }
        }
    }
}
