package org.orleans4j.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.orleans4j.client.ClientGrains.CounterGrain;
import org.orleans4j.client.ClientGrains.CounterGrainImpl;
import org.orleans4j.client.ClientGrains.EchoGrain;
import org.orleans4j.client.ClientGrains.EchoGrainImpl;
import org.orleans4j.client.ClientGrains.Order;
import org.orleans4j.client.ClientGrains.OrderRejectedException;
import org.orleans4j.client.ClientGrains.SessionGrain;
import org.orleans4j.client.ClientGrains.SessionGrainImpl;
import org.orleans4j.client.ClientGrains.UnknownGrain;
import org.orleans4j.cluster.ClusterOptions;
import org.orleans4j.grain.GrainException;
import org.orleans4j.grain.GrainId;
import org.orleans4j.grain.RequestContext;
import org.orleans4j.messaging.Rejection;
import org.orleans4j.placement.PlacementHint;
import org.orleans4j.runtime.Silo;
import org.orleans4j.testing.TestCluster;

/** Cluster clients against in-JVM silos with gateways on free ports. */
class ClusterClientTest {

    private TestCluster cluster;
    private final List<ClusterClient> clients = new ArrayList<>();

    @AfterEach
    void stop() {
        clients.forEach(ClusterClient::close);
        if (cluster != null) {
            cluster.close();
        }
        EchoGrainImpl.held = new CompletableFuture<>();
    }

    private TestCluster start(int silos) {
        cluster = TestCluster.builder()
                .silos(silos)
                .gateways()
                .configure(b -> b.addGrainClass(EchoGrainImpl.class)
                        .addGrainClass(CounterGrainImpl.class)
                        .addGrainClass(SessionGrainImpl.class))
                .start();
        return cluster;
    }

    private ClusterClientBuilder client() {
        return ClusterClient.builder().clusterOptions(cluster.silo(0).clusterOptions());
    }

    private ClusterClient connected(ClusterClientBuilder builder) {
        ClusterClient client = builder.build();
        clients.add(client);
        client.connect();
        return client;
    }

