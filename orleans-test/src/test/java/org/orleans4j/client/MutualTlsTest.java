package org.orleans4j.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.io.OutputStream;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.orleans4j.client.ClientGrains.EchoGrain;
import org.orleans4j.client.ClientGrains.EchoGrainImpl;
import org.orleans4j.cluster.ClusterOptions;
import org.orleans4j.cluster.SiloAddress;
import org.orleans4j.cluster.SiloStatus;
import org.orleans4j.grain.GrainId;
import org.orleans4j.grain.RequestContext;
import org.orleans4j.messaging.MessagingOptions;
import org.orleans4j.messaging.Rejection;
import org.orleans4j.messaging.SslContextTransportSecurity;
import org.orleans4j.messaging.TlsCredentials;
import org.orleans4j.messaging.TransportSecurity;
import org.orleans4j.messaging.internal.SiloMessaging;
import org.orleans4j.messaging.internal.TlsHandshakeException;
import org.orleans4j.placement.PlacementHint;
import org.orleans4j.runtime.EndpointOptions;
import org.orleans4j.runtime.Silo;
import org.orleans4j.runtime.SiloOptions;
import org.orleans4j.testing.TestCertificates;
import org.orleans4j.testing.TestCertificates.Authority;
import org.orleans4j.testing.TestCluster;

/**
 * Mutual TLS on real loopback sockets: three silos and cluster clients whose certificates come from
 * a CA made in the test. Members of the cluster's CA talk across silos and through gateways; a peer
 * without a certificate, with one of another CA, or without TLS is refused with an error that says
 * so on its own side, the refusing silo counts it, and the cluster keeps serving.
 */
class MutualTlsTest {

    private static final String SOURCE = "the test CA 'cluster-ca'";

    private final Authority clusterCa = TestCertificates.authority("cluster-ca");
    private final Authority otherCa = TestCertificates.authority("other-ca");
    private final List<AutoCloseable> closeables = new ArrayList<>();
    private final AtomicInteger issued = new AtomicInteger();
    private final List<SslContextTransportSecurity> siloSecurity = new ArrayList<>();
    private TestCluster cluster;

    @AfterEach
    void stop() throws Exception {
        for (AutoCloseable closeable : closeables) {
            closeable.close();
        }
        if (cluster != null) {
            cluster.close();
        }
    }

    /** Three silos with gateways, each with its own certificate of the cluster CA. */
    private TestCluster startCluster() {
        cluster = TestCluster.builder()
                .silos(3)
                .gateways()
                .configure(b -> {
                    SslContextTransportSecurity security = new SslContextTransportSecurity(
                            clusterCa.issue("silo-" + issued.getAndIncrement()).credentials(), SOURCE);
                    siloSecurity.add(security);
                    b.addGrainClass(EchoGrainImpl.class).transportSecurity(security);
                })
                .start();
        return cluster;
    }

    private ClusterClient client(TransportSecurity security) {
        ClusterClientBuilder builder = ClusterClient.builder()
                .clusterOptions(cluster.silo(0).clusterOptions())
                .staticGateways(cluster.gatewayEndpoints());
        if (security != null) {
            builder.transportSecurity(security);
        }
        ClusterClient client = builder.build();
        closeables.add(client);
        return client;
    }

    private static TransportSecurity security(TlsCredentials credentials, String source) {
        return new SslContextTransportSecurity(credentials, source);
    }

    private long tlsRejections() {
        return cluster.silos().stream()
                .mapToLong(s -> s.messagingStatistics().rejected(Rejection.TLS_HANDSHAKE))
                .sum();
    }

    /** A grain call through a client with a good certificate: the cluster still serves. */
    private void assertServing(String key) {
        ClusterClient good = client(security(clusterCa.issue("good-client").credentials(), SOURCE));
        good.connect();
        assertThat(good.grainFactory()
                        .getGrain(EchoGrain.class, key)
                        .relay(key + "-relayed", "still serving")
                        .join())
                .isEqualTo(key + ">still serving");
    }

