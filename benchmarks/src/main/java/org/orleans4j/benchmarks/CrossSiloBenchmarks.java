package org.orleans4j.benchmarks;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.regex.Pattern;
import org.orleans4j.cluster.ClusterOptions;
import org.orleans4j.cluster.SiloAddress;
import org.orleans4j.grain.GrainFactory;
import org.orleans4j.grain.RequestContext;
import org.orleans4j.placement.PlacementHint;
import org.orleans4j.runtime.EndpointOptions;
import org.orleans4j.runtime.Silo;
import org.orleans4j.runtime.SiloOptions;
import org.orleans4j.spring.membership.JdbcMembershipTable;
import org.orleans4j.testing.JvmProcess;

/**
 * Cross-silo calls between two silo JVMs on loopback, every grain on the other silo (the peer
 * comparison's remote workload): this JVM runs the calling silo, a child JVM ({@link RemoteSilo})
 * hosts the grains; they find each other through a membership table in an H2 file (server mode).
 * <ul>
 * <li>sequential: one caller, one grain, one call at a time; latency percentiles;</li>
 * <li>throughput: 1,000 grains, 64 calls in flight; calls per second.</li>
 * </ul>
 * Arguments: {@code rounds} (default 5), {@code seconds} per throughput round (default 5).
 */
public final class CrossSiloBenchmarks {

    private static final int GRAINS = 1_000;
    /** Rounds run and thrown away before the measured ones. */
    static final int WARMUP_ROUNDS = 2;

    public static void main(String[] args) throws Exception {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 5;
        int seconds = args.length > 1 ? Integer.parseInt(args[1]) : 5;
        System.out.printf(
                Locale.ROOT,
                "Cross-silo benchmarks: %d rounds, %d cores, %s %s%n",
                rounds,
                Runtime.getRuntime().availableProcessors(),
                System.getProperty("java.vm.name"),
                System.getProperty("java.version"));
        Path dir = Files.createTempDirectory("orleans-bench");
        String url = "jdbc:h2:file:" + dir.resolve("membership") + ";AUTO_SERVER=TRUE";
        String clusterId = "bench-" + UUID.randomUUID();
        try (Connection held = holdDatabase(url, clusterId);
                JvmProcess remote = remoteSilo(dir, url, clusterId, 0)) {
            SiloAddress remoteAddress = awaitReady(remote);
            Rounds crossSilo = crossSilo(remote, remoteAddress, url, clusterId, rounds, seconds);
            System.out.printf(
                    Locale.ROOT,
                    "MEDIAN cross-silo sequential p50 %.1f us (target <= 80), p99 %.1f us%n",
                    crossSilo.p50(),
                    crossSilo.p99());
            System.out.printf(
                    Locale.ROOT,
                    "MEDIAN cross-silo throughput %,.0f calls/s (target >= 250,000)%n",
                    crossSilo.throughput());
        }
    }

    /**
     * Starts the far silo ({@link RemoteSilo}) in its own JVM, with a gateway on {@code gatewayPort} unless 0;
     * {@code more} are its further arguments (a directory of TLS key material).
     */
    static JvmProcess remoteSilo(Path dir, String url, String clusterId, int gatewayPort, String... more) {
        List<String> args = new ArrayList<>(List.of(url, clusterId, String.valueOf(gatewayPort)));
        args.addAll(List.of(more));
        JvmProcess remote = JvmProcess.builder(RemoteSilo.class.getName())
                .name("remote-silo")
                .jvmOptions(remoteJvmOptions())
                .args(args.toArray(String[]::new))
                .logFile(dir.resolve("remote.log"))
                .build();
        remote.start();
        return remote;
    }

    /** Prints a run's first line: {@code title}, its rounds, the cores, the JVM and its collector. */
    static void printHeading(String title, int rounds) {
        System.out.printf(
                Locale.ROOT,
                "%s: %d rounds, %d cores, %s %s, %s%n",
                title,
                rounds,
                Runtime.getRuntime().availableProcessors(),
                System.getProperty("java.vm.name"),
                System.getProperty("java.version"),
                collectorOption());
    }

    /** The collector option of the benchmark JVMs: {@code -Dbench.gc} (G1 by default, as users run). */
    static String collectorOption() {
        return "-XX:+Use" + System.getProperty("bench.gc", "G1") + "GC";
    }

    /**
     * The options of a far JVM (a silo, the raw Netty server): 1 GB of heap, the run's collector, and
     * those of {@code -Dbench.remote.options} (space-separated; to profile the far side, e.g.
     * {@code -XX:StartFlightRecording=filename=far.jfr}).
     */
    static String[] remoteJvmOptions(String... more) {
        List<String> options = new ArrayList<>(List.of(
                "-Xms1g",
                "-Xmx1g",
                collectorOption(),
                "-Dbench.gc=" + System.getProperty("bench.gc", "G1"),
                "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn"));
        options.addAll(List.of(more));
        String extra = System.getProperty("bench.remote.options", "").strip();
        if (!extra.isEmpty()) {
            options.addAll(List.of(extra.split("\\s+")));
        }
        return options.toArray(String[]::new);
    }

    /** Waits until the far silo has started; its address. */
    static SiloAddress awaitReady(JvmProcess remote) {
        return SiloAddress.parse(remote.awaitLogLine(Pattern.compile("READY (\\S+)"), Duration.ofSeconds(60))
                .group(1));
    }

