package org.orleans4j.persistence;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.orleans4j.grain.GrainId;

/**
 * The contract every {@link GrainStorage} provider passes (scenario names after Orleans' storage
 * tests). Subclasses supply the provider.
 */
public abstract class GrainStorageContractTest {

    protected abstract GrainStorage storage();

    private static GrainState<TestState> fresh() {
        return new GrainState<>(TestState.class, TestState::new);
    }

    private static GrainId id(String key) {
        return GrainId.ofString("contract", key + "-" + UUID.randomUUID());
    }

    private GrainState<TestState> read(String stateName, GrainId id) {
        GrainState<TestState> state = fresh();
        storage().readState(stateName, id, state).join();
        return state;
    }

    @Test
    void readNonExistentGivesInitialStateNoEtagNoRecord() {
        GrainState<TestState> state = read("s", id("missing"));
        assertThat(state.etag()).isNull();
        assertThat(state.recordExists()).isFalse();
        assertThat(state.state()).isNotNull();
        assertThat(state.state().name).isNull();
    }

    @Test
    void writeThenReadRoundTrips() {
        GrainId id = id("rt");
        GrainState<TestState> state = fresh();
        state.setState(TestState.of("alpha", 7));
        storage().writeState("s", id, state).join();
        assertThat(state.etag()).isNotNull();
        assertThat(state.recordExists()).isTrue();

        GrainState<TestState> back = read("s", id);
        assertThat(back.recordExists()).isTrue();
        assertThat(back.etag()).isEqualTo(state.etag());
        assertThat(back.state().name).isEqualTo("alpha");
        assertThat(back.state().count).isEqualTo(7);
        assertThat(back.state().tags).containsExactly("t-alpha");
        assertThat(back.state().scores).containsEntry("alpha", 7);
    }

    @Test
    void writeWithStaleEtagFailsAndLeavesStorageUnchanged() {
        GrainId id = id("stale");
        GrainState<TestState> first = fresh();
        first.setState(TestState.of("v1", 1));
        storage().writeState("s", id, first).join();

        GrainState<TestState> second = read("s", id);
        second.setState(TestState.of("v2", 2));
        storage().writeState("s", id, second).join();

        first.setState(TestState.of("stale", 99));
        assertThatThrownBy(() -> storage().writeState("s", id, first).join())
                .isInstanceOf(CompletionException.class).cause().isInstanceOf(InconsistentStateException.class);
        assertThat(read("s", id).state().name).isEqualTo("v2");
    }

    @Test
    void duplicateInsertFails() {
        GrainId id = id("dup");
        GrainState<TestState> a = fresh();
        GrainState<TestState> b = fresh();
        a.setState(TestState.of("a", 1));
        b.setState(TestState.of("b", 2));
        storage().writeState("s", id, a).join();
        assertThatThrownBy(() -> storage().writeState("s", id, b).join())
                .cause().isInstanceOf(InconsistentStateException.class);
        assertThat(read("s", id).state().name).isEqualTo("a");
    }

    @Test
    void etagChangesOnWriteAndOnClear() {
        GrainId id = id("etag");
        GrainState<TestState> state = fresh();
        state.setState(TestState.of("x", 1));
        storage().writeState("s", id, state).join();
        String afterFirst = state.etag();
        storage().writeState("s", id, state).join();
        String afterSecond = state.etag();
        storage().clearState("s", id, state).join();
        String afterClear = state.etag();
        assertThat(List.of(afterFirst, afterSecond, afterClear)).doesNotHaveDuplicates().doesNotContainNull();
        assertThat(state.recordExists()).isFalse();
        assertThat(state.state().name).as("clear resets the value").isNull();
    }

    @Test
    void writeClearWrite() {
        GrainId id = id("wcw");
        GrainState<TestState> state = fresh();
        state.setState(TestState.of("one", 1));
        storage().writeState("s", id, state).join();
        String beforeClear = state.etag();
        storage().clearState("s", id, state).join();

        GrainState<TestState> cleared = read("s", id);
        assertThat(cleared.recordExists()).isFalse();
        assertThat(cleared.state().name).isNull();
        assertThat(cleared.etag()).isEqualTo(state.etag());

        state.setState(TestState.of("two", 2));
        storage().writeState("s", id, state).join();
        assertThat(read("s", id).state().name).isEqualTo("two");

        GrainState<TestState> stale = fresh();
        stale.setEtag(beforeClear);
        stale.setState(TestState.of("stale", 0));
        assertThatThrownBy(() -> storage().writeState("s", id, stale).join())
                .cause().isInstanceOf(InconsistentStateException.class);
    }

    @Test
    void clearOfANeverWrittenStateLeavesATombstone() {
        GrainId id = id("tomb");
        GrainState<TestState> state = fresh();
        storage().clearState("s", id, state).join();
        assertThat(state.etag()).isNotNull();
        assertThat(state.recordExists()).isFalse();
        GrainState<TestState> unaware = fresh();
        unaware.setState(TestState.of("late", 1));
        assertThatThrownBy(() -> storage().writeState("s", id, unaware).join())
                .cause().isInstanceOf(InconsistentStateException.class);
        state.setState(TestState.of("after", 2));
        storage().writeState("s", id, state).join();
        assertThat(read("s", id).state().name).isEqualTo("after");
    }

