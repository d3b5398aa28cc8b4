package org.orleans4j.spring.jdbc.frozen;

import java.util.concurrent.CompletableFuture;
import org.orleans4j.grain.GrainBase;
import org.orleans4j.grain.PersistentState;

public class AccountGrainImpl extends GrainBase implements AccountGrain {

    private final PersistentState<Balance> balance = persistentState("balance", Balance.class, () -> new Balance(0));

    @Override
    public CompletableFuture<Long> balance() {
        return CompletableFuture.completedFuture(balance.state().amount());
    }

    @Override
    public CompletableFuture<Long> deposit(long amount) {
        balance.setState(new Balance(balance.state().amount() + amount));
        return balance.writeState().thenApply(v -> balance.state().amount());
    }

    public record Balance(long amount) {
    }
}
