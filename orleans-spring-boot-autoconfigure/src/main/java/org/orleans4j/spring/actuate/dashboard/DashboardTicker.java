package org.orleans4j.spring.actuate.dashboard;

import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Moves the call statistics to the next bucket as time passes, and decays the busiest grains' counts
 * with it: once a second, on a daemon thread of its own, so that a call never reads the clock nor
 * clears a bucket.
 */
final class DashboardTicker implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(DashboardTicker.class);

    private final ScheduledExecutorService executor;

    /** {@code busiest} is {@code null} when busiest grains are not counted. */
    DashboardTicker(GrainCallStatistics calls, BusiestGrains busiest) {
        this.executor = Executors.newSingleThreadScheduledExecutor(task -> {
            Thread thread = new Thread(task, "orleans-dashboard-ticker");
            thread.setDaemon(true);
            return thread;
        });
        executor.scheduleWithFixedDelay(
                () -> {
                    try {
                        long epoch = calls.advance(System.nanoTime());
                        if (busiest != null) {
                            busiest.decayTo(epoch);
                        }
                    } catch (RuntimeException e) {
                        // A failure must not end the schedule: the figures would freeze.
                        log.warn("Dashboard statistics tick failed", e);
                    }
                },
                1,
                1,
                TimeUnit.SECONDS);
    }

    @Override
    public void close() {
        executor.shutdownNow();
    }
}
