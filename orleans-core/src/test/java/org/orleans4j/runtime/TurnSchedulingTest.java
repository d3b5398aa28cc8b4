package org.orleans4j.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.orleans4j.runtime.TurnGrains.Gated;
import org.orleans4j.runtime.TurnGrains.NonReentrantGated;
import org.orleans4j.runtime.TurnGrains.ReentrantGated;

class TurnSchedulingTest {

    private Silo silo;

    @BeforeEach
    void start() {
        TurnGrains.reset();
        silo = StandaloneSilos.start(b ->
                b.addGrainClass(TurnGrains.NonReentrantGrain.class).addGrainClass(TurnGrains.ReentrantGrain.class));
    }

    @AfterEach
    void stop() {
        TurnGrains.GATES.values().forEach(g -> g.complete(null));
        silo.stop(Duration.ofSeconds(5));
    }

    private static void awaitLog(String... entries) {
        await().atMost(Duration.ofSeconds(5)).until(() -> TurnGrains.log().containsAll(List.of(entries)));
    }

    @Test
    void nonReentrantGrainRunsRequestsOneAtATimeInArrivalOrder() {
        Gated grain = silo.grainFactory().getGrain(NonReentrantGated.class, "ordered");
        List<CompletableFuture<Void>> calls = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            calls.add(grain.work("w" + i));
        }
        awaitLog("start:w0");
        for (int i = 0; i < 5; i++) {
            // Only w_i may have started: the next waits for it to end.
            assertThat(TurnGrains.log()).doesNotContain("start:w" + (i + 1));
            TurnGrains.release("w" + i);
            calls.get(i).join();
            if (i < 4) {
                awaitLog("start:w" + (i + 1));
            }
        }
        assertThat(TurnGrains.log())
                .containsExactly(
                        "start:w0",
                        "end:w0",
                        "start:w1",
                        "end:w1",
                        "start:w2",
                        "end:w2",
                        "start:w3",
                        "end:w3",
                        "start:w4",
                        "end:w4");
    }

    @Test
    void reentrantGrainInterleavesWhileARequestAwaits() {
        ReentrantGated grain = silo.grainFactory().getGrain(ReentrantGated.class, "reentrant");
        CompletableFuture<Void> a = grain.work("a");
        CompletableFuture<Void> b = grain.work("b");
        awaitLog("start:a", "start:b");
        TurnGrains.release("b");
        b.join();
        assertThat(a).isNotDone();
        TurnGrains.release("a");
        a.join();
        assertThat(TurnGrains.log()).containsExactly("start:a", "start:b", "end:b", "end:a");
    }

    @Test
    void alwaysInterleaveMethodRunsWhileAnotherRequestIsInProgress() {
        Gated grain = silo.grainFactory().getGrain(NonReentrantGated.class, "interleave");
        CompletableFuture<Void> blocking = grain.work("blocking");
        awaitLog("start:blocking");
        CompletableFuture<Void> queued = grain.work("queued");
        CompletableFuture<Void> interleaved = grain.interleave("interleaved");
        awaitLog("start:interleaved");
        TurnGrains.release("interleaved");
        interleaved.join();
        assertThat(TurnGrains.log()).doesNotContain("start:queued");
        TurnGrains.release("blocking");
        TurnGrains.release("queued");
        CompletableFuture.allOf(blocking, queued).join();
        assertThat(TurnGrains.log().indexOf("start:queued"))
                .isGreaterThan(TurnGrains.log().indexOf("end:blocking"));
    }

    @Test
    void readOnlyRequestsInterleaveWithEachOtherButNotWithWrites() {
        Gated grain = silo.grainFactory().getGrain(NonReentrantGated.class, "readonly");
        CompletableFuture<Void> r1 = grain.read("r1");
        CompletableFuture<Void> r2 = grain.read("r2");
        awaitLog("start:r1", "start:r2");
        CompletableFuture<Void> write = grain.work("write");
        CompletableFuture<Void> r3 = grain.read("r3");
        TurnGrains.release("r1");
        TurnGrains.release("r2");
        TurnGrains.release("r3");
        CompletableFuture.allOf(r1, r2).join();
        awaitLog("start:write");
        // r3 arrived after the write: it waits for it (arrival order), and never overlaps it.
        assertThat(TurnGrains.log()).doesNotContain("start:r3");
        TurnGrains.release("write");
        CompletableFuture.allOf(write, r3).join();
        List<String> log = TurnGrains.log();
        assertThat(log.indexOf("start:write"))
                .isGreaterThan(log.indexOf("end:r2"))
                .isGreaterThan(log.indexOf("end:r1"));
        assertThat(log.indexOf("start:r3")).isGreaterThan(log.indexOf("end:write"));
    }

    @Test
    void oneWayCallReturnsBeforeTheGrainRunsIt() {
        Gated grain = silo.grainFactory().getGrain(NonReentrantGated.class, "oneway");
        CompletableFuture<Void> blocking = grain.work("hold");
        awaitLog("start:hold");
        grain.fire("f1"); // returns at once although the grain is busy
        assertThat(TurnGrains.ONE_WAY_CALLS.get()).isZero();
        TurnGrains.release("hold");
        blocking.join();
        await().atMost(Duration.ofSeconds(5)).until(() -> TurnGrains.ONE_WAY_CALLS.get() == 1);
        assertThat(TurnGrains.log()).containsExactly("start:hold", "end:hold", "fire:f1");
    }

    @Test
    void callsMadeInOrderRunInOrderWhetherTheyStartATurnOrWaitInTheInbox() {
        // The turns run while the calls are made, so some calls find the grain idle and are handed to a new turn,
        // others find a turn scheduled or running and wait in its inbox: the order holds across both.
        Gated grain = silo.grainFactory().getGrain(ReentrantGated.class, "burst");
        List<String> expected = new ArrayList<>();
        for (int i = 0; i < 2_000; i++) {
            grain.fire("b" + i);
            expected.add("fire:b" + i);
            if (i % 100 == 0) {
                // Lets the grain run dry now and then, so that later calls start turns of their own again.
                int made = i + 1;
                await().atMost(Duration.ofSeconds(5)).until(() -> TurnGrains.ONE_WAY_CALLS.get() == made);
            }
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> TurnGrains.ONE_WAY_CALLS.get() == 2_000);
        assertThat(TurnGrains.log()).containsExactlyElementsOf(expected);
    }
}
