package org.orleans4j.spring.jdbc.frozen;

import java.util.concurrent.CompletableFuture;
import org.orleans4j.grain.GrainWithStringKey;
import org.orleans4j.grain.ReadOnly;

/** A balance kept in the grain state table: reads answer from memory, deposits write the database. */
public interface AccountGrain extends GrainWithStringKey {

    @ReadOnly
    CompletableFuture<Long> balance();

    /** Adds {@code amount} and writes the state; completes with the new balance once stored. */
    CompletableFuture<Long> deposit(long amount);
}
