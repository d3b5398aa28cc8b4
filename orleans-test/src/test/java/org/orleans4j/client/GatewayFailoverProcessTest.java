package org.orleans4j.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.MatchResult;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.orleans4j.client.ClientGrains.EchoGrain;
import org.orleans4j.cluster.ClusterOptions;
import org.orleans4j.testing.FileMembershipTable;
import org.orleans4j.testing.FreePorts;
import org.orleans4j.testing.JvmProcess;

/**
 * {@code kill -9} of the gateway a client sends most of its calls through, under a steady load, with
 * two real silo processes sharing a file membership table. Calls in flight on the dead gateway's
 * connection are retried on the other one; grains that lived on the dead silo come back on the
 * survivor once the cluster has declared it dead. Prints one {@code MEASURED:} line.
 */
class GatewayFailoverProcessTest {

    private static final int THREADS = 8;
    private static final int GRAINS_PER_THREAD = 25;
    private static final Duration WARM_UP = Duration.ofSeconds(3);
    private static final Duration AFTER_KILL = Duration.ofSeconds(10);
    /** A call slower than this counts as disturbed by the failover. */
    private static final long SLOW_NANOS = TimeUnit.MILLISECONDS.toNanos(250);

    @TempDir
    Path directory;

    /** What the load saw; every call reports here once it completes. */
    private static final class Recorder {
        long successes;
        long failures;
        long lastSuccessEnd;
        long longestGap;
        long slowest;
        long firstFailureEnd;
        long lastFailureEnd;
        long lastDisturbedEnd;
        final Map<String, Integer> reasons = new TreeMap<>();

        synchronized void success(long start, long end) {
            successes++;
            if (lastSuccessEnd != 0) {
                longestGap = Math.max(longestGap, end - lastSuccessEnd);
            }
            lastSuccessEnd = Math.max(lastSuccessEnd, end);
            slowest = Math.max(slowest, end - start);
            if (end - start > SLOW_NANOS) {
                lastDisturbedEnd = Math.max(lastDisturbedEnd, end);
            }
        }

        synchronized void failure(long end, Throwable cause) {
            failures++;
            if (firstFailureEnd == 0) {
                firstFailureEnd = end;
            }
            lastFailureEnd = end;
            lastDisturbedEnd = Math.max(lastDisturbedEnd, end);
            String reason = cause.getClass().getSimpleName() + ": "
                    + String.valueOf(cause.getMessage()).replaceAll("[0-9.:@]+", "#");
            reasons.merge(reason.length() > 140 ? reason.substring(0, 140) : reason, 1, Integer::sum);
        }

        synchronized long successes() {
            return successes;
        }
    }

    @Test
    void killingTheBusiestGatewayUnderLoadIsRecoveredWithinTheRetryBound() throws Exception {
        Path table = directory.resolve("membership.table");
        Path logs = Path.of("target", "process-logs", "gateway-failover-" + System.currentTimeMillis());
        Files.createDirectories(logs);
        String clusterId = "failover-" + UUID.randomUUID();
        int[] ports = FreePorts.allocate(4);
        List<JvmProcess> silos = new ArrayList<>();
        Map<String, JvmProcess> byGateway = new TreeMap<>();
        try {
            for (int i = 0; i < 2; i++) {
                JvmProcess silo = JvmProcess.builder(GatewaySiloMain.class.getName())
                        .name("silo-" + i)
                        .jvmOptions(GatewaySiloMain.jvmOptions())
                        .args(
                                table.toString(),
                                clusterId,
                                "silo-" + i,
                                Integer.toString(ports[i]),
                                Integer.toString(ports[2 + i]))
                        .logFile(logs.resolve("silo-" + i + ".log"))
                        .start();
                silos.add(silo);
                byGateway.put("127.0.0.1:" + ports[2 + i], silo);
            }
            for (JvmProcess silo : silos) {
                MatchResult ready =
                        silo.awaitLogLine(Pattern.compile("READY silo=(\\S+) gateway=(\\d+)"), Duration.ofSeconds(90));
                assertThat(Integer.parseInt(ready.group(2))).isPositive();
            }

            try (ClusterClient client = ClusterClient.builder()
                    .clusterOptions(new ClusterOptions("test", clusterId))
                    .membershipTable(new FileMembershipTable(table))
                    .build()) {
                client.connect();
                await().atMost(Duration.ofSeconds(30))
                        .until(() -> client.connectedGateways().size() == 2);
                run(client, byGateway);
            }
        } finally {
            silos.forEach(JvmProcess::close);
        }
    }

