package org.orleans4j.example.probe;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.LongAccumulator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;

/**
 * SIGTERM of one silo of three while clients keep calling grains through the other two (as a load
 * balancer would, once the terminating pod's readiness failed): the silo turns ShuttingDown, takes
 * no new activations, deactivates its grains (the tallies write their in-memory counts only then),
 * hands off its directory partition and ends Dead within {@code spring.lifecycle.timeout-per-shutdown-phase};
 * the callers see no failure (the runtime's retries absorb the move) and no count is lost or doubled.
 */
class GracefulShutdownProcessesTest {

    private static final Duration SHUTDOWN_TIMEOUT = Duration.ofSeconds(20);
    private static final int TALLIES = 200;
    private static final int CLIENTS = 8;
    private static final int WORDS_PER_CLIENT = 10;
    /** The silo that gets the SIGTERM; the others take the load. */
    private static final int TERMINATED = 1;

    private static final List<Integer> SURVIVORS = List.of(0, 2);

    private ProbeCluster cluster;

    /** Kept when the test fails, for the silos' logs. */
    @TempDir(cleanup = CleanupMode.ON_SUCCESS)
    Path logs;

    @BeforeEach
    void startCluster() throws Exception {
        cluster = ProbeCluster.start(
                3,
                logs,
                "--spring.lifecycle.timeout-per-shutdown-phase=" + SHUTDOWN_TIMEOUT.toSeconds() + "s",
                // A failed call's 500 names its cause, for the failure samples.
                "--server.error.include-message=always");
        // Placement spreads grains over the silos each silo sees Active: wait until all see all.
        cluster.awaitAllActive();
    }

