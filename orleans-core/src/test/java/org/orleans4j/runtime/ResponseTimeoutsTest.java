package org.orleans4j.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.RejectedExecutionException;
import org.junit.jupiter.api.Test;
import org.orleans4j.catalog.internal.Request;
import org.orleans4j.grain.GrainId;
import org.orleans4j.grain.ResponseTimeoutException;

class ResponseTimeoutsTest {

    /** The looks handed to the compactor, run when the test says. */
    private final List<Runnable> looks = new ArrayList<>();

    private final ResponseTimeouts timeouts = new ResponseTimeouts(Duration.ofSeconds(30), looks::add);

    @Test
    void answeredCallsAreDroppedOnceAFewThousandAreTrackedNotAtTheNextSweep() {
        for (int i = 0; i < ResponseTimeouts.LOOK_AFTER - 1; i++) {
            timeouts.track(answered());
        }
        assertThat(looks).isEmpty();

        timeouts.track(answered());
        assertThat(looks).hasSize(1);
        // One look queued at a time, however many calls come meanwhile.
        timeouts.track(answered());
        assertThat(looks).hasSize(1);

        looks.removeFirst().run();
        assertThat(timeouts.tracked()).isZero();
    }

    @Test
    void unansweredCallsAreKeptAndPostponeTheNextLookSoThatLooksStayCheap() {
        List<Request> waiting = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            Request call = unanswered(System.nanoTime() + Duration.ofSeconds(30).toNanos());
            waiting.add(call);
            timeouts.track(call);
        }
        for (int i = 0; i < ResponseTimeouts.LOOK_AFTER - 100; i++) {
            timeouts.track(answered());
        }
        looks.removeFirst().run();
        assertThat(timeouts.tracked()).isEqualTo(100);

        // The next look comes once the stripe holds twice the kept calls plus LOOK_AFTER.
        int untilNextLook = 2 * 100 + ResponseTimeouts.LOOK_AFTER - 100;
        for (int i = 0; i < untilNextLook - 1; i++) {
            timeouts.track(answered());
        }
        assertThat(looks).isEmpty();
        timeouts.track(answered());
        assertThat(looks).hasSize(1);

        waiting.forEach(call -> call.respond("late but fine", null));
        looks.removeFirst().run();
        assertThat(timeouts.tracked()).isZero();
    }

    @Test
    void aSweepFailsTheCallsPastTheirDeadlineAndKeepsTheOthers() {
        CompletableFuture<Object> overdue = new CompletableFuture<>();
        CompletableFuture<Object> due = new CompletableFuture<>();
        timeouts.track(request(overdue, System.nanoTime() - 1));
        timeouts.track(request(due, System.nanoTime() + Duration.ofSeconds(30).toNanos()));
        timeouts.track(answered());

        timeouts.sweep();

        assertThat(overdue)
                .failsWithin(Duration.ZERO)
                .withThrowableOfType(ExecutionException.class)
                .withCauseInstanceOf(ResponseTimeoutException.class)
                .withMessageContaining("No response to")
                .withMessageContaining("within PT30S");
        assertThat(due).isNotDone();
        assertThat(timeouts.tracked()).isEqualTo(1);
    }

    @Test
    void aStoppedCompactorLeavesTheCallsToTheLastSweep() {
        ResponseTimeouts stopped = new ResponseTimeouts(Duration.ofSeconds(30), task -> {
            throw new RejectedExecutionException("stopped");
        });
        for (int i = 0; i < ResponseTimeouts.LOOK_AFTER + 10; i++) {
            stopped.track(answered());
        }
        assertThat(stopped.tracked()).isEqualTo(ResponseTimeouts.LOOK_AFTER + 10);

        stopped.sweep();
        assertThat(stopped.tracked()).isZero();
    }

    private static Request answered() {
        CompletableFuture<Object> future = new CompletableFuture<>();
        Request request =
                request(future, System.nanoTime() + Duration.ofSeconds(30).toNanos());
        request.respond("answer", null);
        return request;
    }

    private static Request unanswered(long deadline) {
        return request(new CompletableFuture<>(), deadline);
    }

    private static Request request(CompletableFuture<Object> future, long deadline) {
        Request request = new Request(GrainId.ofLong("test", 1), null, null, null, null, null, null, future);
        request.expireAt(deadline);
        return request;
    }
}
