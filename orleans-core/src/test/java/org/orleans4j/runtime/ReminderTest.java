package org.orleans4j.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletionException;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.orleans4j.grain.GrainException;
import org.orleans4j.grain.GrainReminder;
import org.orleans4j.reminders.InMemoryReminderTable;
import org.orleans4j.reminders.ReminderOptions;
import org.orleans4j.runtime.ReminderGrains.Reminded;
import org.orleans4j.runtime.ReminderGrains.Tick;

/** Durable reminders on one silo, with an in-memory table and a short minimum period. */
class ReminderTest {

    private static final Duration PERIOD = Duration.ofMillis(200);
    private static final ReminderOptions OPTIONS = new ReminderOptions(Duration.ofMillis(100), Duration.ofSeconds(30));

    private final InMemoryReminderTable table = new InMemoryReminderTable();
    private Silo silo;

    @BeforeEach
    void start() {
        ReminderGrains.TICKS.clear();
        silo = startSilo();
    }

    private Silo startSilo() {
        return StandaloneSilos.start(b -> b.reminderTable(table)
                .reminderOptions(OPTIONS)
                .addGrainClass(ReminderGrains.RemindedGrain.class)
                .addGrainClass(ReminderGrains.PlainGrain.class));
    }

    @AfterEach
    void stop() {
        if (silo != null) {
            silo.stop(Duration.ofSeconds(5));
        }
    }

    private Reminded grain(String key) {
        return silo.grainFactory().getGrain(Reminded.class, key);
    }

    @Test
    void ticksArriveEveryPeriodOnTheirScheduleAndActivateTheGrain() {
        GrainReminder reminder =
                grain("every").remind("r", Duration.ZERO, PERIOD).join();
        assertThat(reminder.period()).isEqualTo(PERIOD);
        await().atMost(Duration.ofSeconds(10))
                .until(() -> ReminderGrains.ticks("every").size() >= 3);

        List<Tick> ticks = List.copyOf(ReminderGrains.ticks("every"));
        for (int i = 0; i < ticks.size(); i++) {
            Tick tick = ticks.get(i);
            assertThat(tick.reminder()).isEqualTo("r");
            assertThat(tick.status().firstTickTime()).isEqualTo(reminder.startAt());
            assertThat(tick.status().period()).isEqualTo(PERIOD);
            long sinceStart = Duration.between(reminder.startAt(), tick.status().currentTickTime())
                    .toMillis();
            assertThat(sinceStart % PERIOD.toMillis())
                    .as("tick %d is on the schedule", i)
                    .isZero();
            if (i > 0) {
                assertThat(tick.status().currentTickTime())
                        .isAfter(ticks.get(i - 1).status().currentTickTime());
            }
        }

        // The grain goes away; the reminder does not, and its next tick activates it again.
        String first = grain("every").activationId().join();
        grain("every").deactivate().join();
        await().atMost(Duration.ofSeconds(10))
                .until(() -> ReminderGrains.ticks("every").stream()
                        .anyMatch(tick -> !tick.activationId().equals(first)));
    }

    @Test
    void anUnregisteredReminderTicksNoMore() {
        GrainReminder reminder =
                grain("once").remind("r", Duration.ZERO, PERIOD).join();
        await().atMost(Duration.ofSeconds(10))
                .until(() -> !ReminderGrains.ticks("once").isEmpty());

        grain("once").forget(reminder).join();
        int ticks = ReminderGrains.ticks("once").size();
        assertThat(grain("once").get("r").join()).isEmpty();
        // A tick already claimed when the reminder went may still arrive; none after it.
        await().during(PERIOD.multipliedBy(4))
                .atMost(PERIOD.multipliedBy(6))
                .until(() -> ReminderGrains.ticks("once").size() <= ticks + 1);
    }

    @Test
    void remindersAreListedAndReadByName() {
        grain("list")
                .remind("b", Duration.ofMinutes(10), Duration.ofMinutes(10))
                .join();
        GrainReminder a = grain("list")
                .remind("a", Duration.ofMinutes(10), Duration.ofMinutes(10))
                .join();

        assertThat(grain("list").names().join()).containsExactly("a", "b");
        assertThat(grain("list").get("a").join()).contains(a);
        assertThat(grain("list").get("c").join()).isEmpty();
        assertThat(grain("other").names().join()).isEmpty();
    }

    @Test
    void registeringAgainReplacesTheReminderAndStalesTheOldHandle() {
        GrainReminder later = grain("again")
                .remind("r", Duration.ofMinutes(10), Duration.ofMinutes(10))
                .join();
        GrainReminder now = grain("again").remind("r", Duration.ZERO, PERIOD).join();

        assertThat(now.etag()).isNotEqualTo(later.etag());
        await().atMost(Duration.ofSeconds(10))
                .until(() -> !ReminderGrains.ticks("again").isEmpty());
        assertThatThrownBy(() -> grain("again").forget(later).join())
                .isInstanceOf(CompletionException.class)
                .hasCauseInstanceOf(GrainException.class)
                .hasMessageContaining("registered again or removed since this handle was read");
        assertThat(grain("again").get("r").join()).contains(now);
    }

    @Test
    void aGrainThatIsNotRemindableCannotRegister() {
        assertThatThrownBy(() -> silo.grainFactory()
                        .getGrain(ReminderGrains.Plain.class, "plain")
                        .remind()
                        .join())
                .hasMessageContaining("does not implement org.orleans4j.grain.Remindable");
    }

    @Test
    void aPeriodBelowTheMinimumNamesTheOption() {
        assertThatThrownBy(() -> grain("short")
                        .remind("r", Duration.ZERO, Duration.ofMillis(50))
                        .join())
                .hasMessageContaining("orleans.reminders.minimum-period")
                .hasMessageContaining("grain timer");
        assertThatThrownBy(() -> grain("short")
                        .remind("r", Duration.ofSeconds(-1), PERIOD)
                        .join())
                .hasMessageContaining("must not be negative");
        assertThatThrownBy(
                        () -> grain("short").remind(" ", Duration.ZERO, PERIOD).join())
                .hasMessageContaining("reminder name");
    }

    @Test
    void remindersOutliveTheSiloAndTickAgainAfterARestartWithoutBeingRegisteredAgain() {
        grain("durable").remind("r", Duration.ZERO, PERIOD).join();
        await().atMost(Duration.ofSeconds(10))
                .until(() -> !ReminderGrains.ticks("durable").isEmpty());
        silo.stop(Duration.ofSeconds(5));
        silo = null;
        Instant restart = Instant.now();

        silo = startSilo();

        await().atMost(Duration.ofSeconds(10))
                .until(() -> ReminderGrains.ticks("durable").stream()
                        .anyMatch(tick -> tick.status().currentTickTime().isAfter(restart)));
        Set<Instant> times = ReminderGrains.ticks("durable").stream()
                .map(tick -> tick.status().currentTickTime())
                .collect(Collectors.toSet());
        assertThat(times).as("no tick delivered twice").hasSameSizeAs(ReminderGrains.ticks("durable"));
    }

    @Test
    void aSiloWithoutAReminderTableSaysHowToConfigureOne() {
        silo.stop(Duration.ofSeconds(5));
        silo = StandaloneSilos.start(b -> b.addGrainClass(ReminderGrains.RemindedGrain.class));
        assertThatThrownBy(() -> grain("none")
                        .remind("r", Duration.ZERO, Duration.ofMinutes(1))
                        .join())
                .hasMessageContaining("no reminder table")
                .hasMessageContaining("orleans.reminders.table");
    }
}