    @AfterEach
    void stopCluster() {
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    void sigtermOfOneSiloUnderLoadLosesNoCallAndNoState() throws Exception {
        String terminatedAddress = cluster.address(TERMINATED);
        Load load = new Load();

        // Every grain activated once through the survivors; placement puts about a third on the silo to stop.
        for (int key = 0; key < TALLIES; key++) {
            assertThat(load.increment(SURVIVORS.get(key % 2), key))
                    .as("warm-up increment of tally %d", key)
                    .isTrue();
        }
        for (int client = 0; client < CLIENTS; client++) {
            for (int word = 0; word < WORDS_PER_CLIENT; word++) {
                assertThat(load.define(SURVIVORS.get(word % 2), client, word))
                        .as("warm-up definition")
                        .isTrue();
            }
        }
        Set<String> talliesThere = keys(TERMINATED, "tally");
        Set<String> entriesThere = keys(TERMINATED, "entry");
        assertThat(talliesThere.size()).as("tallies on the silo to terminate").isGreaterThanOrEqualTo(TALLIES / 6);
        assertThat(entriesThere).as("entries on the silo to terminate").isNotEmpty();

        load.start();
        await().atMost(Duration.ofSeconds(60)).until(() -> load.calls.get() >= 500);

        long callsBefore = load.calls.get();
        long sigtermAt = System.nanoTime();
        load.transitionFrom(sigtermAt);
        AtomicLong exitedAt = new AtomicLong();
        CompletableFuture<Boolean> graceful = CompletableFuture.supplyAsync(() -> {
            boolean exited = cluster.silo(TERMINATED).terminate(Duration.ofSeconds(90));
            exitedAt.set(System.nanoTime());
            return exited;
        });
        await().atMost(Duration.ofSeconds(60))
                .pollInterval(Duration.ofMillis(100))
                .until(() -> {
                    for (int i : SURVIVORS) {
                        if (!"DEAD".equals(cluster.statusOf(i, terminatedAddress))) {
                            return false;
                        }
                    }
                    return true;
                });
        long deadMillis = (System.nanoTime() - sigtermAt) / 1_000_000;
        assertThat(graceful.get(120, TimeUnit.SECONDS))
                .as("the silo exited on SIGTERM without a SIGKILL")
                .isTrue();
        long exitMillis = (exitedAt.get() - sigtermAt) / 1_000_000;
        // Keep calling after the move, so the grains that were on the stopped silo are used again.
        long callsAtExit = load.calls.get();
        await().atMost(Duration.ofSeconds(60)).until(() -> load.calls.get() >= callsAtExit + 500);
        load.stop();

        String log = Files.readString(cluster.silo(TERMINATED).logFile());
        System.out.println("Shutdown of silo-" + TERMINATED + ", from its log (logs in " + logs + "):");
        log.lines()
                .filter(line -> line.contains("Readiness is")
                        || line.contains("Silo " + terminatedAddress)
                        || line.contains(" WARN ")
                        || line.contains(" ERROR "))
                .forEach(line -> System.out.println("  " + line));
        for (int i : SURVIVORS) {
            System.out.println("Warnings and duplicates in the log of silo-" + i + ":");
            Files.readString(cluster.silo(i).logFile())
                    .lines()
                    .filter(line -> line.contains(" WARN ") || line.contains(" ERROR ") || line.contains("duplicate"))
                    .forEach(line -> System.out.println("  " + line));
        }
        Matcher deactivated =
                Pattern.compile("deactivated (\\d+) activations in (\\d+) ms").matcher(log);
        int grainsDeactivated = deactivated.find() ? Integer.parseInt(deactivated.group(1)) : -1;
        Matcher stopped = Pattern.compile("is Dead in the membership table; stopped (\\d+) ms after")
                .matcher(log);
        long stopMillis = stopped.find() ? Long.parseLong(stopped.group(1)) : -1;
        System.out.printf(
                "MEASURED: SIGTERM of silo %s under load (%d clients via 2 survivors, %d tallies, %d words):"
                        + " Dead for both survivors after %d ms, process exited after %d ms (exit code %d),"
                        + " silo stop took %d ms, %d grains deactivated (%d tallies, %d entries on it);"
                        + " calls %d (%d since the SIGTERM), failed %d, max latency %d ms (%d ms since the SIGTERM)%n",
                terminatedAddress,
                CLIENTS,
                TALLIES,
                CLIENTS * WORDS_PER_CLIENT,
                deadMillis,
                exitMillis,
                cluster.silo(TERMINATED).exitCode().orElse(-1),
                stopMillis,
                grainsDeactivated,
                talliesThere.size(),
                entriesThere.size(),
                load.calls.get(),
                load.calls.get() - callsBefore,
                load.failures.get(),
                load.maxLatencyMillis.get(),
                load.maxTransitionLatencyMillis.get());

        assertThat(load.failures.get())
                .as("failed calls; first ones: %s", load.failureSamples)
                .isZero();
        // The JVM's exit status after SIGTERM (128 + 15): shutdown hooks ran, nothing called exit(1).
        assertThat(cluster.silo(TERMINATED).exitCode()).hasValue(143);
        assertThat(deadMillis).as("time to Dead").isLessThan(SHUTDOWN_TIMEOUT.toMillis());
        assertThat(stopMillis).as("the silo's own stop time").isBetween(0L, SHUTDOWN_TIMEOUT.toMillis());
        assertThat(log)
                .containsSubsequence(
                        "Readiness is REFUSING_TRAFFIC",
                        "is ShuttingDown; deactivating",
                        "deactivated " + grainsDeactivated + " activations",
                        "is Dead in the membership table");
        assertThat(grainsDeactivated).isGreaterThanOrEqualTo(talliesThere.size() + entriesThere.size());

        // Written on deactivation, read on the next activation: nothing lost, nothing counted twice.
        Map<Integer, String> wrong = new HashMap<>();
        for (int key = 0; key < TALLIES; key++) {
            long total = Long.parseLong(cluster.get(SURVIVORS.get(key % 2), "/probe/tally/t" + key));
            if (total != load.increments.get(key)) {
                wrong.put(
                        key,
                        (talliesThere.contains("t" + key) ? "on the stopped silo, " : "elsewhere, ") + "total " + total
                                + ", successful increments " + load.increments.get(key));
            }
        }
        assertThat(wrong)
                .as("tallies whose total differs from their successful increments")
                .isEmpty();
        for (int client = 0; client < CLIENTS; client++) {
            for (int word = 0; word < WORDS_PER_CLIENT; word++) {
                assertThat(cluster.get(SURVIVORS.get(word % 2), "/entries/" + Load.word(client, word)))
                        .isEqualTo(load.definitions[client][word]);
            }
        }
        for (int i : SURVIVORS) {
            assertThat(keys(i, "tally")).doesNotContainAnyElementsOf(keys(i == 0 ? 2 : 0, "tally"));
        }
    }

    private Set<String> keys(int silo, String kind) throws Exception {
        String body = cluster.get(silo, "/probe/keys/" + kind);
        return body.isEmpty() ? Set.of() : new TreeSet<>(List.of(body.split("\n")));
    }

    /** Client threads calling the survivors, counting what succeeded, what failed and how long calls took. */
    private final class Load {
        final AtomicLongArray increments = new AtomicLongArray(TALLIES);
        /** The last definition each client stored for each of its words (only that client writes them). */
        final String[][] definitions = new String[CLIENTS][WORDS_PER_CLIENT];

        final AtomicLong calls = new AtomicLong();
        final AtomicLong failures = new AtomicLong();
        final List<String> failureSamples = Collections.synchronizedList(new ArrayList<>());
        final LongAccumulator maxLatencyMillis = new LongAccumulator(Math::max, 0);
        /** Of the calls that ended after the SIGTERM. */
        final LongAccumulator maxTransitionLatencyMillis = new LongAccumulator(Math::max, 0);

        private final AtomicBoolean running = new AtomicBoolean();
        private final List<Thread> threads = new ArrayList<>();
        private volatile long transitionStart = Long.MAX_VALUE;

        static String word(int client, int word) {
            return "w" + client + "-" + word;
        }

        void start() {
            running.set(true);
            for (int client = 0; client < CLIENTS; client++) {
                int c = client;
                threads.add(Thread.ofPlatform().name("load-" + client).start(() -> run(c)));
            }
        }

        void transitionFrom(long nanos) {
            transitionStart = nanos;
        }

        void stop() throws InterruptedException {
            running.set(false);
            for (Thread thread : threads) {
                thread.join(Duration.ofSeconds(60));
                assertThat(thread.isAlive()).as("%s stopped", thread.getName()).isFalse();
            }
        }

        private void run(int client) {
            int sequence = 0;
            ThreadLocalRandom random = ThreadLocalRandom.current();
            while (running.get()) {
                int via = SURVIVORS.get(sequence++ & 1);
                int dice = random.nextInt(10);
                if (dice < 7) {
                    increment(via, random.nextInt(TALLIES));
                } else {
                    int word = random.nextInt(WORDS_PER_CLIENT);
                    if (dice < 9 || definitions[client][word] == null) {
                        define(via, client, word);
                    } else {
                        read(via, client, word);
                    }
                }
            }
        }

        boolean increment(int via, int key) {
            HttpResponse<String> response = call(
                    via,
                    HttpRequest.newBuilder(URI.create(cluster.base(via) + "/probe/tally/t" + key))
                            .POST(HttpRequest.BodyPublishers.noBody()));
            if (response != null && response.statusCode() == 200) {
                increments.incrementAndGet(key);
                return true;
            }
            return fail("increment t" + key + " via silo-" + via, response);
        }

        boolean define(int via, int client, int word) {
            String definition = "definition " + System.nanoTime();
            HttpResponse<String> response = call(
                    via,
                    HttpRequest.newBuilder(URI.create(cluster.base(via) + "/entries/" + word(client, word)))
                            .header("Content-Type", "text/plain")
                            .PUT(HttpRequest.BodyPublishers.ofString(definition)));
            if (response != null && response.statusCode() == 204) {
                definitions[client][word] = definition;
                return true;
            }
            return fail("define " + word(client, word) + " via silo-" + via, response);
        }

        void read(int via, int client, int word) {
            HttpResponse<String> response = call(
                    via,
                    HttpRequest.newBuilder(URI.create(cluster.base(via) + "/entries/" + word(client, word)))
                            .GET());
            if (response == null
                    || response.statusCode() != 200
                    || !response.body().equals(definitions[client][word])) {
                fail(
                        "read " + word(client, word) + " via silo-" + via + " (expected '" + definitions[client][word]
                                + "')",
                        response);
            }
        }

        private HttpResponse<String> call(int via, HttpRequest.Builder request) {
            long start = System.nanoTime();
            try {
                return cluster.send(via, request);
            } catch (Exception e) {
                if (failureSamples.size() < 10) {
                    failureSamples.add(e.toString());
                }
                return null;
            } finally {
                long end = System.nanoTime();
                long millis = (end - start) / 1_000_000;
                calls.incrementAndGet();
                maxLatencyMillis.accumulate(millis);
                if (end >= transitionStart) {
                    maxTransitionLatencyMillis.accumulate(millis);
                }
            }
        }

        private boolean fail(String what, HttpResponse<String> response) {
            failures.incrementAndGet();
            if (failureSamples.size() < 10) {
                failureSamples.add(what + ": "
                        + (response == null ? "no response" : response.statusCode() + " " + response.body()));
            }
            return false;
        }
    }
}
