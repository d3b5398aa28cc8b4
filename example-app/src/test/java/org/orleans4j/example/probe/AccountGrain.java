package org.orleans4j.example.probe;

import java.util.concurrent.CompletableFuture;
import org.orleans4j.grain.GrainWithStringKey;
import org.orleans4j.grain.Idempotent;
import org.orleans4j.grain.ReadOnly;

/**
 * A bank account whose money is conserved whatever happens to a call: every transfer has an id, and
 * both sides remember the ids they applied in their persistent state, so a call repeated after a lost
 * answer, a timeout or a silo's death changes nothing twice. A caller retries a transfer with the same
 * id until it gets a definite answer.
 */
public interface AccountGrain extends GrainWithStringKey {

    /** What every account holds before its first transfer. */
    long OPENING_BALANCE = 1_000;

    /**
     * Moves {@code amount} from this account to account {@code to}: withdraws it here (recording the
     * transfer as pending), deposits it there, then records it settled. Retried with the same id, it
     * finishes a pending transfer or repeats the recorded answer.
     *
     * @return {@link TransferOutcome#CONFIRMED} once the money is in {@code to}, or
     *     {@link TransferOutcome#INSUFFICIENT_FUNDS} if nothing moved (both stored before the answer)
     */
    @Idempotent
    CompletableFuture<TransferOutcome> transfer(String transferId, String to, long amount);

    /** Adds {@code amount} of transfer {@code transferId}; a transfer id already applied is ignored. */
    @Idempotent
    CompletableFuture<Void> deposit(String transferId, long amount);

    /** The balance and the number of this account's transfers still pending (withdrawn, not settled). */
    @ReadOnly
    CompletableFuture<AccountView> view();

    /** The definite answers to a transfer. */
    enum TransferOutcome {
        CONFIRMED,
        INSUFFICIENT_FUNDS
    }

    /**
     * An account as stored now.
     *
     * @param balance the money in the account
     * @param pendingTransfers outgoing transfers withdrawn here whose deposit is not yet known to be applied
     */
    record AccountView(long balance, int pendingTransfers) {}
}
