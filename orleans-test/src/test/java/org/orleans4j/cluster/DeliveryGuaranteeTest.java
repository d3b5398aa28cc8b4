package org.orleans4j.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.orleans4j.cluster.DeliveryGrains.AccountGrain;
import org.orleans4j.cluster.DeliveryGrains.AccountGrainImpl;
import org.orleans4j.grain.CallNotDeliveredException;
import org.orleans4j.grain.CallOutcomeUnknownException;
import org.orleans4j.grain.GrainException;
import org.orleans4j.grain.GrainId;
import org.orleans4j.grain.RequestContext;
import org.orleans4j.grain.ResponseTimeoutException;
import org.orleans4j.grain.SiloUnavailableException;
import org.orleans4j.messaging.MessagingOptions;
import org.orleans4j.messaging.Rejection;
import org.orleans4j.placement.PlacementHint;
import org.orleans4j.runtime.Silo;
import org.orleans4j.testing.TestCluster;

/**
 * At-most-once delivery between silos, over real loopback connections: a call that may have run when its
 * silo died is not repeated unless its method is idempotent; a call refused before its turn is repeated
 * until it runs; retries end with the response timeout. Silo 0 calls, silo 1 hosts the account.
 */
class DeliveryGuaranteeTest {

    private TestCluster cluster;

    private void start(MessagingOptions messaging) {
        cluster = TestCluster.builder()
                .silos(2)
                .configure(b -> b.addGrainClass(AccountGrainImpl.class).messagingOptions(messaging))
                .start();
    }

    @AfterEach
    void stop() {
        AccountGrainImpl.reset();
        if (cluster != null) {
            cluster.close();
        }
    }

    /** Activates account {@code key} on {@code host} through {@code caller}, whose directory cache then names the host. */
    private AccountGrain accountOn(Silo host, Silo caller, String key) {
        RequestContext.set(PlacementHint.REQUEST_CONTEXT_KEY, host.address());
        try {
            // With one request in flight per connection (oneRequestInFlight), the new activation's directory
            // registration can meet a system request of the silos' own on the same connection and be refused as
            // overloaded: the activation then fails, and the next call activates the grain again. (Polled on
            // this thread: the placement hint is thread-local.)
            await().atMost(Duration.ofSeconds(30))
                    .pollInSameThread()
                    .untilAsserted(() -> assertThat(caller.grainFactory()
                                    .getGrain(AccountGrain.class, key)
                                    .balance())
                            .succeedsWithin(Duration.ofSeconds(10)));
        } finally {
            RequestContext.remove(PlacementHint.REQUEST_CONTEXT_KEY);
        }
        assertThat(cluster.silosHosting(accountId(key))).containsExactly(host);
        return caller.grainFactory().getGrain(AccountGrain.class, key);
    }

    private GrainId accountId(String key) {
        return GrainId.ofString(
                cluster.silo(0)
                        .grainTypes()
                        .implementationOf(AccountGrain.class)
                        .typeName(),
                key);
    }

    private static void hold(String key) {
        AccountGrainImpl.HOLDS.put(key, new CompletableFuture<>());
    }

