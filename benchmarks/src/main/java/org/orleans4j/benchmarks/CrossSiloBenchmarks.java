package org.orleans4j.benchmarks;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Pattern;
import org.orleans4j.placement.PlacementHint;
import org.orleans4j.runtime.ClusterOptions;
import org.orleans4j.runtime.EndpointOptions;
import org.orleans4j.runtime.RequestContext;
import org.orleans4j.runtime.Silo;
import org.orleans4j.runtime.SiloAddress;
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
    private static final int IN_FLIGHT = 64;

    public static void main(String[] args) throws Exception {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 5;
        int seconds = args.length > 1 ? Integer.parseInt(args[1]) : 5;
        System.out.printf(Locale.ROOT, "Cross-silo benchmarks: %d rounds, %d cores, %s %s%n", rounds,
                Runtime.getRuntime().availableProcessors(), System.getProperty("java.vm.name"),
                System.getProperty("java.version"));
        Path dir = Files.createTempDirectory("orleans-bench");
        String url = "jdbc:h2:file:" + dir.resolve("membership") + ";AUTO_SERVER=TRUE";
        String clusterId = "bench-" + UUID.randomUUID();
        membershipTable(url, clusterId).destroy(); // creates the tables before two JVMs race to
        try (JvmProcess remote = JvmProcess.builder(RemoteSilo.class.getName()).name("remote-silo")
                .jvmOptions("-Xms1g", "-Xmx1g", "-XX:+UseParallelGC", "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn")
                .args(url, clusterId).logFile(dir.resolve("remote.log")).build()) {
            remote.start();
            SiloAddress remoteAddress = SiloAddress.parse(remote.awaitLogLine(Pattern.compile("READY (\\S+)"),
                    Duration.ofSeconds(60)).group(1));
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
                // Unmeasured warm-up: both JVMs compile the call path before round 1.
                sequential(local, 20_000);
                throughput(local, Duration.ofSeconds(seconds));
                double[] p50 = new double[rounds];
                double[] p99 = new double[rounds];
                double[] throughput = new double[rounds];
                for (int r = 0; r < rounds; r++) {
                    double[] latency = sequential(local, 50_000);
                    p50[r] = latency[0];
                    p99[r] = latency[1];
                    throughput[r] = throughput(local, Duration.ofSeconds(seconds));
                    System.out.printf(Locale.ROOT, "round %d: sequential p50 %.1f us p99 %.1f us | throughput %,.0f calls/s%n",
                            r + 1, p50[r], p99[r], throughput[r]);
                }
                if (local.catalog().activationCount() != 0) {
                    throw new IllegalStateException(local.catalog().activationCount() + " grains were activated on the "
                            + "calling silo: the run is not cross-silo; membership " + local.membership().currentSnapshot()
                            + "\n" + remote.logTail(30));
                }
                System.out.printf(Locale.ROOT, "MEDIAN cross-silo sequential p50 %.1f us (target <= 80), p99 %.1f us%n",
                        LocalBenchmarks.median(p50), LocalBenchmarks.median(p99));
                System.out.printf(Locale.ROOT, "MEDIAN cross-silo throughput %,.0f calls/s (target >= 250,000)%n",
                        LocalBenchmarks.median(throughput));
            } finally {
                local.kill();
            }
        }
    }

    static JdbcMembershipTable membershipTable(String url, String clusterId) {
        JdbcMembershipTable table = new JdbcMembershipTable(RemoteSilo.dataSource(url), "bench", clusterId);
        table.initialize(true);
        return table;
    }

    /** First calls carry a placement hint naming the remote silo, so every grain is activated there. */
    private static void placeOnRemote(Silo local, SiloAddress remote) {
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

    private static double[] sequential(Silo silo, int calls) {
        PingGrain grain = silo.grainFactory().getGrain(PingGrain.class, 0L);
        for (int i = 0; i < calls / 5; i++) {
            grain.ping(i).join();
        }
        long[] nanos = new long[calls];
        for (int i = 0; i < calls; i++) {
            long start = System.nanoTime();
            grain.ping(i).join();
            nanos[i] = System.nanoTime() - start;
        }
        Arrays.sort(nanos);
        return new double[] {nanos[calls / 2] / 1000.0, nanos[(int) (calls * 0.99)] / 1000.0};
    }

    private static double throughput(Silo silo, Duration duration) throws InterruptedException {
        PingGrain[] grains = new PingGrain[GRAINS];
        for (int i = 0; i < GRAINS; i++) {
            grains[i] = silo.grainFactory().getGrain(PingGrain.class, (long) i);
        }
        AtomicLong completed = new AtomicLong();
        AtomicBoolean running = new AtomicBoolean(true);
        CountDownLatch drained = new CountDownLatch(IN_FLIGHT);
        for (int lane = 0; lane < IN_FLIGHT; lane++) {
            new Lane(grains, lane, completed, running, drained).next();
        }
        Thread.sleep(duration.toMillis() / 5); // warm-up
        long startCount = completed.get();
        long start = System.nanoTime();
        Thread.sleep(duration.toMillis());
        long count = completed.get() - startCount;
        long elapsed = System.nanoTime() - start;
        running.set(false);
        if (!drained.await(30, TimeUnit.SECONDS)) {
            throw new IllegalStateException("calls still in flight 30 s after the round");
        }
        return count * 1e9 / elapsed;
    }

    /** One of the calls in flight: when its call completes, it makes the next one. */
    private record Lane(PingGrain[] grains, int index, AtomicLong completed, AtomicBoolean running,
            CountDownLatch drained) {
        void next() {
            long n = completed.get();
            grains[(int) ((n * 31 + index) % grains.length)].ping(n).whenComplete((v, e) -> {
                if (e != null) {
                    System.err.println("call failed: " + e);
                }
                completed.incrementAndGet();
                if (running.get()) {
                    next();
                } else {
                    drained.countDown();
                }
            });
        }
    }

    private CrossSiloBenchmarks() {
    }
}
