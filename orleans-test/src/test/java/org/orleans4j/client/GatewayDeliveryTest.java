package org.orleans4j.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.orleans4j.cluster.DeliveryGrains;
import org.orleans4j.cluster.DeliveryGrains.AccountGrain;
import org.orleans4j.cluster.DeliveryGrains.AccountGrainImpl;
import org.orleans4j.grain.CallNotDeliveredException;
import org.orleans4j.grain.CallOutcomeUnknownException;
import org.orleans4j.grain.GrainId;
import org.orleans4j.grain.RequestContext;
import org.orleans4j.messaging.MessagingOptions;
import org.orleans4j.messaging.Rejection;
import org.orleans4j.placement.PlacementHint;
import org.orleans4j.runtime.Silo;
import org.orleans4j.testing.TestCluster;

/**
 * At-most-once delivery for a cluster client: the gateway relays a call and tells the client whether the
 * call provably did not run (retried) or may have run (not repeated unless idempotent); the client's own
 * connection to a gateway closing mid-call is a "may have run" too. Two silos with gateways.
 */
class GatewayDeliveryTest {

    private TestCluster cluster;
    private final List<ClusterClient> clients = new ArrayList<>();

    private void start(MessagingOptions gatewaySilo, MessagingOptions hostSilo) {
        AtomicInteger built = new AtomicInteger();
        cluster = TestCluster.builder()
                .silos(2)
                .gateways()
                .configure(b -> b.addGrainClass(AccountGrainImpl.class)
                        .messagingOptions(built.getAndIncrement() == 0 ? gatewaySilo : hostSilo))
                .start();
    }

    @AfterEach
    void stop() {
        AccountGrainImpl.reset();
        clients.forEach(ClusterClient::close);
        if (cluster != null) {
            cluster.close();
        }
    }

    /** A client connected to the given gateways only. */
    private ClusterClient client(MessagingOptions options, Silo... gateways) {
        List<String> endpoints = new ArrayList<>();
        for (Silo gateway : gateways) {
            endpoints.add(TestCluster.gatewayEndpoint(gateway));
        }
        ClusterClient client = ClusterClient.builder()
                .clusterOptions(cluster.silo(0).clusterOptions())
                .staticGateways(endpoints)
                .messagingOptions(options)
                .addGrainInterfaces(AccountGrain.class)
                .build();
        clients.add(client);
        client.connect();
        await().atMost(Duration.ofSeconds(10))
                .until(() -> client.connectedGateways().size() == gateways.length);
        return client;
    }

    /** Activates account {@code key} on {@code host} through {@code client}. */
    private AccountGrain accountOn(Silo host, ClusterClient client, String key) {
        RequestContext.set(PlacementHint.REQUEST_CONTEXT_KEY, host.address());
        try {
            assertThat(client.grainFactory().getGrain(AccountGrain.class, key).balance())
                    .succeedsWithin(Duration.ofSeconds(10));
        } finally {
            RequestContext.remove(PlacementHint.REQUEST_CONTEXT_KEY);
        }
        assertThat(cluster.silosHosting(accountId(key))).containsExactly(host);
        return client.grainFactory().getGrain(AccountGrain.class, key);
    }

    private GrainId accountId(String key) {
        return GrainId.ofString(
                cluster.silo(0)
                        .grainTypes()
                        .implementationOf(AccountGrain.class)
                        .typeName(),
                key);
    }

