package org.orleans4j.example.dictionary;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.orleans4j.cluster.SiloStatus;
import org.orleans4j.runtime.Silo;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * The probes of a running silo over HTTP, outside Kubernetes: liveness and readiness answer, the
 * readiness group follows the silo's status, and on shutdown readiness reports OUT_OF_SERVICE while
 * the silo still takes calls ({@code orleans.shutdown.readiness-delay}).
 */
class ReadinessProbesTest {

    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @TempDir
    Path data;

    private ConfigurableApplicationContext start(String... more) {
        return startOn("jdbc:h2:file:" + data.resolve("dictionary") + ";AUTO_SERVER=TRUE", more);
    }

    private ConfigurableApplicationContext startOn(String databaseUrl, String... more) {
        String[] base = {
            "--server.port=0",
            "--orleans.endpoints.silo-port=0",
            "--orleans.endpoints.gateway-port=0",
            "--spring.datasource.url=" + databaseUrl,
            "--management.endpoint.health.show-details=always"
        };
        String[] args = new String[base.length + more.length];
        System.arraycopy(base, 0, args, 0, base.length);
        System.arraycopy(more, 0, args, base.length, more.length);
        return SpringApplication.run(DictionaryApplication.class, args);
    }

    private static String base(ConfigurableApplicationContext context) {
        return "http://127.0.0.1:"
                + ((WebServerApplicationContext) context).getWebServer().getPort();
    }

