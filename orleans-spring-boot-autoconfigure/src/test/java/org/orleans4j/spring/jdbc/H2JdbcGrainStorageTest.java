package org.orleans4j.spring.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.UUID;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.orleans4j.grain.GrainId;
import org.orleans4j.persistence.GrainState;
import org.orleans4j.persistence.GrainStorage;
import org.orleans4j.persistence.InconsistentStateException;
import org.orleans4j.testing.db.H2Databases;
import org.orleans4j.testing.tck.GrainStorageContractTest;
import org.orleans4j.testing.tck.TestState;
import tools.jackson.databind.json.JsonMapper;

class H2JdbcGrainStorageTest extends GrainStorageContractTest {

    private static DataSource dataSource;
    private static JdbcGrainStorage storage;

    @BeforeAll
    static void start() {
        dataSource = H2Databases.inMemory("grainstate");
        GrainStateSchema.create(dataSource, "orleans_grain_state");
        storage = newStorage();
    }

    static JdbcGrainStorage newStorage() {
        return new JdbcGrainStorage(
                dataSource,
                "svc",
                "orleans_grain_state",
                new JacksonGrainStateSerializer(JsonMapper.builder().build()),
                4);
    }

    @AfterAll
    static void stop() {
        storage.destroy();
    }

    @Override
    protected boolean storesCopies() {
        return true;
    }

    @Override
    protected GrainStorage storage() {
        return storage;
    }

    @Test
    void twoStorageInstancesOnOneDatabaseSeeEachOthersWritesAndConflict() {
        JdbcGrainStorage other = newStorage();
        try {
            GrainId id = GrainId.ofString("contract", "shared-" + UUID.randomUUID());
            GrainState<TestState> mine = new GrainState<>(TestState.class, TestState::new);
            mine.setState(TestState.of("mine", 1));
            storage.writeState("s", id, mine).join();

            GrainState<TestState> theirs = new GrainState<>(TestState.class, TestState::new);
            other.readState("s", id, theirs).join();
            assertThat(theirs.state().name).isEqualTo("mine");
            theirs.setState(TestState.of("theirs", 2));
            other.writeState("s", id, theirs).join();

            assertThatThrownBy(() -> storage.writeState("s", id, mine).join())
                    .cause()
                    .isInstanceOf(InconsistentStateException.class);
        } finally {
            other.destroy();
        }
    }

    @Test
    void aWriteStoresTheValueAsItWasWhenCalled() {
        GrainId id = GrainId.ofString("contract", "snapshot-" + UUID.randomUUID());
        GrainState<TestState> state = new GrainState<>(TestState.class, TestState::new);
        state.setState(TestState.of("as-called", 1));
        var write = storage.writeState("s", id, state);
        state.state().name = "mutated-after-the-call";
        write.join();
        GrainState<TestState> stored = new GrainState<>(TestState.class, TestState::new);
        storage.readState("s", id, stored).join();
        assertThat(stored.state().name).isEqualTo("as-called");
    }

    @Test
    void aShutDownStorageFailsOperationsAsFutures() {
        JdbcGrainStorage closed = newStorage();
        closed.destroy();
        GrainState<TestState> state = new GrainState<>(TestState.class, TestState::new);
        var read = closed.readState("s", GrainId.ofString("contract", "x"), state);
        assertThatThrownBy(read::join).hasMessageContaining("shut down");
    }

    @Test
    void serviceIdsAreIsolated() {
        JdbcGrainStorage otherService = new JdbcGrainStorage(
                dataSource,
                "other-svc",
                "orleans_grain_state",
                new JacksonGrainStateSerializer(JsonMapper.builder().build()),
                1);
        try {
            GrainId id = GrainId.ofString("contract", "iso-" + UUID.randomUUID());
            GrainState<TestState> state = new GrainState<>(TestState.class, TestState::new);
            state.setState(TestState.of("svc", 1));
            storage.writeState("s", id, state).join();
            GrainState<TestState> seen = new GrainState<>(TestState.class, TestState::new);
            otherService.readState("s", id, seen).join();
            assertThat(seen.recordExists()).isFalse();
        } finally {
            otherService.destroy();
        }
    }
}
