package org.orleans4j.benchmarks;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.regex.Pattern;
import org.orleans4j.client.ClusterClient;
import org.orleans4j.cluster.ClusterOptions;
import org.orleans4j.cluster.SiloAddress;
import org.orleans4j.runtime.EndpointOptions;
import org.orleans4j.runtime.Silo;
import org.orleans4j.runtime.SiloOptions;
import org.orleans4j.testing.FreePorts;
import org.orleans4j.testing.JvmProcess;

/**
 * Calls between JVMs beside the limit of the wire, in one invocation: each round runs the raw Netty
 * baseline ({@link RawNettyPingPong} against a {@link RawNettyServer} JVM; and its ping-pong on the loop
 * again against a second server JVM, both sides on event loops that poll for a while before they block,
 * as a silo's loops do), the cross-silo workload
 * (a calling silo here, the grains in a {@link RemoteSilo} JVM) and the client workload (a
 * {@link ClusterClient} here, through that silo's gateway), one after the other, so the machine's
 * drift touches all three alike. Prints every round, the medians, the ratios to the baseline, and the
 * spread (max / min over rounds) of each sequential p50, and the CPU both JVMs spent per frame or call
 * in the throughput workloads (steadier than calls per second on a shared machine). On Linux that CPU is
 * also broken down by kind of thread, with how often each kind went to sleep per call ({@link ThreadUse}):
 * the thread hand-offs of a call, counted.
 * <p>
 * The JVMs run the collector of {@code -Dbench.gc} (G1 by default, as users run; {@code Parallel},
 * {@code Z}). Arguments: {@code rounds} (default 5), {@code seconds} per throughput round (default 5).
 */
public final class WireSpeedBenchmarks {

