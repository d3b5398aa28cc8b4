package org.orleans4j.example.dictionary;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The {@code orleans} Actuator endpoint of the running dictionary service, over HTTP: after 100
 * distinct words, {@code /actuator/orleans/activations} counts at least 100 entry grains and the
 * membership lists this silo Active. Prints each response, as curl would show it.
 */
class ActuatorEndpointTest {

    private static final Duration PUBLISHED = Duration.ofSeconds(15);

    private final HttpClient http = HttpClient.newHttpClient();
    private final JsonMapper json = JsonMapper.builder().build();

    @TempDir
    Path data;

    private HttpResponse<String> get(String base, String path) throws Exception {
        return http.send(
                HttpRequest.newBuilder(URI.create(base + path)).GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    private int put(String base, String word, String definition) throws Exception {
        return http.send(
                        HttpRequest.newBuilder(URI.create(base + "/entries/" + word))
                                .header("Content-Type", "text/plain")
                                .PUT(HttpRequest.BodyPublishers.ofString(definition))
                                .build(),
                        HttpResponse.BodyHandlers.ofString())
                .statusCode();
    }

    private JsonNode read(String base, String path) throws Exception {
        HttpResponse<String> response = get(base, path);
        assertThat(response.statusCode()).as("GET %s", path).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type"))
                .hasValueSatisfying(type -> assertThat(type).contains("json"));
        return json.readTree(response.body());
    }

    private void print(String path, JsonNode body) {
        System.out.println("$ curl localhost:8080" + path + "\n"
                + json.writerWithDefaultPrettyPrinter().writeValueAsString(body));
    }

    @Test
    void activationsMembershipPlacementAndSummaryOverHttp() throws Exception {
        try (ConfigurableApplicationContext context = SpringApplication.run(
                DictionaryApplication.class,
                "--server.port=0",
                "--orleans.endpoints.silo-port=0",
                "--orleans.endpoints.gateway-port=0",
                "--orleans.silo.name=dictionary-1",
                "--spring.datasource.url=jdbc:h2:file:" + data.resolve("dictionary") + ";AUTO_SERVER=TRUE")) {
            String base = "http://127.0.0.1:"
                    + ((WebServerApplicationContext) context).getWebServer().getPort();
            for (int i = 0; i < 100; i++) {
                assertThat(put(base, "word-" + i, "definition " + i)).isEqualTo(204);
                assertThat(get(base, "/entries/word-" + i).body()).isEqualTo("definition " + i);
            }

            // The cluster figures are the counts silos publish each second: wait for one after the calls.
            JsonNode activations = await().atMost(PUBLISHED)
                    .pollInterval(Duration.ofMillis(200))
                    .until(
                            () -> read(base, "/actuator/orleans/activations"),
                            body -> body.path("activationsByType").path("entry").asInt() >= 100);
            print("/actuator/orleans/activations", activations);
            assertThat(activations.path("totalActivations").asInt()).isGreaterThanOrEqualTo(100);
            assertThat(activations
                            .path("local")
                            .path("activationsByType")
                            .path("entry")
                            .asInt())
                    .isEqualTo(100);
            JsonNode published = activations.path("silos").get(0);
            assertThat(activations.path("silos")).hasSize(1);
            assertThat(published.path("activations").asInt())
                    .isEqualTo(activations.path("totalActivations").asInt());
            assertThat(Instant.parse(published.path("receivedAt").asString()))
                    .isBefore(Instant.now().plusSeconds(1));

            JsonNode membership = read(base, "/actuator/orleans/membership");
            print("/actuator/orleans/membership", membership);
            assertThat(membership.path("source").asString()).isEqualTo("table");
            assertThat(membership.path("silos")).hasSize(1);
            JsonNode self = membership.path("silos").get(0);
            assertThat(self.path("name").asString()).isEqualTo("dictionary-1");
            assertThat(self.path("status").asString()).isEqualTo("ACTIVE");
            assertThat(Instant.parse(self.path("iAmAliveTime").asString())).isNotNull();
            assertThat(Instant.parse(self.path("startTime").asString())).isNotNull();

            JsonNode summary = read(base, "/actuator/orleans");
            print("/actuator/orleans", summary);
            assertThat(summary.path("silo").path("address").asString())
                    .isEqualTo(self.path("address").asString());
            assertThat(summary.path("silo").path("status").asString()).isEqualTo("ACTIVE");
            assertThat(summary.path("serviceId").asString()).isEqualTo("dictionary");
            assertThat(summary.path("clusterId").asString()).isEqualTo("dev");
            assertThat(summary.path("silosByStatus").path("ACTIVE").asInt()).isEqualTo(1);
            assertThat(summary.path("totalActivations").asInt()).isGreaterThanOrEqualTo(100);

            JsonNode placement = read(base, "/actuator/orleans/placement");
            print("/actuator/orleans/placement", placement);
            assertThat(placement.path("defaultStrategy").asString()).isEqualTo("RandomPlacement");
            assertThat(placement
                            .path("grainTypes")
                            .path("entry")
                            .path("strategy")
                            .asString())
                    .isEqualTo("HashBasedPlacement");
            assertThat(placement.path("silos").get(0).path("address").asString())
                    .isEqualTo(self.path("address").asString());

            assertThat(get(base, "/actuator/orleans/nothing").statusCode())
                    .as("an unknown section")
                    .isEqualTo(404);
            JsonNode readiness = read(base, "/actuator/health/readiness");
            print("/actuator/health/readiness", readiness);
            assertThat(readiness.path("status").asString()).isEqualTo("UP");
        }
    }
}
