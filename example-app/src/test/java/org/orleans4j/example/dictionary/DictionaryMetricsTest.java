package org.orleans4j.example.dictionary;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * The silo's meters over HTTP in the running application: {@code /actuator/prometheus} (with the
 * Prometheus registry on the test classpath) and {@code /actuator/metrics}.
 */
@SpringBootTest(
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {
            "orleans.endpoints.silo-port=0",
            "orleans.endpoints.gateway-port=0",
            "spring.datasource.url=jdbc:h2:mem:dictionary-metrics;DB_CLOSE_DELAY=-1",
            "management.endpoints.web.exposure.include=health,metrics,prometheus"
        })
class DictionaryMetricsTest {

    private static final List<String> WORDS = List.of("apple", "pear", "plum", "quince");

    private final HttpClient http = HttpClient.newHttpClient();

    @LocalServerPort
    int port;

    private HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpRequest.Builder request(String path) {
        return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path));
    }

    private String get(String path) throws Exception {
        HttpResponse<String> response = send(request(path).GET());
        assertThat(response.statusCode()).as("GET " + path).isEqualTo(200);
        return response.body();
    }

    private static double value(String scrape, String series) {
        Matcher matcher =
                Pattern.compile("(?m)^" + Pattern.quote(series) + " (\\S+)$").matcher(scrape);
        assertThat(matcher.find()).as(series + " in\n" + scrape).isTrue();
        return Double.parseDouble(matcher.group(1));
    }

    @Test
    void prometheusAndTheMetricsEndpointShowTheSilosMeters() throws Exception {
        for (String word : WORDS) {
            HttpResponse<String> put = send(request("/entries/" + word)
                    .header("Content-Type", "text/plain")
                    .PUT(HttpRequest.BodyPublishers.ofString("a fruit")));
            assertThat(put.statusCode()).isEqualTo(204);
            assertThat(get("/entries/" + word)).isEqualTo("a fruit");
        }

        String scrape = get("/actuator/prometheus");
        assertThat(value(scrape, "orleans_activations{grain_type=\"entry\"}")).isGreaterThanOrEqualTo(WORDS.size());
        assertThat(value(scrape, "orleans_activations_creations_total{grain_type=\"entry\"}"))
                .isGreaterThanOrEqualTo(WORDS.size());
        assertThat(value(scrape, "orleans_membership_silos{status=\"active\"}")).isEqualTo(1);
        assertThat(scrape)
                .contains(
                        "orleans_messages_rejected_total{reason=\"handshake-mismatch\"}",
                        "orleans_directory_cache_misses_total");
        // The timer is recorded once the caller's future completes, which may be just after the HTTP answer.
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
            String latest = get("/actuator/prometheus");
            assertThat(value(
                            latest,
                            "orleans_grain_calls_seconds_count{grain_type=\"entry\",method=\"setDefinition\","
                                    + "outcome=\"success\"}"))
                    .isEqualTo(WORDS.size());
            assertThat(value(
                            latest,
                            "orleans_grain_calls_seconds_count{grain_type=\"entry\",method=\"getDefinition\","
                                    + "outcome=\"success\"}"))
                    .isEqualTo(WORDS.size());
        });
        assertThat(scrape).doesNotContain("orleans_grain_calls_seconds_bucket");
        for (String word : WORDS) {
            assertThat(scrape).as("grain keys are never labels").doesNotContain("\"" + word + "\"");
        }

        String activations = get("/actuator/metrics/orleans.activations");
        assertThat(activations).contains("\"name\":\"orleans.activations\"", "\"tag\":\"grain.type\"", "\"entry\"");
        Matcher measured = Pattern.compile("\"statistic\":\"VALUE\",\"value\":([0-9.]+)")
                .matcher(get("/actuator/metrics/orleans.activations?tag=grain.type:entry"));
        assertThat(measured.find()).isTrue();
        assertThat(Double.parseDouble(measured.group(1))).isGreaterThanOrEqualTo(WORDS.size());
    }
}
