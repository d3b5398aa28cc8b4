package org.orleans4j.benchmarks;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Pattern;
import org.orleans4j.cluster.ClusterOptions;
import org.orleans4j.cluster.SiloAddress;
import org.orleans4j.grain.GrainFactory;
import org.orleans4j.runtime.EndpointOptions;
import org.orleans4j.runtime.Silo;
import org.orleans4j.runtime.SiloOptions;
import org.orleans4j.testing.JvmProcess;

/**
 * The cost of observations and tracing, in one run: local and cross-silo throughput (1,000 grains, 64
 * calls in flight) and sequential p50, with each {@link ObservationMode} (off; observed, calls not observed;
 * observed, calls observed; traced at 10%).
 * Each round runs every mode once, one after the other, so the machine's drift touches all modes alike;
 * the medians of the rounds and their ratios to {@code off} are printed. Cross-silo, each mode has its
 * own pair of silos: a calling silo here and a far silo JVM with the same mode.
 * Arguments: {@code rounds} (default 5), {@code seconds} per throughput round (default 5).
 */
public final class ObservationBenchmarks {

    public static void main(String[] args) throws Exception {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 5;
        int seconds = args.length > 1 ? Integer.parseInt(args[1]) : 5;
        System.out.printf(
                Locale.ROOT,
                "Observation benchmarks: %d rounds, %d cores, %s %s%n",
                rounds,
                Runtime.getRuntime().availableProcessors(),
                System.getProperty("java.vm.name"),
                System.getProperty("java.version"));
        ObservationMode[] modes = ObservationMode.values();
        Map<ObservationMode, double[]> localThroughput = results(rounds);
        Map<ObservationMode, double[]> localP50 = results(rounds);
        for (int r = 0; r < rounds; r++) {
            for (ObservationMode mode : modes) {
                try (Silo silo = localSilo(mode)) {
                    List<PingGrain> grains = CrossSiloBenchmarks.grains(silo.grainFactory());
                    grains.forEach(g -> g.ping(0).join());
                    localP50.get(mode)[r] = LocalBenchmarks.sequential(grains.get(0), 50_000, 200_000)[0];
                    localThroughput.get(mode)[r] = LocalBenchmarks.throughput(grains, Duration.ofSeconds(seconds));
                }
                System.out.printf(
                        Locale.ROOT,
                        "local %-8s round %d: sequential p50 %.1f us | throughput %,.0f calls/s%n",
                        mode,
                        r + 1,
                        localP50.get(mode)[r],
                        localThroughput.get(mode)[r]);
            }
        }

        Map<ObservationMode, double[]> remoteThroughput = results(rounds);
        Map<ObservationMode, double[]> remoteP50 = results(rounds);
        Path dir = Files.createTempDirectory("orleans-bench");
        String url = "jdbc:h2:file:" + dir.resolve("membership") + ";AUTO_SERVER=TRUE";
        List<JvmProcess> remotes = new ArrayList<>();
        List<Silo> locals = new ArrayList<>();
        try (Connection held = RemoteSilo.dataSource(url).getConnection()) {
            Map<ObservationMode, GrainFactory> callers = new EnumMap<>(ObservationMode.class);
            for (ObservationMode mode : modes) {
                String clusterId = "observe-" + mode.name().toLowerCase(Locale.ROOT) + "-" + UUID.randomUUID();
                CrossSiloBenchmarks.membershipTable(url, clusterId).destroy();
                JvmProcess remote = JvmProcess.builder(RemoteSilo.class.getName())
                        .name("remote-" + mode)
                        .jvmOptions(CrossSiloBenchmarks.remoteJvmOptions("-Dbench.observe=" + mode))
                        .args(url, clusterId, "0")
                        .logFile(dir.resolve("remote-" + mode + ".log"))
                        .build();
                remotes.add(remote);
                remote.start();
                SiloAddress remoteAddress = CrossSiloBenchmarks.awaitReady(remote);
                Silo local = Silo.builder()
                        .clusterOptions(new ClusterOptions("bench", clusterId))
                        .siloOptions(new SiloOptions("local", null))
                        .endpointOptions(new EndpointOptions(0, 0, "127.0.0.1", "127.0.0.1"))
                        .membershipTable(CrossSiloBenchmarks.membershipTable(url, clusterId))
                        .addGrainClass(PingGrainImpl.class)
                        .observationRegistry(mode.registry())
                        .observeGrainCalls(mode.observesCalls())
                        .build();
                locals.add(local);
                local.start();
                remote.awaitLogLine(Pattern.compile("ACTIVE SILOS 2"), Duration.ofSeconds(60));
                CrossSiloBenchmarks.placeOnRemote(local, remoteAddress);
                callers.put(mode, local.grainFactory());
                // Unmeasured warm-up of both JVMs' call paths.
                List<PingGrain> grains = CrossSiloBenchmarks.grains(local.grainFactory());
                LocalBenchmarks.sequential(grains.get(0), 0, 20_000);
                LocalBenchmarks.throughput(grains, Duration.ofSeconds(seconds));
            }
            for (int r = 0; r < rounds; r++) {
                for (ObservationMode mode : modes) {
                    List<PingGrain> grains = CrossSiloBenchmarks.grains(callers.get(mode));
                    remoteP50.get(mode)[r] = LocalBenchmarks.sequential(grains.get(0), 10_000, 50_000)[0];
                    remoteThroughput.get(mode)[r] = LocalBenchmarks.throughput(grains, Duration.ofSeconds(seconds));
                    System.out.printf(
                            Locale.ROOT,
                            "cross-silo %-8s round %d: sequential p50 %.1f us | throughput %,.0f calls/s%n",
                            mode,
                            r + 1,
                            remoteP50.get(mode)[r],
                            remoteThroughput.get(mode)[r]);
                }
            }
            for (Silo local : locals) {
                if (local.diagnostics().activationCount() != 0) {
                    throw new IllegalStateException(
                            "grains were activated on a calling silo: the run is not cross-silo");
                }
            }
        } finally {
            locals.forEach(Silo::kill);
            remotes.forEach(JvmProcess::close);
        }
        report("local throughput", localThroughput, "calls/s");
        report("local sequential p50", localP50, "us");
        report("cross-silo throughput", remoteThroughput, "calls/s");
        report("cross-silo sequential p50", remoteP50, "us");
    }

