package org.orleans4j.example.probe;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Three silo JVMs of the dictionary service on a real PostgreSQL: a word called through any silo
 * has one activation in the cluster; after {@code kill -9} of the silo hosting it, the others
 * declare that silo Dead and the next call activates the word elsewhere with its stored definition.
 */
class ClusterProcessesTest {

    private ProbeCluster cluster;

    @TempDir
    Path logs;

    @BeforeEach
    void startCluster() throws Exception {
        // No wait for the silos to agree on the membership: one activation per word holds while they join.
        cluster = ProbeCluster.start(3, logs);
    }

    @AfterEach
    void stopCluster() {
        if (cluster != null) {
            cluster.close();
        }
    }

    private String get(int silo, String path) throws Exception {
        return cluster.get(silo, path);
    }

    private int put(int silo, String word, String definition) throws Exception {
        return cluster.put(silo, word, definition);
    }

    private int activationsOf(String word, List<Integer> among) throws Exception {
        int count = 0;
        for (int i : among) {
            if (Boolean.parseBoolean(get(i, "/probe/activation/" + word))) {
                count++;
            }
        }
        return count;
    }

    @Test
    void oneActivationAcrossSilosAndRecoveryAfterKill9() throws Exception {
        assertThat(put(0, "apple", "a fruit")).isEqualTo(204);
        for (int i = 0; i < 3; i++) {
            assertThat(get(i, "/entries/apple")).isEqualTo("a fruit");
        }
        assertThat(activationsOf("apple", List.of(0, 1, 2)))
                .as("activations of apple in the cluster")
                .isEqualTo(1);

        int host = -1;
        for (int i = 0; i < 3; i++) {
            if (Boolean.parseBoolean(get(i, "/probe/activation/apple"))) {
                host = i;
            }
        }
        String hostAddress = cluster.address(host);
        List<Integer> survivors = new ArrayList<>(List.of(0, 1, 2));
        survivors.remove(Integer.valueOf(host));

        long killedAt = System.nanoTime();
        cluster.silo(host).kill();
        await().atMost(Duration.ofSeconds(15))
                .pollInterval(Duration.ofMillis(200))
                .until(() -> {
                    for (int i : survivors) {
                        if (!"DEAD".equals(get(i, "/probe/status/" + hostAddress))) {
                            return false;
                        }
                    }
                    return true;
                });
        long deadAfterMillis = (System.nanoTime() - killedAt) / 1_000_000;
        System.out.println("MEASURED: silo " + hostAddress + " declared Dead by both survivors " + deadAfterMillis
                + " ms after kill -9");

        assertThat(get(survivors.get(0), "/entries/apple")).isEqualTo("a fruit");
        assertThat(get(survivors.get(1), "/entries/apple")).isEqualTo("a fruit");
        assertThat(activationsOf("apple", survivors))
                .as("activations of apple after the kill")
                .isEqualTo(1);
        assertThat(put(survivors.get(1), "apple", "a red fruit")).isEqualTo(204);
        assertThat(get(survivors.get(0), "/entries/apple")).isEqualTo("a red fruit");
    }
}
