package org.orleans4j.benchmarks;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import org.orleans4j.client.ClusterClient;
import org.orleans4j.cluster.ClusterOptions;
import org.orleans4j.cluster.SiloAddress;
import org.orleans4j.testing.FreePorts;
import org.orleans4j.testing.JvmProcess;

/**
 * Cluster client calls: a {@link ClusterClient} in this JVM calls the ping grains of a silo JVM
 * ({@link RemoteSilo}) through its gateway on loopback, client → gateway → grain:
 * <ul>
 * <li>sequential: one caller, one grain, one call at a time; latency percentiles;</li>
 * <li>throughput: 1,000 grains, 64 calls in flight; calls per second.</li>
 * </ul>
 * Then, in the same run and against the same silo JVM, the cross-silo workload of
 * {@link CrossSiloBenchmarks} (a calling silo in this JVM instead of the client), and both medians
 * side by side. Arguments: {@code rounds} (default 5), {@code seconds} per throughput round (default 5).
 */
public final class ClientBenchmarks {

    public static void main(String[] args) throws Exception {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 5;
        int seconds = args.length > 1 ? Integer.parseInt(args[1]) : 5;
        System.out.printf(
                Locale.ROOT,
                "Cluster client benchmarks: %d rounds, %d cores, %s %s%n",
                rounds,
                Runtime.getRuntime().availableProcessors(),
                System.getProperty("java.vm.name"),
                System.getProperty("java.version"));
        Path dir = Files.createTempDirectory("orleans-bench");
        String url = "jdbc:h2:file:" + dir.resolve("membership") + ";AUTO_SERVER=TRUE";
        String clusterId = "bench-" + UUID.randomUUID();
        int gatewayPort = FreePorts.allocate(1)[0];
        try (Connection held = CrossSiloBenchmarks.holdDatabase(url, clusterId);
                JvmProcess remote = CrossSiloBenchmarks.remoteSilo(dir, url, clusterId, gatewayPort)) {
            SiloAddress remoteAddress = CrossSiloBenchmarks.awaitReady(remote);

            CrossSiloBenchmarks.Rounds client;
            try (ClusterClient clusterClient = ClusterClient.builder()
                    .clusterOptions(new ClusterOptions("bench", clusterId))
                    .staticGateways(List.of("127.0.0.1:" + gatewayPort))
                    .addGrainInterfaces(PingGrain.class)
                    .build()) {
                clusterClient.connect();
                List<PingGrain> grains = CrossSiloBenchmarks.grains(clusterClient.grainFactory());
                // The silo JVM is the only silo: every grain is activated there.
                CompletableFuture.allOf(
                                grains.stream().map(grain -> grain.ping(0)).toArray(CompletableFuture[]::new))
                        .join();
                client = CrossSiloBenchmarks.rounds("client", grains.get(0), grains, rounds, seconds);
            }

            CrossSiloBenchmarks.Rounds crossSilo =
                    CrossSiloBenchmarks.crossSilo(remote, remoteAddress, url, clusterId, rounds, seconds);

            System.out.printf(
                    Locale.ROOT,
                    "MEDIAN client -> gateway -> grain: sequential p50 %.1f us, p99 %.1f us; "
                            + "throughput %,.0f calls/s%n",
                    client.p50(),
                    client.p99(),
                    client.throughput());
            System.out.printf(
                    Locale.ROOT,
                    "MEDIAN silo -> silo (cross-silo):   sequential p50 %.1f us, p99 %.1f us; "
                            + "throughput %,.0f calls/s%n",
                    crossSilo.p50(),
                    crossSilo.p99(),
                    crossSilo.throughput());
            System.out.printf(
                    Locale.ROOT,
                    "RATIO client / cross-silo: throughput %.2f, sequential p50 %.2f%n",
                    client.throughput() / crossSilo.throughput(),
                    client.p50() / crossSilo.p50());
        }
    }

    private ClientBenchmarks() {}
}
