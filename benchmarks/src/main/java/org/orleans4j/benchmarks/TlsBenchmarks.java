package org.orleans4j.benchmarks;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.regex.Pattern;
import org.orleans4j.client.ClusterClient;
import org.orleans4j.client.ClusterClientBuilder;
import org.orleans4j.cluster.ClusterOptions;
import org.orleans4j.cluster.SiloAddress;
import org.orleans4j.messaging.SslContextTransportSecurity;
import org.orleans4j.messaging.TransportSecurity;
import org.orleans4j.runtime.EndpointOptions;
import org.orleans4j.runtime.Silo;
import org.orleans4j.runtime.SiloBuilder;
import org.orleans4j.runtime.SiloOptions;
import org.orleans4j.testing.FreePorts;
import org.orleans4j.testing.JvmProcess;
import org.orleans4j.testing.TestCertificates;
import org.orleans4j.testing.TestCertificates.Authority;

/**
 * What mutual TLS costs: the workloads of {@link ClientBenchmarks} (client → gateway → grain) and
 * {@link CrossSiloBenchmarks} (silo → silo, every grain on the far silo JVM), over plain TCP and
 * with mutual TLS on every connection (TLS 1.3, the JDK's provider, EC P-256 certificates of a CA
 * made for the run). Two clusters run side by side, one per mode, each a far silo JVM plus a client
 * and a calling silo in this JVM; every round measures the four paths one after the other, so that
 * load from elsewhere on a shared machine falls on both modes alike. Medians of both modes and their
 * ratios are printed at the end. Arguments: {@code rounds} (default 5), {@code seconds} per
 * throughput round (default 5).
 */
public final class TlsBenchmarks {

    public static void main(String[] args) throws Exception {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 5;
        int seconds = args.length > 1 ? Integer.parseInt(args[1]) : 5;
        System.out.printf(
                Locale.ROOT,
                "TLS benchmarks: %d rounds, %d cores, %s %s%n",
                rounds,
                Runtime.getRuntime().availableProcessors(),
                System.getProperty("java.vm.name"),
                System.getProperty("java.version"));
        Authority ca = TestCertificates.authority("bench-ca");
        try (Cluster plain = Cluster.start(null);
                Cluster tls = Cluster.start(ca)) {
            Workload[] workloads = {
                new Workload("client plain", plain.clientGrains, rounds),
                new Workload("client TLS  ", tls.clientGrains, rounds),
                new Workload("silo plain  ", plain.siloGrains, rounds),
                new Workload("silo TLS    ", tls.siloGrains, rounds)
            };
            Duration measure = Duration.ofSeconds(seconds);
            for (Workload workload : workloads) {
                workload.warmUp(measure);
            }
            for (int r = 0; r < rounds; r++) {
                for (Workload workload : workloads) {
                    workload.measure(r, measure);
                }
            }
            tls.checkNoGrainMoved();
            plain.checkNoGrainMoved();
            for (Workload workload : workloads) {
                System.out.printf(
                        Locale.ROOT,
                        "MEDIAN %s: sequential p50 %.1f us, p99 %.1f us; throughput %,.0f calls/s%n",
                        workload.label,
                        workload.median(workload.p50),
                        workload.median(workload.p99),
                        workload.median(workload.throughput));
            }
            System.out.printf(
                    Locale.ROOT,
                    "RATIO TLS / plain: client -> gateway -> grain throughput %.2f, sequential "
                            + "p50 %.2f; silo -> silo throughput %.2f, sequential p50 %.2f%n",
                    workloads[1].median(workloads[1].throughput) / workloads[0].median(workloads[0].throughput),
                    workloads[1].median(workloads[1].p50) / workloads[0].median(workloads[0].p50),
                    workloads[3].median(workloads[3].throughput) / workloads[2].median(workloads[2].throughput),
                    workloads[3].median(workloads[3].p50) / workloads[2].median(workloads[2].p50));
        }
    }

    /** One path of one mode, and what its rounds measured. */
    private static final class Workload {
        final String label;
        final List<PingGrain> grains;
        final double[] p50;
        final double[] p99;
        final double[] throughput;
        int rounds;

        Workload(String label, List<PingGrain> grains, int rounds) {
            this.label = label;
            this.grains = grains;
            this.p50 = new double[rounds];
            this.p99 = new double[rounds];
            this.throughput = new double[rounds];
        }

        void warmUp(Duration measure) throws InterruptedException {
            LocalBenchmarks.sequential(grains.get(0), 0, 20_000);
            LocalBenchmarks.throughput(grains, measure);
        }

