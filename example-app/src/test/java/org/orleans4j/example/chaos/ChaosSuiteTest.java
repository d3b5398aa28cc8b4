package org.orleans4j.example.chaos;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.orleans4j.client.ClusterClient;
import org.orleans4j.cluster.ClusterOptions;
import org.orleans4j.example.dictionary.EntryGrain;

/**
 * The chaos suite: three silo JVMs of the dictionary service on an embedded PostgreSQL, with the
 * example's default settings, under load through every silo's REST API and through a cluster client in
 * this JVM, while every 20 s one silo is killed with {@code kill -9} and another stopped with
 * {@code SIGTERM}, both restarted at once on their ports. Every acknowledged word must read back its
 * latest acknowledged definition, during the run and at its end, and no grain may have two activations
 * alive at once (the {@link ActivationLedger}). Prints a {@code MEASURED:} line.
 *
 * <p>{@code -Dchaos.duration=PT10M} (ISO-8601) sets how long faults are injected: a round every
 * {@code chaos.fault-period} (20 s) while that time lasts, later when restarts take longer, so 70 s by
 * default (up to three rounds, within {@code ./mvnw verify}), 10 min (up to 30 rounds) in the {@code chaos}
 * profile. {@code -Dchaos.seed} replays
 * a run's choice of victims.
 */
class ChaosSuiteTest {

    private static final Duration DURATION = Duration.parse(System.getProperty("chaos.duration", "PT70S"));
    private static final Duration FAULT_PERIOD = Duration.parse(System.getProperty("chaos.fault-period", "PT20S"));
    private static final long SEED = Long.getLong("chaos.seed", System.nanoTime());
    private static final int SILOS = 3;
    /** After the last fault, every stream must succeed again within this: the cluster recovered. */
    private static final Duration RECOVERY = Duration.ofSeconds(90);
    /**
     * Loose bound on the longest failure run: beyond it the cluster stopped serving a stream while two
     * of its three silos were up. Its goal, {@link ChaosReport#FAILURE_RUN_GOAL}, is reported.
     */
    private static final Duration LONGEST_FAILURE_RUN_LIMIT = Duration.ofMinutes(2);

    @Test
    void killedAndStoppedSilosLoseNoAcknowledgedWriteAndNeverDuplicateAnActivation() throws Exception {
        Path logs = Path.of("target", "process-logs", "chaos-" + System.currentTimeMillis());
        Files.createDirectories(logs);
        System.out.printf(
                "CHAOS: %s of faults every %s, seed %d, logs in %s%n",
                DURATION, FAULT_PERIOD, SEED, logs.toAbsolutePath());
        HttpClient http = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(5))
                .build();
        try (ChaosCluster cluster = ChaosCluster.start(SILOS, logs)) {
            cluster.awaitAllActive(Duration.ofSeconds(60));
            try (ClusterClient client = ClusterClient.builder()
                    .clusterOptions(new ClusterOptions("dictionary", cluster.clusterId()))
                    .staticGateways(cluster.gateways())
                    .build()) {
                client.connect();
                await().atMost(Duration.ofSeconds(30))
                        .until(() -> client.connectedGateways().size() == SILOS);

                LossLog losses = new LossLog();
                List<LoadStream> streams = new ArrayList<>();
                for (int silo = 0; silo < SILOS; silo++) {
                    streams.add(new LoadStream(
                            "rest-" + silo, DictionaryRoute.rest(cluster, silo, http), SEED + silo, losses));
                }
                streams.add(new LoadStream("client", DictionaryRoute.client(client), SEED + SILOS, losses));
                streams.forEach(LoadStream::start);
                stage("cluster up, load started");

                FaultInjector faults = new FaultInjector(cluster, FAULT_PERIOD, SEED);
                try {
                    faults.runFor(DURATION);
                    long lastFault = System.nanoTime();
                    stage("faults done");
                    await("every stream succeeding again after the last fault")
                            .atMost(RECOVERY)
                            .pollInterval(Duration.ofMillis(200))
                            .until(() -> streams.stream().allMatch(stream -> stream.succeededAfter(lastFault)));
                    stage("every stream succeeded again");
                } finally {
                    for (LoadStream stream : streams) {
                        stream.stop();
                    }
                }
                stage("load stopped");
                faults.events().forEach(event -> System.out.println("CHAOS: " + event));

                int acknowledged = checkEveryWord(streams, client, losses);
                stage("every word read back");
                List<ActivationLedger.Activation> activations =
                        new ActivationLedger(cluster.jdbcUrl()).activations(cluster::endOf);
                ChaosReport report = new ChaosReport(
                        DURATION,
                        SEED,
                        faults.kills(),
                        faults.terminations(),
                        streams,
                        acknowledged,
                        losses.lostWords(),
                        activations.size(),
                        ActivationLedger.duplicates(activations),
                        ActivationLedger.closestHandovers(activations, 5),
                        cluster::endingOf);
                System.out.println(report.measured());
                System.out.print(report.details());
                System.out.println(losses.describe());

                // Rounds slip when restarts outlast the period (a busy machine), so there may be fewer than one per
                // period.
                assertThat(faults.kills()).as("kill -9 rounds done").isBetween(1, (int)
                        DURATION.dividedBy(FAULT_PERIOD));
                assertThat(report.longestFailureRun().longestFailureRunMillis())
                        .as("the longest time a stream saw no success (the goal is %s)", ChaosReport.FAILURE_RUN_GOAL)
                        .isLessThanOrEqualTo(LONGEST_FAILURE_RUN_LIMIT.toMillis());
                assertThat(report.lostWords())
                        .as("acknowledged words that read back wrong:%n%s", losses.describe())
                        .isZero();
                assertThat(report.duplicates())
                        .as("overlapping activations of one grain:%n%s", report.duplicateDetails())
                        .isEmpty();
                assertThat(report.activations())
                        .as("activations recorded in the ledger")
                        .isGreaterThanOrEqualTo(acknowledged);
            }
        }
    }

    private static void stage(String what) {
        System.out.printf("CHAOS: %tT %s%n", System.currentTimeMillis(), what);
    }

    /**
     * Reads every word with an acknowledged write through the client, retrying a failed read (the
     * cluster has recovered, so a read that keeps failing is a fault too), and records each that reads
     * back wrong. Returns how many words were checked.
     */
    private static int checkEveryWord(List<LoadStream> streams, ClusterClient client, LossLog losses) {
        int checked = 0;
        for (LoadStream stream : streams) {
            for (TrackedWord word : stream.words()) {
                if (!word.hasAcknowledgedWrite()) {
                    continue;
                }
                String[] read = new String[1];
                await("a read of " + word.word())
                        .atMost(Duration.ofSeconds(60))
                        .pollDelay(Duration.ZERO)
                        .pollInterval(Duration.ofMillis(200))
                        .ignoreExceptions()
                        .until(() -> {
                            read[0] = client.grainFactory()
                                    .getGrain(EntryGrain.class, word.word())
                                    .getDefinition()
                                    .get(DictionaryRoute.CALL_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
                            return true;
                        });
                if (!word.accepts(read[0])) {
                    losses.record("final check", word, read[0]);
                }
                checked++;
            }
        }
        return checked;
    }
}
