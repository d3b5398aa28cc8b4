package org.orleans4j.spring.kubernetes.testing;

import java.util.ArrayList;
import java.util.List;

/**
 * The pod events the API retains for watches, plus the signals that end watches.
 *
 * <p>The store appends while it holds its write lock, so events arrive in resourceVersion order;
 * watch threads block here (not in the store) waiting for newer events, so a slow watcher never
 * holds up a write. One monitor guards everything: the fixture serves a handful of watches.
 */
final class EventHistory {

    /** What a watch gets when it asks for the events after its cursor. */
    record Batch(Outcome outcome, List<PodEvent> events) {

        static final Batch EXPIRED = new Batch(Outcome.EXPIRED, List.of());
        static final Batch END = new Batch(Outcome.END, List.of());
    }

    enum Outcome {
        /** New events, in resourceVersion order. */
        EVENTS,
        /** Events the watch needs were compacted away: it gets 410 Gone. */
        EXPIRED,
        /** The watch must end: closed, timed out or the API shut down. */
        END
    }

    private final List<PodEvent> events = new ArrayList<>();
    /** A new watch from a resourceVersion below this one is told it is too old. */
    private long oldestWatchable;
    /** The newest resourceVersion among compacted events: a running watch behind it lost events. */
    private long compactedThrough;
    /** Bumped by {@link #endWatches()}; a watch ends when the generation moves past the one it started in. */
    private long generation;
    /** Watches started in a generation below this one end with 410 Gone ({@link #expireWatches}). */
    private long expireBefore;

    private boolean shutDown;

    synchronized void append(PodEvent event) {
        events.add(event);
        notifyAll();
    }

    /**
     * Drops every retained event, as etcd compaction and the watch cache's window do on a real
     * cluster, and makes watching from any resourceVersion before {@code currentResourceVersion}
     * fail with 410 Gone.
     */
    synchronized void compact(long currentResourceVersion) {
        if (!events.isEmpty()) {
            compactedThrough = events.getLast().resourceVersion();
        }
        events.clear();
        oldestWatchable = Math.max(oldestWatchable, currentResourceVersion);
        notifyAll();
    }

    /** Whether a new watch from this resourceVersion must be told it is too old. */
    synchronized boolean tooOld(long resourceVersion) {
        return resourceVersion < oldestWatchable;
    }

    synchronized long oldestWatchable() {
        return oldestWatchable;
    }

    synchronized long generation() {
        return generation;
    }

    /** Ends every open watch (as the API server does at its watch timeout); new watches are served. */
    synchronized void endWatches() {
        generation++;
        notifyAll();
    }

    /**
     * Compacts like {@link #compact} and ends every open watch with 410 Gone, as the API server
     * does when its watch cache can no longer serve a watch's resourceVersion.
     */
    synchronized void expireWatches(long currentResourceVersion) {
        compact(currentResourceVersion);
        generation++;
        expireBefore = generation;
        notifyAll();
    }

    /** Ends every open watch for good: the API is closing. */
    synchronized void shutDown() {
        shutDown = true;
        notifyAll();
    }

    /**
     * Waits for events newer than {@code cursor}.
     *
     * @param startedIn the generation the watch started in
     * @param deadlineNanos {@link System#nanoTime()} at which the watch times out
     */
    synchronized Batch after(long cursor, long startedIn, long deadlineNanos) throws InterruptedException {
        while (true) {
            if (!shutDown && startedIn < expireBefore) {
                return Batch.EXPIRED;
            }
            if (shutDown || generation != startedIn) {
                return Batch.END;
            }
            if (cursor < compactedThrough) {
                return Batch.EXPIRED;
            }
            List<PodEvent> newer = events.stream()
                    .filter(event -> event.resourceVersion() > cursor)
                    .toList();
            if (!newer.isEmpty()) {
                return new Batch(Outcome.EVENTS, newer);
            }
            long remainingMillis = (deadlineNanos - System.nanoTime()) / 1_000_000;
            if (remainingMillis <= 0) {
                return Batch.END;
            }
            wait(remainingMillis);
        }
    }
}
