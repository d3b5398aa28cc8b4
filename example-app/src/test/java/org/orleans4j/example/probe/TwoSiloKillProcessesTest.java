package org.orleans4j.example.probe;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.h2.tools.Server;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.orleans4j.client.ClusterClient;
import org.orleans4j.cluster.ClusterOptions;
import org.orleans4j.example.dictionary.DictionaryApplication;
import org.orleans4j.example.dictionary.EntryGrain;
import org.orleans4j.testing.FreePorts;
import org.orleans4j.testing.JvmProcess;

/**
 * The README's two-silo setup as a user runs it, with default settings: an H2 server in a process of
 * its own holds the database, two silos of the example app share it. Words are written through a
 * cluster client, then one silo is killed with {@code kill -9} and restarted on the same ports, and
 * every word is read back through the client. Alternates the victim; prints a {@code MEASURED:} line.
 */
class TwoSiloKillProcessesTest {

    /** Rounds of write, kill and read (alternating victims): 5 kills per silo, what issue 12 accepts; about 70 s. */
    private static final int ROUNDS = Integer.getInteger("kill.rounds", 10);

    private static final int WORDS = 10;

    @TempDir
    Path data;

    @Test
    void killingEitherSiloLosesNoAcknowledgedWrite() throws Exception {
        Path logs = Path.of("target", "process-logs", "two-silo-kill-" + System.currentTimeMillis());
        Files.createDirectories(logs);
        int[] ports = FreePorts.allocate(7);
        Server h2 = Server.createTcpServer(
                        "-tcp", "-tcpPort", Integer.toString(ports[6]), "-ifNotExists", "-baseDir", data.toString())
                .start();
        String url = "jdbc:h2:tcp://127.0.0.1:" + ports[6] + "/dictionary";
        List<JvmProcess> silos = new ArrayList<>();
        int lost = 0;
        long longestUnreadable = 0;
        try {
            for (int i = 0; i < 2; i++) {
                silos.add(start(i, ports, url, logs, 0));
            }
            for (JvmProcess silo : silos) {
                awaitStarted(silo);
            }
            try (ClusterClient client = ClusterClient.builder()
                    .clusterOptions(new ClusterOptions("dictionary", "dev"))
                    .staticGateways(List.of("127.0.0.1:" + ports[4], "127.0.0.1:" + ports[5]))
                    .build()) {
                client.connect();
                await().atMost(Duration.ofSeconds(30))
                        .until(() -> client.connectedGateways().size() == 2);
                for (int round = 0; round < ROUNDS; round++) {
                    int victim = round % 2;
                    Map<String, String> written = new LinkedHashMap<>();
                    for (int w = 0; w < WORDS; w++) {
                        String word = "r" + round + "w" + w;
                        String definition = "definition " + round + "." + w;
                        client.grainFactory()
                                .getGrain(EntryGrain.class, word)
                                .setDefinition(definition)
                                .get(30, TimeUnit.SECONDS);
                        written.put(word, definition);
                    }
                    silos.get(victim).kill();
                    long killed = System.nanoTime();
                    JvmProcess restarted = start(victim, ports, url, logs, round + 1);
                    silos.set(victim, restarted);
                    Map<String, String> read = new LinkedHashMap<>();
                    await().atMost(Duration.ofSeconds(90))
                            .pollInterval(Duration.ofMillis(200))
                            .until(() -> {
                                for (String word : written.keySet()) {
                                    if (!read.containsKey(word)) {
                                        try {
                                            read.put(
                                                    word,
                                                    client.grainFactory()
                                                            .getGrain(EntryGrain.class, word)
                                                            .getDefinition()
                                                            .get(30, TimeUnit.SECONDS));
                                        } catch (Exception unreachableYet) {
                                            return false;
                                        }
                                    }
                                }
                                return true;
                            });
                    longestUnreadable = Math.max(longestUnreadable, System.nanoTime() - killed);
                    for (Map.Entry<String, String> word : written.entrySet()) {
                        if (!word.getValue().equals(read.get(word.getKey()))) {
                            lost++;
                        }
                    }
                    awaitStarted(restarted);
                }
            }
            System.out.printf(
                    "MEASURED: %d rounds of %d words and kill -9 of silo 0 and 1 in turn: %d lost; all read"
                            + " back within %d ms of a kill at most%n",
                    ROUNDS, WORDS, lost, TimeUnit.NANOSECONDS.toMillis(longestUnreadable));
            assertThat(lost).as("acknowledged writes lost").isZero();
        } finally {
            silos.forEach(JvmProcess::close);
            h2.stop();
        }
    }

    private static JvmProcess start(int index, int[] ports, String url, Path logs, int generation) {
        List<String> options = new ArrayList<>(List.of("-Xmx256m", "-XX:TieredStopAtLevel=1", "-Xshare:auto"));
        if (Runtime.version().feature() >= 23) {
            options.add("--sun-misc-unsafe-memory-access=allow");
        }
        return JvmProcess.builder(DictionaryApplication.class.getName())
                .name("silo-" + index + "-" + generation)
                .jvmOptions(options.toArray(String[]::new))
                .args(
                        "--server.port=" + ports[index],
                        "--orleans.endpoints.silo-port=" + ports[2 + index],
                        "--orleans.endpoints.gateway-port=" + ports[4 + index],
                        "--orleans.endpoints.advertised-address=127.0.0.1",
                        "--spring.datasource.url=" + url)
                .logFile(logs.resolve("silo-" + index + "-" + generation + ".log"))
                .start();
    }

    private static void awaitStarted(JvmProcess silo) {
        silo.awaitLogLine(Pattern.compile("Started DictionaryApplication"), Duration.ofSeconds(90));
    }
}
