package org.orleans4j.spring.jdbc.frozen;

import java.util.concurrent.CompletableFuture;
import org.orleans4j.grain.GrainBase;
import org.orleans4j.grain.PersistentState;

public class AccountGrainImpl extends GrainBase implements AccountGrain {

    private final PersistentState<Balance> balance = persistentState("balance", Balance.class, Balance::new);

    @Override
    public CompletableFuture<Long> balance() {
        return CompletableFuture.completedFuture(balance.state().amount);
    }

    /** Changes the state object in place, as grain code usually does, then writes it. */
    @Override
    public CompletableFuture<Long> deposit(long amount) {
        balance.state().amount += amount;
        return balance.writeState().thenApply(v -> balance.state().amount);
    }

    /** Mutable on purpose: a failed write must undo the change made in place. */
    public static class Balance {
        public long amount;
    }
}
