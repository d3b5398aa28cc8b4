package org.orleans4j.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class ThreadUseTest {

    @Test
    void namesTheKindsOfThreadTheBenchmarksRun() {
        assertThat(ThreadUse.kind("multiThreadIoEv")).isEqualTo("event loops");
        assertThat(ThreadUse.kind("orleans-turn-re")).isEqualTo("turn threads");
        assertThat(ThreadUse.kind("orleans-timer-l")).isEqualTo("timer");
        assertThat(ThreadUse.kind("orleans-client-")).isEqualTo("client threads");
        assertThat(ThreadUse.kind("C2 CompilerThre")).isEqualTo("JIT compilers");
        assertThat(ThreadUse.kind("GC Thread#1")).isEqualTo("GC and VM");
        assertThat(ThreadUse.kind("pool-12-thread-")).isEqualTo("pool-N-thread-");
    }

    @Test
    void dividesByTheUnitsLeavesOutIdleKindsAndNeverGoesBelowZero() {
        Map<ThreadUse.Key, ThreadUse.Counts> before = Map.of(
                new ThreadUse.Key("caller", "event loops"), counts(100, 1_000, 10),
                new ThreadUse.Key("far side", "turn threads"), counts(50, 500, 0),
                new ThreadUse.Key("far side", "timer"), counts(7, 3, 0),
                new ThreadUse.Key("far side", "GC and VM"), counts(90, 90, 90));
        Map<ThreadUse.Key, ThreadUse.Counts> after = Map.of(
                new ThreadUse.Key("caller", "event loops"), counts(300, 17_000, 2_010),
                new ThreadUse.Key("far side", "turn threads"), counts(450, 41_000, 0),
                new ThreadUse.Key("far side", "timer"), counts(7, 3, 0),
                // Its busiest thread ended in between and took its counts along.
                new ThreadUse.Key("far side", "GC and VM"), counts(10, 10, 10));

        List<ThreadUse> uses = ThreadUse.per(before, after, 1_000_000);

        assertThat(uses)
                .containsExactly(
                        new ThreadUse("far side", "turn threads", 4.0, 0.0405, 0.0),
                        new ThreadUse("caller", "event loops", 2.0, 0.016, 0.002));
        assertThat(ThreadUse.per(before, after, 0)).isEmpty();
    }

    @Test
    void mediansOverRoundsCountAKindMissingFromARoundAsNothingAndLeaveOutIdleKinds() {
        List<List<ThreadUse>> rounds = List.of(
                List.of(new ThreadUse("caller", "event loops", 1.0, 0.01, 0.0)),
                List.of(
                        new ThreadUse("caller", "event loops", 3.0, 0.03, 0.0),
                        new ThreadUse("far side", "turn threads", 9.0, 0.09, 0.001)),
                List.of(new ThreadUse("caller", "event loops", 2.0, 0.02, 0.0)));

        // The turn threads' median is nothing: left out.
        assertThat(ThreadUse.medianLines(rounds))
                .containsExactly("caller event loops: 2.00 us CPU, 0.0200 sleeps, 0.0000 preemptions");
    }

    @Test
    void readsTheCpuAndTheSleepsOfThisProcessThreads() throws Exception {
        assumeTrue(Files.isDirectory(Path.of("/proc/self/task")), "threads are read from Linux's /proc");
        ThreadMXBean mx = ManagementFactory.getThreadMXBean();
        SynchronousQueue<Integer> handOffs = new SynchronousQueue<>();
        Thread worker = new Thread(
                () -> {
                    long spinUntil = mx.getCurrentThreadCpuTime() + TimeUnit.MILLISECONDS.toNanos(300);
                    while (mx.getCurrentThreadCpuTime() < spinUntil) {
                        Thread.onSpinWait();
                    }
                    try {
                        // The last hand-off lets it end, once its counts are read.
                        for (int i = 0; i <= 50; i++) {
                            handOffs.take();
                        }
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                },
                "orleans-turn-test-1");
        Map<String, ProcessHandle> self = Map.of("caller", ProcessHandle.current());
        Map<ThreadUse.Key, ThreadUse.Counts> before = ThreadUse.read(self);
        worker.start();
        for (int i = 0; i <= 50; i++) {
            // Hand over only once the worker waits, so that every hand-off wakes it from a sleep.
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (worker.getState() != Thread.State.WAITING) {
                assertThat(System.nanoTime())
                        .as("worker waiting for hand-off %d", i)
                        .isLessThan(deadline);
                Thread.onSpinWait();
            }
            if (i == 50) {
                break;
            }
            handOffs.put(i);
        }
        Map<ThreadUse.Key, ThreadUse.Counts> after = ThreadUse.read(self);
        handOffs.put(50);
        worker.join(TimeUnit.SECONDS.toMillis(30));

        ThreadUse turns = ThreadUse.per(before, after, 1).stream()
                .filter(use -> use.threads().equals("turn threads"))
                .findFirst()
                .orElseThrow();
        // 300 ms of CPU in ticks of 10 ms. A thread shows WAITING a moment before it parks, so a hand-off can
        // find it not yet asleep: most of the 50, not all, are sleeps.
        assertThat(turns.cpuMicros()).isBetween(250_000.0, 2_000_000.0);
        assertThat(turns.sleeps()).isBetween(25.0, 200.0);
    }

    private static ThreadUse.Counts counts(long ticks, long sleeps, long preemptions) {
        ThreadUse.Counts counts = new ThreadUse.Counts();
        counts.ticks = ticks;
        counts.sleeps = sleeps;
        counts.preemptions = preemptions;
        return counts;
    }
}
