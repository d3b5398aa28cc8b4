package org.orleans4j.directory.internal;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import org.orleans4j.grain.SiloUnavailableException;

/**
 * Brings this silo's membership view up to a version another silo has seen: a directory request
 * carries the caller's version, and a silo that is behind must read the table before it answers, or
 * the two would disagree on who owns the entry. Bounded: a few table reads, never more than one at a
 * time and at least {@link #MIN_INTERVAL_MILLIS} apart, shared by all requests that wait (a peer that
 * sends made-up versions costs one read per interval and gets a transient failure).
 */
final class MembershipCatchUp {

    static final int ATTEMPTS = 5;
    static final long MIN_INTERVAL_MILLIS = 50;

    private final Supplier<? extends CompletableFuture<?>> refresh;
    private final LongSupplier currentVersion;
    private final String silo;
    private CompletableFuture<Void> inFlight = CompletableFuture.completedFuture(null);
    private long lastStartNanos = System.nanoTime() - TimeUnit.MILLISECONDS.toNanos(MIN_INTERVAL_MILLIS);

    /**
     * @param refresh reads the membership table; its view reaches the directory before the future completes
     * @param currentVersion the version of the directory's view
     */
    MembershipCatchUp(Supplier<? extends CompletableFuture<?>> refresh, LongSupplier currentVersion, String silo) {
        this.refresh = refresh;
        this.currentVersion = currentVersion;
        this.silo = silo;
    }

    /** Completes once this silo's view is at {@code version} or later; fails (transient) if the table does not get there. */
    CompletableFuture<Void> atLeast(long version) {
        return attempt(version, ATTEMPTS);
    }

    private CompletableFuture<Void> attempt(long version, int attemptsLeft) {
        if (currentVersion.getAsLong() >= version) {
            return CompletableFuture.completedFuture(null);
        }
        if (attemptsLeft == 0) {
            return CompletableFuture.failedFuture(new SiloUnavailableException("Silo " + silo + " read membership"
                    + " version " + currentVersion.getAsLong() + " but its caller had seen version " + version
                    + "; the directory answers once both agree (retry)"));
        }
        return sharedRead().thenCompose(read -> attempt(version, attemptsLeft - 1));
    }

    /** The table read in flight, or a new one at least the minimum interval after the last. */
    private synchronized CompletableFuture<Void> sharedRead() {
        if (!inFlight.isDone()) {
            return inFlight;
        }
        long waitNanos = lastStartNanos + TimeUnit.MILLISECONDS.toNanos(MIN_INTERVAL_MILLIS) - System.nanoTime();
        CompletableFuture<Void> read = new CompletableFuture<>();
        inFlight = read;
        CompletableFuture.delayedExecutor(Math.max(0, waitNanos), TimeUnit.NANOSECONDS)
                .execute(() -> {
                    synchronized (this) {
                        lastStartNanos = System.nanoTime();
                    }
                    CompletableFuture<?> started;
                    try {
                        started = refresh.get();
                    } catch (RuntimeException e) {
                        started = CompletableFuture.failedFuture(e);
                    }
                    // A failed read counts as an attempt: the next one tries again, the last gives up.
                    started.whenComplete((v, e) -> read.complete(null));
                });
        return read;
    }
}
