package org.orleans4j.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.orleans4j.grain.GrainTimerOptions;
import org.orleans4j.runtime.TimerGrains.Probe;
import org.orleans4j.runtime.TimerGrains.Timed;

class GrainTimerTest {

    private static final Duration AGE = Duration.ofMillis(300);

    private Silo silo;

    @BeforeEach
    void start() {
        TimerGrains.PROBES.clear();
        silo = StandaloneSilos.start(
                b -> b.collectionOptions(StandaloneSilos.collection(AGE, Duration.ofMillis(100), Duration.ofSeconds(5)))
                        .addGrainClass(TimerGrains.TimedGrain.class));
    }

    @AfterEach
    void stop() {
        silo.stop(Duration.ofSeconds(5));
    }

    private Timed grain(String key) {
        return silo.grainFactory().getGrain(Timed.class, key);
    }

    @Test
    void ticksNeverRunWhileARequestRuns() {
        Timed grain = grain("exclusive");
        Probe probe = TimerGrains.probe("exclusive");
        grain.start(GrainTimerOptions.every(Duration.ZERO, Duration.ofMillis(1)), 0)
                .join();

        // Four callers, 50 calls each: a few requests queue at a time, so ticks get turns between them.
        List<CompletableFuture<Void>> lanes = new ArrayList<>();
        for (int lane = 0; lane < 4; lane++) {
            CompletableFuture<Void> calls = CompletableFuture.completedFuture(null);
            for (int i = 0; i < 50; i++) {
                calls = calls.thenCompose(ignored -> grain.work(2));
            }
            lanes.add(calls);
        }
        lanes.forEach(CompletableFuture::join);
        int ticksDuringCalls = probe.ticks.get();

        assertThat(probe.requestsDone.get()).isEqualTo(200);
        assertThat(ticksDuringCalls).as("ticks between the calls").isPositive();
        assertThat(probe.overlaps.get())
                .as("ticks that ran while a request was between its start and its completion")
                .isZero();
    }

    @Test
    void interleavingTicksRunWhileARequestRuns() {
        Timed grain = grain("interleaving");
        Probe probe = TimerGrains.probe("interleaving");
        grain.start(GrainTimerOptions.every(Duration.ZERO, Duration.ofMillis(1)).interleaving(), 0)
                .join();

        // One long request: an interleaving timer keeps ticking inside it.
        grain.work(500).join();

        assertThat(probe.overlaps.get())
                .as("the overlap counter detects ticks inside a request")
                .isPositive();
    }

    @Test
    void firstTickAfterTheDueTimeAndThenOnePeriodAfterEachTick() {
        Timed grain = grain("period");
        Probe probe = TimerGrains.probe("period");
        long registered = System.nanoTime();
        // Kept alive: the test's collection age is shorter than the eight ticks.
        grain.start(
                        GrainTimerOptions.every(Duration.ofMillis(150), Duration.ofMillis(100))
                                .keepingAlive(),
                        0)
                .join();

        await().atMost(Duration.ofSeconds(10)).until(() -> probe.ticks.get() >= 8);
        grain.stopTimer().join();

        assertThat(Duration.ofNanos(probe.tickNanos.peek() - registered))
                .isGreaterThanOrEqualTo(Duration.ofMillis(150));
        List<Long> intervals = probe.intervalsMillis();
        // Never early (the period runs from the end of a tick); late only by scheduling noise.
        assertThat(intervals).allSatisfy(ms -> assertThat(ms).isGreaterThanOrEqualTo(99L));
        List<Long> sorted = intervals.stream().sorted().toList();
        assertThat(sorted.get(sorted.size() / 2)).as("median interval, ms").isLessThan(200L);
    }

    @Test
    void aOneShotTimerTicksOnceAndEnds() {
        Timed grain = grain("once");
        Probe probe = TimerGrains.probe("once");
        grain.start(GrainTimerOptions.once(Duration.ofMillis(20)), 0).join();

        await().atMost(Duration.ofSeconds(5)).until(() -> probe.ticks.get() == 1);
        await().atMost(Duration.ofSeconds(5)).until(() -> !probe.timer.isActive());
        await().during(Duration.ofMillis(300)).atMost(Duration.ofSeconds(2)).until(() -> probe.ticks.get() == 1);
    }

