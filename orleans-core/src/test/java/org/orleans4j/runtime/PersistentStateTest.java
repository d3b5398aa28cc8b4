package org.orleans4j.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.orleans4j.catalog.internal.GrainStorageRegistry;
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

        CompletableFuture<Void> clear();

        CompletableFuture<Void> replace(long amount);

        CompletableFuture<Boolean> recordExists();
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

        @Override
        public CompletableFuture<Void> clear() {
            return balance.clearState();
        }

        /** Writes a new state object instead of changing the current one in place. */
        @Override
        public CompletableFuture<Void> replace(long amount) {
            Balance next = new Balance();
            next.amount = amount;
            balance.setState(next);
            return balance.writeState();
        }

        @Override
        public CompletableFuture<Boolean> recordExists() {
            return CompletableFuture.completedFuture(balance.recordExists());
        }
    }

    private final MemoryGrainStorage storage = new MemoryGrainStorage();
    private Silo silo;

    @BeforeEach
    void start() {
        silo = StandaloneSilos.start(
                b -> b.storage(GrainStorageRegistry.DEFAULT_NAME, storage).addGrainClass(AccountGrain.class));
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
        storage.readState("balance", GrainId.ofString("account", "alice"), stored)
                .join();
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
        await().atMost(Duration.ofSeconds(5))
                .until(() -> !account.activationId().join().equals(first));
        assertThat(account.balance().join()).isEqualTo(100);
        assertThat(account.deposit(1).join()).isEqualTo(101);
    }

    @Test
    void aFailedWritePutsBackTheStoredValueKeepsTheActivationAndTheNextWriteWorks() {
        FailingBalanceStorage failing = new FailingBalanceStorage();
        Silo other = StandaloneSilos.start(
                b -> b.storage(GrainStorageRegistry.DEFAULT_NAME, failing).addGrainClass(AccountGrain.class));
        try {
            Account account = other.grainFactory().getGrain(Account.class, "carol");
            assertThat(account.deposit(10).join()).isEqualTo(10);
            String activation = account.activationId().join();
            String etagBefore = failing.etag(GrainId.ofString("account", "carol"));

            failing.failWrites = true;
            // The grain adds 5 to its state object in place, then the write fails.
            assertThatThrownBy(() -> account.deposit(5).join())
                    .cause()
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("disk full");
            assertThat(account.balance().join())
                    .as("the stored value, not the one whose write failed")
                    .isEqualTo(10);
            assertThatThrownBy(() -> account.clear().join()).cause().hasMessageContaining("disk full");
            assertThat(account.balance().join())
                    .as("a failed clear leaves the stored value too")
                    .isEqualTo(10);
            assertThat(account.activationId().join()).as("the activation stays").isEqualTo(activation);
            failing.failWrites = false;

            assertThat(account.deposit(1).join())
                    .as("the ETag in memory is still the stored one")
                    .isEqualTo(11);
            assertThat(failing.amount(GrainId.ofString("account", "carol"))).isEqualTo(11);
            assertThat(failing.etag(GrainId.ofString("account", "carol"))).isNotEqualTo(etagBefore);
            assertThat(account.activationId().join()).isEqualTo(activation);
        } finally {
            other.stop(Duration.ofSeconds(5));
        }
    }

    @Test
    void aFailedWriteOfAStateNeverStoredPutsBackTheInitialValue() {
        FailingBalanceStorage failing = new FailingBalanceStorage();
        failing.failWrites = true;
        Silo other = StandaloneSilos.start(
                b -> b.storage(GrainStorageRegistry.DEFAULT_NAME, failing).addGrainClass(AccountGrain.class));
        try {
            Account account = other.grainFactory().getGrain(Account.class, "dave");
            assertThatThrownBy(() -> account.deposit(5).join()).cause().hasMessageContaining("disk full");
            assertThat(account.balance().join()).isZero();
            assertThat(account.recordExists().join()).isFalse();
            failing.failWrites = false;
            assertThat(account.deposit(2).join()).isEqualTo(2);
            assertThat(account.recordExists().join()).isTrue();
        } finally {
            other.stop(Duration.ofSeconds(5));
        }
    }

    @Test
    void aStaleWritePutsBackTheStoredValueUntilTheActivationGoes() {
        Account account = silo.grainFactory().getGrain(Account.class, "erin");
        // Through a state object of the grain's own: memory storage keeps references, so the grain replaces it.
        account.replace(3).join();
        GrainId id = GrainId.ofString("account", "erin");
        GrainState<Balance> other = new GrainState<>(Balance.class, Balance::new);
        storage.readState("balance", id, other).join();
        other.setState(new Balance());
        other.state().amount = 50;
        storage.writeState("balance", id, other).join();

        assertThatThrownBy(() -> account.replace(7).join()).cause().isInstanceOf(InconsistentStateException.class);
        assertThat(account.balance().join())
                .as("this activation's stored value, or the next activation's")
                .isIn(3L, 50L);
        await().atMost(Duration.ofSeconds(5)).until(() -> account.balance().join() == 50);
    }

    /**
     * Stores balances by value, as a durable provider does, and hands the runtime a copy of what it
     * stored ({@link GrainState#setStoredCopy}); fails writes and clears while told to.
     */
    static final class FailingBalanceStorage implements org.orleans4j.persistence.GrainStorage {
        private record Stored(long amount, String etag) {}

        private final java.util.Map<GrainId, Stored> stored = new java.util.concurrent.ConcurrentHashMap<>();
        private final java.util.concurrent.atomic.AtomicLong versions = new java.util.concurrent.atomic.AtomicLong();
        volatile boolean failWrites;

        long amount(GrainId id) {
            return stored.get(id).amount();
        }

        String etag(GrainId id) {
            return stored.get(id).etag();
        }

        @Override
        public <T> CompletableFuture<Void> readState(String stateName, GrainId grainId, GrainState<T> state) {
            Stored found = stored.get(grainId);
            if (found == null) {
                state.resetState();
            } else {
                state.setState(state.type().cast(balance(found.amount())));
                state.setStoredCopy(() -> state.type().cast(balance(found.amount())));
            }
            state.setEtag(found == null ? null : found.etag());
            state.setRecordExists(found != null);
            return CompletableFuture.completedFuture(null);
        }

        @Override
        public <T> CompletableFuture<Void> writeState(String stateName, GrainId grainId, GrainState<T> state) {
            if (failWrites) {
                return CompletableFuture.failedFuture(new IllegalStateException("disk full"));
            }
            Stored current = stored.get(grainId);
            if (!java.util.Objects.equals(current == null ? null : current.etag(), state.etag())) {
                return CompletableFuture.failedFuture(new InconsistentStateException("stale", null, state.etag()));
            }
            long amount = ((Balance) state.state()).amount;
            Stored next = new Stored(amount, Long.toString(versions.incrementAndGet()));
            stored.put(grainId, next);
            state.setEtag(next.etag());
            state.setRecordExists(true);
            state.setStoredCopy(() -> state.type().cast(balance(amount)));
            return CompletableFuture.completedFuture(null);
        }

        @Override
        public <T> CompletableFuture<Void> clearState(String stateName, GrainId grainId, GrainState<T> state) {
            if (failWrites) {
                return CompletableFuture.failedFuture(new IllegalStateException("disk full"));
            }
            stored.remove(grainId);
            state.setEtag(null);
            state.setRecordExists(false);
            state.resetState();
            return CompletableFuture.completedFuture(null);
        }

        private static Balance balance(long amount) {
            Balance balance = new Balance();
            balance.amount = amount;
            return balance;
        }
    }
}
