package org.orleans4j.spring.ssl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.math.BigInteger;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.UUID;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.orleans4j.client.ClusterClient;
import org.orleans4j.grain.GrainFactory;
import org.orleans4j.membership.InMemoryMembershipTable;
import org.orleans4j.membership.MembershipTable;
import org.orleans4j.messaging.Rejection;
import org.orleans4j.runtime.Silo;
import org.orleans4j.spring.client.ClusterClientAutoConfiguration;
import org.orleans4j.spring.client.app.ClientTestApplication;
import org.orleans4j.spring.client.app.EchoGrain;
import org.orleans4j.spring.silo.OrleansAutoConfiguration;
import org.orleans4j.testing.FreePorts;
import org.orleans4j.testing.TestCertificates;
import org.orleans4j.testing.TestCertificates.Authority;
import org.orleans4j.testing.TestCertificates.Issued;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.ssl.SslAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * {@code orleans.endpoints.ssl.bundle} and {@code orleans.client.ssl.bundle} against real sockets: a
 * silo and a cluster client, each a Spring context, secured by PEM bundles whose files the test
 * writes (a CA made in the test, certificates it signs); what a missing or unusable bundle does to
 * startup; the warning of a clustered silo without TLS; and certificate files replaced at run time.
 */
@ExtendWith(OutputCaptureExtension.class)
class OrleansSslAutoConfigurationTest {

    private static final String TLS_OFF_WARNING = "TLS is off: the silo port and the gateway port accept any peer";

    @TempDir
    Path dir;

    private final Authority clusterCa = TestCertificates.authority("cluster-ca");
    private final String clusterId = "tls-" + UUID.randomUUID();
    private final int gatewayPort = FreePorts.allocate(1)[0];

    @Configuration(proxyBeanMethods = false)
    static class InMemoryTable {
        @Bean
        MembershipTable membershipTable() {
            return new InMemoryMembershipTable();
        }
    }

