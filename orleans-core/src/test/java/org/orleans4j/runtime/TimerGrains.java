package org.orleans4j.runtime;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import org.orleans4j.grain.AlwaysInterleave;
import org.orleans4j.grain.DeactivationReason;
import org.orleans4j.grain.GrainBase;
import org.orleans4j.grain.GrainTimer;
import org.orleans4j.grain.GrainTimerOptions;
import org.orleans4j.grain.GrainWithStringKey;

/** A grain whose timers record what they saw in {@link Probe}s shared with the test, by grain key. */
final class TimerGrains {

    private TimerGrains() {}

    /** What one grain's timer and requests observed. */
    static final class Probe {
        final AtomicInteger ticks = new AtomicInteger();
        final AtomicInteger overlaps = new AtomicInteger();
        final AtomicInteger requestsDone = new AtomicInteger();
        final ConcurrentLinkedQueue<Long> tickNanos = new ConcurrentLinkedQueue<>();
        final ConcurrentLinkedQueue<String> events = new ConcurrentLinkedQueue<>();
        volatile GrainTimer timer;
        /** Set by a request while it runs (between its start and its completion), read by ticks. */
        volatile boolean requestRunning;

        List<Long> intervalsMillis() {
            List<Long> times = List.copyOf(tickNanos);
            return IntStream.range(1, times.size())
                    .mapToObj(i -> TimeUnit.NANOSECONDS.toMillis(times.get(i) - times.get(i - 1)))
                    .toList();
        }
    }

    static final Map<String, Probe> PROBES = new ConcurrentHashMap<>();

    static Probe probe(String key) {
        return PROBES.computeIfAbsent(key, k -> new Probe());
    }

    interface Timed extends GrainWithStringKey {
        /** Registers a timer; {@code failEvery} > 0 makes every such tick throw. */
        CompletableFuture<Void> start(GrainTimerOptions options, int failEvery);

        /** Runs for {@code millis} without holding a thread (awaits a delayed stage). */
        CompletableFuture<Void> work(int millis);

        CompletableFuture<Void> change(Duration dueTime, Duration period);

        CompletableFuture<Void> stopTimer();

        CompletableFuture<Void> deactivate();

        @AlwaysInterleave
        CompletableFuture<String> registerFromAnotherThread();
    }

    static class TimedGrain extends GrainBase implements Timed {

        @Override
        public CompletableFuture<Void> start(GrainTimerOptions options, int failEvery) {
            Probe probe = probe(primaryKeyString());
            probe.timer = registerTimer(
                    () -> {
                        if (probe.requestRunning) {
                            probe.overlaps.incrementAndGet();
                        }
                        probe.tickNanos.add(System.nanoTime());
                        int tick = probe.ticks.incrementAndGet();
                        if (failEvery > 0 && tick % failEvery == 0) {
                            throw new IllegalStateException("tick " + tick + " fails on purpose");
                        }
                        return null;
                    },
                    options);
            return CompletableFuture.completedFuture(null);
        }

        @Override
        public CompletableFuture<Void> work(int millis) {
            Probe probe = probe(primaryKeyString());
            probe.requestRunning = true;
            CompletableFuture<Void> delay = CompletableFuture.runAsync(
                    () -> {}, CompletableFuture.delayedExecutor(millis, TimeUnit.MILLISECONDS));
            return resume(delay).thenRun(() -> {
                probe.requestRunning = false;
                probe.requestsDone.incrementAndGet();
            });
        }

        @Override
        public CompletableFuture<Void> change(Duration dueTime, Duration period) {
            probe(primaryKeyString()).timer.change(dueTime, period);
            return CompletableFuture.completedFuture(null);
        }

        @Override
        public CompletableFuture<Void> stopTimer() {
            probe(primaryKeyString()).timer.close();
            return CompletableFuture.completedFuture(null);
        }

        @Override
        public CompletableFuture<Void> deactivate() {
            deactivateOnIdle();
            return CompletableFuture.completedFuture(null);
        }

        @Override
        public CompletableFuture<String> registerFromAnotherThread() {
            return CompletableFuture.supplyAsync(() -> {
                try {
                    registerTimer(() -> null, Duration.ZERO, Duration.ZERO);
                    return "registered";
                } catch (IllegalStateException e) {
                    return e.getMessage();
                }
            });
        }

        @Override
        public CompletableFuture<Void> onDeactivate(DeactivationReason reason) {
            probe(primaryKeyString()).events.add("deactivate:" + reason);
            return CompletableFuture.completedFuture(null);
        }
    }
}
