package org.orleans4j.example.probe;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.orleans4j.testing.FreePorts;
import org.orleans4j.testing.JvmProcess;

/**
 * Three silo JVMs of the dictionary service on a real PostgreSQL: a word called through any silo
 * has one activation in the cluster; after {@code kill -9} of the silo hosting it, the others
 * declare that silo Dead and the next call activates the word elsewhere with its stored definition.
 */
class ClusterProcessesTest {

    private static final Duration START_TIMEOUT = Duration.ofSeconds(120);

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final List<JvmProcess> silos = new ArrayList<>();
    private final List<String> bases = new ArrayList<>();
    private EmbeddedPostgres postgres;

    @TempDir
    Path logs;

    @BeforeEach
    void startCluster() throws Exception {
        postgres = EmbeddedPostgres.builder().start();
        String url = "jdbc:postgresql://127.0.0.1:" + postgres.getPort() + "/postgres";
        String clusterId = "procs-" + UUID.randomUUID();
        int[] ports = FreePorts.allocate(6);
        for (int i = 0; i < 3; i++) {
            JvmProcess silo = JvmProcess.builder(ProbeApplication.class.getName())
                    .name("silo-" + i)
                    .jvmOptions("-Xmx256m", "-XX:TieredStopAtLevel=1", "-Xshare:auto")
                    .args("--server.port=" + ports[i], "--orleans.endpoints.silo-port=" + ports[3 + i],
                            "--orleans.endpoints.advertised-address=127.0.0.1",
                            "--orleans.endpoints.listen-address=127.0.0.1", "--orleans.silo.name=silo-" + i,
                            "--orleans.cluster.cluster-id=" + clusterId, "--spring.datasource.url=" + url,
                            "--spring.datasource.username=postgres", "--spring.datasource.password=",
                            // Test-tuned probing: a silent silo misses 3 probes of 1 s, then 2 votes declare it Dead.
                            "--orleans.clustering.probe-timeout=1s", "--orleans.clustering.missed-probes-limit=3",
                            "--orleans.clustering.i-am-alive-period=2s", "--orleans.clustering.table-refresh-period=2s")
                    .logFile(logs.resolve("silo-" + i + ".log"))
                    .build();
            silos.add(silo);
            bases.add("http://127.0.0.1:" + ports[i]);
            silo.start();
        }
        for (JvmProcess silo : silos) {
            silo.awaitLogLine(Pattern.compile("Started ProbeApplication"), START_TIMEOUT);
        }
    }

    @AfterEach
    void stopCluster() throws Exception {
        silos.forEach(JvmProcess::close);
        if (postgres != null) {
            postgres.close();
        }
    }

    private String get(String base, String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(40)).GET().build(),
                HttpResponse.BodyHandlers.ofString()).body();
    }

    private int put(String base, String word, String definition) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(base + "/entries/" + word)).timeout(Duration.ofSeconds(40))
                .header("Content-Type", "text/plain").PUT(HttpRequest.BodyPublishers.ofString(definition)).build(),
                HttpResponse.BodyHandlers.ofString()).statusCode();
    }

    private int activationsOf(String word, List<Integer> among) throws Exception {
        int count = 0;
        for (int i : among) {
            if (Boolean.parseBoolean(get(bases.get(i), "/probe/activation/" + word))) {
                count++;
            }
        }
        return count;
    }

    @Test
    void oneActivationAcrossSilosAndRecoveryAfterKill9() throws Exception {
        assertThat(put(bases.get(0), "apple", "a fruit")).isEqualTo(204);
        for (String base : bases) {
            assertThat(get(base, "/entries/apple")).isEqualTo("a fruit");
        }
        assertThat(activationsOf("apple", List.of(0, 1, 2))).as("activations of apple in the cluster").isEqualTo(1);

        int host = -1;
        for (int i = 0; i < 3; i++) {
            if (Boolean.parseBoolean(get(bases.get(i), "/probe/activation/apple"))) {
                host = i;
            }
        }
        String hostAddress = get(bases.get(host), "/probe/silo");
        List<Integer> survivors = new ArrayList<>(List.of(0, 1, 2));
        survivors.remove(Integer.valueOf(host));

        long killedAt = System.nanoTime();
        silos.get(host).kill();
        await().atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(200)).until(() -> {
            for (int i : survivors) {
                if (!"DEAD".equals(get(bases.get(i), "/probe/status/" + hostAddress))) {
                    return false;
                }
            }
            return true;
        });
        long deadAfterMillis = (System.nanoTime() - killedAt) / 1_000_000;
        System.out.println("MEASURED: silo " + hostAddress + " declared Dead by both survivors " + deadAfterMillis
                + " ms after kill -9");

        assertThat(get(bases.get(survivors.get(0)), "/entries/apple")).isEqualTo("a fruit");
        assertThat(get(bases.get(survivors.get(1)), "/entries/apple")).isEqualTo("a fruit");
        assertThat(activationsOf("apple", survivors)).as("activations of apple after the kill").isEqualTo(1);
        assertThat(put(bases.get(survivors.get(1)), "apple", "a red fruit")).isEqualTo(204);
        assertThat(get(bases.get(survivors.get(0)), "/entries/apple")).isEqualTo("a red fruit");
    }
}
