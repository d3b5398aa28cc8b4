package org.orleans4j.messaging.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.netty.channel.EventLoop;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Real NIO event loops with the default linger: tasks handed over while a loop lingers, while it decides to
 * block and while it sleeps all run without waiting for the selector's timeout; the linger shortens under
 * sparse work and grows back under dense work; an idle loop sleeps.
 */
class LingeringEventLoopsTest {

    private static final Duration LINGER = Duration.ofNanos(100_000);

    private MultiThreadIoEventLoopGroup group;

    @AfterEach
    void stop() {
        if (group != null) {
            group.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
        }
    }

    private EventLoop start(LingeringEventLoops loops) {
        group = new MultiThreadIoEventLoopGroup(1, loops.handlerFactory());
        return (EventLoop) group.next();
    }

    @Test
    void theLoopsReachNettysWakeUpFlagAndLingerTheLongestAtFirst() {
        LingeringEventLoops loops = new LingeringEventLoops(LINGER);
        EventLoop loop = start(loops);

        assertThat(loops.handOff(loop)).isNotSameAs(loop);
        assertThat(loops.lingerNanos(loop)).isEqualTo(LINGER.toNanos());
    }

    @Test
    void aZeroLingerLeavesTheLoopsAsNettyMakesThem() {
        LingeringEventLoops loops = new LingeringEventLoops(Duration.ZERO);
        EventLoop loop = start(loops);

        assertThat(loops.handOff(loop)).isSameAs(loop);
        assertThat(loops.lingerNanos(loop)).isZero();
    }

    /**
     * Gaps from none to several lingers: the hand-over meets the loop lingering, deciding to block and
     * asleep. A task whose wake-up was lost would wait for the selector's timeout (a second, with nothing
     * scheduled); none comes near it.
     */
    @Test
    void everyTaskHandedOverRunsPromptlyWhetherTheLoopLingersDecidesOrSleeps() {
        LingeringEventLoops loops = new LingeringEventLoops(LINGER);
        EventLoop loop = start(loops);
        Executor handOff = loops.handOff(loop);
        long[] gapsNanos = {0, 20_000, 60_000, 95_000, 100_000, 105_000, 150_000, 400_000, 3_000_000};
        AtomicLong slowest = new AtomicLong();

        for (int i = 0; i < 1_500; i++) {
            long gap = gapsNanos[i % gapsNanos.length];
            if (gap > 0) {
                LockSupport.parkNanos(gap);
            }
            long handedAt = System.nanoTime();
            CompletableFuture<Void> ran = new CompletableFuture<>();
            handOff.execute(() -> {
                slowest.accumulateAndGet(System.nanoTime() - handedAt, Math::max);
                ran.complete(null);
            });
            assertThat(ran).succeedsWithin(Duration.ofSeconds(5));
        }

        assertThat(Duration.ofNanos(slowest.get())).isLessThan(Duration.ofMillis(800));
    }

    @Test
    void sparseWorkStopsTheLingeringAndDenseWorkBringsItBack() {
        LingeringEventLoops loops = new LingeringEventLoops(LINGER);
        EventLoop loop = start(loops);
        Executor handOff = loops.handOff(loop);

        await().atMost(Duration.ofSeconds(10)).until(() -> {
            runAndWait(handOff);
            LockSupport.parkNanos(2_000_000);
            return loops.lingerNanos(loop) < LingeringEventLoops.MIN_LINGER_NANOS;
        });

        // Awaitility looks every 100 ms: each look hands over a burst of closely spaced tasks.
        await().atMost(Duration.ofSeconds(10)).until(() -> {
            for (int i = 0; i < 50; i++) {
                runAndWait(handOff);
                LockSupport.parkNanos(20_000);
            }
            return loops.lingerNanos(loop) >= LingeringEventLoops.MIN_LINGER_NANOS;
        });
    }

    @Test
    void anIdleLoopSleepsInsteadOfLingering() throws Exception {
        LingeringEventLoops loops = new LingeringEventLoops(LINGER);
        EventLoop loop = start(loops);
        long loopThread = loop.submit(() -> Thread.currentThread().threadId()).get(5, TimeUnit.SECONDS);
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();

        long cpuBefore = threads.getThreadCpuTime(loopThread);
        long wallBefore = System.nanoTime();
        await().pollDelay(Duration.ofMillis(300)).until(() -> true);
        long cpu = threads.getThreadCpuTime(loopThread) - cpuBefore;
        long wall = System.nanoTime() - wallBefore;

        // A loop that lingered on would have used about all of it.
        assertThat(cpu).isLessThan(wall / 10);
    }

    private static void runAndWait(Executor handOff) {
        CompletableFuture<Void> ran = new CompletableFuture<>();
        handOff.execute(() -> ran.complete(null));
        ran.join();
    }
}
