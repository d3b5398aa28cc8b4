package org.orleans4j.calls.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;

class CallFutureTest {

    @Test
    void joinAndGetReturnTheAnswerOrTheFailureLikeAnyFuture() throws Exception {
        CallFuture<String> answered = new CallFuture<>();
        answered.complete("pong");
        assertThat(answered.join()).isEqualTo("pong");
        assertThat(answered.get()).isEqualTo("pong");
        assertThat(answered.get(1, TimeUnit.SECONDS)).isEqualTo("pong");

        CallFuture<String> failed = new CallFuture<>();
        failed.completeExceptionally(new IllegalStateException("grain failed"));
        assertThatThrownBy(failed::join)
                .isInstanceOf(CompletionException.class)
                .hasCauseInstanceOf(IllegalStateException.class);
        assertThatThrownBy(failed::get).isInstanceOf(ExecutionException.class);
    }

    @Test
    void getWithATimeoutStillTimesOut() {
        CallFuture<String> never = new CallFuture<>();
        assertThatThrownBy(() -> never.get(5, TimeUnit.MILLISECONDS)).isInstanceOf(TimeoutException.class);
    }

    @Test
    void dependentStagesArePlainFutures() {
        CallFuture<String> call = new CallFuture<>();
        CompletableFuture<Integer> length = call.thenApply(String::length);
        assertThat(length.getClass()).isEqualTo(CompletableFuture.class);
        call.complete("four");
        assertThat(length.join()).isEqualTo(4);
    }

    @Test
    void aWaitLongerThanTheSpinHalvesTheNextSpinOfThatThread() throws Exception {
        CallFuture<String> slow = new CallFuture<>();
        long[] spinAfter = new long[2];
        Thread caller = new Thread(() -> {
            spinAfter[0] = CallFuture.spinNanosOfThisThread();
            slow.join();
            spinAfter[1] = CallFuture.spinNanosOfThisThread();
        });
        caller.start();
        // Answered only once the caller has parked: its spin found nothing.
        await().atMost(Duration.ofSeconds(5)).until(() -> caller.getState() == Thread.State.WAITING);
        slow.complete("late");
        caller.join(5_000);

        assertThat(caller.isAlive()).isFalse();
        assertThat(spinAfter[1]).isEqualTo(spinAfter[0] / 2);
    }

    @Test
    void aVirtualThreadParksAtOnceAndKeepsNoSpin() throws Exception {
        CallFuture<String> slow = new CallFuture<>();
        long[] spinAfter = new long[2];
        Thread caller = Thread.ofVirtual().start(() -> {
            spinAfter[0] = CallFuture.spinNanosOfThisThread();
            slow.join();
            spinAfter[1] = CallFuture.spinNanosOfThisThread();
        });
        await().atMost(Duration.ofSeconds(5)).until(() -> caller.getState() == Thread.State.WAITING);
        slow.complete("late");
        caller.join(Duration.ofSeconds(5));

        assertThat(caller.isAlive()).isFalse();
        assertThat(spinAfter[1]).as("untouched: it never spun").isEqualTo(spinAfter[0]);
    }
}
