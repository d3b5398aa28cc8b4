package org.orleans4j.persistence;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.orleans4j.grain.GrainException;
import org.orleans4j.grain.GrainId;
import org.orleans4j.testing.tck.GrainStorageContractTest;
import org.orleans4j.testing.tck.TestState;

class MemoryGrainStorageTest extends GrainStorageContractTest {

    private final MemoryGrainStorage storage = new MemoryGrainStorage();

    @Override
    protected GrainStorage storage() {
        return storage;
    }

    @Test
    void readingAStateAsAnotherTypeFailsTheFutureNamingBothTypes() {
        GrainId id = id("type");
        write("s", id, "x", 1);
        GrainState<String> asString = new GrainState<>(String.class, () -> "");

        CompletableFuture<Void> read = storage.readState("s", id, asString);

        assertThat(read).isCompletedExceptionally();
        assertThat(read.exceptionNow())
                .isInstanceOf(GrainException.class)
                .hasMessageContaining(id.toString())
                .hasMessageContaining(TestState.class.getName())
                .hasMessageContaining(String.class.getName());
    }

    @Test
    void valuesAreKeptByReference() {
        GrainId id = id("ref");
        GrainState<TestState> written = write("s", id, "x", 1);
        assertThat(read("s", id).state()).isSameAs(written.state());
    }
}