    private HttpResponse<String> get(String url) throws Exception {
        return http.send(
                HttpRequest.newBuilder(URI.create(url))
                        .timeout(Duration.ofSeconds(10))
                        .GET()
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private int put(String url, String body) throws Exception {
        return http.send(
                        HttpRequest.newBuilder(URI.create(url))
                                .timeout(Duration.ofSeconds(10))
                                .header("Content-Type", "text/plain")
                                .PUT(HttpRequest.BodyPublishers.ofString(body))
                                .build(),
                        HttpResponse.BodyHandlers.ofString())
                .statusCode();
    }

    @Test
    void readinessIncludesTheSiloAndLivenessNothingExternal() throws Exception {
        try (ConfigurableApplicationContext context = start()) {
            String base = base(context);
            HttpResponse<String> readiness = get(base + "/actuator/health/readiness");
            System.out.println("GET /actuator/health/readiness -> " + readiness.statusCode() + " " + readiness.body());
            assertThat(readiness.statusCode()).isEqualTo(200);
            assertThat(readiness.body())
                    .contains("\"orleans\"")
                    .contains("\"readinessState\"")
                    .contains("\"status\":\"ACTIVE\"")
                    .contains("\"clusterSize\":1")
                    .contains("\"orleansStorage\"")
                    .contains("\"database\":\"reachable\"");
            HttpResponse<String> liveness = get(base + "/actuator/health/liveness");
            System.out.println("GET /actuator/health/liveness -> " + liveness.statusCode() + " " + liveness.body());
            assertThat(liveness.statusCode()).isEqualTo(200);
            assertThat(liveness.body())
                    .contains("\"status\":\"UP\"")
                    .doesNotContain("\"orleans\"")
                    .doesNotContain("\"orleansStorage\"")
                    .doesNotContain("\"db\"");
        }
    }

    @Test
    void onShutdownReadinessIsOutOfServiceWhileTheSiloStillTakesCalls() throws Exception {
        ConfigurableApplicationContext context = start("--orleans.shutdown.readiness-delay=3s");
        String base = base(context);
        Silo silo = context.getBean(Silo.class);
        assertThat(put(base + "/entries/pear", "a fruit")).isEqualTo(204);

        // What the JVM's shutdown hook does on SIGTERM.
        CompletableFuture<Void> closing = CompletableFuture.runAsync(context::close);

        await().atMost(Duration.ofSeconds(3))
                .pollInterval(Duration.ofMillis(50))
                .until(() -> get(base + "/actuator/health/readiness").statusCode() == 503);
        HttpResponse<String> readiness = get(base + "/actuator/health/readiness");
        System.out.println("During shutdown: GET /actuator/health/readiness -> " + readiness.statusCode() + " "
                + readiness.body());
        assertThat(readiness.body()).contains("\"status\":\"OUT_OF_SERVICE\"");
        // Still serving: the silo is Active, grains answer and take writes.
        assertThat(silo.status()).isEqualTo(SiloStatus.ACTIVE);
        assertThat(get(base + "/entries/pear").body()).isEqualTo("a fruit");
        assertThat(put(base + "/entries/plum", "a stone fruit")).isEqualTo(204);

        closing.get(30, java.util.concurrent.TimeUnit.SECONDS);
        assertThat(silo.status()).isEqualTo(SiloStatus.DEAD);
    }

    /**
     * With the default settings, readiness follows the database: the silo's H2 server stops (its port
     * refuses connections), readiness turns OUT_OF_SERVICE with the reason while an entry already
     * active is still served from memory and a PUT fails, and it is UP again once the server is back.
     */
    @Test
    void readinessIsOutOfServiceWhileTheDatabaseIsGoneAndUpWhenItIsBack() throws Exception {
        int dbPort;
        try (java.net.ServerSocket free = new java.net.ServerSocket(0)) {
            dbPort = free.getLocalPort();
        }
        String[] serverArgs = {"-tcpPort", Integer.toString(dbPort), "-ifNotExists", "-baseDir", data.toString()};
        org.h2.tools.Server database =
                org.h2.tools.Server.createTcpServer(serverArgs).start();
        try (ConfigurableApplicationContext context = startOn("jdbc:h2:tcp://127.0.0.1:" + dbPort + "/dictionary")) {
            String base = base(context);
            assertThat(put(base + "/entries/pear", "a fruit")).isEqualTo(204);
            assertThat(get(base + "/actuator/health/readiness").statusCode()).isEqualTo(200);

            database.stop();
            long stopped = System.nanoTime();
            await().atMost(Duration.ofSeconds(20))
                    .pollInterval(Duration.ofMillis(100))
                    .until(() -> get(base + "/actuator/health/readiness").statusCode() == 503);
            long outOfService = System.nanoTime();
            HttpResponse<String> readiness = get(base + "/actuator/health/readiness");
            System.out.println("Database gone: GET /actuator/health/readiness -> " + readiness.statusCode() + " "
                    + readiness.body());
            assertThat(readiness.body())
                    .contains("\"status\":\"OUT_OF_SERVICE\"")
                    .contains("\"database\":\"unreachable\"")
                    .contains("\"error\"");
            assertThat(get(base + "/entries/pear").body())
                    .as("an active entry is served from memory")
                    .isEqualTo("a fruit");
            assertThat(put(base + "/entries/pear", "a vegetable")).isEqualTo(500);
            assertThat(get(base + "/entries/pear").body())
                    .as("the stored definition")
                    .isEqualTo("a fruit");
            assertThat(get(base + "/actuator/health/liveness").statusCode())
                    .as("liveness ignores the database")
                    .isEqualTo(200);

            database = org.h2.tools.Server.createTcpServer(serverArgs).start();
            long back = System.nanoTime();
            await().atMost(Duration.ofSeconds(30))
                    .pollInterval(Duration.ofMillis(100))
                    .until(() -> get(base + "/actuator/health/readiness").statusCode() == 200);
            long up = System.nanoTime();
            assertThat(put(base + "/entries/pear", "a vegetable")).isEqualTo(204);
            assertThat(get(base + "/entries/pear").body()).isEqualTo("a vegetable");
            System.out.println("MEASURED: H2 server stopped -> readiness 503 after "
                    + Duration.ofNanos(outOfService - stopped).toMillis() + " ms; restarted -> readiness 200 after "
                    + Duration.ofNanos(up - back).toMillis() + " ms (default settings)");
        } finally {
            database.stop();
        }
    }
}
