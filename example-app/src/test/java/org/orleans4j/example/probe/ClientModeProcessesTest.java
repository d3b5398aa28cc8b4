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
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The dictionary service in client mode: two silo JVMs on a real PostgreSQL, each with a gateway,
 * and the same application started as a cluster client JVM that hosts no grains and serves its REST
 * API by calling the cluster through both gateways. Prints the requests and responses, curl style.
 * One cluster for the whole class; the last test kills a silo.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ClientModeProcessesTest {

    private final HttpClient http = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5))
            .build();
    private final JsonMapper json = JsonMapper.builder().build();
    private final List<JvmProcess> clients = new ArrayList<>();
    private ProbeCluster cluster;
    /** The client with configured gateways, started by the first test. */
    private String client;

    @TempDir
    static Path logs;

    @BeforeAll
    void startCluster() throws Exception {
        cluster = ProbeCluster.start(2, logs);
        cluster.awaitAllActive();
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
        List<String> args = new ArrayList<>(List.of(
                "--server.port=" + port,
                "--orleans.client.enabled=true",
                "--orleans.cluster.cluster-id=" + cluster.clusterId(),
                "--management.endpoint.health.show-details=always"));
        args.addAll(List.of(extraArgs));
        JvmProcess client = JvmProcess.builder(DictionaryApplication.class.getName())
                .name(name)
                .jvmOptions("-Xmx256m", "-XX:TieredStopAtLevel=1", "-Xshare:auto")
                .args(args.toArray(String[]::new))
                .logFile(logs.resolve(name + ".log"))
                .build();
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
        client = startClient(
                "client",
                "--orleans.client.gateways=" + gateways,
                "--spring.datasource.url=jdbc:h2:mem:dictionary-client");
        System.out.println("CLIENT MODE: silos at " + cluster.base(0) + " and " + cluster.base(1) + ", gateways "
                + gateways + ", client at " + client);

        assertThat(curl("PUT", client + "/entries/apple", "a fruit").statusCode())
                .isEqualTo(204);
        assertThat(curl("PUT", client + "/entries/pear", "another fruit").statusCode())
                .isEqualTo(204);
        HttpResponse<String> apple = curl("GET", client + "/entries/apple", null);
        assertThat(apple.statusCode()).isEqualTo(200);
        assertThat(apple.body()).isEqualTo("a fruit");
        assertThat(curl("GET", client + "/entries/plum", null).statusCode()).isEqualTo(404);
        // The silos see what the client wrote, whichever hosts the grain.
        for (int silo = 0; silo < 2; silo++) {
            assertThat(curl("GET", cluster.base(silo) + "/entries/apple", null).body())
                    .isEqualTo("a fruit");
            assertThat(curl("GET", cluster.base(silo) + "/entries/pear", null).body())
                    .isEqualTo("another fruit");
        }
        int hosting = 0;
        for (int silo = 0; silo < 2; silo++) {
            if (Boolean.parseBoolean(cluster.get(silo, "/probe/activation/apple"))) {
                hosting++;
            }
        }
        assertThat(hosting).as("one activation of apple, on a silo").isEqualTo(1);
        assertThat(curl("PUT", cluster.base(1) + "/entries/apple", "a red fruit")
                        .statusCode())
                .isEqualTo(204);
        assertThat(curl("GET", client + "/entries/apple", null).body()).isEqualTo("a red fruit");

        HttpResponse<String> readiness = curl("GET", client + "/actuator/health/readiness", null);
        assertThat(readiness.statusCode()).isEqualTo(200);
        JsonNode orleans = orleansHealth(readiness);
        assertThat(orleans.path("status").asString()).isEqualTo("UP");
        assertThat(orleans.path("details").path("mode").asString()).isEqualTo("client");
        assertThat(orleans.path("details").path("clusterId").asString()).isEqualTo(cluster.clusterId());
        assertThat(gateways(orleans)).containsExactlyInAnyOrder(cluster.gateway(0), cluster.gateway(1));
        assertThat(curl("GET", client + "/actuator/orleans", null).statusCode())
                .as("no silo, so no orleans endpoint")
                .isEqualTo(404);
    }

    @Test
    @Order(4)
    void theClientGoesOnThroughTheOtherGatewayWhenASiloDies() throws Exception {
        assertThat(client).as("started by the first test").isNotNull();
        String dead = cluster.address(0);
        // A silo dies: the client drops its gateway at once and goes on through the other one.
        long killedAt = System.nanoTime();
        cluster.silo(0).kill();
        await().atMost(Duration.ofSeconds(30))
                .pollInterval(Duration.ofMillis(100))
                .until(
                        () -> gateways(orleansHealth(quietGet(client + "/actuator/health/readiness"))),
                        gateways -> gateways.equals(List.of(cluster.gateway(1))));
        System.out.println("MEASURED: the client's health listed only the surviving gateway " + millisSince(killedAt)
                + " ms after kill -9 of silo-0");
        // Grains that lived on the dead silo are unreachable (calls retried, then failed) until the
        // cluster declares it Dead; then they are activated on the survivor with their state.
        await().atMost(Duration.ofSeconds(30))
                .pollInterval(Duration.ofMillis(200))
                .until(() -> cluster.statusOf(1, dead), "DEAD"::equals);
        System.out.println("MEASURED: silo-0 declared Dead " + millisSince(killedAt) + " ms after kill -9");
        assertThat(curl("GET", client + "/entries/apple", null).body()).isEqualTo("a red fruit");
        assertThat(curl("GET", client + "/entries/pear", null).body()).isEqualTo("another fruit");
        assertThat(curl("PUT", client + "/entries/plum", "a stone fruit").statusCode())
                .isEqualTo(204);
        assertThat(curl("GET", cluster.base(1) + "/entries/plum", null).body()).isEqualTo("a stone fruit");
        HttpResponse<String> readiness = curl("GET", client + "/actuator/health/readiness", null);
        assertThat(readiness.statusCode()).isEqualTo(200);
        assertThat(gateways(orleansHealth(readiness))).containsExactly(cluster.gateway(1));
    }

    private static long millisSince(long nanos) {
        return (System.nanoTime() - nanos) / 1_000_000;
    }

    private HttpResponse<String> quietGet(String url) throws Exception {
        return http.send(
                HttpRequest.newBuilder(URI.create(url))
                        .timeout(ProbeCluster.HTTP_TIMEOUT)
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    /** The {@code orleans} component of an {@code /actuator/health} (or health group) response. */
    private JsonNode orleansHealth(HttpResponse<String> health) {
        return json.readTree(health.body()).path("components").path("orleans");
    }

    private static List<String> gateways(JsonNode orleans) {
        List<String> gateways = new ArrayList<>();
        orleans.path("details").path("connectedGateways").forEach(gateway -> gateways.add(gateway.asString()));
        return gateways;
    }

    @Test
    @Order(2)
    void aClientFindsTheGatewaysInTheMembershipTable() throws Exception {
        String client = startClient(
                "table-client",
                "--spring.datasource.url=" + cluster.jdbcUrl(),
                "--spring.datasource.username=postgres",
                "--spring.datasource.password=");
        assertThat(curl("PUT", client + "/entries/fig", "a soft fruit").statusCode())
                .isEqualTo(204);
        assertThat(curl("GET", cluster.base(0) + "/entries/fig", null).body()).isEqualTo("a soft fruit");
        assertThat(gateways(orleansHealth(curl("GET", client + "/actuator/health/readiness", null))))
                .containsExactlyInAnyOrder(cluster.gateway(0), cluster.gateway(1));
    }

    @Test
    @Order(3)
    void aClientOfAnotherClusterFailsToStartNamingItsClusterIdButLearningNoneOfTheClusters() throws Exception {
        String[] args = {
            "--server.port=0",
            "--orleans.client.enabled=true",
            "--orleans.client.gateways=" + cluster.gateway(0) + "," + cluster.gateway(1),
            "--orleans.client.cluster-id=not-" + cluster.clusterId(),
            "--spring.datasource.url=jdbc:h2:mem:dictionary-wrong-client"
        };
        assertThatThrownBy(() ->
                        SpringApplication.run(DictionaryApplication.class, args).close())
                .satisfies(failure -> {
                    Throwable named = null;
                    for (Throwable t = failure; t != null && named == null; t = t.getCause()) {
                        if (t.getMessage() != null
                                && t.getMessage().contains("does not serve service")
                                && t.getMessage().contains("cluster 'not-" + cluster.clusterId() + "'")) {
                            named = t;
                        }
                    }
                    System.out.println("WRONG CLUSTER ID: startup failed: " + (named != null ? named : failure));
                    assertThat(named)
                            .as("a cause naming the client's cluster id, in %s", failure)
                            .isNotNull();
                    assertThat(named.getMessage().replace("not-" + cluster.clusterId(), ""))
                            .as("the gateway disclosed no ids")
                            .doesNotContain(cluster.clusterId());
                });
        assertThat(curl("PUT", cluster.base(0) + "/entries/kiwi", "a hairy fruit")
                        .statusCode())
                .isEqualTo(204);
        assertThat(curl("GET", cluster.base(1) + "/entries/kiwi", null).body()).isEqualTo("a hairy fruit");
    }
}
