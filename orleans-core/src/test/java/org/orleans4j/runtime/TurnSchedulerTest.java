package org.orleans4j.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class TurnSchedulerTest {

    @Test
    void everyTaskRunsWhenManyThreadsSubmitAcrossIdlePeriods() throws Exception {
        TurnScheduler scheduler = new TurnScheduler("test", 2);
        try {
            AtomicInteger ran = new AtomicInteger();
            int producers = 4;
            int bursts = 50;
            int perBurst = 1_000;
            List<Thread> threads = new ArrayList<>();
            for (int p = 0; p < producers; p++) {
                Thread t = new Thread(() -> {
                    for (int b = 0; b < bursts; b++) {
                        for (int i = 0; i < perBurst; i++) {
                            scheduler.execute(ran::incrementAndGet);
                        }
                        // Let the workers drain and park between bursts: wake-ups must not be lost.
                        int target = (b + 1) * perBurst;
                        await().pollInterval(Duration.ofMillis(1))
                                .atMost(Duration.ofSeconds(10))
                                .until(() -> ran.get() >= target);
                    }
                });
                threads.add(t);
                t.start();
            }
            for (Thread t : threads) {
                t.join(TimeUnit.SECONDS.toMillis(60));
            }
            await().atMost(Duration.ofSeconds(10)).until(() -> ran.get() == producers * bursts * perBurst);
        } finally {
            scheduler.shutdown();
        }
        assertThat(scheduler.awaitTermination(5, TimeUnit.SECONDS)).isTrue();
        assertThatThrownBy(() -> scheduler.execute(() -> {})).isInstanceOf(RejectedExecutionException.class);
    }

    @Test
    void tasksOfferedAcrossIdlePeriodsAllRunWhileAReadIsHandedOverAndAfter() throws Exception {
        TurnScheduler scheduler = new TurnScheduler("test", 2);
        try {
            AtomicInteger ran = new AtomicInteger();
            // A read that never ends (a connection stuck mid-read) bounds each wait: workers park as they would.
            scheduler.readStarted();
            for (int burst = 1; burst <= 200; burst++) {
                for (int i = 0; i < 10; i++) {
                    scheduler.execute(ran::incrementAndGet);
                }
                int target = burst * 10;
                await().pollInterval(Duration.ofMillis(1))
                        .atMost(Duration.ofSeconds(10))
                        .until(() -> ran.get() >= target);
            }
            await().atMost(Duration.ofSeconds(10)).until(() -> scheduler.running() == 0);
            scheduler.readEnded();
            scheduler.execute(ran::incrementAndGet);
            await().atMost(Duration.ofSeconds(10)).until(() -> ran.get() == 2_001);
        } finally {
            scheduler.shutdown();
        }
        assertThat(scheduler.awaitTermination(5, TimeUnit.SECONDS)).isTrue();
    }

    @Test
    void whileOneWorkerRunsALongTurnTheOthersRunEveryTaskQueuedBehindIt() throws Exception {
        TurnScheduler scheduler = new TurnScheduler("test", 3);
        CountDownLatch release = new CountDownLatch(1);
        try {
            CountDownLatch longTurnStarted = new CountDownLatch(1);
            scheduler.execute(() -> {
                longTurnStarted.countDown();
                try {
                    release.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
            assertThat(longTurnStarted.await(5, TimeUnit.SECONDS)).isTrue();
            // Within a look or two of the watchdog, the worker in the long turn no longer counts as running (the
            // others park): each task offered from now on wakes a worker at once.
            await().atMost(Duration.ofSeconds(5)).until(() -> scheduler.running() == 0);
            // A burst offered at once (one worker is woken; the watchdog adds the other if it falls behind), then
            // single tasks with idle gaps (the workers park in between): none waits for the long turn.
            AtomicInteger ran = new AtomicInteger();
            for (int i = 0; i < 1_000; i++) {
                scheduler.execute(ran::incrementAndGet);
            }
            await().atMost(Duration.ofSeconds(10)).until(() -> ran.get() == 1_000);
            for (int i = 1; i <= 200; i++) {
                scheduler.execute(ran::incrementAndGet);
                int expected = 1_000 + i;
                await().pollInterval(Duration.ofMillis(1))
                        .atMost(Duration.ofSeconds(5))
                        .until(() -> ran.get() == expected);
            }
            assertThat(release.getCount()).as("the long turn is still running").isEqualTo(1);
        } finally {
            release.countDown();
            scheduler.shutdown();
        }
    }

    @Test
    void aCallerWaitingOnEachTaskIsNeverLeftWaiting() throws Exception {
        // The sequential pattern: one task at a time, the next offered from the thread that saw the last one
        // end, so workers alternate between spinning, parking and being woken.
        TurnScheduler scheduler = new TurnScheduler("test", 2);
        try {
            for (int i = 0; i < 20_000; i++) {
                CountDownLatch done = new CountDownLatch(1);
                scheduler.execute(done::countDown);
                assertThat(done.await(5, TimeUnit.SECONDS)).as("task %d ran", i).isTrue();
            }
        } finally {
            scheduler.shutdown();
        }
    }

    @Test
    void aBurstOfShortTurnsOnAnIdleSchedulerRunsOnOneWorker() throws Exception {
        // The watchdog is slowed down to an hour: what is seen is the workers alone.
        TurnScheduler scheduler = new TurnScheduler("test", 4, TimeUnit.HOURS.toNanos(1));
        try {
            await().atMost(Duration.ofSeconds(5)).until(() -> scheduler.running() == 0);
            Set<Thread> ranOn = ConcurrentHashMap.newKeySet();
            AtomicInteger ran = new AtomicInteger();
            // The first turn waits until the whole burst is queued behind it, so the worker never runs dry in
            // between (and parks, to be woken again) however slowly this thread offers.
            CountDownLatch queued = new CountDownLatch(1);
            scheduler.execute(() -> {
                ranOn.add(Thread.currentThread());
                try {
                    queued.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
            for (int i = 0; i < 1_000; i++) {
                scheduler.execute(() -> {
                    ranOn.add(Thread.currentThread());
                    ran.incrementAndGet();
                });
            }
            queued.countDown();
            await().atMost(Duration.ofSeconds(10)).until(() -> ran.get() == 1_000);
            assertThat(ranOn)
                    .as("one wake-up for the burst, not one per idle worker")
                    .hasSize(1);
            await().atMost(Duration.ofSeconds(5)).until(() -> scheduler.running() == 0);
        } finally {
            scheduler.shutdown();
        }
    }

    @Test
    void aBacklogThatOutlastsTheWatchdogsLooksBringsTheOtherWorkers() {
        TurnScheduler scheduler = new TurnScheduler("test", 2);
        try {
            await().atMost(Duration.ofSeconds(5)).until(() -> scheduler.running() == 0);
            Set<Thread> ranOn = ConcurrentHashMap.newKeySet();
            AtomicInteger ran = new AtomicInteger();
            // 400 turns of 0.5 ms of computing each: a backlog for one worker of 200 ms, forty looks.
            int turns = 400;
            for (int i = 0; i < turns; i++) {
                scheduler.execute(() -> {
                    ranOn.add(Thread.currentThread());
                    long until = System.nanoTime() + 500_000;
                    while (System.nanoTime() < until) {
                        Thread.onSpinWait();
                    }
                    ran.incrementAndGet();
                });
            }
            await().atMost(Duration.ofSeconds(20)).until(() -> ran.get() == turns);
            assertThat(ranOn).as("the second worker joined the saturated first").hasSize(2);
        } finally {
            scheduler.shutdown();
        }
    }

    @Test
    void aFailingTaskDoesNotStopItsWorker() {
        TurnScheduler scheduler = new TurnScheduler("test", 1);
        try {
            CountDownLatch after = new CountDownLatch(1);
            scheduler.execute(() -> {
                throw new IllegalStateException("expected in this test");
            });
            scheduler.execute(after::countDown);
            await().atMost(Duration.ofSeconds(5)).until(() -> after.getCount() == 0);
        } finally {
            scheduler.shutdownNow();
        }
    }
}