    private static Throwable failureOf(CompletableFuture<?> call, Duration within) {
        assertThat(call).failsWithin(within);
        try {
            call.get();
            throw new AssertionError("the call succeeded");
        } catch (ExecutionException e) {
            return e.getCause();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    @Test
    void aNonIdempotentCallWhoseSiloDiesWhileItRunsFailsAsOutcomeUnknownAndIsNotRepeated() {
        start(MessagingOptions.DEFAULT);
        Silo caller = cluster.silo(0);
        Silo host = cluster.silo(1);
        AccountGrain alice = accountOn(host, caller, "alice");
        hold("alice");
        CompletableFuture<Long> deposit = alice.deposit(10);
        await().atMost(Duration.ofSeconds(10)).until(() -> AccountGrainImpl.runs("alice", "deposit") == 1);

        host.kill();

        Throwable failure = failureOf(deposit, Duration.ofSeconds(10));
        assertThat(failure)
                .isInstanceOf(CallOutcomeUnknownException.class)
                .hasMessageContaining("may or may not have run on silo " + host.address())
                .hasMessageContaining("@Idempotent");
        assertThat(failure.getCause())
                .isInstanceOf(SiloUnavailableException.class)
                .isNotInstanceOf(CallNotDeliveredException.class);
        // A read-only call is retried until the account is placed again (on the caller, the only silo left).
        assertThat(alice.balance()).succeedsWithin(Duration.ofSeconds(20)).isEqualTo(0L);
        assertThat(cluster.silosHosting(accountId("alice"))).containsExactly(caller);
        assertThat(AccountGrainImpl.runs("alice", "deposit"))
                .as("runs of the deposit")
                .isEqualTo(1);
    }

    @Test
    void anIdempotentCallWhoseSiloDiesWhileItRunsIsRetriedOnTheNewActivation() {
        start(MessagingOptions.DEFAULT);
        Silo caller = cluster.silo(0);
        Silo host = cluster.silo(1);
        AccountGrain bob = accountOn(host, caller, "bob");
        hold("bob");
        CompletableFuture<Long> set = bob.setBalance(42);
        await().atMost(Duration.ofSeconds(10)).until(() -> AccountGrainImpl.runs("bob", "setBalance") == 1);

        host.kill();

        assertThat(set).succeedsWithin(Duration.ofSeconds(20)).isEqualTo(42L);
        assertThat(AccountGrainImpl.runs("bob", "setBalance"))
                .as("runs: the held one, then the retry")
                .isEqualTo(2);
        assertThat(cluster.silosHosting(accountId("bob"))).containsExactly(caller);
        assertThat(bob.balance()).succeedsWithin(Duration.ofSeconds(5)).isEqualTo(42L);
    }

    @Test
    void aNonIdempotentCallRefusedBeforeItsTurnIsRetriedUntilItRunsOnce() {
        start(DeliveryGrains.oneRequestInFlight(Duration.ofSeconds(30)));
        Silo caller = cluster.silo(0);
        Silo host = cluster.silo(1);
        AccountGrain carol = accountOn(host, caller, "carol");
        AccountGrain dave = accountOn(host, caller, "dave");
        hold("carol");
        CompletableFuture<Long> held = carol.deposit(1);
        await().atMost(Duration.ofSeconds(10)).until(() -> AccountGrainImpl.runs("carol", "deposit") == 1);
        long refusedBefore = host.messagingStatistics().rejected(Rejection.OVERLOADED);

        // The caller's connection to the host has its one request in flight: the host refuses the deposit
        // unrun ("overloaded"), and the caller sends it again and again.
        CompletableFuture<Long> deposit = dave.deposit(5);
        await().atMost(Duration.ofSeconds(10))
                .until(() -> host.messagingStatistics().rejected(Rejection.OVERLOADED) >= refusedBefore + 3);
        assertThat(deposit).isNotDone();
        assertThat(AccountGrainImpl.runs("dave", "deposit")).isZero();

        AccountGrainImpl.HOLDS.get("carol").complete(null);

        assertThat(held).succeedsWithin(Duration.ofSeconds(10)).isEqualTo(1L);
        assertThat(deposit).succeedsWithin(Duration.ofSeconds(10)).isEqualTo(5L);
        assertThat(AccountGrainImpl.runs("dave", "deposit"))
                .as("runs of the refused deposit")
                .isEqualTo(1);
        assertThat(dave.balance()).succeedsWithin(Duration.ofSeconds(5)).isEqualTo(5L);
    }

    @Test
    void aCallThatGoesUnansweredOnAnotherSiloFailsWithItsResponseTimeout() {
        Duration responseTimeout = Duration.ofSeconds(2);
        start(new MessagingOptions(responseTimeout));
        Silo caller = cluster.silo(0);
        Silo host = cluster.silo(1);
        AccountGrain grace = accountOn(host, caller, "grace");
        hold("grace");

        long start = System.nanoTime();
        Throwable failure = failureOf(grace.deposit(1), responseTimeout.plusSeconds(5));
        long elapsedMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);

        // Sent at once over the cached route: the call awaiting its response carries the caller's deadline.
        assertThat(elapsedMillis).isBetween(responseTimeout.toMillis(), responseTimeout.toMillis() + 1_000);
        assertThat(failure)
                .isInstanceOf(ResponseTimeoutException.class)
                .hasMessageContaining("No response to")
                .hasMessageContaining("within PT2S");
        assertThat(AccountGrainImpl.runs("grace", "deposit")).isEqualTo(1);
    }

    @Test
    void retriesOfACallThatIsNeverDeliveredEndWithItsResponseTimeout() {
        Duration responseTimeout = Duration.ofSeconds(3);
        start(DeliveryGrains.oneRequestInFlight(responseTimeout));
        Silo caller = cluster.silo(0);
        Silo host = cluster.silo(1);
        AccountGrain erin = accountOn(host, caller, "erin");
        AccountGrain frank = accountOn(host, caller, "frank");
        hold("erin");
        erin.deposit(1);
        await().atMost(Duration.ofSeconds(10)).until(() -> AccountGrainImpl.runs("erin", "deposit") == 1);

        long start = System.nanoTime();
        CompletableFuture<Long> deposit = frank.deposit(5);
        Throwable failure = failureOf(deposit, responseTimeout.plusSeconds(5));
        long elapsedMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);

        // Backoff 50 ms doubling to 1 s: attempts until the next wait would end after the deadline.
        assertThat(elapsedMillis).isBetween(responseTimeout.toMillis() - 1_000, responseTimeout.toMillis() + 1_000);
        assertThat(failure)
                .isInstanceOf(CallNotDeliveredException.class)
                .hasMessageContaining("did not run")
                .hasMessageContaining("attempts failed");
        assertThat(AccountGrainImpl.runs("frank", "deposit")).isZero();
    }

    @Test
    void aTransportFailureThatEscapesAGrainIsTheGrainsFailureAndIsNotRetried() {
        start(MessagingOptions.DEFAULT);
        AccountGrain grace = accountOn(cluster.silo(1), cluster.silo(0), "grace");

        Throwable failure = failureOf(grace.failInTransit(), Duration.ofSeconds(10));

        // The call ran: its caller must not take the failure of the grain's own call for its own and retry.
        assertThat(failure)
                .isExactlyInstanceOf(GrainException.class)
                .hasMessageContaining("a call it made failed in transit: a call of its own was not delivered");
        assertThat(AccountGrainImpl.runs("grace", "failInTransit")).isEqualTo(1);
    }
}