    private static Throwable failureOf(CompletableFuture<?> future) {
        assertThat(future).failsWithin(Duration.ofSeconds(30));
        try {
            future.get();
            throw new AssertionError("did not fail");
        } catch (ExecutionException e) {
            return e.getCause();
        } catch (InterruptedException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void callsGrainsThroughStaticGateways() {
        start(2);
        ClusterClient client = connected(client().staticGateways(cluster.gatewayEndpoints()));
        assertThat(client.isConnected()).isTrue();
        await().atMost(Duration.ofSeconds(10))
                .until(() -> client.connectedGateways().size() == 2);
        assertThat(client.connectedGateways()).containsExactlyInAnyOrderElementsOf(cluster.gatewayEndpoints());

        EchoGrain apple = client.grainFactory().getGrain(EchoGrain.class, "apple");
        assertThat(apple.echo("hello").join()).isEqualTo("hello");
        assertThat(apple.relay("pear", "hi").join())
                .as("a grain calling a grain")
                .isEqualTo("apple>hi");
        assertThat(apple.confirm(new Order("tea", 2)).join()).isEqualTo(new Order("tea (confirmed)", 2));
        assertThat(client.grainFactory().getGrain(CounterGrain.class, 7L).add(5).join())
                .isEqualTo(5L);
        assertThat(client.grainFactory().getGrain(CounterGrain.class, 7L).add(2).join())
                .isEqualTo(7L);
        UUID session = UUID.randomUUID();
        assertThat(client.grainFactory()
                        .getGrain(SessionGrain.class, session)
                        .key()
                        .join())
                .isEqualTo(session.toString());

        // One-way: nothing comes back, but the grain ran it (in order, before the next call from this client).
        apple.record("first");
        apple.record("second");
        assertThat(apple.recorded().join()).containsExactly("first", "second");

        // Failures arrive as their own types: built-in, and declared by the interface.
        assertThat(failureOf(apple.failWith("bad input")))
                .isExactlyInstanceOf(IllegalArgumentException.class)
                .hasMessage("bad input");
        assertThat(failureOf(apple.rejectOrder("sold out")))
                .isExactlyInstanceOf(OrderRejectedException.class)
                .hasMessage("sold out");
        assertThat(failureOf(apple.confirm(new Order("tea", 0))))
                .isExactlyInstanceOf(OrderRejectedException.class)
                .hasMessageContaining("quantity must be positive");

        // A proxy from a full grain id, and equality of proxies.
        GrainId appleId = GrainId.ofString(
                cluster.silo(0).grainTypes().implementationOf(EchoGrain.class).typeName(), "apple");
        assertThat(client.grainFactory()
                        .getGrain(EchoGrain.class, appleId)
                        .recorded()
                        .join())
                .hasSize(2);
        assertThat(client.grainFactory().getGrain(EchoGrain.class, "apple")).isEqualTo(apple);
        assertThat(cluster.silosHosting(appleId)).hasSize(1);
    }

    @Test
    void anInterfaceNoSiloImplementsFailsTheCallClearly() {
        start(1);
        ClusterClient client = connected(client().staticGateways(cluster.gatewayEndpoints()));
        assertThat(failureOf(
                        client.grainFactory().getGrain(UnknownGrain.class, "x").hello()))
                .isInstanceOf(GrainException.class)
                .hasMessageContaining("No grain class in the cluster implements " + UnknownGrain.class.getName());
    }

    @Test
    void gatewaysComeFromTheMembershipTable() {
        start(2);
        ClusterClient client = connected(
                client().membershipTable(cluster.membershipTable()).gatewayRefreshPeriod(Duration.ofMillis(300)));
        await().atMost(Duration.ofSeconds(10))
                .until(() -> client.connectedGateways().size() == 2);
        assertThat(client.connectedGateways()).containsExactlyInAnyOrderElementsOf(cluster.gatewayEndpoints());
        for (int i = 0; i < 20; i++) {
            assertThat(client.grainFactory()
                            .getGrain(EchoGrain.class, "m" + i)
                            .echo("x" + i)
                            .join())
                    .isEqualTo("x" + i);
        }
        // Calls spread over both gateways (by grain).
        assertThat(client.callsPerGateway().values()).allMatch(count -> count > 0);

        // A silo that joins is found at the next refresh of the list.
        Silo third = cluster.startSilo();
        await().atMost(Duration.ofSeconds(10))
                .until(() -> client.connectedGateways().size() == 3);
        assertThat(client.connectedGateways()).contains(TestCluster.gatewayEndpoint(third));
        for (int i = 0; i < 30; i++) {
            assertThat(client.grainFactory()
                            .getGrain(EchoGrain.class, "n" + i)
                            .echo("y")
                            .join())
                    .isEqualTo("y");
        }
        assertThat(client.callsPerGateway().get(TestCluster.gatewayEndpoint(third)))
                .isPositive();
    }

    @Test
    void aClientOnOneGatewayReachesGrainsOnTheOtherSilo() {
        start(2);
        Silo gateway = cluster.silo(0);
        Silo other = cluster.silo(1);
        ClusterClient client = connected(client().staticGateways(List.of(TestCluster.gatewayEndpoint(gateway))));
        String type = gateway.grainTypes().implementationOf(EchoGrain.class).typeName();

        // Activated on the other silo (placement hint), then called through the gateway.
        RequestContext.set(PlacementHint.REQUEST_CONTEXT_KEY, other.address());
        try {
            for (int i = 0; i < 10; i++) {
                other.grainFactory()
                        .getGrain(EchoGrain.class, "there" + i)
                        .echo("warm")
                        .join();
            }
        } finally {
            RequestContext.remove(PlacementHint.REQUEST_CONTEXT_KEY);
        }
        for (int i = 0; i < 10; i++) {
            assertThat(client.grainFactory()
                            .getGrain(EchoGrain.class, "there" + i)
                            .echo("via gateway")
                            .join())
                    .isEqualTo("via gateway");
            assertThat(cluster.silosHosting(GrainId.ofString(type, "there" + i)))
                    .containsExactly(other);
        }

        // Placed on the other silo by the gateway, with the client's placement hint in the request context.
        RequestContext.set(PlacementHint.REQUEST_CONTEXT_KEY, other.address());
        try {
            for (int i = 0; i < 10; i++) {
                client.grainFactory()
                        .getGrain(EchoGrain.class, "placed" + i)
                        .echo("x")
                        .join();
            }
        } finally {
            RequestContext.remove(PlacementHint.REQUEST_CONTEXT_KEY);
        }
        for (int i = 0; i < 10; i++) {
            assertThat(cluster.silosHosting(GrainId.ofString(type, "placed" + i)))
                    .containsExactly(other);
        }
        assertThat(client.connectedGateways()).containsExactly(TestCluster.gatewayEndpoint(gateway));
    }

    @Test
    void aClientOfAnotherClusterIsRefusedWithoutLearningTheClustersIdsAndTheSiloKeepsServing() {
        start(1);
        Silo silo = cluster.silo(0);
        String ourCluster = silo.clusterOptions().clusterId();
        ClusterClient stranger = ClusterClient.builder()
                .clusterOptions(new ClusterOptions(silo.clusterOptions().serviceId(), "someone-elses"))
                .staticGateways(cluster.gatewayEndpoints())
                .build();
        clients.add(stranger);

        assertThatThrownBy(stranger::connect)
                .isInstanceOf(ClusterClientException.class)
                .hasMessageContaining(
                        "does not serve service '" + silo.clusterOptions().serviceId() + "' cluster 'someone-elses'")
                .hasMessageContaining(cluster.gatewayEndpoints().get(0))
                .satisfies(e -> assertThat(e.getMessage())
                        .as("the gateway disclosed no ids")
                        .doesNotContain(ourCluster));
        assertThat(stranger.isConnected()).isFalse();
        assertThat(stranger.connectedGateways()).isEmpty();
        await().atMost(Duration.ofSeconds(5))
                .until(() -> silo.messagingStatistics().rejected(Rejection.HANDSHAKE_MISMATCH) >= 1);
        assertThat(silo.messagingStatistics().connectedClients()).isZero();

        ClusterClient good = connected(client().staticGateways(cluster.gatewayEndpoints()));
        assertThat(good.grainFactory()
                        .getGrain(EchoGrain.class, "still")
                        .echo("serving")
                        .join())
                .isEqualTo("serving");
        assertThat(silo.messagingStatistics().acceptedClientConnections()).isEqualTo(1);
    }

    @Test
    void aClientPointedAtTheSiloPortIsToldToUseTheGatewayPort() {
        start(1);
        Silo silo = cluster.silo(0);
        ClusterClient misdirected =
                client().staticGateways(List.of(silo.address().endpoint())).build();
        clients.add(misdirected);
        assertThatThrownBy(misdirected::connect)
                .isInstanceOf(ClusterClientException.class)
                .hasMessageContaining("not as a gateway");
        await().atMost(Duration.ofSeconds(5))
                .until(() -> silo.messagingStatistics().rejected(Rejection.HANDSHAKE_MISMATCH) >= 1);
    }

    @Test
    void noReachableGatewayListsTheAddressesTried() {
        int[] ports = org.orleans4j.testing.FreePorts.allocate(2);
        ClusterClient client = ClusterClient.builder()
                .staticGateways(List.of("127.0.0.1:" + ports[0], "127.0.0.1:" + ports[1]))
                .build();
        clients.add(client);
        assertThatThrownBy(client::connect)
                .isInstanceOf(ClusterClientException.class)
                .hasMessageContaining("Could not connect to any gateway")
                .hasMessageContaining("127.0.0.1:" + ports[0])
                .hasMessageContaining("127.0.0.1:" + ports[1]);
        // The event loops have terminated when connect throws; their threads exit a moment later.
        await("a failed connect leaves no thread behind")
                .atMost(Duration.ofSeconds(5))
                .until(() -> liveThreads(client).isEmpty());
    }

    @Test
    void callsBeforeConnectFailClearly() {
        start(1);
        ClusterClient client =
                client().staticGateways(cluster.gatewayEndpoints()).build();
        clients.add(client);
        EchoGrain early = client.grainFactory().getGrain(EchoGrain.class, "early");
        assertThat(failureOf(early.echo("x")))
                .isInstanceOf(ClusterClientException.class)
                .hasMessageContaining("connect()");
        client.connect();
        client.connect(); // idempotent
        assertThat(early.echo("now").join())
                .as("a proxy made before connect works once connected")
                .isEqualTo("now");
    }

    @Test
    void aDisconnectingClientReleasesItsGatewayStateAndItsResponsesAreDropped() {
        start(2);
        Silo gateway = cluster.silo(0);
        ClusterClient client = connected(client().staticGateways(List.of(TestCluster.gatewayEndpoint(gateway))));
        assertThat(gateway.messagingStatistics().connectedClients()).isEqualTo(1);

        List<CompletableFuture<String>> held = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            held.add(client.grainFactory().getGrain(EchoGrain.class, "held" + i).hold());
        }
        String type = gateway.grainTypes().implementationOf(EchoGrain.class).typeName();
        await().atMost(Duration.ofSeconds(10)).until(() -> {
            for (int i = 0; i < 10; i++) {
                if (cluster.silosHosting(GrainId.ofString(type, "held" + i)).isEmpty()) {
                    return false;
                }
            }
            return true;
        });
        assertThat(client.pendingCalls()).isEqualTo(10);

        client.close();
        held.forEach(call -> assertThat(failureOf(call)).isInstanceOf(ClusterClientException.class));
        await().atMost(Duration.ofSeconds(5))
                .until(() -> gateway.messagingStatistics().connectedClients() == 0);

        long droppedBefore = gateway.messagingStatistics().droppedClientResponses();
        EchoGrainImpl.held.complete("too late");
        await().atMost(Duration.ofSeconds(5))
                .until(() -> gateway.messagingStatistics().droppedClientResponses() == droppedBefore + 10);
        // The silo goes on serving others.
        ClusterClient next = connected(client().staticGateways(List.of(TestCluster.gatewayEndpoint(gateway))));
        assertThat(next.grainFactory().getGrain(EchoGrain.class, "held0").hold().join())
                .isEqualTo("too late");
    }

    @Test
    void closeFailsPendingCallsStopsThreadsAndIsIdempotent() {
        start(1);
        ClusterClient client = connected(client().staticGateways(cluster.gatewayEndpoints()));
        assertThat(liveThreads(client)).isNotEmpty();
        CompletableFuture<String> pending =
                client.grainFactory().getGrain(EchoGrain.class, "pending").hold();
        await().atMost(Duration.ofSeconds(5)).until(() -> client.pendingCalls() == 1);

        client.close();
        client.close();
        assertThat(failureOf(pending))
                .isInstanceOf(ClusterClientException.class)
                .hasMessageContaining("closed");
        assertThat(client.isConnected()).isFalse();
        assertThat(client.connectedGateways()).isEmpty();
        await().atMost(Duration.ofSeconds(5)).until(() -> liveThreads(client).isEmpty());
        assertThat(failureOf(
                        client.grainFactory().getGrain(EchoGrain.class, "after").echo("x")))
                .isInstanceOf(ClusterClientException.class);
        assertThatThrownBy(client::connect)
                .isInstanceOf(ClusterClientException.class)
                .hasMessageContaining("closed");
    }

    @Test
    void anIdempotentCallInFlightOnAGatewayThatDiesIsRetriedOnAnotherGateway() {
        start(2);
        Silo survivor = cluster.silo(0);
        Silo victim = cluster.silo(1);
        ClusterClient client = connected(client().staticGateways(cluster.gatewayEndpoints()));
        await().atMost(Duration.ofSeconds(10))
                .until(() -> client.connectedGateways().size() == 2);

        // Grains on the surviving silo, called through the victim's gateway (the client picks by grain id).
        String type = survivor.grainTypes().implementationOf(EchoGrain.class).typeName();
        List<String> sorted = client.connectedGateways().stream().sorted().toList();
        String victimEndpoint = TestCluster.gatewayEndpoint(victim);
        List<String> keys = new ArrayList<>();
        RequestContext.set(PlacementHint.REQUEST_CONTEXT_KEY, survivor.address());
        try {
            for (int i = 0; keys.size() < 5; i++) {
                GrainId id = GrainId.ofString(type, "k" + i);
                if (sorted.get(Math.floorMod(id.stableHash(), sorted.size())).equals(victimEndpoint)) {
                    keys.add("k" + i);
                    survivor.grainFactory()
                            .getGrain(EchoGrain.class, "k" + i)
                            .echo("warm")
                            .join();
                    assertThat(cluster.silosHosting(id)).containsExactly(survivor);
                }
            }
        } finally {
            RequestContext.remove(PlacementHint.REQUEST_CONTEXT_KEY);
        }
        long viaVictimBefore = client.callsPerGateway().get(victimEndpoint);
        List<CompletableFuture<String>> calls = new ArrayList<>();
        for (String key : keys) {
            calls.add(client.grainFactory().getGrain(EchoGrain.class, key).hold());
        }
        assertThat(client.callsPerGateway().get(victimEndpoint)).isEqualTo(viaVictimBefore + keys.size());
        await().atMost(Duration.ofSeconds(5)).until(() -> client.pendingCalls() == keys.size());

        victim.kill();
        await().atMost(Duration.ofSeconds(5))
                .until(() -> client.connectedGateways().equals(List.of(TestCluster.gatewayEndpoint(survivor))));
        EchoGrainImpl.held.complete("answered");
        for (CompletableFuture<String> call : calls) {
            assertThat(call).succeedsWithin(Duration.ofSeconds(10)).isEqualTo("answered");
        }
        assertThat(client.grainFactory()
                        .getGrain(EchoGrain.class, "new")
                        .echo("after")
                        .join())
                .isEqualTo("after");
    }

    @Test
    void aStoppingGatewaySendsItsClientsElsewhereWithoutFailedCalls() throws Exception {
        start(2);
        Silo leaving = cluster.silo(1);
        ClusterClient client = connected(client().membershipTable(cluster.membershipTable()));
        await().atMost(Duration.ofSeconds(10))
                .until(() -> client.connectedGateways().size() == 2);

        AtomicLong failures = new AtomicLong();
        AtomicLong successes = new AtomicLong();
        AtomicInteger round = new AtomicInteger();
        CompletableFuture<Void> stopped = new CompletableFuture<>();
        Thread caller = new Thread(() -> {
            while (!stopped.isDone() || round.get() < 50) {
                int n = round.incrementAndGet();
                try {
                    client.grainFactory()
                            .getGrain(EchoGrain.class, "s" + (n % 40))
                            .echo("x")
                            .get(30, TimeUnit.SECONDS);
                    successes.incrementAndGet();
                } catch (Exception e) {
                    failures.incrementAndGet();
                }
            }
        });
        caller.start();
        await().atMost(Duration.ofSeconds(10)).until(() -> successes.get() > 100);
        CompletableFuture.runAsync(() -> leaving.stop(Duration.ofSeconds(20)))
                .whenComplete((v, e) -> stopped.complete(null));
        await().atMost(Duration.ofSeconds(30)).until(stopped::isDone);
        caller.join(60_000);

        assertThat(failures.get())
                .as("failed calls while a gateway stopped gracefully")
                .isZero();
        assertThat(client.connectedGateways()).containsExactly(TestCluster.gatewayEndpoint(cluster.silo(0)));
    }

    private static List<Thread> liveThreads(ClusterClient client) {
        String prefix = client.threadNamePrefix();
        return Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.getName().startsWith(prefix) && t.isAlive())
                .toList();
    }
}
