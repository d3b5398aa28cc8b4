package org.orleans4j.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.orleans4j.client.ClientGrains.EchoGrain;
import org.orleans4j.cluster.ClusterOptions;
import org.orleans4j.cluster.SiloAddress;
import org.orleans4j.cluster.SiloStatus;
import org.orleans4j.membership.MembershipRow;
import org.orleans4j.testing.FileMembershipTable;
import org.orleans4j.testing.FreePorts;
import org.orleans4j.testing.JvmProcess;

/**
 * {@code kill -9} of one of two silo JVMs and a restart at once on the same ports, with the default
 * membership timings: the new process declares its predecessor Dead when it joins, the other silo
 * drops the dead generation, calls succeed, and the restarted silo answers for itself only (no relay
 * loop: its CPU and memory stay flat). Prints {@code MEASURED:} lines.
 */
class RestartOnSameEndpointProcessTest {

    private static final Duration OBSERVED = Duration.ofSeconds(60);

    @TempDir
    Path directory;

    @Test
    void aSiloKilledAndRestartedOnItsEndpointLeavesNoGhostGeneration() throws Exception {
        Path table = directory.resolve("membership.table");
        Path logs = Path.of("target", "process-logs", "restart-same-endpoint-" + System.currentTimeMillis());
        Files.createDirectories(logs);
        String clusterId = "restart-" + UUID.randomUUID();
        int[] ports = FreePorts.allocate(4);
        List<JvmProcess> processes = new ArrayList<>();
        try {
            JvmProcess survivor = start(table, logs, clusterId, 0, ports, "");
            processes.add(survivor);
            JvmProcess victim = start(table, logs, clusterId, 1, ports, "");
            processes.add(victim);
            SiloAddress killed = ready(victim);
            ready(survivor);
            FileMembershipTable membership = new FileMembershipTable(table);
            try (ClusterClient client = ClusterClient.builder()
                    .clusterOptions(new ClusterOptions("test", clusterId))
                    .membershipTable(membership)
                    .build()) {
                client.connect();
                await().atMost(Duration.ofSeconds(30))
                        .until(() -> client.connectedGateways().size() == 2);
                callAll(client, "before");

                victim.kill();
                long killedAt = System.nanoTime();
                JvmProcess restarted = start(table, logs, clusterId, 1, ports, "-restarted");
                processes.add(restarted);
                SiloAddress successor = ready(restarted);
                assertThat(successor.endpoint()).isEqualTo(killed.endpoint());
                assertThat(successor.generation()).isGreaterThan(killed.generation());
                await().atMost(Duration.ofSeconds(10)).until(() -> statusOf(membership, killed) == SiloStatus.DEAD);
                System.out.printf(
                        "MEASURED: old generation Dead %d ms after the kill (restart and join included)%n",
                        TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - killedAt));

                // Calls succeed again once the client and the survivor have seen the change.
                await().atMost(Duration.ofSeconds(30)).ignoreExceptions().until(() -> {
                    callAll(client, "after");
                    return true;
                });
                long rssBefore = rssKb(restarted.pid());
                long cpuBefore = cpuTicks(restarted.pid());
                long start = System.nanoTime();
                int rounds = 0;
                while (System.nanoTime() - start < OBSERVED.toNanos()) {
                    callAll(client, "round" + (rounds++ % 5));
                    await().pollDelay(Duration.ofMillis(200)).until(() -> true);
                }
                long rssGrowthMb = (rssKb(restarted.pid()) - rssBefore) / 1024;
                double cpuCores = (cpuTicks(restarted.pid()) - cpuBefore) / 100.0 / OBSERVED.toSeconds();
                System.out.printf(
                        "MEASURED: over %d s of calls (%d rounds of 40 grains): restarted silo RSS %+d MB,"
                                + " CPU %.2f cores%n",
                        OBSERVED.toSeconds(), rounds, rssGrowthMb, cpuCores);
                assertThat(cpuCores).as("a relay loop keeps a core busy").isLessThan(0.5);
                assertThat(rssGrowthMb)
                        .as("a relay loop grows memory by tens of MB a second")
                        .isLessThan(100);
                assertThat(membership.readAll().join().rows().stream()
                                .filter(row -> row.entry().status() == SiloStatus.ACTIVE)
                                .count())
                        .isEqualTo(2);
            }
        } finally {
            processes.forEach(JvmProcess::close);
        }
    }

    private static void callAll(ClusterClient client, String text) throws Exception {
        for (int i = 0; i < 40; i++) {
            String answer = client.grainFactory()
                    .getGrain(EchoGrain.class, "g" + i)
                    .echo(text)
                    .get(30, TimeUnit.SECONDS);
            assertThat(answer).isEqualTo(text);
        }
    }

    private static SiloStatus statusOf(FileMembershipTable table, SiloAddress silo) {
        return table.readAll()
                .join()
                .row(silo)
                .map(MembershipRow::entry)
                .map(e -> e.status())
                .orElse(SiloStatus.NONE);
    }

    private static JvmProcess start(Path table, Path logs, String clusterId, int index, int[] ports, String suffix) {
        return JvmProcess.builder(GatewaySiloMain.class.getName())
                .name("silo-" + index + suffix)
                .jvmOptions(GatewaySiloMain.jvmOptions("-Dsilo.defaultMembership=true"))
                .args(
                        table.toString(),
                        clusterId,
                        "silo-" + index,
                        Integer.toString(ports[index]),
                        Integer.toString(ports[2 + index]))
                .logFile(logs.resolve("silo-" + index + suffix + ".log"))
                .start();
    }

    private static SiloAddress ready(JvmProcess process) {
        return SiloAddress.parse(
                process.awaitLogLine(Pattern.compile("READY silo=(\\S+) gateway=(\\d+)"), Duration.ofSeconds(90))
                        .group(1));
    }

    private static long rssKb(long pid) throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("[^0-9]", ""));
            }
        }
        throw new IllegalStateException("no VmRSS for process " + pid);
    }

    /** User plus system CPU time of the process, in clock ticks (100 a second on Linux). */
    private static long cpuTicks(long pid) throws IOException {
        String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
        String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
    }
}
