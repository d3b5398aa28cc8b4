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
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.orleans4j.cluster.SiloStatus;
import org.orleans4j.runtime.Silo;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * The dictionary service as the Helm chart runs it: Actuator on a port of its own
 * ({@code management.server.port}, env {@code MANAGEMENT_SERVER_PORT}) with the application's own
 * exposure settings. The probes' health groups and the {@code orleans} endpoint answer there, the
 * application port serves the REST API and no Actuator, and on shutdown readiness turns
 * OUT_OF_SERVICE on the management port while the REST API still answers.
 */
class ManagementPortTest {

    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @TempDir
    Path data;

    private ConfigurableApplicationContext start() {
        return SpringApplication.run(
                DictionaryApplication.class,
                "--server.port=0",
                "--management.server.port=0",
                "--orleans.endpoints.silo-port=0",
                "--orleans.endpoints.gateway-port=0",
                "--spring.datasource.url=jdbc:h2:file:" + data.resolve("dictionary") + ";AUTO_SERVER=TRUE",
                "--management.endpoint.health.show-details=always",
                "--orleans.shutdown.readiness-delay=3s");
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
    void actuatorAnswersOnTheManagementPortOnlyAndReadinessDrainsThereOnShutdown() throws Exception {
        ConfigurableApplicationContext context = start();
        try {
            int appPort = ((WebServerApplicationContext) context).getWebServer().getPort();
            Integer managementPort = context.getEnvironment().getProperty("local.management.port", Integer.class);
            assertThat(managementPort)
                    .as("Actuator runs on a port of its own")
                    .isNotNull()
                    .isNotEqualTo(appPort);
            String app = "http://127.0.0.1:" + appPort;
            String management = "http://127.0.0.1:" + managementPort;

            HttpResponse<String> readiness = get(management + "/actuator/health/readiness");
            assertThat(readiness.statusCode()).isEqualTo(200);
            assertThat(readiness.body()).contains("\"orleans\"").contains("\"status\":\"ACTIVE\"");
            HttpResponse<String> liveness = get(management + "/actuator/health/liveness");
            assertThat(liveness.statusCode()).isEqualTo(200);
            assertThat(liveness.body()).contains("\"status\":\"UP\"");
            HttpResponse<String> orleans = get(management + "/actuator/orleans");
            System.out.println(
                    "GET :" + managementPort + "/actuator/orleans -> " + orleans.statusCode() + " " + orleans.body());
            assertThat(orleans.statusCode()).as("exposed by application.yml").isEqualTo(200);
            assertThat(orleans.body()).contains("\"dictionary\"");

            for (String path : new String[] {"/actuator/health", "/actuator/health/readiness", "/actuator/orleans"}) {
                assertThat(get(app + path).statusCode())
                        .as("GET %s on the application port", path)
                        .isEqualTo(404);
            }
            assertThat(put(app + "/entries/quince", "a fruit")).isEqualTo(204);
            assertThat(get(app + "/entries/quince").body()).isEqualTo("a fruit");
            assertThat(get(management + "/entries/quince").statusCode())
                    .as("no REST API on the management port")
                    .isEqualTo(404);

            Silo silo = context.getBean(Silo.class);
            // What the JVM's shutdown hook does on SIGTERM.
            CompletableFuture<Void> closing = CompletableFuture.runAsync(context::close);
            await().atMost(Duration.ofSeconds(3))
                    .pollInterval(Duration.ofMillis(50))
                    .until(() -> get(management + "/actuator/health/readiness").statusCode() == 503);
            assertThat(get(management + "/actuator/health/readiness").body()).contains("\"status\":\"OUT_OF_SERVICE\"");
            assertThat(silo.status()).isEqualTo(SiloStatus.ACTIVE);
            assertThat(get(app + "/entries/quince").body())
                    .as("still serving during the readiness delay")
                    .isEqualTo("a fruit");
            closing.get(30, TimeUnit.SECONDS);
            assertThat(silo.status()).isEqualTo(SiloStatus.DEAD);
        } finally {
            context.close();
        }
    }
}