    private void run(ClusterClient client, Map<String, JvmProcess> byGateway) throws Exception {
        Recorder recorder = new Recorder();
        AtomicBoolean stop = new AtomicBoolean();
        List<Thread> callers = new ArrayList<>();
        for (int t = 0; t < THREADS; t++) {
            int thread = t;
            Thread caller = new Thread(
                    () -> {
                        for (int i = 0; !stop.get(); i++) {
                            String key = "g" + thread + "-" + (i % GRAINS_PER_THREAD);
                            long start = System.nanoTime();
                            try {
                                client.grainFactory()
                                        .getGrain(EchoGrain.class, key)
                                        .echo(key)
                                        .get(60, TimeUnit.SECONDS);
                                recorder.success(start, System.nanoTime());
                            } catch (ExecutionException e) {
                                recorder.failure(System.nanoTime(), e.getCause());
                            } catch (TimeoutException e) {
                                recorder.failure(System.nanoTime(), e);
                            } catch (InterruptedException e) {
                                return;
                            }
                        }
                    },
                    "load-" + t);
            caller.start();
            callers.add(caller);
        }

        long loadStart = System.nanoTime();
        await().atMost(Duration.ofSeconds(60))
                .until(() -> System.nanoTime() - loadStart > WARM_UP.toNanos() && recorder.successes() > 100);
        Map<String, Long> perGateway = client.callsPerGateway();
        String busiest = perGateway.entrySet().stream()
                .max(Comparator.comparingLong(Map.Entry::getValue))
                .orElseThrow()
                .getKey();
        long total = perGateway.values().stream().mapToLong(Long::longValue).sum();
        String survivor = byGateway.keySet().stream()
                .filter(g -> !g.equals(busiest))
                .findFirst()
                .orElseThrow();

        long kill = System.nanoTime();
        byGateway.get(busiest).kill();
        await().atMost(Duration.ofSeconds(10))
                .until(() -> client.connectedGateways().equals(List.of(survivor)));
        long successesAtKill = recorder.successes();
        await().atMost(AFTER_KILL.plusSeconds(30)).until(() -> System.nanoTime() - kill > AFTER_KILL.toNanos());
        stop.set(true);
        for (Thread caller : callers) {
            caller.join(90_000);
        }

        // Every grain answers through the surviving gateway.
        List<CompletableFuture<String>> sweep = new ArrayList<>();
        for (int t = 0; t < THREADS; t++) {
            for (int i = 0; i < GRAINS_PER_THREAD; i++) {
                sweep.add(client.grainFactory()
                        .getGrain(EchoGrain.class, "g" + t + "-" + i)
                        .echo("after"));
            }
        }
        for (CompletableFuture<String> call : sweep) {
            assertThat(call).succeedsWithin(Duration.ofSeconds(30)).isEqualTo("after");
        }

        synchronized (recorder) {
            String failureWindow = recorder.failures == 0
                    ? "none"
                    : millis(recorder.firstFailureEnd - kill) + ".." + millis(recorder.lastFailureEnd - kill)
                            + " ms after the kill";
            long normalAgain = Math.max(0, recorder.lastDisturbedEnd - kill);
            System.out.println("MEASURED: kill -9 of the busiest gateway (" + perGateway.get(busiest) + " of " + total
                    + " calls went through it) under " + THREADS + " callers over " + (THREADS * GRAINS_PER_THREAD)
                    + " grains, 2 silo JVMs, idempotent calls, default retry (until the 30 s response timeout, 50 ms..1 s), "
                    + "probes 500 ms x 3: calls="
                    + (recorder.successes + recorder.failures) + " failed=" + recorder.failures + " (" + failureWindow
                    + "), longest gap without a successful call=" + millis(recorder.longestGap)
                    + " ms, slowest successful call=" + millis(recorder.slowest) + " ms, calls normal again "
                    + millis(normalAgain) + " ms after the kill, successful calls after the kill="
                    + (recorder.successes - successesAtKill));
            recorder.reasons.forEach((reason, count) -> System.out.println("  failed " + count + "x: " + reason));
            assertThat(recorder.successes - successesAtKill)
                    .as("calls succeed after the kill")
                    .isPositive();
            assertThat(normalAgain)
                    .as("calls are normal again well before the end of the run")
                    .isLessThan(AFTER_KILL.toNanos() - TimeUnit.SECONDS.toNanos(2));
        }
    }

    private static long millis(long nanos) {
        return TimeUnit.NANOSECONDS.toMillis(nanos);
    }
}