    @Test
    void callsWorkAcrossSilosAndThroughEveryGatewayInsideTls() {
        startCluster();
        Silo caller = cluster.silo(0);
        String type = caller.grainTypes().implementationOf(EchoGrain.class).typeName();
        // Grains pinned to silos 1 and 2, called from silo 0: every call crosses a TLS connection.
        for (int target = 1; target <= 2; target++) {
            RequestContext.set(
                    PlacementHint.REQUEST_CONTEXT_KEY, cluster.silo(target).address());
            try {
                assertThat(caller.grainFactory()
                                .getGrain(EchoGrain.class, "on-" + target)
                                .echo("hi")
                                .join())
                        .isEqualTo("hi");
            } finally {
                RequestContext.remove(PlacementHint.REQUEST_CONTEXT_KEY);
            }
            assertThat(cluster.silosHosting(GrainId.ofString(type, "on-" + target)))
                    .containsExactly(cluster.silo(target));
        }
        assertThat(caller.grainFactory()
                        .getGrain(EchoGrain.class, "on-1")
                        .relay("on-2", "across")
                        .join())
                .isEqualTo("on-1>across");

        ClusterClient client = client(security(clusterCa.issue("client").credentials(), SOURCE));
        client.connect();
        await().atMost(Duration.ofSeconds(10))
                .until(() -> client.connectedGateways().size() == 3);
        List<CompletableFuture<String>> calls = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            calls.add(client.grainFactory()
                    .getGrain(EchoGrain.class, "client-" + i)
                    .echo("n" + i));
        }
        for (int i = 0; i < 30; i++) {
            assertThat(calls.get(i).join()).isEqualTo("n" + i);
        }
        assertThat(client.callsPerGateway().values())
                .as("calls went through every gateway")
                .allSatisfy(count -> assertThat(count).isPositive());
        assertThat(tlsRejections()).isZero();
        assertThat(cluster.silos())
                .allSatisfy(s -> assertThat(s.messagingStatistics().acceptedClientConnections())
                        .isEqualTo(1));
    }

    @Test
    void aClientWithoutACertificateIsRefusedWithAClearErrorAndCounted() {
        startCluster();
        String gateway = cluster.gatewayEndpoints().get(0);
        ClusterClient anonymous = client(security(
                new TlsCredentials(TestCertificates.noKey(), clusterCa.trustManagers()), "a trust-only bundle"));

        assertThatThrownBy(anonymous::connect)
                .isInstanceOf(ClusterClientException.class)
                .hasMessageContaining("TLS handshake with " + gateway + " failed")
                .hasMessageContaining("certificate");
        assertThat(anonymous.isConnected()).isFalse();
        await().atMost(Duration.ofSeconds(5)).until(() -> tlsRejections() >= 3);
        assertThat(cluster.silos())
                .allSatisfy(s ->
                        assertThat(s.messagingStatistics().connectedClients()).isZero());

        assertServing("after-anonymous");
    }

    @Test
    void aClientWithACertificateOfAnotherCaIsRefusedWhicheverSideNoticesFirst() {
        startCluster();
        String gateway = cluster.gatewayEndpoints().get(0);
        // Trusts only its own CA: it refuses the gateways' certificates itself.
        ClusterClient foreign = client(security(otherCa.issue("foreign-client").credentials(), "bundle 'other'"));
        assertThatThrownBy(foreign::connect)
                .isInstanceOf(ClusterClientException.class)
                .hasMessageContaining("TLS handshake with " + gateway + " failed: certificate not trusted "
                        + "(is the peer's certificate signed by the CA of bundle 'other'?)");
        // The gateway learns of it through the client's alert, and counts it too.
        await().atMost(Duration.ofSeconds(5)).until(() -> tlsRejections() >= 3);
        long afterFirst = tlsRejections();

        // Trusts the cluster CA, but its own certificate is another CA's: the gateways refuse it.
        ClusterClient impostor = client(security(
                new TlsCredentials(otherCa.issue("impostor").keyManagers(), clusterCa.trustManagers()),
                "bundle 'impostor'"));
        assertThatThrownBy(impostor::connect)
                .isInstanceOf(ClusterClientException.class)
                .hasMessageContaining("TLS handshake with " + gateway + " failed")
                .hasMessageContaining("bundle 'impostor'");
        await().atMost(Duration.ofSeconds(5)).until(() -> tlsRejections() >= afterFirst + 3);

        assertServing("after-foreign");
    }

    @Test
    void aSiloWithoutACertificateOrOfAnotherCaGetsAClearErrorAndCannotStayInTheCluster() {
        startCluster();
        Silo target = cluster.silo(1);
        ClusterOptions ids = target.clusterOptions();

        SiloMessaging noCertificate =
                new SiloMessaging(ids, new SiloAddress("127.0.0.1", 1, 1), MessagingOptions.DEFAULT, 1);
        closeables.add(noCertificate);
        noCertificate.transportSecurity(security(
                new TlsCredentials(TestCertificates.noKey(), clusterCa.trustManagers()), "a trust-only bundle"));
        assertThat(failureOf(noCertificate.connect("127.0.0.1", target.address().port())))
                .isInstanceOf(TlsHandshakeException.class)
                .hasMessageStartingWith(
                        "TLS handshake with 127.0.0.1:" + target.address().port() + " failed: ")
                .hasMessageContaining("a trust-only bundle");

        SiloMessaging foreign = new SiloMessaging(ids, new SiloAddress("127.0.0.1", 1, 2), MessagingOptions.DEFAULT, 1);
        closeables.add(foreign);
        foreign.transportSecurity(security(otherCa.issue("foreign-silo").credentials(), "bundle 'other'"));
        assertThat(failureOf(foreign.connect("127.0.0.1", target.address().port())))
                .isInstanceOf(TlsHandshakeException.class)
                .hasMessageStartingWith(
                        "TLS handshake with 127.0.0.1:" + target.address().port() + " failed: "
                                + "certificate not trusted (is the peer's certificate signed by the CA of bundle 'other'?)");
        await().atMost(Duration.ofSeconds(5))
                .until(() -> target.messagingStatistics().rejected(Rejection.TLS_HANDSHAKE) == 2);

        // A whole silo of another CA that trusts ours: the Active silos refuse its connections while it
        // joins, so it writes itself Dead and fails to start instead of becoming a member nobody can reach.
        Silo impostor = Silo.builder()
                .clusterOptions(ids)
                .siloOptions(new SiloOptions("impostor", null))
                .endpointOptions(new EndpointOptions(0, 0, "127.0.0.1", "127.0.0.1"))
                .membershipTable(cluster.membershipTable())
                .membershipOptions(TestCluster.FAST_MEMBERSHIP)
                .addGrainClass(EchoGrainImpl.class)
                .transportSecurity(security(
                        new TlsCredentials(otherCa.issue("impostor").keyManagers(), clusterCa.trustManagers()),
                        "bundle 'impostor'"))
                .build();
        closeables.add(() -> {
            if (impostor.status() != SiloStatus.DEAD) {
                impostor.kill();
            }
        });
        long before = tlsRejections();
        assertThatThrownBy(impostor::start)
                .hasMessageContaining("refused the connections of silo")
                .hasMessageContaining("check the TLS bundle");
        assertThat(cluster.membershipTable().readAll().join().rows())
                .filteredOn(row -> row.entry().siloName().equals("impostor"))
                .singleElement()
                .satisfies(row -> assertThat(row.entry().status()).isEqualTo(SiloStatus.DEAD));
        cluster.awaitActiveSilos(3, Duration.ofSeconds(10));
        assertThat(tlsRejections()).isGreaterThan(before);
        assertThat(cluster.silos()).allSatisfy(s -> assertThat(s.status()).isEqualTo(SiloStatus.ACTIVE));

        assertServing("after-impostor");
    }

    @Test
    void peersWithoutTlsAreRefusedOnBothPortsAndAPortCheckIsNotCounted() throws Exception {
        startCluster();
        Silo target = cluster.silo(0);

        // A TCP port check (connect, close) is no refusal.
        try (Socket probe = new Socket("127.0.0.1", target.address().port())) {
            assertThat(probe.isConnected()).isTrue();
        }
        // Plain bytes on the silo port: our own framing, without TLS.
        SiloMessaging plain = new SiloMessaging(
                target.clusterOptions(), new SiloAddress("127.0.0.1", 1, 3), MessagingOptions.DEFAULT, 1);
        closeables.add(plain);
        assertThat(failureOf(plain.connect("127.0.0.1", target.address().port())))
                .hasMessageContaining("closed the connection before answering the handshake")
                .hasMessageContaining("orleans.endpoints.ssl.bundle");
        await().atMost(Duration.ofSeconds(5))
                .until(() -> target.messagingStatistics().rejected(Rejection.TLS_HANDSHAKE) == 1);

        // A plain cluster client on the gateway port.
        ClusterClient plainClient = client(null);
        assertThatThrownBy(plainClient::connect)
                .isInstanceOf(ClusterClientException.class)
                .hasMessageContaining("Could not connect to any gateway");
        await().atMost(Duration.ofSeconds(5)).until(() -> tlsRejections() >= 4);
        // Random bytes too.
        try (Socket raw = new Socket("127.0.0.1", target.gatewayPort())) {
            OutputStream out = raw.getOutputStream();
            out.write("GET / HTTP/1.1\r\n\r\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            out.flush();
            await().atMost(Duration.ofSeconds(5))
                    .until(() -> raw.getInputStream().read() == -1);
        }
        await().atMost(Duration.ofSeconds(5)).until(() -> tlsRejections() >= 5);
        assertThat(target.messagingStatistics().acceptedClientConnections()).isZero();

        assertServing("after-plain");
    }

    @Test
    void aTlsClientAtAPlainGatewayIsToldThatThePeerDoesNotUseTls() {
        TestCluster plain = TestCluster.builder()
                .silos(1)
                .gateways()
                .configure(b -> b.addGrainClass(EchoGrainImpl.class))
                .start();
        closeables.add(plain);
        String gateway = plain.gatewayEndpoints().get(0);
        ClusterClient client = ClusterClient.builder()
                .clusterOptions(plain.silo(0).clusterOptions())
                .staticGateways(List.of(gateway))
                .transportSecurity(security(clusterCa.issue("client").credentials(), SOURCE))
                .build();
        closeables.add(client);
        assertThatThrownBy(client::connect)
                .isInstanceOf(ClusterClientException.class)
                .hasMessageContaining("TLS handshake with " + gateway + " failed: the peer closed the connection "
                        + "during the TLS handshake: does it use TLS too?");
    }

    @Test
    void replacedCredentialsApplyToNewConnections() {
        startCluster();
        Authority nextCa = TestCertificates.authority("next-ca");
        // Trusts both CAs, presents a certificate of the next one: refused until the silos trust it.
        TlsCredentials rotated = new TlsCredentials(
                nextCa.issue("rotated-client").keyManagers(), TestCertificates.trusting(clusterCa, nextCa));
        ClusterClient early = client(security(rotated, "bundle 'rotated'"));
        assertThatThrownBy(early::connect)
                .isInstanceOf(ClusterClientException.class)
                .hasMessageContaining("bundle 'rotated'");

        ClusterClient established =
                client(security(clusterCa.issue("established").credentials(), SOURCE));
        established.connect();
        assertThat(established
                        .grainFactory()
                        .getGrain(EchoGrain.class, "kept")
                        .echo("before")
                        .join())
                .isEqualTo("before");

        for (int i = 0; i < siloSecurity.size(); i++) {
            siloSecurity
                    .get(i)
                    .update(new TlsCredentials(
                            clusterCa.issue("silo-" + i + "-renewed").keyManagers(),
                            TestCertificates.trusting(clusterCa, nextCa)));
        }
        ClusterClient late = client(security(rotated, "bundle 'rotated'"));
        late.connect();
        assertThat(late.grainFactory()
                        .getGrain(EchoGrain.class, "rotated")
                        .echo("after")
                        .join())
                .isEqualTo("after");
        assertThat(established
                        .grainFactory()
                        .getGrain(EchoGrain.class, "kept")
                        .echo("still")
                        .join())
                .as("connections made before the update keep working")
                .isEqualTo("still");
    }

    private static Throwable failureOf(CompletableFuture<?> future) {
        assertThat(future).failsWithin(Duration.ofSeconds(30));
        return future.handle((value, error) ->
                        error instanceof java.util.concurrent.CompletionException c ? c.getCause() : error)
                .join();
    }
}
