package org.orleans4j.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.orleans4j.grain.GrainBase;
import org.orleans4j.grain.GrainReminder;
import org.orleans4j.grain.GrainWithStringKey;
import org.orleans4j.grain.Remindable;
import org.orleans4j.grain.TickStatus;
import org.orleans4j.reminders.InMemoryReminderTable;
import org.orleans4j.reminders.ReminderOptions;
import org.orleans4j.runtime.Silo;
import org.orleans4j.testing.TestCluster;

/**
 * Reminders over three silos sharing one table: each reminder runs on the one silo that owns its part
 * of the ring, every tick is delivered once, and when that silo stops a survivor takes the reminder over.
 */
class RemindersAcrossSilosTest {

    private static final Duration PERIOD = Duration.ofMillis(300);

    /** Tick times received, by grain key. */
    static final Map<String, List<Instant>> TICKS = new java.util.concurrent.ConcurrentHashMap<>();

    interface Alarm extends GrainWithStringKey {
        CompletableFuture<GrainReminder> arm(Duration period);
    }

    public static class AlarmGrain extends GrainBase implements Alarm, Remindable {
        @Override
        public CompletableFuture<GrainReminder> arm(Duration period) {
            return registerOrUpdateReminder("alarm", Duration.ZERO, period);
        }

        @Override
        public CompletableFuture<Void> receiveReminder(String reminderName, TickStatus status) {
            TICKS.computeIfAbsent(primaryKeyString(), k -> new CopyOnWriteArrayList<>())
                    .add(status.currentTickTime());
            return CompletableFuture.completedFuture(null);
        }
    }

    private TestCluster cluster;

    @AfterEach
    void stop() {
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    void eachReminderRunsOnOneSiloAndASurvivorTakesItOverWhenThatSiloStops() {
        InMemoryReminderTable table = new InMemoryReminderTable();
        cluster = TestCluster.builder()
                .silos(3)
                .configure(b -> b.reminderTable(table)
                        .reminderOptions(new ReminderOptions(Duration.ofMillis(100), Duration.ofSeconds(30)))
                        .addGrainClass(AlarmGrain.class))
                .start();
        cluster.awaitActiveSilos(3, Duration.ofSeconds(30));
        TICKS.clear();

        List<String> keys = java.util.stream.IntStream.range(0, 12)
                .mapToObj(i -> "alarm-" + i)
                .toList();
        for (String key : keys) {
            cluster.grainFactory(0).getGrain(Alarm.class, key).arm(PERIOD).join();
        }
        await().atMost(Duration.ofSeconds(20))
                .until(() -> keys.stream()
                        .allMatch(key -> TICKS.getOrDefault(key, List.of()).size() >= 3));
        assertThat(running(cluster.silos()))
                .as("each reminder runs on exactly one silo")
                .isEqualTo(keys.size());

        // The silo running the most reminders stops; the survivors take them over.
        Silo owner = cluster.silos().stream()
                .max(java.util.Comparator.comparingInt(s -> s.diagnostics().remindersRunning()))
                .orElseThrow();
        assertThat(owner.diagnostics().remindersRunning()).isPositive();
        owner.stop(Duration.ofSeconds(10));
        List<Silo> survivors = cluster.silos().stream().filter(s -> s != owner).toList();
        Instant stopped = Instant.now();

        await().atMost(Duration.ofSeconds(20))
                .until(() -> keys.stream()
                        .allMatch(key -> TICKS.getOrDefault(key, List.of()).stream()
                                        .filter(tick -> tick.isAfter(stopped))
                                        .count()
                                >= 2));
        assertThat(running(survivors)).isEqualTo(keys.size());
        for (String key : keys) {
            List<Instant> ticks = TICKS.get(key);
            Map<Instant, Long> counts =
                    ticks.stream().collect(Collectors.groupingBy(Function.identity(), Collectors.counting()));
            assertThat(counts.values())
                    .as("ticks of %s delivered more than once", key)
                    .allMatch(n -> n == 1);
        }
    }

    private static int running(List<Silo> silos) {
        return silos.stream().mapToInt(s -> s.diagnostics().remindersRunning()).sum();
    }
}
