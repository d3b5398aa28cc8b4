package org.orleans4j.example.rolling;

import java.util.concurrent.CompletableFuture;
import org.orleans4j.grain.GrainBase;
import org.orleans4j.grain.PersistentState;
import org.orleans4j.spring.grain.GrainComponent;

/** Writes its state on every line: a line the caller saw acknowledged is stored. */
@GrainComponent
public class OrderGrainImpl extends GrainBase implements OrderGrain {

    private final PersistentState<OrderState> order = persistentState("order", OrderState.class, OrderState::new);

    @Override
    public CompletableFuture<Long> add(LineItem item) {
        OrderState state = order.state();
        state.lines++;
        state.quantity += item.quantity();
        return order.writeState().thenApply(written -> state.lines);
    }

    @Override
    public CompletableFuture<Long> lines() {
        return CompletableFuture.completedFuture(order.state().lines);
    }
}
