package org.orleans4j.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.orleans4j.grain.GrainBase;
import org.orleans4j.grain.GrainId;
import org.orleans4j.grain.GrainWithStringKey;
import org.orleans4j.grain.PersistentState;
import org.orleans4j.persistence.GrainState;
import org.orleans4j.persistence.InconsistentStateException;
import org.orleans4j.persistence.MemoryGrainStorage;

class PersistentStateTest {

    public static class Balance {
        public long amount;
    }

    interface Account extends GrainWithStringKey {
        CompletableFuture<Long> deposit(long amount);

        CompletableFuture<Long> balance();

        CompletableFuture<String> activationId();
    }

    static class AccountGrain extends GrainBase implements Account {
        private final PersistentState<Balance> balance = persistentState("balance", Balance.class, Balance::new);

        @Override
        public CompletableFuture<Long> deposit(long amount) {
            balance.state().amount += amount;
            return balance.writeState().thenApply(v -> balance.state().amount);
        }

        @Override
        public CompletableFuture<Long> balance() {
            return CompletableFuture.completedFuture(balance.state().amount);
        }

        @Override
        public CompletableFuture<String> activationId() {
            return CompletableFuture.completedFuture(context().activationId());
        }
    }

    private final MemoryGrainStorage storage = new MemoryGrainStorage();
    private Silo silo;

    @BeforeEach
    void start() {
        silo = TestSilos.start(b -> b.storage(GrainStorageRegistry.DEFAULT_NAME, storage).addGrainClass(AccountGrain.class));
    }

    @AfterEach
    void stop() {
        silo.stop(Duration.ofSeconds(5));
    }

    @Test
    void stateIsReadOnActivationAndWrittenOnRequest() {
        Account account = silo.grainFactory().getGrain(Account.class, "alice");
        account.deposit(10).join();
        assertThat(account.deposit(5).join()).isEqualTo(15);

        GrainState<Balance> stored = new GrainState<>(Balance.class, Balance::new);
        storage.readState("balance", GrainId.ofString("account", "alice"), stored).join();
        assertThat(stored.state().amount).isEqualTo(15);
        assertThat(stored.recordExists()).isTrue();
    }

    @Test
    void staleWriteFailsWithInconsistentStateAndDeactivatesSoTheNextCallReadsCurrentState() {
        Account account = silo.grainFactory().getGrain(Account.class, "bob");
        account.deposit(1).join();
        String first = account.activationId().join();

        // Someone else writes behind the activation's back.
        GrainId id = GrainId.ofString("account", "bob");
        GrainState<Balance> other = new GrainState<>(Balance.class, Balance::new);
        storage.readState("balance", id, other).join();
        Balance replaced = new Balance(); // memory storage keeps references: never mutate a read value
        replaced.amount = 100;
        other.setState(replaced);
        storage.writeState("balance", id, other).join();

        assertThatThrownBy(() -> account.deposit(1).join()).cause().isInstanceOf(InconsistentStateException.class);
        await().atMost(Duration.ofSeconds(5)).until(() -> !account.activationId().join().equals(first));
        assertThat(account.balance().join()).isEqualTo(100);
        assertThat(account.deposit(1).join()).isEqualTo(101);
    }
}
