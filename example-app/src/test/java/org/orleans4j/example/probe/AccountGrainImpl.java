package org.orleans4j.example.probe;

import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;
import org.orleans4j.grain.GrainBase;
import org.orleans4j.grain.PersistentState;
import org.orleans4j.grain.Reentrant;
import org.orleans4j.spring.grain.GrainComponent;

/**
 * An account whose every answer is backed by its stored state: a transfer is withdrawn and recorded
 * pending in one write before the destination's deposit is called, and settled in another after it;
 * a deposit and its transfer id are stored in one write. Nothing is answered from a change that is not
 * stored yet, so an activation that dies, or a duplicate activation whose write the store refuses, can
 * never have told anyone something the store does not hold.
 * <p>
 * {@link Reentrant}: account A waits for B's deposit while B may wait for A's (transfers both ways at
 * once); without interleaving the two would wait for each other until the calls time out. State changes
 * are still one at a time ({@link #change}): each reads the state the previous one stored.
 */
@GrainComponent
@Reentrant
public class AccountGrainImpl extends GrainBase implements AccountGrain {

    private final PersistentState<Account> account = persistentState("account", Account.class, Account::opening);
    /** The last state change queued; the next one starts when it has finished, successfully or not. */
    private CompletableFuture<?> changes = CompletableFuture.completedFuture(null);
    /**
     * A write failed, so whether it reached the store is unknown and memory may differ from it: this
     * activation answers nothing more and goes away; the next one reads what the store holds.
     */
    private boolean unsure;

    @Override
    public CompletableFuture<TransferOutcome> transfer(String transferId, String to, long amount) {
        if (amount <= 0 || to.equals(primaryKeyString())) {
            return CompletableFuture.failedFuture(new IllegalArgumentException(
                    "a transfer moves a positive amount to another account: " + amount + " to " + to));
        }
        return change(() -> {
                    Account current = account.state();
                    Outgoing recorded = current.outgoing().get(transferId);
                    if (recorded != null) {
                        if (!recorded.to().equals(to) || recorded.amount() != amount) {
                            throw new IllegalArgumentException("transfer " + transferId + " was " + recorded.amount()
                                    + " to " + recorded.to() + ", not " + amount + " to " + to);
                        }
                        return CompletableFuture.completedFuture(recorded.status());
                    }
                    if (current.balance() < amount) {
                        // Stored too: a late copy of this call must give the same answer even if money came in since.
                        return write(current.withOutgoing(transferId, new Outgoing(to, amount, Status.REJECTED), 0))
                                .thenApply(v -> Status.REJECTED);
                    }
                    return write(current.withOutgoing(transferId, new Outgoing(to, amount, Status.PENDING), -amount))
                            .thenApply(v -> Status.PENDING);
                })
                .thenCompose(status -> switch (status) {
                    case SETTLED -> CompletableFuture.completedFuture(TransferOutcome.CONFIRMED);
                    case REJECTED -> CompletableFuture.completedFuture(TransferOutcome.INSUFFICIENT_FUNDS);
                    // Withdrawn here, by this call or an earlier one: (re)deliver the deposit, which applies it once.
                    case PENDING ->
                        grainFactory()
                                .getGrain(AccountGrain.class, to)
                                .deposit(transferId, amount)
                                .thenCompose(deposited -> settle(transferId));
                });
    }

    @Override
    public CompletableFuture<Void> deposit(String transferId, long amount) {
        if (amount <= 0) {
            return CompletableFuture.failedFuture(new IllegalArgumentException("a deposit is positive: " + amount));
        }
        return change(() -> {
            Account current = account.state();
            return current.incoming().contains(transferId)
                    ? CompletableFuture.completedFuture(null)
                    : write(current.withIncoming(transferId, amount));
        });
    }

    @Override
    public CompletableFuture<AccountView> view() {
        if (unsure) {
            return CompletableFuture.failedFuture(replaced());
        }
        Account current = account.state();
        int pending = (int) current.outgoing().values().stream()
                .filter(o -> o.status() == Status.PENDING)
                .count();
        return CompletableFuture.completedFuture(new AccountView(current.balance(), pending));
    }

    private CompletableFuture<TransferOutcome> settle(String transferId) {
        return change(() -> {
            Account current = account.state();
            Outgoing recorded = current.outgoing().get(transferId);
            if (recorded.status() == Status.SETTLED) {
                return CompletableFuture.completedFuture(TransferOutcome.CONFIRMED);
            }
            return write(current.withOutgoing(transferId, recorded.settled(), 0))
                    .thenApply(v -> TransferOutcome.CONFIRMED);
        });
    }

    /** Runs {@code step} once every earlier state change has finished; refused once a write failed. */
    private <T> CompletableFuture<T> change(Supplier<CompletableFuture<T>> step) {
        CompletableFuture<T> result = changes.handle((v, e) -> null).thenCompose(previousDone -> {
            if (unsure) {
                return CompletableFuture.failedFuture(replaced());
            }
            return step.get();
        });
        changes = result;
        return result;
    }

    private IllegalStateException replaced() {
        return new IllegalStateException("account " + primaryKeyString()
                + ": a state write failed in this activation, which is being replaced; call again");
    }

    private CompletableFuture<Void> write(Account next) {
        account.setState(next);
        return account.writeState().whenComplete((v, e) -> {
            if (e != null) {
                unsure = true;
                deactivateOnIdle();
            }
        });
    }

    /** An outgoing transfer's state: withdrawn and awaiting its deposit, done, or refused for lack of funds. */
    public enum Status {
        PENDING,
        SETTLED,
        REJECTED
    }

    /** An outgoing transfer as this account recorded it. */
    public record Outgoing(String to, long amount, Status status) {
        Outgoing settled() {
            return new Outgoing(to, amount, Status.SETTLED);
        }
    }

    /**
     * The stored account: the balance, every outgoing transfer by id, and the ids of the deposits
     * applied. The ids are kept for good: a copy of a call may arrive late, after its answer was given.
     */
    public record Account(long balance, Map<String, Outgoing> outgoing, Set<String> incoming) {

        static Account opening() {
            return new Account(OPENING_BALANCE, Map.of(), Set.of());
        }

        Account withOutgoing(String transferId, Outgoing transfer, long balanceChange) {
            Map<String, Outgoing> next = new HashMap<>(outgoing);
            next.put(transferId, transfer);
            return new Account(balance + balanceChange, next, incoming);
        }

        Account withIncoming(String transferId, long amount) {
            Set<String> next = new HashSet<>(incoming);
            next.add(transferId);
            return new Account(balance + amount, outgoing, next);
        }
    }
}