    /** A clustered silo (its own in-memory table) with a gateway on a free port, hosting the echo grain. */
    private ApplicationContextRunner silo() {
        return new ApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(
                        SslAutoConfiguration.class, OrleansSslAutoConfiguration.class, OrleansAutoConfiguration.class))
                .withUserConfiguration(ClientTestApplication.class, InMemoryTable.class)
                .withPropertyValues(
                        "orleans.cluster.service-id=tls",
                        "orleans.cluster.cluster-id=" + clusterId,
                        "orleans.clustering.enabled=true",
                        "orleans.endpoints.silo-port=0",
                        "orleans.endpoints.gateway-port=" + gatewayPort,
                        "orleans.endpoints.advertised-address=127.0.0.1",
                        "orleans.endpoints.listen-address=127.0.0.1");
    }

    /** A cluster client of that silo's gateway. */
    private ApplicationContextRunner client() {
        return new ApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(
                        SslAutoConfiguration.class,
                        OrleansSslAutoConfiguration.class,
                        OrleansAutoConfiguration.class,
                        ClusterClientAutoConfiguration.class))
                .withUserConfiguration(ClientTestApplication.class)
                .withPropertyValues(
                        "orleans.client.enabled=true",
                        "orleans.client.gateways=127.0.0.1:" + gatewayPort,
                        "orleans.cluster.service-id=tls",
                        "orleans.cluster.cluster-id=" + clusterId);
    }

    /**
     * Writes {@code node}'s certificate and key and the PEM trust store of {@code trusted}, and
     * returns the properties of a PEM bundle {@code name} over those files, reloaded when they change.
     */
    private String[] pemBundle(String name, Issued node, Authority... trusted) {
        Path certificate = dir.resolve(name + ".crt");
        Path key = dir.resolve(name + ".key");
        Path trust = dir.resolve(name + "-ca.crt");
        node.writePem(certificate, key);
        TestCertificates.writePem(trust, trusted);
        String prefix = "spring.ssl.bundle.pem." + name + ".";
        return new String[] {
            prefix + "keystore.certificate=file:" + certificate,
            prefix + "keystore.private-key=file:" + key,
            prefix + "truststore.certificate=file:" + trust,
            prefix + "reload-on-update=true",
            "spring.ssl.bundle.watch.file.quiet-period=200ms"
        };
    }

    @Test
    void aSiloAndAClientWithPemBundlesTalkOverMutualTlsAndAClientOfAnotherCaIsRefused() {
        silo().withPropertyValues(pemBundle("orleans", clusterCa.issue("silo"), clusterCa))
                .withPropertyValues("orleans.endpoints.ssl.bundle=orleans")
                .run(silo -> {
                    assertThat(silo).hasNotFailed();
                    Silo running = silo.getBean(Silo.class);

                    client().withPropertyValues(pemBundle("client", clusterCa.issue("client"), clusterCa))
                            .withPropertyValues("orleans.client.ssl.bundle=client")
                            .run(client -> {
                                assertThat(client).hasNotFailed();
                                assertThat(client.getBean(GrainFactory.class)
                                                .getGrain(EchoGrain.class, "tls")
                                                .echo("hello")
                                                .join())
                                        .isEqualTo("tls: hello");
                            });
                    assertThat(running.messagingStatistics().rejected(Rejection.TLS_HANDSHAKE))
                            .isZero();
                    assertThat(running.messagingStatistics().acceptedClientConnections())
                            .isEqualTo(1);

                    Authority otherCa = TestCertificates.authority("other-ca");
                    client().withPropertyValues(pemBundle("stranger", otherCa.issue("stranger"), clusterCa))
                            .withPropertyValues("orleans.client.ssl.bundle=stranger")
                            .run(client -> {
                                assertThat(client).hasFailed();
                                assertThat(client.getStartupFailure())
                                        .rootCause()
                                        .hasMessageContaining("TLS handshake with 127.0.0.1:" + gatewayPort + " failed")
                                        .hasMessageContaining("SSL bundle 'stranger' (orleans.client.ssl.bundle)");
                            });
                    await().atMost(Duration.ofSeconds(5))
                            .until(() -> running.messagingStatistics().rejected(Rejection.TLS_HANDSHAKE) == 1);
                });
    }

    @Test
    void anUnknownBundleFailsStartupNamingThePropertyOnSiloAndClient() {
        silo().withPropertyValues(pemBundle("orleans", clusterCa.issue("silo"), clusterCa))
                .withPropertyValues("orleans.endpoints.ssl.bundle=orleanz")
                .run(context -> {
                    assertThat(context).hasFailed();
                    // Spring Boot's NoSuchSslBundleException is kept as the cause of ours.
                    assertThat(context.getStartupFailure())
                            .hasStackTraceContaining("orleans.endpoints.ssl.bundle "
                                    + "names SSL bundle 'orleanz', which is not configured: define spring.ssl.bundle.pem.orleanz.* "
                                    + "or spring.ssl.bundle.jks.orleanz.* (bundles configured: [orleans])");
                });
        client().withPropertyValues("orleans.client.ssl.bundle=nowhere").run(context -> {
            assertThat(context).hasFailed();
            assertThat(context.getStartupFailure())
                    .hasStackTraceContaining(
                            "orleans.client.ssl.bundle names SSL bundle 'nowhere', which is not configured: define "
                                    + "spring.ssl.bundle.pem.nowhere.* or spring.ssl.bundle.jks.nowhere.* (bundles configured: none)");
        });
    }

    @Test
    void aBundleWithoutTrustStoreOrWithoutKeyFailsStartup() {
        Path certificate = dir.resolve("silo.crt");
        Path key = dir.resolve("silo.key");
        clusterCa.issue("silo").writePem(certificate, key);
        silo().withPropertyValues(
                        "spring.ssl.bundle.pem.keyonly.keystore.certificate=file:" + certificate,
                        "spring.ssl.bundle.pem.keyonly.keystore.private-key=file:" + key,
                        "orleans.endpoints.ssl.bundle=keyonly")
                .run(context -> {
                    assertThat(context).hasFailed();
                    assertThat(context.getStartupFailure())
                            .rootCause()
                            .hasMessageStartingWith(
                                    "orleans.endpoints.ssl.bundle names SSL bundle 'keyonly', which has "
                                            + "no trust store: set spring.ssl.bundle.pem.keyonly.truststore.certificate");
                });
        Path trust = clusterCa.writePem(dir.resolve("ca.crt"));
        client().withPropertyValues(
                        "spring.ssl.bundle.pem.trustonly.truststore.certificate=file:" + trust,
                        "orleans.client.ssl.bundle=trustonly")
                .run(context -> {
                    assertThat(context).hasFailed();
                    assertThat(context.getStartupFailure())
                            .rootCause()
                            .hasMessageStartingWith("orleans.client.ssl.bundle names SSL bundle 'trustonly', which has "
                                    + "no private key");
                });
    }

    @Test
    void aClusteredSiloWithoutTlsWarnsOnceAndOneWithTlsDoesNot(CapturedOutput output) {
        silo().run(context -> {
            assertThat(context).hasNotFailed();
            assertThat(output.getOut().split(TLS_OFF_WARNING, -1))
                    .as("one warning")
                    .hasSize(2);
            assertThat(output.getOut()).contains("Set orleans.endpoints.ssl.bundle to a Spring Boot SSL bundle");
        });
        int before = output.getOut().length();
        silo().withPropertyValues(pemBundle("orleans", clusterCa.issue("silo"), clusterCa))
                .withPropertyValues("orleans.endpoints.ssl.bundle=orleans")
                .run(context -> {
                    assertThat(context).hasNotFailed();
                    assertThat(output.getOut().substring(before))
                            .doesNotContain(TLS_OFF_WARNING)
                            .contains("Mutual TLS on the silo and gateway ports with SSL bundle 'orleans'");
                });
    }

    @Test
    void replacedCertificateFilesAreUsedByNewConnectionsWithoutARestart() {
        Issued first = clusterCa.issue("silo-first");
        Authority nextCa = TestCertificates.authority("next-ca");
        silo().withPropertyValues(pemBundle("orleans", first, clusterCa))
                .withPropertyValues("orleans.endpoints.ssl.bundle=orleans")
                .run(silo -> {
                    assertThat(silo).hasNotFailed();
                    assertThat(gatewayCertificateSerial())
                            .isEqualTo(first.certificate().getSerialNumber());

                    client().withPropertyValues(pemBundle("client", clusterCa.issue("client"), clusterCa))
                            .withPropertyValues("orleans.client.ssl.bundle=client")
                            .run(established -> {
                                EchoGrain grain =
                                        established.getBean(GrainFactory.class).getGrain(EchoGrain.class, "e");
                                assertThat(grain.echo("before").join()).isEqualTo("e: before");

                                // cert-manager renews the silo's certificate and the CA moves on: new files.
                                Issued renewed = clusterCa.issue("silo-renewed");
                                pemBundle("orleans", renewed, clusterCa, nextCa);
                                await().atMost(Duration.ofSeconds(30))
                                        .pollInterval(Duration.ofMillis(200))
                                        .until(() -> renewed.certificate()
                                                .getSerialNumber()
                                                .equals(gatewayCertificateSerial()));

                                // A client of the next CA is now accepted, by new connections only.
                                client().withPropertyValues(pemBundle("next", nextCa.issue("next-client"), clusterCa))
                                        .withPropertyValues("orleans.client.ssl.bundle=next")
                                        .run(next -> {
                                            assertThat(next).hasNotFailed();
                                            assertThat(next.getBean(GrainFactory.class)
                                                            .getGrain(EchoGrain.class, "n")
                                                            .echo("after")
                                                            .join())
                                                    .isEqualTo("n: after");
                                        });
                                assertThat(established
                                                .getBean(ClusterClient.class)
                                                .isConnected())
                                        .isTrue();
                                assertThat(grain.echo("still").join())
                                        .as("a connection made before the change keeps working")
                                        .isEqualTo("e: still");
                            });
                });
    }

    /**
     * The serial number of the certificate the gateway presents to a fresh TLS connection (from a
     * plain JDK socket with a client certificate of the cluster CA, closed before the cluster handshake).
     */
    private BigInteger gatewayCertificateSerial() throws Exception {
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(
                clusterCa.issue("probe").keyManagers().getKeyManagers(),
                clusterCa.trustManagers().getTrustManagers(),
                null);
        try (SSLSocket socket = (SSLSocket) context.getSocketFactory().createSocket("127.0.0.1", gatewayPort)) {
            socket.setSoTimeout(5_000);
            socket.startHandshake();
            return ((X509Certificate) socket.getSession().getPeerCertificates()[0]).getSerialNumber();
        }
    }
}