    @Test
    void racingFirstWritesLetExactlyOneInsertWin() throws Exception {
        GrainId id = id("first");
        int writers = 20;
        ExecutorService pool = Executors.newFixedThreadPool(writers);
        CountDownLatch go = new CountDownLatch(1);
        List<Future<Boolean>> results = new ArrayList<>();
        try {
            for (int i = 0; i < writers; i++) {
                int n = i;
                results.add(pool.submit(() -> {
                    GrainState<TestState> mine = fresh();
                    mine.setState(TestState.of("w" + n, n));
                    go.await();
                    try {
                        storage().writeState("s", id, mine).join();
                        return true;
                    } catch (CompletionException e) {
                        if (e.getCause() instanceof InconsistentStateException) {
                            return false;
                        }
                        throw e;
                    }
                }));
            }
            go.countDown();
            int wins = 0;
            for (Future<Boolean> f : results) {
                wins += f.get() ? 1 : 0;
            }
            assertThat(wins).isEqualTo(1);
        } finally {
            pool.shutdownNow();
        }
        assertThat(read("s", id).recordExists()).isTrue();
    }

    @Test
    void stateNamesAreIndependent() {
        GrainId id = id("names");
        GrainState<TestState> a = fresh();
        a.setState(TestState.of("a", 1));
        storage().writeState("first", id, a).join();
        assertThat(read("second", id).recordExists()).isFalse();
        GrainState<TestState> b = fresh();
        b.setState(TestState.of("b", 2));
        storage().writeState("second", id, b).join();
        assertThat(read("first", id).state().name).isEqualTo("a");
        assertThat(read("second", id).state().name).isEqualTo("b");
    }

    @Test
    void racingWritesWithTheSameEtagLetExactlyOneWin() throws Exception {
        GrainId id = id("race");
        GrainState<TestState> seed = fresh();
        seed.setState(TestState.of("seed", 0));
        storage().writeState("s", id, seed).join();
        String etag = seed.etag();

        int writers = 20;
        ExecutorService pool = Executors.newFixedThreadPool(writers);
        CountDownLatch go = new CountDownLatch(1);
        AtomicInteger wins = new AtomicInteger();
        AtomicInteger conflicts = new AtomicInteger();
        List<Future<?>> futures = new ArrayList<>();
        try {
            for (int i = 0; i < writers; i++) {
                int n = i;
                futures.add(pool.submit(() -> {
                    GrainState<TestState> mine = fresh();
                    mine.setEtag(etag);
                    mine.setState(TestState.of("w" + n, n));
                    go.await();
                    try {
                        storage().writeState("s", id, mine).join();
                        wins.incrementAndGet();
                    } catch (CompletionException e) {
                        if (e.getCause() instanceof InconsistentStateException) {
                            conflicts.incrementAndGet();
                        } else {
                            throw e;
                        }
                    }
                    return null;
                }));
            }
            go.countDown();
            for (Future<?> f : futures) {
                f.get();
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(wins.get()).isEqualTo(1);
        assertThat(conflicts.get()).isEqualTo(writers - 1);
    }

    @Test
    void parallelWritesAndReadsOfManyGrains() {
        List<CompletableFuture<Void>> writes = new ArrayList<>();
        List<GrainId> ids = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            GrainId id = id("many" + i);
            ids.add(id);
            GrainState<TestState> state = fresh();
            state.setState(TestState.of("n" + i, i));
            writes.add(storage().writeState("s", id, state));
        }
        CompletableFuture.allOf(writes.toArray(CompletableFuture[]::new)).join();
        for (int i = 0; i < ids.size(); i++) {
            assertThat(read("s", ids.get(i)).state().count).isEqualTo(i);
        }
    }

    @Test
    void stringLongUuidAndNonAsciiKeys() {
        List<GrainId> ids = List.of(
                GrainId.ofString("contract", "plain-" + UUID.randomUUID()),
                GrainId.ofLong("contract", Long.MIN_VALUE + System.nanoTime() % 1000),
                GrainId.ofUuid("contract", UUID.randomUUID()),
                GrainId.ofString("contract", "Привет-мир-" + UUID.randomUUID()),
                GrainId.ofString("contract", "emoji-🍎-" + UUID.randomUUID()),
                GrainId.ofString("contract", "long-" + "x".repeat(500) + UUID.randomUUID()));
        for (GrainId id : ids) {
            GrainState<TestState> state = fresh();
            state.setState(TestState.of(id.key(), 1));
            storage().writeState("s", id, state).join();
        }
        for (GrainId id : ids) {
            assertThat(read("s", id).state().name).as(id.toString()).isEqualTo(id.key());
        }
    }
}