    public static void main(String[] args) throws Exception {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 5;
        int seconds = args.length > 1 ? Integer.parseInt(args[1]) : 5;
        Duration measure = Duration.ofSeconds(seconds);
        CrossSiloBenchmarks.printHeading("Wire speed benchmarks", rounds);
        Path dir = Files.createTempDirectory("orleans-bench");
        String url = "jdbc:h2:file:" + dir.resolve("membership") + ";AUTO_SERVER=TRUE";
        String clusterId = "bench-" + UUID.randomUUID();
        int gatewayPort = FreePorts.allocate(1)[0];
        // p50, p99, pipelined, p50 on the loop, p99 on the loop, p50 and p99 on polling loops
        double[][] raw = new double[7][rounds];
        double[][] cross = new double[3][rounds]; // p50, p99, throughput
        double[][] client = new double[3][rounds];
        double[][] cpu = new double[3][rounds]; // CPU per frame or call of raw pipelined, cross-silo, client
        List<List<List<ThreadUse>>> threads = List.of(new ArrayList<>(), new ArrayList<>(), new ArrayList<>());
        try (Connection held = CrossSiloBenchmarks.holdDatabase(url, clusterId);
                JvmProcess rawServer = JvmProcess.builder(RawNettyServer.class.getName())
                        .name("raw-netty-server")
                        .jvmOptions(CrossSiloBenchmarks.remoteJvmOptions())
                        .logFile(dir.resolve("raw.log"))
                        .build()
                        .start();
                JvmProcess pollingServer = JvmProcess.builder(RawNettyServer.class.getName())
                        .name("raw-netty-polling-server")
                        .jvmOptions(CrossSiloBenchmarks.remoteJvmOptions())
                        .args("polling")
                        .logFile(dir.resolve("raw-polling.log"))
                        .build()
                        .start();
                JvmProcess remote = CrossSiloBenchmarks.remoteSilo(dir, url, clusterId, gatewayPort)) {
            int rawPort = Integer.parseInt(rawServer
                    .awaitLogLine(Pattern.compile("READY (\\d+)"), Duration.ofSeconds(60))
                    .group(1));
            int pollingPort = Integer.parseInt(pollingServer
                    .awaitLogLine(Pattern.compile("READY (\\d+)"), Duration.ofSeconds(60))
                    .group(1));
            SiloAddress remoteAddress = CrossSiloBenchmarks.awaitReady(remote);
            Silo local = Silo.builder()
                    .clusterOptions(new ClusterOptions("bench", clusterId))
                    .siloOptions(new SiloOptions("local", null))
                    .endpointOptions(new EndpointOptions(0, 0, "127.0.0.1", "127.0.0.1"))
                    .membershipTable(CrossSiloBenchmarks.membershipTable(url, clusterId))
                    .addGrainClass(PingGrainImpl.class)
                    .build();
            local.start();
            remote.awaitLogLine(Pattern.compile("ACTIVE SILOS 2"), Duration.ofSeconds(60));
            try (RawNettyPingPong baseline = new RawNettyPingPong(rawPort);
                    RawNettyPingPong polled = new RawNettyPingPong(pollingPort, RawNettyServer.lingering());
                    ClusterClient clusterClient = ClusterClient.builder()
                            .clusterOptions(new ClusterOptions("bench", clusterId))
                            .staticGateways(List.of("127.0.0.1:" + gatewayPort))
                            .addGrainInterfaces(PingGrain.class)
                            .build()) {
                CrossSiloBenchmarks.placeOnRemote(local, remoteAddress);
                clusterClient.connect();
                List<PingGrain> siloGrains = CrossSiloBenchmarks.grains(local.grainFactory());
                List<PingGrain> clientGrains = CrossSiloBenchmarks.grains(clusterClient.grainFactory());
                CompletableFuture.allOf(
                                clientGrains.stream().map(g -> g.ping(0)).toArray(CompletableFuture[]::new))
                        .join();
                // Unmeasured warm-up rounds of every path in both JVMs (see CrossSiloBenchmarks.WARMUP_ROUNDS).
                for (int w = 0; w < CrossSiloBenchmarks.WARMUP_ROUNDS; w++) {
                    baseline.pingPong(0, 60_000);
                    baseline.pipelined(measure);
                    LocalBenchmarks.sequential(siloGrains.get(0), 0, 60_000);
                    LocalBenchmarks.throughput(siloGrains, measure);
                    LocalBenchmarks.sequential(clientGrains.get(0), 0, 60_000);
                    LocalBenchmarks.throughput(clientGrains, measure);
                }
                for (int r = 0; r < rounds; r++) {
                    double[] rawLatency = baseline.pingPong(10_000, 50_000);
                    raw[0][r] = rawLatency[0];
                    raw[1][r] = rawLatency[1];
                    CpuMeter rawMeter = CpuMeter.thisJvmAnd(rawServer.pid());
                    double[] pipelined = baseline.pipelined(measure, rawMeter);
                    raw[2][r] = pipelined[0];
                    cpu[0][r] = pipelined[1];
                    threads.get(0).add(rawMeter.threadsPer());
                    double[] onLoop = baseline.pingPongOnLoop(Duration.ofSeconds(2));
                    raw[3][r] = onLoop[0];
                    raw[4][r] = onLoop[1];
                    double[] onPollingLoops = polled.pingPongOnLoop(Duration.ofSeconds(2));
                    raw[5][r] = onPollingLoops[0];
                    raw[6][r] = onPollingLoops[1];
                    double[] crossLatency = LocalBenchmarks.sequential(siloGrains.get(0), 10_000, 50_000);
                    cross[0][r] = crossLatency[0];
                    cross[1][r] = crossLatency[1];
                    CpuMeter crossMeter = CpuMeter.thisJvmAnd(remote.pid());
                    double[] crossThroughput = LocalBenchmarks.throughput(siloGrains, measure, crossMeter);
                    cross[2][r] = crossThroughput[0];
                    cpu[1][r] = crossThroughput[1];
                    threads.get(1).add(crossMeter.threadsPer());
                    double[] clientLatency = LocalBenchmarks.sequential(clientGrains.get(0), 10_000, 50_000);
                    client[0][r] = clientLatency[0];
                    client[1][r] = clientLatency[1];
                    CpuMeter clientMeter = CpuMeter.thisJvmAnd(remote.pid());
                    double[] clientThroughput = LocalBenchmarks.throughput(clientGrains, measure, clientMeter);
                    client[2][r] = clientThroughput[0];
                    cpu[2][r] = clientThroughput[1];
                    threads.get(2).add(clientMeter.threadsPer());
                    System.out.printf(
                            Locale.ROOT,
                            "round %d: raw netty p50 %.1f us (on its loop %.1f us, on polling loops %.1f us), pipelined %,.0f /s"
                                    + " (%.1f us CPU)"
                                    + " | cross-silo p50 %.1f us, %,.0f calls/s (%.1f us CPU) | client p50 %.1f us,"
                                    + " %,.0f calls/s (%.1f us CPU)%n",
                            r + 1,
                            raw[0][r],
                            raw[3][r],
                            raw[5][r],
                            raw[2][r],
                            cpu[0][r],
                            cross[0][r],
                            cross[2][r],
                            cpu[1][r],
                            client[0][r],
                            client[2][r],
                            cpu[2][r]);
                }
                if (local.diagnostics().activationCount() != 0) {
                    throw new IllegalStateException("grains were activated on the calling silo: not cross-silo");
                }
            } finally {
                local.kill();
            }
        }
        double rawP50 = LocalBenchmarks.median(raw[0]);
        double rawPipelined = LocalBenchmarks.median(raw[2]);
        double crossP50 = LocalBenchmarks.median(cross[0]);
        double crossThroughput = LocalBenchmarks.median(cross[2]);
        double clientP50 = LocalBenchmarks.median(client[0]);
        double clientThroughput = LocalBenchmarks.median(client[2]);
        System.out.printf(
                Locale.ROOT,
                "MEDIAN raw netty:  ping-pong p50 %.1f us, p99 %.1f us (on the event loop, no hand-off: p50 %.1f us,"
                        + " p99 %.1f us; on polling loops: p50 %.1f us, p99 %.1f us); pipelined (64 outstanding)"
                        + " %,.0f frames/s%n",
                rawP50,
                LocalBenchmarks.median(raw[1]),
                LocalBenchmarks.median(raw[3]),
                LocalBenchmarks.median(raw[4]),
                LocalBenchmarks.median(raw[5]),
                LocalBenchmarks.median(raw[6]),
                rawPipelined);
        System.out.printf(
                Locale.ROOT,
                "MEDIAN cross-silo: sequential p50 %.1f us (%.2fx raw, goal <= 1.5; %.2fx raw on polling loops), p99"
                        + " %.1f us; throughput %,.0f calls/s (%.2fx raw, goal >= 0.6)%n",
                crossP50,
                crossP50 / rawP50,
                crossP50 / LocalBenchmarks.median(raw[5]),
                LocalBenchmarks.median(cross[1]),
                crossThroughput,
                crossThroughput / rawPipelined);
        System.out.printf(
                Locale.ROOT,
                "MEDIAN client:     sequential p50 %.1f us (%.2fx raw), p99 %.1f us; throughput %,.0f calls/s (%.2fx"
                        + " cross-silo, goal >= 0.9)%n",
                clientP50,
                clientP50 / rawP50,
                LocalBenchmarks.median(client[1]),
                clientThroughput,
                clientThroughput / crossThroughput);
        System.out.printf(
                Locale.ROOT,
                "MEDIAN CPU of both JVMs per frame or call at throughput: raw %.1f us, cross-silo %.1f us (%.2fx raw),"
                        + " client %.1f us%n",
                LocalBenchmarks.median(cpu[0]),
                LocalBenchmarks.median(cpu[1]),
                LocalBenchmarks.median(cpu[1]) / LocalBenchmarks.median(cpu[0]),
                LocalBenchmarks.median(cpu[2]));
        String[] workloads = {
            "raw pipelined, per frame", "cross-silo throughput, per call", "client throughput, per call"
        };
        for (int w = 0; w < workloads.length; w++) {
            List<String> lines = ThreadUse.medianLines(threads.get(w));
            if (!lines.isEmpty()) {
                System.out.printf(Locale.ROOT, "MEDIAN by thread, %s:%n", workloads[w]);
                lines.forEach(line -> System.out.println("    " + line));
            }
        }
        System.out.printf(
                Locale.ROOT,
                "SPREAD of sequential p50 over rounds (max/min, goal <= 1.3): raw %.2f (on the loop %.2f, on polling"
                        + " loops %.2f), cross-silo %.2f, client %.2f%n",
                spread(raw[0]),
                spread(raw[3]),
                spread(raw[5]),
                spread(cross[0]),
                spread(client[0]));
    }

    private static double spread(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        return sorted[sorted.length - 1] / sorted[0];
    }

    private WireSpeedBenchmarks() {}
}
