package org.orleans4j.testing.tck;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.orleans4j.grain.GrainId;
import org.orleans4j.grain.KeyKind;
import org.orleans4j.reminders.ReminderEntry;
import org.orleans4j.reminders.ReminderTable;

/** The contract every {@link ReminderTable} passes (after Orleans' reminder table tests, plus tick claims). */
public abstract class ReminderTableContractTest {

    /** A table of a service of its own (tables of one test must not see each other's rows). */
    protected abstract ReminderTable table();

    /** Another table of the same service, as another silo sees it. */
    protected abstract ReminderTable sameServiceTable();

    /** A table of another service in the same store. */
    protected abstract ReminderTable otherServiceTable();

    private static final Instant START = Instant.parse("2026-01-01T00:00:00Z");

    private static GrainId newGrain() {
        return GrainId.ofString("remindme", UUID.randomUUID().toString());
    }

    private static ReminderEntry entry(GrainId grain, String name) {
        return new ReminderEntry(grain, name, START, Duration.ofMinutes(1), null);
    }

    @Test
    void upsertThenReadByGrainAndByName() {
        GrainId grain = newGrain();
        String etag = table().upsertRow(entry(grain, "a")).join();
        table().upsertRow(entry(grain, "b")).join();
        table().upsertRow(entry(newGrain(), "a")).join();

        ReminderEntry read = table().readRow(grain, "a").join();
        assertThat(read).isEqualTo(entry(grain, "a").withEtag(etag));
        assertThat(table().readRows(grain).join())
                .extracting(ReminderEntry::name)
                .containsExactlyInAnyOrder("a", "b");
        assertThat(table().readRow(grain, "missing").join()).isNull();
        assertThat(table().readRows(newGrain()).join()).isEmpty();
    }

    @Test
    void everyKeyKindRoundTrips() {
        List<GrainId> grains = List.of(
                GrainId.ofLong("remindme", -42),
                GrainId.ofUuid("remindme", UUID.randomUUID()),
                GrainId.of("remindme", "ü/ key with spaces", KeyKind.STRING));
        for (GrainId grain : grains) {
            table().upsertRow(entry(grain, "r")).join();
            assertThat(table().readRow(grain, "r").join().grainId()).isEqualTo(grain);
        }
    }

    @Test
    void anUpsertReplacesTheRowWithANewEtag() {
        GrainId grain = newGrain();
        String first = table().upsertRow(entry(grain, "r")).join();
        ReminderEntry changed =
                new ReminderEntry(grain, "r", START.plus(Duration.ofHours(1)), Duration.ofMinutes(5), null);
        String second = table().upsertRow(changed).join();

        assertThat(second).isNotEqualTo(first);
        assertThat(table().readRow(grain, "r").join()).isEqualTo(changed.withEtag(second));
        assertThat(table().readRows(grain).join()).hasSize(1);
    }

    @Test
    void removeNeedsTheCurrentEtag() {
        GrainId grain = newGrain();
        String first = table().upsertRow(entry(grain, "r")).join();
        String second = table().upsertRow(entry(grain, "r")).join();

        assertThat(table().removeRow(grain, "r", first).join()).as("stale etag").isFalse();
        assertThat(table().readRow(grain, "r").join()).isNotNull();
        assertThat(table().removeRow(grain, "r", second).join()).isTrue();
        assertThat(table().readRow(grain, "r").join()).isNull();
        assertThat(table().removeRow(grain, "r", second).join())
                .as("already gone")
                .isFalse();
    }

    @Test
    void aTickIsClaimedOnceAndOnlyForward() {
        GrainId grain = newGrain();
        String etag = table().upsertRow(entry(grain, "r")).join();
        long tick = START.plus(Duration.ofMinutes(3)).toEpochMilli();

        assertThat(table().claimTick(grain, "r", etag, tick).join()).isTrue();
        assertThat(sameServiceTable().claimTick(grain, "r", etag, tick).join())
                .as("the same tick from another silo")
                .isFalse();
        assertThat(table().claimTick(grain, "r", etag, tick - 60_000).join())
                .as("an earlier tick")
                .isFalse();
        assertThat(table().claimTick(grain, "r", etag, tick + 60_000).join()).isTrue();
        assertThat(table().claimTick(grain, "r", "stale-" + etag, tick + 120_000)
                        .join())
                .as("another version of the reminder")
                .isFalse();
        assertThat(table().claimTick(newGrain(), "r", etag, tick).join())
                .as("no such reminder")
                .isFalse();
    }