    private static CompletableFuture<Long> heldDeposit(AccountGrain account, String key) {
        AccountGrainImpl.HOLDS.put(key, new CompletableFuture<>());
        CompletableFuture<Long> deposit = account.deposit(10);
        await().atMost(Duration.ofSeconds(10)).until(() -> AccountGrainImpl.runs(key, "deposit") == 1);
        return deposit;
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
    void aRelayedNonIdempotentCallWhoseSiloDiesFailsAsOutcomeUnknownAtTheClient() {
        start(MessagingOptions.DEFAULT, MessagingOptions.DEFAULT);
        Silo gateway = cluster.silo(0);
        Silo host = cluster.silo(1);
        ClusterClient client = client(MessagingOptions.DEFAULT, gateway);
        AccountGrain alice = accountOn(host, client, "alice");
        CompletableFuture<Long> deposit = heldDeposit(alice, "alice");

        host.kill();

        // The gateway's call to the host was cut off after it was sent; the gateway says so, and the client,
        // whose deposit is not idempotent, does not send it again.
        Throwable failure = failureOf(deposit, Duration.ofSeconds(10));
        assertThat(failure)
                .isInstanceOf(CallOutcomeUnknownException.class)
                .hasMessageContaining("may or may not have run on gateway " + TestCluster.gatewayEndpoint(gateway))
                .hasMessageContaining(host.address().toString());
        assertThat(alice.balance()).succeedsWithin(Duration.ofSeconds(20)).isEqualTo(0L);
        assertThat(AccountGrainImpl.runs("alice", "deposit"))
                .as("runs of the deposit")
                .isEqualTo(1);
    }

    @Test
    void aRelayedIdempotentCallWhoseSiloDiesIsRetriedThroughTheGateway() {
        start(MessagingOptions.DEFAULT, MessagingOptions.DEFAULT);
        Silo gateway = cluster.silo(0);
        Silo host = cluster.silo(1);
        ClusterClient client = client(MessagingOptions.DEFAULT, gateway);
        AccountGrain bob = accountOn(host, client, "bob");
        AccountGrainImpl.HOLDS.put("bob", new CompletableFuture<>());
        CompletableFuture<Long> set = bob.setBalance(42);
        await().atMost(Duration.ofSeconds(10)).until(() -> AccountGrainImpl.runs("bob", "setBalance") == 1);

        host.kill();

        assertThat(set).succeedsWithin(Duration.ofSeconds(20)).isEqualTo(42L);
        assertThat(AccountGrainImpl.runs("bob", "setBalance")).isEqualTo(2);
        assertThat(cluster.silosHosting(accountId("bob"))).containsExactly(gateway);
    }

    @Test
    void aCallWhoseGatewayDiesWhileItRunsThereFailsAsOutcomeUnknown() {
        start(MessagingOptions.DEFAULT, MessagingOptions.DEFAULT);
        Silo survivor = cluster.silo(0);
        Silo host = cluster.silo(1);
        ClusterClient client = client(MessagingOptions.DEFAULT, host, survivor);
        // An account whose calls the client sends through the host's own gateway.
        String key = null;
        for (int i = 0; key == null; i++) {
            String candidate = "carol-" + i;
            Map<String, Long> before = client.callsPerGateway();
            accountOn(host, client, candidate);
            Map<String, Long> after = client.callsPerGateway();
            String hostGateway = TestCluster.gatewayEndpoint(host);
            if (after.get(hostGateway) > before.getOrDefault(hostGateway, 0L)) {
                key = candidate;
            }
            assertThat(i)
                    .as("keys tried to find one routed through the host's gateway")
                    .isLessThan(64);
        }
        AccountGrain carol = client.grainFactory().getGrain(AccountGrain.class, key);
        CompletableFuture<Long> deposit = heldDeposit(carol, key);
        String hostGateway = TestCluster.gatewayEndpoint(host);

        host.kill();

        Throwable failure = failureOf(deposit, Duration.ofSeconds(10));
        assertThat(failure)
                .isInstanceOf(CallOutcomeUnknownException.class)
                .hasMessageContaining("may or may not have run on gateway " + hostGateway)
                .hasMessageContaining("closed while the call was waiting for its response");
        assertThat(carol.balance()).succeedsWithin(Duration.ofSeconds(20)).isEqualTo(0L);
        assertThat(AccountGrainImpl.runs(key, "deposit"))
                .as("runs of the deposit")
                .isEqualTo(1);
    }

    @Test
    void aCallRefusedUnrunBehindTheGatewayIsRetriedByTheClientUntilItRunsOnce() {
        // Only the host limits its connections to one request in flight: the gateway's connection to it.
        start(MessagingOptions.DEFAULT, DeliveryGrains.oneRequestInFlight(Duration.ofSeconds(30)));
        Silo gateway = cluster.silo(0);
        Silo host = cluster.silo(1);
        ClusterClient client = client(MessagingOptions.DEFAULT, gateway);
        AccountGrain dave = accountOn(host, client, "dave");
        AccountGrain erin = accountOn(host, client, "erin");
        CompletableFuture<Long> held = heldDeposit(dave, "dave");
        long refusedBefore = host.messagingStatistics().rejected(Rejection.OVERLOADED);

        CompletableFuture<Long> deposit = erin.deposit(5);
        await().atMost(Duration.ofSeconds(10))
                .until(() -> host.messagingStatistics().rejected(Rejection.OVERLOADED) >= refusedBefore + 3);
        assertThat(deposit).isNotDone();
        assertThat(AccountGrainImpl.runs("erin", "deposit")).isZero();

        AccountGrainImpl.HOLDS.get("dave").complete(null);

        assertThat(held).succeedsWithin(Duration.ofSeconds(10)).isEqualTo(10L);
        assertThat(deposit).succeedsWithin(Duration.ofSeconds(10)).isEqualTo(5L);
        assertThat(AccountGrainImpl.runs("erin", "deposit"))
                .as("runs of the refused deposit")
                .isEqualTo(1);
    }

    @Test
    void withNoGatewayConnectedACallIsRetriedUntilItsResponseTimeoutAndNeverRuns() {
        start(MessagingOptions.DEFAULT, MessagingOptions.DEFAULT);
        Silo gateway = cluster.silo(0);
        Duration responseTimeout = Duration.ofSeconds(3);
        ClusterClient client = client(new MessagingOptions(responseTimeout), gateway);
        AccountGrain frank = client.grainFactory().getGrain(AccountGrain.class, "frank");
        assertThat(frank.balance()).succeedsWithin(Duration.ofSeconds(10));

        gateway.kill();
        await().atMost(Duration.ofSeconds(10))
                .until(() -> client.connectedGateways().isEmpty());

        long start = System.nanoTime();
        Throwable failure = failureOf(frank.deposit(5), responseTimeout.plusSeconds(5));
        long elapsedMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        assertThat(elapsedMillis).isBetween(responseTimeout.toMillis() - 1_000, responseTimeout.toMillis() + 1_000);
        assertThat(failure)
                .isInstanceOf(CallNotDeliveredException.class)
                .hasMessageContaining("did not run")
                .hasMessageContaining("No gateway is connected");
        assertThat(AccountGrainImpl.runs("frank", "deposit")).isZero();
    }
}
