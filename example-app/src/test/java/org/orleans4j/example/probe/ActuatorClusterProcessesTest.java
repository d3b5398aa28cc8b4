package org.orleans4j.example.probe;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The {@code orleans} Actuator endpoint of three silo JVMs on one PostgreSQL: every silo's
 * {@code /actuator/orleans/membership} agrees; after {@code kill -9} of one, the survivors report it
 * Dead; and on every silo the per-silo activation figures add up to the cluster totals, which all
 * silos agree on and which match the silos' own live counts.
 */
class ActuatorClusterProcessesTest {

    private static final int WORDS = 60;
    private static final int KILLED = 2;
    private static final List<Integer> SURVIVORS = List.of(0, 1);
    private static final Duration AGREEMENT = Duration.ofSeconds(20);

    private final JsonMapper json = JsonMapper.builder().build();
    private ProbeCluster cluster;

    /** Kept when the test fails, for the silos' logs. */
    @TempDir(cleanup = CleanupMode.ON_SUCCESS)
    Path logs;

    @BeforeEach
    void startCluster() throws Exception {
        cluster = ProbeCluster.start(3, logs, "--management.endpoints.web.exposure.include=health,orleans");
    }

    @AfterEach
    void stopCluster() {
        if (cluster != null) {
            cluster.close();
        }
    }

    private JsonNode read(int silo, String path) throws Exception {
        HttpResponse<String> response = cluster.send(
                silo,
                HttpRequest.newBuilder(URI.create(cluster.base(silo) + path)).GET());
        assertThat(response.statusCode())
                .as("GET %s on silo %d: %s", path, silo, response.body())
                .isEqualTo(200);
        return json.readTree(response.body());
    }

    /** Silo address → status, as silo {@code silo}'s membership section lists them. */
    private Map<String, String> membership(int silo) throws Exception {
        Map<String, String> statuses = new TreeMap<>();
        for (JsonNode member : read(silo, "/actuator/orleans/membership").path("silos")) {
            statuses.put(
                    member.path("address").asString(), member.path("status").asString());
        }
        return statuses;
    }

    @Test
    void membershipAgreesDeadIsReportedAndActivationsAddUp() throws Exception {
        for (int i = 0; i < WORDS; i++) {
            assertThat(cluster.put(i % 3, "word-" + i, "definition " + i)).isEqualTo(204);
        }
        List<String> addresses = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            addresses.add(cluster.address(i));
        }
        String killed = addresses.get(KILLED);

        await().atMost(AGREEMENT).pollInterval(Duration.ofMillis(250)).untilAsserted(() -> {
            Map<String, String> first = membership(0);
            assertThat(first)
                    .containsOnlyKeys(addresses)
                    .allSatisfy(
                            (address, status) -> assertThat(status).as(address).isEqualTo("ACTIVE"));
            assertThat(membership(1)).isEqualTo(first);
            assertThat(membership(2)).isEqualTo(first);
        });
        awaitActivationsAddUp(List.of(0, 1, 2), addresses);

        long killedAt = System.nanoTime();
        cluster.silo(KILLED).kill();
        await().atMost(AGREEMENT).pollInterval(Duration.ofMillis(250)).untilAsserted(() -> {
            for (int silo : SURVIVORS) {
                assertThat(membership(silo))
                        .as("silo %d's membership", silo)
                        .containsEntry(killed, "DEAD")
                        .containsEntry(addresses.get(0), "ACTIVE")
                        .containsEntry(addresses.get(1), "ACTIVE");
                JsonNode summary = read(silo, "/actuator/orleans");
                assertThat(summary.path("silosByStatus").path("ACTIVE").asInt())
                        .as("silo %d's Active count", silo)
                        .isEqualTo(2);
                assertThat(summary.path("silosByStatus").path("DEAD").asInt())
                        .as("silo %d's Dead count", silo)
                        .isEqualTo(1);
            }
        });
        System.out.println("MEASURED: both survivors' endpoints report silo-" + KILLED + " Dead "
                + (System.nanoTime() - killedAt) / 1_000_000 + " ms after kill -9");
        print(0, "/actuator/orleans/membership");

        // The words of the dead silo come back on the survivors at their next call.
        for (int i = 0; i < WORDS; i++) {
            assertThat(cluster.get(SURVIVORS.get(i % 2), "/entries/word-" + i)).isEqualTo("definition " + i);
        }
        awaitActivationsAddUp(SURVIVORS, addresses);
        print(0, "/actuator/orleans/activations");
        print(0, "/actuator/orleans/placement");
    }

    private void print(int silo, String path) throws Exception {
        System.out.println("$ curl silo-" + silo + path + "\n"
                + json.writerWithDefaultPrettyPrinter().writeValueAsString(read(silo, path)));
    }

    /**
     * Waits until every one of {@code silos} reports, in {@code /actuator/orleans/activations}: exactly
     * those silos, per-silo figures that add up to its totals (overall and per type), {@link #WORDS}
     * entry grains, totals equal to the sum of the silos' live counts, and the same figures as the others.
     */
    private void awaitActivationsAddUp(List<Integer> silos, List<String> addresses) {
        List<String> expected = silos.stream().map(addresses::get).sorted().toList();
        await().atMost(AGREEMENT).pollInterval(Duration.ofMillis(250)).untilAsserted(() -> {
            List<JsonNode> reports = new ArrayList<>();
            int live = 0;
            for (int silo : silos) {
                JsonNode report = read(silo, "/actuator/orleans/activations");
                reports.add(report);
                live += report.path("local").path("activations").asInt();
            }
            Map<String, Integer> firstPerSilo = null;
            for (JsonNode report : reports) {
                Map<String, Integer> perSilo = new TreeMap<>();
                Map<String, Integer> perType = new TreeMap<>();
                int sum = 0;
                for (JsonNode counts : report.path("silos")) {
                    perSilo.put(
                            counts.path("address").asString(),
                            counts.path("activations").asInt());
                    sum += counts.path("activations").asInt();
                    counts.path("activationsByType")
                            .properties()
                            .forEach(e -> perType.merge(e.getKey(), e.getValue().asInt(), Integer::sum));
                }
                Map<String, Integer> totalsByType = new TreeMap<>();
                report.path("activationsByType")
                        .properties()
                        .forEach(e -> totalsByType.put(e.getKey(), e.getValue().asInt()));
                assertThat(perSilo.keySet()).containsExactlyInAnyOrderElementsOf(expected);
                assertThat(sum)
                        .as("per-silo activations add up")
                        .isEqualTo(report.path("totalActivations").asInt());
                assertThat(perType).as("per-silo counts per type add up").isEqualTo(totalsByType);
                assertThat(totalsByType).containsEntry("entry", WORDS);
                assertThat(sum).as("published total vs the silos' live counts").isEqualTo(live);
                if (firstPerSilo == null) {
                    firstPerSilo = perSilo;
                } else {
                    assertThat(perSilo).as("the silos agree").isEqualTo(firstPerSilo);
                }
            }
            System.out.println("activations per silo (" + silos.size() + " silos agree): " + firstPerSilo);
        });
    }
}
