package org.orleans4j.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.orleans4j.client.DetectionGrains.LocatedGrain;
import org.orleans4j.cluster.ClusterOptions;
import org.orleans4j.cluster.SiloStatus;
import org.orleans4j.membership.MembershipRow;
import org.orleans4j.testing.FileMembershipTable;
import org.orleans4j.testing.FreePorts;
import org.orleans4j.testing.JvmProcess;

/**
 * The acceptance test of fast failure detection: two and three silo JVMs with the DEFAULT membership and
 * messaging options (5 s probes, 3 missed probes, 2 votes), a cluster client in this JVM calling
 * read-only grain methods from several threads without pause, and {@code kill -9} of the silo that
 * hosts the most of those grains. No call may fail; the test measures how long the cluster took to
 * write the dead silo's row Dead, the longest a grain of the dead silo went without answering, and the
 * longest time without any successful call, and prints them on one {@code MEASURED:} line.
 */
class FailureDetectionProcessTest {

    private static final int THREADS = 6;
    private static final int GRAINS_PER_THREAD = 30;
    private static final Duration WARM_UP = Duration.ofSeconds(3);
    private static final Duration AFTER_KILL = Duration.ofSeconds(10);
    /** The goal: from the kill to Dead in the table, and the longest a grain is unavailable, within one probe period. */
    private static final Duration GOAL = Duration.ofSeconds(5);

    @TempDir
    Path directory;

    /** What the load saw: every call reports here once it completes. */
    private static final class Recorder {
        long successes;
        long failures;
        long lastSuccessEnd;
        long longestGap;
        final Map<String, Long> lastSuccessOf = new HashMap<>();
        final Map<String, String> siloOf = new HashMap<>();
        final Map<String, Long> longestGapOf = new HashMap<>();
        final Map<String, Integer> reasons = new TreeMap<>();

        synchronized void success(String grain, String silo, long end) {
            successes++;
            if (lastSuccessEnd != 0) {
                longestGap = Math.max(longestGap, end - lastSuccessEnd);
            }
            lastSuccessEnd = Math.max(lastSuccessEnd, end);
            Long previous = lastSuccessOf.put(grain, end);
            if (previous != null) {
                longestGapOf.merge(grain, end - previous, Math::max);
            }
            siloOf.put(grain, silo);
        }

        synchronized void failure(Throwable cause) {
            failures++;
            String reason = cause.getClass().getSimpleName() + ": "
                    + String.valueOf(cause.getMessage()).replaceAll("[0-9.:@]+", "#");
            reasons.merge(reason.length() > 160 ? reason.substring(0, 160) : reason, 1, Integer::sum);
        }

        synchronized long successes() {
            return successes;
        }

        synchronized Map<String, Long> grainsPerSilo() {
            Map<String, Long> counts = new TreeMap<>();
            siloOf.values().forEach(silo -> counts.merge(silo, 1L, Long::sum));
            return counts;
        }

        /** Resets the gap measures so they cover the time from now on. */
        synchronized void startMeasuring() {
            longestGap = 0;
            longestGapOf.clear();
        }
    }

    @Test
    void killingOneOfThreeSilosUnderLoadFailsNoReadOnlyCallAndIsDetectedWithinOneProbePeriod() throws Exception {
        killOneSiloUnderLoad(3);
    }

    /** The case a user measured 17 s of failed calls in: two silos, so no intermediary to ask. */
    @Test
    void killingOneOfTwoSilosUnderLoadFailsNoReadOnlyCallAndIsDetectedWithinOneProbePeriod() throws Exception {
        killOneSiloUnderLoad(2);
    }

    private void killOneSiloUnderLoad(int siloCount) throws Exception {
        Path tableFile = directory.resolve("membership.table");
        Path logs = Path.of("target", "process-logs", "failure-detection-" + System.currentTimeMillis());
        Files.createDirectories(logs);
        String clusterId = "detect-" + UUID.randomUUID();
        int[] ports = FreePorts.allocate(2 * siloCount);
        Map<String, JvmProcess> silos = new TreeMap<>();
        try {
            for (int i = 0; i < siloCount; i++) {
                String name = "silo-" + i;
                silos.put(
                        name,
                        JvmProcess.builder(FailureDetectionSiloMain.class.getName())
                                .name(name)
                                .jvmOptions(GatewaySiloMain.jvmOptions())
                                .args(
                                        tableFile.toString(),
                                        clusterId,
                                        name,
                                        Integer.toString(ports[i]),
                                        Integer.toString(ports[siloCount + i]))
                                .logFile(logs.resolve(name + ".log"))
                                .start());
            }
            for (JvmProcess silo : silos.values()) {
                silo.awaitLogLine(Pattern.compile("READY silo=(\\S+) gateway=(\\d+)"), Duration.ofSeconds(90));
            }
            FileMembershipTable table = new FileMembershipTable(tableFile);
            try (ClusterClient client = ClusterClient.builder()
                    .clusterOptions(new ClusterOptions("test", clusterId))
                    .membershipTable(table)
                    .build()) {
                client.connect();
                await().atMost(Duration.ofSeconds(30))
                        .until(() -> client.connectedGateways().size() == siloCount);
                run(client, table, silos);
            }
        } finally {
            silos.values().forEach(JvmProcess::close);
        }
    }

