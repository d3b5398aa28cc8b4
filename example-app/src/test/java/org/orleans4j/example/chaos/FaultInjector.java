package org.orleans4j.example.chaos;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Every {@code period} a round: {@code kill -9} of a random silo and its immediate restart on the same
 * ports, then {@code SIGTERM} of another (a graceful stop) and its restart; the round ends when both new
 * incarnations have started. A round that outlasts the period delays the next one (rounds never
 * overlap), so at least one silo always serves.
 */
final class FaultInjector {

    /** The longest a round can take: a graceful stop that is ignored, then two restarts that never start. */
    private static final Duration ROUND_LIMIT =
            ChaosCluster.STOP_GRACE.plus(ChaosCluster.START_TIMEOUT.multipliedBy(2));

    private final ChaosCluster cluster;
    private final Duration period;
    private final Random random;
    private final List<String> events = new ArrayList<>();
    private int kills;
    private int terminations;
    private int ungracefulTerminations;

    FaultInjector(ChaosCluster cluster, Duration period, long seed) {
        this.cluster = cluster;
        this.period = period;
        this.random = new Random(seed);
    }

    /**
     * Runs rounds for {@code duration}: the first after one period, each next one a period after the one
     * before started, or at once if that round took longer; none starts after {@code duration}. Returns
     * when the last round has finished (its restarted silos have started).
     */
    void runFor(Duration duration) throws Exception {
        ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread t = new Thread(runnable, "chaos-faults");
            t.setDaemon(true);
            return t;
        });
        long start = System.nanoTime();
        long deadline = start + duration.toNanos();
        CompletableFuture<Void> done = new CompletableFuture<>();
        try {
            timer.schedule(() -> roundThenNext(start, deadline, timer, done), period.toNanos(), TimeUnit.NANOSECONDS);
            // The rounds are scheduled events, so the test thread waits on their end, not on a sleep.
            done.get(duration.plus(ROUND_LIMIT).toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            throw new IllegalStateException("a fault round failed", e.getCause());
        } catch (TimeoutException e) {
            throw new IllegalStateException("the fault rounds did not end within " + duration.plus(ROUND_LIMIT), e);
        } finally {
            timer.shutdownNow();
        }
    }

    private void roundThenNext(
            long start, long deadline, ScheduledExecutorService timer, CompletableFuture<Void> done) {
        long began = System.nanoTime();
        try {
            round(start);
        } catch (RuntimeException | Error e) {
            done.completeExceptionally(e);
            return;
        }
        long next = began + period.toNanos();
        if (next - deadline > 0) {
            done.complete(null);
            return;
        }
        timer.schedule(
                () -> roundThenNext(start, deadline, timer, done),
                Math.max(0, next - System.nanoTime()),
                TimeUnit.NANOSECONDS);
    }

    private void round(long start) {
        long roundStart = System.nanoTime();
        int killed = random.nextInt(cluster.size());
        int stopped = (killed + 1 + random.nextInt(cluster.size() - 1)) % cluster.size();
        String killedInstance = cluster.instance(killed);
        cluster.kill(killed);
        cluster.restart(killed);
        kills++;
        String stoppedInstance = cluster.instance(stopped);
        boolean graceful = cluster.terminate(stopped);
        cluster.restart(stopped);
        terminations++;
        if (!graceful) {
            ungracefulTerminations++;
        }
        cluster.awaitStarted(killed);
        cluster.awaitStarted(stopped);
        events.add(String.format(
                "t=%ds kill -9 %s, SIGTERM %s%s, both back at t=%ds",
                TimeUnit.NANOSECONDS.toSeconds(roundStart - start),
                killedInstance,
                stoppedInstance,
                graceful ? "" : " (ignored: killed after " + ChaosCluster.STOP_GRACE + ")",
                TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - start)));
    }

    int kills() {
        return kills;
    }

    int terminations() {
        return terminations;
    }

    /** SIGTERMs after which the silo had not exited within {@link ChaosCluster#STOP_GRACE}. */
    int ungracefulTerminations() {
        return ungracefulTerminations;
    }

    /** One line per round. */
    List<String> events() {
        return events;
    }
}
