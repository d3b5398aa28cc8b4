package org.orleans4j.example.probe;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import org.orleans4j.example.dictionary.DictionaryApplication;
import org.orleans4j.testing.FreePorts;
import org.orleans4j.testing.JvmProcess;
import org.springframework.boot.SpringApplication;

/**
 * The dictionary service in client mode: two silo JVMs on a real PostgreSQL, each with a gateway,
 * and the same application started as a cluster client JVM that hosts no grains and serves its REST
 * API by calling the cluster through both gateways. Prints the requests and responses, curl style.
 * One cluster for the whole class; the last test kills a silo.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ClientModeProcessesTest {

    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();
    private final List<JvmProcess> clients = new ArrayList<>();
    private ProbeCluster cluster;
    /** The client with configured gateways, started by the first test. */
    private String client;

    @TempDir
    Path logs;

    @BeforeAll
    void startCluster() throws Exception {
        cluster = ProbeCluster.start(2, logs);
    }

    @AfterAll
    void stopAll() {
        clients.forEach(JvmProcess::close);
        if (cluster != null) {
            cluster.close();
        }
    }

    /** The example app as a client JVM on a free HTTP port with {@code extraArgs}; its base URL once started. */
    private String startClient(String name, String... extraArgs) {
        int port = FreePorts.allocate(1)[0];
        List<String> args = new ArrayList<>(List.of("--server.port=" + port, "--orleans.client.enabled=true",
                "--orleans.cluster.cluster-id=" + cluster.clusterId(),
                "--management.endpoint.health.show-details=always"));
        args.addAll(List.of(extraArgs));
        JvmProcess client = JvmProcess.builder(DictionaryApplication.class.getName()).name(name)
                .jvmOptions("-Xmx256m", "-XX:TieredStopAtLevel=1", "-Xshare:auto")
                .args(args.toArray(String[]::new)).logFile(logs.resolve(name + ".log")).build();
        clients.add(client);
        client.start();
        client.awaitLogLine(Pattern.compile("Started DictionaryApplication"), ProbeCluster.START_TIMEOUT);
        return "http://127.0.0.1:" + port;
    }

    private HttpResponse<String> curl(String method, String url, String body) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).timeout(ProbeCluster.HTTP_TIMEOUT);
        if (body == null) {
            request.method(method, HttpRequest.BodyPublishers.noBody());
        } else {
            request.header("Content-Type", "text/plain").method(method, HttpRequest.BodyPublishers.ofString(body));
        }
        HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        System.out.println("$ curl" + (method.equals("GET") ? "" : " -X " + method)
                + (body == null ? "" : " -H 'Content-Type: text/plain' --data '" + body + "'") + " " + url);
        System.out.println("HTTP " + response.statusCode() + (response.body().isEmpty() ? "" : "  " + response.body()));
        return response;
    }

    @Test
    @Order(1)
    void theRestApiInClientModeCallsTheClusterThroughTheGateways() throws Exception {
        String gateways = cluster.gateway(0) + "," + cluster.gateway(1);
        // The client stores nothing: an in-memory H2 stands in for the database the application configures.
        client = startClient("client", "--orleans.client.gateways=" + gateways,
                "--spring.datasource.url=jdbc:h2:mem:dictionary-client");
        System.out.println("CLIENT MODE: silos at " + cluster.base(0) + " and " + cluster.base(1) + ", gateways "
                + gateways + ", client at " + client);

        assertThat(curl("PUT", client + "/entries/apple", "a fruit").statusCode()).isEqualTo(204);
        assertThat(curl("PUT", client + "/entries/pear", "another fruit").statusCode()).isEqualTo(204);
        HttpResponse<String> apple = curl("GET", client + "/entries/apple", null);
        assertThat(apple.statusCode()).isEqualTo(200);
        assertThat(apple.body()).isEqualTo("a fruit");
        assertThat(curl("GET", client + "/entries/plum", null).statusCode()).isEqualTo(404);
        // The silos see what the client wrote, whichever hosts the grain.
        for (int silo = 0; silo < 2; silo++) {
            assertThat(curl("GET", cluster.base(silo) + "/entries/apple", null).body()).isEqualTo("a fruit");
            assertThat(curl("GET", cluster.base(silo) + "/entries/pear", null).body()).isEqualTo("another fruit");
        }
        int hosting = 0;
        for (int silo = 0; silo < 2; silo++) {
            if (Boolean.parseBoolean(cluster.get(silo, "/probe/activation/apple"))) {
                hosting++;
            }
        }
        assertThat(hosting).as("one activation of apple, on a silo").isEqualTo(1);
        assertThat(curl("PUT", cluster.base(1) + "/entries/apple", "a red fruit").statusCode()).isEqualTo(204);
        assertThat(curl("GET", client + "/entries/apple", null).body()).isEqualTo("a red fruit");

        HttpResponse<String> health = curl("GET", client + "/actuator/health", null);
        assertThat(health.body()).contains("\"orleans\":{\"status\":\"UP\"").contains("\"mode\":\"client\"")
                .contains(cluster.gateway(0)).contains(cluster.gateway(1));
        assertThat(curl("GET", client + "/actuator/health/readiness", null).statusCode()).isEqualTo(200);
        assertThat(curl("GET", client + "/actuator/orleans", null).statusCode())
                .as("no silo, so no orleans endpoint").isEqualTo(404);
    }

    @Test
    @Order(4)
    void theClientGoesOnThroughTheOtherGatewayWhenASiloDies() throws Exception {
        assertThat(client).as("started by the first test").isNotNull();
        // A silo dies: the client goes on through the other gateway, and the grains come back there.
        long killedAt = System.nanoTime();
        cluster.silo(0).kill();
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(250)).untilAsserted(() ->
                assertThat(http.send(HttpRequest.newBuilder(URI.create(client + "/entries/pear"))
                        .timeout(ProbeCluster.HTTP_TIMEOUT).build(), HttpResponse.BodyHandlers.ofString()).body())
                        .isEqualTo("another fruit"));
        System.out.println("MEASURED: the client served pear again " + (System.nanoTime() - killedAt) / 1_000_000
                + " ms after kill -9 of silo-0");
        assertThat(curl("GET", client + "/entries/apple", null).body()).isEqualTo("a red fruit");
        assertThat(curl("PUT", client + "/entries/plum", "a stone fruit").statusCode()).isEqualTo(204);
        assertThat(curl("GET", cluster.base(1) + "/entries/plum", null).body()).isEqualTo("a stone fruit");
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(250)).untilAsserted(() ->
                assertThat(http.send(HttpRequest.newBuilder(URI.create(client + "/actuator/health")).build(),
                        HttpResponse.BodyHandlers.ofString()).body()).doesNotContain(cluster.gateway(0)));
        curl("GET", client + "/actuator/health", null);
    }

    @Test
    @Order(2)
    void aClientFindsTheGatewaysInTheMembershipTable() throws Exception {
        String client = startClient("table-client", "--spring.datasource.url=" + cluster.jdbcUrl(),
                "--spring.datasource.username=postgres", "--spring.datasource.password=");
        assertThat(curl("PUT", client + "/entries/fig", "a soft fruit").statusCode()).isEqualTo(204);
        assertThat(curl("GET", cluster.base(0) + "/entries/fig", null).body()).isEqualTo("a soft fruit");
        HttpResponse<String> health = curl("GET", client + "/actuator/health", null);
        assertThat(health.body()).contains(cluster.gateway(0)).contains(cluster.gateway(1));
    }

    @Test
    @Order(3)
    void aClientOfAnotherClusterFailsToStartNamingBothClusterIds() throws Exception {
        String[] args = {"--server.port=0", "--orleans.client.enabled=true",
                "--orleans.client.gateways=" + cluster.gateway(0) + "," + cluster.gateway(1),
                "--orleans.client.cluster-id=not-" + cluster.clusterId(),
                "--spring.datasource.url=jdbc:h2:mem:dictionary-wrong-client"};
        assertThatThrownBy(() -> SpringApplication.run(DictionaryApplication.class, args).close())
                .satisfies(failure -> {
                    Throwable named = null;
                    for (Throwable t = failure; t != null && named == null; t = t.getCause()) {
                        if (t.getMessage() != null && t.getMessage().contains("not-" + cluster.clusterId())
                                && t.getMessage().replace("not-" + cluster.clusterId(), "").contains(cluster.clusterId())) {
                            named = t;
                        }
                    }
                    System.out.println("WRONG CLUSTER ID: startup failed: " + (named != null ? named : failure));
                    assertThat(named).as("a cause naming both cluster ids, in %s", failure).isNotNull();
                });
        assertThat(curl("PUT", cluster.base(0) + "/entries/kiwi", "a hairy fruit").statusCode()).isEqualTo(204);
        assertThat(curl("GET", cluster.base(1) + "/entries/kiwi", null).body()).isEqualTo("a hairy fruit");
    }
}
