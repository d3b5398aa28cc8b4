package org.orleans4j.example.probe;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.h2.tools.Server;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.orleans4j.client.ClusterClient;
import org.orleans4j.cluster.ClusterOptions;
import org.orleans4j.example.dictionary.DictionaryApplication;
import org.orleans4j.example.dictionary.EntryGrain;

/**
 * Graceful restarts as an operator does them, with default settings: SIGTERM of a silo, which must
 * write its own row Dead in the membership table on its way out (the row is read as soon as the process
 * has exited, before anything else could declare it), then a restart on the same ports, after which
 * new words are written and read back through a cluster client without a single failure.
 */
class GracefulRestartProcessesTest {

    /** SIGTERM and restart cycles of the two-silo setup; -Drestart.cycles=20 for the acceptance run. */
    private static final int CYCLES = Integer.getInteger("restart.cycles", 4);
    /** SIGTERM and restart cycles of the single silo on the embedded H2 file. */
    private static final int SINGLE_SILO_CYCLES = 2;

    private static final int WORDS = 10;
    /** Well above a graceful stop's default bound (spring.lifecycle.timeout-per-shutdown-phase, 30 s). */
    private static final Duration EXIT_TIMEOUT = Duration.ofSeconds(60);

    private static final Duration CALL_TIMEOUT = Duration.ofSeconds(30);

    @TempDir
    Path data;

    /** The README's two-silo setup: an H2 server of its own, two silos, a cluster client. */
    @Test
    void everySigtermedSiloLeavesItsRowDeadAndTheClusterServesAfterItsRestart() throws Exception {
        Path logs = logs("graceful-restart");
        Server h2 = SiloProcesses.startH2Server(data);
        int failures = 0;
        List<String> failureSamples = new ArrayList<>();
        long longestExitMillis = 0;
        try (SiloProcesses silos =
                        SiloProcesses.start(DictionaryApplication.class, 2, SiloProcesses.h2ServerUrl(h2), logs);
                ClusterClient client = ClusterClient.builder()
                        .clusterOptions(new ClusterOptions(SiloProcesses.SERVICE_ID, SiloProcesses.CLUSTER_ID))
                        .staticGateways(silos.gateways())
                        .build()) {
            client.connect();
            await().atMost(Duration.ofSeconds(30))
                    .until(() -> client.connectedGateways().size() == 2);
            for (int cycle = 0; cycle < CYCLES; cycle++) {
                int victim = cycle % 2;
                long exitMillis = stopGracefullyAndCheckDead(silos, victim, silos::membershipRow);
                longestExitMillis = Math.max(longestExitMillis, exitMillis);
                silos.restart(victim);
                silos.awaitActive(victim);
                for (int w = 0; w < WORDS; w++) {
                    String word = "c" + cycle + "w" + w;
                    String definition = "definition " + cycle + "." + w;
                    try {
                        EntryGrain entry = client.grainFactory().getGrain(EntryGrain.class, word);
                        entry.setDefinition(definition).get(CALL_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
                        String read = entry.getDefinition().get(CALL_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
                        if (!definition.equals(read)) {
                            failures++;
                            failureSamples.add(word + ": read '" + read + "'");
                        }
                    } catch (Exception e) {
                        failures++;
                        failureSamples.add(word + ": " + e);
                    }
                }
            }
        } finally {
            h2.stop();
        }
        System.out.printf(
                "MEASURED: %d graceful restarts (SIGTERM, exit, restart on the same ports) of silo 0 and 1 in"
                        + " turn with an H2 server: every stopped silo's row Dead, written by itself; %d of %d words written"
                        + " and read back after the restarts failed; longest SIGTERM to exit %d ms%n",
                CYCLES, failures, CYCLES * WORDS, longestExitMillis);
        assertThat(failures)
                .as("failed writes or reads; first ones: %s", failureSamples)
                .isZero();
    }

    /**
     * One silo whose JVM owns an H2 file database: with the settings of the example's default URL
     * ({@code WRITE_DELAY=0;DB_CLOSE_ON_EXIT=FALSE}, in a temporary directory instead of {@code ./data}),
     * and with a plain file URL as most applications write it, where H2 would close the database in a
     * shutdown hook of its own while the silo still writes its Dead row, unless the starter's
     * {@code H2CloseOnExitEnvironmentPostProcessor} keeps it open until the context has closed.
     */
    @ParameterizedTest(name = "URL options [{0}]")
    @ValueSource(strings = {";WRITE_DELAY=0;DB_CLOSE_ON_EXIT=FALSE", ""})
    void aSigtermedSingleSiloOnAnEmbeddedH2FileLeavesItsRowDead(String options) throws Exception {
        Path logs = logs("graceful-restart-single");
        String url = "jdbc:h2:file:" + data.resolve("dictionary").toAbsolutePath() + options;
        try (SiloProcesses silos = SiloProcesses.start(DictionaryApplication.class, 1, url, logs)) {
            for (int cycle = 0; cycle < SINGLE_SILO_CYCLES; cycle++) {
                String previous = silos.address(0);
                // The process has exited, so the test can open the file itself.
                stopGracefullyAndCheckDead(silos, 0, address -> SiloProcesses.membershipRow(url, address));
                silos.restart(0);
                silos.awaitActive(0);
                assertThat(silos.address(0)).as("the restarted silo's address").isNotEqualTo(previous);
            }
        }
    }

    /**
     * SIGTERM of silo {@code index}, which must exit on its own (exit status 143: the shutdown hooks ran),
     * log that it wrote its row Dead, and leave that row Dead in the table right after it exited; the
     * milliseconds from SIGTERM to exit.
     */
    private static long stopGracefullyAndCheckDead(SiloProcesses silos, int index, RowReader rows) throws Exception {
        String address = silos.address(index);
        long sigterm = System.nanoTime();
        boolean exited = silos.silo(index).terminate(EXIT_TIMEOUT);
        long exitMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - sigterm);
        SiloProcesses.MembershipRow row = rows.read(address);
        String log = Files.readString(silos.silo(index).logFile());
        assertThat(exited)
                .as("%s exited on SIGTERM within %s", silos.silo(index), EXIT_TIMEOUT)
                .isTrue();
        assertThat(silos.silo(index).exitCode())
                .as("exit status of %s", silos.silo(index))
                .hasValue(143);
        assertThat(row).as("membership row of %s right after its exit", address).isNotNull();
        assertThat(row.status())
                .as(
                        "status of %s right after its exit (log %s)",
                        address, silos.silo(index).logFile())
                .isEqualTo("DEAD");
        assertThat(log)
                .as("%s's own log", silos.silo(index))
                .contains("Silo " + address + " is Dead in the membership table");
        return exitMillis;
    }

    private static Path logs(String name) throws Exception {
        Path logs = Path.of("target", "process-logs", name + "-" + System.currentTimeMillis());
        Files.createDirectories(logs);
        return logs;
    }

    @FunctionalInterface
    private interface RowReader {
        SiloProcesses.MembershipRow read(String address) throws Exception;
    }
}