        void measure(int round, Duration measure) throws InterruptedException {
            double[] latency = LocalBenchmarks.sequential(grains.get(0), 10_000, 50_000);
            p50[rounds] = latency[0];
            p99[rounds] = latency[1];
            throughput[rounds] = LocalBenchmarks.throughput(grains, measure);
            System.out.printf(
                    Locale.ROOT,
                    "%s round %d: sequential p50 %.1f us p99 %.1f us | throughput %,.0f calls/s%n",
                    label,
                    round + 1,
                    p50[rounds],
                    p99[rounds],
                    throughput[rounds]);
            rounds++;
        }

        double median(double[] values) {
            return LocalBenchmarks.median(values);
        }
    }

    /**
     * One cluster: a far silo JVM hosting the 1,000 ping grains, a cluster client of its gateway and
     * a calling silo in this JVM; mutual TLS on every connection when made with a CA.
     */
    private static final class Cluster implements AutoCloseable {
        final Connection held;
        final JvmProcess remote;
        final ClusterClient client;
        final Silo local;
        final List<PingGrain> clientGrains;
        final List<PingGrain> siloGrains;

        private Cluster(Connection held, JvmProcess remote, ClusterClient client, Silo local) {
            this.held = held;
            this.remote = remote;
            this.client = client;
            this.local = local;
            this.clientGrains = CrossSiloBenchmarks.grains(client.grainFactory());
            this.siloGrains = CrossSiloBenchmarks.grains(local.grainFactory());
        }

        static Cluster start(Authority ca) throws Exception {
            Path dir = Files.createTempDirectory("orleans-bench-" + (ca == null ? "plain" : "tls"));
            String url = "jdbc:h2:file:" + dir.resolve("membership") + ";AUTO_SERVER=TRUE";
            String clusterId = "bench-" + UUID.randomUUID();
            Connection held = CrossSiloBenchmarks.holdDatabase(url, clusterId);
            int gatewayPort = FreePorts.allocate(1)[0];
            String[] remoteTls = new String[0];
            if (ca != null) {
                TlsKeyMaterial.write(dir, "remote", ca.issue("remote-silo"));
                remoteTls = new String[] {dir.toString()};
            }
            JvmProcess remote = CrossSiloBenchmarks.remoteSilo(dir, url, clusterId, gatewayPort, remoteTls);
            ClusterClient client = null;
            Silo local = null;
            try {
                SiloAddress remoteAddress = CrossSiloBenchmarks.awaitReady(remote);
                ClusterClientBuilder clientBuilder = ClusterClient.builder()
                        .clusterOptions(new ClusterOptions("bench", clusterId))
                        .staticGateways(List.of("127.0.0.1:" + gatewayPort))
                        .addGrainInterfaces(PingGrain.class);
                SiloBuilder siloBuilder = Silo.builder()
                        .clusterOptions(new ClusterOptions("bench", clusterId))
                        .siloOptions(new SiloOptions("local", null))
                        .endpointOptions(new EndpointOptions(0, 0, "127.0.0.1", "127.0.0.1"))
                        .membershipTable(CrossSiloBenchmarks.membershipTable(url, clusterId))
                        .addGrainClass(PingGrainImpl.class);
                if (ca != null) {
                    clientBuilder.transportSecurity(security(ca, "client"));
                    siloBuilder.transportSecurity(security(ca, "local-silo"));
                }
                client = clientBuilder.build();
                client.connect();
                // The far silo is the only one yet: the client's first calls activate every grain there.
                CompletableFuture.allOf(CrossSiloBenchmarks.grains(client.grainFactory()).stream()
                                .map(grain -> grain.ping(0))
                                .toArray(CompletableFuture[]::new))
                        .join();
                local = siloBuilder.build();
                local.start();
                // Until the far silo has seen this one join, the two disagree on who owns which entries.
                remote.awaitLogLine(Pattern.compile("ACTIVE SILOS 2"), Duration.ofSeconds(60));
                CrossSiloBenchmarks.placeOnRemote(local, remoteAddress);
                return new Cluster(held, remote, client, local);
            } catch (Exception | Error e) {
                if (client != null) {
                    client.close();
                }
                if (local != null) {
                    local.kill();
                }
                remote.close();
                held.close();
                throw e;
            }
        }

        /** Fails the run if a grain was activated on the calling silo: its calls were not cross-silo. */
        void checkNoGrainMoved() {
            if (local.diagnostics().activationCount() != 0) {
                throw new IllegalStateException(local.diagnostics().activationCount() + " grains were activated on the "
                        + "calling silo: the run is not cross-silo\n" + remote.logTail(30));
            }
        }

        @Override
        public void close() {
            client.close();
            local.kill();
            remote.close();
            try {
                held.close();
            } catch (SQLException e) {
                throw new IllegalStateException("Could not close the benchmark's database", e);
            }
        }
    }

    private static TransportSecurity security(Authority ca, String node) {
        return new SslContextTransportSecurity(ca.issue(node).credentials(), "the benchmark's CA");
    }

    private TlsBenchmarks() {}
}
