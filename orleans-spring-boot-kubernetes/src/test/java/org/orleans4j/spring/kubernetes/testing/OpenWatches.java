package org.orleans4j.spring.kubernetes.testing;

import java.time.Duration;

/**
 * The number of watch streams being served, so a test can wait for a client to (re-)establish its
 * watch and the API can let streams finish before it stops.
 */
final class OpenWatches {

    private int open;

    synchronized void opened() {
        open++;
        notifyAll();
    }

    synchronized void closed() {
        open--;
        notifyAll();
    }

    synchronized int count() {
        return open;
    }

    /** Waits until no stream is open; returns whether that happened within the timeout. */
    synchronized boolean awaitNone(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (open > 0) {
            long remainingMillis = (deadline - System.nanoTime()) / 1_000_000;
            if (remainingMillis <= 0) {
                return false;
            }
            wait(remainingMillis);
        }
        return true;
    }
}