    /** Medians of the rounds of one path: sequential p50 and p99 in microseconds, throughput in calls per second. */
    record Rounds(double p50, double p99, double throughput) {}

    /**
     * Joins a calling silo in this JVM to the cluster of {@code remote}, places the 1,000 grains on
     * the remote silo and runs {@code rounds} rounds of calls to them; the calling silo is killed after.
     */
    static Rounds crossSilo(
            JvmProcess remote, SiloAddress remoteAddress, String url, String clusterId, int rounds, int seconds)
            throws InterruptedException {
        Silo local = Silo.builder()
                .clusterOptions(new ClusterOptions("bench", clusterId))
                .siloOptions(new SiloOptions("local", null))
                .endpointOptions(new EndpointOptions(0, 0, "127.0.0.1", "127.0.0.1"))
                .membershipTable(membershipTable(url, clusterId))
                .addGrainClass(PingGrainImpl.class)
                .build();
        local.start();
        // Until the far silo has seen this one join, the two disagree on who owns which directory
        // entries; placing grains in that window could activate some here.
        remote.awaitLogLine(Pattern.compile("ACTIVE SILOS 2"), Duration.ofSeconds(60));
        try {
            placeOnRemote(local, remoteAddress);
            Rounds result = rounds(
                    "cross-silo",
                    local.grainFactory().getGrain(PingGrain.class, 0L),
                    grains(local.grainFactory()),
                    rounds,
                    seconds);
            if (local.diagnostics().activationCount() != 0) {
                throw new IllegalStateException(local.diagnostics().activationCount() + " grains were activated on the "
                        + "calling silo: the run is not cross-silo; membership "
                        + local.membership().currentSnapshot()
                        + "\n" + remote.logTail(30));
            }
            return result;
        } finally {
            local.kill();
        }
    }

    /**
     * Unmeasured warm-up, then {@code rounds} rounds of sequential calls to {@code single} and of
     * throughput over {@code grains}, each round printed; the medians.
     */
    static Rounds rounds(String label, PingGrain single, List<PingGrain> grains, int rounds, int seconds)
            throws InterruptedException {
        // Unmeasured warm-up rounds: both JVMs compile the call path before round 1 (with one short warm-up,
        // round 1 ran at half the throughput of the later rounds: the compilers were still at work).
        for (int w = 0; w < WARMUP_ROUNDS; w++) {
            LocalBenchmarks.sequential(single, 0, 60_000);
            LocalBenchmarks.throughput(grains, Duration.ofSeconds(seconds));
        }
        double[] p50 = new double[rounds];
        double[] p99 = new double[rounds];
        double[] throughput = new double[rounds];
        for (int r = 0; r < rounds; r++) {
            double[] latency = LocalBenchmarks.sequential(single, 10_000, 50_000);
            p50[r] = latency[0];
            p99[r] = latency[1];
            throughput[r] = LocalBenchmarks.throughput(grains, Duration.ofSeconds(seconds));
            System.out.printf(
                    Locale.ROOT,
                    "%s round %d: sequential p50 %.1f us p99 %.1f us | throughput %,.0f calls/s%n",
                    label,
                    r + 1,
                    p50[r],
                    p99[r],
                    throughput[r]);
        }
        return new Rounds(LocalBenchmarks.median(p50), LocalBenchmarks.median(p99), LocalBenchmarks.median(throughput));
    }

    /**
     * Opens the benchmark's H2 file database and keeps it open for the whole run, so this JVM stays its
     * server: with no connection held, every table operation closes the file, and the next opener (this JVM
     * or the remote silo's) can fail on H2's lock file ("Lock file recently modified"). Creates the
     * membership tables before two JVMs race to.
     */
    static Connection holdDatabase(String url, String clusterId) throws SQLException {
        Connection held = RemoteSilo.dataSource(url).getConnection();
        membershipTable(url, clusterId).destroy();
        return held;
    }

    static JdbcMembershipTable membershipTable(String url, String clusterId) {
        JdbcMembershipTable table = new JdbcMembershipTable(RemoteSilo.dataSource(url), "bench", clusterId);
        table.initialize(true);
        return table;
    }

    /** First calls carry a placement hint naming the remote silo, so every grain is activated there. */
    static void placeOnRemote(Silo local, SiloAddress remote) {
        List<CompletableFuture<Long>> calls = new ArrayList<>();
        RequestContext.set(PlacementHint.REQUEST_CONTEXT_KEY, remote);
        try {
            for (long key = 0; key < GRAINS; key++) {
                calls.add(local.grainFactory().getGrain(PingGrain.class, key).ping(key));
            }
        } finally {
            RequestContext.remove(PlacementHint.REQUEST_CONTEXT_KEY);
        }
        calls.forEach(CompletableFuture::join);
    }

    /** References to the 1,000 benchmark grains (keys 0 to 999). */
    static List<PingGrain> grains(GrainFactory factory) {
        List<PingGrain> grains = new ArrayList<>(GRAINS);
        for (long key = 0; key < GRAINS; key++) {
            grains.add(factory.getGrain(PingGrain.class, key));
        }
        return grains;
    }

    private CrossSiloBenchmarks() {}
}
