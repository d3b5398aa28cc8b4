package org.orleans4j.example.dictionary;

import java.util.concurrent.CompletableFuture;
import org.orleans4j.grain.GrainWithStringKey;
import org.orleans4j.grain.Idempotent;
import org.orleans4j.grain.ReadOnly;

/** One dictionary entry, keyed by its word. */
public interface EntryGrain extends GrainWithStringKey {

    /** The definition, or {@code null} when the word has none. */
    @ReadOnly
    CompletableFuture<String> getDefinition();

    /**
     * How often {@link #getDefinition()} was called for this word. Counted in memory and written behind
     * every {@code dictionary.lookups-flush-period} (30 s) and when the grain deactivates, so a silo that
     * dies loses at most that period's lookups; a call that is sent again after a silo failure counts twice.
     */
    @ReadOnly
    CompletableFuture<Long> lookups();

    /**
     * Stores the definition, replacing any earlier one. Storing the same definition twice leaves the same
     * entry, so the runtime may send the call again when a silo died while it ran.
     */
    @Idempotent
    CompletableFuture<Void> setDefinition(String definition);
}