    @Test
    void concurrentClaimsOfOneTickHaveOneWinner() {
        GrainId grain = newGrain();
        String etag = table().upsertRow(entry(grain, "r")).join();
        long tick = START.toEpochMilli();
        List<CompletableFuture<Boolean>> claims = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            ReminderTable silo = i % 2 == 0 ? table() : sameServiceTable();
            claims.add(CompletableFuture.supplyAsync(
                    () -> silo.claimTick(grain, "r", etag, tick).join()));
        }
        assertThat(claims.stream().filter(CompletableFuture::join).count()).isEqualTo(1);
    }

    @Test
    void aReplacedReminderStartsWithNoClaimedTick() {
        GrainId grain = newGrain();
        String first = table().upsertRow(entry(grain, "r")).join();
        long tick = START.plus(Duration.ofMinutes(10)).toEpochMilli();
        assertThat(table().claimTick(grain, "r", first, tick).join()).isTrue();

        String second = table().upsertRow(entry(grain, "r")).join();
        assertThat(table().claimTick(grain, "r", second, START.toEpochMilli()).join())
                .as("a tick before the old reminder's last one, of the new version")
                .isTrue();
    }

    @Test
    void rowsAreReadByRangeOfGrainHash() {
        List<GrainId> grains = IntStream.range(0, 40).mapToObj(i -> newGrain()).toList();
        for (GrainId grain : grains) {
            table().upsertRow(entry(grain, "r")).join();
        }
        long min = Integer.MIN_VALUE;
        long end = (long) Integer.MAX_VALUE + 1;
        assertThat(table().readRows(min, end).join()).hasSize(40);

        // The grain of the median hash: both sides of the split hold grains, whatever the random ids.
        GrainId pivot = grains.stream()
                .sorted(java.util.Comparator.comparingInt(GrainId::stableHash))
                .toList()
                .get(20);
        long split = pivot.stableHash();
        Set<GrainId> low = ids(table().readRows(min, split).join());
        Set<GrainId> high = ids(table().readRows(split, end).join());
        assertThat(low).isNotEmpty();
        assertThat(high).contains(pivot).doesNotContainAnyElementsOf(low);
        assertThat(low.size() + high.size()).isEqualTo(40);
        for (GrainId grain : grains) {
            assertThat(grain.stableHash() < split ? low : high).contains(grain);
        }
        assertThat(table().readRows(split, split + 1).join())
                .extracting(ReminderEntry::grainId)
                .contains(pivot);
        assertThat(table().readRows(split, split).join()).isEmpty();
    }

    @Test
    void servicesDoNotSeeEachOthersReminders() {
        GrainId grain = newGrain();
        String etag = table().upsertRow(entry(grain, "r")).join();

        assertThat(sameServiceTable().readRow(grain, "r").join()).isNotNull();
        assertThat(otherServiceTable().readRow(grain, "r").join()).isNull();
        assertThat(otherServiceTable().readRows(grain).join()).isEmpty();
        assertThat(otherServiceTable()
                        .readRows(Integer.MIN_VALUE, (long) Integer.MAX_VALUE + 1)
                        .join())
                .isEmpty();
        assertThat(otherServiceTable().removeRow(grain, "r", etag).join()).isFalse();
        assertThat(otherServiceTable().claimTick(grain, "r", etag, 1).join()).isFalse();
        assertThat(table().readRow(grain, "r").join()).isNotNull();
    }

    @Test
    void timesKeepMillisecondPrecision() {
        GrainId grain = newGrain();
        Instant start = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        ReminderEntry precise = new ReminderEntry(grain, "r", start, Duration.ofMillis(60_001), null);
        String etag = table().upsertRow(precise).join();
        assertThat(table().readRow(grain, "r").join()).isEqualTo(precise.withEtag(etag));
    }

    private static Set<GrainId> ids(List<ReminderEntry> entries) {
        return entries.stream().map(ReminderEntry::grainId).collect(Collectors.toSet());
    }
}
