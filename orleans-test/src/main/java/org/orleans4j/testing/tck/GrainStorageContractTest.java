package org.orleans4j.testing.tck;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.orleans4j.grain.GrainId;
import org.orleans4j.persistence.GrainState;
import org.orleans4j.persistence.GrainStorage;
import org.orleans4j.persistence.InconsistentStateException;

/**
 * The contract every {@link GrainStorage} provider passes; scenario names follow Orleans' grain
 * storage tests (DESIGN §5). Subclasses supply the provider. Every test uses fresh grain ids, so a
 * provider may be shared by all tests of a class (as a database is).
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
public abstract class GrainStorageContractTest {

    private static final int RACING_WRITERS = 20;

    protected abstract GrainStorage storage();

    /**
     * Whether the provider stores a copy of the value (by serializing it) and so offers
     * {@link GrainState#storedCopy()}; a provider keeping references offers none.
     */
    protected boolean storesCopies() {
        return false;
    }

    protected static GrainState<TestState> fresh() {
        return new GrainState<>(TestState.class, TestState::new);
    }

    protected static GrainId id(String key) {
        return GrainId.ofString("contract", key + "-" + UUID.randomUUID());
    }

    protected GrainState<TestState> read(String stateName, GrainId id) {
        GrainState<TestState> state = fresh();
        storage().readState(stateName, id, state).join();
        return state;
    }

    protected GrainState<TestState> write(String stateName, GrainId id, String name, long count) {
        GrainState<TestState> state = fresh();
        state.setState(TestState.of(name, count));
        storage().writeState(stateName, id, state).join();
        return state;
    }

    /** The {@link InconsistentStateException} the operation fails with. */
    private static InconsistentStateException conflictOf(CompletableFuture<Void> operation) {
        Throwable failure = catchThrowable(operation::join);
        assertThat(failure)
                .isInstanceOf(CompletionException.class)
                .cause()
                .isInstanceOf(InconsistentStateException.class);
        return (InconsistentStateException) failure.getCause();
    }

    @Test
    void readNonExistentGivesInitialStateNoEtagNoRecord() {
        GrainState<TestState> state = read("s", id("missing"));
        assertThat(state.etag()).isNull();
        assertThat(state.recordExists()).isFalse();
        assertThat(state.state()).isNotNull();
        assertThat(state.state().name).isNull();
        assertThat(state.state().tags).isEmpty();
    }

    @Test
    void writeThenReadRoundTrips() {
        GrainId id = id("rt");
        GrainState<TestState> state = write("s", id, "alpha", 7);
        assertThat(state.etag()).isNotNull();
        assertThat(state.recordExists()).isTrue();

        GrainState<TestState> back = read("s", id);
        assertThat(back.recordExists()).isTrue();
        assertThat(back.etag()).isEqualTo(state.etag());
        assertThat(back.state().name).isEqualTo("alpha");
        assertThat(back.state().count).isEqualTo(7);
        assertThat(back.state().tags).containsExactly("t-alpha");
        assertThat(back.state().scores).containsExactly(Map.entry("alpha", 7));
    }

    @Test
    void writeWithStaleEtagFailsAndLeavesStorageUnchanged() {
        GrainId id = id("stale");
        GrainState<TestState> first = write("s", id, "v1", 1);
        String staleEtag = first.etag();

        GrainState<TestState> second = read("s", id);
        second.setState(TestState.of("v2", 2));
        storage().writeState("s", id, second).join();

        first.setState(TestState.of("stale", 99));
        InconsistentStateException conflict = conflictOf(storage().writeState("s", id, first));
        assertThat(conflict.getMessage())
                .contains(id.toString())
                .contains("'s'")
                .contains(staleEtag)
                .contains(second.etag());
        assertThat(conflict.storedEtag()).isEqualTo(second.etag());
        assertThat(conflict.currentEtag()).isEqualTo(staleEtag);
        assertThat(first.etag()).as("a failed write keeps the ETag it carried").isEqualTo(staleEtag);

        GrainState<TestState> stored = read("s", id);
        assertThat(stored.state().name).isEqualTo("v2");
        assertThat(stored.etag()).isEqualTo(second.etag());
    }

    @Test
    void writeWithDuplicateInsertFails() {
        GrainId id = id("dup");
        GrainState<TestState> a = write("s", id, "a", 1);
        GrainState<TestState> b = fresh();
        b.setState(TestState.of("b", 2));

        InconsistentStateException conflict = conflictOf(storage().writeState("s", id, b));
        assertThat(conflict.storedEtag()).isEqualTo(a.etag());
        assertThat(conflict.currentEtag()).isNull();
        assertThat(read("s", id).state().name).isEqualTo("a");
    }

    @Test
    void clearWithStaleEtagFailsAndLeavesStorageUnchanged() {
        GrainId id = id("stale-clear");
        GrainState<TestState> first = write("s", id, "v1", 1);
        GrainState<TestState> second = read("s", id);
        second.setState(TestState.of("v2", 2));
        storage().writeState("s", id, second).join();

        conflictOf(storage().clearState("s", id, first));
        GrainState<TestState> stored = read("s", id);
        assertThat(stored.recordExists()).isTrue();
        assertThat(stored.state().name).isEqualTo("v2");
    }

    @Test
    void etagChangesOnWriteAndOnClear() {
        GrainId id = id("etag");
        GrainState<TestState> state = write("s", id, "x", 1);
        String afterFirst = state.etag();
        storage().writeState("s", id, state).join();
        String afterSecond = state.etag();
        storage().clearState("s", id, state).join();
        String afterClear = state.etag();
        storage().writeState("s", id, state).join();
        String afterRewrite = state.etag();

        assertThat(List.of(afterFirst, afterSecond, afterClear, afterRewrite))
                .doesNotHaveDuplicates()
                .doesNotContainNull();
        assertThat(state.recordExists()).isTrue();
    }

    @Test
    void clearResetsTheStateAndRecordExists() {
        GrainId id = id("clear");
        GrainState<TestState> state = write("s", id, "x", 1);
        storage().clearState("s", id, state).join();
        assertThat(state.recordExists()).isFalse();
        assertThat(state.state().name)
                .as("clear resets the value to the initial one")
                .isNull();
    }

    @Test
    void writeClearWrite() {
        GrainId id = id("wcw");
        GrainState<TestState> state = write("s", id, "one", 1);
        String beforeClear = state.etag();
        storage().clearState("s", id, state).join();

        GrainState<TestState> cleared = read("s", id);
        assertThat(cleared.recordExists()).isFalse();
        assertThat(cleared.state().name).isNull();
        assertThat(cleared.etag())
                .as("a read of a cleared state returns the clear's ETag")
                .isEqualTo(state.etag());

        state.setState(TestState.of("two", 2));
        storage().writeState("s", id, state).join();
        GrainState<TestState> rewritten = read("s", id);
        assertThat(rewritten.recordExists()).isTrue();
        assertThat(rewritten.state().name).isEqualTo("two");

        GrainState<TestState> stale = fresh();
        stale.setEtag(beforeClear);
        stale.setState(TestState.of("stale", 0));
        conflictOf(storage().writeState("s", id, stale));

        GrainState<TestState> noEtag = fresh();
        noEtag.setState(TestState.of("blind", 0));
        conflictOf(storage().writeState("s", id, noEtag));
        assertThat(read("s", id).state().name).isEqualTo("two");
    }

    @Test
    void clearOfANeverWrittenStateLeavesATombstone() {
        GrainId id = id("clear-missing");
        GrainState<TestState> state = fresh();
        storage().clearState("s", id, state).join();
        assertThat(state.etag()).isNotNull();
        assertThat(state.recordExists()).isFalse();

        GrainState<TestState> noEtag = fresh();
        noEtag.setState(TestState.of("blind", 0));
        conflictOf(storage().writeState("s", id, noEtag));

        GrainState<TestState> afterClear = read("s", id);
        assertThat(afterClear.etag()).isEqualTo(state.etag());
        afterClear.setState(TestState.of("after", 1));
        storage().writeState("s", id, afterClear).join();
        assertThat(read("s", id).state().name).isEqualTo("after");
    }

    @Test
    void stateNamesAreIndependent() {
        GrainId id = id("names");
        write("first", id, "a", 1);
        assertThat(read("second", id).recordExists()).isFalse();
        GrainState<TestState> b = write("second", id, "b", 2);
        storage().clearState("second", id, b).join();
        assertThat(read("first", id).state().name).isEqualTo("a");
        assertThat(read("second", id).recordExists()).isFalse();
    }

    @Test
    void grainTypesAreIndependent() {
        String key = "same-key-" + UUID.randomUUID();
        write("s", GrainId.ofString("contract-a", key), "a", 1);
        assertThat(read("s", GrainId.ofString("contract-b", key)).recordExists())
                .isFalse();
        write("s", GrainId.ofString("contract-b", key), "b", 2);
        assertThat(read("s", GrainId.ofString("contract-a", key)).state().name).isEqualTo("a");
        assertThat(read("s", GrainId.ofString("contract-b", key)).state().name).isEqualTo("b");
    }

    @Test
    void racingWritesWithTheSameEtagLetExactlyOneWin() throws Exception {
        GrainId id = id("race");
        String etag = write("s", id, "seed", 0).etag();
        assertExactlyOneWins(id, etag);
    }

    @Test
    void racingFirstWritesLetExactlyOneInsertWin() throws Exception {
        assertExactlyOneWins(id("race-insert"), null);
    }

    /** {@value #RACING_WRITERS} writers carrying the same ETag start together; one wins, the rest conflict. */
    private void assertExactlyOneWins(GrainId id, String etag) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(RACING_WRITERS);
        CountDownLatch go = new CountDownLatch(1);
        Queue<GrainState<TestState>> winners = new ConcurrentLinkedQueue<>();
        Queue<Throwable> conflicts = new ConcurrentLinkedQueue<>();
        List<Future<?>> futures = new ArrayList<>();
        try {
            for (int i = 0; i < RACING_WRITERS; i++) {
                GrainState<TestState> mine = fresh();
                mine.setEtag(etag);
                mine.setState(TestState.of("w" + i, i));
                futures.add(pool.submit(() -> {
                    go.await();
                    try {
                        storage().writeState("s", id, mine).join();
                        winners.add(mine);
                    } catch (CompletionException e) {
                        conflicts.add(e.getCause());
                    }
                    return null;
                }));
            }
            go.countDown();
            for (Future<?> f : futures) {
                f.get(30, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(conflicts).hasSize(RACING_WRITERS - 1).allMatch(InconsistentStateException.class::isInstance);
        assertThat(winners).hasSize(1);
        GrainState<TestState> stored = read("s", id);
        assertThat(stored.state().name).isEqualTo(winners.peek().state().name);
        assertThat(stored.etag()).isEqualTo(winners.peek().etag());
    }

    @Test
    void parallelWritesAndReadsOfManyGrains() {
        int grains = 100;
        List<GrainId> ids = new ArrayList<>();
        List<CompletableFuture<Void>> writes = new ArrayList<>();
        for (int i = 0; i < grains; i++) {
            GrainId id = id("many" + i);
            ids.add(id);
            GrainState<TestState> state = fresh();
            state.setState(TestState.of("n" + i, i));
            writes.add(storage().writeState("s", id, state));
        }
        CompletableFuture.allOf(writes.toArray(CompletableFuture[]::new)).join();

        List<GrainState<TestState>> states = new ArrayList<>();
        List<CompletableFuture<Void>> reads = new ArrayList<>();
        for (GrainId id : ids) {
            GrainState<TestState> state = fresh();
            states.add(state);
            reads.add(storage().readState("s", id, state));
        }
        CompletableFuture.allOf(reads.toArray(CompletableFuture[]::new)).join();
        for (int i = 0; i < grains; i++) {
            assertThat(states.get(i).state().count).isEqualTo(i);
            assertThat(states.get(i).state().name).isEqualTo("n" + i);
        }
    }

    @Test
    void readsDuringWritesSeeWholeVersions() throws Exception {
        GrainId id = id("torn");
        Map<String, Long> countByEtag = new ConcurrentHashMap<>();
        Queue<GrainState<TestState>> observed = new ConcurrentLinkedQueue<>();
        AtomicBoolean writing = new AtomicBoolean(true);
        ExecutorService readers = Executors.newFixedThreadPool(3);
        try {
            List<Future<?>> futures = new ArrayList<>();
            for (int r = 0; r < 3; r++) {
                futures.add(readers.submit(() -> {
                    while (writing.get()) {
                        observed.add(read("s", id));
                    }
                }));
            }
            GrainState<TestState> writer = fresh();
            for (long i = 1; i <= 30; i++) {
                writer.setState(TestState.of("v" + i, i));
                storage().writeState("s", id, writer).join();
                countByEtag.put(writer.etag(), i);
            }
            writing.set(false);
            for (Future<?> f : futures) {
                f.get(30, TimeUnit.SECONDS);
            }
        } finally {
            readers.shutdownNow();
        }
        assertThat(observed).isNotEmpty().allSatisfy(seen -> {
            if (seen.recordExists()) {
                assertThat(countByEtag).containsEntry(seen.etag(), seen.state().count);
                assertThat(seen.state().name).isEqualTo("v" + seen.state().count);
            } else {
                assertThat(seen.etag()).isNull();
            }
        });
    }

    @Test
    void stringLongUuidAndNonAsciiKeys() {
        String unique = UUID.randomUUID().toString();
        List<GrainId> ids = List.of(
                GrainId.ofString("contract", "plain-" + unique),
                GrainId.ofLong("contract", Long.MIN_VALUE + System.nanoTime() % 1000),
                GrainId.ofLong("contract", Long.MAX_VALUE - System.nanoTime() % 1000),
                GrainId.ofUuid("contract", UUID.randomUUID()),
                GrainId.ofString("contract", "Привет, мир-" + unique),
                GrainId.ofString("contract", "emoji-🍎🚀-" + unique),
                GrainId.ofString("contract", "quote' and \"double\" -- ; " + unique),
                GrainId.ofString("contract", "long-" + "ж".repeat(250) + "x".repeat(250) + unique));
        for (GrainId id : ids) {
            write("s", id, id.key(), 1);
        }
        for (GrainId id : ids) {
            GrainState<TestState> back = read("s", id);
            assertThat(back.recordExists()).as(id.toString()).isTrue();
            assertThat(back.state().name).as(id.toString()).isEqualTo(id.key());
        }
        GrainId neighbour = GrainId.ofString("contract", "Привет, мир-" + unique + " ");
        assertThat(read("s", neighbour).recordExists())
                .as("a key differing only by a trailing space")
                .isFalse();
    }

    @Test
    void aProviderThatStoresCopiesOffersOneThatRebuildsWhatWasStoredNotWhatTheGrainChangedSince() {
        GrainId id = id("stored-copy");
        GrainState<TestState> written = write("s", id, "first", 1);
        GrainState<TestState> readBack = read("s", id);
        if (!storesCopies()) {
            assertThat(written.storedCopy()).isNull();
            assertThat(readBack.storedCopy()).isNull();
            return;
        }
        for (GrainState<TestState> state : List.of(written, readBack)) {
            state.state().count = 99; // the grain changes its object in place
            TestState rebuilt = state.storedCopy().get();
            assertThat(rebuilt).isNotSameAs(state.state());
            assertThat(rebuilt.name).isEqualTo("first");
            assertThat(rebuilt.count).isEqualTo(1);
            assertThat(state.storedCopy().get()).as("a fresh copy each time").isNotSameAs(rebuilt);
        }
    }
}
