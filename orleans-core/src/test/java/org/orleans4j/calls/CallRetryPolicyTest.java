package org.orleans4j.calls;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.orleans4j.calls.internal.CallAttempts;
import org.orleans4j.calls.internal.CallRetryPolicy;
import org.orleans4j.grain.CallNotDeliveredException;
import org.orleans4j.grain.CallOutcomeUnknownException;
import org.orleans4j.grain.GrainWithStringKey;
import org.orleans4j.grain.Idempotent;
import org.orleans4j.grain.ReadOnly;
import org.orleans4j.grain.ResponseTimeoutException;
import org.orleans4j.grain.SiloUnavailableException;
import org.orleans4j.metadata.GrainInterfaceMetadata;
import org.orleans4j.metadata.MethodInfo;

/** Which failed attempts are sent again, how long apart, and what the caller gets when they are not. */
class CallRetryPolicyTest {

    interface Account extends GrainWithStringKey {
        CompletableFuture<Long> deposit(long amount);

        @Idempotent
        CompletableFuture<Long> setBalance(long amount);

        @ReadOnly
        CompletableFuture<Long> balance();
    }

    private static final long PLENTY = TimeUnit.SECONDS.toNanos(30);
    private final CallRetryPolicy policy = new CallRetryPolicy(CallRetryOptions.DEFAULT);

    private static MethodInfo method(String name) {
        for (java.lang.reflect.Method m : Account.class.getMethods()) {
            if (m.getName().equals(name)) {
                return new GrainInterfaceMetadata(Account.class).method(m);
            }
        }
        throw new IllegalArgumentException(name);
    }

    private static final SiloUnavailableException CLOSED = new SiloUnavailableException("connection closed");
    private static final CallNotDeliveredException REFUSED = new CallNotDeliveredException("connection refused");

    @Test
    void aCallThatDidNotRunIsRetriedWithDoublingBackoffUpToTheCap() {
        CallAttempts attempts = new CallAttempts();
        long[] waits = new long[7];
        for (int i = 0; i < waits.length; i++) {
            CallRetryPolicy.Next next = policy.next(attempts, method("deposit"), REFUSED, PLENTY, "call", "silo s");
            assertThat(next.retries()).isTrue();
            waits[i] = next.retryAfterMillis();
        }
        assertThat(waits).containsExactly(50, 100, 200, 400, 800, 1000, 1000);
        assertThat(attempts.mayHaveRun()).isFalse();
    }

    @Test
    void aNonIdempotentCallThatMayHaveRunIsNotRetried() {
        CallRetryPolicy.Next next = policy.next(
                new CallAttempts(), method("deposit"), CLOSED, PLENTY, "Account.deposit", "silo 127.0.0.1:1@2");
        assertThat(next.retries()).isFalse();
        assertThat(next.failure())
                .isInstanceOf(CallOutcomeUnknownException.class)
                .hasCause(CLOSED)
                .hasMessageContaining("Account.deposit may or may not have run on silo 127.0.0.1:1@2")
                .hasMessageContaining("@Idempotent");
    }

    @Test
    void idempotentAndReadOnlyCallsThatMayHaveRunAreRetried() {
        assertThat(policy.next(new CallAttempts(), method("setBalance"), CLOSED, PLENTY, "c", "s")
                        .retries())
                .isTrue();
        assertThat(policy.next(new CallAttempts(), method("balance"), CLOSED, PLENTY, "c", "s")
                        .retries())
                .isTrue();
    }

    @Test
    void retriesStopWhenTheNextWaitWouldEndAfterTheDeadline() {
        CallAttempts attempts = new CallAttempts();
        assertThat(policy.next(attempts, method("deposit"), REFUSED, PLENTY, "c", "s")
                        .retries())
                .isTrue();
        CallRetryPolicy.Next last = policy.next(
                attempts, method("deposit"), REFUSED, TimeUnit.MILLISECONDS.toNanos(99), "Account.deposit", "silo s");
        assertThat(last.retries())
                .as("the second wait (100 ms) ends after the deadline")
                .isFalse();
        assertThat(last.failure())
                .isInstanceOf(CallNotDeliveredException.class)
                .hasCause(REFUSED)
                .hasMessageContaining("did not run: 2 attempts failed");
    }

    @Test
    void anIdempotentCallThatMayHaveRunOnceEndsAsOutcomeUnknownWhenTimeRunsOut() {
        CallAttempts attempts = new CallAttempts();
        assertThat(policy.next(attempts, method("setBalance"), CLOSED, PLENTY, "c", "s")
                        .retries())
                .isTrue();
        CallRetryPolicy.Next last = policy.next(attempts, method("setBalance"), REFUSED, 0, "c", "s");
        assertThat(last.failure())
                .isInstanceOf(CallOutcomeUnknownException.class)
                .hasMessageContaining("until its response timeout ran out");
    }

    @Test
    void otherFailuresGoToTheCallerUnchanged() {
        ResponseTimeoutException timeout = new ResponseTimeoutException("no response");
        IllegalStateException own = new IllegalStateException("the grain's own");
        assertThat(policy.next(new CallAttempts(), method("balance"), timeout, PLENTY, "c", "s")
                        .failure())
                .isSameAs(timeout);
        assertThat(policy.next(new CallAttempts(), method("balance"), own, PLENTY, "c", "s")
                        .failure())
                .isSameAs(own);
    }

    @Test
    void withRetriesOffNothingIsRetried() {
        CallRetryPolicy off = new CallRetryPolicy(CallRetryOptions.DISABLED);
        assertThat(off.next(new CallAttempts(), method("deposit"), REFUSED, PLENTY, "c", "s")
                        .failure())
                .isSameAs(REFUSED);
        assertThat(off.next(new CallAttempts(), method("balance"), CLOSED, PLENTY, "c", "s")
                        .failure())
                .isInstanceOf(CallOutcomeUnknownException.class)
                .hasMessageContaining("orleans.messaging.retry.enabled");
    }

    @Test
    void optionsRefuseAMaxBackoffBelowTheInitialOne() {
        org.assertj.core.api.Assertions.assertThatThrownBy(
                        () -> new CallRetryOptions(true, Duration.ofSeconds(2), Duration.ofSeconds(1)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("maxBackoff");
    }
}