    private static Silo localSilo(ObservationMode mode) {
        Silo silo = Silo.builder()
                .siloOptions(new SiloOptions("bench", null))
                .addGrainClass(PingGrainImpl.class)
                .observationRegistry(mode.registry())
                .observeGrainCalls(mode.observesCalls())
                .build();
        silo.start();
        return silo;
    }

    private static Map<ObservationMode, double[]> results(int rounds) {
        Map<ObservationMode, double[]> results = new EnumMap<>(ObservationMode.class);
        for (ObservationMode mode : ObservationMode.values()) {
            results.put(mode, new double[rounds]);
        }
        return results;
    }

    private static void report(String what, Map<ObservationMode, double[]> results, String unit) {
        double off = LocalBenchmarks.median(results.get(ObservationMode.OFF));
        StringBuilder line = new StringBuilder("MEDIAN " + what + ":");
        for (ObservationMode mode : ObservationMode.values()) {
            double median = LocalBenchmarks.median(results.get(mode));
            line.append(String.format(
                    Locale.ROOT,
                    " %s %,.1f %s (%.2fx)%s",
                    mode.name().toLowerCase(Locale.ROOT),
                    median,
                    unit,
                    median / off,
                    mode == ObservationMode.TRACED ? "" : ","));
        }
        System.out.println(line);
    }

    private ObservationBenchmarks() {}
}