    @Test
    void aFailingTickIsLoggedAndTheTimerGoesOn() {
        Timed grain = grain("failing");
        Probe probe = TimerGrains.probe("failing");
        grain.start(GrainTimerOptions.every(Duration.ZERO, Duration.ofMillis(5)), 1)
                .join();

        await().atMost(Duration.ofSeconds(5)).until(() -> probe.ticks.get() >= 5);
        assertThat(probe.timer.isActive()).isTrue();
        grain.work(1).join();
    }

    @Test
    void changeReschedulesAndCloseStopsTicks() {
        Timed grain = grain("change");
        Probe probe = TimerGrains.probe("change");
        grain.start(GrainTimerOptions.every(Duration.ofHours(1), Duration.ofHours(1)), 0)
                .join();

        grain.change(Duration.ZERO, Duration.ofMillis(10)).join();
        await().atMost(Duration.ofSeconds(5)).until(() -> probe.ticks.get() >= 3);

        grain.stopTimer().join();
        int afterClose = probe.ticks.get();
        assertThat(probe.timer.isActive()).isFalse();
        await().during(Duration.ofMillis(200))
                .atMost(Duration.ofSeconds(2))
                .until(() -> probe.ticks.get() == afterClose);
        assertThatThrownBy(() -> probe.timer.change(Duration.ZERO, Duration.ZERO))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("closed");
    }

    @Test
    void timersCloseWhenTheActivationDeactivates() {
        Timed grain = grain("deactivated");
        Probe probe = TimerGrains.probe("deactivated");
        grain.start(
                        GrainTimerOptions.every(Duration.ZERO, Duration.ofMillis(10))
                                .keepingAlive(),
                        0)
                .join();
        await().atMost(Duration.ofSeconds(5)).until(() -> probe.ticks.get() >= 2);

        grain.deactivate().join();
        await().atMost(Duration.ofSeconds(5)).until(() -> probe.events.contains("deactivate:APPLICATION_REQUESTED"));
        await().atMost(Duration.ofSeconds(5)).until(() -> silo.catalog().activationCount() == 0);

        int afterDeactivation = probe.ticks.get();
        assertThat(probe.timer.isActive()).isFalse();
        await().during(Duration.ofMillis(200))
                .atMost(Duration.ofSeconds(2))
                .until(() -> probe.ticks.get() == afterDeactivation);
    }

    @Test
    void aTickingTimerDoesNotKeepAnIdleGrainAlive() {
        Timed grain = grain("idle");
        Probe probe = TimerGrains.probe("idle");
        grain.start(GrainTimerOptions.every(Duration.ZERO, Duration.ofMillis(10)), 0)
                .join();

        await().atMost(Duration.ofSeconds(5)).until(() -> probe.events.contains("deactivate:IDLE"));
        assertThat(probe.ticks.get())
                .as("the timer ticked while the grain idled")
                .isGreaterThan(5);
        assertThat(probe.timer.isActive()).isFalse();
    }

    @Test
    void aKeepAliveTimerKeepsTheGrainFromBeingCollected() {
        Timed grain = grain("kept");
        Probe probe = TimerGrains.probe("kept");
        grain.start(
                        GrainTimerOptions.every(Duration.ZERO, Duration.ofMillis(10))
                                .keepingAlive(),
                        0)
                .join();

        // Five collection ages without a call: the ticks keep it alive.
        await().during(AGE.multipliedBy(5))
                .atMost(AGE.multipliedBy(8))
                .until(() -> probe.events.isEmpty() && silo.catalog().activationCount() == 1);
        assertThat(probe.ticks.get()).isGreaterThan(20);

        grain.stopTimer().join();
        await().atMost(Duration.ofSeconds(5)).until(() -> probe.events.contains("deactivate:IDLE"));
    }

    @Test
    void timersAreRegisteredOnTheActivationsTurnOnly() {
        assertThat(grain("thread").registerFromAnotherThread().join())
                .contains("on its own turn")
                .contains("not from another thread");
    }

    @Test
    void optionsRejectNegativeDurations() {
        assertThatThrownBy(() -> GrainTimerOptions.every(Duration.ofMillis(-1), Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("dueTime");
        assertThatThrownBy(() -> GrainTimerOptions.every(Duration.ZERO, Duration.ofMillis(-1)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("period");
    }
}