    private void run(ClusterClient client, FileMembershipTable table, Map<String, JvmProcess> silos) throws Exception {
        Recorder recorder = new Recorder();
        AtomicBoolean stop = new AtomicBoolean();
        List<Thread> callers = new ArrayList<>();
        for (int t = 0; t < THREADS; t++) {
            int thread = t;
            Thread caller = new Thread(
                    () -> {
                        for (int i = 0; !stop.get(); i++) {
                            String key = "g" + thread + "-" + (i % GRAINS_PER_THREAD);
                            try {
                                String silo = client.grainFactory()
                                        .getGrain(LocatedGrain.class, key)
                                        .siloName()
                                        .get(60, TimeUnit.SECONDS);
                                recorder.success(key, silo, System.nanoTime());
                            } catch (ExecutionException e) {
                                recorder.failure(e.getCause());
                            } catch (TimeoutException e) {
                                recorder.failure(e);
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
                .until(() -> System.nanoTime() - loadStart > WARM_UP.toNanos() && recorder.successes() > 1000);
        Map<String, Long> grainsPerSilo = recorder.grainsPerSilo();
        String victim = grainsPerSilo.entrySet().stream()
                .max(Comparator.comparingLong(Map.Entry::getValue))
                .orElseThrow()
                .getKey();
        List<String> victimGrains;
        synchronized (recorder) {
            victimGrains = recorder.siloOf.entrySet().stream()
                    .filter(e -> e.getValue().equals(victim))
                    .map(Map.Entry::getKey)
                    .toList();
            recorder.startMeasuring();
        }
        long failuresBefore;
        synchronized (recorder) {
            failuresBefore = recorder.failures;
        }

        long kill = System.nanoTime();
        silos.get(victim).kill();
        long killed = System.nanoTime();
        await().pollInterval(Duration.ofMillis(20))
                .atMost(Duration.ofSeconds(60))
                .until(() -> statusOf(table, victim) == SiloStatus.DEAD);
        long dead = System.nanoTime();
        await().atMost(AFTER_KILL.plusSeconds(30)).until(() -> System.nanoTime() - kill > AFTER_KILL.toNanos());
        stop.set(true);
        for (Thread caller : callers) {
            caller.join(90_000);
        }

        // Every grain answers, those of the dead silo from a survivor.
        List<CompletableFuture<String>> sweep = new ArrayList<>();
        for (int t = 0; t < THREADS; t++) {
            for (int i = 0; i < GRAINS_PER_THREAD; i++) {
                sweep.add(client.grainFactory()
                        .getGrain(LocatedGrain.class, "g" + t + "-" + i)
                        .siloName());
            }
        }
        for (CompletableFuture<String> call : sweep) {
            assertThat(call).succeedsWithin(Duration.ofSeconds(30)).isNotEqualTo(victim);
        }

        synchronized (recorder) {
            long longestVictimGrainGap = victimGrains.stream()
                    .mapToLong(g -> recorder.longestGapOf.getOrDefault(g, 0L))
                    .max()
                    .orElse(0);
            long failures = recorder.failures - failuresBefore;
            System.out.println("MEASURED: kill -9 of 1 of " + silos.size() + " silo JVMs (" + victim + ", hosting "
                    + victimGrains.size() + " of " + recorder.siloOf.size() + " grains), default membership and"
                    + " messaging options, " + THREADS + " client threads calling @ReadOnly methods: calls="
                    + (recorder.successes + recorder.failures) + " failed=" + failures + "; row Dead "
                    + millis(dead - kill) + " ms after the kill (the kill itself took " + millis(killed - kill)
                    + " ms); longest a grain of the dead silo went without answering=" + millis(longestVictimGrainGap)
                    + " ms; longest gap without any successful call=" + millis(recorder.longestGap) + " ms");
            recorder.reasons.forEach((reason, count) -> System.out.println("  failed " + count + "x: " + reason));
            assertThat(dead - kill).as("kill -9 to Dead in the table").isLessThanOrEqualTo(GOAL.toNanos());
            assertThat(failures)
                    .as("failed calls (read-only calls are retried)")
                    .isZero();
            assertThat(longestVictimGrainGap)
                    .as("longest a grain of the dead silo went unanswered")
                    .isLessThanOrEqualTo(GOAL.toNanos());
            assertThat(recorder.longestGap)
                    .as("longest gap without any successful call")
                    .isLessThanOrEqualTo(GOAL.toNanos());
        }
    }

    private static SiloStatus statusOf(FileMembershipTable table, String siloName) {
        return table.readAll().join().rows().stream()
                .map(MembershipRow::entry)
                .filter(e -> siloName.equals(e.siloName()))
                .map(e -> e.status())
                .findFirst()
                .orElse(SiloStatus.NONE);
    }

    private static long millis(long nanos) {
        return TimeUnit.NANOSECONDS.toMillis(nanos);
    }
}
