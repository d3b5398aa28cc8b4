package org.orleans4j.spring.silo.app;

import java.util.concurrent.CompletableFuture;
import org.orleans4j.grain.GrainBase;
import org.orleans4j.grain.PersistentState;
import org.orleans4j.spring.grain.GrainComponent;

/** A stereotype-annotated grain with persistent state and no placement annotation. */
@GrainComponent
public class CounterGrainImpl extends GrainBase implements CounterGrain {

    private final PersistentState<Count> count = persistentState("count", Count.class, () -> new Count(0));

    @Override
    public CompletableFuture<Long> increment() {
        count.setState(new Count(count.state().value() + 1));
        return count.writeState().thenApply(v -> count.state().value());
    }

    public record Count(long value) {}
}
